// SPDX-License-Identifier: MIT
// The original backend's inbox routes (COMPAT_API.md) as its unchanged frontend calls them:
// /api/inbox/threads, /api/messages/thread/:contactId, /api/messages/send and /api/notes, with
// the original's exact keys, upper-case enums and {error} bodies; the caller's first team is
// theirs; roles are enforced (viewers read, editors send and write notes).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { startFakeTwilio } from './lib/faketwilio.mjs';
import { api, startServer, noReadCache } from './lib/harness.mjs';
import { contactWithConversation, createContact, selectRows } from './lib/inboxfixtures.mjs';
import { setUpTeam, sql, sqlBatch } from './lib/teamfixture.mjs';

const THREAD_KEYS = ['channel', 'contactName', 'id', 'snippet', 'unread', 'updatedAt'];
const MESSAGE_KEYS = ['body', 'contactId', 'createdAt', 'direction', 'id', 'media', 'scheduledAt', 'status'];
const NOTE_KEYS = ['author', 'contactId', 'content', 'createdAt', 'id', 'isPrivate', 'updatedAt'];

// The TWILIO_* environment of the original: the first team's default inboxes, sending to the fake.
const TWILIO_ACCOUNT = 'AC' + '5'.repeat(32);
const TWILIO_TOKEN = '5'.repeat(32);
let phoneCounter = 0;
const newPhone = () => `+1415${String(3_000_000 + process.pid % 1000 * 1000 + ++phoneCounter).padStart(7, '0')}`;

const minutesAgo = (m) => new Date(Date.now() - m * 60_000).toISOString();

function assertJson(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
  return res.json;
}

function assertError(res, status, message) {
  const body = assertJson(res, status);
  assert.deepEqual(Object.keys(body), ['error'], `an {error} body: ${res.text}`);
  assert.equal(typeof body.error, 'string');
  if (message) assert.equal(body.error, message);
}

function assertUnauthorized(res) {
  assert.equal(res.status, 401);
  assert.equal(res.text, 'Unauthorized');
}

// An INSERT of the columns that have a value (teamfixture's psql path cannot bind NULL).
function insertRow(table, values) {
  const columns = Object.keys(values).filter((k) => values[k] !== null && values[k] !== undefined);
  return {
    sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    params: columns.map((k) => values[k]),
  };
}

const contactRow = (teamId, { id = randomUUID(), name = null, phone = null, email = null, updatedAt = minutesAgo(10_000) } = {}) => ({
  ...insertRow('contacts', { id, team_id: teamId, name, phone, email, created_at: updatedAt, updated_at: updatedAt }),
  id,
});

const messageRow = (teamId, contactId, { body = '', channel = 'sms', direction = 'inbound', status = 'received', media = [], createdAt, scheduledAt = null }) =>
  insertRow('messages', {
    id: randomUUID(), team_id: teamId, contact_id: contactId, channel, direction, body, media: JSON.stringify(media),
    status, scheduled_at: scheduledAt, created_at: createdAt, updated_at: createdAt,
  });

describe('compatible inbox routes', () => {
  let srv;
  let t;
  let fake;
  const call = (who, method, path, opts = {}) => api(srv.url, method, path, { token: who ? t[who].token : undefined, ...opts });

  before(async () => {
    fake = await startFakeTwilio({ accounts: { [TWILIO_ACCOUNT]: TWILIO_TOKEN } });
    srv = await startServer({ env: { ...noReadCache, SIGNUP_MODE: 'open', TWILIO_API_BASE: fake.url, TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN, TWILIO_SMS_FROM: '+15550004000', TWILIO_WHATSAPP_FROM: '+15550004001' } });
    t = await setUpTeam(srv);
    // With open sign-up the editor and the viewer got teams of their own first; make ours their
    // first team, the one the original's single-team routes act in.
    for (const who of ['editor', 'viewer']) {
      sql(srv.databaseUrl, 'UPDATE team_members SET created_at = ? WHERE user_id = ? AND team_id = ?',
        ['2000-01-01T00:00:00.000Z', t[who].userId, t.teamId]);
    }
  });
  after(async () => {
    await srv?.stop();
    await fake?.close();
  });

  describe('GET /api/inbox/threads', () => {
    // The outsider's own team (their first) holds exactly these contacts.
    let o;
    let ids;
    before(() => {
      o = t.outsider;
      const named = contactRow(o.teamId, { name: 'Named Person', phone: '+14155550100' });
      const phoneOnly = contactRow(o.teamId, { phone: '+14155550101' });
      const emailOnly = contactRow(o.teamId, { email: 'only@example.com' });
      const nothing = contactRow(o.teamId, { updatedAt: minutesAgo(5) });
      const merged = contactRow(o.teamId, { name: 'Merged Away' });
      ids = { named: named.id, phoneOnly: phoneOnly.id, emailOnly: emailOnly.id, nothing: nothing.id, merged: merged.id };
      sqlBatch(srv.databaseUrl, [named, phoneOnly, emailOnly, nothing, merged,
        { sql: 'UPDATE contacts SET merged_into = ? WHERE id = ?', params: [named.id, merged.id] },
        messageRow(o.teamId, named.id, { body: 'older', createdAt: minutesAgo(30) }),
        messageRow(o.teamId, named.id, { body: 'newest from Named', channel: 'whatsapp', createdAt: minutesAgo(1) }),
        messageRow(o.teamId, phoneOnly.id, { body: 'from phone', direction: 'outbound', status: 'sent', createdAt: minutesAgo(20) }),
        messageRow(o.teamId, emailOnly.id, { body: 'from email', createdAt: minutesAgo(60) }),
        messageRow(o.teamId, merged.id, { body: 'merged one', createdAt: minutesAgo(2) })]);
    });

    test('[{id, contactName, snippet, unread, channel, updatedAt}] newest first, names falling back to phone, email, "Unknown"', async () => {
      const threads = assertJson(await call('outsider', 'GET', '/api/inbox/threads'), 200);
      assert.ok(Array.isArray(threads));
      for (const thread of threads) assert.deepEqual(Object.keys(thread).sort(), THREAD_KEYS);
      assert.deepEqual(threads.map((x) => x.id), [ids.named, ids.nothing, ids.phoneOnly, ids.emailOnly], 'merged contacts are not threads');
      const [named, nothing, phoneOnly, emailOnly] = threads;
      assert.deepEqual(named, { id: ids.named, contactName: 'Named Person', snippet: 'newest from Named', unread: 0, channel: 'WHATSAPP', updatedAt: named.updatedAt });
      assert.equal(phoneOnly.contactName, '+14155550101');
      assert.equal(phoneOnly.channel, 'SMS');
      assert.equal(emailOnly.contactName, 'only@example.com');
      assert.equal(nothing.contactName, 'Unknown');
      assert.equal(nothing.snippet, '');
      assert.equal(nothing.channel, 'SMS');
      for (let i = 1; i < threads.length; i += 1) assert.ok(Date.parse(threads[i - 1].updatedAt) >= Date.parse(threads[i].updatedAt));
    });

    test('unread counts the contact\'s unread messages; a send moves the thread to the top', async () => {
      const opened = await api(srv.url, 'POST', `/api/v1/teams/${o.teamId}/conversations`, { token: o.token, body: { contactId: ids.emailOnly } });
      assert.equal(opened.status, 201, opened.text);
      sql(srv.databaseUrl, 'UPDATE conversations SET unread_count = 3 WHERE id = ?', [opened.json.id]);
      // No phone to send to: stored, then failed as the original failed it (502, Provider error).
      const sent = assertJson(await call('outsider', 'POST', '/api/messages/send', { body: { contactId: ids.emailOnly, body: 'reply to email' } }), 502);
      assert.equal(sent.ok, false);
      assert.match(sent.error, /^Provider error: .*phone number/);
      const threads = assertJson(await call('outsider', 'GET', '/api/inbox/threads'), 200);
      assert.equal(threads[0].id, ids.emailOnly);
      assert.equal(threads[0].snippet, 'reply to email');
      assert.equal(threads[0].unread, 3);
    });

    test('up to 200 threads, from the caller\'s own team only', async () => {
      const rows = Array.from({ length: 205 }, (_, i) => contactRow(o.teamId, { name: `Bulk ${i}`, updatedAt: minutesAgo(20_000 + i) }));
      sqlBatch(srv.databaseUrl, rows);
      const threads = assertJson(await call('outsider', 'GET', '/api/inbox/threads'), 200);
      assert.equal(threads.length, 200);
      const ours = assertJson(await call('admin', 'GET', '/api/inbox/threads'), 200);
      const theirIds = new Set(rows.map((r) => r.id).concat(Object.values(ids)));
      assert.ok(!ours.some((x) => theirIds.has(x.id)), 'no other team\'s contact');
    });

    test('a viewer reads; no token → plain-text 401', async () => {
      assertJson(await call('viewer', 'GET', '/api/inbox/threads'), 200);
      assertUnauthorized(await call(null, 'GET', '/api/inbox/threads'));
    });
  });

  describe('GET /api/messages/thread/:contactId', () => {
    test('the LATEST 200 messages, oldest first, with the original\'s keys', async () => {
      const contact = contactRow(t.teamId, { name: 'Long History' });
      const rows = [contact];
      for (let i = 0; i < 205; i += 1) {
        rows.push(messageRow(t.teamId, contact.id, { body: `m${i}`, createdAt: minutesAgo(1000 - i) }));
      }
      sqlBatch(srv.databaseUrl, rows);
      const messages = assertJson(await call('viewer', 'GET', `/api/messages/thread/${contact.id}`), 200);
      assert.equal(messages.length, 200);
      assert.equal(messages[0].body, 'm5');
      assert.equal(messages[199].body, 'm204');
      for (const m of messages) assert.deepEqual(Object.keys(m).sort(), MESSAGE_KEYS);
      for (let i = 1; i < messages.length; i += 1) assert.ok(messages[i - 1].createdAt <= messages[i].createdAt);
      assert.equal(messages[0].contactId, contact.id);
      assert.equal(messages[0].direction, 'INBOUND');
    });

    test('statuses map onto PENDING, SENT, DELIVERED, FAILED, RECEIVED; media is a list of URLs', async () => {
      const contact = contactRow(t.teamId, { name: 'Statuses' });
      const statuses = ['pending', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'received', 'undelivered', 'failed', 'canceled'];
      const scheduledAt = new Date(Date.now() + 3600_000).toISOString();
      sqlBatch(srv.databaseUrl, [contact, ...statuses.map((status, i) => messageRow(t.teamId, contact.id, {
        body: status, status, direction: status === 'received' ? 'inbound' : 'outbound', createdAt: minutesAgo(100 - i),
        media: status === 'received' ? [{ url: 'https://media.example.com/in.jpg', contentType: 'image/jpeg' }] : status === 'sent' ? ['https://media.example.com/out.png'] : [],
        scheduledAt: status === 'scheduled' ? scheduledAt : null,
      }))]);
      const messages = assertJson(await call('viewer', 'GET', `/api/messages/thread/${contact.id}`), 200);
      assert.deepEqual(messages.map((m) => m.status), ['PENDING', 'PENDING', 'PENDING', 'PENDING', 'SENT', 'DELIVERED',
        'DELIVERED', 'RECEIVED', 'FAILED', 'FAILED', 'FAILED']);
      assert.deepEqual(messages.map((m) => m.direction), statuses.map((s) => (s === 'received' ? 'INBOUND' : 'OUTBOUND')));
      const byBody = Object.fromEntries(messages.map((m) => [m.body, m]));
      assert.deepEqual(byBody.received.media, ['https://media.example.com/in.jpg']);
      assert.deepEqual(byBody.sent.media, ['https://media.example.com/out.png']);
      assert.deepEqual(byBody.queued.media, []);
      assert.equal(Date.parse(byBody.scheduled.scheduledAt), Date.parse(scheduledAt));
      assert.equal(byBody.sent.scheduledAt, null);
    });

    test('a contact of another team or no contact → 404 {error:"Contact not found"}; no token → 401', async () => {
      const theirs = await createContact(srv, t.outsider.teamId, t.outsider.token, { name: 'Not Yours', email: 'notyours@example.com' });
      assertError(await call('admin', 'GET', `/api/messages/thread/${theirs}`), 404, 'Contact not found');
      assertError(await call('admin', 'GET', '/api/messages/thread/no-such-contact'), 404, 'Contact not found');
      assertUnauthorized(await call(null, 'GET', `/api/messages/thread/${theirs}`));
    });
  });

  describe('POST /api/messages/send', () => {
    let contactId;
    before(async () => {
      contactId = await createContact(srv, t.teamId, t.editor.token, { name: 'Send Target', email: 'target@example.com', phone: newPhone() });
    });
    const jobOf = (messageId) => selectRows(srv, 'SELECT kind, run_at, status FROM jobs WHERE unique_key = ?', [`send:${messageId}`])[0];
    const stored = (messageId) => selectRows(srv, 'SELECT status, channel, conversation_id, created_by, scheduled_at FROM messages WHERE id = ?', [messageId])[0];

    test('immediate: answers after Twilio took it: {ok, messageId, providerResp:{provider:"twilio", externalId, status}}; stored sent', async () => {
      const res = assertJson(await call('editor', 'POST', '/api/messages/send', { body: { contactId, body: 'Hello from the web app' } }), 200);
      assert.deepEqual(Object.keys(res).sort(), ['messageId', 'ok', 'providerResp']);
      assert.equal(res.ok, true);
      assert.equal(res.providerResp.provider, 'twilio');
      assert.match(res.providerResp.externalId, /^SM[0-9a-f]{32}$/);
      assert.equal(res.providerResp.status, 'queued', "Twilio's status of the new message");
      assert.equal(fake.messages.find((m) => m.sid === res.providerResp.externalId).from, '+15550004000',
        'sent from the TWILIO_SMS_FROM inbox');
      const m = stored(res.messageId);
      assert.equal(m.status, 'sent');
      assert.equal(m.channel, 'sms');
      assert.equal(m.created_by, t.editor.userId);
      assert.ok(m.conversation_id, 'the message went into a conversation');
      const job = jobOf(res.messageId);
      assert.equal(job.kind, 'message.send');
      assert.equal(job.status, 'done');

      const again = assertJson(await call('editor', 'POST', '/api/messages/send', { body: { threadId: contactId, body: 'Second one', channel: 'SMS' } }), 200);
      assert.equal(stored(again.messageId).conversation_id, m.conversation_id, 'the same open conversation');
      const thread = assertJson(await call('viewer', 'GET', `/api/messages/thread/${contactId}`), 200);
      assert.deepEqual(thread.slice(-2).map((x) => [x.body, x.direction, x.status]),
        [['Hello from the web app', 'OUTBOUND', 'SENT'], ['Second one', 'OUTBOUND', 'SENT']]);
    });

    test('WHATSAPP goes to the contact\'s WhatsApp conversation', async () => {
      const res = assertJson(await call('editor', 'POST', '/api/messages/send', { body: { contactId, body: 'On WhatsApp', channel: 'WHATSAPP' } }), 200);
      assert.equal(stored(res.messageId).channel, 'whatsapp');
    });

    test('scheduled: {ok, scheduled:true, messageId}, stored scheduled, the job at scheduleAt; a past time runs now', async () => {
      const scheduleAt = new Date(Date.now() + 86400_000).toISOString();
      const res = assertJson(await call('editor', 'POST', '/api/messages/send', { body: { contactId, body: 'Tomorrow', scheduleAt } }), 200);
      assert.deepEqual(res, { ok: true, scheduled: true, messageId: res.messageId });
      const m = stored(res.messageId);
      assert.equal(m.status, 'scheduled');
      assert.equal(Date.parse(m.scheduled_at), Date.parse(scheduleAt));
      assert.equal(Date.parse(jobOf(res.messageId).run_at), Date.parse(scheduleAt));

      const past = assertJson(await call('editor', 'POST', '/api/messages/send', { body: { contactId, body: 'Overdue', scheduleAt: minutesAgo(5) } }), 200);
      assert.equal(past.scheduled, true);
      assert.ok(Date.parse(jobOf(past.messageId).run_at) >= Date.now() - 60_000, 'runs now, not in the past');
      const blank = assertJson(await call('editor', 'POST', '/api/messages/send', { body: { contactId, body: 'Blank schedule', scheduleAt: '' } }), 200);
      assert.ok(blank.providerResp, 'an empty scheduleAt sends now');
    });

    test('missing or bad fields → 400 {error}; unknown or foreign contact → 404 {error:"Contact not found"}', async () => {
      for (const body of [{}, { body: 'no contact' }, { contactId }, { contactId, body: '' }, { contactId, body: 7 },
        { contactId, body: 'x'.repeat(1601) }, { contactId, body: 'x', channel: 'FAX' }, { contactId, body: 'x', scheduleAt: 'soon' },
        { contactId, body: 'x', scheduleAt: new Date(Date.now() + 400 * 86400_000).toISOString() }]) {
        assertError(await call('editor', 'POST', '/api/messages/send', { body }), 400);
      }
      assertError(await call('editor', 'POST', '/api/messages/send', { raw: '{"contactId":', headers: { 'content-type': 'application/json' } }), 400);
      const theirs = await createContact(srv, t.outsider.teamId, t.outsider.token, { name: 'Foreign', email: 'foreign@example.com' });
      assertError(await call('editor', 'POST', '/api/messages/send', { body: { contactId: theirs, body: 'x' } }), 404, 'Contact not found');
      assertError(await call('editor', 'POST', '/api/messages/send', { body: { threadId: 'no-such', body: 'x' } }), 404, 'Contact not found');
    });

    test('a viewer may not send (403 {error}); an opted-out contact → 409 {error}; no token → 401', async () => {
      assertError(await call('viewer', 'POST', '/api/messages/send', { body: { contactId, body: 'viewer' } }), 403);
      const opted = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Stopped', email: 'stopped@example.com' });
      sql(srv.databaseUrl, 'UPDATE contacts SET opted_out_at = ? WHERE id = ?', [new Date().toISOString(), opted.contactId]);
      assertError(await call('editor', 'POST', '/api/messages/send', { body: { contactId: opted.contactId, body: 'hi' } }), 409);
      assertUnauthorized(await call(null, 'POST', '/api/messages/send', { body: { contactId, body: 'x' } }));
    });
  });

  describe('/api/notes', () => {
    let contactId;
    before(async () => {
      contactId = await createContact(srv, t.teamId, t.editor.token, { name: 'Note Target', email: 'notes@example.com' });
    });

    test('POST {content, contactId} → 201 the note with author {id, name}; GET lists newest first', async () => {
      const first = assertJson(await call('editor', 'POST', '/api/notes', { body: { content: 'First note', contactId } }), 201);
      assert.deepEqual(Object.keys(first).sort(), NOTE_KEYS);
      assert.equal(first.content, 'First note');
      assert.equal(first.contactId, contactId);
      assert.equal(first.isPrivate, false);
      assert.deepEqual(first.author, { id: t.editor.userId, name: 'editor' });
      const loose = assertJson(await call('admin', 'POST', '/api/notes', { body: { content: 'No contact' } }), 201);
      assert.equal(loose.contactId, null);

      const notes = assertJson(await call('viewer', 'GET', '/api/notes'), 200);
      assert.ok(Array.isArray(notes));
      for (const n of notes) assert.deepEqual(Object.keys(n).sort(), NOTE_KEYS);
      assert.deepEqual(notes.slice(0, 2).map((n) => n.id), [loose.id, first.id]);
      const forContact = assertJson(await call('viewer', 'GET', `/api/notes?contactId=${contactId}`), 200);
      assert.deepEqual(forContact.map((n) => n.id), [first.id]);
    });

    test('private notes are listed for their author only; another team\'s notes never', async () => {
      const priv = assertJson(await call('editor', 'POST', '/api/notes', { body: { content: 'Secret', contactId, isPrivate: true } }), 201);
      assert.equal(priv.isPrivate, true);
      assert.ok(assertJson(await call('editor', 'GET', '/api/notes'), 200).some((n) => n.id === priv.id));
      assert.ok(!assertJson(await call('admin', 'GET', '/api/notes'), 200).some((n) => n.id === priv.id));
      const theirs = assertJson(await call('outsider', 'POST', '/api/notes', { body: { content: 'Their note' } }), 201);
      assert.ok(!assertJson(await call('admin', 'GET', '/api/notes'), 200).some((n) => n.id === theirs.id));
    });

    test('bad input → 400 {error}; unknown contact → 404; a viewer may not write (403); no token → 401', async () => {
      for (const body of [{}, { content: '' }, { content: '   ' }, { content: 3 }, { content: 'x'.repeat(10001) }]) {
        assertError(await call('editor', 'POST', '/api/notes', { body }), 400);
      }
      assertError(await call('editor', 'POST', '/api/notes', { body: { content: 'x', contactId: 'no-such' } }), 404, 'Contact not found');
      assertError(await call('viewer', 'POST', '/api/notes', { body: { content: 'x' } }), 403);
      assertUnauthorized(await call(null, 'GET', '/api/notes'));
      assertUnauthorized(await call(null, 'POST', '/api/notes', { body: { content: 'x' } }));
    });
  });
});
