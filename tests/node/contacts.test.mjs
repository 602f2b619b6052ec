// SPDX-License-Identifier: MIT
// Contacts end to end against the real binary: create/list/paging/get/patch/delete, phone
// numbers to E.164 in the team's region, duplicates, attributes, merge (messages, notes and
// conversations move), CSV import with a per-row report, CSV export round-trip, roles and bad
// input.

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { api, startServer } from './lib/harness.mjs';
import { assertFieldErrors, assertProblem, setUpTeam, sql } from './lib/teamfixture.mjs';

// ---------------------------------------------------------------------------------------------
// Helpers

function errorFor(problem, field) {
  return problem.errors.find((e) => e.field === field)?.message;
}

// A UK number (Ofcom's drama range) per call, so tests do not collide on the unique phone.
let drama = 100;
function ukNumber() {
  drama += 1;
  return `+44 20 7946 0${String(drama).padStart(3, '0')}`;
}
function ukE164(number) {
  return `+${number.replace(/[^0-9]/g, '')}`;
}

// RFC 4180 records of a CSV text (quoted fields may hold commas, "" and line breaks).
function parseCsv(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function csvObjects(text) {
  const [header, ...rows] = parseCsv(text);
  return { header, rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]]))) };
}

function assertContact(c) {
  for (const key of ['id', 'teamId', 'name', 'phone', 'email', 'attributes', 'optedOut', 'optedOutAt',
    'optedOutChannel', 'mergedInto', 'createdAt', 'updatedAt']) {
    assert.ok(key in c, `contact has ${key}: ${JSON.stringify(c)}`);
  }
  assert.equal(typeof c.id, 'string');
  assert.equal(typeof c.optedOut, 'boolean');
  assert.equal(typeof c.attributes, 'object');
  assert.match(c.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  return c;
}

// ---------------------------------------------------------------------------------------------

describe('contacts', () => {
  let srv;
  let teamId;
  let otherTeamId;
  const tokens = {};
  let base;

  const as = (who, method, path, opts = {}) => api(srv.url, method, `${base}${path}`, { token: tokens[who], ...opts });
  const create = (body, who = 'editor') => as(who, 'POST', '', { body });
  const csvImport = (text, who = 'editor', contentType = 'text/csv') =>
    api(srv.url, 'POST', `${base}/import`, { token: tokens[who], raw: text, headers: { 'content-type': contentType } });

  before(async () => {
    // open sign-up: everyone after the first gets a team of their own; the admin adds members
    srv = await startServer({ env: { SIGNUP_MODE: 'open' } });
    const team = await setUpTeam(srv);
    teamId = team.teamId;
    base = `/api/v1/teams/${teamId}/contacts`;
    for (const who of ['admin', 'editor', 'viewer', 'outsider']) tokens[who] = team[who].token;
    otherTeamId = team.outsider.teamId;
  });

  after(() => srv?.stop());

  describe('create, read, edit', () => {
    test('POST normalises the phone with the default region (US) → 201 contact', async () => {
      const res = await create({ name: '  Ann Lee ', phone: '(415) 555-2671', email: 'Ann.Lee@Example.COM', attributes: { plan: 'gold', seats: 3, vip: true } });
      assert.equal(res.status, 201, res.text);
      const c = assertContact(res.json);
      assert.equal(c.teamId, teamId);
      assert.equal(c.name, 'Ann Lee');
      assert.equal(c.phone, '+14155552671');
      assert.equal(c.email, 'ann.lee@example.com');
      assert.deepEqual(c.attributes, { plan: 'gold', seats: 3, vip: true });
      assert.equal(c.optedOut, false);
      assert.equal(c.optedOutAt, null);
      assert.equal(c.optedOutChannel, null);
      assert.equal(c.mergedInto, null);

      const got = await as('viewer', 'GET', `/${c.id}`);
      assert.equal(got.status, 200, got.text);
      assert.deepEqual(got.json, c);

      const events = sql(srv.databaseUrl, 'SELECT type, payload FROM events WHERE team_id = ? AND type = ?', [teamId, 'contact.updated']);
      assert.ok(events.some((e) => JSON.parse(typeof e.payload === 'string' ? e.payload : JSON.stringify(e.payload)).contactId === c.id),
        'a contact.updated event was written with the contact');
    });

    test('POST with an international number keeps its country: "+44 20 7946 0958" → +442079460958', async () => {
      const res = await create({ phone: '+44 20 7946 0958' });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.phone, '+442079460958');
      assert.equal(res.json.name, null);
    });

    test('POST reads national numbers in the team settings\' defaultRegion (GB)', async () => {
      sql(srv.databaseUrl, `INSERT INTO team_settings (team_id, document, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (team_id) DO UPDATE SET document = excluded.document`, [teamId, '{"defaultRegion":"GB"}', new Date().toISOString()]);
      try {
        const res = await create({ phone: '020 7946 0959' });
        assert.equal(res.status, 201, res.text);
        assert.equal(res.json.phone, '+442079460959');
      } finally {
        sql(srv.databaseUrl, 'UPDATE team_settings SET document = ? WHERE team_id = ?', ['{}', teamId]);
      }
    });

    for (const phone of ['garbage', '12', 'whatsapp:+14155552671', '+1 415 555 2671 ext 5', '+999 1234 5678', '5'.repeat(65)]) {
      test(`POST phone ${JSON.stringify(phone.slice(0, 30))} → 422 phone "is not a valid phone number"`, async () => {
        const problem = assertFieldErrors(await create({ name: 'Bad Phone', phone }), 'phone');
        if (phone.length <= 64) assert.equal(errorFor(problem, 'phone'), 'is not a valid phone number');
      });
    }

    test('POST a phone another contact has (in any format) → 409 naming that contact', async () => {
      const first = await create({ name: 'Dup One', phone: '+1 (628) 555-0101' });
      assert.equal(first.status, 201, first.text);
      const res = await create({ name: 'Dup Two', phone: '628.555.0101' });
      const problem = assertProblem(res, 409);
      assert.match(problem.detail, new RegExp(first.json.id));
      assert.equal(problem.errors?.[0]?.field, 'phone');
      assert.match(problem.errors[0].message, new RegExp(first.json.id));
      // and an edit that would take the number
      const other = await create({ name: 'Dup Three' });
      assertProblem(await as('editor', 'PATCH', `/${other.json.id}`, { body: { phone: '+16285550101' } }), 409);
      // the same contact may keep its own number
      const same = await as('editor', 'PATCH', `/${first.json.id}`, { body: { phone: '(628) 555-0101', name: 'Dup One B' } });
      assert.equal(same.status, 200, same.text);
    });

    test('POST without name, phone or email → 422 naming the three', async () => {
      assertFieldErrors(await create({}), 'name', 'phone', 'email');
      assertFieldErrors(await create({ name: '   ', attributes: { a: 'b' } }), 'name', 'phone', 'email');
    });

    const badBodies = [
      ['name not a string', { name: 42 }, ['name']],
      ['name over 200 characters', { name: 'x'.repeat(201) }, ['name']],
      ['email not an address', { name: 'E', email: 'not-an-email' }, ['email']],
      ['email not a string', { name: 'E', email: ['a@b.co'] }, ['email']],
      ['phone not a string', { phone: 4155552671 }, ['phone']],
      ['attributes an array', { name: 'A', attributes: ['x'] }, ['attributes']],
      ['attributes a string', { name: 'A', attributes: 'x' }, ['attributes']],
      ['attribute value an object', { name: 'A', attributes: { nested: { a: 1 } } }, ['attributes.nested']],
      ['attribute value null', { name: 'A', attributes: { gone: null } }, ['attributes.gone']],
      ['attribute value over 1000 characters', { name: 'A', attributes: { long: 'x'.repeat(1001) } }, ['attributes.long']],
      ['attribute key over 64 characters', { name: 'A', attributes: { ['k'.repeat(65)]: 'v' } }, [`attributes.${'k'.repeat(64)}`]],
      ['attribute key reserved (an export column)', { name: 'A', attributes: { Phone: '1' } }, ['attributes.Phone']],
      ['over 50 attributes', { name: 'A', attributes: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) }, ['attributes']],
      ['an unknown field', { name: 'A', phon: '+14155550000' }, ['phon']],
      ['several problems at once', { name: 7, email: 'x', attributes: [] }, ['name', 'email', 'attributes']],
    ];
    for (const [what, body, fields] of badBodies) {
      test(`POST with ${what} → 422 (${fields.join(', ')})`, async () => {
        const problem = assertFieldErrors(await create(body), ...fields);
        assert.equal(problem.errors.length, new Set(problem.errors.map((e) => e.field)).size, `one error per field: ${JSON.stringify(problem.errors)}`);
      });
    }

    test('POST with 50 attributes of 64-character keys and 1000-character values → 201', async () => {
      const attributes = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`${String(i).padStart(2, '0')}${'k'.repeat(62)}`, 'v'.repeat(1000)]));
      const res = await create({ name: 'Max Attributes', attributes });
      assert.equal(res.status, 201, res.text);
      assert.equal(Object.keys(res.json.attributes).length, 50);
    });

    test('POST malformed JSON → 400; another content type → 415; no token → 401', async () => {
      assertProblem(await as('editor', 'POST', '', { raw: '{"name": "x",', headers: { 'content-type': 'application/json' } }), 400, 'invalid-json');
      assertProblem(await as('editor', 'POST', '', { raw: '[1,2]', headers: { 'content-type': 'application/json' } }), 400);
      assertProblem(await as('editor', 'POST', '', { raw: 'name=x', headers: { 'content-type': 'text/plain' } }), 415);
      assertProblem(await api(srv.url, 'POST', base, { body: { name: 'x' } }), 401);
    });

    test('PATCH sets, replaces attributes, and null clears; GET shows it', async () => {
      const made = await create({ name: 'Patch Me', phone: ukNumber(), email: 'patch@example.com', attributes: { a: '1', b: '2' } });
      assert.equal(made.status, 201, made.text);
      const id = made.json.id;
      const res = await as('editor', 'PATCH', `/${id}`, { body: { name: 'Patched', email: null, attributes: { c: 3 } } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.name, 'Patched');
      assert.equal(res.json.email, null);
      assert.equal(res.json.phone, made.json.phone, 'absent fields stay');
      assert.deepEqual(res.json.attributes, { c: 3 });
      assert.ok(res.json.updatedAt >= made.json.updatedAt);
      const cleared = await as('editor', 'PATCH', `/${id}`, { body: { attributes: null, phone: null } });
      assert.equal(cleared.status, 200, cleared.text);
      assert.deepEqual(cleared.json.attributes, {});
      assert.equal(cleared.json.phone, null);
      assert.deepEqual((await as('viewer', 'GET', `/${id}`)).json, cleared.json);
      // clearing the last identifying field is refused
      assertFieldErrors(await as('editor', 'PATCH', `/${id}`, { body: { name: null } }), 'name');
    });

    test('PATCH bad input → 422/400; unknown contact → 404', async () => {
      const made = await create({ name: 'Patch Bad' });
      const id = made.json.id;
      assertFieldErrors(await as('editor', 'PATCH', `/${id}`, { body: { name: 'x'.repeat(201) } }), 'name');
      assertFieldErrors(await as('editor', 'PATCH', `/${id}`, { body: { phone: 'nope' } }), 'phone');
      assertFieldErrors(await as('editor', 'PATCH', `/${id}`, { body: { optedOut: true } }), 'optedOut');
      assertFieldErrors(await as('editor', 'PATCH', `/${id}`, { body: { attributes: { x: [1] } } }), 'attributes.x');
      assertProblem(await as('editor', 'PATCH', `/${id}`, { raw: 'nope', headers: { 'content-type': 'application/json' } }), 400);
      assertProblem(await as('editor', 'PATCH', `/${randomUUID()}`, { body: { name: 'x' } }), 404);
      assertProblem(await as('viewer', 'GET', `/${randomUUID()}`), 404);
    });
  });

  describe('list', () => {
    const made = [];
    const tag = `Zed${randomBytes(3).toString('hex')}`;

    before(async () => {
      for (let i = 0; i < 7; i += 1) {
        const res = await create({ name: `${tag} Person${i}`, email: `${tag.toLowerCase()}.${i}@list.example`, phone: ukNumber() });
        assert.equal(res.status, 201, res.text);
        made.push(res.json);
      }
    });

    test('GET pages newest first with a cursor; every contact once', async () => {
      const seen = [];
      let cursor = null;
      let pages = 0;
      do {
        const res = await as('viewer', 'GET', `?q=${tag}&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(res.status, 200, res.text);
        assert.ok(res.json.data.length <= 3);
        res.json.data.forEach(assertContact);
        seen.push(...res.json.data.map((c) => c.id));
        cursor = res.json.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      assert.equal(pages, 3);
      assert.deepEqual(seen, made.map((c) => c.id).reverse(), 'newest first, each once');
    });

    test('GET without a filter includes the new contacts, newest first, and ends with nextCursor null', async () => {
      const res = await as('viewer', 'GET', '?limit=200');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.nextCursor, null);
      assert.deepEqual(res.json.data.slice(0, 7).map((c) => c.id), made.map((c) => c.id).reverse());
      const keys = res.json.data.map((c) => `${c.createdAt}|${c.id}`);
      assert.deepEqual(keys, [...keys].sort().reverse());
    });

    test('?q= is a prefix of a name word, of the email, or of the phone digits', async () => {
      const byWord = await as('viewer', 'GET', `?q=${encodeURIComponent('person3')}&limit=200`);
      assert.ok(byWord.json.data.some((c) => c.id === made[3].id), 'a word of the name, any case');
      const byEmail = await as('viewer', 'GET', `?q=${encodeURIComponent(`${tag.toLowerCase()}.5@`)}`);
      assert.deepEqual(byEmail.json.data.map((c) => c.id), [made[5].id]);
      const digits = made[2].phone.slice(1);
      const byPhone = await as('viewer', 'GET', `?q=${encodeURIComponent(`+${digits.slice(0, 2)} ${digits.slice(2)}`)}`);
      assert.deepEqual(byPhone.json.data.map((c) => c.id), [made[2].id]);
      const none = await as('viewer', 'GET', `?q=${encodeURIComponent('%')}`);
      assert.equal(none.status, 200);
      assert.ok(none.json.data.every((c) => [c.name, c.email, c.phone].some((v) => v?.includes('%'))), 'LIKE wildcards are escaped');
    });

    test('?optedOut=true|false filters and the contact shows its opt-out', async () => {
      const target = made[1];
      sql(srv.databaseUrl, 'UPDATE contacts SET opted_out_at = ?, opted_out_channel = ? WHERE id = ?', ['2026-01-02T03:04:05.678Z', 'sms', target.id]);
      const yes = await as('viewer', 'GET', `?optedOut=true&q=${tag}`);
      assert.deepEqual(yes.json.data.map((c) => c.id), [target.id]);
      assert.equal(yes.json.data[0].optedOut, true);
      assert.equal(yes.json.data[0].optedOutAt, '2026-01-02T03:04:05.678Z');
      assert.equal(yes.json.data[0].optedOutChannel, 'sms');
      const no = await as('viewer', 'GET', `?optedOut=false&q=${tag}&limit=200`);
      assert.equal(no.json.data.length, 6);
      assert.ok(no.json.data.every((c) => c.optedOut === false));
    });

    const badQueries = [
      ['limit=201', 'limit'], ['limit=0', 'limit'], ['limit=abc', 'limit'],
      ['cursor=not-a-cursor', 'cursor'],
      [`cursor=${Buffer.from('{"k":"not a time","i":"x"}').toString('base64url')}`, 'cursor'],
      [`cursor=${Buffer.from('{"k":1,"i":"x"}').toString('base64url')}`, 'cursor'],
      ['optedOut=maybe', 'optedOut'], ['includeMerged=1', 'includeMerged'],
      [`q=${'x'.repeat(201)}`, 'q'],
    ];
    for (const [query, field] of badQueries) {
      test(`GET ?${query.slice(0, 40)} → 422 ${field}`, async () => {
        assertFieldErrors(await as('viewer', 'GET', `?${query}`), field);
      });
    }
  });

  describe('merge', () => {
    test('POST /{id}/merge moves messages, notes and conversations; fills and merges; hides the source', async () => {
      const survivor = (await create({ name: 'Survivor', attributes: { plan: 'gold', tier: 1 } })).json;
      const sourcePhone = ukNumber();
      const source = (await create({ name: 'Source Name', phone: sourcePhone, email: 'source@merge.example', attributes: { plan: 'silver', city: 'Paris' } })).json;
      sql(srv.databaseUrl, 'UPDATE contacts SET opted_out_at = ?, opted_out_channel = ? WHERE id = ?', ['2026-02-03T04:05:06.789Z', 'sms', source.id]);

      const now = new Date().toISOString();
      const conversationId = randomUUID();
      const messageId = randomUUID();
      const noteId = randomUUID();
      sql(srv.databaseUrl, `INSERT INTO conversations (id, team_id, contact_id, channel, status, created_at, updated_at)
        VALUES (?, ?, ?, 'sms', 'open', ?, ?)`, [conversationId, teamId, source.id, now, now]);
      sql(srv.databaseUrl, `INSERT INTO messages (id, team_id, conversation_id, contact_id, channel, direction, body, status, created_at, updated_at)
        VALUES (?, ?, ?, ?, 'sms', 'inbound', 'hello', 'received', ?, ?)`, [messageId, teamId, conversationId, source.id, now, now]);
      sql(srv.databaseUrl, `INSERT INTO notes (id, team_id, contact_id, content, created_at, updated_at)
        VALUES (?, ?, ?, 'a note', ?, ?)`, [noteId, teamId, source.id, now, now]);

      const res = await as('editor', 'POST', `/${survivor.id}/merge`, { body: { sourceContactId: source.id } });
      assert.equal(res.status, 200, res.text);
      const merged = assertContact(res.json);
      assert.equal(merged.id, survivor.id);
      assert.equal(merged.name, 'Survivor', 'the survivor keeps its own values');
      assert.equal(merged.phone, ukE164(sourcePhone), 'missing fields come from the source');
      assert.equal(merged.email, 'source@merge.example');
      assert.deepEqual(merged.attributes, { plan: 'gold', tier: 1, city: 'Paris' }, 'attributes merged, survivor wins');
      assert.equal(merged.optedOut, true, 'an opt-out is never lost');
      assert.equal(merged.mergedInto, null);

      for (const [table, id] of [['conversations', conversationId], ['messages', messageId], ['notes', noteId]]) {
        const rows = sql(srv.databaseUrl, `SELECT contact_id FROM ${table} WHERE id = ?`, [id]);
        assert.equal(rows[0]?.contact_id, survivor.id, `${table} moved to the survivor`);
      }

      const gone = await as('viewer', 'GET', `/${source.id}`);
      assert.equal(gone.status, 200, gone.text);
      assert.equal(gone.json.mergedInto, survivor.id);
      const listed = await as('viewer', 'GET', `?q=${encodeURIComponent('Source Name')}`);
      assert.deepEqual(listed.json.data.map((c) => c.id), [], 'a merged contact is hidden from the list');
      const withMerged = await as('viewer', 'GET', `?q=${encodeURIComponent('Source Name')}&includeMerged=true`);
      assert.deepEqual(withMerged.json.data.map((c) => c.id), [source.id]);

      const events = sql(srv.databaseUrl, 'SELECT payload FROM events WHERE team_id = ? AND type = ?', [teamId, 'contact.merged'])
        .map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload));
      assert.ok(events.some((p) => p.survivorId === survivor.id && p.mergedId === source.id), 'contact.merged event');

      // the number now belongs to the survivor
      const dup = assertProblem(await create({ phone: sourcePhone }), 409);
      assert.match(dup.detail, new RegExp(survivor.id));

      // merging again: the source is already merged; the merged one cannot take others
      const third = (await create({ name: 'Third' })).json;
      assert.match(assertProblem(await as('editor', 'POST', `/${survivor.id}/merge`, { body: { sourceContactId: source.id } }), 409).detail, /merged/);
      assert.match(assertProblem(await as('editor', 'POST', `/${source.id}/merge`, { body: { sourceContactId: third.id } }), 409).detail, /merged/);
      assertProblem(await as('editor', 'PATCH', `/${source.id}`, { body: { name: 'x' } }), 409);
    });

    test('merge bad input: itself → 422, unknown source → 422, unknown target → 404, wrong types → 422', async () => {
      const a = (await create({ name: 'Merge A' })).json;
      const self = assertFieldErrors(await as('editor', 'POST', `/${a.id}/merge`, { body: { sourceContactId: a.id } }), 'sourceContactId');
      assert.match(errorFor(self, 'sourceContactId'), /itself/);
      assertFieldErrors(await as('editor', 'POST', `/${a.id}/merge`, { body: { sourceContactId: randomUUID() } }), 'sourceContactId');
      assertProblem(await as('editor', 'POST', `/${randomUUID()}/merge`, { body: { sourceContactId: a.id } }), 404);
      assertFieldErrors(await as('editor', 'POST', `/${a.id}/merge`, { body: { sourceContactId: 5 } }), 'sourceContactId');
      assertFieldErrors(await as('editor', 'POST', `/${a.id}/merge`, { body: {} }), 'sourceContactId');
      assertProblem(await as('editor', 'POST', `/${a.id}/merge`, { raw: '{', headers: { 'content-type': 'application/json' } }), 400);
    });
  });

  describe('delete', () => {
    test('DELETE as admin → 204 and cascades; then 404', async () => {
      const c = (await create({ name: 'Delete Me', phone: ukNumber() })).json;
      const shell = (await create({ name: 'Merged Into Deleted' })).json;
      assert.equal((await as('editor', 'POST', `/${c.id}/merge`, { body: { sourceContactId: shell.id } })).status, 200);
      const now = new Date().toISOString();
      const conversationId = randomUUID();
      sql(srv.databaseUrl, `INSERT INTO conversations (id, team_id, contact_id, channel, status, created_at, updated_at)
        VALUES (?, ?, ?, 'sms', 'open', ?, ?)`, [conversationId, teamId, c.id, now, now]);
      sql(srv.databaseUrl, `INSERT INTO messages (id, team_id, conversation_id, contact_id, channel, direction, body, status, created_at, updated_at)
        VALUES (?, ?, ?, ?, 'sms', 'inbound', 'bye', 'received', ?, ?)`, [randomUUID(), teamId, conversationId, c.id, now, now]);

      assertProblem(await as('editor', 'DELETE', `/${c.id}`), 403);
      const res = await as('admin', 'DELETE', `/${c.id}`);
      assert.equal(res.status, 204, res.text);
      assertProblem(await as('viewer', 'GET', `/${c.id}`), 404);
      assertProblem(await as('viewer', 'GET', `/${shell.id}`), 404, 'not-found');
      assertProblem(await as('admin', 'DELETE', `/${c.id}`), 404);
      assert.equal(sql(srv.databaseUrl, 'SELECT id FROM messages WHERE contact_id = ?', [c.id]).length, 0);
      assert.equal(sql(srv.databaseUrl, 'SELECT id FROM conversations WHERE id = ?', [conversationId]).length, 0);
      const deleted = sql(srv.databaseUrl, 'SELECT payload FROM events WHERE team_id = ? AND type = ?', [teamId, 'contact.deleted'])
        .map((e) => (typeof e.payload === 'string' ? JSON.parse(e.payload) : e.payload));
      assert.ok(deleted.some((p) => p.contactId === c.id), 'contact.deleted event');
    });
  });

  describe('roles and teams', () => {
    let id;
    before(async () => {
      id = (await create({ name: 'Role Target' })).json.id;
    });

    test('a viewer reads (list, get, export) but cannot create, edit, merge or import → 403', async () => {
      assert.equal((await as('viewer', 'GET', '')).status, 200);
      assert.equal((await as('viewer', 'GET', `/${id}`)).status, 200);
      assert.equal((await as('viewer', 'GET', '/export')).status, 200);
      assertProblem(await create({ name: 'nope' }, 'viewer'), 403);
      assertProblem(await as('viewer', 'PATCH', `/${id}`, { body: { name: 'nope' } }), 403);
      assertProblem(await as('viewer', 'POST', `/${id}/merge`, { body: { sourceContactId: id } }), 403);
      assertProblem(await csvImport('name\nNope\n', 'viewer'), 403);
      assertProblem(await as('viewer', 'DELETE', `/${id}`), 403);
    });

    test('an editor cannot delete → 403', async () => {
      assertProblem(await as('editor', 'DELETE', `/${id}`), 403);
    });

    test('another team\'s member → 404 on every route; their own contacts stay apart', async () => {
      for (const [method, path, opts] of [
        ['GET', '', {}], ['POST', '', { body: { name: 'x' } }], ['GET', `/${id}`, {}],
        ['PATCH', `/${id}`, { body: { name: 'x' } }], ['DELETE', `/${id}`, {}],
        ['POST', `/${id}/merge`, { body: { sourceContactId: randomUUID() } }], ['GET', '/export', {}],
      ]) {
        assertProblem(await as('outsider', method, path, opts), 404, 'not-found');
      }
      assertProblem(await csvImport('name\nx\n', 'outsider'), 404);
      // the outsider's own team does not see ours, and our contact id is not theirs
      const theirs = `/api/v1/teams/${otherTeamId}/contacts`;
      const list = await api(srv.url, 'GET', theirs, { token: tokens.outsider });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(list.json.data, []);
      assertProblem(await api(srv.url, 'GET', `${theirs}/${id}`, { token: tokens.outsider }), 404);
      assertProblem(await api(srv.url, 'GET', theirs, { token: tokens.admin }), 404);
    });
  });

  describe('CSV import and export', () => {
    test('POST /import: good rows created or updated, bad rows reported by row number and field', async () => {
      const existingPhone = ukNumber();
      const existing = (await create({ name: 'Import Existing', phone: existingPhone, attributes: { keep: 'yes' } })).json;
      const byEmail = (await create({ name: 'Import ByEmail', email: 'byemail@import.example' })).json;
      const quotedPhone = ukNumber();
      const csv = [
        'Name,Phone,Email,Company,Notes',                                          // row 1
        `Ivy Import,${ukNumber()},ivy@import.example,Acme,first`,                  // 2 created
        `"Quote, Comma","${quotedPhone}",,"Big ""Co"", Ltd","line one\nline two"`,  // 3 created (one record, two lines)
        'Bad Phone,not a number,,,',                                               // 4 failed: phone
        'Bad Email,,nope,,',                                                        // 5 failed: email
        `,${existingPhone},filled@import.example,NewCo,`,                          // 6 updated by phone
        ',,BYEMAIL@import.example,Mail Co,',                                       // 7 updated by email
        '',                                                                        // blank: skipped
        ',,,Orphan Co,',                                                           // 9 failed: no identity
        'Too,Many,Fields,a,b,c',                                                   // 10 failed: columns
        `Name Only,,,,${'n'.repeat(1001)}`,                                        // 11 failed: attribute too long
      ].join('\r\n');
      const res = await csvImport(`${csv}\r\n`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.created, 2, res.text);
      assert.equal(res.json.updated, 2, res.text);
      assert.equal(res.json.failed, 5, res.text);
      const errors = res.json.errors;
      const rowOf = (row, field) => errors.find((e) => e.row === row && e.field === field);
      assert.equal(rowOf(4, 'phone')?.message, 'is not a valid phone number', res.text);
      assert.equal(rowOf(5, 'email')?.message, 'is not a valid email address', res.text);
      assert.ok(rowOf(9, 'row'), res.text);
      assert.ok(rowOf(10, 'row'), res.text);
      assert.ok(rowOf(11, 'attributes.Notes'), res.text);
      for (const e of errors) {
        assert.equal(typeof e.message, 'string');
        assert.ok(e.message.length > 0);
      }

      const quoted = await as('viewer', 'GET', `?q=${encodeURIComponent(ukE164(quotedPhone))}`);
      assert.equal(quoted.json.data.length, 1, quoted.text);
      assert.equal(quoted.json.data[0].name, 'Quote, Comma');
      assert.deepEqual(quoted.json.data[0].attributes, { Company: 'Big "Co", Ltd', Notes: 'line one\nline two' });

      const updated = (await as('viewer', 'GET', `/${existing.id}`)).json;
      assert.equal(updated.name, 'Import Existing', 'empty cells leave fields alone');
      assert.equal(updated.email, 'filled@import.example');
      assert.deepEqual(updated.attributes, { keep: 'yes', Company: 'NewCo' });
      const mailed = (await as('viewer', 'GET', `/${byEmail.id}`)).json;
      assert.deepEqual(mailed.attributes, { Company: 'Mail Co' });

      const again = await csvImport(`${csv}\r\n`);
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.created, 0, 'a second import updates the same contacts');
      assert.equal(again.json.updated, 4);
      assert.equal(again.json.failed, 5);
    });

    test('POST /import: later rows see what earlier rows of the same file created or changed', async () => {
      const phone = ukNumber();
      const other = ukNumber();
      const csv = [
        'name,phone,email,stage',
        `Batch One,${phone},,lead`,                   // 2 created
        `,${phone},batch.one@import.example,`,        // 3 updated (same phone as row 2)
        ',,BATCH.ONE@import.example,customer',        // 4 updated (email set by row 3)
        `,${other},batch.one@import.example,`,        // 5 updated by email: the phone changes
        `Batch Two,${phone},,`,                       // 6 created: row 5 moved the number away
      ].join('\n');
      const res = await csvImport(csv);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual([res.json.created, res.json.updated, res.json.failed], [2, 3, 0], res.text);
      const one = await as('viewer', 'GET', `?q=${encodeURIComponent('batch.one@')}`);
      assert.equal(one.json.data.length, 1, one.text);
      assert.equal(one.json.data[0].name, 'Batch One');
      assert.equal(one.json.data[0].phone, ukE164(other));
      assert.deepEqual(one.json.data[0].attributes, { stage: 'customer' });
      const two = await as('viewer', 'GET', `?q=${encodeURIComponent('Batch Two')}`);
      assert.equal(two.json.data[0]?.phone, ukE164(phone), 'the freed number went to a new contact');
    });

    test('POST /import: the 50-attribute limit is per row, not per file', async () => {
      const columns = Array.from({ length: 51 }, (_, i) => `wide${i}`);
      const full = columns.map((c) => `${c}-value`);
      const csv = `name,${columns.join(',')}\nWide Full,${full.join(',')}\nWide Some,${full.slice(0, 50).join(',')}\n`;
      const res = await csvImport(csv);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.created, 1, res.text);
      assert.equal(res.json.failed, 1, res.text);
      assert.deepEqual(res.json.errors.map((e) => [e.row, e.field]), [[2, 'attributes']]);
    });

    test('POST /import refuses the whole file: wrong content type 415, empty, bad header, bad CSV, over 10,000 rows 422', async () => {
      assertProblem(await csvImport('name\nx\n', 'editor', 'application/json'), 415);
      assertProblem(await csvImport('name\nx\n', 'editor', 'text/plain'), 415);
      assertFieldErrors(await csvImport(''), 'body');
      assertFieldErrors(await csvImport('company,city\nAcme,Paris\n'), 'body');
      assertFieldErrors(await csvImport('name,name\nA,B\n'), 'body');
      assertFieldErrors(await csvImport('name,\nA,B\n'), 'body');
      assertFieldErrors(await csvImport('name,phone\n"unterminated,+14155550000\n'), 'body');
      assertFieldErrors(await csvImport('name,phone\nA "quoted" word,1\n'), 'body');
      assertFieldErrors(await csvImport(Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0x0a])), 'body');
      const tooMany = `name\n${Array.from({ length: 10_001 }, (_, i) => `Bulk ${i}`).join('\n')}\n`;
      const res = assertFieldErrors(await csvImport(tooMany), 'body');
      assert.match(errorFor(res, 'body'), /10000/);
      assertFieldErrors(await csvImport(`name,${'c'.repeat(65)}\nA,b\n`), 'body');
      // nothing was written by the refused files
      assert.equal((await as('viewer', 'GET', '?q=Bulk')).json.data.length, 0);
    });

    test('a UTF-8 byte-order mark and the export\'s own columns are accepted', async () => {
      const res = await csvImport('\uFEFFid,name,phone,email,optedOut,createdAt,Team\nx,Bom Ünïcode,,bom@import.example,true,2020-01-01T00:00:00.000Z,Blue\n');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.created, 1, res.text);
      const got = await as('viewer', 'GET', `?q=${encodeURIComponent('bom@')}`);
      assert.equal(got.json.data[0].name, 'Bom Ünïcode');
      assert.deepEqual(got.json.data[0].attributes, { Team: 'Blue' }, 'id, optedOut and createdAt are not attributes');
      assert.equal(got.json.data[0].optedOut, false, 'the opt-out is not imported');
    });

    test('GET /export: text/csv attachment, RFC 4180 quoting; round-trips into another team', async () => {
      const tricky = (await create({
        name: 'Round, "Trip"\nSecond line',
        phone: ukNumber(),
        email: 'roundtrip@export.example',
        attributes: { 'Note, with comma': 'a "quoted"\r\nvalue', count: 42, flag: false, ' padded ': '  spaces  ' },
      })).json;
      const res = await as('viewer', 'GET', '/export');
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8$/i);
      assert.equal(res.headers.get('content-disposition'), 'attachment; filename="contacts.csv"');
      const { header, rows } = csvObjects(res.text);
      assert.deepEqual(header.slice(0, 6), ['id', 'name', 'phone', 'email', 'optedOut', 'createdAt']);
      assert.ok(header.includes('Note, with comma') && header.includes('count') && header.includes('flag'));
      const attributeKeys = header.slice(6);
      assert.deepEqual(attributeKeys, [...attributeKeys].sort(), 'attribute columns sorted');

      const list = await as('viewer', 'GET', '?limit=200');
      assert.equal(rows.length, list.json.data.length, 'one row per live contact');
      const row = rows.find((r) => r.id === tricky.id);
      assert.ok(row, 'the tricky contact is exported');
      assert.equal(row.name, tricky.name);
      assert.equal(row.phone, tricky.phone);
      assert.equal(row.email, tricky.email);
      assert.equal(row.optedOut, 'false');
      assert.equal(row.createdAt, tricky.createdAt);
      assert.equal(row['Note, with comma'], 'a "quoted"\r\nvalue');
      assert.equal(row.count, '42');
      assert.equal(row.flag, 'false');
      assert.equal(row[' padded '], '  spaces  ');
      assert.ok(rows.some((r) => r.optedOut === 'true'), 'opted-out contacts say so');

      // into the outsider's (empty) team and back out: the same names, phones, emails, attributes
      const theirs = `/api/v1/teams/${otherTeamId}/contacts`;
      const imported = await api(srv.url, 'POST', `${theirs}/import`, { token: tokens.outsider, raw: res.text, headers: { 'content-type': 'text/csv; charset=utf-8' } });
      assert.equal(imported.status, 200, imported.text);
      assert.equal(imported.json.failed, 0, imported.text);
      assert.equal(imported.json.created + imported.json.updated, rows.length);
      const back = await api(srv.url, 'GET', `${theirs}/export`, { token: tokens.outsider });
      const again = csvObjects(back.text);
      const strip = (r) => {
        const { id, optedOut, createdAt, ...rest } = r;
        return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k.trim(), v.trim()]).filter(([, v]) => v !== '')
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      };
      const key = (r) => JSON.stringify(strip(r));
      // cells are trimmed on import, so compare trimmed values
      assert.deepEqual(again.rows.map(key).sort(), rows.map(key).sort());
      const trickyBack = again.rows.find((r) => r.email === tricky.email);
      assert.equal(trickyBack.name, tricky.name);
      assert.equal(trickyBack['Note, with comma'], 'a "quoted"\r\nvalue');
    });
  });
});
