// SPDX-License-Identifier: MIT
// Job throughput and cross-instance latency (issue 7's benchmark), on the real binary, a real
// database and the fake Twilio: N scheduled messages all due at one moment, then the time until
// every one is sent, with W `inbox-central worker` processes on PostgreSQL (the API process runs
// none) or the one `serve` process on SQLite; and, on PostgreSQL, the latency from an inbound
// webhook posted to instance A to its `message.new` on a socket connected to instance B.
// Run through bench/run-jobs.sh (it starts the PostgreSQL cluster and sets the environment).
//
//   INBOX_BIN=… INBOX_TEST_DB=postgresql|sqlite INBOX_PG_DIR=… node bench/jobs.mjs WORKERS [N]

import { io } from 'socket.io-client';

import { inboundSms, signedPost, startFakeTwilio } from '../tests/node/lib/faketwilio.mjs';
import { api, startServer, startWorker, testDb } from '../tests/node/lib/harness.mjs';
import { contactWithConversation, selectRows } from '../tests/node/lib/inboxfixtures.mjs';
import { setUpTeam } from '../tests/node/lib/teamfixture.mjs';

const workers = Number(process.argv[2] ?? 1);
const total = Number(process.argv[3] ?? 3000);
const LATENCY_SAMPLES = Number(process.env.LATENCY_SAMPLES ?? 300);
const ACCOUNT = 'AC' + '2'.repeat(32);
const TOKEN = '2'.repeat(32);
const OUR_NUMBER = '+15550009000';
const PUBLIC_URL = 'https://inbox.example.test';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

async function inParallel(tasks, width) {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < tasks.length) await tasks[next++]();
  }));
}

const fake = await startFakeTwilio({ accounts: { [ACCOUNT]: TOKEN }, maxRecords: 100_000 });
const env = {
  SIGNUP_MODE: 'open', PUBLIC_URL, TWILIO_API_BASE: fake.url, TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN,
  TWILIO_SMS_FROM: OUR_NUMBER, ACCESS_LOG: 'false', BCRYPT_COST: '4',
};
const pg = testDb === 'postgresql';
const srv = await startServer({ env, args: pg ? ['--no-worker'] : [] });
const t = await setUpTeam(srv);
const conversations = [];
for (let i = 0; i < 20; i += 1) {
  conversations.push((await contactWithConversation(srv, t.teamId, t.editor.token,
    { name: `Bench ${i}`, phone: `+1415556${String(1000 + i)}` })).conversation.id);
}

// N messages due at one moment, far enough ahead for all of them to be created first.
const dueAt = Date.now() + 4000 + total * 4;
await inParallel(Array.from({ length: total }, (_, i) => async () => {
  const res = await api(srv.url, 'POST', `/api/v1/teams/${t.teamId}/conversations/${conversations[i % 20]}/messages`,
    { token: t.editor.token, body: { body: `bench ${i}`, sendAt: new Date(dueAt).toISOString() } });
  if (res.status !== 201) throw new Error(`schedule: ${res.status} ${res.text}`);
}), 16);
const running = [];
for (let i = 0; pg && i < workers; i += 1) running.push(await startWorker(srv, { JOB_LEASE_MS: '60000' }));
while (Date.now() < dueAt) await sleep(5);
const started = Date.now();
// First until the fake Twilio has every message, counted in-process: a database poll is a
// blocking child process (psql, python3) that would freeze this process, and with it the fake
// Twilio the workers are waiting on, for tens of milliseconds every time. Then the database, until
// every message is recorded as sent.
const benchCreates = () => fake.messages.filter((m) => m.body.startsWith('bench ')).length;
while (benchCreates() < total) {
  await sleep(10);
  if (Date.now() - started > 300_000) throw new Error(`only ${benchCreates()} of ${total} sent to Twilio after 300 s`);
}
let sent = 0;
while (sent < total) {
  sent = Number(selectRows(srv, "SELECT count(*) AS n FROM messages WHERE status = 'sent' AND body LIKE 'bench %'")[0].n);
  if (sent < total) await sleep(20);
  if (Date.now() - started > 300_000) throw new Error(`only ${sent} of ${total} sent after 300 s`);
}
const seconds = (Date.now() - started) / 1000;
const creates = fake.messages.filter((m) => m.body.startsWith('bench ')).length;
console.log(`RESULT jobs db=${testDb} workers=${pg ? workers : 'serve'} messages=${total} seconds=${seconds.toFixed(2)} ` +
  `deliveries_per_s=${(total / seconds).toFixed(0)} twilio_creates=${creates}`);
await Promise.all(running.map((w) => w.stop()));

if (pg && process.env.LATENCY !== '0') {
  const other = await startServer({ databaseUrl: srv.databaseUrl, dataDir: srv.dataDir, jwtSecret: srv.env.JWT_SECRET,
    env, args: ['--no-worker'] });
  const socket = io(other.url, { auth: { token: t.editor.token }, transports: ['websocket'], reconnection: false });
  await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject); });
  const arrivals = new Map();
  socket.on('message.new', (m) => arrivals.get(m.providerSid)?.(Date.now()));
  const latencies = [];
  const path = '/api/v1/webhooks/twilio/messages';
  for (let i = 0; i < LATENCY_SAMPLES; i += 1) {
    const sid = `SM${String(i).padStart(6, '0')}${'d'.repeat(26)}`;
    const arrived = new Promise((resolve) => arrivals.set(sid, resolve));
    const posted = Date.now();
    const res = await signedPost(`${srv.url}${path}`, `${PUBLIC_URL}${path}`,
      inboundSms({ accountSid: ACCOUNT, to: OUR_NUMBER, from: '+14155557000', body: `latency ${i}`, messageSid: sid }), TOKEN);
    if (res.status !== 200) throw new Error(`webhook: ${res.status} ${res.text}`);
    latencies.push((await arrived) - posted);
  }
  latencies.sort((a, b) => a - b);
  console.log(`RESULT cross-instance samples=${LATENCY_SAMPLES} p50_ms=${percentile(latencies, 50)} ` +
    `p99_ms=${percentile(latencies, 99)} max_ms=${latencies.at(-1)} (webhook into A → message.new on a socket of B)`);
  socket.close();
  await other.stop();
}
await srv.stop();
await fake.close();
