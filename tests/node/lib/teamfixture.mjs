// SPDX-License-Identifier: MIT
// Shared pieces of the team-scoped resource tests (inboxes, settings, search): problem
// assertions, a team with one member per role plus an outsider with a team of their own, and
// SQL on the server's database from outside it (to seed rows no route writes yet, or to look at
// what was stored).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { api, testDb } from './harness.mjs';

export const PASSWORD = 'correct horse battery';

export function unique(prefix) {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.test`;
}

export function assertProblem(res, status, type) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json\b/,
    `problem content type, got ${res.headers.get('content-type')}`);
  assert.equal(res.json?.status, status, 'problem.status matches the HTTP status');
  for (const key of ['type', 'title', 'detail']) assert.equal(typeof res.json[key], 'string');
  if (type) assert.ok(res.json.type.endsWith(type), `problem type ${res.json.type} should end with ${type}`);
  return res.json;
}

// A 422 whose errors[] names each of `fields`.
export function assertFieldErrors(res, ...fields) {
  const problem = assertProblem(res, 422, 'validation-failed');
  assert.ok(Array.isArray(problem.errors), `422 carries errors[]: ${res.text}`);
  for (const e of problem.errors) {
    assert.equal(typeof e.field, 'string');
    assert.ok(typeof e.message === 'string' && e.message.length > 0);
  }
  for (const field of fields) {
    assert.ok(problem.errors.some((e) => e.field === field), `errors[] names ${field}: ${res.text}`);
  }
  return problem;
}

async function signUp(srv, prefix) {
  const email = unique(prefix);
  const res = await api(srv.url, 'POST', '/api/v1/auth/signup', {
    body: { email, password: PASSWORD, name: prefix },
  });
  assert.equal(res.status, 201, res.text);
  return { email, token: res.json.accessToken, userId: res.json.user.id, teamId: res.json.user.teams[0].id };
}

// Needs a server started with SIGNUP_MODE=open: the first account is the admin of the default
// team, the others get teams of their own; the admin then adds an editor and a viewer.
// Returns { teamId, admin, editor, viewer, outsider } (each { email, token, userId, teamId }).
export async function setUpTeam(srv) {
  const admin = await signUp(srv, 'admin');
  const editor = await signUp(srv, 'editor');
  const viewer = await signUp(srv, 'viewer');
  const outsider = await signUp(srv, 'outsider');
  assert.notEqual(outsider.teamId, admin.teamId, 'the outsider has a team of their own');
  for (const [member, role] of [[editor, 'editor'], [viewer, 'viewer']]) {
    const res = await api(srv.url, 'POST', `/api/v1/teams/${admin.teamId}/members`, {
      token: admin.token, body: { email: member.email, role },
    });
    assert.equal(res.status, 201, res.text);
  }
  return { teamId: admin.teamId, admin, editor, viewer, outsider };
}

// Runs statements ([{ sql, params }], `?` placeholders) on the server's database in one
// transaction: python3's sqlite3 for SQLite, psql for PostgreSQL. Returns the rows of each
// statement that starts with SELECT (others give []).
export function sqlBatch(databaseUrl, statements) {
  let r;
  if (testDb === 'sqlite') {
    r = spawnSync('python3', ['-c', `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=10)
c.row_factory = sqlite3.Row
c.execute("PRAGMA foreign_keys = ON")
out = []
for s in json.loads(sys.argv[2]):
    out.append([dict(r) for r in c.execute(s["sql"], s["params"]).fetchall()])
c.commit()
print(json.dumps(out))
`, decodeURIComponent(new URL(databaseUrl).pathname),
    JSON.stringify(statements.map((s) => ({ sql: s.sql, params: s.params ?? [] })))],
    { encoding: 'utf8' });
    assert.equal(r.status, 0, `SQL failed: ${r.stderr || r.error}`);
    return JSON.parse(r.stdout);
  }
  const args = [databaseUrl, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'];
  let script = 'BEGIN;\n';
  statements.forEach((s, n) => {
    let i = 0;
    const text = s.sql.replace(/\?/g, () => `:'p${n}_${++i}'`);
    (s.params ?? []).forEach((value, index) => args.push('-v', `p${n}_${index + 1}=${value}`));
    script += /^\s*select\b/i.test(s.sql)
      ? `SELECT '@@' || coalesce(jsonb_agg(t), '[]'::jsonb)::text FROM (${text}) t;\n`
      : `${text};\n`;
  });
  script += 'COMMIT;\n';
  r = spawnSync('psql', args, { encoding: 'utf8', input: script });
  assert.equal(r.status, 0, `SQL failed: ${r.stderr || r.error}`);
  const selects = r.stdout.split('\n').filter((line) => line.startsWith('@@')).map((line) => JSON.parse(line.slice(2)));
  return statements.map((s) => (/^\s*select\b/i.test(s.sql) ? selects.shift() : []));
}

export function sql(databaseUrl, statement, params = []) {
  return sqlBatch(databaseUrl, [{ sql: statement, params }])[0];
}
