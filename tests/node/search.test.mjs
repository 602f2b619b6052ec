// SPDX-License-Identifier: MIT
// Search end to end against the real binary: ranking (an exact contact above a message that
// mentions it; more matching terms above fewer), keyset paging without duplicates or gaps,
// input that full-text syntax would choke on, merged contacts left out, team isolation, roles
// and bad parameters. Rows are seeded with SQL (the FTS triggers / generated tsvector columns
// keep the index in step, exactly as for rows the API writes).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { api, startServer, noReadCache } from './lib/harness.mjs';
import { assertFieldErrors, assertProblem, setUpTeam, sqlBatch } from './lib/teamfixture.mjs';

const FILLER = [
  'hello there how are you', 'your order has shipped', 'thanks for reaching out',
  'can we reschedule the call', 'the invoice is attached', 'see you on monday',
  'please confirm the address', 'our office opens at nine', 'happy to help anytime',
  'the package arrived today', 'is the blue one still available', 'we will call you back',
];

describe('search', () => {
  let srv;
  let team;
  const seeded = { contacts: {}, messages: {} }; // name → id
  const statements = [];

  const as = (who, method, url) => api(srv.url, method, url, { token: team[who].token });
  const searchUrl = (q, extra = '') => `/api/v1/teams/${team.teamId}/search?q=${encodeURIComponent(q)}${extra}`;

  function contact(teamId, key, fields = {}) {
    const id = randomUUID();
    seeded.contacts[key] = id;
    // absent values stay NULL (contacts may have unique indexes on phone and email)
    const columns = ['name', 'phone', 'email', 'merged_into'];
    const values = [fields.name, fields.phone, fields.email, fields.mergedInto];
    statements.push({
      sql: `INSERT INTO contacts (id, team_id, ${columns.join(', ')}) VALUES (?, ?, ${values.map((v) => (v === undefined ? 'NULL' : '?')).join(', ')})`,
      params: [id, teamId, ...values.filter((v) => v !== undefined)],
    });
    return id;
  }

  function conversation(teamId, contactId) {
    const id = randomUUID();
    statements.push({
      sql: "INSERT INTO conversations (id, team_id, contact_id, channel) VALUES (?, ?, ?, 'sms')",
      params: [id, teamId, contactId],
    });
    return id;
  }

  function message(teamId, key, contactId, conversationId, body) {
    const id = randomUUID();
    seeded.messages[key] = id;
    statements.push({
      sql: "INSERT INTO messages (id, team_id, contact_id, conversation_id, channel, direction, body, status) VALUES (?, ?, ?, ?, 'sms', 'inbound', ?, 'received')",
      params: [id, teamId, contactId, conversationId, body],
    });
    return id;
  }

  before(async () => {
    srv = await startServer({ env: { ...noReadCache, SIGNUP_MODE: 'open' } });
    team = await setUpTeam(srv);
    const t = team.teamId;
    const other = team.outsider.teamId;

    const ann = contact(t, 'ann', { name: 'Ann Example', phone: '+14155550101', email: 'ann@example.org' });
    const conv = conversation(t, ann);
    FILLER.forEach((body, i) => message(t, `filler${i}`, ann, conv, body));

    // ranking: the exact contact vs a message that mentions the name once
    contact(t, 'zanzibar', { name: 'Zanzibar', phone: '+14155550102' });
    message(t, 'mentionsZanzibar', ann, conv, 'we shipped the crate to zanzibar last week, tracking to follow');
    // ranking: more matching terms rank higher
    message(t, 'three', ann, conv, 'alpha beta gamma');
    message(t, 'two', ann, conv, 'alpha beta delta');
    message(t, 'one', ann, conv, 'alpha epsilon zeta');
    // phones and emails
    contact(t, 'quill', { name: 'Penelope Quill', phone: '+442079460123', email: 'p.quill@example.net' });
    // merged contacts are left out
    const survivor = contact(t, 'survivor', { name: 'Mergetest Survivor' });
    contact(t, 'merged', { name: 'Mergetest Duplicate', mergedInto: survivor });
    // paging: 25 messages with the same rare word, some with it twice (two score levels, ties)
    for (let i = 0; i < 25; i += 1) {
      message(t, `page${i}`, ann, conv, i % 3 === 0 ? `pagingword pagingword number ${i}` : `pagingword number ${i}`);
    }
    // another team with the same words: must never show up
    const stranger = contact(other, 'otherZanzibar', { name: 'Zanzibar', phone: '+14155550199' });
    const otherConv = conversation(other, stranger);
    message(other, 'otherMention', stranger, otherConv, 'zanzibar alpha beta gamma pagingword');

    sqlBatch(srv.databaseUrl, statements);
  });
  after(() => srv?.stop());

  async function search(q, extra = '', who = 'viewer') {
    const res = await as(who, 'GET', searchUrl(q, extra));
    assert.equal(res.status, 200, `${q}: ${res.text}`);
    assert.ok(Array.isArray(res.json.data));
    assert.ok('nextCursor' in res.json);
    return res.json;
  }

  test('a hit has kind, id, score, snippet, contact, conversationId and createdAt', async () => {
    const { data } = await search('shipped crate');
    const hit = data.find((h) => h.id === seeded.messages.mentionsZanzibar);
    assert.ok(hit, JSON.stringify(data));
    assert.equal(hit.kind, 'message');
    assert.equal(typeof hit.score, 'number');
    assert.ok(hit.score > 0 && hit.score < 2);
    assert.match(hit.snippet, /crate/);
    assert.deepEqual(hit.contact, { id: seeded.contacts.ann, name: 'Ann Example', phone: '+14155550101' });
    assert.equal(typeof hit.conversationId, 'string');
    assert.match(hit.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const contactHit = (await search('Penelope')).data.find((h) => h.id === seeded.contacts.quill);
    assert.ok(contactHit);
    assert.equal(contactHit.kind, 'contact');
    assert.deepEqual(contactHit.contact, { id: seeded.contacts.quill, name: 'Penelope Quill', phone: '+442079460123' });
    assert.equal(contactHit.conversationId, null);
    assert.match(contactHit.snippet, /Penelope/);
  });

  test('a contact named exactly the query ranks above a message mentioning it once', async () => {
    const { data } = await search('Zanzibar');
    const ids = data.map((h) => h.id);
    assert.equal(ids[0], seeded.contacts.zanzibar, JSON.stringify(data));
    assert.ok(ids.includes(seeded.messages.mentionsZanzibar));
    assert.ok(data[0].score > data[1].score);
  });

  test('more matching terms rank higher', async () => {
    const { data } = await search('alpha beta gamma');
    const order = data.map((h) => h.id);
    const three = order.indexOf(seeded.messages.three);
    const two = order.indexOf(seeded.messages.two);
    const one = order.indexOf(seeded.messages.one);
    assert.ok(three >= 0 && two >= 0 && one >= 0, JSON.stringify(data));
    assert.ok(three < two && two < one, `order three=${three} two=${two} one=${one}`);
    for (let i = 1; i < data.length; i += 1) assert.ok(data[i - 1].score >= data[i].score, 'scores descend');
  });

  test('phones and emails are searchable', async () => {
    assert.equal((await search('+442079460123')).data[0]?.id, seeded.contacts.quill);
    assert.equal((await search('p.quill@example.net')).data[0]?.id, seeded.contacts.quill);
    assert.ok((await search('quill')).data.some((h) => h.id === seeded.contacts.quill));
  });

  test("q in form encoding: '+' is a space, %2B is a plus", async () => {
    const base = `/api/v1/teams/${team.teamId}/search`;
    const spaced = await as('viewer', 'GET', `${base}?q=alpha+beta+gamma`);
    assert.equal(spaced.status, 200, spaced.text);
    assert.equal(spaced.json.data[0]?.id, seeded.messages.three, spaced.text);
    assert.ok(spaced.json.data.some((h) => h.id === seeded.messages.two), 'three words, not one phrase');
    const plus = await as('viewer', 'GET', `${base}?q=%2B442079460123`);
    assert.equal(plus.json.data[0]?.id, seeded.contacts.quill, plus.text);
    const form = await as('viewer', 'GET', `${base}?${new URLSearchParams({ q: 'Penelope Quill' })}`);
    assert.equal(form.json.data[0]?.id, seeded.contacts.quill, form.text);
  });

  test('contacts merged into another are left out', async () => {
    const ids = (await search('Mergetest')).data.map((h) => h.id);
    assert.ok(ids.includes(seeded.contacts.survivor));
    assert.ok(!ids.includes(seeded.contacts.merged));
  });

  test('paging with limit and cursor: every hit once, in order, ending with nextCursor null', async () => {
    const all = await search('pagingword', '&limit=50');
    assert.equal(all.data.length, 25);
    assert.equal(all.nextCursor, null);
    const seen = [];
    let cursor = null;
    let pages = 0;
    do {
      const page = await search('pagingword', `&limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(page.data.length <= 10);
      seen.push(...page.data.map((h) => h.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, 25, 'no duplicates');
    assert.deepEqual(seen, all.data.map((h) => h.id), 'same order as one big page');
    const doubled = all.data.slice(0, 9).map((h) => h.id);
    const expectedDoubled = [0, 3, 6, 9, 12, 15, 18, 21, 24].map((i) => seeded.messages[`page${i}`]);
    assert.deepEqual(new Set(doubled), new Set(expectedDoubled), 'the word twice ranks above once');
  });

  test('the default page is 20 hits', async () => {
    const page = await search('pagingword');
    assert.equal(page.data.length, 20);
    assert.equal(typeof page.nextCursor, 'string');
  });

  const awkward = [
    '"', '""', '"unbalanced', '*', 'pagingword*', 'OR', 'alpha OR', 'OR alpha', 'AND', 'NOT alpha',
    'NEAR(', 'NEAR(alpha beta)', 'NEAR(alpha beta, 2)', '-', '-alpha', 'alpha -beta', 'body:alpha',
    'name:Zanzibar', '^alpha', '(', ')', '((alpha)', '{alpha beta}', '+', '+1', "'; DROP TABLE messages; --",
    '\\', '%', '_', ':', '<->', '!alpha', 'alpha & beta | gamma', 'zanzibar:*', '😀', 'ß', 'Ünïcödé',
    'a'.repeat(200), Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '),
  ];
  for (const q of awkward) {
    test(`q=${JSON.stringify(q.length > 40 ? `${q.slice(0, 40)}…` : q)} → 200, not a 500`, async () => {
      const res = await as('viewer', 'GET', searchUrl(q));
      assert.equal(res.status, 200, res.text);
      assert.ok(Array.isArray(res.json.data));
    });
  }

  test('operators in q are plain words: "alpha -beta" still finds "alpha beta …" ', async () => {
    const ids = (await search('alpha -beta')).data.map((h) => h.id);
    assert.ok(ids.includes(seeded.messages.three));
  });

  test("another team's contacts and messages never appear", async () => {
    for (const q of ['Zanzibar', 'alpha beta gamma', 'pagingword', '+14155550199']) {
      const { data } = await search(q, '&limit=50');
      for (const hit of data) {
        assert.notEqual(hit.id, seeded.contacts.otherZanzibar, q);
        assert.notEqual(hit.id, seeded.messages.otherMention, q);
      }
    }
    const theirs = await api(srv.url, 'GET', `/api/v1/teams/${team.outsider.teamId}/search?q=zanzibar`, { token: team.outsider.token });
    assert.equal(theirs.status, 200, theirs.text);
    assert.deepEqual(new Set(theirs.json.data.map((h) => h.id)),
      new Set([seeded.contacts.otherZanzibar, seeded.messages.otherMention]));
  });

  test('roles: viewer and editor → 200; another team → 404; no token → 401', async () => {
    assert.equal((await as('editor', 'GET', searchUrl('alpha'))).status, 200);
    assert.equal((await as('admin', 'GET', searchUrl('alpha'))).status, 200);
    assertProblem(await as('outsider', 'GET', searchUrl('alpha')), 404);
    assertProblem(await api(srv.url, 'GET', searchUrl('alpha')), 401);
    assertProblem(await as('admin', 'GET', '/api/v1/teams/no-such-team/search?q=alpha'), 404);
  });

  test('bad parameters → 422 naming them', async () => {
    const base = `/api/v1/teams/${team.teamId}/search`;
    assertFieldErrors(await as('viewer', 'GET', base), 'q');
    assertFieldErrors(await as('viewer', 'GET', `${base}?q=`), 'q');
    assertFieldErrors(await as('viewer', 'GET', `${base}?q=%20%20`), 'q');
    assertFieldErrors(await as('viewer', 'GET', searchUrl('a'.repeat(201))), 'q');
    assertFieldErrors(await as('viewer', 'GET', searchUrl('alpha', '&limit=51')), 'limit');
    assertFieldErrors(await as('viewer', 'GET', searchUrl('alpha', '&limit=201')), 'limit');
    assertFieldErrors(await as('viewer', 'GET', searchUrl('alpha', '&limit=0')), 'limit');
    assertFieldErrors(await as('viewer', 'GET', searchUrl('alpha', '&cursor=garbage')), 'cursor');
    const forged = Buffer.from(JSON.stringify({ k: '0.5', i: 'invoice:123' })).toString('base64url');
    assertFieldErrors(await as('viewer', 'GET', searchUrl('alpha', `&cursor=${forged}`)), 'cursor');
    const notANumber = Buffer.from(JSON.stringify({ k: 'high', i: 'message:123' })).toString('base64url');
    assertFieldErrors(await as('viewer', 'GET', searchUrl('alpha', `&cursor=${notANumber}`)), 'cursor');
    assertFieldErrors(await as('viewer', 'GET', `${base}?limit=900`), 'q', 'limit');
  });

  test('a message sent through the API and a contact created through it are found (the real write path)', async () => {
    const t = team.teamId;
    const created = await api(srv.url, 'POST', `/api/v1/teams/${t}/contacts`, {
      token: team.editor.token, body: { name: 'Quintessa Apiwright', phone: '+14155550177' },
    });
    assert.equal(created.status, 201, created.text);
    const opened = await api(srv.url, 'POST', `/api/v1/teams/${t}/conversations`, {
      token: team.editor.token, body: { contactId: created.json.id, channel: 'sms' },
    });
    assert.ok([200, 201].includes(opened.status), opened.text);
    const sent = await api(srv.url, 'POST', `/api/v1/teams/${t}/conversations/${opened.json.id}/messages`, {
      token: team.editor.token, body: { body: 'your xylophone repair is booked' },
    });
    assert.equal(sent.status, 201, sent.text);
    const hit = (await search('xylophone')).data.find((h) => h.id === sent.json.id);
    assert.ok(hit, 'the sent message is found');
    assert.equal(hit.conversationId, opened.json.id);
    assert.equal(hit.contact.id, created.json.id);
    assert.equal((await search('Apiwright')).data[0]?.id, created.json.id);
  });

  test('a message whose body changes is found by its new words only', async () => {
    sqlBatch(srv.databaseUrl, [{ sql: "UPDATE messages SET body = 'replaced wording entirely' WHERE id = ?", params: [seeded.messages.one] }]);
    assert.ok(!(await search('epsilon')).data.some((h) => h.id === seeded.messages.one));
    assert.ok((await search('entirely')).data.some((h) => h.id === seeded.messages.one));
  });
});
