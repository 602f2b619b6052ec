// SPDX-License-Identifier: MIT
// Clients that vanish mid-request, under load: partial requests, requests cut right after they
// are sent, huge declared bodies never sent, garbage, and aborted fetches, all at once with normal
// traffic. The server must stay up, keep answering correctly and release the connections.

import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { api, startServer } from './lib/harness.mjs';

const PASSWORD = 'correct horse battery';
const RAW_SOCKETS = 200;
const FETCHES = 500;

// One raw TCP client following `script`; always resolves (errors such as ECONNRESET are expected).
function rawClient(port, script) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let settled = false;
    const finish = (how) => {
      if (!settled) {
        settled = true;
        socket.destroy();
        resolve(how);
      }
    };
    socket.on('error', () => finish('error'));
    socket.on('close', () => finish('closed'));
    socket.setTimeout(10_000, () => finish('timeout'));
    socket.on('connect', () => {
      Promise.resolve(script(socket)).then(() => finish('done'), () => finish('error'));
    });
  });
}

const write = (socket, data) => new Promise((resolve) => {
  if (socket.destroyed) return resolve();
  socket.write(data, () => resolve());
});

function loginRequest(email, password, { close = false } = {}) {
  const body = JSON.stringify({ email, password });
  return 'POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n${close ? 'Connection: close\r\n' : ''}\r\n${body}`;
}

// Keeps a half-sent request open for a while, so stalled clients overlap the normal traffic.
const hold = () => sleep(randomInt(0, 400));

// The misbehaving clients: each returns a script run on a connected socket.
function scripts(email) {
  return [
    // connect, then close without a byte
    async (s) => { s.end(); },
    // half a request line
    async (s) => { await write(s, 'GET /hea'); await hold(); s.destroy(); },
    // headers without their end
    async (s) => { await write(s, 'POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n'); await hold(); s.destroy(); },
    // a full request, closed before the answer
    async (s) => { await write(s, 'GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n'); s.destroy(); },
    // a full login (bcrypt work on a pool thread), closed before the answer
    async (s) => { await write(s, loginRequest(email, PASSWORD)); s.destroy(); },
    // a wrong login, closed before the answer (the throttle path)
    async (s) => { await write(s, loginRequest(`nobody-${randomInt(1e9)}@example.test`, 'wrong password')); s.destroy(); },
    // a huge declared Content-Length, a few bytes of body, then gone
    async (s) => {
      await write(s, 'POST /api/v1/auth/signup HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{"email":');
      await hold();
      s.destroy();
    },
    // a body over MAX_BODY_BYTES being streamed, cut in the middle
    async (s) => {
      await write(s, 'POST /api/v1/auth/signup HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 4194304\r\n\r\n');
      await write(s, Buffer.alloc(256 * 1024, 0x20));
      s.destroy();
    },
    // a declared body never sent, half-closed
    async (s) => { await write(s, 'POST /api/v1/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{'); await hold(); s.end(); },
    // garbage
    async (s) => { await write(s, randomBytes(512)); await write(s, '\r\n\r\n'); s.destroy(); },
    // pipelined requests, closed after the first bytes of the answer
    async (s) => {
      await write(s, 'GET /healthz HTTP/1.1\r\nHost: test\r\n\r\nGET /metrics HTTP/1.1\r\nHost: test\r\n\r\nGET / HTTP/1.1\r\nHost: test\r\n\r\n');
      await new Promise((resolve) => { s.once('data', resolve); setTimeout(resolve, 2_000); });
      s.destroy();
    },
    // a larger answer (/metrics) cut while it is being read
    async (s) => {
      await write(s, 'GET /metrics HTTP/1.1\r\nHost: test\r\n\r\n');
      await new Promise((resolve) => { s.once('data', resolve); setTimeout(resolve, 2_000); });
      s.destroy();
    },
    // a full request, destroyed after a random short delay (somewhere mid-request)
    async (s) => { await write(s, loginRequest(email, PASSWORD)); await sleep(randomInt(0, 40)); s.destroy(); },
    // a WebSocket upgrade on a path that takes none, then gone
    async (s) => {
      await write(s, 'GET /api/v1/auth/me HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
      await sleep(randomInt(0, 20));
      s.destroy();
    },
    // a request line the parser must refuse, then gone
    async (s) => { await write(s, `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: test\r\n\r\n`); s.destroy(); },
  ];
}

function openConnections(metricsText) {
  const line = metricsText.split('\n').find((l) => l.startsWith('inbox_http_open_connections '));
  return line ? Number(line.split(' ')[1]) : NaN;
}

describe('clients disconnecting mid-request under load', () => {
  let srv;
  let session;
  const email = `steady-${randomBytes(4).toString('hex')}@example.test`;

  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: 'open', ACCESS_LOG: 'false' } });
    const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, name: 'Steady' } });
    assert.equal(res.status, 201, res.text);
    session = res.json;
  });
  after(() => srv?.stop());

  test(`${RAW_SOCKETS} misbehaving sockets and ${FETCHES} normal requests (some aborted) at once: no crash, normal answers stay correct`, async () => {
    const kinds = scripts(email);
    const raw = Array.from({ length: RAW_SOCKETS }, (_, i) => rawClient(srv.port, kinds[i % kinds.length]));

    let healthy = 0;
    let loginsOk = 0;
    let aborted = 0;
    const failures = [];
    const normal = Array.from({ length: FETCHES }, async (_, i) => {
      const controller = new AbortController();
      const isLogin = i % 10 === 0;
      const abort = i % 7 === 3; // some fetches are abandoned at a random moment
      if (abort) setTimeout(() => controller.abort(), randomInt(0, 30));
      try {
        const res = isLogin
          ? await fetch(`${srv.url}/api/v1/auth/login`, {
            method: 'POST', signal: controller.signal,
            headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }),
          })
          : await fetch(`${srv.url}/healthz`, { signal: controller.signal });
        const body = await res.json();
        if (isLogin && res.status === 200 && body.user?.id === session.user.id) loginsOk++;
        else if (!isLogin && res.status === 200 && body.status === 'ok') healthy++;
        else failures.push(`${isLogin ? 'login' : 'healthz'} → ${res.status} ${JSON.stringify(body)}`);
      } catch (error) {
        if (abort && error.name === 'AbortError') aborted++;
        else failures.push(`${isLogin ? 'login' : 'healthz'} → ${error.cause?.code ?? error.message}`);
      }
    });

    await Promise.all([...raw, ...normal]);
    assert.equal(srv.proc.exitCode, null, `the server exited; stderr:\n${srv.stderr().slice(-3000)}`);
    assert.deepEqual(failures, [], 'every request that was not abandoned got a correct answer');
    assert.equal(healthy + loginsOk + aborted, FETCHES);
    assert.ok(healthy > 300, `healthy answers: ${healthy}`);
    assert.ok(loginsOk > 20, `successful logins: ${loginsOk}`);
  });

  test('afterwards the process is alive and /healthz, /api/v1/auth/me and login answer correctly', async () => {
    await sleep(200);
    assert.equal(srv.proc.exitCode, null, 'still running');
    assert.equal(srv.proc.signalCode, null, 'not killed by a signal');
    const health = await api(srv.url, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.json, { status: 'ok' });
    const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: session.accessToken });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.id, session.user.id);
    assert.equal(me.json.user.email, email);
    const login = await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    assert.equal(login.status, 200, login.text);
    const ready = await api(srv.url, 'GET', '/readyz');
    assert.equal(ready.status, 200, ready.text);
  });

  test('the connections of vanished clients are released (inbox_http_open_connections falls back)', async () => {
    // fetch keeps idle connections for a few seconds; wait for them to close too.
    let open = NaN;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const res = await fetch(`${srv.url}/metrics`, { headers: { connection: 'close' } });
      open = openConnections(await res.text());
      if (open <= 3) break;
      await sleep(250);
    }
    assert.ok(open <= 3, `open connections after every client left: ${open}`);
  });
});
