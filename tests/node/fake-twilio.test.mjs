// SPDX-License-Identifier: MIT
// The fake Twilio (lib/faketwilio.mjs) speaks Twilio's wire format: the real `twilio` npm client,
// pointed at it, parses its resources, pages and errors (RestException code/status/message), and
// twilio.validateRequest accepts the webhooks it signs. Needs neither our server nor a database.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import twilio from 'twilio';
import {
  inboundCall, inboundSms, signedPost, startFakeTwilio, statusCallback, statusCallbackParams,
} from './lib/faketwilio.mjs';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'fedcba9876543210fedcba9876543210';
const FROM = '+15550001000';
const TO = '+15550002000';

// The real client, talking to the fake instead of https://api.twilio.com.
function clientFor(fake, token = TOKEN, opts = {}) {
  const client = twilio(SID, token, { autoRetry: false, ...opts });
  client.api.baseUrl = fake.url;
  return client;
}

// A server standing in for ours: records the webhooks it gets and answers empty TwiML.
async function startReceiver() {
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      received.push({ path: req.url, headers: req.headers, params: Object.fromEntries(new URLSearchParams(body)) });
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { received, url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

describe('fake Twilio REST, through the real twilio client', () => {
  let fake;
  let client;
  before(async () => {
    fake = await startFakeTwilio({
      accounts: { [SID]: TOKEN },
      apiKeys: { SK0123: { accountSid: SID, secret: 'key-secret' } },
      phoneNumbers: { [SID]: [FROM, { phoneNumber: '+15550003000', friendlyName: 'Support line' }] },
    });
    client = clientFor(fake);
  });
  after(() => fake.close());

  test('messages.create → 201 resource parsed by the client; request recorded with Basic auth', async () => {
    const message = await client.messages.create({
      to: TO, from: FROM, body: 'hello there', statusCallback: 'https://inbox.example.test/cb',
      mediaUrl: ['https://example.test/a.jpg', 'https://example.test/b.png'],
    });
    assert.match(message.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(message.status, 'queued');
    assert.equal(message.accountSid, SID);
    assert.equal(message.to, TO);
    assert.equal(message.from, FROM);
    assert.equal(message.body, 'hello there');
    assert.equal(message.direction, 'outbound-api');
    assert.equal(message.numSegments, '1');
    assert.equal(message.numMedia, '2');
    assert.equal(message.errorCode, null);
    assert.equal(message.apiVersion, '2010-04-01');
    assert.ok(message.dateCreated instanceof Date && !Number.isNaN(message.dateCreated.getTime()));
    assert.equal(message.uri, `/2010-04-01/Accounts/${SID}/Messages/${message.sid}.json`);
    assert.ok(message.subresourceUris.media.endsWith('/Media.json'));

    const request = fake.requests.at(-1);
    assert.equal(request.method, 'POST');
    assert.equal(request.path, `/2010-04-01/Accounts/${SID}/Messages.json`);
    assert.equal(request.account, SID);
    assert.equal(request.authenticated, true);
    assert.deepEqual(request.params.MediaUrl, ['https://example.test/a.jpg', 'https://example.test/b.png']);
    assert.equal(request.params.StatusCallback, 'https://inbox.example.test/cb');
    assert.equal(fake.message(message.sid).status, 'sent'); // the fake "sends" right away
    assert.deepEqual(fake.message(message.sid).params.MediaUrl, request.params.MediaUrl);
  });

  test('raw 201 body: RFC 2822 dates, string counts, null error_code and price', async () => {
    const response = await fetch(`${fake.url}/2010-04-01/Accounts/${SID}/Messages.json`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: `To=${encodeURIComponent(TO)}&MessagingServiceSid=MG0123&Body=a+b%20c`,
    });
    assert.equal(response.status, 201);
    const body = await response.json();
    assert.match(body.date_created, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    assert.equal(body.body, 'a b c');
    assert.equal(body.status, 'accepted'); // with a Messaging Service
    assert.equal(body.messaging_service_sid, 'MG0123');
    assert.equal(body.from, null);
    assert.equal(body.num_segments, '1');
    assert.equal(body.num_media, '0');
    assert.equal(body.error_code, null);
    assert.equal(body.price, null);
    assert.equal(body.date_sent, null);
  });

  test('segments: GSM-7 vs UCS-2', async () => {
    const long = await client.messages.create({ to: TO, from: FROM, body: 'x'.repeat(161) });
    assert.equal(long.numSegments, '2');
    const emoji = await client.messages.create({ to: TO, from: FROM, body: '😀'.repeat(36) });
    assert.equal(emoji.numSegments, '2');
  });

  test('wrong token → RestException 20003 / 401', async () => {
    await assert.rejects(clientFor(fake, 'wrong').messages.create({ to: TO, from: FROM, body: 'x' }), (error) => {
      assert.equal(error.constructor.name, 'RestException');
      assert.equal(error.status, 401);
      assert.equal(error.code, 20003);
      assert.equal(error.moreInfo, 'https://www.twilio.com/docs/errors/20003');
      return true;
    });
    assert.equal(fake.requests.at(-1).authenticated, false);
  });

  test('an API key (SK…:secret) acts for its account', async () => {
    const keyed = twilio('SK0123', 'key-secret', { accountSid: SID, autoRetry: false });
    keyed.api.baseUrl = fake.url;
    assert.equal((await keyed.messages.create({ to: TO, from: FROM, body: 'via key' })).accountSid, SID);
    assert.equal(fake.requests.at(-1).account, 'SK0123');
  });

  test('validation: bad To → 21211, missing Body and media → 21602', async () => {
    await assert.rejects(client.messages.create({ to: '5550002000', from: FROM, body: 'x' }),
      { status: 400, code: 21211, message: "The 'To' number 5550002000 is not a valid phone number." });
    await assert.rejects(client.messages.create({ to: TO, from: FROM, body: '' }), { status: 400, code: 21602 });
    const whatsapp = await client.messages.create({ to: 'whatsapp:+15550002000', from: 'whatsapp:+15550001000', body: 'hi' });
    assert.equal(whatsapp.to, 'whatsapp:+15550002000');
  });

  test('failNext: 21610, 21211, 20003, 500, 429 in order, then success', async () => {
    fake.failNext(1, '21610');
    fake.failNext(1, '21211');
    fake.failNext(1, '20003');
    fake.failNext(1, '500');
    fake.failNext(1, '429');
    const send = () => client.messages.create({ to: TO, from: FROM, body: 'again' });
    await assert.rejects(send(), { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    await assert.rejects(send(), { status: 400, code: 21211 });
    await assert.rejects(send(), { status: 401, code: 20003 });
    await assert.rejects(send(), { status: 500, code: 20500 });
    await assert.rejects(send(), { status: 429, code: 20429 });
    assert.equal((await send()).status, 'queued');
  });

  test("failNext 'timeout' holds the request; {sent: true} stores the message anyway", async () => {
    fake.failNext(1, 'timeout', { sent: true });
    const slow = clientFor(fake, TOKEN, { timeout: 300 });
    const body = `lost answer ${Date.now()}`;
    await assert.rejects(slow.messages.create({ to: TO, from: FROM, body }), (error) => {
      assert.notEqual(error.constructor.name, 'RestException');
      return true;
    });
    // Reconciling: the message was sent although the client never heard back.
    const listed = await client.messages.list({ to: TO, from: FROM, dateSentAfter: new Date(Date.now() - 60_000) });
    assert.ok(listed.some((m) => m.body === body && m.status === 'sent' && m.dateSent instanceof Date));
  });

  test('failNext with a path only hits that route', async () => {
    fake.failNext(1, '500', { path: '/Calls.json' });
    await client.messages.create({ to: TO, from: FROM, body: 'not affected' });
    await assert.rejects(client.calls.create({ to: TO, from: FROM, url: 'https://example.test/twiml' }), { status: 500 });
  });

  test('messages.list filters by To, From and DateSent, newest first; fetch by sid', async () => {
    const other = '+15550009999';
    const first = await client.messages.create({ to: other, from: FROM, body: 'one' });
    const second = await client.messages.create({ to: other, from: FROM, body: 'two' });
    const listed = await client.messages.list({ to: other, from: FROM, dateSentAfter: new Date(Date.now() - 60_000) });
    assert.deepEqual(listed.map((m) => m.sid), [second.sid, first.sid]);
    const today = new Date(fake.message(first.sid).date_sent).toISOString().slice(0, 10);
    assert.equal((await client.messages.list({ to: other, dateSent: today })).length, 2); // a whole day
    assert.equal((await client.messages.list({ to: other, dateSentBefore: new Date(Date.now() - 86_400_000) })).length, 0);
    const raw = await fetch(`${fake.url}/2010-04-01/Accounts/${SID}/Messages.json?To=${encodeURIComponent(other)}&DateSent>=${today}&PageSize=1`, {
      headers: { Authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}` },
    }).then((r) => r.json());
    assert.equal(raw.messages.length, 1);
    assert.equal(raw.page_size, 1);
    assert.equal(raw.page, 0);
    assert.equal(raw.previous_page_uri, null);
    assert.match(raw.next_page_uri, /Page=1/);
    for (const key of ['first_page_uri', 'uri', 'start', 'end']) assert.ok(key in raw, key);
    // The client follows next_page_uri.
    assert.equal((await client.messages.list({ to: other, pageSize: 1 })).length, 2);

    const fetched = await client.messages(first.sid).fetch();
    assert.equal(fetched.body, 'one');
    await assert.rejects(client.messages(`SM${'0'.repeat(32)}`).fetch(), { status: 404, code: 20404 });
  });

  test('calls.create → 201 call resource; StatusCallbackEvent recorded as a list', async () => {
    const call = await client.calls.create({
      to: TO, from: FROM, url: 'https://inbox.example.test/voice', statusCallback: 'https://inbox.example.test/vcb',
      statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'], record: true, timeout: 20,
    });
    assert.match(call.sid, /^CA[0-9a-f]{32}$/);
    assert.equal(call.status, 'queued');
    assert.equal(call.direction, 'outbound-api');
    assert.ok(call.dateCreated instanceof Date);
    const params = fake.calls.at(-1).params;
    assert.deepEqual(params.StatusCallbackEvent, ['initiated', 'ringing', 'answered', 'completed']);
    assert.equal(params.Record, 'true');
    assert.equal(params.Timeout, '20');
    await assert.rejects(client.calls.create({ to: TO, from: FROM }), { status: 400, code: 21205 });
    assert.equal((await client.calls(call.sid).fetch()).to, TO);
  });

  test('incomingPhoneNumbers.list returns the configured numbers', async () => {
    const numbers = await client.incomingPhoneNumbers.list({ limit: 20 });
    assert.deepEqual(numbers.map((n) => n.phoneNumber), [FROM, '+15550003000']);
    assert.equal(numbers[1].friendlyName, 'Support line');
    assert.match(numbers[0].sid, /^PN[0-9a-f]{32}$/);
    assert.equal(numbers[0].capabilities.sms, true);
    assert.equal(fake.requests.at(-1).query.PageSize, '20');
  });

  test('media download: Basic auth required, failFirst 404s, then the bytes; redirect option', async () => {
    const messageSid = `MM${'1'.repeat(32)}`;
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const entry = fake.addMedia(messageSid, `ME${'2'.repeat(32)}`, { contentType: 'image/jpeg', body: bytes, failFirst: 2 });
    const url = fake.mediaUrl(SID, messageSid, `ME${'2'.repeat(32)}`);
    assert.equal(url, `${fake.url}/2010-04-01/Accounts/${SID}/Messages/${messageSid}/Media/ME${'2'.repeat(32)}`);
    const auth = { Authorization: `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}` };
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: auth })).status, 404);
    assert.equal((await fetch(url, { headers: auth })).status, 404);
    const ok = await fetch(url, { headers: auth });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('content-type'), 'image/jpeg');
    assert.deepEqual(Buffer.from(await ok.arrayBuffer()), bytes);
    assert.equal(entry.fetches, 3);

    fake.addMedia(messageSid, `ME${'3'.repeat(32)}`, { contentType: 'image/png', body: 'png', redirect: true });
    const redirected = await fetch(fake.mediaUrl(SID, messageSid, `ME${'3'.repeat(32)}`), { headers: auth, redirect: 'manual' });
    assert.equal(redirected.status, 307);
    const blob = await fetch(redirected.headers.get('location')); // no auth needed on the blob
    assert.equal(await blob.text(), 'png');
  });
});

describe('fake Twilio webhooks', () => {
  const publicUrl = 'https://inbox.example.test/api/webhooks/twilio/sms?inbox=1';
  let receiver;
  before(async () => { receiver = await startReceiver(); });
  after(() => receiver.close());

  test('signedPost signatures validate with twilio.validateRequest (and not with another token)', async () => {
    const params = inboundSms({
      accountSid: SID, from: '+15550004000', to: FROM, body: 'Stop please',
      media: [{ url: 'https://api.twilio.com/x/Media/ME1', contentType: 'image/jpeg' },
        { url: 'https://api.twilio.com/x/Media/ME2', contentType: 'application/pdf' }],
    });
    const answer = await signedPost(`${receiver.url}/api/webhooks/twilio/sms?inbox=1`, publicUrl, params, TOKEN);
    assert.equal(answer.status, 200);
    assert.match(answer.contentType, /text\/xml/);
    const got = receiver.received.at(-1);
    assert.deepEqual(got.params, params);
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
    const signature = got.headers['x-twilio-signature'];
    assert.ok(twilio.validateRequest(TOKEN, signature, publicUrl, got.params));
    assert.ok(twilio.validateRequest(TOKEN, signature, 'https://inbox.example.test:443/api/webhooks/twilio/sms?inbox=1', got.params));
    assert.ok(!twilio.validateRequest('another-token', signature, publicUrl, got.params));
    assert.ok(!twilio.validateRequest(TOKEN, signature, publicUrl, { ...got.params, Body: 'tampered' }));
  });

  test('inboundSms has the params Twilio posts (SMS, MMS, WhatsApp)', () => {
    const sms = inboundSms({ accountSid: SID, from: '+15550004000', to: FROM, body: 'hi', messagingServiceSid: 'MG1' });
    for (const key of ['MessageSid', 'SmsSid', 'SmsMessageSid', 'AccountSid', 'MessagingServiceSid', 'From', 'To',
      'Body', 'NumMedia', 'NumSegments', 'SmsStatus', 'ApiVersion', 'FromCity', 'FromCountry', 'ToZip']) {
      assert.ok(key in sms, key);
    }
    assert.match(sms.MessageSid, /^SM[0-9a-f]{32}$/);
    assert.equal(sms.SmsSid, sms.MessageSid);
    assert.equal(sms.NumMedia, '0');
    assert.equal(sms.SmsStatus, 'received');
    const mms = inboundSms({ accountSid: SID, from: '+15550004000', to: FROM, media: [{ url: 'u0', contentType: 'image/gif' }] });
    assert.match(mms.MessageSid, /^MM/);
    assert.equal(mms.MediaUrl0, 'u0');
    assert.equal(mms.MediaContentType0, 'image/gif');
    const wa = inboundSms({ accountSid: SID, from: 'whatsapp:+15550004000', to: 'whatsapp:+15550001000', body: 'hey', profileName: 'Ana' });
    assert.equal(wa.ProfileName, 'Ana');
    assert.equal(wa.WaId, '15550004000');
    assert.ok(!('FromCity' in wa));
    const call = inboundCall({ accountSid: SID, from: '+15550004000', to: FROM });
    assert.equal(call.Direction, 'inbound');
    assert.match(call.CallSid, /^CA/);
  });

  test('status callbacks out of order and repeated, each signed', async () => {
    const messageSid = `SM${'4'.repeat(32)}`;
    const fields = { accountSid: SID, messageSid, from: FROM, to: TO };
    for (const status of ['delivered', 'sent', 'delivered', 'undelivered']) {
      const answer = await statusCallback(`${receiver.url}/cb`, 'https://inbox.example.test/cb', { ...fields, status }, TOKEN);
      assert.equal(answer.status, 200);
    }
    const got = receiver.received.slice(-4);
    assert.deepEqual(got.map((r) => r.params.MessageStatus), ['delivered', 'sent', 'delivered', 'undelivered']);
    for (const r of got) {
      assert.ok(twilio.validateRequest(TOKEN, r.headers['x-twilio-signature'], 'https://inbox.example.test/cb', r.params));
    }
    assert.match(got[0].params.RawDlrDoneDate, /^\d{10}$/);
    assert.ok(!('ErrorCode' in got[1].params));
    assert.equal(got[3].params.ErrorCode, '30003');
    assert.equal(statusCallbackParams({ ...fields, status: 'failed', errorCode: 30007 }).ErrorCode, 30007);
  });

  test('autoStatus: a send with StatusCallback plays signed sent + delivered callbacks', async () => {
    const fake = await startFakeTwilio({
      accounts: { [SID]: TOKEN },
      autoStatus: true,
      callbackUrl: (url) => url.replace('https://inbox.example.test', receiver.url),
    });
    try {
      const message = await clientFor(fake).messages.create({
        to: TO, from: FROM, body: 'track me', statusCallback: 'https://inbox.example.test/status',
      });
      await fake.idle();
      const got = receiver.received.filter((r) => r.params.MessageSid === message.sid);
      assert.deepEqual(got.map((r) => r.params.MessageStatus), ['sent', 'delivered']);
      for (const r of got) {
        assert.equal(r.path, '/status');
        assert.ok(twilio.validateRequest(TOKEN, r.headers['x-twilio-signature'], 'https://inbox.example.test/status', r.params));
      }
      assert.equal(fake.callbacks.length, 2);
      assert.equal(fake.message(message.sid).status, 'delivered');
    } finally {
      await fake.close();
    }
  });
});

test('the standalone CLI prints its URL, serves the API and stops on SIGTERM', async () => {
  const cli = new URL('../support/fake-twilio.mjs', import.meta.url).pathname;
  const child = spawn(process.execPath, [cli, '--port', '0', '--account', `${SID}:${TOKEN}`, '--number', `${SID}:${FROM}`],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /^listening (\S+)$/m.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`fake-twilio exited with ${code}`)));
  });
  const client = twilio(SID, TOKEN, { autoRetry: false });
  client.api.baseUrl = url;
  assert.deepEqual((await client.incomingPhoneNumbers.list()).map((n) => n.phoneNumber), [FROM]);
  await client.messages.create({ to: TO, from: FROM, body: 'bench' });
  assert.deepEqual(await fetch(`${url}/_fake/stats`).then((r) => r.json()), { requests: 2, messages: 1, calls: 0 });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: 0, signal: null });
});
