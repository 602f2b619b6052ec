// SPDX-License-Identifier: MIT
// The original's per-user Twilio number routes (COMPAT_API.md) against the real binary and the
// fake Twilio (TWILIO_API_BASE): PUT update-twilio-number sets up the user's personal inboxes and
// resets the verification; request-twilio-otp sends a 6-digit code by WhatsApp from the user's
// own account (stored only as an HMAC); verify-twilio-otp refuses wrong, expired and exhausted
// codes and numbers another account verified, and marks the number verified; remove clears it
// all. Errors in the original's {message} shape; never a token in a body.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { api, startServer } from './lib/harness.mjs';
import { startFakeTwilio } from './lib/faketwilio.mjs';
import { sql } from './lib/teamfixture.mjs';

const PASSWORD = 'correct horse battery';
const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const OTHER_SID = `AC${'fedcba9876543210'.repeat(2)}`;
const OTHER_TOKEN = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
const NUMBER = '+14155550101';
const SMS_FROM = '+14155550102';
const WA_FROM = '+14155550103';

const unique = (p) => `${p}-${randomBytes(4).toString('hex')}@example.test`;

function assertMessage(res, status, pattern) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.deepEqual(Object.keys(res.json ?? {}), ['message'], res.text);
  if (pattern) assert.match(res.json.message, pattern);
}

function assertNoSecret(res) {
  assert.ok(!res.text.includes(TOKEN), 'the auth token never comes back');
  assert.ok(!res.text.includes(OTHER_TOKEN), 'the auth token never comes back');
}

describe('compatible Twilio number routes (/api/auth/*-twilio-*)', () => {
  let fake;
  let srv;
  let alice; // {token, id, teamId}
  let bob;

  const call = (who, method, path, body) => api(srv.url, method, path, { token: who.token, body });
  const session = async (who) => (await call(who, 'GET', '/api/auth/session')).json.user;
  // The code of the last WhatsApp message the fake sent to `number`.
  const lastCode = (number) => {
    const sent = fake.messages.filter((m) => m.to === `whatsapp:${number}`);
    assert.ok(sent.length > 0, `a WhatsApp message went to ${number}`);
    const match = /\b(\d{6})\b/.exec(sent.at(-1).body);
    assert.ok(match, `a 6-digit code in "${sent.at(-1).body}"`);
    return match[1];
  };
  const otpRows = (who) => sql(srv.databaseUrl, 'SELECT * FROM twilio_otps WHERE user_id = ?', [who.id]);

  async function signUp(prefix) {
    const res = await api(srv.url, 'POST', '/api/auth/signup', { body: { email: unique(prefix), password: PASSWORD, name: prefix } });
    assert.equal(res.status, 201, res.text);
    return { token: res.json.token, id: res.json.user.id, teamId: res.json.user.teamRoles[0].teamId };
  }

  before(async () => {
    fake = await startFakeTwilio({ accounts: { [SID]: TOKEN, [OTHER_SID]: OTHER_TOKEN } });
    srv = await startServer({ env: { SIGNUP_MODE: 'open', TWILIO_API_BASE: fake.url } });
    alice = await signUp('alice');
    bob = await signUp('bob');
  });
  after(async () => {
    await srv?.stop();
    await fake?.close();
  });

  test('no Bearer token → plain-text 401 on each route', async () => {
    for (const [method, path] of [['PUT', '/api/auth/update-twilio-number'], ['POST', '/api/auth/request-twilio-otp'],
      ['POST', '/api/auth/verify-twilio-otp'], ['POST', '/api/auth/remove-twilio-number']]) {
      const res = await api(srv.url, method, path, { body: {} });
      assert.equal(res.status, 401, `${method} ${path}: ${res.text}`);
      assert.equal(res.text, 'Unauthorized');
    }
  });

  test('a fresh user has no Twilio fields; request-twilio-otp before any set-up → 400 {message}', async () => {
    const user = await session(alice);
    assert.equal(user.isTwilioVerified, false);
    for (const key of ['twilioNumber', 'twilioAccountSid', 'twilioSmsFrom', 'twilioWhatsappFrom']) assert.equal(user[key], null, key);
    assert.equal(user.twilioCredentialsSet, false);
    assertMessage(await call(alice, 'POST', '/api/auth/request-twilio-otp', { twilioNumber: NUMBER }), 400, /twilioWhatsappFrom/);
  });

  test('PUT update-twilio-number with malformed fields → 400 {message} naming the field, nothing stored', async () => {
    for (const body of [{ twilioNumber: '555-0101' }, { twilioAccountSid: 'AC123' }, { twilioAuthToken: 'secret' },
      { twilioSmsFrom: 12 }, { twilioWhatsappFrom: 'whatsapp:0101' }]) {
      const res = await call(alice, 'PUT', '/api/auth/update-twilio-number', body);
      assertMessage(res, 400, new RegExp(Object.keys(body)[0]));
    }
    assert.equal((await session(alice)).twilioNumber, null);
  });

  test('PUT update-twilio-number → 200 {message, user}; the session and the personal inboxes show it, never the token', async () => {
    const res = await call(alice, 'PUT', '/api/auth/update-twilio-number', {
      twilioNumber: NUMBER, twilioAccountSid: SID, twilioAuthToken: TOKEN, twilioSmsFrom: SMS_FROM,
      twilioWhatsappFrom: `whatsapp:${WA_FROM}`,
    });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['message', 'user']);
    assertNoSecret(res);
    for (const user of [res.json.user, await session(alice)]) {
      assert.equal(user.twilioNumber, NUMBER);
      assert.equal(user.twilioAccountSid, SID);
      assert.equal(user.twilioSmsFrom, SMS_FROM);
      assert.equal(user.twilioWhatsappFrom, WA_FROM);
      assert.equal(user.twilioCredentialsSet, true);
      assert.equal(user.isTwilioVerified, false);
    }
    const inboxes = await api(srv.url, 'GET', `/api/v1/teams/${alice.teamId}/inboxes`, { token: alice.token });
    assert.equal(inboxes.status, 200, inboxes.text);
    assertNoSecret(inboxes);
    const mine = inboxes.json.data.filter((i) => i.ownerUserId === alice.id);
    assert.deepEqual(mine.map((i) => [i.channel, i.address]).sort(), [['sms', SMS_FROM], ['whatsapp', `whatsapp:${WA_FROM}`]]);
    for (const inbox of mine) assert.equal(inbox.accountSid, SID);
  });

  test('request-twilio-otp → 200 {message}; the fake got a WhatsApp message with a 6-digit code from the user\'s account; only an HMAC is stored', async () => {
    const before = fake.messages.length;
    const res = await call(alice, 'POST', '/api/auth/request-twilio-otp', { twilioNumber: NUMBER });
    assertMessage(res, 200);
    assert.equal(fake.messages.length, before + 1);
    const sent = fake.messages.at(-1);
    assert.equal(sent.account_sid, SID);
    assert.equal(sent.from, `whatsapp:${WA_FROM}`);
    assert.equal(sent.to, `whatsapp:${NUMBER}`);
    const code = lastCode(NUMBER);
    const request = fake.requests.findLast((r) => r.method === 'POST' && r.path.endsWith('/Messages.json'));
    assert.equal(request.authenticated, true, 'HTTP Basic with the user\'s own credentials');
    const [row] = otpRows(alice);
    assert.equal(row.twilio_number, NUMBER);
    assert.equal(Number(row.attempts), 0);
    assert.match(row.code_hash, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(row).includes(code), 'the code itself is not stored');
  });

  test('verify-twilio-otp: missing fields 400; a wrong code 400 "Invalid code"; another number 400; the right one 200 with isTwilioVerified', async () => {
    assertMessage(await call(alice, 'POST', '/api/auth/verify-twilio-otp', { twilioNumber: NUMBER }), 400, /otp/);
    const code = lastCode(NUMBER);
    const wrong = code === '000000' ? '111111' : '000000';
    assertMessage(await call(alice, 'POST', '/api/auth/verify-twilio-otp', { twilioNumber: NUMBER, otp: wrong }), 400, /^Invalid code$/);
    assertMessage(await call(alice, 'POST', '/api/auth/verify-twilio-otp', { twilioNumber: '+14155550199', otp: code }), 400, /request a new one/);
    const res = await call(alice, 'POST', '/api/auth/verify-twilio-otp', { twilioNumber: NUMBER, otp: code });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['message', 'user']);
    assert.equal(res.json.user.isTwilioVerified, true);
    assert.equal(res.json.user.twilioNumber, NUMBER);
    assert.equal((await session(alice)).isTwilioVerified, true);
    assert.equal((await api(srv.url, 'POST', '/api/auth/login', { body: { email: (await session(alice)).email, password: PASSWORD } })).json.user.isTwilioVerified, true);
    assert.deepEqual(otpRows(alice), [], 'a used code is gone');
    assertMessage(await call(alice, 'POST', '/api/auth/verify-twilio-otp', { twilioNumber: NUMBER, otp: code }), 400, /request a new one/);
  });

  test('a number another account verified is refused: update, request and verify → 400 "This number belongs to another account"', async () => {
    assertMessage(await call(bob, 'PUT', '/api/auth/update-twilio-number', { twilioNumber: NUMBER }), 400, /^This number belongs to another account$/);
    const setUp = await call(bob, 'PUT', '/api/auth/update-twilio-number', {
      twilioAccountSid: OTHER_SID, twilioAuthToken: OTHER_TOKEN, twilioWhatsappFrom: '+14155550201',
    });
    assert.equal(setUp.status, 200, setUp.text);
    assertMessage(await call(bob, 'POST', '/api/auth/request-twilio-otp', { twilioNumber: NUMBER }), 400, /^This number belongs to another account$/);
    assert.equal((await session(bob)).twilioNumber, null);
  });

  test('an expired code (5 minutes; moved into the past in SQL) → 400 and the code is dropped', async () => {
    assertMessage(await call(alice, 'POST', '/api/auth/request-twilio-otp', { twilioNumber: NUMBER }), 200);
    const code = lastCode(NUMBER);
    const [row] = otpRows(alice);
    const ttl = Date.parse(row.expires_at) - Date.now();
    assert.ok(ttl > 290_000 && ttl <= 300_000, `valid 5 minutes, got ${ttl} ms`);
    sql(srv.databaseUrl, 'UPDATE twilio_otps SET expires_at = ? WHERE user_id = ?', ['2000-01-01T00:00:00.000Z', alice.id]);
    assertMessage(await call(alice, 'POST', '/api/auth/verify-twilio-otp', { twilioNumber: NUMBER, otp: code }), 400, /expired/);
    assert.deepEqual(otpRows(alice), []);
  });

  test('five wrong codes use the code up: the sixth try, even right, → 400 "Too many"', async () => {
    assertMessage(await call(alice, 'POST', '/api/auth/request-twilio-otp', { twilioNumber: NUMBER }), 200);
    const code = lastCode(NUMBER);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 5; ++i) {
      const res = await call(alice, 'POST', '/api/auth/verify-twilio-otp', { twilioNumber: NUMBER, otp: wrong });
      assertMessage(res, 400, i < 5 ? /^Invalid code$/ : /Too many/);
    }
    assert.equal(Number(otpRows(alice)[0].attempts), 5);
    assertMessage(await call(alice, 'POST', '/api/auth/verify-twilio-otp', { twilioNumber: NUMBER, otp: code }), 400, /Too many/);
    // A new code starts over.
    assertMessage(await call(alice, 'POST', '/api/auth/request-twilio-otp', { twilioNumber: NUMBER }), 200);
    const fresh = await call(alice, 'POST', '/api/auth/verify-twilio-otp', { twilioNumber: NUMBER, otp: Number(lastCode(NUMBER)) });
    assert.equal(fresh.status, 200, fresh.text);
  });

  test('Twilio refusing the send → 502 {message} naming the failure', async () => {
    fake.failNext(1, 21211, { path: '/Messages.json' });
    const res = await call(alice, 'POST', '/api/auth/request-twilio-otp', { twilioNumber: NUMBER });
    assertMessage(res, 502, /^Could not send the code/);
  });

  test('any change through update-twilio-number resets the verification', async () => {
    assert.equal((await session(alice)).isTwilioVerified, true);
    const res = await call(alice, 'PUT', '/api/auth/update-twilio-number', { twilioSmsFrom: '+14155550104' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.isTwilioVerified, false);
    assert.equal(res.json.user.twilioSmsFrom, '+14155550104');
    assert.equal(res.json.user.twilioNumber, NUMBER);
    assert.equal(res.json.user.twilioCredentialsSet, true, 'the token stays when not sent');
  });

  test('remove-twilio-number → 200 {message, user} with every Twilio field cleared and the personal inboxes gone', async () => {
    const res = await call(alice, 'POST', '/api/auth/remove-twilio-number');
    assert.equal(res.status, 200, res.text);
    for (const user of [res.json.user, await session(alice)]) {
      assert.equal(user.isTwilioVerified, false);
      for (const key of ['twilioNumber', 'twilioAccountSid', 'twilioSmsFrom', 'twilioWhatsappFrom']) assert.equal(user[key], null, key);
      assert.equal(user.twilioCredentialsSet, false);
    }
    const inboxes = await api(srv.url, 'GET', `/api/v1/teams/${alice.teamId}/inboxes`, { token: alice.token });
    assert.deepEqual(inboxes.json.data.filter((i) => i.ownerUserId === alice.id), []);
    // The number is free again for another account.
    const taken = await call(bob, 'PUT', '/api/auth/update-twilio-number', { twilioNumber: NUMBER });
    assert.equal(taken.status, 200, taken.text);
    assert.equal(taken.json.user.twilioNumber, NUMBER);
    assert.equal(taken.json.user.twilioSmsFrom, NUMBER, 'without twilioSmsFrom the SMS inbox is at the number');
  });
});
