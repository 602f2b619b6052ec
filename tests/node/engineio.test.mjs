// SPDX-License-Identifier: MIT
// Engine.IO v4 rules at the wire level (../shared/SOCKETIO.md), on the conformance server's
// timings (ping 300 ms, timeout 200 ms): the handshake, the error answers, polling framing,
// the heartbeat, the upgrade, and the server's limits (connections, payload).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import WebSocket from 'ws';

import { startServer } from './lib/harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The next frame that is not a ping; pings (every 300 ms here) are answered as a client would.
// A socket that closes first fails the test instead of hanging it.
function frame(ws) {
  return new Promise((resolve, reject) => {
    const onMessage = (data, isBinary) => { ws.off('close', onClose); resolve([data, isBinary]); };
    const onClose = (code) => { ws.off('message', onMessage); reject(new Error(`socket closed (${code})`)); };
    ws.once('message', onMessage);
    ws.once('close', onClose);
  });
}

async function nextFrame(ws) {
  for (;;) {
    const [data, isBinary] = await frame(ws);
    if (!isBinary && String(data) === '2') {
      ws.send('3');
      continue;
    }
    return [data, isBinary];
  }
}

async function conformanceServer() {
  const bin = path.join(path.dirname(process.env.INBOX_BIN), 'socketio-conformance');
  const proc = spawn(bin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(proc.stdout, 'data');
  return { proc, url: String(line).match(/http:\/\/\S+/)[0] };
}

async function handshake(base, p = '/engine.io/') {
  const res = await fetch(`${base}${p}?EIO=4&transport=polling`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/plain/);
  const text = await res.text();
  assert.equal(text[0], '0');
  return JSON.parse(text.slice(1));
}

describe('Engine.IO on the conformance server', () => {
  let server;
  before(async () => { server = await conformanceServer(); });
  after(() => server?.proc.kill());

  test('the polling handshake has exactly the five keys, and advertises the websocket upgrade', async () => {
    const open = await handshake(server.url);
    assert.deepEqual(Object.keys(open).sort(), ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades']);
    assert.deepEqual(open.upgrades, ['websocket']);
    assert.equal(open.pingInterval, 300);
    assert.equal(open.pingTimeout, 200);
    assert.equal(open.maxPayload, 1000000);
  });

  for (const [label, query, method, code] of [
    ['EIO missing', 'transport=polling', 'GET', 5],
    ['EIO=3', 'EIO=3&transport=polling', 'GET', 5],
    ['transport missing', 'EIO=4', 'GET', 0],
    ['transport unknown', 'EIO=4&transport=carrier-pigeon', 'GET', 0],
    ['unknown sid', 'EIO=4&transport=polling&sid=nope', 'GET', 1],
    ['POST without sid', 'EIO=4&transport=polling', 'POST', 2],
  ]) {
    test(`${label} → 400 {code:${code}}`, async () => {
      const res = await fetch(`${server.url}/engine.io/?${query}`, { method, body: method === 'POST' ? '4x' : undefined });
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.code, code);
      assert.equal(typeof body.message, 'string');
    });
  }

  test('polling echo: a POST batch comes back joined by the record separator, binary as base64', async () => {
    const { sid } = await handshake(server.url);
    const url = `${server.url}/engine.io/?EIO=4&transport=polling&sid=${sid}`;
    const post = await fetch(url, { method: 'POST', body: '4hello\x1e4world\x1ebAQID' });
    assert.equal(post.status, 200);
    assert.equal(await post.text(), 'ok');
    const get = await fetch(url);
    assert.equal(await get.text(), '4hello\x1e4world\x1ebAQID');
  });

  test('the server pings every pingInterval; no pong within pingTimeout ends the session', async () => {
    const { sid } = await handshake(server.url);
    const url = `${server.url}/engine.io/?EIO=4&transport=polling&sid=${sid}`;
    const started = Date.now();
    const ping = await (await fetch(url)).text();
    assert.equal(ping, '2');
    assert.ok(Date.now() - started >= 250, 'the ping comes after pingInterval');
    await sleep(600); // no pong
    const late = await fetch(url);
    assert.equal(late.status, 400);
    assert.equal((await late.json()).code, 1);
  });

  test('a malformed POST closes the session', async () => {
    const { sid } = await handshake(server.url);
    const url = `${server.url}/engine.io/?EIO=4&transport=polling&sid=${sid}`;
    const bad = await fetch(url, { method: 'POST', body: '9oops' });
    assert.equal(bad.status, 400);
    assert.equal((await fetch(url)).status, 400);
  });

  test('a second concurrent GET is refused and the held one answered with close', async () => {
    const { sid } = await handshake(server.url);
    const url = `${server.url}/engine.io/?EIO=4&transport=polling&sid=${sid}`;
    const held = fetch(url).then((r) => r.text());
    await sleep(50);
    const second = await fetch(url);
    assert.equal(second.status, 400);
    assert.equal(await held, '1');
  });

  test('upgrade: probe answered, polling released with noop, then messages flow over the WebSocket', async () => {
    const { sid } = await handshake(server.url);
    const pollUrl = `${server.url}/engine.io/?EIO=4&transport=polling&sid=${sid}`;
    const held = fetch(pollUrl).then((r) => r.text());
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/engine.io/?EIO=4&transport=websocket&sid=${sid}`);
    await once(ws, 'open');
    ws.send('2probe');
    const [probe] = await nextFrame(ws);
    assert.equal(String(probe), '3probe');
    // The held GET is released with a noop; if the server's first ping (300 ms) beat the probe
    // to it, answer the ping as a client would and poll once more: now the noop.
    let released = await held;
    if (released === '2') {
      await fetch(pollUrl, { method: 'POST', body: '3' });
      released = await (await fetch(pollUrl)).text();
    }
    assert.equal(released, '6', 'polling is released with a noop during the upgrade');
    ws.send('5');
    ws.send('4over websocket');
    const [echo] = await nextFrame(ws);
    assert.equal(String(echo), '4over websocket');
    const late = await fetch(pollUrl);
    assert.equal(late.status, 400, 'polling is over after the upgrade');
    ws.close();
  });

  test('a WebSocket opened without sid gets the handshake as its first frame, upgrades empty', async () => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/engine.io/?EIO=4&transport=websocket`);
    const [first] = await frame(ws);
    const text = String(first);
    assert.equal(text[0], '0');
    assert.deepEqual(JSON.parse(text.slice(1)).upgrades, []);
    ws.send(Buffer.from([7, 8, 9]));
    const [echo, isBinary] = await nextFrame(ws);
    assert.equal(isBinary, true);
    assert.deepEqual([...echo], [7, 8, 9]);
    ws.close();
  });
});

describe('Engine.IO limits on the real server', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { SOCKET_MAX_CONNECTIONS: '2', SOCKET_MAX_PAYLOAD: '2048' } });
  });
  after(async () => { await srv?.stop(); });

  test('SOCKET_MAX_PAYLOAD: a larger polling body is refused with 413 and ends the session', async () => {
    const { sid, maxPayload } = await handshake(srv.url, '/socket.io/');
    assert.equal(maxPayload, 2048);
    const url = `${srv.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const big = await fetch(url, { method: 'POST', body: `4${'x'.repeat(3000)}` });
    assert.equal(big.status, 413);
    assert.equal((await fetch(url)).status, 400, 'the session is gone');
  });

  test('SOCKET_MAX_CONNECTIONS: the next handshake is refused (503), the WebSocket closed', async () => {
    await handshake(srv.url, '/socket.io/');
    await handshake(srv.url, '/socket.io/');
    const third = await fetch(`${srv.url}/socket.io/?EIO=4&transport=polling`);
    assert.equal(third.status, 503);
    const ws = new WebSocket(`${srv.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
    const [code] = await once(ws, 'close');
    assert.notEqual(code, 1000);
  });
});
