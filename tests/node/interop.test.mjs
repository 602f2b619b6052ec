// SPDX-License-Identifier: MIT
// Interoperability with the original Node backend's libraries: tokens are jsonwebtoken-compatible
// both ways, and password hashes are bcryptjs-compatible both ways (imported accounts log in).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';

import { api, runCli, startServer, testDb } from './lib/harness.mjs';

const PASSWORD = 'correct horse battery';
const unique = (p) => `${p}-${randomBytes(4).toString('hex')}@example.test`;

function assertProblem(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json\b/);
  assert.equal(res.json?.status, status);
  for (const key of ['type', 'title', 'detail']) assert.equal(typeof res.json[key], 'string');
}

// SQL on the server's database, outside the server: python3's sqlite3 module for SQLite (no
// sqlite3 CLI needed), psql for PostgreSQL. Values are passed as parameters / psql variables.
function sqliteFile(databaseUrl) {
  return decodeURIComponent(new URL(databaseUrl).pathname);
}

function setPasswordHash(databaseUrl, email, hash) {
  let r;
  if (testDb === 'sqlite') {
    r = spawnSync('python3', ['-c', `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = c.execute("UPDATE users SET password_hash = ? WHERE email = ?", (sys.argv[2], sys.argv[3])).rowcount
c.commit()
sys.exit(0 if n == 1 else 3)
`, sqliteFile(databaseUrl), hash, email], { encoding: 'utf8' });
  } else {
    r = spawnSync('psql', [databaseUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', `h=${hash}`, '-v', `e=${email}`],
      { encoding: 'utf8', input: "UPDATE users SET password_hash = :'h' WHERE email = :'e';\n" });
  }
  assert.equal(r.status, 0, `updating password_hash failed: ${r.stderr || r.error}`);
}

function passwordHashOf(databaseUrl, email) {
  let r;
  if (testDb === 'sqlite') {
    r = spawnSync('python3', ['-c', `
import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute("SELECT password_hash FROM users WHERE email = ?", (sys.argv[2],)).fetchone()
print(row[0] if row else "")
`, sqliteFile(databaseUrl), email], { encoding: 'utf8' });
  } else {
    r = spawnSync('psql', [databaseUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-v', `e=${email}`],
      { encoding: 'utf8', input: "SELECT password_hash FROM users WHERE email = :'e';\n" });
  }
  assert.equal(r.status, 0, `reading password_hash failed: ${r.stderr || r.error}`);
  return r.stdout.trim();
}

describe('jsonwebtoken interop', () => {
  const secret = randomBytes(32).toString('hex');
  let srv;
  let session;
  const email = unique('jwt');

  before(async () => {
    srv = await startServer({ jwtSecret: secret, env: { SIGNUP_MODE: 'open' } });
    const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, name: 'Jay' } });
    assert.equal(res.status, 201, res.text);
    session = res.json;
  });
  after(() => srv?.stop());

  test('jsonwebtoken.verify(accessToken, JWT_SECRET, {algorithms:["HS256"]}) accepts our token and sees sub/id/email/iat/exp/jti', () => {
    const claims = jwt.verify(session.accessToken, secret, { algorithms: ['HS256'] });
    assert.equal(claims.sub, session.user.id);
    assert.equal(claims.id, session.user.id);
    assert.equal(claims.email, email);
    assert.equal(typeof claims.iat, 'number');
    assert.equal(typeof claims.exp, 'number');
    assert.equal(claims.exp - claims.iat, session.expiresIn);
    assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 120, 'iat is now');
    assert.equal(typeof claims.jti, 'string');
    assert.ok(claims.jti.length >= 16);
    const { header } = jwt.decode(session.accessToken, { complete: true });
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' });
  });

  test('every access token has its own jti', async () => {
    const again = await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    assert.equal(again.status, 200, again.text);
    assert.notEqual(jwt.decode(again.json.accessToken).jti, jwt.decode(session.accessToken).jti);
  });

  test('a token signed by jsonwebtoken ({id, email} + expiresIn, as the original did) is accepted by GET /api/v1/auth/me', async () => {
    const token = jwt.sign({ id: session.user.id, email }, secret, { expiresIn: '1h' });
    const res = await api(srv.url, 'GET', '/api/v1/auth/me', { token });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.id, session.user.id);
    assert.equal(res.json.user.email, email);
  });

  test('a jsonwebtoken token with a sub claim is accepted too', async () => {
    const token = jwt.sign({ email }, secret, { expiresIn: 600, subject: session.user.id, jwtid: randomUUID() });
    const res = await api(srv.url, 'GET', '/api/v1/auth/me', { token });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.id, session.user.id);
  });

  test('jsonwebtoken tokens that must be refused → 401: HS512, alg none, no exp, expired, not yet valid, wrong secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { id: session.user.id, email };
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.` +
      `${Buffer.from(JSON.stringify({ ...claims, exp: now + 600 })).toString('base64url')}.`;
    const cases = {
      hs512: jwt.sign(claims, secret, { algorithm: 'HS512', expiresIn: '1h' }),
      none: unsigned,
      noExp: jwt.sign(claims, secret),
      expired: jwt.sign({ ...claims, iat: now - 7200, exp: now - 3600 }, secret),
      notBefore: jwt.sign(claims, secret, { expiresIn: '2h', notBefore: '1h' }),
      wrongSecret: jwt.sign(claims, `${secret}x`, { expiresIn: '1h' }),
    };
    for (const [name, token] of Object.entries(cases)) {
      const res = await api(srv.url, 'GET', '/api/v1/auth/me', { token });
      assert.equal(res.status, 401, `${name}: ${res.status} ${res.text}`);
      assertProblem(res, 401);
    }
  });
});

describe('bcryptjs interop', () => {
  let srv;
  const cliEnv = {};

  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: 'open', BCRYPT_COST: '10' } });
    Object.assign(cliEnv, { DATABASE_URL: srv.databaseUrl, DATA_DIR: srv.dataDir, JWT_SECRET: srv.env.JWT_SECRET, BCRYPT_COST: '4' });
  });
  after(() => srv?.stop());

  for (const variant of ['2a', '2b']) {
    test(`a bcryptjs $${variant}$ hash (cost 10) written into users.password_hash logs in`, async () => {
      const email = unique(`bcrypt${variant}`);
      const created = await runCli(['user', 'create', '--email', email, '--name', 'Imported'],
        { ...cliEnv, INBOX_PASSWORD: 'the CLI password' });
      assert.equal(created.code, 0, `user create: ${created.stderr}`);

      const salt = `$${variant}$` + bcrypt.genSaltSync(10).slice(4);
      const hash = bcrypt.hashSync(PASSWORD, salt);
      assert.ok(hash.startsWith(`$${variant}$10$`), hash);

      await srv.stop();
      setPasswordHash(srv.databaseUrl, email, hash);
      assert.equal(passwordHashOf(srv.databaseUrl, email), hash);
      await srv.restart();

      const ok = await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.json.user.email, email);
      assertProblem(await api(srv.url, 'POST', '/api/v1/auth/login', { body: { email, password: 'the CLI password' } }), 401);
      const compat = await api(srv.url, 'POST', '/api/auth/login', { body: { email, password: PASSWORD } });
      assert.equal(compat.status, 200, compat.text);
    });
  }

  test('our hash (sign-up with BCRYPT_COST=10) has the $2b$10$ prefix and bcryptjs.compareSync verifies it', async () => {
    const email = unique('ours');
    const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, name: 'Ours' } });
    assert.equal(res.status, 201, res.text);
    const hash = passwordHashOf(srv.databaseUrl, email);
    assert.match(hash, /^\$2b\$10\$[./A-Za-z0-9]{53}$/);
    assert.equal(bcrypt.compareSync(PASSWORD, hash), true);
    assert.equal(bcrypt.compareSync('not the password', hash), false);
    assert.equal(bcrypt.getRounds(hash), 10);
  });

  test('a password changed through PATCH /api/v1/auth/me is stored as a bcryptjs-verifiable hash', async () => {
    const email = unique('changed');
    const up = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD } });
    assert.equal(up.status, 201, up.text);
    const next = 'another long password';
    const patch = await api(srv.url, 'PATCH', '/api/v1/auth/me', {
      token: up.json.accessToken, body: { password: next, currentPassword: PASSWORD },
    });
    assert.equal(patch.status, 200, patch.text);
    const hash = passwordHashOf(srv.databaseUrl, email);
    assert.equal(bcrypt.compareSync(next, hash), true);
    assert.equal(bcrypt.compareSync(PASSWORD, hash), false);
  });
});
