// SPDX-License-Identifier: MIT
// "Sign in with Google" end to end: the real binary against a local fake Google
// (lib/fakegoogle.mjs) that signs real RS256 ID tokens with its own keys. A headless client
// follows every redirect by hand (fetch with redirect: 'manual'), as a browser would.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { api, startServer, testDb } from './lib/harness.mjs';
import { googleUser, startFakeGoogle } from './lib/fakegoogle.mjs';
import { assertProblem, sql } from './lib/teamfixture.mjs';

const FRONTEND = 'http://app.example.test';
const PASSWORD = 'correct horse battery';

function googleEnv(fake, extra = {}) {
  return {
    GOOGLE_CLIENT_ID: fake.clientId,
    GOOGLE_CLIENT_SECRET: fake.clientSecret,
    GOOGLE_DISCOVERY_URL: fake.discoveryUrl,
    CORS_ORIGIN: FRONTEND,
    ...extra,
  };
}

async function get(url) {
  const res = await fetch(url, { redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), headers: res.headers, text };
}

// The server's callback URL names PUBLIC_URL (http://localhost:<port>); reach it at 127.0.0.1.
function onServer(server, url) {
  const u = new URL(url);
  return `${server.url}${u.pathname}${u.search}`;
}

// Runs a redirect sign-in from `startPath` up to (not including) the callback; returns the
// callback URL on our server and the authorization request Google got.
async function toCallback(server, startPath) {
  const start = await get(`${server.url}${startPath}`);
  assert.equal(start.status, 302, `start answers 302: ${start.text}`);
  const authorize = new URL(start.location);
  const atGoogle = await get(start.location);
  assert.equal(atGoogle.status, 302, `the fake authorization endpoint redirects: ${atGoogle.text}`);
  return { callback: onServer(server, atGoogle.location), authorize };
}

async function redirectSignIn(server, startPath = '/api/auth/google') {
  const { callback, authorize } = await toCallback(server, startPath);
  const done = await get(callback);
  assert.equal(done.status, 302, `the callback redirects: ${done.text}`);
  return { location: done.location, authorize, callback };
}

function fragmentOf(location) {
  return new URLSearchParams(new URL(location).hash.slice(1));
}

function assertLoginError(location, code) {
  const url = new URL(location);
  assert.equal(`${url.origin}${url.pathname}`, `${FRONTEND}/login`, `failure goes to the frontend's login: ${location}`);
  assert.equal(url.searchParams.get('error'), code, location);
}

async function setDisabled(server, email) {
  sql(server.databaseUrl, `UPDATE users SET disabled = ${testDb === 'sqlite' ? 1 : 'true'} WHERE email = '${email}'`);
}

describe(`Google sign-in (${testDb})`, () => {
  let fake;
  let server;

  before(async () => {
    fake = await startFakeGoogle();
    server = await startServer({ env: googleEnv(fake, { SIGNUP_MODE: 'open' }) });
  });
  after(async () => {
    await server?.stop();
    await fake?.close();
  });

  test('compat redirect flow: state + PKCE S256, code exchanged, ${CORS_ORIGIN}/auth?token=', async () => {
    const user = googleUser({ email: `first-${randomBytes(3).toString('hex')}@gmail.example` });
    fake.nextSignIn({ user });
    const { location, authorize } = await redirectSignIn(server);

    // What Google was asked.
    assert.equal(authorize.origin, fake.url);
    const q = authorize.searchParams;
    assert.equal(q.get('client_id'), fake.clientId);
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
    assert.match(q.get('state'), /^[A-Za-z0-9_-]{43,}$/);
    assert.match(q.get('scope'), /openid/);
    assert.match(q.get('scope'), /email/);
    assert.equal(q.get('redirect_uri'), `http://localhost:${server.port}/api/auth/google/callback`);

    // What the token endpoint got: the verifier of that challenge (the fake checked it).
    const exchange = fake.tokenRequests.at(-1);
    assert.equal(exchange.grant_type, 'authorization_code');
    assert.equal(exchange.redirect_uri, q.get('redirect_uri'));
    assert.equal(exchange.client_secret, '***');
    assert.match(exchange.code_verifier, /^[A-Za-z0-9_-]{43,128}$/);

    const url = new URL(location);
    assert.equal(`${url.origin}${url.pathname}`, `${FRONTEND}/auth`, location);
    const token = url.searchParams.get('token');
    assert.equal(token.split('.').length, 3);

    const session = await api(server.url, 'GET', '/api/auth/session', { token });
    assert.equal(session.status, 200);
    assert.equal(session.json.user.email, user.email);
    assert.equal(session.json.user.name, user.name);
    assert.ok(Array.isArray(session.json.user.teamRoles) && session.json.user.teamRoles.length === 1);

    const me = await api(server.url, 'GET', '/api/v1/auth/me', { token });
    assert.equal(me.json.user.googleLinked, true);
    assert.equal(me.json.user.avatarUrl, user.picture);

    // Signing in again finds the same user by its Google subject.
    fake.nextSignIn({ user: { ...user, email: `renamed-${user.email}` } });
    const again = new URL((await redirectSignIn(server)).location).searchParams.get('token');
    const meAgain = await api(server.url, 'GET', '/api/v1/auth/me', { token: again });
    assert.equal(meAgain.json.user.id, me.json.user.id);
  });

  test('v1 redirect flow to a loopback listener hands over access and refresh token', async () => {
    const user = googleUser();
    fake.nextSignIn({ user });
    const redirect = 'http://127.0.0.1:49152/callback?app=desktop';
    const { location } = await redirectSignIn(server, `/api/v1/auth/google/start?redirect=${encodeURIComponent(redirect)}`);
    assert.ok(location.startsWith(`${redirect}#`), location);
    const fragment = fragmentOf(location);
    assert.equal(fragment.get('tokenType'), 'Bearer');
    assert.ok(Number(fragment.get('expiresIn')) > 0);
    const me = await api(server.url, 'GET', '/api/v1/auth/me', { token: fragment.get('token') });
    assert.equal(me.status, 200);
    assert.equal(me.json.user.email, user.email);
    const refreshed = await api(server.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: fragment.get('refreshToken') } });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(refreshed.json.user.id, me.json.user.id);
  });

  test('v1 redirect flow without a target ends at the frontend, tokens in the fragment', async () => {
    fake.nextSignIn({ user: googleUser() });
    const { location } = await redirectSignIn(server, '/api/v1/auth/google/start');
    const url = new URL(location);
    assert.equal(`${url.origin}${url.pathname}`, `${FRONTEND}/auth`);
    assert.equal(url.search, '', 'no token in the query string');
    assert.ok(fragmentOf(location).get('refreshToken'));
  });

  test('v1 start refuses foreign redirect targets and accepts the frontend', async () => {
    for (const bad of ['https://evil.example/cb', 'http://localhost/cb', 'http://user@127.0.0.1:8000/',
      'javascript:alert(1)', 'http://127.0.0.1:8000/#x', `${FRONTEND}.evil.example/auth`]) {
      const res = await api(server.url, 'GET', `/api/v1/auth/google/start?redirect=${encodeURIComponent(bad)}`);
      assertProblem(res, 422);
    }
    const ok = await get(`${server.url}/api/v1/auth/google/start?redirect=${encodeURIComponent(`${FRONTEND}/desk/callback`)}`);
    assert.equal(ok.status, 302);
    assert.ok(ok.location.startsWith(fake.url));
  });

  test('the state is single use: a replayed callback fails, and so does a made-up state', async () => {
    fake.nextSignIn({ user: googleUser() });
    const { callback } = await toCallback(server, '/api/auth/google');
    const first = await get(callback);
    assert.ok(first.location.startsWith(`${FRONTEND}/auth?token=`), first.location);
    const replay = await get(callback);
    assert.equal(replay.status, 302);
    assertLoginError(replay.location, 'google-invalid-state');

    // A state nobody issued (the callback of another browser, or a forged one).
    fake.nextSignIn({ user: googleUser() });
    const { callback: other } = await toCallback(server, '/api/auth/google');
    const forged = new URL(other);
    forged.searchParams.set('state', randomBytes(32).toString('base64url'));
    assertLoginError((await get(forged.toString())).location, 'google-invalid-state');
    const noState = new URL(other);
    noState.searchParams.delete('state');
    assertLoginError((await get(noState.toString())).location, 'google-invalid-state');
    // That code was never exchanged, and its real state still works once.
    assert.ok((await get(other)).location.startsWith(`${FRONTEND}/auth?token=`));
  });

  test('a cancelled sign-in and a refused code end at /login?error=', async () => {
    fake.nextSignIn({ deny: true });
    assertLoginError((await redirectSignIn(server)).location, 'google-denied');

    fake.nextSignIn({ user: googleUser() });
    const { callback } = await toCallback(server, '/api/auth/google');
    const wrongCode = new URL(callback);
    wrongCode.searchParams.set('code', '4/0Anot-a-real-code');
    assertLoginError((await get(wrongCode.toString())).location, 'google-code-rejected');
  });

  test('ID-token flow: POST /api/v1/auth/google answers like the password login', async () => {
    const user = googleUser();
    const first = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.tokenType, 'Bearer');
    assert.equal(first.json.user.email, user.email);
    assert.equal(first.json.user.googleLinked, true);
    assert.ok(first.json.refreshToken.length >= 32);
    const second = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } });
    assert.equal(second.status, 200, second.text);
    assert.equal(second.json.user.id, first.json.user.id);
    const me = await api(server.url, 'GET', '/api/v1/auth/me', { token: second.json.accessToken });
    assert.equal(me.json.user.id, first.json.user.id);

    assertProblem(await api(server.url, 'POST', '/api/v1/auth/google', { body: {} }), 422);
    assertProblem(await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: 'not.a.jwt' } }), 401, 'google-invalid-token');
  });

  test('ID tokens that must be refused: audience, expiry, signature, issuer, future iat', async () => {
    const user = googleUser();
    const cases = {
      'wrong audience': { aud: 'someone-else.apps.googleusercontent.com' },
      expired: { expired: true },
      'bad signature': { badSignature: true },
      'wrong issuer': { iss: 'https://evil.example' },
      'issued in the future': { issuedInFuture: true },
    };
    for (const [name, options] of Object.entries(cases)) {
      const res = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user, options) } });
      assert.equal(res.status, 401, `${name}: ${res.text}`);
      assertProblem(res, 401, 'google-invalid-token');
    }
    // None of them created the account.
    const res = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } });
    assert.equal(res.status, 201);
  });

  test('unverified email is refused, on both flows', async () => {
    const user = googleUser({ email_verified: false });
    assertProblem(await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } }),
      403, 'google-email-unverified');
    fake.nextSignIn({ user });
    assertLoginError((await redirectSignIn(server)).location, 'google-email-unverified');
  });

  test('an unknown kid makes the server fetch the JWKS again (key rotation), rate limited', async () => {
    const user = googleUser();
    assert.equal((await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } })).status, 201);
    const fetchedBefore = fake.counts.jwks;
    await fake.rotateKey();
    const rotated = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } });
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal(fake.counts.jwks, fetchedBefore + 1, 'one refetch for the new kid');
    // Cached now: no fetch for the same kid.
    await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } });
    assert.equal(fake.counts.jwks, fetchedBefore + 1);
    // Made-up kids right after a refetch do not make the server hammer Google.
    for (let i = 0; i < 3; i++) {
      const res = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user, { unknownKid: true }) } });
      assertProblem(res, 401, 'google-invalid-token');
    }
    assert.equal(fake.counts.jwks, fetchedBefore + 1, 'no refetch within the rate limit');
  });

  test('linking by verified email keeps the password; unlinking needs a password', async () => {
    const email = `linked-${randomBytes(3).toString('hex')}@example.test`;
    const signup = await api(server.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, name: 'Ada' } });
    assert.equal(signup.status, 201, signup.text);
    const user = googleUser({ email });
    const linked = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } });
    assert.equal(linked.status, 200, linked.text);
    assert.equal(linked.json.user.id, signup.json.user.id);
    assert.equal(linked.json.user.googleLinked, true);
    assert.equal((await api(server.url, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } })).status, 200);

    // Another Google account with the same address does not take this account over.
    assertProblem(await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(googleUser({ email })) } }),
      409, 'google-account-conflict');

    const unlinked = await api(server.url, 'DELETE', '/api/v1/auth/me/google', { token: linked.json.accessToken });
    assert.equal(unlinked.status, 200, unlinked.text);
    assert.equal(unlinked.json.user.googleLinked, false);
    // Linked again on the next Google sign-in (the email is verified).
    const relinked = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } });
    assert.equal(relinked.json.user.id, signup.json.user.id);

    // A Google-only account cannot unlink until it has a password.
    const only = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(googleUser()) } });
    assertProblem(await api(server.url, 'DELETE', '/api/v1/auth/me/google', { token: only.json.accessToken }),
      409, 'google-unlink-needs-password');
    assertProblem(await api(server.url, 'DELETE', '/api/v1/auth/me/google'), 401);
  });

  test('a disabled user is refused', async () => {
    const user = googleUser();
    const created = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } });
    assert.equal(created.status, 201);
    await setDisabled(server, user.email);
    assertProblem(await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(user) } }),
      403, 'account-disabled');
    fake.nextSignIn({ user });
    assertLoginError((await redirectSignIn(server)).location, 'account-disabled');
  });

  test('a redirect started on one instance finishes on another sharing the database', async () => {
    // Instances behind one load balancer share GOOGLE_CALLBACK_URL; the state lives in the database.
    const callbackUrl = 'http://inbox.example.test/api/auth/google/callback';
    const env = googleEnv(fake, { SIGNUP_MODE: 'open', GOOGLE_CALLBACK_URL: callbackUrl });
    const a = await startServer({ env });
    const b = await startServer({ env, databaseUrl: a.databaseUrl });
    try {
      const user = googleUser();
      fake.nextSignIn({ user });
      const { callback, authorize } = await toCallback(a, '/api/auth/google');
      assert.equal(authorize.searchParams.get('redirect_uri'), callbackUrl);
      const atB = await get(onServer(b, callback));
      assert.ok(atB.location.startsWith(`${FRONTEND}/auth?token=`), atB.location);
      // …and only once, whichever instance the replay reaches.
      assertLoginError((await get(onServer(a, callback))).location, 'google-invalid-state');
    } finally {
      await b.stop();
      await a.stop();
    }
  });

  test('the client secret and tokens never reach the logs', async () => {
    const logs = server.stdout() + server.stderr();
    assert.ok(!logs.includes(fake.clientSecret), 'no client secret in the logs');
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\.eyJ/.test(logs), 'no JWT in the logs');
  });
});

describe(`Google sign-in with SIGNUP_MODE=invite and GOOGLE_ALLOWED_DOMAINS (${testDb})`, () => {
  let fake;
  let server;
  const domain = 'corp.example';

  before(async () => {
    fake = await startFakeGoogle();
    server = await startServer({ env: googleEnv(fake, { SIGNUP_MODE: 'invite', GOOGLE_ALLOWED_DOMAINS: `${domain}, other.example` }) });
  });
  after(async () => {
    await server?.stop();
    await fake?.close();
  });

  test('hosted domain allow-list, then sign-up by invitation only', async () => {
    const outsider = googleUser({ email: 'someone@gmail.example' });
    assertProblem(await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(outsider) } }),
      403, 'google-domain-not-allowed');
    assertProblem(await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken({ ...outsider, hd: 'evil.example' }) } }),
      403, 'google-domain-not-allowed');
    fake.nextSignIn({ user: outsider });
    const refused = await redirectSignIn(server);
    assertLoginError(refused.location, 'google-domain-not-allowed');
    assert.equal(refused.authorize.searchParams.get('hd'), null, 'no hd hint with two domains');

    // The first account of an empty install founds the team, whatever the mode.
    const admin = await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(googleUser({ email: `boss@${domain}`, hd: domain })) } });
    assert.equal(admin.status, 201, admin.text);
    assert.equal(admin.json.user.teams[0].role, 'admin');
    const teamId = admin.json.user.teams[0].teamId ?? admin.json.user.teams[0].id;

    // Anyone else needs an invitation.
    const newcomer = googleUser({ email: `new@${domain}`, hd: domain });
    assertProblem(await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: await fake.idToken(newcomer) } }),
      403, 'signup-invite-only');
    fake.nextSignIn({ user: newcomer });
    assertLoginError((await redirectSignIn(server)).location, 'signup-invite-only');

    const invited = await api(server.url, 'POST', `/api/v1/teams/${teamId}/invitations`,
      { token: admin.json.accessToken, body: { email: newcomer.email, role: 'editor' } });
    assert.equal(invited.status, 201, invited.text);
    fake.nextSignIn({ user: newcomer });
    const joined = new URL((await redirectSignIn(server)).location).searchParams.get('token');
    const me = await api(server.url, 'GET', '/api/v1/auth/me', { token: joined });
    assert.equal(me.json.user.email, newcomer.email);
    assert.equal(me.json.user.teams.length, 1);
    assert.equal(me.json.user.teams[0].role, 'editor');
  });
});

describe(`Google sign-in turned off (${testDb})`, () => {
  let server;
  before(async () => {
    server = await startServer({ env: { CORS_ORIGIN: FRONTEND, GOOGLE_CLIENT_ID: undefined } });
  });
  after(() => server?.stop());

  test('every Google route says so clearly', async () => {
    assertProblem(await api(server.url, 'POST', '/api/v1/auth/google', { body: { idToken: 'x.y.z' } }), 404, 'google-sign-in-off');
    assertProblem(await api(server.url, 'GET', '/api/v1/auth/google/start'), 404, 'google-sign-in-off');
    assertLoginError((await get(`${server.url}/api/auth/google`)).location, 'google-sign-in-off');
    assertLoginError((await get(`${server.url}/api/auth/google/callback?code=a&state=b`)).location, 'google-sign-in-off');
  });
});
