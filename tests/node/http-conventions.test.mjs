// SPDX-License-Identifier: MIT
// HTTP conventions every route shares: error statuses as problem+json, body limits and content
// types, safe headers, request ids, CORS, the operations routes, metrics and login throttling.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { api, startServer } from './lib/harness.mjs';

const ORIGIN = 'http://app.example';
const PASSWORD = 'correct horse battery';

function assertProblem(res, status, type) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json\b/,
    `problem content type, got ${res.headers.get('content-type')}`);
  assert.ok(res.json && typeof res.json === 'object', `problem body is a JSON object: ${res.text}`);
  assert.equal(res.json.status, status, 'problem.status matches the HTTP status');
  for (const key of ['type', 'title', 'detail']) {
    assert.equal(typeof res.json[key], 'string', `problem.${key} is a string`);
    assert.ok(res.json[key].length > 0, `problem.${key} is not empty`);
  }
  if (type) assert.ok(res.json.type.endsWith(type), `problem type ${res.json.type} should end with ${type}`);
  return res.json;
}

function assertSafeHeaders(res, what) {
  const h = res.headers;
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(h.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.ok(h.get('referrer-policy'), `${what}: Referrer-Policy`);
  assert.match(h.get('content-security-policy') ?? '', /default-src 'none'/, `${what}: CSP`);
  assert.match(h.get('x-request-id') ?? '', /^[A-Za-z0-9._-]{8,64}$/, `${what}: X-Request-Id`);
}

const unique = (p) => `${p}-${randomBytes(4).toString('hex')}@example.test`;

describe('HTTP conventions', () => {
  let srv;
  let token;

  before(async () => {
    srv = await startServer({ env: { MAX_BODY_BYTES: '2048', CORS_ORIGIN: ORIGIN, SIGNUP_MODE: 'open' } });
    const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email: unique('owner'), password: PASSWORD, name: 'Owner' } });
    assert.equal(res.status, 201, res.text);
    token = res.json.accessToken;
  });
  after(() => srv?.stop());

  test('an unknown route → 404 problem+json', async () => {
    const res = await api(srv.url, 'GET', '/no/such/route');
    assertProblem(res, 404);
    const v1 = await api(srv.url, 'POST', '/api/v1/nothing-here', { body: {} });
    assertProblem(v1, 404);
  });

  test('an unknown /api/... route (the compatible surface) → 404 {error:"not_found"}', async () => {
    const res = await api(srv.url, 'GET', '/api/whatever');
    assert.equal(res.status, 404, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
    assert.deepEqual(res.json, { error: 'not_found' });
  });

  test('a known route with the wrong method → 405 problem with an Allow header', async () => {
    const res = await api(srv.url, 'DELETE', '/healthz');
    assertProblem(res, 405);
    assert.match(res.headers.get('allow') ?? '', /\bGET\b/);
    const login = await api(srv.url, 'GET', '/api/v1/auth/login');
    assertProblem(login, 405);
    assert.match(login.headers.get('allow') ?? '', /\bPOST\b/);
    assert.doesNotMatch(login.headers.get('allow') ?? '', /\bDELETE\b/);
  });

  test('a body over MAX_BODY_BYTES → 413 problem', async () => {
    const body = { email: unique('big'), password: PASSWORD, name: 'x'.repeat(4096) };
    const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body });
    assertProblem(res, 413);
    // Just under the limit is parsed normally (here: a validation error, not 413).
    const small = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email: 'bad', password: PASSWORD, pad: 'y'.repeat(1500) } });
    assertProblem(small, 422);
  });

  test('a text/plain body on a JSON route → 415 problem', async () => {
    const res = await api(srv.url, 'POST', '/api/v1/auth/login', {
      raw: JSON.stringify({ email: 'a@example.test', password: PASSWORD }),
      headers: { 'content-type': 'text/plain' },
    });
    assertProblem(res, 415);
  });

  test('application/json with a charset parameter is accepted as JSON', async () => {
    const res = await api(srv.url, 'POST', '/api/v1/auth/login', {
      raw: JSON.stringify({ email: unique('nobody'), password: 'whatever12' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assertProblem(res, 401);
  });

  test('invalid JSON (or JSON that is not an object) → 400 problem', async () => {
    const res = await api(srv.url, 'POST', '/api/v1/auth/login', {
      raw: '{"email": "a@example.test", "password": ', headers: { 'content-type': 'application/json' },
    });
    assertProblem(res, 400);
    const array = await api(srv.url, 'POST', '/api/v1/auth/login', {
      raw: '["a@example.test"]', headers: { 'content-type': 'application/json' },
    });
    assertProblem(array, 400);
  });

  test('a bad sign-up → 422 with every field error in one answer', async () => {
    const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email: 'not-an-email', password: 'short', name: 42 } });
    const problem = assertProblem(res, 422);
    assert.ok(Array.isArray(problem.errors), res.text);
    const fields = problem.errors.map((e) => e.field).sort();
    assert.deepEqual(fields, ['email', 'name', 'password']);
    for (const e of problem.errors) {
      assert.equal(typeof e.message, 'string');
      assert.ok(e.message.length > 0);
    }
    const empty = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: {} });
    assert.deepEqual(assertProblem(empty, 422).errors.map((e) => e.field).sort(), ['email', 'password']);
  });

  test('safe headers and an X-Request-Id on every response (200, 201, 204, 401, 404, 405, 413, 415, 422, metrics)', async () => {
    const responses = {
      healthz: await api(srv.url, 'GET', '/healthz'),
      root: await api(srv.url, 'GET', '/'),
      me: await api(srv.url, 'GET', '/api/v1/auth/me', { token }),
      noToken: await api(srv.url, 'GET', '/api/v1/auth/me'),
      missing: await api(srv.url, 'GET', '/nope'),
      compatMissing: await api(srv.url, 'GET', '/api/nope'),
      method: await api(srv.url, 'PUT', '/healthz'),
      tooBig: await api(srv.url, 'POST', '/api/v1/auth/login', { raw: 'x'.repeat(5000), headers: { 'content-type': 'application/json' } }),
      mediaType: await api(srv.url, 'POST', '/api/v1/auth/login', { raw: 'x', headers: { 'content-type': 'text/plain' } }),
      invalid: await api(srv.url, 'POST', '/api/v1/auth/login', { body: {} }),
      logout: await api(srv.url, 'POST', '/api/v1/auth/logout', { body: { refreshToken: 'nope' } }),
      metrics: await api(srv.url, 'GET', '/metrics'),
      preflight: await api(srv.url, 'OPTIONS', '/api/v1/auth/login', { headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } }),
    };
    for (const [what, res] of Object.entries(responses)) assertSafeHeaders(res, what);
    const ids = new Set(Object.values(responses).map((r) => r.headers.get('x-request-id')));
    assert.equal(ids.size, Object.keys(responses).length, 'every response has its own request id');
  });

  test('a client X-Request-Id is echoed; an unsafe one is replaced', async () => {
    const mine = 'client-req_42.abc';
    const res = await api(srv.url, 'GET', '/healthz', { headers: { 'x-request-id': mine } });
    assert.equal(res.headers.get('x-request-id'), mine);
    const err = await api(srv.url, 'GET', '/nope', { headers: { 'x-request-id': mine } });
    assert.equal(err.headers.get('x-request-id'), mine, 'echoed on errors too');
    const long = 'a'.repeat(200);
    const replaced = await api(srv.url, 'GET', '/healthz', { headers: { 'x-request-id': long } });
    assert.notEqual(replaced.headers.get('x-request-id'), long);
    assertSafeHeaders(replaced, 'replaced id');
  });

  test('CORS preflight from CORS_ORIGIN → 204 allowing Authorization and Content-Type', async () => {
    const res = await api(srv.url, 'OPTIONS', '/api/v1/auth/login', {
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    const allowHeaders = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    assert.match(allowHeaders, /\bauthorization\b/);
    assert.match(allowHeaders, /\bcontent-type\b/);
    const methods = res.headers.get('access-control-allow-methods') ?? '';
    for (const m of ['GET', 'POST', 'PUT', 'DELETE']) assert.match(methods, new RegExp(`\\b${m}\\b`));
    // Preflights of the compatible surface too (the frontend calls /api/auth/...).
    const compat = await api(srv.url, 'OPTIONS', '/api/auth/session', {
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(compat.status, 204);
    assert.equal(compat.headers.get('access-control-allow-origin'), ORIGIN);
  });

  test('CORS: an actual request from CORS_ORIGIN gets Access-Control-Allow-Origin and Vary: Origin', async () => {
    const res = await api(srv.url, 'GET', '/api/v1/auth/me', { token, headers: { origin: ORIGIN } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(res.headers.get('vary') ?? '', /\bOrigin\b/i);
  });

  test('CORS: another origin gets no Access-Control-Allow-* at all', async () => {
    const pre = await api(srv.url, 'OPTIONS', '/api/v1/auth/login', {
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
    assert.equal(pre.headers.get('access-control-allow-headers'), null);
    assert.equal(pre.headers.get('access-control-allow-methods'), null);
    const get = await api(srv.url, 'GET', '/healthz', { headers: { origin: 'http://evil.example' } });
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('access-control-allow-origin'), null);
    const prefix = await api(srv.url, 'GET', '/healthz', { headers: { origin: `${ORIGIN}.evil.example` } });
    assert.equal(prefix.headers.get('access-control-allow-origin'), null, 'no prefix matching of origins');
  });

  test('GET /healthz → 200 {status:"ok"}', async () => {
    const res = await api(srv.url, 'GET', '/healthz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: 'ok' });
  });

  test('GET /readyz → 200 (database reachable, migrations applied)', async () => {
    const res = await api(srv.url, 'GET', '/readyz');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'ready');
  });

  test('GET / → 200 {status:"ok", database:"connected", timestamp}', async () => {
    const res = await api(srv.url, 'GET', '/');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['database', 'status', 'timestamp']);
    assert.equal(res.json.status, 'ok');
    assert.equal(res.json.database, 'connected');
    const t = Date.parse(res.json.timestamp);
    assert.ok(Number.isFinite(t), `timestamp is ISO-8601: ${res.json.timestamp}`);
    assert.ok(Math.abs(Date.now() - t) < 60_000, 'timestamp is now');
  });

  test('GET /metrics → Prometheus text with request counts by route, duration buckets and open connections', async () => {
    for (let i = 0; i < 3; i++) await api(srv.url, 'GET', '/healthz');
    const teamId = `team-${randomBytes(6).toString('hex')}`;
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamId}/members`, { token }), 404);
    await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email: unique('nobody'), password: 'whatever1' } });
    const res = await api(srv.url, 'GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain\b/);
    const text = res.text;
    assert.match(text, /^# TYPE inbox_http_requests_total counter$/m);
    const healthz = text.split('\n').find((l) => l.startsWith('inbox_http_requests_total{') && l.includes('route="/healthz"') && l.includes('status="200"'));
    assert.ok(healthz, 'a counter line for /healthz');
    assert.ok(Number(healthz.split(' ').pop()) >= 3, healthz);
    assert.match(text, /^inbox_http_requests_total\{[^}]*route="\/api\/v1\/auth\/login"[^}]*\} \d+/m);
    assert.match(text, /^# TYPE inbox_http_request_duration_seconds histogram$/m);
    assert.match(text, /^inbox_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*le="\+Inf"[^}]*\} \d+/m);
    assert.match(text, /^inbox_http_open_connections \d+(\.\d+)?$/m);
    // Labels carry route patterns, never raw paths (bounded cardinality).
    assert.ok(!text.includes('/no/such/route'), 'an unmatched path is not a label value');
    assert.ok(!text.includes(teamId), 'a path parameter is not a label value');
    assert.match(text, /route="\/api\/v1\/teams\/\{teamId\}\/members"/);
    assert.match(text, /route="\(unmatched\)"/);
    // No line is malformed: comments, or name{labels} value.
    for (const line of text.split('\n')) {
      if (!line || line.startsWith('#')) continue;
      assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\.)*",?)*\})? (-?[0-9.]+(e[+-]?\d+)?|NaN|[+-]Inf)$/, `metrics line: ${line}`);
    }
  });
});

describe('login throttling', () => {
  let srv;
  const victim = unique('victim');
  const other = unique('other');

  before(async () => {
    srv = await startServer({
      env: { SIGNUP_MODE: 'open', LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '5' },
    });
    for (const email of [victim, other]) {
      const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD } });
      assert.equal(res.status, 201, res.text);
    }
  });
  after(() => srv?.stop());

  const login = (email, password) => api(srv.url, 'POST', '/api/v1/auth/login', { body: { email, password } });

  test('LOGIN_MAX_FAILURES_PER_ACCOUNT=3: the 4th wrong attempt → 429 with a numeric Retry-After and a problem body', async () => {
    for (let i = 1; i <= 3; i++) assertProblem(await login(victim, `wrong password ${i}`), 401);
    const res = await login(victim, 'wrong password 4');
    assertProblem(res, 429);
    const retry = res.headers.get('retry-after');
    assert.match(retry ?? '', /^\d+$/, `Retry-After is a number of seconds: ${retry}`);
    assert.ok(Number(retry) >= 1 && Number(retry) <= 900, `Retry-After within the window: ${retry}`);
  });

  test('while an account is throttled even the right password is refused with 429', async () => {
    const res = await login(victim, PASSWORD);
    assertProblem(res, 429);
    assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
  });

  test('LOGIN_MAX_FAILURES_PER_IP=5: another account from the same address → 429 after 5 failures in total', async () => {
    // 3 failures so far from this address (throttled attempts are not counted): 2 more on another
    // account reach 5, below that account's own limit of 3.
    for (let i = 1; i <= 2; i++) assertProblem(await login(other, `wrong password ${i}`), 401);
    const res = await login(other, 'wrong password 3');
    assertProblem(res, 429);
    assert.match(res.headers.get('retry-after') ?? '', /^\d+$/);
    assertProblem(await login(other, PASSWORD), 429);
    assertProblem(await login(unique('third'), 'anything12'), 429);
  });

  test('the compatible login is throttled too (429, never a session)', async () => {
    const res = await api(srv.url, 'POST', '/api/auth/login', { body: { email: other, password: PASSWORD } });
    assert.equal(res.status, 429, res.text);
    assert.equal(res.json?.token, undefined);
  });
});
