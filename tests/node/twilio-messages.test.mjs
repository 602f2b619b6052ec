// SPDX-License-Identifier: MIT
// The Twilio messaging channel end to end, against the real binary and the fake Twilio
// (tests/node/lib/faketwilio.mjs), with webhooks signed by the `twilio` npm package: inbound
// SMS/MMS/WhatsApp, signatures (bad, missing, port variants, Messaging Service lookup), the
// replay storm, opt-out words, outbound delivery with each failure class (permanent, retried,
// unknown outcome reconciled), the compatible immediate send, and status callbacks out of order.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { api, startServer } from './lib/harness.mjs';
import { inboundSms, signedPost, startFakeTwilio, statusCallback } from './lib/faketwilio.mjs';
import { eventsOf, selectRows } from './lib/inboxfixtures.mjs';
import { assertProblem, setUpTeam } from './lib/teamfixture.mjs';

const hex = (n) => randomBytes(n).toString('hex');
const ACCOUNT = 'AC' + hex(16);
const TOKEN = hex(16);
const SERVICE = 'MG' + hex(16);
const OUR_NUMBER = '+1555' + String(1_000_000 + Math.floor(Math.random() * 8_000_000));
const WA_NUMBER = '+1556' + String(1_000_000 + Math.floor(Math.random() * 8_000_000));
const PUBLIC_URL = 'https://inbox.example.test';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

let phoneCounter = 0;
const newPhone = () => `+1415${String(2_000_000 + process.pid % 1000 * 1000 + ++phoneCounter).padStart(7, '0')}`;

async function waitFor(what, check, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('Twilio messaging', () => {
  let srv;
  let fake;
  let t;
  let smsInbox;

  const hook = (path, params, options) =>
    signedPost(`${srv.url}${path}`, `${PUBLIC_URL}${path}`, params, TOKEN, options);
  const inbound = (fields, path = '/api/v1/webhooks/twilio/messages', options) =>
    hook(path, inboundSms({ accountSid: ACCOUNT, to: OUR_NUMBER, ...fields }), options);
  const messagesBySid = (sid) => selectRows(srv, 'SELECT * FROM messages WHERE provider_sid = ?', [sid]);
  const messageRow = (id) => selectRows(srv, 'SELECT * FROM messages WHERE id = ?', [id])[0];
  const contactByPhone = (phone) => selectRows(srv, 'SELECT * FROM contacts WHERE phone = ?', [phone])[0];
  const sendsTo = (phone) => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json')
    && (r.params.To === phone || r.params.To === `whatsapp:${phone}`));
  const v1 = (path, who = 'editor', options = {}) => api(srv.url, options.method ?? 'GET', `/api/v1/teams/${t.teamId}${path}`,
    { token: t[who].token, ...options });

  // A contact who wrote in: their conversation id.
  async function conversationOf(phone) {
    const sid = 'SM' + hex(16);
    const res = await inbound({ from: phone, body: 'hello', messageSid: sid });
    assert.equal(res.status, 200, res.text);
    return messagesBySid(sid)[0].conversation_id;
  }
  const sendV1 = (conversationId, body) =>
    v1(`/conversations/${conversationId}/messages`, 'editor', { method: 'POST', body: { body } });
  const messageOf = async (id) => (await v1(`/conversations/${messageRow(id).conversation_id}/messages?limit=50`)).json.data.find((m) => m.id === id);

  before(async () => {
    fake = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
    srv = await startServer({
      env: { SIGNUP_MODE: 'open', PUBLIC_URL, TWILIO_API_BASE: fake.url },
    });
    t = await setUpTeam(srv);
    const created = await api(srv.url, 'POST', `/api/v1/teams/${t.teamId}/inboxes`, {
      token: t.admin.token,
      body: { name: 'SMS', channel: 'sms', address: OUR_NUMBER, accountSid: ACCOUNT, authToken: TOKEN },
    });
    assert.equal(created.status, 201, created.text);
    smsInbox = created.json;
    const wa = await api(srv.url, 'POST', `/api/v1/teams/${t.teamId}/inboxes`, {
      token: t.admin.token,
      body: { name: 'WhatsApp', channel: 'whatsapp', address: `whatsapp:${WA_NUMBER}`, accountSid: ACCOUNT,
        authToken: TOKEN, messagingServiceSid: SERVICE },
    });
    assert.equal(wa.status, 201, wa.text);
  });
  after(async () => {
    await srv?.stop();
    await fake?.close();
  });

  describe('inbound', () => {
    test('a signed SMS → empty TwiML after the commit; contact, conversation, received message, message.new', async () => {
      const from = newPhone();
      const sid = 'SM' + hex(16);
      const res = await inbound({ from, body: 'Is my order ready?', messageSid: sid });
      assert.equal(res.status, 200, res.text);
      assert.match(res.contentType, /^text\/xml/);
      assert.equal(res.text, EMPTY_TWIML);
      // Answered only after the commit: the row is there the moment the answer is.
      const [row] = messagesBySid(sid);
      assert.ok(row, 'the message is stored');
      assert.equal(row.status, 'received');
      assert.equal(row.direction, 'inbound');
      assert.equal(row.channel, 'sms');
      assert.equal(row.body, 'Is my order ready?');
      assert.equal(row.inbox_id, smsInbox.id);
      assert.equal(row.team_id, t.teamId);
      const contact = contactByPhone(from);
      assert.equal(contact.id, row.contact_id);
      const list = await v1('/conversations?limit=100');
      const conversation = list.json.data.find((c) => c.id === row.conversation_id);
      assert.ok(conversation, 'the conversation is in the team list');
      assert.equal(conversation.unreadCount, 1);
      assert.equal(conversation.status, 'open');
      const events = eventsOf(srv, 'message.new').filter((e) => e.payload.id === row.id);
      assert.equal(events.length, 1);
      assert.equal(events[0].team_id, t.teamId);
      assert.equal(events[0].payload.providerSid, sid);
    });

    test('the original route POST /api/webhooks/twilio takes the same webhook', async () => {
      const sid = 'SM' + hex(16);
      const res = await inbound({ from: newPhone(), body: 'via compat', messageSid: sid }, '/api/webhooks/twilio');
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text, EMPTY_TWIML);
      assert.equal(messagesBySid(sid).length, 1);
    });

    test('a bad or missing signature → 403 and nothing stored', async () => {
      const sid = 'SM' + hex(16);
      const params = inboundSms({ accountSid: ACCOUNT, to: OUR_NUMBER, from: newPhone(), body: 'forged', messageSid: sid });
      const path = '/api/v1/webhooks/twilio/messages';
      const forged = await signedPost(`${srv.url}${path}`, `${PUBLIC_URL}${path}`, params, 'f'.repeat(32));
      assert.equal(forged.status, 403);
      const tampered = await signedPost(`${srv.url}${path}`, `${PUBLIC_URL}${path}`, params, TOKEN,
        { signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' });
      assert.equal(tampered.status, 403);
      const unsigned = await fetch(`${srv.url}${path}`, {
        method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
      });
      assert.equal(unsigned.status, 403);
      // Signed for another URL (the status webhook) and replayed here.
      const elsewhere = await signedPost(`${srv.url}${path}`, `${PUBLIC_URL}/api/v1/webhooks/twilio/status`, params, TOKEN);
      assert.equal(elsewhere.status, 403);
      // A valid signature over different parameters (one added after signing).
      const extra = await signedPost(`${srv.url}${path}`, `${PUBLIC_URL}${path}`, params, TOKEN, {
        signature: (await import('twilio')).default.getExpectedTwilioSignature(TOKEN, `${PUBLIC_URL}${path}`, { ...params, Body: 'other' }),
      });
      assert.equal(extra.status, 403);
      // Unknown account: no inbox to verify against.
      const stranger = await hook(path, inboundSms({ accountSid: 'AC' + hex(16), to: OUR_NUMBER, from: newPhone(), messageSid: sid }));
      assert.equal(stranger.status, 403);
      assert.equal(messagesBySid(sid).length, 0, 'nothing stored');
    });

    test('signed with the default port in the URL (and PUBLIC_URL without it) → accepted', async () => {
      const path = '/api/v1/webhooks/twilio/messages';
      const sid = 'SM' + hex(16);
      const params = inboundSms({ accountSid: ACCOUNT, to: OUR_NUMBER, from: newPhone(), body: 'port', messageSid: sid });
      const res = await signedPost(`${srv.url}${path}`, `https://inbox.example.test:443${path}`, params, TOKEN);
      assert.equal(res.status, 200, res.text);
      assert.equal(messagesBySid(sid).length, 1);
    });

    test('a number inside a Messaging Service: found by MessagingServiceSid although To is not an inbox', async () => {
      const sid = 'SM' + hex(16);
      const from = `whatsapp:${newPhone()}`;
      const res = await hook('/api/v1/webhooks/twilio/messages', inboundSms({
        accountSid: ACCOUNT, messagingServiceSid: SERVICE, to: 'whatsapp:+15550009999', from,
        body: 'via the service', messageSid: sid, profileName: 'Wanda WhatsApp',
      }));
      assert.equal(res.status, 200, res.text);
      const [row] = messagesBySid(sid);
      assert.equal(row.channel, 'whatsapp');
      const contact = contactByPhone(from.replace('whatsapp:', ''));
      assert.equal(contact.name, 'Wanda WhatsApp', 'a new WhatsApp contact is named after ProfileName');
    });

    test('MMS: every media item is stored with its content type', async () => {
      const sid = 'MM' + hex(16);
      const media = [0, 1].map((i) => ({
        url: `${fake.url}/2010-04-01/Accounts/${ACCOUNT}/Messages/${sid}/Media/ME${hex(16)}`,
        contentType: i ? 'image/png' : 'image/jpeg',
      }));
      const res = await inbound({ from: newPhone(), body: '', messageSid: sid, media });
      assert.equal(res.status, 200, res.text);
      const [row] = messagesBySid(sid);
      const stored = typeof row.media === 'string' ? JSON.parse(row.media) : row.media;
      assert.equal(stored.length, 2);
      assert.deepEqual(stored.map((m) => m.url), media.map((m) => m.url));
      assert.deepEqual(stored.map((m) => m.contentType), ['image/jpeg', 'image/png']);
    });

    test('replay storm: the same MessageSid five times at once → one message, five 200s', async () => {
      const sid = 'SM' + hex(16);
      const from = newPhone();
      const results = await Promise.all(Array.from({ length: 5 }, () => inbound({ from, body: 'once', messageSid: sid })));
      for (const res of results) {
        assert.equal(res.status, 200, res.text);
        assert.equal(res.text, EMPTY_TWIML);
      }
      assert.equal(messagesBySid(sid).length, 1);
      assert.equal(selectRows(srv, 'SELECT id FROM contacts WHERE phone = ?', [from]).length, 1, 'one contact');
      const again = await inbound({ from, body: 'once', messageSid: sid });
      assert.equal(again.status, 200);
      assert.equal(messagesBySid(sid).length, 1);
    });

    test('a resolved conversation is reopened by a new inbound message', async () => {
      const phone = newPhone();
      const conversationId = await conversationOf(phone);
      const resolved = await v1(`/conversations/${conversationId}`, 'editor', { method: 'PATCH', body: { status: 'resolved' } });
      assert.equal(resolved.status, 200, resolved.text);
      const sid = 'SM' + hex(16);
      assert.equal((await inbound({ from: phone, body: 'me again', messageSid: sid })).status, 200);
      assert.equal(messagesBySid(sid)[0].conversation_id, conversationId, 'the same conversation continues');
      const after = await v1(`/conversations/${conversationId}`);
      assert.equal(after.json.status, 'open');
    });

    test('missing MessageSid/From on a signed webhook → 400, nothing stored', async () => {
      const res = await hook('/api/v1/webhooks/twilio/messages', { AccountSid: ACCOUNT, To: OUR_NUMBER, Body: 'x' });
      assertProblem({ ...res, json: JSON.parse(res.text), headers: new Headers({ 'content-type': res.contentType }) }, 400);
    });
  });

  describe('opt-out', () => {
    test('STOP (any case, whole body) opts out; sending is refused with 409 before any call to Twilio; START opts back in', async () => {
      const phone = newPhone();
      const conversationId = await conversationOf(phone);
      assert.equal((await inbound({ from: phone, body: 'Stop please' })).status, 200);
      assert.equal(contactByPhone(phone).opted_out_at, null, '"Stop please" is not an opt-out');
      assert.equal((await inbound({ from: phone, body: '  stop ' })).status, 200);
      assert.ok(contactByPhone(phone).opted_out_at, 'opted out');
      const contact = await v1(`/contacts/${contactByPhone(phone).id}`);
      assert.ok(contact.json.optedOutAt, 'the API shows the opt-out');
      assert.ok(eventsOf(srv, 'contact.updated').some((e) => e.payload.contactId === contactByPhone(phone).id
        && e.payload.action === 'opted-out'));

      const refused = await sendV1(conversationId, 'are you there?');
      assertProblem(refused, 409);
      const compat = await api(srv.url, 'POST', '/api/messages/send', { token: t.admin.token,
        body: { contactId: contactByPhone(phone).id, body: 'compat too' } });
      assert.equal(compat.status, 409, compat.text);
      assert.equal(sendsTo(phone).length, 0, 'Twilio was never called');

      assert.equal((await inbound({ from: phone, body: 'START' })).status, 200);
      assert.equal(contactByPhone(phone).opted_out_at, null, 'opted back in');
      const sent = await sendV1(conversationId, 'welcome back');
      assert.equal(sent.status, 201, sent.text);
      await waitFor('the send to reach Twilio', () => sendsTo(phone).length === 1);
    });

    test('OptOutType=STOP from Advanced Opt-Out counts even when the body is another word', async () => {
      const phone = newPhone();
      await conversationOf(phone);
      assert.equal((await inbound({ from: phone, body: 'ARRET', optOutType: 'STOP' })).status, 200);
      assert.ok(contactByPhone(phone).opted_out_at);
    });
  });

  describe('outbound', () => {
    test('a v1 send → Messages.json with From, To, Body, StatusCallback; the message moves queued → sending → sent', async () => {
      const phone = newPhone();
      const conversationId = await conversationOf(phone);
      const res = await sendV1(conversationId, 'Your order is ready');
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.status, 'queued');
      const message = await waitFor('sent', async () => {
        const m = await messageOf(res.json.id);
        return m.status === 'sent' ? m : null;
      });
      const [request] = sendsTo(phone);
      assert.equal(request.account, ACCOUNT, 'Basic auth with the inbox account');
      assert.equal(request.params.From, OUR_NUMBER);
      assert.equal(request.params.Body, 'Your order is ready');
      assert.equal(request.params.StatusCallback, `${PUBLIC_URL}/api/v1/webhooks/twilio/status`);
      assert.equal(message.providerSid, fake.messages.at(-1).sid);
      assert.ok(message.sentAt);
      const updates = eventsOf(srv, 'message.updated').filter((e) => e.payload.id === res.json.id).map((e) => e.payload.status);
      assert.deepEqual(updates, ['sending', 'sent']);
    });

    test('the compatible immediate send answers after the attempt with providerResp {provider, externalId, status}', async () => {
      const phone = newPhone();
      await conversationOf(phone);
      const res = await api(srv.url, 'POST', '/api/messages/send', { token: t.admin.token,
        body: { contactId: contactByPhone(phone).id, body: 'compat send' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.ok, true);
      assert.equal(res.json.providerResp.provider, 'twilio');
      assert.match(res.json.providerResp.externalId, /^SM[0-9a-f]{32}$/);
      assert.equal(res.json.providerResp.status, 'queued');
      assert.equal(messageRow(res.json.messageId).provider_sid, res.json.providerResp.externalId);
      assert.equal(messageRow(res.json.messageId).status, 'sent');
    });

    test('a permanent refusal (21211) fails the message at once with Twilio\'s code and text; the compat send answers 502', async () => {
      const phone = newPhone();
      await conversationOf(phone);
      fake.failNext(1, '21211', { path: 'Messages.json' });
      const res = await api(srv.url, 'POST', '/api/messages/send', { token: t.admin.token,
        body: { contactId: contactByPhone(phone).id, body: 'to a bad number' } });
      assert.equal(res.status, 502, res.text);
      assert.equal(res.json.ok, false);
      assert.match(res.json.error, /21211/);
      const row = messageRow(res.json.messageId);
      assert.equal(row.status, 'failed');
      assert.equal(row.error_code, '21211');
      assert.match(row.error_text, /not a valid phone number|Invalid 'To'/i);
      await sleep(300);
      assert.equal(sendsTo(phone).length, 1, 'not retried');
    });

    for (const [code, status, text] of [['21610', 400, /unsubscribed/i], ['20003', 401, /authenticate/i]]) {
      test(`Twilio's ${code} (HTTP ${status}) is permanent too: failed with that code, never retried`, async () => {
        const phone = newPhone();
        const conversationId = await conversationOf(phone);
        fake.failNext(1, code, { path: 'Messages.json' });
        const res = await sendV1(conversationId, `refused with ${code}`);
        const message = await waitFor('failed', async () => {
          const m = await messageOf(res.json.id);
          return m.status === 'failed' ? m : null;
        });
        assert.equal(message.errorCode, code);
        assert.match(message.errorText, text);
        assert.equal(message.providerSid, null);
        await sleep(300);
        assert.equal(sendsTo(phone).length, 1, 'one attempt');
        const job = selectRows(srv, 'SELECT status, attempts, last_error FROM jobs WHERE unique_key = ?', [`send:${res.json.id}`])[0];
        assert.equal(job.status, 'failed');
        assert.equal(Number(job.attempts), 1);
        assert.match(job.last_error, new RegExp(code));
      });
    }

    test('429 is retried with backoff, then sent once', async () => {
      const phone = newPhone();
      const conversationId = await conversationOf(phone);
      fake.failNext(1, '429', { path: 'Messages.json' });
      const res = await sendV1(conversationId, 'busy at first');
      const started = Date.now();
      const message = await waitFor('sent after a retry', async () => {
        const m = await messageOf(res.json.id);
        return m.status === 'sent' ? m : null;
      });
      assert.ok(message.providerSid);
      const attempts = sendsTo(phone);
      assert.equal(attempts.length, 2, 'one refused, one accepted');
      assert.ok(attempts[1].time - attempts[0].time >= 400, `the retry waited (${attempts[1].time - attempts[0].time} ms)`);
      assert.ok(Date.now() - started < 15_000);
      assert.equal(fake.messages.filter((m) => m.to === phone).length, 1, 'sent once');
    });

    test('a 500 whose message went out anyway is reconciled, not sent twice', async () => {
      const phone = newPhone();
      const conversationId = await conversationOf(phone);
      fake.failNext(1, '500', { path: 'Messages.json', sent: true });
      const res = await sendV1(conversationId, 'unknown outcome');
      const message = await waitFor('sent after reconciliation', async () => {
        const m = await messageOf(res.json.id);
        return m.status === 'sent' ? m : null;
      });
      const posts = sendsTo(phone);
      assert.equal(posts.length, 1, 'one create only');
      assert.ok(fake.requests.some((r) => r.method === 'GET' && r.path.endsWith('/Messages.json') && r.query.To === phone),
        'the retry listed what was sent');
      assert.equal(fake.messages.filter((m) => m.to === phone).length, 1, 'one SMS');
      assert.equal(message.providerSid, fake.messages.find((m) => m.to === phone).sid, 'the sent message was adopted');
    });

    test('WhatsApp sends go through the Messaging Service to whatsapp:+…', async () => {
      const phone = newPhone();
      const sid = 'SM' + hex(16);
      await hook('/api/v1/webhooks/twilio/messages', inboundSms({ accountSid: ACCOUNT, messagingServiceSid: SERVICE,
        to: `whatsapp:${WA_NUMBER}`, from: `whatsapp:${phone}`, body: 'hi', messageSid: sid }));
      const conversationId = messagesBySid(sid)[0].conversation_id;
      const res = await sendV1(conversationId, 'hello on WhatsApp');
      assert.equal(res.status, 201, res.text);
      await waitFor('the WhatsApp send', () => sendsTo(phone).length === 1);
      const [request] = sendsTo(phone);
      assert.equal(request.params.To, `whatsapp:${phone}`);
      assert.equal(request.params.MessagingServiceSid, SERVICE);
      assert.equal(request.params.From, undefined);
    });
  });

  describe('status callbacks', () => {
    async function sentMessage() {
      const phone = newPhone();
      const conversationId = await conversationOf(phone);
      const res = await sendV1(conversationId, 'track me');
      return waitFor('sent', async () => {
        const m = await messageOf(res.json.id);
        return m.status === 'sent' ? { ...m, phone } : null;
      });
    }
    const callback = (m, status, extra = {}) => statusCallback(`${srv.url}/api/v1/webhooks/twilio/status`,
      `${PUBLIC_URL}/api/v1/webhooks/twilio/status`,
      { accountSid: ACCOUNT, messageSid: m.providerSid, status, from: OUR_NUMBER, to: m.phone, ...extra }, TOKEN);

    test('out of order and repeated: delivered sticks; late sent/failed change nothing; each change is one message.updated', async () => {
      const m = await sentMessage();
      assert.equal((await callback(m, 'delivered')).status, 204);
      assert.equal((await callback(m, 'sent')).status, 204);
      assert.equal((await callback(m, 'delivered')).status, 204);
      assert.equal((await callback(m, 'failed')).status, 204);
      const now = await messageOf(m.id);
      assert.equal(now.status, 'delivered');
      assert.ok(now.deliveredAt);
      assert.equal(now.errorCode, null);
      const updates = eventsOf(srv, 'message.updated').filter((e) => e.payload.id === m.id).map((e) => e.payload.status);
      assert.deepEqual(updates, ['sending', 'sent', 'delivered']);
      assert.equal((await callback(m, 'read')).status, 204);
      assert.equal((await messageOf(m.id)).status, 'read', 'delivered may still become read');
    });

    test('undelivered stores Twilio\'s ErrorCode with a readable text', async () => {
      const m = await sentMessage();
      assert.equal((await callback(m, 'undelivered', { errorCode: '30003' })).status, 204);
      const now = await messageOf(m.id);
      assert.equal(now.status, 'undelivered');
      assert.equal(now.errorCode, '30003');
      assert.match(now.errorText, /Unreachable/);
    });

    test('unsigned → 403; an unknown MessageSid is acknowledged and changes nothing', async () => {
      const m = await sentMessage();
      const forged = await signedPost(`${srv.url}/api/v1/webhooks/twilio/status`, `${PUBLIC_URL}/api/v1/webhooks/twilio/status`,
        { MessageSid: m.providerSid, MessageStatus: 'failed', AccountSid: ACCOUNT, From: OUR_NUMBER, To: m.phone }, 'e'.repeat(32));
      assert.equal(forged.status, 403);
      assert.equal((await messageOf(m.id)).status, 'sent');
      const unknown = await callback({ ...m, providerSid: 'SM' + hex(16) }, 'delivered');
      assert.equal(unknown.status, 204);
    });
  });
});
