// SPDX-License-Identifier: MIT
// GET /api/settings/twilio/numbers (COMPAT_API.md) against the real binary and a fake Twilio on
// 127.0.0.1 (TWILIO_API_BASE): the account's incoming numbers as {numbers:[{sid, phoneNumber,
// friendlyName}]}, at most 20; credentials from the team's first inbox that has them, else
// TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN; Twilio's refusals as 502 {error}; nothing configured →
// 400 {error}; no token → plain-text 401; the server keeps answering while Twilio is slow.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { api, startServer, noReadCache } from './lib/harness.mjs';
import { setUpTeam, sql } from './lib/teamfixture.mjs';

const SERVER_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const SERVER_TOKEN = '0123456789abcdef0123456789abcdef';
const INBOX_SID = `AC${'fedcba9876543210'.repeat(2)}`;
const INBOX_TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const FAILING_SID = `AC${'00112233445566778899aabbccddeeff'}`;
const FAILING_TOKEN = 'ffeeddccbbaa99887766554433221100';
const WRONG_TOKEN = '99999999999999999999999999999999';

const NOT_CONFIGURED =
  'Twilio is not configured: add an inbox with credentials or set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN';
const NUMBERS = '/api/settings/twilio/numbers';

const basic = (sid, token) => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;

function twilioNumbers(count, areaCode) {
  return Array.from({ length: count }, (_, i) => ({
    sid: `PN${String(i).padStart(32, '0')}`,
    account_sid: 'ignored',
    phone_number: `+1${areaCode}555${String(1000 + i)}`,
    friendly_name: `(${areaCode}) 555-${1000 + i}`,
    capabilities: { sms: true, voice: true, mms: false },
  }));
}

// Twilio's IncomingPhoneNumbers.json list for known accounts, Basic auth checked as Twilio does;
// every request recorded. `delayMs` holds each answer that long.
async function startFakeTwilio(accounts) {
  const fake = { requests: [], delayMs: 0 };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://fake');
    fake.requests.push({ method: req.method, path: url.pathname, query: url.searchParams, authorization: req.headers.authorization });
    if (fake.delayMs) await sleep(fake.delayMs);
    const answer = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\.json$/.exec(url.pathname);
    const account = match && accounts[match[1]];
    if (!account || req.method !== 'GET' || req.headers.authorization !== basic(match[1], account.token)) {
      return answer(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 },
        { 'www-authenticate': 'Basic realm="Twilio API"' });
    }
    if (account.fail) {
      return answer(account.fail.status, { code: account.fail.code, message: account.fail.message, status: account.fail.status });
    }
    const pageSize = Number(url.searchParams.get('PageSize') ?? 50);
    return answer(200, {
      first_page_uri: url.pathname, end: pageSize - 1, previous_page_uri: null, page_size: pageSize, start: 0,
      next_page_uri: null, page: 0, uri: `${url.pathname}${url.search}`,
      incoming_phone_numbers: account.numbers.slice(0, pageSize),
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${server.address().port}`;
  fake.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  });
  return fake;
}

function assertJson(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
  return res.json;
}

function assertError(res, status, pattern) {
  const body = assertJson(res, status);
  assert.deepEqual(Object.keys(body), ['error'], `an {error} body: ${res.text}`);
  assert.equal(typeof body.error, 'string');
  if (pattern instanceof RegExp) assert.match(body.error, pattern);
  else if (pattern !== undefined) assert.equal(body.error, pattern);
  return body.error;
}

function assertNoSecretLogged(srv, ...tokens) {
  const output = srv.stdout() + srv.stderr();
  for (const token of tokens) {
    assert.ok(!output.includes(token), 'no auth token in the server output');
    for (const sid of [SERVER_SID, INBOX_SID, FAILING_SID]) {
      assert.ok(!output.includes(basic(sid, token).slice(6)), 'no Basic credentials in the server output');
    }
  }
}

let fake;
before(async () => {
  fake = await startFakeTwilio({
    [SERVER_SID]: { token: SERVER_TOKEN, numbers: twilioNumbers(25, '415') },
    [INBOX_SID]: { token: INBOX_TOKEN, numbers: twilioNumbers(2, '212') },
    [FAILING_SID]: { token: FAILING_TOKEN, fail: { status: 500, code: 20500, message: 'Internal Server Error' } },
  });
});
after(() => fake?.close());

describe('GET /api/settings/twilio/numbers with TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN set', () => {
  let srv;
  let t;
  const call = (who, path = NUMBERS) => api(srv.url, 'GET', path, { token: who ? t[who].token : undefined });
  const since = () => {
    const start = fake.requests.length;
    return () => fake.requests.slice(start);
  };

  before(async () => {
    srv = await startServer({
      env: {
        ...noReadCache,
        SIGNUP_MODE: 'open', TWILIO_API_BASE: fake.url, TWILIO_ACCOUNT_SID: SERVER_SID,
        TWILIO_AUTH_TOKEN: SERVER_TOKEN,
        // One HTTP thread: a handler that waited on Twilio would stall every other request.
        HTTP_THREADS: '1',
      },
    });
    t = await setUpTeam(srv);
    // Open sign-up gave the viewer a team of their own first; make ours their first team, the
    // one the original's single-team routes act in.
    sql(srv.databaseUrl, 'UPDATE team_members SET created_at = ? WHERE user_id = ? AND team_id = ?',
      ['2000-01-01T00:00:00.000Z', t.viewer.userId, t.teamId]);
  });
  after(() => srv?.stop());

  test('no token → plain-text 401, Twilio not called', async () => {
    const calls = since();
    const res = await call(null);
    assert.equal(res.status, 401);
    assert.equal(res.text, 'Unauthorized');
    assert.deepEqual(calls(), []);
  });

  test('no inbox credentials: the server-wide account, PageSize=20, Basic SID:token → 20 numbers mapped', async () => {
    const calls = since();
    const body = assertJson(await call('viewer'), 200);
    assert.deepEqual(Object.keys(body), ['numbers']);
    assert.equal(body.numbers.length, 20, 'at most 20');
    assert.deepEqual(body.numbers[0], { sid: `PN${'0'.repeat(32)}`, phoneNumber: '+14155551000', friendlyName: '(415) 555-1000' });
    assert.deepEqual(body.numbers[19], { sid: `PN${'19'.padStart(32, '0')}`, phoneNumber: '+14155551019', friendlyName: '(415) 555-1019' });
    const [request, ...more] = calls();
    assert.deepEqual(more, [], 'one Twilio call');
    assert.equal(request.method, 'GET');
    assert.equal(request.path, `/2010-04-01/Accounts/${SERVER_SID}/IncomingPhoneNumbers.json`);
    assert.equal(request.query.get('PageSize'), '20');
    assert.equal(request.authorization, basic(SERVER_SID, SERVER_TOKEN));
  });

  test('an inbox with accountSid and authToken takes precedence over the server-wide account', async () => {
    // An inbox without a token does not count.
    const path = `/api/v1/teams/${t.teamId}/inboxes`;
    const bare = await api(srv.url, 'POST', path, {
      token: t.admin.token, body: { name: 'No token', channel: 'sms', address: '+14155550100', accountSid: INBOX_SID },
    });
    assert.equal(bare.status, 201, bare.text);
    let calls = since();
    assertJson(await call('admin'), 200);
    assert.equal(calls()[0].authorization, basic(SERVER_SID, SERVER_TOKEN));

    const created = await api(srv.url, 'POST', path, {
      token: t.admin.token,
      body: { name: 'Main line', channel: 'sms', address: '+14155550101', accountSid: INBOX_SID, authToken: INBOX_TOKEN },
    });
    assert.equal(created.status, 201, created.text);
    calls = since();
    const body = assertJson(await call('viewer'), 200);
    assert.deepEqual(body, {
      numbers: [
        { sid: `PN${'0'.repeat(32)}`, phoneNumber: '+12125551000', friendlyName: '(212) 555-1000' },
        { sid: `PN${'1'.padStart(32, '0')}`, phoneNumber: '+12125551001', friendlyName: '(212) 555-1001' },
      ],
    });
    const [request] = calls();
    assert.equal(request.path, `/2010-04-01/Accounts/${INBOX_SID}/IncomingPhoneNumbers.json`);
    assert.equal(request.query.get('PageSize'), '20');
    assert.equal(request.authorization, basic(INBOX_SID, INBOX_TOKEN));
  });

  test('Twilio rejects the credentials (401) → 502 {error} naming the credentials', async () => {
    // The outsider's own team: an inbox whose token Twilio does not accept.
    const created = await api(srv.url, 'POST', `/api/v1/teams/${t.outsider.teamId}/inboxes`, {
      token: t.outsider.token,
      body: { name: 'Wrong token', channel: 'sms', address: '+14155550102', accountSid: INBOX_SID, authToken: WRONG_TOKEN },
    });
    assert.equal(created.status, 201, created.text);
    const calls = since();
    const error = assertError(await call('outsider'), 502, /credentials/i);
    assert.match(error, /20003/, `Twilio's code in the error: ${error}`);
    assert.ok(!error.includes(WRONG_TOKEN), 'the token is not echoed');
    assert.equal(calls()[0].authorization, basic(INBOX_SID, WRONG_TOKEN));
  });

  test('another Twilio error (500, code 20500) → 502 {error} with Twilio\'s code and message', async () => {
    const created = await api(srv.url, 'POST', `/api/v1/teams/${t.editor.teamId}/inboxes`, {
      token: t.editor.token,
      body: { name: 'Failing', channel: 'sms', address: '+14155550103', accountSid: FAILING_SID, authToken: FAILING_TOKEN },
    });
    assert.equal(created.status, 201, created.text);
    const error = assertError(await call('editor'), 502);
    assert.match(error, /20500/);
    assert.match(error, /Internal Server Error/);
  });

  test('while a Twilio call is pending (1 s), /healthz and other routes answer at once', async () => {
    const calls = since();
    fake.delayMs = 1000;
    try {
      const started = Date.now();
      let settled = false;
      const pending = call('admin').finally(() => { settled = true; });
      while (calls().length === 0) {
        assert.ok(Date.now() - started < 5000, 'the server called Twilio');
        await sleep(10);
      }
      const health = await fetch(`${srv.url}/healthz`);
      await health.arrayBuffer();
      assert.equal(health.status, 200);
      const threads = await api(srv.url, 'GET', '/api/inbox/threads', { token: t.admin.token });
      assert.equal(threads.status, 200, threads.text);
      // Had either waited behind the Twilio call, it would have answered after it.
      assert.equal(settled, false, 'the numbers call is still waiting for Twilio');
      const res = await pending;
      assertJson(res, 200);
      assert.ok(Date.now() - started >= 1000, 'answered after Twilio did');
    } finally {
      fake.delayMs = 0;
    }
  });

  test('no auth token appears in the server\'s output', () => {
    assertNoSecretLogged(srv, SERVER_TOKEN, INBOX_TOKEN, WRONG_TOKEN, FAILING_TOKEN);
  });
});

describe('GET /api/settings/twilio/numbers with nothing configured', () => {
  let srv;
  let t;

  before(async () => {
    srv = await startServer({
      env: { ...noReadCache, SIGNUP_MODE: 'open', TWILIO_API_BASE: fake.url, TWILIO_ACCOUNT_SID: undefined, TWILIO_AUTH_TOKEN: undefined },
    });
    t = await setUpTeam(srv);
  });
  after(() => srv?.stop());

  test('no inbox credentials and no TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN → 400 {error}, Twilio not called', async () => {
    const start = fake.requests.length;
    assertError(await api(srv.url, 'GET', NUMBERS, { token: t.admin.token }), 400, NOT_CONFIGURED);
    assert.equal(fake.requests.length, start);
  });

  test('no token → plain-text 401', async () => {
    const res = await api(srv.url, 'GET', NUMBERS);
    assert.equal(res.status, 401);
    assert.equal(res.text, 'Unauthorized');
  });
});
