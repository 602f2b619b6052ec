// SPDX-License-Identifier: MIT
// Accounts end to end against the real binary: sign-up modes, invitations, sessions (login,
// refresh rotation, logout), the profile, team members and team isolation.

import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import jwt from 'jsonwebtoken';

import { api, startServer } from './lib/harness.mjs';

const DEFAULT_TEAM = 'Acme Support';
const PASSWORD = 'correct horse battery';

// ---------------------------------------------------------------------------------------------
// Helpers

function assertProblem(res, status, type) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json\b/,
    `problem content type, got ${res.headers.get('content-type')}`);
  assert.ok(res.json && typeof res.json === 'object', `problem body is a JSON object: ${res.text}`);
  assert.equal(res.json.status, status, 'problem.status matches the HTTP status');
  assert.equal(typeof res.json.type, 'string');
  assert.ok(res.json.type.length > 0, 'problem.type is not empty');
  assert.equal(typeof res.json.title, 'string');
  assert.ok(res.json.title.length > 0, 'problem.title is not empty');
  assert.equal(typeof res.json.detail, 'string');
  if (type) assert.ok(res.json.type.endsWith(type), `problem type ${res.json.type} should end with ${type}`);
  return res.json;
}

function assertFieldErrors(res, ...fields) {
  const problem = assertProblem(res, 422);
  assert.ok(Array.isArray(problem.errors), `422 carries errors[]: ${res.text}`);
  for (const error of problem.errors) {
    assert.equal(typeof error.field, 'string');
    assert.equal(typeof error.message, 'string');
    assert.ok(error.message.length > 0);
  }
  for (const field of fields) {
    assert.ok(problem.errors.some((e) => e.field === field), `errors[] names ${field}: ${res.text}`);
  }
  return problem;
}

function assertSession(res, status, email) {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
  const s = res.json;
  assert.equal(typeof s.accessToken, 'string');
  assert.equal(s.accessToken.split('.').length, 3, 'the access token is a JWT');
  assert.equal(typeof s.refreshToken, 'string');
  assert.ok(s.refreshToken.length >= 32, 'the refresh token is long enough');
  assert.equal(s.tokenType, 'Bearer');
  assert.equal(typeof s.expiresIn, 'number');
  assert.ok(s.expiresIn > 0);
  assert.equal(s.user.email, email);
  assert.equal(typeof s.user.id, 'string');
  assert.ok(Array.isArray(s.user.teams));
  assert.doesNotMatch(res.text, /passwordHash|password_hash|\$2[aby]\$/, 'no password hash in a session');
  return s;
}

const signup = (srv, email, name, password = PASSWORD) =>
  api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password, ...(name ? { name } : {}) } });
const login = (srv, email, password = PASSWORD) =>
  api(srv.url, 'POST', '/api/v1/auth/login', { body: { email, password } });
const refresh = (srv, refreshToken) =>
  api(srv.url, 'POST', '/api/v1/auth/refresh', { body: { refreshToken } });

function unique(prefix) {
  return `${prefix}-${randomBytes(4).toString('hex')}@example.test`;
}

// ---------------------------------------------------------------------------------------------
// Invite mode (the default): the first account, invitations, sessions, the profile.

describe('sign-up by invitation (default SIGNUP_MODE)', () => {
  const secret = randomBytes(32).toString('hex');
  let srv;
  let admin; // session of the first account
  let teamId;
  let editorInvitation;
  const adminEmail = unique('admin');
  const editorEmail = unique('editor');

  before(async () => {
    srv = await startServer({ jwtSecret: secret, env: { DEFAULT_TEAM_NAME: DEFAULT_TEAM, SIGNUP_MODE: undefined } });
  });
  after(() => srv?.stop());

  test('POST /api/v1/auth/signup for the first account → 201, admin of DEFAULT_TEAM_NAME, full session', async () => {
    const res = await signup(srv, adminEmail, 'Ada Admin');
    admin = assertSession(res, 201, adminEmail);
    assert.equal(admin.user.name, 'Ada Admin');
    assert.equal(admin.expiresIn, 3600, 'JWT_EXPIRES_IN defaults to 1 h');
    assert.equal(admin.user.teams.length, 1);
    assert.equal(admin.user.teams[0].name, DEFAULT_TEAM);
    assert.equal(admin.user.teams[0].role, 'admin');
    assert.equal(typeof admin.user.teams[0].id, 'string');
    teamId = admin.user.teams[0].id;
  });

  test('GET /api/v1/teams lists the caller\'s team with its role', async () => {
    const res = await api(srv.url, 'GET', '/api/v1/teams', { token: admin.accessToken });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.data, [{ id: teamId, name: DEFAULT_TEAM, role: 'admin' }]);
  });

  test('a second sign-up without an invitation → 403 problem (invite only)', async () => {
    const res = await signup(srv, unique('stranger'), 'Stranger');
    assertProblem(res, 403, 'signup-invite-only');
  });

  test('POST /api/v1/teams/{id}/invitations as admin → 201 with the invitation', async () => {
    const res = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/invitations`, {
      token: admin.accessToken, body: { email: editorEmail.toUpperCase(), role: 'editor' },
    });
    assert.equal(res.status, 201, res.text);
    editorInvitation = res.json;
    assert.equal(typeof editorInvitation.id, 'string');
    assert.equal(editorInvitation.teamId, teamId);
    assert.equal(editorInvitation.email, editorEmail, 'the email is stored lower-cased');
    assert.equal(editorInvitation.role, 'editor');
    assert.equal(editorInvitation.invitedBy, admin.user.id);
    assert.ok(Date.parse(editorInvitation.expiresAt) > Date.now(), 'expiresAt is in the future');
  });

  test('inviting the same email again → 409 problem', async () => {
    const res = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/invitations`, {
      token: admin.accessToken, body: { email: editorEmail, role: 'viewer' },
    });
    assertProblem(res, 409);
  });

  test('inviting an existing member of the team → 409 problem', async () => {
    const res = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/invitations`, {
      token: admin.accessToken, body: { email: adminEmail, role: 'editor' },
    });
    assertProblem(res, 409);
  });

  test('an invitation with a bad email and an unknown role → 422 naming both fields', async () => {
    const res = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/invitations`, {
      token: admin.accessToken, body: { email: 'not-an-email', role: 'owner' },
    });
    assertFieldErrors(res, 'email', 'role');
  });

  test('GET /api/v1/teams/{id}/invitations lists the pending invitation', async () => {
    const res = await api(srv.url, 'GET', `/api/v1/teams/${teamId}/invitations`, { token: admin.accessToken });
    assert.equal(res.status, 200, res.text);
    assert.ok(Array.isArray(res.json.data));
    assert.ok('nextCursor' in res.json);
    const found = res.json.data.find((i) => i.id === editorInvitation.id);
    assert.ok(found, `the invitation is listed: ${res.text}`);
    assert.equal(found.email, editorEmail);
    assert.equal(found.role, 'editor');
  });

  test('DELETE /api/v1/teams/{id}/invitations/{id} → 204, then it is gone, its email cannot sign up, a second DELETE → 404', async () => {
    const email = unique('revoked');
    const created = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/invitations`, {
      token: admin.accessToken, body: { email, role: 'viewer' },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.json.id;

    const del = await api(srv.url, 'DELETE', `/api/v1/teams/${teamId}/invitations/${id}`, { token: admin.accessToken });
    assert.equal(del.status, 204, del.text);
    assert.equal(del.text, '');

    const list = await api(srv.url, 'GET', `/api/v1/teams/${teamId}/invitations`, { token: admin.accessToken });
    assert.equal(list.status, 200);
    assert.ok(!list.json.data.some((i) => i.id === id), 'a revoked invitation is not listed');

    assertProblem(await signup(srv, email, 'Revoked'), 403, 'signup-invite-only');
    assertProblem(await api(srv.url, 'DELETE', `/api/v1/teams/${teamId}/invitations/${id}`, { token: admin.accessToken }), 404);
  });

  let editor;
  test('the invited email signs up → 201 and joins the inviting team as editor', async () => {
    const res = await signup(srv, editorEmail, 'Eddie Editor');
    editor = assertSession(res, 201, editorEmail);
    assert.deepEqual(editor.user.teams.map((t) => ({ id: t.id, name: t.name, role: t.role })),
      [{ id: teamId, name: DEFAULT_TEAM, role: 'editor' }]);
    const list = await api(srv.url, 'GET', `/api/v1/teams/${teamId}/invitations`, { token: admin.accessToken });
    assert.ok(!list.json.data.some((i) => i.id === editorInvitation.id), 'an accepted invitation is no longer pending');
  });

  test('signing up again with a registered email (any case) → 409 problem', async () => {
    const res = await signup(srv, editorEmail.toUpperCase(), 'Again');
    assertProblem(res, 409);
  });

  test('an editor calling the members and invitations routes → 403 problem', async () => {
    const t = editor.accessToken;
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamId}/members`, { token: t }), 403);
    assertProblem(await api(srv.url, 'POST', `/api/v1/teams/${teamId}/members`, { token: t, body: { email: adminEmail, role: 'viewer' } }), 403);
    assertProblem(await api(srv.url, 'PATCH', `/api/v1/teams/${teamId}/members/${admin.user.id}`, { token: t, body: { role: 'viewer' } }), 403);
    assertProblem(await api(srv.url, 'DELETE', `/api/v1/teams/${teamId}/members/${admin.user.id}`, { token: t }), 403);
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamId}/invitations`, { token: t }), 403);
    assertProblem(await api(srv.url, 'POST', `/api/v1/teams/${teamId}/invitations`, { token: t, body: { email: unique('x'), role: 'viewer' } }), 403);
  });

  test('POST /api/v1/auth/login with the right password → 200 with a new session', async () => {
    const s = assertSession(await login(srv, adminEmail.toUpperCase()), 200, adminEmail);
    assert.equal(s.user.id, admin.user.id);
    assert.equal(s.user.teams[0].role, 'admin');
    assert.notEqual(s.refreshToken, admin.refreshToken);
  });

  test('login with a wrong password and with an unknown email → 401, the same body for both', async () => {
    const wrong = await login(srv, adminEmail, 'not the password');
    const unknown = await login(srv, unique('nobody'), 'not the password');
    assertProblem(wrong, 401);
    assertProblem(unknown, 401);
    assert.deepEqual(unknown.json, wrong.json, 'an unknown email is indistinguishable from a wrong password');
  });

  test('GET /api/v1/auth/me → 200 {user} without any secret', async () => {
    const res = await api(srv.url, 'GET', '/api/v1/auth/me', { token: admin.accessToken });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.id, admin.user.id);
    assert.equal(res.json.user.email, adminEmail);
    assert.equal(res.json.user.name, 'Ada Admin');
    assert.equal(res.json.user.hasPassword, true);
    assert.equal(res.json.user.teams[0].id, teamId);
    assert.doesNotMatch(res.text, /passwordHash|password_hash|\$2[aby]\$/);
  });

  test('PATCH /api/v1/auth/me changes name and avatarUrl → 200 with the new values, kept by GET', async () => {
    const avatarUrl = 'https://cdn.example.test/ada.png';
    const res = await api(srv.url, 'PATCH', '/api/v1/auth/me', {
      token: admin.accessToken, body: { name: 'Ada Lovelace', avatarUrl },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.name, 'Ada Lovelace');
    assert.equal(res.json.user.avatarUrl, avatarUrl);
    const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: admin.accessToken });
    assert.equal(me.json.user.name, 'Ada Lovelace');
    assert.equal(me.json.user.avatarUrl, avatarUrl);
  });

  test('PATCH /api/v1/auth/me with an unknown field or a bad avatarUrl → 422 naming the fields', async () => {
    assertFieldErrors(await api(srv.url, 'PATCH', '/api/v1/auth/me', { token: admin.accessToken, body: { nickname: 'x' } }), 'nickname');
    assertFieldErrors(await api(srv.url, 'PATCH', '/api/v1/auth/me', { token: admin.accessToken, body: { avatarUrl: 'javascript:alert(1)' } }), 'avatarUrl');
    assertFieldErrors(await api(srv.url, 'PATCH', '/api/v1/auth/me', { token: admin.accessToken, body: { name: '' } }), 'name');
    const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: admin.accessToken });
    assert.equal(me.json.user.name, 'Ada Lovelace', 'a rejected change changes nothing');
  });

  test('a password change without currentPassword → 422 field currentPassword', async () => {
    const res = await api(srv.url, 'PATCH', '/api/v1/auth/me', { token: admin.accessToken, body: { password: 'a brand new password' } });
    assertFieldErrors(res, 'currentPassword');
  });

  test('a password change with a wrong currentPassword → 422 field currentPassword, the password is unchanged', async () => {
    const res = await api(srv.url, 'PATCH', '/api/v1/auth/me', {
      token: admin.accessToken, body: { password: 'a brand new password', currentPassword: 'wrong password' },
    });
    assertFieldErrors(res, 'currentPassword');
    assert.equal((await login(srv, adminEmail)).status, 200);
  });

  test('a new password that is too short → 422 field password', async () => {
    const res = await api(srv.url, 'PATCH', '/api/v1/auth/me', {
      token: admin.accessToken, body: { password: 'short', currentPassword: PASSWORD },
    });
    assertFieldErrors(res, 'password');
  });

  test('after a password change the old password fails, the new one works and older refresh tokens are revoked', async () => {
    const before = assertSession(await login(srv, adminEmail), 200, adminEmail);
    const newPassword = 'a brand new password';
    const res = await api(srv.url, 'PATCH', '/api/v1/auth/me', {
      token: admin.accessToken, body: { password: newPassword, currentPassword: PASSWORD },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.id, admin.user.id);

    assertProblem(await login(srv, adminEmail, PASSWORD), 401);
    const after = assertSession(await login(srv, adminEmail, newPassword), 200, adminEmail);
    assertProblem(await refresh(srv, before.refreshToken), 401);
    assertProblem(await refresh(srv, admin.refreshToken), 401);
    // The session made after the change still works.
    assert.equal((await refresh(srv, after.refreshToken)).status, 200);
    admin = after;
  });

  test('POST /api/v1/auth/refresh rotates: a new refresh token that differs and a working access token', async () => {
    const s0 = assertSession(await login(srv, editorEmail), 200, editorEmail);
    const s1 = assertSession(await refresh(srv, s0.refreshToken), 200, editorEmail);
    assert.notEqual(s1.refreshToken, s0.refreshToken);
    assert.notEqual(s1.accessToken, s0.accessToken);
    assert.equal(s1.user.id, editor.user.id);
    const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: s1.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.json.user.id, editor.user.id);
  });

  test('POST /api/v1/auth/refresh with a rotated token → 401 and the family is revoked (the successor is refused too)', async () => {
    const s0 = assertSession(await login(srv, editorEmail), 200, editorEmail);
    const s1 = assertSession(await refresh(srv, s0.refreshToken), 200, editorEmail);
    assertProblem(await refresh(srv, s0.refreshToken), 401);
    assertProblem(await refresh(srv, s1.refreshToken), 401);
    // Another sign-in (another family) is untouched.
    const other = assertSession(await login(srv, editorEmail), 200, editorEmail);
    assert.equal((await refresh(srv, other.refreshToken)).status, 200);
  });

  test('POST /api/v1/auth/refresh with an unknown token → 401, with no token → 422', async () => {
    assertProblem(await refresh(srv, randomBytes(32).toString('base64url')), 401);
    assertFieldErrors(await api(srv.url, 'POST', '/api/v1/auth/refresh', { body: {} }), 'refreshToken');
  });

  test('POST /api/v1/auth/logout → 204; refresh after logout → 401; logging out twice → 204', async () => {
    const s = assertSession(await login(srv, editorEmail), 200, editorEmail);
    const out = await api(srv.url, 'POST', '/api/v1/auth/logout', { body: { refreshToken: s.refreshToken } });
    assert.equal(out.status, 204, out.text);
    assert.equal(out.text, '');
    assertProblem(await refresh(srv, s.refreshToken), 401);
    const again = await api(srv.url, 'POST', '/api/v1/auth/logout', { body: { refreshToken: s.refreshToken } });
    assert.equal(again.status, 204, again.text);
  });

  test('an expired access token (signed with JWT_SECRET, exp in the past) → 401 problem', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = jwt.sign({ sub: admin.user.id, id: admin.user.id, email: adminEmail, iat: now - 7200, exp: now - 3600 }, secret);
    assertProblem(await api(srv.url, 'GET', '/api/v1/auth/me', { token }), 401);
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamId}/members`, { token }), 401);
  });

  test('a token signed with another secret, a garbage token, no token → 401 problem', async () => {
    const forged = jwt.sign({ sub: admin.user.id, id: admin.user.id, email: adminEmail }, 'x'.repeat(40), { expiresIn: '1h' });
    assertProblem(await api(srv.url, 'GET', '/api/v1/auth/me', { token: forged }), 401);
    assertProblem(await api(srv.url, 'GET', '/api/v1/auth/me', { token: 'not.a.jwt' }), 401);
    assertProblem(await api(srv.url, 'GET', '/api/v1/auth/me'), 401);
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamId}/members`), 401);
    assertProblem(await api(srv.url, 'GET', '/api/v1/teams'), 401);
    assertProblem(await api(srv.url, 'PATCH', '/api/v1/auth/me', { body: { name: 'x' } }), 401);
  });

  test('a valid token for a user that does not exist → 401 problem', async () => {
    const ghost = randomUUID();
    const token = jwt.sign({ sub: ghost, id: ghost, email: 'ghost@example.test' }, secret, { expiresIn: '1h' });
    assertProblem(await api(srv.url, 'GET', '/api/v1/auth/me', { token }), 401);
  });
});

// ---------------------------------------------------------------------------------------------
// Open mode: every new account gets its own team; members management and team isolation.

describe('SIGNUP_MODE=open, team members and team isolation', () => {
  let srv;
  let alice; // first account: admin of DEFAULT_TEAM
  let bob; // own team "Bob's Team"
  let carol; // no name: own team "<email>'s Team"
  let teamA;
  let teamB;

  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: 'open', DEFAULT_TEAM_NAME: DEFAULT_TEAM } });
    alice = (await signup(srv, unique('alice'), 'Alice')).json;
    teamA = alice.user.teams[0].id;
  });
  after(() => srv?.stop());

  test('the first account is still admin of DEFAULT_TEAM_NAME', () => {
    assert.equal(alice.user.teams[0].name, DEFAULT_TEAM);
    assert.equal(alice.user.teams[0].role, 'admin');
  });

  test('a new sign-up gets its own team "<name>\'s Team" as admin', async () => {
    const email = unique('bob');
    bob = assertSession(await signup(srv, email, 'Bob'), 201, email);
    assert.equal(bob.user.teams.length, 1);
    assert.equal(bob.user.teams[0].name, "Bob's Team");
    assert.equal(bob.user.teams[0].role, 'admin');
    assert.notEqual(bob.user.teams[0].id, teamA);
    teamB = bob.user.teams[0].id;
  });

  test('a sign-up without a name gets "<email>\'s Team"', async () => {
    const email = unique('carol');
    carol = assertSession(await signup(srv, email), 201, email);
    assert.equal(carol.user.teams[0].name, `${email}'s Team`);
    assert.equal(carol.user.teams[0].role, 'admin');
  });

  test('a duplicate email in open mode → 409 problem', async () => {
    const res = await signup(srv, bob.user.email, 'Bob again');
    assertProblem(res, 409);
  });

  test('GET /api/v1/teams/{id}/members (admin) → 200 with the admin', async () => {
    const res = await api(srv.url, 'GET', `/api/v1/teams/${teamA}/members`, { token: alice.accessToken });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.data.length, 1);
    const [m] = res.json.data;
    assert.equal(m.userId, alice.user.id);
    assert.equal(m.email, alice.user.email);
    assert.equal(m.name, 'Alice');
    assert.equal(m.role, 'admin');
  });

  test('POST /api/v1/teams/{id}/members adds an existing user by email → 201; the user sees the team', async () => {
    const res = await api(srv.url, 'POST', `/api/v1/teams/${teamA}/members`, {
      token: alice.accessToken, body: { email: bob.user.email, role: 'editor' },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.userId, bob.user.id);
    assert.equal(res.json.email, bob.user.email);
    assert.equal(res.json.role, 'editor');
    const teams = await api(srv.url, 'GET', '/api/v1/teams', { token: bob.accessToken });
    assert.deepEqual(teams.json.data.map((t) => [t.id, t.role]).sort(),
      [[teamA, 'editor'], [teamB, 'admin']].sort());
    const list = await api(srv.url, 'GET', `/api/v1/teams/${teamA}/members`, { token: alice.accessToken });
    assert.deepEqual(list.json.data.map((m) => [m.userId, m.role]).sort(),
      [[alice.user.id, 'admin'], [bob.user.id, 'editor']].sort());
  });

  test('adding a member twice → 409; adding an email without an account → 422 field email; a bad role → 422 field role', async () => {
    assertProblem(await api(srv.url, 'POST', `/api/v1/teams/${teamA}/members`, { token: alice.accessToken, body: { email: bob.user.email, role: 'viewer' } }), 409);
    assertFieldErrors(await api(srv.url, 'POST', `/api/v1/teams/${teamA}/members`, { token: alice.accessToken, body: { email: unique('nobody'), role: 'viewer' } }), 'email');
    assertFieldErrors(await api(srv.url, 'POST', `/api/v1/teams/${teamA}/members`, { token: alice.accessToken, body: { email: carol.user.email, role: 'boss' } }), 'role');
  });

  test('PATCH /api/v1/teams/{id}/members/{userId} changes the role → 200', async () => {
    const res = await api(srv.url, 'PATCH', `/api/v1/teams/${teamA}/members/${bob.user.id}`, {
      token: alice.accessToken, body: { role: 'viewer' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.userId, bob.user.id);
    assert.equal(res.json.role, 'viewer');
    const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: bob.accessToken });
    assert.equal(me.json.user.teams.find((t) => t.id === teamA).role, 'viewer');
  });

  test('PATCH/DELETE a user who is not a member → 404', async () => {
    assertProblem(await api(srv.url, 'PATCH', `/api/v1/teams/${teamA}/members/${carol.user.id}`, { token: alice.accessToken, body: { role: 'viewer' } }), 404);
    assertProblem(await api(srv.url, 'DELETE', `/api/v1/teams/${teamA}/members/${carol.user.id}`, { token: alice.accessToken }), 404);
  });

  test('a viewer calling the members routes → 403 problem', async () => {
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamA}/members`, { token: bob.accessToken }), 403);
    assertProblem(await api(srv.url, 'PATCH', `/api/v1/teams/${teamA}/members/${bob.user.id}`, { token: bob.accessToken, body: { role: 'admin' } }), 403);
  });

  test('the last admin cannot be demoted or removed → 409 problem, and stays admin', async () => {
    assertProblem(await api(srv.url, 'PATCH', `/api/v1/teams/${teamA}/members/${alice.user.id}`, { token: alice.accessToken, body: { role: 'editor' } }), 409, 'last-admin');
    assertProblem(await api(srv.url, 'DELETE', `/api/v1/teams/${teamA}/members/${alice.user.id}`, { token: alice.accessToken }), 409, 'last-admin');
    const list = await api(srv.url, 'GET', `/api/v1/teams/${teamA}/members`, { token: alice.accessToken });
    assert.equal(list.json.data.find((m) => m.userId === alice.user.id).role, 'admin');
  });

  test('with a second admin, the first can be demoted; then the new sole admin cannot leave', async () => {
    const promote = await api(srv.url, 'PATCH', `/api/v1/teams/${teamA}/members/${bob.user.id}`, { token: alice.accessToken, body: { role: 'admin' } });
    assert.equal(promote.status, 200, promote.text);
    const demote = await api(srv.url, 'PATCH', `/api/v1/teams/${teamA}/members/${alice.user.id}`, { token: bob.accessToken, body: { role: 'editor' } });
    assert.equal(demote.status, 200, demote.text);
    assert.equal(demote.json.role, 'editor');
    assertProblem(await api(srv.url, 'DELETE', `/api/v1/teams/${teamA}/members/${bob.user.id}`, { token: bob.accessToken }), 409, 'last-admin');
    // Alice is an editor now: the members routes are closed to her.
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamA}/members`, { token: alice.accessToken }), 403);
  });

  test('DELETE /api/v1/teams/{id}/members/{userId} → 204, the user loses the team', async () => {
    const res = await api(srv.url, 'DELETE', `/api/v1/teams/${teamA}/members/${alice.user.id}`, { token: bob.accessToken });
    assert.equal(res.status, 204, res.text);
    const list = await api(srv.url, 'GET', `/api/v1/teams/${teamA}/members`, { token: bob.accessToken });
    assert.deepEqual(list.json.data.map((m) => m.userId), [bob.user.id]);
    const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: alice.accessToken });
    assert.ok(!me.json.user.teams.some((t) => t.id === teamA));
    // Now outside the team, Alice gets 404 (no existence leak), not 403.
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamA}/members`, { token: alice.accessToken }), 404);
  });

  test('a member of team C asking for team A\'s members or invitations → 404 (team isolation)', async () => {
    const t = carol.accessToken;
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamA}/members`, { token: t }), 404);
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamA}/invitations`, { token: t }), 404);
    assertProblem(await api(srv.url, 'POST', `/api/v1/teams/${teamA}/invitations`, { token: t, body: { email: unique('x'), role: 'admin' } }), 404);
    assertProblem(await api(srv.url, 'POST', `/api/v1/teams/${teamA}/members`, { token: t, body: { email: carol.user.email, role: 'admin' } }), 404);
    assertProblem(await api(srv.url, 'PATCH', `/api/v1/teams/${teamA}/members/${bob.user.id}`, { token: t, body: { role: 'viewer' } }), 404);
    assertProblem(await api(srv.url, 'DELETE', `/api/v1/teams/${teamA}/members/${bob.user.id}`, { token: t }), 404);
    // Carol's own team answers normally.
    const own = await api(srv.url, 'GET', `/api/v1/teams/${carol.user.teams[0].id}/members`, { token: t });
    assert.equal(own.status, 200, own.text);
  });

  test('an unknown team id → 404 problem', async () => {
    for (const id of [randomUUID(), 'no-such-team']) {
      assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${id}/members`, { token: bob.accessToken }), 404);
      assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${id}/invitations`, { token: bob.accessToken }), 404);
    }
  });

  test('the members routes without a token → 401 problem', async () => {
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamA}/members`), 401);
    assertProblem(await api(srv.url, 'POST', `/api/v1/teams/${teamA}/members`, { body: { email: carol.user.email, role: 'viewer' } }), 401);
    assertProblem(await api(srv.url, 'GET', `/api/v1/teams/${teamA}/invitations`), 401);
  });
});

// ---------------------------------------------------------------------------------------------

describe('SIGNUP_MODE=closed', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: 'closed', DEFAULT_TEAM_NAME: DEFAULT_TEAM } });
  });
  after(() => srv?.stop());

  test('the first account of an empty install may still sign up (becomes admin)', async () => {
    const email = unique('owner');
    const s = assertSession(await signup(srv, email, 'Owner'), 201, email);
    assert.equal(s.user.teams[0].name, DEFAULT_TEAM);
    assert.equal(s.user.teams[0].role, 'admin');
  });

  test('any later sign-up → 403 problem (closed)', async () => {
    assertProblem(await signup(srv, unique('late'), 'Late'), 403, 'signup-closed');
  });
});

// ---------------------------------------------------------------------------------------------

describe('lifetimes: INVITATION_TTL, REFRESH_TOKEN_TTL, JWT_EXPIRES_IN', () => {
  const secret = randomBytes(32).toString('hex');
  let srv;
  let admin;
  let teamId;

  before(async () => {
    srv = await startServer({
      jwtSecret: secret,
      env: { SIGNUP_MODE: undefined, INVITATION_TTL: '1s', REFRESH_TOKEN_TTL: '2s', JWT_EXPIRES_IN: '90s' },
    });
    admin = (await signup(srv, unique('ttl-admin'), 'TTL Admin')).json;
    teamId = admin.user.teams[0].id;
  });
  after(() => srv?.stop());

  test('JWT_EXPIRES_IN sets expiresIn and the token\'s exp', () => {
    assert.equal(admin.expiresIn, 90);
    const claims = jwt.verify(admin.accessToken, secret, { algorithms: ['HS256'] });
    assert.equal(claims.exp - claims.iat, 90);
  });

  test('an expired invitation is no longer listed and no longer lets its email sign up', async () => {
    const email = unique('late');
    const res = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/invitations`, { token: admin.accessToken, body: { email, role: 'editor' } });
    assert.equal(res.status, 201, res.text);
    assert.ok(Date.parse(res.json.expiresAt) - Date.parse(res.json.createdAt) <= 1_500, 'expires after INVITATION_TTL');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const list = await api(srv.url, 'GET', `/api/v1/teams/${teamId}/invitations`, { token: admin.accessToken });
    assert.equal(list.status, 200);
    assert.ok(!list.json.data.some((i) => i.email === email), `an expired invitation is not pending: ${list.text}`);
    assertProblem(await signup(srv, email, 'Late'), 403, 'signup-invite-only');
    // The email can be invited again.
    const again = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/invitations`, { token: admin.accessToken, body: { email, role: 'editor' } });
    assert.equal(again.status, 201, again.text);
  });

  test('a refresh token works within REFRESH_TOKEN_TTL and → 401 once it has expired', async () => {
    const a = assertSession(await login(srv, admin.user.email), 200, admin.user.email);
    const b = assertSession(await login(srv, admin.user.email), 200, admin.user.email);
    assert.equal((await refresh(srv, a.refreshToken)).status, 200, 'fresh refresh token');
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    assertProblem(await refresh(srv, b.refreshToken), 401);
  });
});

// ---------------------------------------------------------------------------------------------
// The rules must hold when requests race (PostgreSQL runs several database threads).

describe('the team rules under concurrent requests', () => {
  let srv;
  const ROUNDS = 3;
  const PARALLEL = 6;

  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: 'open' } });
  });
  after(() => srv?.stop());

  async function freshAdmin(tag) {
    const email = unique(tag);
    return assertSession(await signup(srv, email, tag), 201, email);
  }

  test('the same member added by concurrent requests → exactly one 201, the others 409 (never 500)', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const admin = await freshAdmin('race-admin');
      const user = await freshAdmin('race-user');
      const teamId = admin.user.teams[0].id;
      const answers = await Promise.all(Array.from({ length: PARALLEL }, () =>
        api(srv.url, 'POST', `/api/v1/teams/${teamId}/members`, { token: admin.accessToken, body: { email: user.user.email, role: 'editor' } })));
      const statuses = answers.map((r) => r.status).sort();
      assert.deepEqual(statuses, [201, ...Array(PARALLEL - 1).fill(409)], `round ${round}: ${statuses}`);
      for (const r of answers.filter((a) => a.status === 409)) assertProblem(r, 409);
    }
  });

  test('the same email invited by concurrent requests → exactly one 201 and one pending invitation', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const admin = await freshAdmin('race-inviter');
      const teamId = admin.user.teams[0].id;
      const email = unique('race-invitee');
      const answers = await Promise.all(Array.from({ length: PARALLEL }, () =>
        api(srv.url, 'POST', `/api/v1/teams/${teamId}/invitations`, { token: admin.accessToken, body: { email, role: 'editor' } })));
      const statuses = answers.map((r) => r.status).sort();
      const list = await api(srv.url, 'GET', `/api/v1/teams/${teamId}/invitations`, { token: admin.accessToken });
      assert.deepEqual(statuses, [201, ...Array(PARALLEL - 1).fill(409)], `round ${round}: ${statuses}; pending: ${list.json.data.length}`);
      assert.equal(list.json.data.filter((i) => i.email === email).length, 1);
    }
  });

  test('concurrent refreshes of one refresh token → at most one 200, the others 401 (never 500)', async () => {
    const user = await freshAdmin('race-refresh');
    const answers = await Promise.all(Array.from({ length: PARALLEL }, () => refresh(srv, user.refreshToken)));
    const statuses = answers.map((r) => r.status).sort();
    assert.ok(statuses.filter((x) => x === 200).length <= 1, `${statuses}`);
    assert.ok(statuses.every((x) => x === 200 || x === 401), `${statuses}: ${answers.find((r) => r.status !== 200 && r.status !== 401)?.text}`);
    for (const r of answers.filter((a) => a.status === 401)) assertProblem(r, 401);
  });

  test('two admins demoting each other at the same time leave at least one admin', async () => {
    for (let round = 0; round < 2 * ROUNDS; round++) {
      const a = await freshAdmin('race-a');
      const b = await freshAdmin('race-b');
      const teamId = a.user.teams[0].id;
      const add = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/members`, { token: a.accessToken, body: { email: b.user.email, role: 'admin' } });
      assert.equal(add.status, 201, add.text);
      const answers = await Promise.all([
        api(srv.url, 'PATCH', `/api/v1/teams/${teamId}/members/${b.user.id}`, { token: a.accessToken, body: { role: 'viewer' } }),
        api(srv.url, 'PATCH', `/api/v1/teams/${teamId}/members/${a.user.id}`, { token: b.accessToken, body: { role: 'viewer' } }),
        api(srv.url, 'DELETE', `/api/v1/teams/${teamId}/members/${a.user.id}`, { token: a.accessToken }),
      ]);
      const roles = await Promise.all([a, b].map(async (s) => {
        const me = await api(srv.url, 'GET', '/api/v1/auth/me', { token: s.accessToken });
        return me.json.user.teams.find((t) => t.id === teamId)?.role;
      }));
      assert.ok(roles.includes('admin'), `round ${round}: answers ${answers.map((r) => r.status)}, roles now ${roles}`);
    }
  });
});

describe('concurrent first sign-ups on an empty install', () => {
  let srv;
  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: undefined, DEFAULT_TEAM_NAME: DEFAULT_TEAM } });
  });
  after(() => srv?.stop());

  test('8 simultaneous sign-ups in invite mode → exactly one 201 (the admin), the others 403', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => signup(srv, unique(`first${i}`), `First ${i}`)));
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 403, 403, 403, 403, 403, 403, 403], `${statuses}`);
    const admin = answers.find((r) => r.status === 201).json;
    assert.deepEqual(admin.user.teams.map((t) => [t.name, t.role]), [[DEFAULT_TEAM, 'admin']]);
  });
});
