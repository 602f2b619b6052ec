// SPDX-License-Identifier: MIT
// Voice end to end against the real binary and the fake Twilio: the incoming-call TwiML rings the
// inbox's agents (checked against twilio-node's own VoiceResponse), unsigned or forged webhooks
// are refused with nothing stored, nobody answering leads to a voicemail whose recording becomes
// one entry in the caller's conversation (with call.updated and message.new), repeated and
// out-of-order callbacks never move a finished call back, and an editor's outbound call posts
// Calls.json and then connects the contact. Roles: viewers read the log, editors call.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import twilio from 'twilio';

import { startFakeTwilio, signedPost, inboundCall, callStatusParams, newSid } from './lib/faketwilio.mjs';
import { api, startServer } from './lib/harness.mjs';
import { allPages, contactWithConversation, eventsOf, openConversation, selectRows } from './lib/inboxfixtures.mjs';
import { assertFieldErrors, assertProblem, setUpTeam } from './lib/teamfixture.mjs';

const { VoiceResponse } = twilio.twiml;

// Twilio signs the URL it was given: a public https URL, wherever the server really listens.
const PUBLIC_URL = 'https://voice.example.test';
const HOOKS = `${PUBLIC_URL}/api/v1/webhooks/twilio/voice`;
const ACCOUNT_SID = `AC${'4a5b6c7d8e9f0a1b'.repeat(2)}`;
const TOKEN = '5f4e3d2c1b0a99887766554433221100';
const INBOX_NUMBER = '+14155550100';
const BARE_NUMBER = '+14155550199'; // a voice inbox without agents
const AGENTS = ['+14155550111', '+14155550122'];

let callerSeed = 4155557000;
const nextCaller = () => `+1${callerSeed++}`;

// ---- a small reader for the TwiML we answer (flat elements, attributes, text) ----

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name) => ENTITIES[name]);

function parseTwiml(text) {
  const root = { name: '#document', children: [] };
  const stack = [root];
  const token = /<\?xml[^>]*\?>|<(\/?)([A-Za-z]+)((?:\s+[A-Za-z]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
  let match;
  let consumed = 0;
  while ((match = token.exec(text))) {
    assert.equal(match.index, consumed, `TwiML parses at ${consumed}: ${text}`);
    consumed = token.lastIndex;
    const [, closing, name, attributes, selfClosing, chars] = match;
    const top = stack.at(-1);
    if (chars !== undefined) {
      top.text = (top.text ?? '') + decode(chars);
    } else if (closing) {
      assert.equal(stack.pop().name, name, `balanced TwiML: ${text}`);
    } else if (name) {
      const element = { name, attrs: {}, children: [] };
      for (const [, key, value] of (attributes ?? '').matchAll(/([A-Za-z]+)="([^"]*)"/g)) element.attrs[key] = decode(value);
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
  }
  assert.equal(consumed, text.length, `the whole answer is TwiML: ${text}`);
  assert.equal(stack.length, 1, `every element closed: ${text}`);
  assert.equal(root.children.length, 1);
  assert.equal(root.children[0].name, 'Response');
  return root.children[0];
}

const names = (element) => element.children.map((child) => child.name);

describe('voice', () => {
  let srv;
  let fake;
  let team;
  let inbox;

  const as = (who, method, path, body) => api(srv.url, method, path, { token: team[who].token, body });

  // POSTs `params` to a public webhook URL (as our TwiML or the inbox gave it), signed by Twilio.
  const twilioPosts = (publicUrl, params, options = {}) => {
    assert.ok(publicUrl.startsWith(PUBLIC_URL), `a URL under PUBLIC_URL: ${publicUrl}`);
    return signedPost(publicUrl.replace(PUBLIC_URL, srv.url), publicUrl, params, options.token ?? TOKEN, options);
  };

  // Like twilioPosts, expecting 200 text/xml; returns the parsed <Response>.
  async function twiml(publicUrl, params) {
    const res = await twilioPosts(publicUrl, params);
    assert.equal(res.status, 200, res.text);
    assert.match(res.contentType ?? '', /^text\/xml\b/);
    return { res, response: parseTwiml(res.text) };
  }

  const callParams = (fields) => inboundCall({ accountSid: ACCOUNT_SID, to: INBOX_NUMBER, ...fields });

  const callRows = (sid) => selectRows(srv, 'SELECT * FROM calls WHERE provider_sid = ?', [sid]);
  const callEvents = (callId) => eventsOf(srv, 'call.updated').filter((e) => e.payload.id === callId);

  async function callById(id) {
    const { items } = await allPages(srv, team.viewer.token, `/api/v1/teams/${team.teamId}/calls`, 200);
    return items.find((c) => c.id === id);
  }

  async function messagesOf(conversationId) {
    const res = await as('viewer', 'GET', `/api/v1/teams/${team.teamId}/conversations/${conversationId}/messages`);
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  }

  // An incoming call answered by our Dial TwiML; returns {params, callSid, call, dial}.
  async function ringingCall(from = nextCaller()) {
    const params = callParams({ from, callSid: newSid('CA') });
    const { response } = await twiml(HOOKS, params);
    const dial = response.children[0];
    assert.equal(dial.name, 'Dial', `dials the agents: ${JSON.stringify(response)}`);
    const [row] = callRows(params.CallSid);
    assert.ok(row, 'the call is logged');
    const call = await callById(row.id);
    return { params, callSid: params.CallSid, call, dial };
  }

  before(async () => {
    fake = await startFakeTwilio({ accounts: { [ACCOUNT_SID]: TOKEN } });
    srv = await startServer({ env: { SIGNUP_MODE: 'open', PUBLIC_URL, TWILIO_API_BASE: fake.url } });
    team = await setUpTeam(srv);
    const res = await as('admin', 'POST', `/api/v1/teams/${team.teamId}/inboxes`, {
      name: 'Phones', channel: 'voice', address: INBOX_NUMBER, accountSid: ACCOUNT_SID, authToken: TOKEN,
      agentNumbers: AGENTS,
    });
    assert.equal(res.status, 201, res.text);
    inbox = res.json;
    assert.equal(inbox.webhooks.voice, HOOKS, 'the inbox shows the URL to paste into Twilio');
  });
  after(async () => {
    await srv?.stop();
    await fake?.close();
  });

  describe('incoming calls', () => {
    test('POST /voice → TwiML that rings every agent (timeout 20, answerOnBridge, action /voice/dial), as twilio-node prints it', async () => {
      const caller = nextCaller();
      const params = callParams({ from: caller, callerName: 'ACME <Corp> & Co' });
      const { res, response } = await twiml(HOOKS, params);
      assert.deepEqual(names(response), ['Dial']);
      const dial = response.children[0];
      assert.deepEqual(dial.attrs, {
        callerId: caller, timeout: '20', action: dial.attrs.action, answerOnBridge: 'true',
      });
      assert.match(dial.attrs.action, new RegExp(`^${HOOKS}/dial\\?callId=[0-9a-f-]{36}$`));
      assert.deepEqual(dial.children.map((n) => [n.name, n.text]), AGENTS.map((a) => ['Number', a]));

      const expected = new VoiceResponse();
      const twilioDial = expected.dial({ callerId: caller, timeout: 20, action: dial.attrs.action, answerOnBridge: true });
      for (const agent of AGENTS) twilioDial.number(agent);
      assert.equal(res.text, expected.toString(), 'byte for byte what twilio-node builds');

      const [row] = callRows(params.CallSid);
      const call = await callById(row.id);
      assert.equal(dial.attrs.action, `${HOOKS}/dial?callId=${call.id}`);
      assert.deepEqual({ ...call, id: undefined, conversationId: undefined, contactId: undefined, createdAt: undefined, updatedAt: undefined }, {
        id: undefined, inboxId: inbox.id, conversationId: undefined, contactId: undefined, callSid: params.CallSid,
        direction: 'inbound', status: 'ringing', from: caller, to: INBOX_NUMBER, agentNumber: null, dialStatus: null,
        durationSeconds: null, voicemail: false, recordingUrl: null, recordingDurationSeconds: null, messageId: null,
        createdBy: null, createdAt: undefined, updatedAt: undefined, endedAt: null,
      });

      // The caller became a contact with an open voice conversation in the inbox.
      const conversation = await as('viewer', 'GET', `/api/v1/teams/${team.teamId}/conversations/${call.conversationId}`);
      assert.equal(conversation.status, 200, conversation.text);
      assert.equal(conversation.json.channel, 'voice');
      assert.equal(conversation.json.inboxId, inbox.id);
      assert.equal(conversation.json.contact.id, call.contactId);
      assert.equal(conversation.json.contact.phone, caller);
      assert.equal(callEvents(call.id).length, 1, 'call.updated when the call was logged');
      assert.deepEqual(callEvents(call.id)[0].payload, { ...call, updatedAt: callEvents(call.id)[0].payload.updatedAt });
    });

    test('the same CallSid again (Twilio retrying) → the same TwiML, still one call', async () => {
      const params = callParams({ from: nextCaller() });
      const first = await twilioPosts(HOOKS, params);
      const again = await Promise.all([1, 2, 3].map(() => twilioPosts(HOOKS, params)));
      for (const res of again) assert.equal(res.text, first.text);
      assert.equal(callRows(params.CallSid).length, 1);
      assert.equal(callEvents(callRows(params.CallSid)[0].id).length, 1);
    });

    test('a bad, missing or foreign signature → 403 problem, nothing stored', async () => {
      const count = (table) => Number(selectRows(srv, `SELECT COUNT(*) AS n FROM ${table}`)[0].n);
      const before = ['calls', 'contacts', 'conversations', 'events'].map(count);
      const params = callParams({ from: nextCaller() });
      for (const options of [{ signature: 'bm9wZQ==' }, { signature: '' }, { token: 'not-the-token' }]) {
        const res = await twilioPosts(HOOKS, params, options);
        assert.equal(res.status, 403, res.text);
        assert.match(res.contentType ?? '', /^application\/problem\+json\b/);
      }
      // Signed for another URL (a replay to a different webhook) fails too.
      const other = await signedPost(`${srv.url}/api/v1/webhooks/twilio/voice/status`, HOOKS, params, TOKEN);
      assert.equal(other.status, 403, other.text);
      assert.deepEqual(['calls', 'contacts', 'conversations', 'events'].map(count), before);
      assert.equal(callRows(params.CallSid).length, 0);
    });

    test('an inbox without agents → straight to voicemail', async () => {
      const res = await as('admin', 'POST', `/api/v1/teams/${team.teamId}/inboxes`, {
        name: 'Bare', channel: 'voice', address: BARE_NUMBER, accountSid: ACCOUNT_SID, authToken: TOKEN,
      });
      assert.equal(res.status, 201, res.text);
      const { response } = await twiml(HOOKS, inboundCall({ accountSid: ACCOUNT_SID, from: nextCaller(), to: BARE_NUMBER }));
      assert.deepEqual(names(response), ['Say', 'Record', 'Hangup']);
      assert.equal(response.children[1].attrs.recordingStatusCallback.split('inboxAddress=')[1], encodeURIComponent(BARE_NUMBER));
    });
  });

  test('a withheld number (Twilio\'s +266696687) rings the agents and is logged without a contact', async () => {
    const params = callParams({ from: '+266696687' });
    const { response } = await twiml(HOOKS, params);
    assert.deepEqual(names(response), ['Dial']);
    assert.equal(response.children[0].attrs.callerId, INBOX_NUMBER, 'the agents see the business line');
    const [row] = callRows(params.CallSid);
    const call = await callById(row.id);
    assert.equal(call.contactId, null);
    assert.equal(call.conversationId, null);
    assert.equal(selectRows(srv, 'SELECT COUNT(*) AS n FROM contacts WHERE phone = ?', ['+266696687'])[0].n, 0);
  });

  describe('nobody answers → voicemail → conversation entry', () => {
    let ring;
    let record;
    let recordingUrl;

    test('the dial action with no-answer → <Say> + <Record> + <Hangup/> as twilio-node prints it', async () => {
      ring = await ringingCall();
      const { res, response } = await twiml(ring.dial.attrs.action, {
        ...ring.params, CallStatus: 'in-progress', DialCallStatus: 'no-answer', DialCallSid: newSid('CA'), DialCallDuration: '0',
      });
      assert.deepEqual(names(response), ['Say', 'Record', 'Hangup']);
      record = response.children[1].attrs;
      assert.equal(record.action, `${HOOKS}/recording?callId=${ring.call.id}`);
      assert.equal(record.recordingStatusCallback,
        `${HOOKS}/recording-status?callId=${ring.call.id}&inboxAddress=${encodeURIComponent(INBOX_NUMBER)}`);
      const expected = new VoiceResponse();
      expected.say(response.children[0].text);
      expected.record({ maxLength: 120, playBeep: true, action: record.action,
        recordingStatusCallback: record.recordingStatusCallback, recordingStatusCallbackEvent: 'completed' });
      expected.hangup();
      assert.equal(res.text, expected.toString());

      const call = await callById(ring.call.id);
      assert.equal(call.dialStatus, 'no-answer');
      assert.equal(call.messageId, null, 'no entry while the caller may still leave a message');
      assert.deepEqual(await messagesOf(ring.call.conversationId), []);
    });

    test('the <Record> action → one "Voicemail (0:42)" entry with the recording, message.new and call.updated', async () => {
      recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${newSid('RE')}`;
      const { response } = await twiml(record.action, {
        ...ring.params, CallStatus: 'in-progress', RecordingUrl: recordingUrl, RecordingDuration: '42',
        RecordingSid: recordingUrl.split('/').at(-1), Digits: 'hangup',
      });
      assert.deepEqual(names(response), ['Hangup']);

      const entries = await messagesOf(ring.call.conversationId);
      assert.equal(entries.length, 1);
      const [entry] = entries;
      assert.equal(entry.channel, 'voice');
      assert.equal(entry.direction, 'inbound');
      assert.equal(entry.status, 'received');
      assert.equal(entry.body, 'Voicemail (0:42)');
      assert.equal(entry.contactId, ring.call.contactId);
      assert.deepEqual(entry.media, [{ url: `${recordingUrl}.mp3`, contentType: 'audio/mpeg' }]);
      const [stored] = selectRows(srv, 'SELECT metadata FROM messages WHERE id = ?', [entry.id]);
      const metadata = typeof stored.metadata === 'string' ? JSON.parse(stored.metadata) : stored.metadata;
      assert.deepEqual(metadata, { callId: ring.call.id, kind: 'voicemail' });

      const call = await callById(ring.call.id);
      assert.equal(call.voicemail, true);
      assert.equal(call.recordingUrl, recordingUrl);
      assert.equal(call.recordingDurationSeconds, 42);
      assert.equal(call.messageId, entry.id);
      assert.deepEqual(eventsOf(srv, 'message.new').filter((e) => e.payload.id === entry.id).map((e) => e.payload), [entry]);
      assert.deepEqual(callEvents(call.id).at(-1).payload, call);

      const conversation = await as('viewer', 'GET', `/api/v1/teams/${team.teamId}/conversations/${ring.call.conversationId}`);
      assert.equal(conversation.json.lastMessagePreview, 'Voicemail (0:42)');
      assert.equal(conversation.json.unreadCount, 1);
    });

    test('the recording status callback (no From/To: the URL names the inbox) and the final status add nothing more', async () => {
      const eventsBefore = eventsOf(srv, 'message.new').length;
      const statusRes = await twilioPosts(record.recordingStatusCallback, {
        AccountSid: ACCOUNT_SID, CallSid: ring.callSid, RecordingSid: recordingUrl.split('/').at(-1), RecordingUrl: recordingUrl,
        RecordingStatus: 'completed', RecordingDuration: '42', RecordingChannels: '1', RecordingSource: 'RecordVerb',
        RecordingStartTime: new Date().toUTCString(), ApiVersion: '2010-04-01',
      });
      assert.equal(statusRes.status, 200, statusRes.text);
      const completed = callStatusParams({ accountSid: ACCOUNT_SID, callSid: ring.callSid, from: ring.params.From,
        to: INBOX_NUMBER, callStatus: 'completed', callDuration: 70, direction: 'inbound', sequenceNumber: 1 });
      for (let i = 0; i < 2; ++i) {
        const res = await twilioPosts(`${HOOKS}/status`, completed);
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(names(parseTwiml(res.text)), []);
      }
      const entries = await messagesOf(ring.call.conversationId);
      assert.deepEqual(entries.map((m) => m.body), ['Voicemail (0:42)']);
      assert.equal(eventsOf(srv, 'message.new').length, eventsBefore);
      const call = await callById(ring.call.id);
      assert.equal(call.status, 'completed');
      assert.equal(call.durationSeconds, 70);
      assert.match(call.endedAt, /^\d{4}-/);
    });
  });

  describe('call states only move forward', () => {
    test('completed first, then late ringing / in-progress / repeats → stays completed; the missed call becomes the voicemail left after all', async () => {
      const ring = await ringingCall();
      const status = (callStatus, sequenceNumber, extra = {}) => twilioPosts(`${HOOKS}/status`, callStatusParams({
        accountSid: ACCOUNT_SID, callSid: ring.callSid, from: ring.params.From, to: INBOX_NUMBER, callStatus,
        sequenceNumber, direction: 'inbound', ...extra,
      }));
      assert.equal((await status('completed', 3, { callDuration: 9 })).status, 200);
      let call = await callById(ring.call.id);
      assert.equal(call.status, 'completed');
      const [missed] = await messagesOf(ring.call.conversationId);
      assert.equal(missed.body, 'Missed call');
      const eventsAfterEnd = callEvents(ring.call.id).length;

      const late = await Promise.all([
        status('ringing', 1), status('in-progress', 2), status('completed', 3, { callDuration: 9 }),
        status('completed', 3, { callDuration: 9 }), status('no-answer', 4),
      ]);
      for (const res of late) assert.equal(res.status, 200, res.text);
      call = await callById(ring.call.id);
      assert.equal(call.status, 'completed');
      assert.equal(call.durationSeconds, 9);
      assert.equal(callEvents(ring.call.id).length, eventsAfterEnd, 'nothing changed, nothing announced');

      // A recording that arrives after the end turns the missed call into the voicemail.
      const url = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${newSid('RE')}`;
      const res = await twilioPosts(`${HOOKS}/recording-status?callId=${ring.call.id}&inboxAddress=${encodeURIComponent(INBOX_NUMBER)}`, {
        AccountSid: ACCOUNT_SID, CallSid: ring.callSid, RecordingUrl: url, RecordingStatus: 'completed', RecordingDuration: '5',
        RecordingSid: url.split('/').at(-1),
      });
      assert.equal(res.status, 200, res.text);
      const entries = await messagesOf(ring.call.conversationId);
      assert.deepEqual(entries.map((m) => [m.id, m.body]), [[missed.id, 'Voicemail (0:05)']]);
      assert.ok(eventsOf(srv, 'message.updated').some((e) => e.payload.id === missed.id && e.payload.body === 'Voicemail (0:05)'));
    });

    test('an agent answers → <Hangup/> after the bridge, a "Call (1:23)" entry', async () => {
      const ring = await ringingCall();
      const { response } = await twiml(ring.dial.attrs.action, {
        ...ring.params, CallStatus: 'in-progress', DialCallStatus: 'completed', DialCallSid: newSid('CA'), DialCallDuration: '83',
      });
      assert.deepEqual(names(response), ['Hangup']);
      const completed = callStatusParams({ accountSid: ACCOUNT_SID, callSid: ring.callSid, from: ring.params.From,
        to: INBOX_NUMBER, callStatus: 'completed', callDuration: 95, direction: 'inbound' });
      assert.equal((await twilioPosts(`${HOOKS}/status`, completed)).status, 200);
      const entries = await messagesOf(ring.call.conversationId);
      assert.deepEqual(entries.map((m) => [m.body, m.media.length]), [['Call (1:23)', 0]]);
      const conversation = await as('viewer', 'GET', `/api/v1/teams/${team.teamId}/conversations/${ring.call.conversationId}`);
      assert.equal(conversation.json.lastMessagePreview, 'Call (1:23)');
      assert.equal(conversation.json.unreadCount, 0, 'an answered call needs no follow-up');
      const call = await callById(ring.call.id);
      assert.equal(call.dialStatus, 'completed');
      assert.equal(call.status, 'completed');
      assert.equal(call.voicemail, false);
    });
  });

  describe('outbound calls', () => {
    let conversationId;
    let contactPhone;

    before(async () => {
      contactPhone = nextCaller();
      // An SMS conversation: the call goes out from the team's voice inbox.
      const made = await contactWithConversation(srv, team.teamId, team.editor.token, { name: 'Callee', phone: contactPhone });
      conversationId = made.conversation.id;
    });

    test('POST …/calls as editor → Calls.json rings the agent first; connect TwiML dials the contact; callbacks finish it', async () => {
      const before = fake.requests.length;
      const res = await as('editor', 'POST', `/api/v1/teams/${team.teamId}/conversations/${conversationId}/calls`, {});
      assert.equal(res.status, 201, res.text);
      const call = res.json;
      assert.equal(call.direction, 'outbound');
      assert.equal(call.status, 'queued');
      assert.equal(call.from, INBOX_NUMBER);
      assert.equal(call.to, contactPhone);
      assert.equal(call.agentNumber, AGENTS[0]);
      assert.equal(call.inboxId, inbox.id);
      assert.equal(call.conversationId, conversationId);
      assert.equal(call.createdBy, team.editor.userId);

      const posts = fake.requests.slice(before).filter((r) => r.method === 'POST' && r.path.endsWith('/Calls.json'));
      assert.equal(posts.length, 1);
      const [request] = posts;
      assert.equal(request.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`);
      assert.equal(request.authenticated, true, 'HTTP Basic with the inbox credentials');
      assert.deepEqual(request.params, {
        To: AGENTS[0], From: INBOX_NUMBER, Url: `${HOOKS}/connect?callId=${call.id}`,
        StatusCallback: `${HOOKS}/status?callId=${call.id}`,
        StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      });
      const created = fake.calls.find((c) => c.to === AGENTS[0] && c.params.Url.includes(call.id));
      assert.equal(call.callSid, created.sid, 'the call carries Twilio\'s sid');

      const leg = { accountSid: ACCOUNT_SID, callSid: created.sid, from: INBOX_NUMBER, to: AGENTS[0] };
      const progress = (callStatus, sequenceNumber, extra) => twilioPosts(request.params.StatusCallback,
        callStatusParams({ ...leg, callStatus, sequenceNumber, ...extra }));
      assert.equal((await progress('ringing', 1)).status, 200);

      // The agent picks up: Twilio fetches the Url and we connect the contact, shown our number.
      const { res: connectRes, response } = await twiml(request.params.Url,
        callStatusParams({ ...leg, callStatus: 'in-progress' }));
      assert.deepEqual(names(response), ['Dial']);
      const dial = response.children[0];
      assert.equal(dial.attrs.callerId, INBOX_NUMBER);
      assert.equal(dial.attrs.answerOnBridge, 'true');
      assert.equal(dial.attrs.action, `${HOOKS}/dial?callId=${call.id}`);
      assert.deepEqual(dial.children.map((n) => [n.name, n.text]), [['Number', contactPhone]]);
      const expected = new VoiceResponse();
      expected.dial({ callerId: INBOX_NUMBER, timeout: Number(dial.attrs.timeout), action: dial.attrs.action, answerOnBridge: true })
        .number(contactPhone);
      assert.equal(connectRes.text, expected.toString());

      const { response: afterDial } = await twiml(dial.attrs.action, {
        ...callStatusParams({ ...leg, callStatus: 'in-progress' }), DialCallStatus: 'completed', DialCallSid: newSid('CA'),
        DialCallDuration: '65',
      });
      assert.deepEqual(names(afterDial), ['Hangup']);
      assert.equal((await progress('completed', 3, { callDuration: 80 })).status, 200);
      assert.equal((await progress('answered', 2)).status, 200, 'a late event changes nothing');

      const done = await callById(call.id);
      assert.equal(done.status, 'completed');
      assert.equal(done.dialStatus, 'completed');
      assert.equal(done.durationSeconds, 80);
      const entries = await messagesOf(conversationId);
      assert.deepEqual(entries.map((m) => [m.body, m.direction, m.channel, m.status, m.createdBy]),
        [['Outbound call (1:05)', 'outbound', 'voice', 'sent', team.editor.userId]]);
      assert.equal(done.messageId, entries[0].id);
    });

    test('agentNumber: another configured agent is rung; a number that is not an agent → 422', async () => {
      const path = `/api/v1/teams/${team.teamId}/conversations/${conversationId}/calls`;
      const res = await as('editor', 'POST', path, { agentNumber: AGENTS[1] });
      assert.equal(res.status, 201, res.text);
      assert.equal(fake.calls.at(-1).to, AGENTS[1]);
      assertFieldErrors(await as('editor', 'POST', path, { agentNumber: '+19005550100' }), 'agentNumber');
      assertFieldErrors(await as('editor', 'POST', path, { agentNumber: '555' }), 'agentNumber');
      assertFieldErrors(await as('editor', 'POST', path, { agent: AGENTS[0] }), 'agent');
    });

    test('Twilio refuses the call → 502 with its error, the call logged as failed', async () => {
      fake.failNext(1, 21211, { path: 'Calls.json' });
      const res = await as('editor', 'POST', `/api/v1/teams/${team.teamId}/conversations/${conversationId}/calls`);
      assertProblem(res, 502, 'twilio-error');
      assert.match(res.json.detail, /21211/);
      const { items } = await allPages(srv, team.viewer.token, `/api/v1/teams/${team.teamId}/calls`, 200);
      const failed = items.find((c) => c.direction === 'outbound' && !c.callSid);
      assert.equal(failed?.status, 'failed');
      assert.match(failed.endedAt, /^\d{4}-/);
    });

    test('roles: a viewer cannot start a call (403), another team sees 404, a team without a voice inbox 409', async () => {
      const path = `/api/v1/teams/${team.teamId}/conversations/${conversationId}/calls`;
      const count = fake.calls.length;
      assertProblem(await as('viewer', 'POST', path, {}), 403);
      assertProblem(await as('outsider', 'POST', path, {}), 404);
      assertProblem(await api(srv.url, 'POST', path, { body: {} }), 401);
      const own = await contactWithConversation(srv, team.outsider.teamId, team.outsider.token, { phone: nextCaller() });
      assertProblem(await api(srv.url, 'POST', `/api/v1/teams/${team.outsider.teamId}/conversations/${own.conversation.id}/calls`,
        { token: team.outsider.token, body: {} }), 409, 'call-not-possible');
      assert.equal(fake.calls.length, count, 'Twilio was never asked');
    });
  });

  test('the Call JSON is the documented one (resources/openapi.json: Call)', async () => {
    const doc = (await api(srv.url, 'GET', '/api/v1/openapi.json')).json;
    const schema = doc.components.schemas.Call;
    const { items } = await allPages(srv, team.viewer.token, `/api/v1/teams/${team.teamId}/calls`, 200);
    assert.ok(items.length > 5);
    for (const call of items) {
      assert.deepEqual(Object.keys(call).sort(), Object.keys(schema.properties).sort());
      assert.deepEqual([...schema.required].sort(), Object.keys(schema.properties).sort());
      for (const [key, value] of Object.entries(call)) {
        const types = [].concat(schema.properties[key].type);
        const type = value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;
        assert.ok(types.includes(type), `${key}: ${type} is one of ${types}`);
      }
      assert.ok(schema.properties.direction.enum.includes(call.direction));
    }
  });

  test('GET /calls: viewers page through the log newest first; other teams 404', async () => {
    const path = `/api/v1/teams/${team.teamId}/calls`;
    const { items, pages } = await allPages(srv, team.viewer.token, path, 2);
    const total = Number(selectRows(srv, 'SELECT COUNT(*) AS n FROM calls WHERE team_id = ?', [team.teamId])[0].n);
    assert.equal(items.length, total);
    assert.ok(pages > 1);
    const keys = items.map((c) => `${c.createdAt}|${c.id}`);
    assert.deepEqual(keys, [...keys].sort().reverse(), 'newest first');
    assert.equal(new Set(items.map((c) => c.id)).size, items.length, 'no call twice');
    assertProblem(await as('outsider', 'GET', path), 404);
    assertProblem(await as('viewer', 'GET', `${path}?cursor=nope`), 422);
  });

  test('openConversation on voice for a caller finds the call\'s conversation', async () => {
    const ring = await ringingCall();
    const res = await openConversation(srv, team.teamId, team.editor.token, { contactId: ring.call.contactId, inboxId: inbox.id });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.id, ring.call.conversationId);
  });
});
