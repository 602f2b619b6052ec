// SPDX-License-Identifier: MIT
// Maintenance jobs against the real binary: a snoozed conversation reopens at its snoozedUntil
// (its own `conversation.wake` job, not a slow poll), a moved or ended snooze leaves the old job
// nothing to do; the periodic prune deletes old events, webhook receipts, finished jobs and dead
// sign-ins while keeping recent rows and every pending or running job; the retention may not be
// shorter than the real-time recovery window.

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { api, createDatabase, runCli, startServer, noReadCache } from './lib/harness.mjs';
import { contactWithConversation, eventsOf, inFuture, selectRows } from './lib/inboxfixtures.mjs';
import { setUpTeam, sql, sqlBatch } from './lib/teamfixture.mjs';

const ago = (ms) => new Date(Date.now() - ms).toISOString();
const MINUTE = 60_000;

// Polls `probe` every 25 ms until it returns a truthy value; returns it (or fails after `ms`).
async function waitFor(probe, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    assert.ok(Date.now() < deadline, `timed out after ${ms} ms waiting for ${what}`);
    await sleep(25);
  }
}

describe('snoozed conversations wake up on time', () => {
  let srv;
  let t;
  const patch = (id, body) => api(srv.url, 'PATCH', `/api/v1/teams/${t.teamId}/conversations/${id}`, { token: t.editor.token, body });
  const get = async (id) => (await api(srv.url, 'GET', `/api/v1/teams/${t.teamId}/conversations/${id}`, { token: t.editor.token })).json;
  const wakeEvents = (id) => eventsOf(srv, 'conversation.updated').filter((e) => e.payload.id === id);
  const wakeJob = (id, until) => selectRows(srv, 'SELECT kind, status, run_at, team_id FROM jobs WHERE unique_key = ?', [`wake:${id}:${until}`])[0];

  before(async () => {
    // The default hour-long maintenance interval: only the wake-up job can open these in time.
    srv = await startServer({ env: { ...noReadCache, SIGNUP_MODE: 'open' } });
    t = await setUpTeam(srv);
  });
  after(() => srv?.stop());

  test('snoozed 1.5 s ahead → open within 1 s after snoozedUntil (not before), with a conversation.updated event', async () => {
    const { conversation } = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Sleeper', email: 'sleeper@example.com' });
    const until = inFuture(1500);
    const snoozed = await patch(conversation.id, { status: 'snoozed', snoozedUntil: until });
    assert.equal(snoozed.status, 200, snoozed.text);
    const job = wakeJob(conversation.id, until);
    assert.ok(job, 'the snooze enqueued its wake-up job in the same transaction');
    assert.equal(job.kind, 'conversation.wake');
    assert.equal(job.status, 'pending');
    assert.equal(job.team_id, t.teamId);
    assert.equal(Date.parse(job.run_at), Date.parse(until), 'due at snoozedUntil');

    const opened = await waitFor(async () => {
      const c = await get(conversation.id);
      if (c.status === 'snoozed') {
        assert.ok(Date.now() < Date.parse(until) + 1000, 'still snoozed more than 1 s after its time');
        return null;
      }
      return { c, seenAt: Date.now() };
    }, 4000, 'the conversation to wake up');
    assert.equal(opened.c.status, 'open');
    assert.equal(opened.c.snoozedUntil, null);
    assert.ok(opened.seenAt >= Date.parse(until), 'not opened before its time');
    const woke = Date.parse(opened.c.updatedAt);
    assert.ok(woke >= Date.parse(until) && woke - Date.parse(until) < 1000,
      `woken at ${opened.c.updatedAt}, due ${until}`);

    const events = wakeEvents(conversation.id);
    const last = events.at(-1);
    assert.equal(last.team_id, t.teamId);
    assert.equal(last.payload.status, 'open');
    assert.equal(last.payload.snoozedUntil, null);
    assert.deepEqual(last.payload, opened.c, 'the event carries the conversation as the API shows it');
    assert.equal(events.filter((e) => e.payload.status === 'open' && e.payload.snoozedUntil === null).length, 2,
      'one for the creation, one for the wake-up');
    await waitFor(() => wakeJob(conversation.id, until).status === 'done', 2000, 'the job to be done');
  });

  test('snoozed again to a later time → the first wake-up does nothing; the second opens it', async () => {
    const { conversation } = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Dozer', email: 'dozer@example.com' });
    const first = inFuture(1000);
    assert.equal((await patch(conversation.id, { status: 'snoozed', snoozedUntil: first })).status, 200);
    const second = inFuture(2500);
    const moved = await patch(conversation.id, { snoozedUntil: second });
    assert.equal(moved.status, 200, moved.text);
    const eventsBefore = wakeEvents(conversation.id).length;

    await waitFor(() => wakeJob(conversation.id, first).status === 'done', 3000, 'the first wake-up to run');
    const between = await get(conversation.id);
    assert.equal(between.status, 'snoozed', 'the first job found the snooze moved');
    assert.equal(between.snoozedUntil, second);
    assert.equal(wakeEvents(conversation.id).length, eventsBefore, 'and announced nothing');

    const opened = await waitFor(async () => {
      const c = await get(conversation.id);
      return c.status === 'open' ? c : null;
    }, 4000, 'the second wake-up');
    assert.ok(Date.parse(opened.updatedAt) >= Date.parse(second));
    assert.equal(wakeEvents(conversation.id).length, eventsBefore + 1);
    assert.equal(wakeJob(conversation.id, second).kind, 'conversation.wake');
  });

  test('unsnoozed (opened) before its time → the wake-up job does nothing', async () => {
    const { conversation } = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Early Bird', email: 'early@example.com' });
    const until = inFuture(1000);
    assert.equal((await patch(conversation.id, { status: 'snoozed', snoozedUntil: until })).status, 200);
    assert.equal((await patch(conversation.id, { status: 'pending' })).status, 200);
    const eventsBefore = wakeEvents(conversation.id).length;

    await waitFor(() => wakeJob(conversation.id, until).status === 'done', 3000, 'the wake-up to run');
    const c = await get(conversation.id);
    assert.equal(c.status, 'pending', 'left as the agent set it');
    assert.equal(wakeEvents(conversation.id).length, eventsBefore, 'no event');
  });

  test('snoozed, unsnoozed and snoozed again to the same time → one job, which wakes it', async () => {
    const { conversation } = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Yoyo', email: 'yoyo@example.com' });
    const until = inFuture(1200);
    for (const body of [{ status: 'snoozed', snoozedUntil: until }, { status: 'open' }, { status: 'snoozed', snoozedUntil: until }]) {
      const res = await patch(conversation.id, body);
      assert.equal(res.status, 200, res.text);
    }
    assert.equal(selectRows(srv, 'SELECT id FROM jobs WHERE unique_key = ?', [`wake:${conversation.id}:${until}`]).length, 1);
    await waitFor(async () => (await get(conversation.id)).status === 'open', 4000, 'the wake-up');
  });
});

describe('the periodic prune (maintenance.prune)', () => {
  let srv;
  let t;

  before(async () => {
    // Events and finished jobs kept 1 h, receipts 2 h; a run every second.
    srv = await startServer({
      env: { ...noReadCache, SIGNUP_MODE: 'open', EVENT_RETENTION: '1h', WEBHOOK_RECEIPT_RETENTION: '2h', MAINTENANCE_INTERVAL: '1s' },
    });
    t = await setUpTeam(srv);
  });
  after(() => srv?.stop());

  test('old events, receipts, finished jobs and dead sign-ins go; recent rows and unfinished jobs stay', async () => {
    const tag = randomBytes(4).toString('hex');
    const far = new Date(Date.now() + 365 * 86400_000).toISOString();
    const job = (name, status, updatedAt, extra = {}) => ({
      sql: 'INSERT INTO jobs (id, kind, payload, run_at, status, unique_key, lease_owner, lease_expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      params: [randomUUID(), 'test.noop', '{}', extra.runAt ?? updatedAt, status, `test:${tag}:${name}`,
        extra.leaseOwner ?? 'nobody', extra.leaseExpiresAt ?? far, updatedAt, updatedAt],
    });
    const token = (family, expiresAt) => ({
      sql: 'INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
      params: [randomUUID(), t.admin.userId, family, randomBytes(16).toString('hex'), ago(40 * 86400_000), expiresAt],
    });
    const earlier = selectRows(srv, 'SELECT id FROM events').map((r) => Number(r.id));
    assert.ok(earlier.length > 0, 'the sign-ups wrote events');
    const deadFamily = `dead-${tag}`;
    const liveFamily = `live-${tag}`;
    sqlBatch(srv.databaseUrl, [
      ...['old1', 'old2', 'old3'].map((name) => ({
        sql: 'INSERT INTO events (team_id, type, payload, created_at) VALUES (?, ?, ?, ?)',
        params: [t.teamId, `test.${tag}.${name}`, '{}', ago(90 * MINUTE)],
      })),
      ...['new1', 'new2'].map((name) => ({
        sql: 'INSERT INTO events (team_id, type, payload, created_at) VALUES (?, ?, ?, ?)',
        params: [t.teamId, `test.${tag}.${name}`, '{}', ago(30 * MINUTE)],
      })),
      ...[['old', 3 * 60 * MINUTE], ['mid', 90 * MINUTE], ['new', MINUTE]].map(([name, age]) => ({
        sql: 'INSERT INTO webhook_receipts (provider, event_sid, received_at) VALUES (?, ?, ?)',
        params: ['test', `${tag}-${name}`, ago(age)],
      })),
      job('done-old', 'done', ago(2 * 60 * MINUTE)),
      job('failed-old', 'failed', ago(2 * 60 * MINUTE)),
      job('canceled-old', 'canceled', ago(2 * 60 * MINUTE)),
      job('done-recent', 'done', ago(10 * MINUTE)),
      // Unfinished jobs are never pruned, however old: their unique keys still guard.
      job('pending-old', 'pending', ago(2 * 60 * MINUTE), { runAt: far }),
      job('running-old', 'running', ago(2 * 60 * MINUTE), { leaseOwner: 'elsewhere' }),
      token(deadFamily, ago(2 * 60 * MINUTE)),
      token(deadFamily, ago(3 * 60 * MINUTE)),
      token(liveFamily, ago(3 * 60 * MINUTE)), // rotated long ago, but its successor lives:
      token(liveFamily, far), // the family stays whole (reuse detection)
    ]);

    const eventTypes = () => selectRows(srv, 'SELECT type FROM events WHERE type LIKE ?', [`test.${tag}.%`]).map((r) => r.type.split('.').at(-1)).sort();
    const receipts = () => selectRows(srv, 'SELECT event_sid FROM webhook_receipts WHERE provider = ?', ['test']).map((r) => r.event_sid.split('-').at(-1)).sort();
    const jobs = () => selectRows(srv, 'SELECT unique_key FROM jobs WHERE unique_key LIKE ?', [`test:${tag}:%`]).map((r) => r.unique_key.split(':').at(-1)).sort();
    const families = () => selectRows(srv, 'SELECT family_id FROM refresh_tokens WHERE family_id IN (?, ?)', [deadFamily, liveFamily]).map((r) => r.family_id.split('-')[0]).sort();

    await waitFor(() => eventTypes().length === 2 && receipts().length === 2 && jobs().length === 3 && families().length === 2,
      6000, 'the prune');
    assert.deepEqual(eventTypes(), ['new1', 'new2']);
    assert.deepEqual(receipts(), ['mid', 'new'], 'receipts follow their own, longer retention');
    assert.deepEqual(jobs(), ['done-recent', 'pending-old', 'running-old']);
    assert.deepEqual(families(), ['live', 'live']);

    const kept = new Set(selectRows(srv, 'SELECT id FROM events').map((r) => Number(r.id)));
    assert.ok(earlier.every((id) => kept.has(id)), 'recent events (the sign-ups) are all kept');
  });

  test('one run per slot: every run has its own slot key, and the next slot is already enqueued', async () => {
    await sleep(2200); // a couple of one-second slots
    const runs = selectRows(srv, "SELECT unique_key, status, run_at FROM jobs WHERE kind = 'maintenance.prune'");
    const keys = runs.map((r) => r.unique_key);
    assert.equal(new Set(keys).size, keys.length);
    for (const run of runs) {
      assert.match(run.unique_key, /^maintenance:prune:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      assert.equal(Date.parse(run.unique_key.slice('maintenance:prune:'.length)), Date.parse(run.run_at), 'due at its slot');
    }
    assert.ok(runs.filter((r) => r.status === 'done').length >= 2, `runs: ${JSON.stringify(runs)}`);
    assert.ok(runs.some((r) => r.status === 'pending' && Date.parse(r.run_at) > Date.now() - 1000), 'the next one is waiting');
    assert.equal(runs.filter((r) => r.status === 'failed').length, 0);
  });

  test('a snooze that is over but has no job (set before wake-ups existed) is woken by the prune', async () => {
    const { conversation } = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Legacy', email: 'legacy@example.com' });
    sql(srv.databaseUrl, "UPDATE conversations SET status = 'snoozed', snoozed_until = ? WHERE id = ?", [ago(MINUTE), conversation.id]);
    const c = await waitFor(async () => {
      const res = await api(srv.url, 'GET', `/api/v1/teams/${t.teamId}/conversations/${conversation.id}`, { token: t.editor.token });
      return res.json.status === 'open' ? res.json : null;
    }, 4000, 'the sweep');
    assert.equal(c.snoozedUntil, null);
    const last = eventsOf(srv, 'conversation.updated').filter((e) => e.payload.id === conversation.id).at(-1);
    assert.deepEqual(last.payload, c);
  });
});

describe('retention settings', () => {
  test('EVENT_RETENTION shorter than SOCKET_RECOVERY_WINDOW_MS → refuses to start, naming both', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'inbox-test-'));
    const databaseUrl = await createDatabase(dataDir);
    const env = { DATA_DIR: dataDir, DATABASE_URL: databaseUrl, JWT_SECRET: randomBytes(32).toString('hex') };
    const refused = await runCli(['serve', '--port', '65000', '--host', '127.0.0.1'], { ...env, EVENT_RETENTION: '90s' });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /EVENT_RETENTION "90s" is shorter than SOCKET_RECOVERY_WINDOW_MS 120000 \(ms\)/);
    const bad = await runCli(['serve', '--port', '65000', '--host', '127.0.0.1'], { ...env, WEBHOOK_RECEIPT_RETENTION: 'forever' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /WEBHOOK_RECEIPT_RETENTION "forever" is not a duration/);
  });
});
