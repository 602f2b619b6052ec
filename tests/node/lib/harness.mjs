// SPDX-License-Identifier: MIT
// Black-box test harness: runs the real inbox-central binary (INBOX_BIN) on a fresh database
// (INBOX_TEST_DB = sqlite | postgresql) and talks to it over HTTP. ctest sets the variables; see
// tests/CMakeLists.txt. Everything started here is stopped, dropped and deleted at process exit.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const HEALTH_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;
const OUTPUT_LIMIT = 1 << 20; // keep the last 1 MiB of a server's output

const running = new Set(); // child processes still alive
const tempDirs = [];
const databasesToDrop = []; // { adminUrl, name }

export const testDb = process.env.INBOX_TEST_DB ?? 'sqlite';

function binary() {
  const bin = process.env.INBOX_BIN;
  if (!bin) {
    throw new Error('INBOX_BIN is not set: run through ctest, or export INBOX_BIN=build/app/inbox-central');
  }
  return bin;
}

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-test-'));
  tempDirs.push(dir);
  return dir;
}

// A TCP port on 127.0.0.1 that was free a moment ago.
export async function freePort() {
  const probe = createServer();
  await new Promise((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// The admin URL of the cluster that tests/support/pg-start.sh started for this ctest run.
function pgAdminUrl() {
  const dir = process.env.INBOX_PG_DIR;
  if (!dir) {
    throw new Error('INBOX_PG_DIR is not set: PostgreSQL tests run under ctest (fixture inbox.pg_start)');
  }
  try {
    return readFileSync(join(dir, 'url'), 'utf8').trim();
  } catch (error) {
    throw new Error(`no PostgreSQL fixture in ${dir} (did ctest's inbox.pg_start fail?): ${error.message}`);
  }
}

function psql(adminUrl, ...statements) {
  const args = [adminUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1'];
  for (const sql of statements) args.push('-c', sql);
  return spawnSync('psql', args, { encoding: 'utf8', timeout: 30_000 });
}

// Drops a PostgreSQL database made by createDatabase() when this process exits.
export function dropDatabaseLater(databaseUrl) {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  databasesToDrop.push({ adminUrl: url.toString(), name });
}

// A DATABASE_URL for an empty database of the kind INBOX_TEST_DB names.
export async function createDatabase(dir = tempDir()) {
  if (testDb === 'sqlite') return `sqlite://${join(dir, 'inbox.db')}`;
  if (testDb !== 'postgresql') throw new Error(`unknown INBOX_TEST_DB '${testDb}'`);

  const adminUrl = pgAdminUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const result = psql(adminUrl, `CREATE DATABASE ${name}`);
  if (result.status !== 0) {
    throw new Error(`CREATE DATABASE ${name} on ${adminUrl} failed: ${result.stderr || result.error}`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  dropDatabaseLater(url.toString());
  return url.toString();
}

function collect(stream, limit = OUTPUT_LIMIT) {
  const out = { text: '' };
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    out.text += chunk;
    if (out.text.length > limit) out.text = out.text.slice(-limit);
  });
  return out;
}

function exitCode(code, signal) {
  return code ?? 128 + (constants.signals[signal] ?? 0);
}

async function launch(server) {
  const proc = spawn(binary(), ['serve', '--port', String(server.port), '--host', '127.0.0.1', ...(server.args ?? [])], {
    env: server.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = collect(proc.stdout);
  const stderr = collect(proc.stderr);
  const exited = new Promise((resolve) => {
    proc.once('exit', (code, signal) => {
      running.delete(proc);
      resolve(exitCode(code, signal));
    });
    proc.once('error', (error) => {
      running.delete(proc);
      stderr.text += `\n[harness] could not run ${binary()}: ${error.message}`;
      resolve(127);
    });
  });
  running.add(proc);
  // A server a test forgot to stop must not keep this process alive: the exit hook kills it.
  proc.unref();
  proc.stdout.unref?.();
  proc.stderr.unref?.();

  let exitedWith;
  exited.then((code) => { exitedWith = code; });

  server.proc = proc;
  server.stdout = () => stdout.text;
  server.stderr = () => stderr.text;
  server.exited = exited;

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (exitedWith !== undefined) {
      throw new Error(`inbox-central exited with ${exitedWith} before /healthz answered; stderr:\n${stderr.text}`);
    }
    try {
      const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`inbox-central did not answer 200 on ${server.url}/healthz within ` +
        `${HEALTH_TIMEOUT_MS / 1000} s; stderr:\n${stderr.text}`);
    }
    await sleep(50);
  }
}

// Starts `inbox-central serve` on a free port and a fresh database; resolves once /healthz is 200.
// For a server whose database a test also edits directly (sql()/sqlBatch() in teamfixture.mjs):
// such a change happens behind the server's back, so its read cache (READ_CACHE_SIZE) would hide
// it until the cached answers age out (READ_CACHE_MAX_AGE_MS). Those servers keep none;
// readcache.test.mjs covers the cache itself.
export const noReadCache = { READ_CACHE_SIZE: '0' };

// opts: databaseUrl (reuse one), dataDir, jwtSecret, env (merged last; a key set to undefined
// is removed from the server's environment).
export async function startServer(opts = {}) {
  const dataDir = opts.dataDir ?? tempDir();
  const databaseUrl = opts.databaseUrl ?? (await createDatabase(dataDir));
  const port = await freePort();
  const server = {
    url: `http://127.0.0.1:${port}`,
    port,
    args: opts.args ?? [], // more `serve` arguments, e.g. ['--no-worker']
    databaseUrl,
    dataDir,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      JWT_SECRET: opts.jwtSecret ?? randomBytes(32).toString('hex'),
      BCRYPT_COST: '4',
      ...opts.env,
    },
  };

  // Methods close over `server` (not `this`) so `after(server.stop)` works too.
  Object.assign(server, {
    // Sends `signal`, waits for the process to end and returns its exit code (128+n if killed).
    async stop(signal = 'SIGTERM') {
      if (typeof signal !== 'string') signal = 'SIGTERM'; // after(server.stop) passes a context
      if (running.has(server.proc)) server.proc.kill(signal);
      let timer;
      const timeout = new Promise((resolve) => {
        timer = setTimeout(resolve, STOP_TIMEOUT_MS, 'timeout');
      });
      const code = await Promise.race([server.exited, timeout]);
      clearTimeout(timer);
      if (code === 'timeout') {
        server.proc.kill('SIGKILL');
        await server.exited;
        throw new Error(`inbox-central ignored ${signal} for ${STOP_TIMEOUT_MS / 1000} s; stderr:\n${server.stderr()}`);
      }
      return code;
    },

    // Stops the server and starts it again on the same port, DATABASE_URL and DATA_DIR.
    async restart() {
      await server.stop();
      await launch(server);
      return server;
    },
  });
  await launch(server);
  return server;
}

// Starts `inbox-central worker` on the database (and DATA_DIR: the inbox secrets) of `server`;
// resolves once it says it runs. Returns {proc, exited, stdout(), stderr(), kill(signal), stop()}.
export async function startWorker(server, env = {}) {
  const proc = spawn(binary(), ['worker', '--no-migrate'], { env: { ...server.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = collect(proc.stdout);
  const stderr = collect(proc.stderr);
  const exited = new Promise((resolve) => {
    proc.once('exit', (code, signal) => {
      running.delete(proc);
      resolve(exitCode(code, signal));
    });
  });
  running.add(proc);
  proc.unref();
  proc.stdout.unref?.();
  proc.stderr.unref?.();
  let exitedWith;
  exited.then((code) => { exitedWith = code; });
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (!stdout.text.includes('worker running')) {
    if (exitedWith !== undefined) throw new Error(`inbox-central worker exited with ${exitedWith}; stderr:\n${stderr.text}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`inbox-central worker did not start within ${HEALTH_TIMEOUT_MS / 1000} s; stderr:\n${stderr.text}`);
    }
    await sleep(20);
  }
  return {
    proc,
    exited,
    stdout: () => stdout.text,
    stderr: () => stderr.text,
    kill(signal = 'SIGKILL') {
      if (running.has(proc)) proc.kill(signal);
      return exited;
    },
    stop() {
      if (running.has(proc)) proc.kill('SIGTERM');
      return exited;
    },
  };
}

// Runs the binary once (e.g. ['migrate']) and resolves to { code, stdout, stderr }.
export async function runCli(args, env = {}) {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary(), args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(proc);
    const stdout = collect(proc.stdout);
    const stderr = collect(proc.stderr);
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    proc.once('error', (error) => {
      clearTimeout(timer);
      running.delete(proc);
      reject(error);
    });
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(proc);
      resolve({ code: exitCode(code, signal), stdout: stdout.text, stderr: stderr.text });
    });
  });
}

// One HTTP request. `body` is sent as JSON; `raw` (string or Buffer) is sent as it is.
// Resolves to { status, headers, json (when the answer is JSON), text }.
export async function api(base, method, path, { token, body, headers, raw } = {}) {
  const requestHeaders = new Headers(headers);
  if (token) requestHeaders.set('authorization', `Bearer ${token}`);
  let payload = raw;
  if (raw === undefined && body !== undefined) {
    payload = JSON.stringify(body);
    if (!requestHeaders.has('content-type')) requestHeaders.set('content-type', 'application/json');
  }
  const res = await fetch(`${String(base).replace(/\/$/, '')}${path}`, { method, headers: requestHeaders, body: payload });
  const text = await res.text();
  let json;
  if (/json/i.test(res.headers.get('content-type') ?? '') && text) {
    try {
      json = JSON.parse(text);
    } catch {
      // left undefined: the test sees `text`
    }
  }
  return { status: res.status, headers: res.headers, json, text };
}

function cleanup() {
  for (const proc of running) proc.kill('SIGKILL');
  running.clear();
  for (const { adminUrl, name } of databasesToDrop.splice(0)) {
    psql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanup();
    process.exit(128 + constants.signals[signal]);
  });
}
