// SPDX-License-Identifier: MIT
// The command line (migrate, user ...), start-up errors people actually hit, --help/--version,
// data surviving a restart, and a graceful SIGTERM with requests in flight.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { api, createDatabase, runCli, startServer } from './lib/harness.mjs';

const PASSWORD = 'correct horse battery';
const DEFAULT_TEAM = 'CLI Team';
const unique = (p) => `${p}-${randomBytes(4).toString('hex')}@example.test`;

const dirs = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-cli-test-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function assertProblem(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json\b/);
  assert.equal(res.json?.status, status);
}

function assertExit(result, code, what) {
  assert.equal(result.code, code, `${what}: exit ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
}

// ---------------------------------------------------------------------------------------------

describe('inbox-central migrate and user', () => {
  let env; // the CLI's environment: one fresh database and data folder
  let srv;
  const adminEmail = unique('cli-admin');
  const otherEmail = unique('cli-other');

  before(async () => {
    const dataDir = tempDir();
    env = {
      DATABASE_URL: await createDatabase(dataDir),
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      BCRYPT_COST: '4',
      DEFAULT_TEAM_NAME: DEFAULT_TEAM,
      INBOX_PASSWORD: undefined,
    };
  });
  after(() => srv?.stop());

  test('migrate on a fresh database applies the migrations (exit 0)', async () => {
    const r = await runCli(['migrate'], env);
    assertExit(r, 0, 'migrate');
    assert.match(r.stdout, /applied 0001_/);
  });

  test('a second migrate has nothing to apply (exit 0)', async () => {
    const r = await runCli(['migrate'], env);
    assertExit(r, 0, 'migrate again');
    assert.match(r.stdout, /nothing to apply/i);
    assert.doesNotMatch(r.stdout, /applied 0001_/);
  });

  test('user list on an empty install says there is no account', async () => {
    const r = await runCli(['user', 'list'], env);
    assertExit(r, 0, 'user list');
    assert.match(r.stdout, /No accounts yet/);
  });

  test('user create: the first account becomes admin of DEFAULT_TEAM_NAME, the next one editor', async () => {
    const first = await runCli(['user', 'create', '--email', adminEmail.toUpperCase(), '--name', 'CLI Admin'], { ...env, INBOX_PASSWORD: PASSWORD });
    assertExit(first, 0, 'user create (first)');
    assert.match(first.stdout, new RegExp(`Created ${adminEmail.replace(/[.]/g, '\\.')} .* as admin`));
    const second = await runCli(['user', 'create', '--email', otherEmail, '--name', 'CLI Other'], { ...env, INBOX_PASSWORD: PASSWORD });
    assertExit(second, 0, 'user create (second)');
    assert.match(second.stdout, /as editor/);
  });

  test('user create refuses a duplicate email, a missing password and a short one (exit 2, a message on stderr)', async () => {
    const dup = await runCli(['user', 'create', '--email', adminEmail], { ...env, INBOX_PASSWORD: PASSWORD });
    assertExit(dup, 2, 'duplicate');
    assert.match(dup.stderr, /already exists/);
    const none = await runCli(['user', 'create', '--email', unique('nopass')], env);
    assertExit(none, 2, 'no password');
    assert.match(none.stderr, /password/i);
    const short = await runCli(['user', 'create', '--email', unique('short')], { ...env, INBOX_PASSWORD: 'short' });
    assertExit(short, 2, 'short password');
    assert.match(short.stderr, /at least 8/);
    const noEmail = await runCli(['user', 'create'], { ...env, INBOX_PASSWORD: PASSWORD });
    assertExit(noEmail, 2, 'no email');
    assert.match(noEmail.stderr, /--email/);
  });

  test('user list shows both accounts with their team and role', async () => {
    const r = await runCli(['user', 'list'], env);
    assertExit(r, 0, 'user list');
    const lines = r.stdout.trim().split('\n');
    const admin = lines.find((l) => l.includes(adminEmail));
    const other = lines.find((l) => l.includes(otherEmail));
    assert.ok(admin, r.stdout);
    assert.ok(other, r.stdout);
    assert.match(admin, new RegExp(`${DEFAULT_TEAM} \\(admin\\)`));
    assert.match(admin, /CLI Admin/);
    assert.match(other, new RegExp(`${DEFAULT_TEAM} \\(editor\\)`));
  });

  test('user set-role changes a role; the last admin cannot be demoted; bad input → exit 2', async () => {
    const r = await runCli(['user', 'set-role', '--email', otherEmail, '--role', 'viewer'], env);
    assertExit(r, 0, 'set-role viewer');
    assert.match(r.stdout, /is now viewer/);
    const list = await runCli(['user', 'list'], env);
    assert.match(list.stdout.split('\n').find((l) => l.includes(otherEmail)), /\(viewer\)/);

    const demote = await runCli(['user', 'set-role', '--email', adminEmail, '--role', 'editor'], env);
    assertExit(demote, 2, 'demote the last admin');
    assert.match(demote.stderr, /last admin/);

    const bogus = await runCli(['user', 'set-role', '--email', otherEmail, '--role', 'owner'], env);
    assertExit(bogus, 2, 'unknown role');
    assert.match(bogus.stderr, /--role/);
    const nobody = await runCli(['user', 'set-role', '--email', unique('nobody'), '--role', 'viewer'], env);
    assertExit(nobody, 2, 'unknown account');
    assert.match(nobody.stderr, /no account/);
    const unknown = await runCli(['user', 'frobnicate', '--email', otherEmail], env);
    assertExit(unknown, 2, 'unknown action');
    const noCommand = await runCli(['nonsense'], env);
    assertExit(noCommand, 2, 'unknown command');
    assert.match(noCommand.stderr, /unknown command/);
  });

  test('the server on that database sees the CLI\'s accounts and roles', async () => {
    srv = await startServer({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, jwtSecret: env.JWT_SECRET, env: { DEFAULT_TEAM_NAME: DEFAULT_TEAM, SIGNUP_MODE: undefined } });
    const res = await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email: adminEmail, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.name, 'CLI Admin');
    assert.deepEqual(res.json.user.teams.map((t) => [t.name, t.role]), [[DEFAULT_TEAM, 'admin']]);
    const other = await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email: otherEmail, password: PASSWORD } });
    assert.equal(other.status, 200, other.text);
    assert.deepEqual(other.json.user.teams.map((t) => t.role), ['viewer']);
  });

  test('user reset-password: the old password then fails over HTTP, the new one works, old sessions end', async () => {
    const before = await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email: otherEmail, password: PASSWORD } });
    assert.equal(before.status, 200, before.text);
    const newPassword = 'reset by the operator';
    const r = await runCli(['user', 'reset-password', '--email', otherEmail], { ...env, INBOX_PASSWORD: newPassword });
    assertExit(r, 0, 'reset-password');
    assert.match(r.stdout, /reset/);
    assertProblem(await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email: otherEmail, password: PASSWORD } }), 401);
    const after = await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email: otherEmail, password: newPassword } });
    assert.equal(after.status, 200, after.text);
    assertProblem(await api(srv.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: before.json.refreshToken } }), 401);
    const missing = await runCli(['user', 'reset-password', '--email', unique('nobody')], { ...env, INBOX_PASSWORD: newPassword });
    assertExit(missing, 2, 'reset-password of an unknown account');
  });

  test('user invite, then signing up with that email works in invite mode (joins with the invited role)', async () => {
    const email = unique('invited');
    assertProblem(await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD } }), 403);
    const r = await runCli(['user', 'invite', '--email', email, '--role', 'editor'], env);
    assertExit(r, 0, 'user invite');
    assert.match(r.stdout, /Invited/);
    const again = await runCli(['user', 'invite', '--email', email, '--role', 'editor'], env);
    assertExit(again, 2, 'a second invitation');
    const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, name: 'Invited' } });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.json.user.teams.map((t) => [t.name, t.role]), [[DEFAULT_TEAM, 'editor']]);
  });
});

// ---------------------------------------------------------------------------------------------

async function freePort() {
  const probe = await busyPort();
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return String(port);
}

async function busyPort() {
  const blocker = createServer();
  await new Promise((resolve, reject) => {
    blocker.once('error', reject);
    blocker.listen(0, '127.0.0.1', resolve);
  });
  return blocker;
}

describe('start-up errors', () => {
  test('a bad DATABASE_URL (mysql://x) → exit 2 with a message naming DATABASE_URL on stderr', async () => {
    const dataDir = tempDir();
    for (const args of [['migrate'], ['serve', '--host', '127.0.0.1', '--port', await freePort()]]) {
      const r = await runCli(args, { DATABASE_URL: 'mysql://x', DATA_DIR: dataDir, JWT_SECRET: randomBytes(32).toString('hex') });
      assertExit(r, 2, args[0]);
      assert.match(r.stderr, /DATABASE_URL/);
      assert.match(r.stderr, /mysql:\/\/x/);
      assert.ok(r.stderr.trim().split('\n').length <= 4, `a short message, not a trace: ${r.stderr}`);
    }
  });

  test('PORT already in use → non-zero exit with a message naming the port', async () => {
    const blocker = await busyPort();
    const { port } = blocker.address();
    try {
      const dataDir = tempDir();
      const r = await runCli(['serve', '--host', '127.0.0.1'], {
        DATABASE_URL: await createDatabase(dataDir), DATA_DIR: dataDir, PORT: String(port),
        JWT_SECRET: randomBytes(32).toString('hex'),
      });
      assert.notEqual(r.code, 0, `serve on a busy port must fail: ${r.stdout}`);
      assert.match(r.stderr, new RegExp(`\\b${port}\\b`));
      assert.match(r.stderr, /listen|in use/i);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('an unwritable DATA_DIR (/dev/null/x) → exit 2 with a message naming it', async () => {
    for (const args of [['migrate'], ['serve', '--host', '127.0.0.1', '--port', await freePort()]]) {
      const r = await runCli(args, { DATA_DIR: '/dev/null/x', DATABASE_URL: undefined, JWT_SECRET: undefined });
      assertExit(r, 2, args[0]);
      assert.match(r.stderr, /\/dev\/null\/x/);
    }
  });

  test('a JWT_SECRET shorter than 32 bytes and a bad SIGNUP_MODE → exit 2 naming the setting', async () => {
    const dataDir = tempDir();
    const base = { DATABASE_URL: await createDatabase(dataDir), DATA_DIR: dataDir };
    const short = await runCli(['migrate'], { ...base, JWT_SECRET: 'too-short' });
    assertExit(short, 2, 'short JWT_SECRET');
    assert.match(short.stderr, /JWT_SECRET/);
    assert.doesNotMatch(short.stderr, /too-short/, 'a secret is never printed');
    const mode = await runCli(['migrate'], { ...base, JWT_SECRET: randomBytes(32).toString('hex'), SIGNUP_MODE: 'everyone' });
    assertExit(mode, 2, 'bad SIGNUP_MODE');
    assert.match(mode.stderr, /SIGNUP_MODE/);
  });
});

describe('--help and --version', () => {
  test('--help lists the commands and every environment variable', async () => {
    const r = await runCli(['--help']);
    assertExit(r, 0, '--help');
    for (const command of ['serve', 'migrate', 'user create', 'user list', 'user reset-password', 'user set-role', 'user invite']) {
      assert.ok(r.stdout.includes(command), `--help mentions ${command}`);
    }
    const names = ['HOST', 'PORT', 'PUBLIC_URL', 'CORS_ORIGIN', 'DATA_DIR', 'DATABASE_URL', 'JWT_SECRET', 'JWT_EXPIRES_IN',
      'REFRESH_TOKEN_TTL', 'BCRYPT_COST', 'SIGNUP_MODE', 'DEFAULT_TEAM_NAME', 'INVITATION_TTL', 'LOGIN_THROTTLE_WINDOW',
      'LOGIN_MAX_FAILURES_PER_ACCOUNT', 'LOGIN_MAX_FAILURES_PER_IP', 'MAX_BODY_BYTES', 'METRICS_LOOPBACK_ONLY',
      'ACCESS_LOG', 'DB_THREADS', 'TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_SMS_FROM', 'TWILIO_WHATSAPP_FROM',
      'GOOGLE_CLIENT_ID', 'GOOGLE_CLIENT_SECRET', 'GOOGLE_CALLBACK_URL', 'SCHEDULER_POLL_MS'];
    const missing = names.filter((n) => !new RegExp(`\\b${n}\\b`).test(r.stdout));
    assert.deepEqual(missing, [], `--help lacks ${missing.join(', ')}`);
  });

  test('--version prints the name and a semantic version', async () => {
    const r = await runCli(['--version']);
    assertExit(r, 0, '--version');
    assert.match(r.stdout, /^inbox-central \d+\.\d+\.\d+/);
  });
});

// ---------------------------------------------------------------------------------------------

describe('restart', () => {
  let srv;
  let session;
  const email = unique('restart');

  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: 'open' } });
    const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, name: 'Restart' } });
    assert.equal(res.status, 201, res.text);
    session = res.json;
    await srv.restart();
  });
  after(() => srv?.stop());

  test('after a restart the account logs in with the same user id and team', async () => {
    const res = await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.id, session.user.id);
    assert.deepEqual(res.json.user.teams.map((t) => t.id), session.user.teams.map((t) => t.id));
  });

  test('an access token issued before the restart still works', async () => {
    const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: session.accessToken });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.id, session.user.id);
  });

  test('a refresh token issued before the restart still works', async () => {
    const res = await api(srv.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken: session.refreshToken } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.id, session.user.id);
  });
});

// ---------------------------------------------------------------------------------------------

// One POST over its own connection; resolves `sent` once the request is fully written, and
// `done` with {status, body} or {error}.
function slowLogin(url, email, password) {
  const { hostname, port } = new URL(url);
  const payload = JSON.stringify({ email, password });
  let markSent;
  const sent = new Promise((resolve) => { markSent = resolve; });
  const done = new Promise((resolve) => {
    const req = httpRequest({
      hostname, port, path: '/api/v1/auth/login', method: 'POST', agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body, complete: res.complete }));
      res.on('error', (error) => resolve({ error }));
    });
    req.on('error', (error) => { markSent(); resolve({ error }); });
    req.on('finish', markSent);
    req.end(payload);
  });
  return { sent, done };
}

describe('graceful shutdown', () => {
  test('SIGTERM with 10 slow logins in flight (BCRYPT_COST=12): every one gets a complete 200, the process exits 0', async () => {
    const srv = await startServer({ env: { SIGNUP_MODE: 'open', BCRYPT_COST: '12' } });
    try {
      const email = unique('term');
      const up = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD } });
      assert.equal(up.status, 201, up.text);

      const requests = Array.from({ length: 10 }, () => slowLogin(srv.url, email, PASSWORD));
      await Promise.all(requests.map((r) => r.sent));
      await sleep(200); // let the server read them: they are in flight, far from answered
      const started = Date.now();
      const [results, code] = await Promise.all([Promise.all(requests.map((r) => r.done)), srv.stop('SIGTERM')]);

      const summary = results.map((r) => (r.error ? `error ${r.error.code ?? r.error.message}` : `${r.status}`));
      for (const r of results) {
        assert.equal(r.error, undefined, `a request in flight lost its answer: ${summary.join(', ')}`);
        assert.equal(r.status, 200, `${summary.join(', ')}: ${r.body}`);
        assert.equal(r.complete, true);
        const body = JSON.parse(r.body);
        assert.equal(typeof body.accessToken, 'string');
        assert.equal(body.user.email, email);
      }
      assert.ok(Date.now() - started > 50, 'the logins were still running when SIGTERM arrived');
      assert.equal(code, 0, `exit code after SIGTERM; stderr:\n${srv.stderr().slice(-2000)}`);
    } finally {
      await srv.stop('SIGKILL').catch(() => {});
    }
  });

  test('SIGTERM on an idle server exits 0 promptly and stops listening', async () => {
    const srv = await startServer();
    const started = Date.now();
    const code = await srv.stop('SIGTERM');
    assert.equal(code, 0, srv.stderr().slice(-2000));
    assert.ok(Date.now() - started < 5_000, 'an idle server stops at once');
    await assert.rejects(fetch(`${srv.url}/healthz`));
  });
});
