// SPDX-License-Identifier: MIT
// Durable jobs against crashes, with real processes killed by SIGKILL and the fake Twilio
// counting what was really sent: scheduled messages are sent exactly once when a worker dies
// mid-run (PostgreSQL: three `inbox-central worker` processes, one killed and restarted; SQLite:
// one `serve` killed and restarted twice), a crash between "request sent" and "answer recorded"
// is reconciled with Twilio's list instead of resent, and on PostgreSQL an event committed by one
// instance reaches the real-time clients of another (LISTEN/NOTIFY).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { io } from 'socket.io-client';

import { inboundSms, signedPost, startFakeTwilio } from './lib/faketwilio.mjs';
import { api, startServer, startWorker, testDb } from './lib/harness.mjs';
import { contactWithConversation, selectRows } from './lib/inboxfixtures.mjs';
import { setUpTeam, sql } from './lib/teamfixture.mjs';

const ACCOUNT = 'AC' + '4'.repeat(32);
const TOKEN = '4'.repeat(32);
const OUR_NUMBER = '+15550007000';
const PUBLIC_URL = 'https://inbox.example.test';
const LEASE_MS = 3000;
const MESSAGES = 1000;

async function waitFor(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// Runs `tasks` (functions returning promises) `width` at a time.
async function inParallel(tasks, width) {
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }));
  return results;
}

describe(`durable jobs on ${testDb}`, () => {
  let fake;
  let srv;
  let t;
  let conversations;
  const env = () => ({
    SIGNUP_MODE: 'open', PUBLIC_URL, TWILIO_API_BASE: fake.url, TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_SMS_FROM: OUR_NUMBER, JOB_LEASE_MS: String(LEASE_MS), SCHEDULER_POLL_MS: '500', ACCESS_LOG: 'false',
  });
  const sentCount = (prefix) => fake.messages.filter((m) => m.body.startsWith(prefix)).length;
  const statusCounts = (prefix) => Object.fromEntries(selectRows(srv,
    'SELECT status, count(*) AS n FROM messages WHERE body LIKE ? GROUP BY status', [`${prefix}%`])
    .map((r) => [r.status, Number(r.n)]));

  // Schedules `count` messages `prefix` 0..count-1 over the conversations, due from `startInMs`
  // over `spreadMs`.
  async function schedule(prefix, count, startInMs, spreadMs) {
    const base = Date.now() + startInMs;
    const results = await inParallel(Array.from({ length: count }, (_, i) => () => api(srv.url, 'POST',
      `/api/v1/teams/${t.teamId}/conversations/${conversations[i % conversations.length]}/messages`,
      { token: t.editor.token, body: { body: `${prefix} ${i}`, sendAt: new Date(base + (i * spreadMs) / count).toISOString() } })), 16);
    for (const res of results) assert.equal(res.status, 201, res.text);
    return results.map((r) => r.json.id);
  }

  // Every message of `prefix` sent exactly once: one create at the fake per body, and the stored
  // message carries that create's sid.
  function assertExactlyOnce(prefix, ids) {
    const byBody = new Map();
    for (const m of fake.messages.filter((x) => x.body.startsWith(prefix))) {
      byBody.set(m.body, [...(byBody.get(m.body) ?? []), m.sid]);
    }
    const twice = [...byBody].filter(([, sids]) => sids.length > 1);
    assert.deepEqual(twice, [], 'no message was sent twice');
    assert.equal(byBody.size, ids.length, 'every message was sent');
    const rows = selectRows(srv, 'SELECT body, status, provider_sid FROM messages WHERE body LIKE ?', [`${prefix}%`]);
    for (const row of rows) {
      assert.equal(row.status, 'sent', `${row.body} is sent`);
      assert.equal(row.provider_sid, byBody.get(row.body)[0], `${row.body} carries the sid Twilio gave`);
    }
  }

  before(async () => {
    fake = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN } });
    // PostgreSQL: the API instance runs no jobs; workers do. SQLite: one process does both.
    srv = await startServer({ env: env(), args: testDb === 'postgresql' ? ['--no-worker'] : [] });
    t = await setUpTeam(srv);
    conversations = [];
    for (let i = 0; i < 10; i += 1) {
      const c = await contactWithConversation(srv, t.teamId, t.editor.token,
        { name: `Durable ${i}`, phone: `+1415555${String(7000 + i)}` });
      conversations.push(c.conversation.id);
    }
  });
  after(async () => {
    await srv?.stop();
    await fake?.close();
  });

  if (testDb === 'postgresql') {
    test(`${MESSAGES} scheduled messages, three workers, one SIGKILLed mid-run and restarted: each sent exactly once`, async () => {
      const ids = await schedule('durable-a', MESSAGES, 3000, 3000);
      const workers = [await startWorker(srv), await startWorker(srv), await startWorker(srv)];
      try {
        await waitFor('a third sent', () => sentCount('durable-a') >= MESSAGES / 3);
        await workers[0].kill('SIGKILL');
        workers[0] = await startWorker(srv);
        await waitFor(`all ${MESSAGES} sent`, () => statusCounts('durable-a').sent === MESSAGES, 90_000);
        assertExactlyOnce('durable-a', ids);
      } finally {
        await Promise.all(workers.map((w) => w.stop()));
      }
    });

    test('an event committed by one instance reaches the real-time clients of another (NOTIFY)', async () => {
      const other = await startServer({ databaseUrl: srv.databaseUrl, dataDir: srv.dataDir, jwtSecret: srv.env.JWT_SECRET,
        env: env(), args: ['--no-worker'] });
      const socket = io(other.url, { auth: { token: t.editor.token }, transports: ['websocket'], reconnection: false });
      try {
        await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject); });
        const latencies = [];
        for (let i = 0; i < 20; i += 1) {
          const sid = `SM${String(i).padStart(2, '0')}${'e'.repeat(30)}`;
          const arrived = new Promise((resolve) => {
            const onMessage = (m) => { if (m.providerSid === sid) { socket.off('message.new', onMessage); resolve(Date.now()); } };
            socket.on('message.new', onMessage);
          });
          const started = Date.now();
          const path = '/api/v1/webhooks/twilio/messages';
          const res = await signedPost(`${srv.url}${path}`, `${PUBLIC_URL}${path}`,
            inboundSms({ accountSid: ACCOUNT, to: OUR_NUMBER, from: '+14155558000', body: `cross ${i}`, messageSid: sid }), TOKEN);
          assert.equal(res.status, 200, res.text);
          const at = await Promise.race([arrived, sleep(5000).then(() => null)]);
          assert.ok(at, `message ${i} reached the other instance's client`);
          latencies.push(at - started);
        }
        latencies.sort((a, b) => a - b);
        console.log(`# cross-instance webhook → client latency ms: p50 ${latencies[10]}, max ${latencies[19]}`);

        // PostgreSQL drops the LISTEN connections (as on a restart): they come back by
        // themselves, and what was committed meanwhile still reaches the other instance.
        await sleep(5500); // the listeners' last statement is now their health check
        const killed = sql(srv.databaseUrl, "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity " +
          "WHERE datname = current_database() AND pid <> pg_backend_pid() AND (query = 'SELECT 1' OR query LIKE 'LISTEN%')");
        assert.ok(Number(killed[0].n) >= 2, `both instances' LISTEN connections were terminated (${killed[0].n})`);
        const sid = `SM99${'a'.repeat(32)}`;
        const arrived = new Promise((resolve) => {
          const onMessage = (m) => { if (m.providerSid === sid) { socket.off('message.new', onMessage); resolve(true); } };
          socket.on('message.new', onMessage);
        });
        const path = '/api/v1/webhooks/twilio/messages';
        const res = await signedPost(`${srv.url}${path}`, `${PUBLIC_URL}${path}`,
          inboundSms({ accountSid: ACCOUNT, to: OUR_NUMBER, from: '+14155558000', body: 'after the drop', messageSid: sid }), TOKEN);
        assert.equal(res.status, 200, res.text);
        assert.ok(await Promise.race([arrived, sleep(15_000).then(() => false)]),
          'the message reached the other instance after its LISTEN connection came back');
      } finally {
        socket.close();
        await other.stop();
      }
    });
  } else {
    test(`${MESSAGES} scheduled messages, the one process SIGKILLed and restarted twice: each sent exactly once`, async () => {
      const ids = await schedule('durable-b', MESSAGES, 3000, 3000);
      await waitFor('a quarter sent', () => sentCount('durable-b') >= MESSAGES / 4);
      await srv.stop('SIGKILL');
      await srv.restart();
      await waitFor('half sent', () => sentCount('durable-b') >= MESSAGES / 2);
      await srv.stop('SIGKILL');
      await srv.restart();
      await waitFor(`all ${MESSAGES} sent`, () => statusCounts('durable-b').sent === MESSAGES, 90_000);
      assertExactlyOnce('durable-b', ids);
    });
  }

  test('a crash after the request left and before its answer was recorded: reconciled with Twilio, not resent', async () => {
    fake.delayMs = 1500; // Twilio takes its time: the worker dies while waiting
    const worker = testDb === 'postgresql' ? await startWorker(srv) : null;
    let restarted = null;
    try {
      const [id] = await schedule('durable-c', 1, 500, 0);
      await waitFor('the request at Twilio', () => fake.requests.some((r) => r.method === 'POST' && r.params.Body === 'durable-c 0'), 15_000);
      if (worker) {
        await worker.kill('SIGKILL');
      } else {
        await srv.stop('SIGKILL');
      }
      assert.equal(selectRows(srv, 'SELECT status FROM messages WHERE id = ?', [id])[0].status, 'sending',
        'marked sending before the request left, nothing recorded since');
      await sleep(fake.delayMs + 200); // Twilio carries the request out although its client is gone
      fake.delayMs = 0;
      if (worker) {
        restarted = await startWorker(srv);
      } else {
        await srv.restart();
      }
      await waitFor('sent after the lease expired', () => statusCounts('durable-c').sent === 1, 30_000);
      assertExactlyOnce('durable-c', [id]);
      assert.ok(fake.requests.some((r) => r.method === 'GET' && r.path.endsWith('/Messages.json')),
        'the next attempt asked Twilio what was sent');
      assert.equal(fake.requests.filter((r) => r.method === 'POST' && r.params.Body === 'durable-c 0').length, 1, 'one create');
    } finally {
      fake.delayMs = 0;
      await restarted?.stop();
    }
  });
});
