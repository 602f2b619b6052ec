// SPDX-License-Identifier: MIT
// The original backend's auth routes (COMPAT_API.md), as its unchanged frontend calls them:
// shapes, status codes, messages, and no secret ever in a body.

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import jwt from 'jsonwebtoken';

import { api, startServer } from './lib/harness.mjs';

const DEFAULT_TEAM = 'Compat Team';
const PASSWORD = 'correct horse battery';
const SECRETS = /password|hash|twilioAuthToken|authToken|\$2[aby]\$/i;

const unique = (p) => `${p}-${randomBytes(4).toString('hex')}@example.test`;

function assertJson(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/, `JSON, got ${res.headers.get('content-type')}`);
  assert.ok(res.json !== undefined, res.text);
  return res.json;
}

function assertHasKeys(object, keys, what) {
  for (const key of keys) assert.ok(Object.hasOwn(object, key), `${what} has ${key}: ${JSON.stringify(object)}`);
}

function assertTeamRoles(teamRoles, expected) {
  assert.ok(Array.isArray(teamRoles), 'teamRoles is an array');
  assert.equal(teamRoles.length, expected.length, JSON.stringify(teamRoles));
  for (const [i, { name, role }] of expected.entries()) {
    const tr = teamRoles[i];
    assert.equal(typeof tr.teamId, 'string');
    assert.equal(tr.role, role);
    assert.deepEqual(tr.team, { id: tr.teamId, name });
  }
}

describe('compatible auth routes (/api/auth/...)', () => {
  const secret = randomBytes(32).toString('hex');
  let srv;
  let first; // {token, user} of the first sign-up
  const email = unique('first');

  before(async () => {
    srv = await startServer({ jwtSecret: secret, env: { DEFAULT_TEAM_NAME: DEFAULT_TEAM, SIGNUP_MODE: 'open' } });
  });
  after(() => srv?.stop());

  test('POST /api/auth/signup → 201 {token, user} with the original\'s fields and teamRoles [{teamId, role:"ADMIN", team}]', async () => {
    const res = await api(srv.url, 'POST', '/api/auth/signup', { body: { email, password: PASSWORD, name: 'First User' } });
    first = assertJson(res, 201);
    assert.deepEqual(Object.keys(first).sort(), ['token', 'user']);
    assert.equal(typeof first.token, 'string');
    const u = first.user;
    assertHasKeys(u, ['id', 'email', 'name', 'isTwilioVerified', 'twilioAccountSid', 'twilioSmsFrom', 'twilioWhatsappFrom', 'teamRoles'], 'signup user');
    assert.equal(typeof u.id, 'string');
    assert.equal(u.email, email);
    assert.equal(u.name, 'First User');
    assert.equal(u.isTwilioVerified, false);
    assert.equal(u.twilioAccountSid, null);
    assert.equal(u.twilioSmsFrom, null);
    assert.equal(u.twilioWhatsappFrom, null);
    assertTeamRoles(u.teamRoles, [{ name: DEFAULT_TEAM, role: 'ADMIN' }]);
  });

  test('the compatible sign-up body carries no password, hash or Twilio auth token anywhere (raw text)', async () => {
    const res = await api(srv.url, 'POST', '/api/auth/signup', { body: { email: unique('second'), password: PASSWORD, name: 'Second' } });
    assert.equal(res.status, 201, res.text);
    assert.doesNotMatch(res.text, SECRETS);
    assert.ok(!res.text.includes(PASSWORD), 'the password itself is never echoed');
    // In open mode, a later sign-up gets its own team, still as ADMIN.
    assertTeamRoles(res.json.user.teamRoles, [{ name: "Second's Team", role: 'ADMIN' }]);
  });

  test('POST /api/auth/signup with an existing email (any case) → 400 {message:"User already exists"}', async () => {
    for (const e of [email, email.toUpperCase()]) {
      const res = await api(srv.url, 'POST', '/api/auth/signup', { body: { email: e, password: PASSWORD, name: 'Dup' } });
      assert.deepEqual(assertJson(res, 400), { message: 'User already exists' });
    }
  });

  test('POST /api/auth/signup with missing fields → 400 {message} (the original\'s status, not 422)', async () => {
    const res = await api(srv.url, 'POST', '/api/auth/signup', { body: { email: unique('nopass') } });
    const body = assertJson(res, 400);
    assert.deepEqual(Object.keys(body), ['message']);
    assert.equal(typeof body.message, 'string');
    assert.ok(body.message.length > 0);
  });

  test('POST /api/auth/login → 200 {token, user:{id,email,name,isTwilioVerified,twilioNumber,teamRoles}}', async () => {
    const res = await api(srv.url, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } });
    const body = assertJson(res, 200);
    assert.deepEqual(Object.keys(body).sort(), ['token', 'user']);
    assertHasKeys(body.user, ['id', 'email', 'name', 'isTwilioVerified', 'twilioNumber', 'teamRoles'], 'login user');
    assert.equal(body.user.id, first.user.id);
    assert.equal(body.user.email, email);
    assert.equal(body.user.name, 'First User');
    assert.equal(body.user.isTwilioVerified, false);
    assert.equal(body.user.twilioNumber, null);
    assertTeamRoles(body.user.teamRoles, [{ name: DEFAULT_TEAM, role: 'ADMIN' }]);
    assert.doesNotMatch(res.text, SECRETS);
  });

  test('POST /api/auth/login with a wrong password or an unknown email → 400 {message:"Invalid credentials"}', async () => {
    const wrong = await api(srv.url, 'POST', '/api/auth/login', { body: { email, password: 'not the password' } });
    assert.deepEqual(assertJson(wrong, 400), { message: 'Invalid credentials' });
    const unknown = await api(srv.url, 'POST', '/api/auth/login', { body: { email: unique('nobody'), password: PASSWORD } });
    assert.deepEqual(assertJson(unknown, 400), { message: 'Invalid credentials' });
  });

  test('GET /api/auth/session with a token → 200 {user:{..., avatarUrl, twilio fields, teamRoles}}', async () => {
    const res = await api(srv.url, 'GET', '/api/auth/session', { token: first.token });
    const body = assertJson(res, 200);
    assert.deepEqual(Object.keys(body), ['user']);
    const u = body.user;
    assertHasKeys(u, ['id', 'email', 'name', 'avatarUrl', 'isTwilioVerified', 'twilioNumber', 'twilioAccountSid',
      'twilioSmsFrom', 'twilioWhatsappFrom', 'teamRoles'], 'session user');
    assert.equal(u.id, first.user.id);
    assert.equal(u.email, email);
    assert.equal(u.avatarUrl, null);
    assertTeamRoles(u.teamRoles, [{ name: DEFAULT_TEAM, role: 'ADMIN' }]);
    assert.doesNotMatch(res.text, SECRETS);
  });

  test('GET /api/auth/session shows an avatarUrl set through PATCH /api/v1/auth/me', async () => {
    const avatarUrl = 'https://cdn.example.test/first.png';
    const patch = await api(srv.url, 'PATCH', '/api/v1/auth/me', { token: first.token, body: { avatarUrl } });
    assert.equal(patch.status, 200, patch.text);
    const res = await api(srv.url, 'GET', '/api/auth/session', { token: first.token });
    assert.equal(assertJson(res, 200).user.avatarUrl, avatarUrl);
  });

  test('GET /api/auth/session with a bad, forged or expired token → 200 {user:null}', async () => {
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      'garbage',
      'a.b.c',
      jwt.sign({ id: first.user.id, email }, 'another secret that is long enough!!', { expiresIn: '1h' }),
      jwt.sign({ id: first.user.id, email, iat: now - 7200, exp: now - 3600 }, secret),
      jwt.sign({ id: randomUUID(), email: 'ghost@example.test' }, secret, { expiresIn: '1h' }),
    ];
    for (const token of tokens) {
      const res = await api(srv.url, 'GET', '/api/auth/session', { token });
      assert.deepEqual(assertJson(res, 200), { user: null }, `token ${token.slice(0, 20)}…`);
    }
  });

  test('GET /api/auth/session without a token → 200 {user:null}', async () => {
    const res = await api(srv.url, 'GET', '/api/auth/session');
    assert.deepEqual(assertJson(res, 200), { user: null });
  });

  test('the compatible token is an HS256 JWT with {id, email} claims that jsonwebtoken verifies with JWT_SECRET', async () => {
    const claims = jwt.verify(first.token, secret, { algorithms: ['HS256'] });
    assert.equal(claims.id, first.user.id);
    assert.equal(claims.email, email);
    assert.equal(typeof claims.exp, 'number');
    assert.equal(typeof claims.iat, 'number');
    assert.equal(claims.exp - claims.iat, 3600, 'valid 1 hour by default');
    assert.equal(jwt.decode(first.token, { complete: true }).header.alg, 'HS256');
    assert.throws(() => jwt.verify(first.token, 'x'.repeat(64), { algorithms: ['HS256'] }));
  });

  test('a token minted by the original (jsonwebtoken, {id, email}) is accepted by /api/auth/session', async () => {
    const token = jwt.sign({ id: first.user.id, email }, secret, { expiresIn: '1h' });
    const res = await api(srv.url, 'GET', '/api/auth/session', { token });
    assert.equal(assertJson(res, 200).user?.id, first.user.id);
  });

  test('the compatible token works on the v1 API and a v1 access token works on /api/auth/session', async () => {
    const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: first.token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.id, first.user.id);
    const v1 = await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    assert.equal(v1.status, 200, v1.text);
    const session = await api(srv.url, 'GET', '/api/auth/session', { token: v1.json.accessToken });
    assert.equal(assertJson(session, 200).user.id, first.user.id);
  });

  test('a compatible sign-up then a compatible login with the same credentials', async () => {
    const e = unique('roundtrip');
    const up = await api(srv.url, 'POST', '/api/auth/signup', { body: { email: e, password: PASSWORD, name: 'Round Trip' } });
    assert.equal(up.status, 201, up.text);
    const inRes = await api(srv.url, 'POST', '/api/auth/login', { body: { email: e, password: PASSWORD } });
    assert.equal(assertJson(inRes, 200).user.id, up.json.user.id);
  });

  // Someone else becomes admin of the user's only team and removes the user from it.
  async function makeTeamless(user) {
    const e = unique('taker');
    const taker = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email: e, password: PASSWORD, name: 'Taker' } });
    assert.equal(taker.status, 201, taker.text);
    const teamId = user.user.teamRoles[0].teamId;
    const add = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/members`, { token: user.token, body: { email: e, role: 'admin' } });
    assert.equal(add.status, 201, add.text);
    const remove = await api(srv.url, 'DELETE', `/api/v1/teams/${teamId}/members/${user.user.id}`, { token: taker.json.accessToken });
    assert.equal(remove.status, 204, remove.text);
    const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: user.token });
    assert.deepEqual(me.json.user.teams, [], 'no team left');
  }

  test('GET /api/auth/session for a user without a team creates "<name>\'s Team" with the user as ADMIN (as the original)', async () => {
    await makeTeamless(first);
    const res = await api(srv.url, 'GET', '/api/auth/session', { token: first.token });
    const u = assertJson(res, 200).user;
    assertTeamRoles(u.teamRoles, [{ name: "First User's Team", role: 'ADMIN' }]);
    const again = await api(srv.url, 'GET', '/api/auth/session', { token: first.token });
    assert.deepEqual(assertJson(again, 200).user.teamRoles, u.teamRoles, 'only once');
  });

  test('concurrent GET /api/auth/session calls for a user without a team create exactly one team', async () => {
    // The frontend calls the session route on every load, possibly several at once.
    for (let round = 0; round < 4; round++) {
      const e = unique(`teamless${round}`);
      const up = await api(srv.url, 'POST', '/api/auth/signup', { body: { email: e, password: PASSWORD, name: `Teamless ${round}` } });
      assert.equal(up.status, 201, up.text);
      await makeTeamless(up.json);
      const answers = await Promise.all(Array.from({ length: 10 }, () => api(srv.url, 'GET', '/api/auth/session', { token: up.json.token })));
      for (const res of answers) assertJson(res, 200);
      const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: up.json.token });
      assert.deepEqual(me.json.user.teams.map((t) => t.name), [`Teamless ${round}'s Team`], `round ${round}`);
      for (const res of answers) assert.deepEqual(res.json.user.teamRoles.map((r) => r.teamId), me.json.user.teams.map((t) => t.id));
    }
  });

  test('an unknown /api/auth/... route → 404 {error:"not_found"}', async () => {
    const res = await api(srv.url, 'GET', '/api/auth/nothing');
    assert.deepEqual(assertJson(res, 404), { error: 'not_found' });
  });
});

describe('compatible sign-up in the default invite mode', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { DEFAULT_TEAM_NAME: DEFAULT_TEAM, SIGNUP_MODE: undefined } });
  });
  after(() => srv?.stop());

  test('the first compatible sign-up → 201 as ADMIN; a second without an invitation → 403 {message}', async () => {
    const a = await api(srv.url, 'POST', '/api/auth/signup', { body: { email: unique('a'), password: PASSWORD, name: 'A' } });
    assertTeamRoles(assertJson(a, 201).user.teamRoles, [{ name: DEFAULT_TEAM, role: 'ADMIN' }]);
    const b = await api(srv.url, 'POST', '/api/auth/signup', { body: { email: unique('b'), password: PASSWORD, name: 'B' } });
    const body = assertJson(b, 403);
    assert.deepEqual(Object.keys(body), ['message']);
    assert.ok(body.message.length > 0);
  });
});
