// SPDX-License-Identifier: MIT
// Three `inbox-central serve` instances over one PostgreSQL behind nginx, with the documented
// config (packaging/nginx/inbox-central.conf: only the upstream addresses and the listen port
// replaced): socket.io-client connected to each instance, and through nginx by WebSocket and by
// long-polling (ip_hash keeps a polling session on one instance); inbound webhooks posted
// through nginx reach every client of the team exactly once, whichever instance took them.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { io } from 'socket.io-client';

import { inboundSms, signedPost, startFakeTwilio } from './lib/faketwilio.mjs';
import { freePort, startServer } from './lib/harness.mjs';
import { setUpTeam } from './lib/teamfixture.mjs';

const ACCOUNT = 'AC' + '3'.repeat(32);
const TOKEN = '3'.repeat(32);
const OUR_NUMBER = '+15550008000';
const PUBLIC_URL = 'https://inbox.example.test';
const WEBHOOKS = 12;
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// The shipped config with only the upstream servers and the listen port changed.
function nginxConfig(ports, listen) {
  const shipped = readFileSync(join(root, 'packaging', 'nginx', 'inbox-central.conf'), 'utf8');
  const servers = ports.map((p) => `    server 127.0.0.1:${p};`).join('\n');
  const config = shipped
    .replace(/( {4}server 127\.0\.0\.1:\d+;\n)+/, `${servers}\n`)
    .replace(/listen \d+;/, `listen 127.0.0.1:${listen};`);
  assert.ok(config.includes(`server 127.0.0.1:${ports[2]};`) && config.includes(`listen 127.0.0.1:${listen};`),
    'the shipped config has the expected upstream and listen lines');
  return config;
}

describe('three instances behind nginx (packaging/nginx/inbox-central.conf)', () => {
  let fake;
  let servers = [];
  let t;
  let nginx;
  let dir;
  let base;

  before(async () => {
    fake = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
    const env = { SIGNUP_MODE: 'open', PUBLIC_URL, TWILIO_API_BASE: fake.url, TWILIO_ACCOUNT_SID: ACCOUNT,
      TWILIO_AUTH_TOKEN: TOKEN, TWILIO_SMS_FROM: OUR_NUMBER, ACCESS_LOG: 'false' };
    const first = await startServer({ env });
    t = await setUpTeam(first);
    servers = [first];
    for (let i = 0; i < 2; i += 1) {
      servers.push(await startServer({ databaseUrl: first.databaseUrl, dataDir: first.dataDir,
        jwtSecret: first.env.JWT_SECRET, env }));
    }
    dir = mkdtempSync(join(tmpdir(), 'inbox-nginx-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(join(dir, 'inbox-central.conf'), nginxConfig(servers.map((s) => s.port), port));
    const runAs = process.getuid?.() === 0 ? 'user root;\n' : '';
    writeFileSync(join(dir, 'nginx.conf'), `${runAs}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/inbox-central.conf;
}
`);
    nginx = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    nginx.stderr.on('data', (d) => { stderr += d; });
    for (let i = 0; ; i += 1) {
      try {
        if ((await fetch(`${base}/healthz`)).status === 200) break;
      } catch { /* not yet */ }
      if (i > 100) throw new Error(`nginx did not come up: ${stderr}`);
      await sleep(50);
    }
  });
  after(async () => {
    nginx?.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.stop()));
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('webhooks through nginx reach every client on every instance exactly once', async () => {
    const targets = [
      ...servers.map((s, i) => ({ name: `instance ${i + 1}`, url: s.url, opts: { transports: ['websocket'] } })),
      { name: 'nginx, websocket', url: base, opts: { transports: ['websocket'] } },
      { name: 'nginx, polling then upgrade', url: base, opts: {} },
      { name: 'nginx, polling only', url: base, opts: { transports: ['polling'] } },
    ];
    const clients = targets.map(({ name, url, opts }) => {
      const socket = io(url, { auth: { token: t.editor.token }, reconnection: false, ...opts });
      const seen = new Map();
      socket.on('message.new', (m) => seen.set(m.providerSid, (seen.get(m.providerSid) ?? 0) + 1));
      return { name, socket, seen };
    });
    // An outsider's socket (another team) must see none of it.
    const outsider = io(base, { auth: { token: t.outsider.token }, transports: ['websocket'], reconnection: false });
    const foreign = [];
    outsider.on('message.new', (m) => foreign.push(m));
    try {
      await Promise.all([...clients.map((c) => c.socket), outsider].map((socket) => new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      })));
      const sids = [];
      const path = '/api/v1/webhooks/twilio/messages';
      for (let i = 0; i < WEBHOOKS; i += 1) {
        const sid = `SM${String(i).padStart(4, '0')}${'f'.repeat(28)}`;
        sids.push(sid);
        const res = await signedPost(`${base}${path}`, `${PUBLIC_URL}${path}`,
          inboundSms({ accountSid: ACCOUNT, to: OUR_NUMBER, from: '+14155559000', body: `through nginx ${i}`, messageSid: sid }), TOKEN);
        assert.equal(res.status, 200, res.text);
      }
      const deadline = Date.now() + 10_000;
      while (clients.some((c) => sids.some((sid) => !c.seen.has(sid))) && Date.now() < deadline) await sleep(50);
      await sleep(300); // a duplicate would have come by now
      for (const c of clients) {
        for (const sid of sids) assert.equal(c.seen.get(sid), 1, `${c.name} got ${sid} exactly once`);
      }
      assert.deepEqual(foreign, [], 'another team sees nothing');
      const polling = clients.find((c) => c.name === 'nginx, polling only');
      assert.equal(polling.socket.io.engine.transport.name, 'polling', 'that client stayed on long-polling');
    } finally {
      for (const c of clients) c.socket.close();
      outsider.close();
    }
  });
});
