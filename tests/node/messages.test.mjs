// SPDX-License-Identifier: MIT
// Messages end to end against the real binary: sending (queued, or scheduled with sendAt) with
// its delivery job in the same transaction, media URL and body rules, opted-out contacts, the
// newest-first keyset pages of a conversation, events, roles, team isolation and bad input.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { setTimeout as sleep } from 'node:timers/promises';

import { startFakeTwilio } from './lib/faketwilio.mjs';
import { api, startServer, noReadCache } from './lib/harness.mjs';
import { allPages, contactWithConversation, eventsOf, inFuture, openConversation, selectRows, sendMessage } from './lib/inboxfixtures.mjs';
import { assertFieldErrors, assertProblem, setUpTeam, sql } from './lib/teamfixture.mjs';

const MESSAGE_KEYS = ['body', 'channel', 'contactId', 'conversationId', 'createdAt', 'createdBy', 'deliveredAt',
  'direction', 'errorCode', 'errorText', 'id', 'media', 'providerSid', 'scheduledAt', 'sentAt', 'status'];

const TWILIO_ACCOUNT = 'AC' + '6'.repeat(32);
const TWILIO_TOKEN = '6'.repeat(32);

const sameTime = (a, b) => Date.parse(a) === Date.parse(b);

describe('messages (/api/v1/teams/{teamId}/conversations/{id}/messages)', () => {
  let srv;
  let fake;
  let t;
  let c; // { contactId, conversation }
  const path = (conversationId = c.conversation.id, teamId = t.teamId) =>
    `/api/v1/teams/${teamId}/conversations/${conversationId}/messages`;
  const send = (body, who = 'editor', conversationId = c.conversation.id) =>
    sendMessage(srv, t.teamId, t[who].token, conversationId, body);
  const jobOf = (messageId) =>
    selectRows(srv, 'SELECT kind, payload, run_at, status, unique_key, team_id FROM jobs WHERE unique_key = ?', [`send:${messageId}`]);
  const countMessages = (conversationId) =>
    Number(sql(srv.databaseUrl, 'SELECT count(*) AS n FROM messages WHERE conversation_id = ?', [conversationId])[0].n);

  before(async () => {
    fake = await startFakeTwilio({ accounts: { [TWILIO_ACCOUNT]: TWILIO_TOKEN } });
    srv = await startServer({ env: { ...noReadCache, SIGNUP_MODE: 'open', TWILIO_API_BASE: fake.url, TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN, TWILIO_SMS_FROM: '+15550005000' } });
    t = await setUpTeam(srv);
    c = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Mia Message', email: 'mia@example.com', phone: '+14155550199' });
  });
  after(async () => {
    await srv?.stop();
    await fake?.close();
  });

  describe('sending', () => {
    test('POST → 201 queued outbound message, a send job in the database, the conversation touched, message.new', async () => {
      const res = await send({ body: 'Hello there\nsecond line' });
      assert.equal(res.status, 201, res.text);
      const m = res.json;
      assert.deepEqual(Object.keys(m).sort(), MESSAGE_KEYS);
      assert.equal(m.conversationId, c.conversation.id);
      assert.equal(m.contactId, c.contactId);
      assert.equal(m.direction, 'outbound');
      assert.equal(m.channel, 'sms');
      assert.equal(m.body, 'Hello there\nsecond line');
      assert.deepEqual(m.media, []);
      assert.equal(m.status, 'queued');
      assert.equal(m.scheduledAt, null);
      assert.equal(m.sentAt, null);
      assert.equal(m.deliveredAt, null);
      assert.equal(m.errorCode, null);
      assert.equal(m.errorText, null);
      assert.equal(m.createdBy, t.editor.userId);
      assert.match(m.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

      const [job] = jobOf(m.id);
      assert.ok(job, 'a jobs row exists for the message');
      assert.equal(job.kind, 'message.send');
      assert.deepEqual(typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload, { messageId: m.id });
      // The job runner takes it at once: the job may already be running or done.
      assert.ok(['pending', 'running', 'done'].includes(job.status), `job status ${job.status}`);
      assert.equal(job.team_id, t.teamId);
      assert.ok(sameTime(job.run_at, m.createdAt), `run_at ${job.run_at} is the send time ${m.createdAt}`);
      // ... and delivers it through the team's TWILIO_* inbox to the fake Twilio.
      for (let i = 0; i < 200 && jobOf(m.id)[0].status !== 'done'; ++i) await sleep(50);
      assert.equal(jobOf(m.id)[0].status, 'done');
      const delivered = selectRows(srv, 'SELECT status, provider_sid FROM messages WHERE id = ?', [m.id])[0];
      assert.equal(delivered.status, 'sent');
      assert.equal(delivered.provider_sid, fake.messages.find((x) => x.body === 'Hello there\nsecond line').sid);

      const conversation = await api(srv.url, 'GET', `/api/v1/teams/${t.teamId}/conversations/${c.conversation.id}`, { token: t.viewer.token });
      assert.equal(conversation.json.lastMessageAt, m.createdAt);
      assert.equal(conversation.json.lastMessagePreview, 'Hello there second line');

      const event = eventsOf(srv, 'message.new').find((e) => e.payload.id === m.id);
      assert.ok(event, 'message.new recorded');
      assert.equal(event.team_id, t.teamId);
      assert.deepEqual(event.payload, m);
    });

    test('sendAt → scheduled with scheduledAt, and the job runs at sendAt', async () => {
      const sendAt = inFuture(2 * 3600_000);
      const res = await send({ body: 'Later', sendAt });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.status, 'scheduled');
      assert.equal(res.json.scheduledAt, sendAt);
      const [job] = jobOf(res.json.id);
      assert.ok(sameTime(job.run_at, sendAt), `run_at ${job.run_at} = sendAt ${sendAt}`);
      assert.equal(job.status, 'pending');
      const withOffset = await send({ body: 'Offset zone', sendAt: new Date(Date.now() + 3 * 3600_000).toISOString().replace('Z', '+00:00') });
      assert.equal(withOffset.status, 201, withOffset.text);
    });

    test('media: up to 10 http(s) URLs, a body may then be empty; the preview says so', async () => {
      const urls = ['https://cdn.example.com/a.jpg', 'http://cdn.example.com/b.png?size=2'];
      const res = await send({ body: '', mediaUrls: urls });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.json.media, urls.map((url) => ({ url, contentType: null })));
      assert.equal(res.json.body, '');
      const conversation = await api(srv.url, 'GET', `/api/v1/teams/${t.teamId}/conversations/${c.conversation.id}`, { token: t.viewer.token });
      assert.equal(conversation.json.lastMessagePreview, '[2 attachments]');
      const ten = await send({ body: 'ten', mediaUrls: Array.from({ length: 10 }, (_, i) => `https://cdn.example.com/${i}.jpg`) });
      assert.equal(ten.status, 201, ten.text);
      assert.equal(ten.json.media.length, 10);
      const onlyMedia = await send({ mediaUrls: ['https://cdn.example.com/only.jpg'] });
      assert.equal(onlyMedia.status, 201, onlyMedia.text);
    });

    test('body length counts characters: 1,600 pass (emoji too), 1,601 do not', async () => {
      assert.equal((await send({ body: 'x'.repeat(1600) })).status, 201);
      assert.equal((await send({ body: '😀'.repeat(1600) })).status, 201);
      assertFieldErrors(await send({ body: 'x'.repeat(1601) }), 'body');
    });

    test('bad input → 422 naming the field, and nothing stored', async () => {
      const before = countMessages(c.conversation.id);
      const cases = [
        [{}, 'body'],
        [{ body: '' }, 'body'],
        [{ body: '   \n ' }, 'body'],
        [{ body: 42 }, 'body'],
        [{ body: null }, 'body'],
        [{ body: 'x', mediaUrls: 'https://cdn.example.com/a.jpg' }, 'mediaUrls'],
        [{ body: 'x', mediaUrls: Array.from({ length: 11 }, (_, i) => `https://cdn.example.com/${i}.jpg`) }, 'mediaUrls'],
        [{ body: 'x', mediaUrls: ['ftp://cdn.example.com/a.jpg'] }, 'mediaUrls[0]'],
        [{ body: 'x', mediaUrls: ['https://ok.example.com/a.jpg', 'not a url'] }, 'mediaUrls[1]'],
        [{ body: 'x', mediaUrls: [7] }, 'mediaUrls[0]'],
        [{ body: 'x', mediaUrls: [`https://cdn.example.com/${'a'.repeat(2100)}`] }, 'mediaUrls[0]'],
        [{ body: '', mediaUrls: [] }, 'body'],
        [{ body: 'x', sendAt: new Date(Date.now() - 60_000).toISOString() }, 'sendAt'],
        [{ body: 'x', sendAt: inFuture(367 * 86400_000) }, 'sendAt'],
        [{ body: 'x', sendAt: 'next tuesday' }, 'sendAt'],
        [{ body: 'x', sendAt: '2031-01-01T10:00:00' }, 'sendAt'],
        [{ body: 'x', sendAt: 1893456000 }, 'sendAt'],
        [{ body: 'x', priority: 'high' }, 'priority'],
      ];
      for (const [body, field] of cases) assertFieldErrors(await send(body), field);
      assertProblem(await api(srv.url, 'POST', path(), { token: t.editor.token, raw: '{"body":"x"', headers: { 'content-type': 'application/json' } }), 400, 'invalid-json');
      assertProblem(await api(srv.url, 'POST', path(), { token: t.editor.token, raw: 'body=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
      assert.equal(countMessages(c.conversation.id), before);
    });

    test('a contact who opted out → 409 contact-opted-out, with no message and no job written', async () => {
      const opted = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Opted Out', email: 'stop@example.com' });
      sql(srv.databaseUrl, 'UPDATE contacts SET opted_out_at = ? WHERE id = ?', [new Date().toISOString(), opted.contactId]);
      const jobsBefore = Number(sql(srv.databaseUrl, 'SELECT count(*) AS n FROM jobs')[0].n);
      const res = await send({ body: 'Are you there?' }, 'editor', opted.conversation.id);
      assertProblem(res, 409, 'contact-opted-out');
      assertProblem(await send({ body: 'Later?', sendAt: inFuture(3600_000) }, 'editor', opted.conversation.id), 409, 'contact-opted-out');
      assert.equal(countMessages(opted.conversation.id), 0);
      assert.equal(Number(sql(srv.databaseUrl, 'SELECT count(*) AS n FROM jobs')[0].n), jobsBefore);
    });

    test('a voice conversation takes no messages (409); an unknown conversation is 404', async () => {
      const voice = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Caller', email: 'caller@example.com' });
      const call = await openConversation(srv, t.teamId, t.editor.token, { contactId: voice.contactId, channel: 'voice' });
      assert.equal(call.status, 201, call.text);
      assertProblem(await send({ body: 'hi' }, 'editor', call.json.id), 409);
      assertProblem(await send({ body: 'hi' }, 'editor', 'no-such-conversation'), 404, 'not-found');
      assertProblem(await api(srv.url, 'GET', path('no-such-conversation'), { token: t.viewer.token }), 404);
    });

    test('WhatsApp conversations send on whatsapp', async () => {
      const wa = await openConversation(srv, t.teamId, t.editor.token, { contactId: c.contactId, channel: 'whatsapp' });
      const res = await send({ body: 'on whatsapp' }, 'editor', wa.json.id);
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.channel, 'whatsapp');
    });
  });

  describe('reading', () => {
    test('newest first in keyset pages, over several pages, each message once', async () => {
      const fresh = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Long Thread', email: 'long@example.com' });
      const sent = [];
      for (let i = 0; i < 8; i += 1) {
        const res = await send({ body: `message ${i}` }, 'editor', fresh.conversation.id);
        assert.equal(res.status, 201, res.text);
        sent.push(res.json);
      }
      const { items, pages } = await allPages(srv, t.viewer.token, path(fresh.conversation.id), 3);
      assert.equal(pages, 3);
      assert.deepEqual(items.map((m) => m.id), sent.map((m) => m.id).reverse());
      // The same message as sent; only its delivery state may have moved on since (the job runner).
      const delivery = ['status', 'providerSid', 'errorCode', 'errorText', 'sentAt', 'deliveredAt'];
      const without = (m) => Object.fromEntries(Object.entries(m).filter(([k]) => !delivery.includes(k)));
      assert.deepEqual(without(items[0]), without(sent[7]));
      for (let i = 1; i < items.length; i += 1) assert.ok(items[i - 1].createdAt >= items[i].createdAt);
      const first = await api(srv.url, 'GET', `${path(fresh.conversation.id)}?limit=2`, { token: t.viewer.token });
      assert.deepEqual(first.json.data.map((m) => m.body), ['message 7', 'message 6'], 'the latest page comes first');
    });

    test('bad paging → 422', async () => {
      for (const [query, field] of [['limit=201', 'limit'], ['limit=-1', 'limit'], ['cursor=%%%', 'cursor'],
        [`cursor=${Buffer.from(JSON.stringify({ k: 'not-a-time', i: 'x' })).toString('base64url')}`, 'cursor']]) {
        assertFieldErrors(await api(srv.url, 'GET', `${path()}?${query}`, { token: t.viewer.token }), field);
      }
    });
  });

  describe('roles and teams', () => {
    test('a viewer reads but cannot send (403); an admin can send', async () => {
      assert.equal((await api(srv.url, 'GET', path(), { token: t.viewer.token })).status, 200);
      assertProblem(await send({ body: 'viewer here' }, 'viewer'), 403, 'forbidden');
      assert.equal((await send({ body: 'admin here' }, 'admin')).status, 201);
    });

    test('another team → 404 for reading and sending; no token → 401', async () => {
      const o = t.outsider;
      assertProblem(await api(srv.url, 'GET', path(), { token: o.token }), 404);
      assertProblem(await sendMessage(srv, t.teamId, o.token, c.conversation.id, { body: 'x' }), 404);
      // our conversation under the outsider's own team
      assertProblem(await api(srv.url, 'GET', path(c.conversation.id, o.teamId), { token: o.token }), 404);
      assertProblem(await sendMessage(srv, o.teamId, o.token, c.conversation.id, { body: 'x' }), 404);
      assertProblem(await api(srv.url, 'GET', path()), 401);
      assertProblem(await api(srv.url, 'POST', path(), { body: { body: 'x' } }), 401);
    });
  });
});
