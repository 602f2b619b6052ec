// SPDX-License-Identifier: MIT
// The role matrix: every team-scoped /api/v1 route (plus /api/v1/teams, /api/v1/auth/me and
// /api/v1/me/settings, and the compatible routes where roles apply) called by each of: no token,
// a viewer, an editor and an admin of the team, and an outsider (a member of another team).
// Expected: no token → 401; outsider → 404 (no existence leak); below the route's minimum role
// → 403; at or above → the route's success status. One test per row × caller, so a failure
// names its cell. A last test reads the router's registrations from server/api/v1/*.cpp and
// fails naming any /api/v1/teams route the table does not cover.
//
// Rows that destroy or use up their target (DELETE, merge, role changes, adds) get a fresh
// target per caller, created by the admin in `before`, so the order of the cells never matters
// and a lower role's (wrong) success cannot take the target a higher role needs.

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startFakeTwilio } from './lib/faketwilio.mjs';
import { api, startServer, noReadCache } from './lib/harness.mjs';
import { createContact, newPhone, openConversation, sendMessage } from './lib/inboxfixtures.mjs';
import { PASSWORD, assertProblem, setUpTeam, sql, unique } from './lib/teamfixture.mjs';

const CALLERS = ['none', 'viewer', 'editor', 'admin', 'outsider'];
const RANK = { viewer: 1, editor: 2, admin: 3 };
const LABEL = { none: 'no token', viewer: 'viewer', editor: 'editor', admin: 'admin', outsider: 'outsider' };

const V1 = '/api/v1/teams/{teamId}';

// min: 'viewer' | 'editor' | 'admin' (a team member with at least that role), or 'user' (any
// signed-in account: the route is not team-scoped). ok: the success status.
// path(f, target, who) builds the URL; body(f, target, who) the JSON body (or raw + headers).
// target(who): a fresh target for that caller, made in `before` (destructive rows).
// compat: the original's surface (401 plain text, other errors {error}); outsider: the status an
// outsider gets where it is not 404 (a compat route acting in the caller's own first team).
// outsiderSees(f, json): what an outsider's 2xx answer must not hold (our team's data).
// foreignId: which of another team's ids stands in for `target.id` in the cross-team cells.
const ROWS = [
  // Accounts and teams
  { route: 'GET /api/v1/auth/me', min: 'user', ok: 200, path: () => '/api/v1/auth/me' },
  { route: 'PATCH /api/v1/auth/me', min: 'user', ok: 200, path: () => '/api/v1/auth/me',
    body: (f, tg, who) => ({ name: who }) },
  { route: 'GET /api/v1/me/settings', min: 'user', ok: 200, path: () => '/api/v1/me/settings' },
  { route: 'PATCH /api/v1/me/settings', min: 'user', ok: 200, path: () => '/api/v1/me/settings',
    body: () => ({ theme: 'dark' }) },
  { route: 'GET /api/v1/teams', min: 'user', ok: 200, path: () => '/api/v1/teams' },
  { route: `GET ${V1}/members`, min: 'admin', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/members` },
  { route: `POST ${V1}/members`, min: 'admin', ok: 201, path: (f) => `/api/v1/teams/${f.teamId}/members`,
    target: (who) => signUpAccount(`join-${who}`),
    body: (f, account) => ({ email: account.email, role: 'viewer' }) },
  { route: `PATCH ${V1}/members/{userId}`, min: 'admin', ok: 200,
    target: (who) => addMember(`promote-${who}`),
    path: (f, member) => `/api/v1/teams/${f.teamId}/members/${member.userId}`,
    body: () => ({ role: 'editor' }) },
  { route: `DELETE ${V1}/members/{userId}`, min: 'admin', ok: 204,
    target: (who) => addMember(`remove-${who}`),
    path: (f, member) => `/api/v1/teams/${f.teamId}/members/${member.userId}` },
  { route: `GET ${V1}/invitations`, min: 'admin', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/invitations` },
  { route: `POST ${V1}/invitations`, min: 'admin', ok: 201, path: (f) => `/api/v1/teams/${f.teamId}/invitations`,
    target: (who) => ({ email: unique(`invitee-${who}`) }),
    body: (f, invitee) => ({ email: invitee.email, role: 'editor' }) },
  { route: `DELETE ${V1}/invitations/{invitationId}`, min: 'admin', ok: 204,
    target: (who) => invite(`revoke-${who}`), foreignId: 'invitationId',
    path: (f, invitation) => `/api/v1/teams/${f.teamId}/invitations/${invitation.id}` },

  // Team settings and search
  { route: `GET ${V1}/settings`, min: 'viewer', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/settings` },
  { route: `PATCH ${V1}/settings`, min: 'admin', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/settings`,
    body: () => ({ defaultRegion: 'US' }) },
  { route: `GET ${V1}/search`, min: 'viewer', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/search?q=Rolecontact` },

  // Inboxes (admin writes). Targets are voice inboxes, so the sms conversations never fall back
  // on one of them.
  { route: `GET ${V1}/inboxes`, min: 'viewer', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/inboxes` },
  { route: `POST ${V1}/inboxes`, min: 'admin', ok: 201, path: (f) => `/api/v1/teams/${f.teamId}/inboxes`,
    target: () => ({ address: newPhone() }),
    body: (f, tg, who) => ({ name: `Line of ${who}`, channel: 'voice', address: tg.address }) },
  { route: `GET ${V1}/inboxes/{inboxId}`, min: 'viewer', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/inboxes/${f.inboxId}` },
  { route: `PATCH ${V1}/inboxes/{inboxId}`, min: 'admin', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/inboxes/${f.inboxId}`, body: () => ({ name: 'Roles line' }) },
  { route: `DELETE ${V1}/inboxes/{inboxId}`, min: 'admin', ok: 204,
    target: (who) => createInbox(`Doomed ${who}`, 'voice'), foreignId: 'inboxId',
    path: (f, inbox) => `/api/v1/teams/${f.teamId}/inboxes/${inbox.id}` },

  // Contacts (editors edit; deleting is the admin's: see contacts.test.mjs)
  { route: `GET ${V1}/contacts`, min: 'viewer', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/contacts` },
  { route: `POST ${V1}/contacts`, min: 'editor', ok: 201, path: (f) => `/api/v1/teams/${f.teamId}/contacts`,
    body: (f, tg, who) => ({ name: `Created by ${who}` }) },
  { route: `GET ${V1}/contacts/export`, min: 'viewer', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/contacts/export` },
  { route: `POST ${V1}/contacts/import`, min: 'editor', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/contacts/import`,
    raw: (f, tg, who) => `name,email\nImported by ${who},imported-${who}-${f.tag}@example.test\n`,
    headers: { 'content-type': 'text/csv' } },
  { route: `GET ${V1}/contacts/{contactId}`, min: 'viewer', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/contacts/${f.contactId}` },
  { route: `PATCH ${V1}/contacts/{contactId}`, min: 'editor', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/contacts/${f.contactId}`, body: () => ({ name: 'Rolecontact Person' }) },
  { route: `DELETE ${V1}/contacts/{contactId}`, min: 'admin', ok: 204,
    target: async (who) => ({ id: await createContact(srv, team.teamId, team.admin.token, { name: `Delete ${who}` }) }),
    foreignId: 'contactId',
    path: (f, contact) => `/api/v1/teams/${f.teamId}/contacts/${contact.id}` },
  { route: `POST ${V1}/contacts/{contactId}/merge`, min: 'editor', ok: 200,
    target: async (who) => ({
      survivor: await createContact(srv, team.teamId, team.admin.token, { name: `Survivor ${who}` }),
      source: await createContact(srv, team.teamId, team.admin.token, { name: `Source ${who}` }),
    }),
    path: (f, pair) => `/api/v1/teams/${f.teamId}/contacts/${pair.survivor}/merge`,
    body: (f, pair) => ({ sourceContactId: pair.source }) },

  // Conversations and messages
  { route: `GET ${V1}/conversations`, min: 'viewer', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/conversations` },
  { route: `POST ${V1}/conversations`, min: 'editor', ok: 201, path: (f) => `/api/v1/teams/${f.teamId}/conversations`,
    target: async (who) => ({ contactId: await createContact(srv, team.teamId, team.admin.token, { name: `Open for ${who}` }) }),
    body: (f, tg) => ({ contactId: tg.contactId }) },
  { route: `GET ${V1}/conversations/{conversationId}`, min: 'viewer', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/conversations/${f.conversationId}` },
  { route: `PATCH ${V1}/conversations/{conversationId}`, min: 'editor', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/conversations/${f.conversationId}`, body: () => ({ status: 'open' }) },
  { route: `POST ${V1}/conversations/{conversationId}/read`, min: 'editor', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/conversations/${f.conversationId}/read` },
  { route: `POST ${V1}/conversations/{conversationId}/unread`, min: 'editor', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/conversations/${f.conversationId}/unread` },
  { route: `GET ${V1}/conversations/{conversationId}/messages`, min: 'viewer', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/conversations/${f.conversationId}/messages` },
  { route: `POST ${V1}/conversations/{conversationId}/messages`, min: 'editor', ok: 201,
    path: (f) => `/api/v1/teams/${f.teamId}/conversations/${f.conversationId}/messages`,
    body: (f, tg, who) => ({ body: `Hello from ${who}` }) },

  // Calls: viewers read the log; editors call. The team has no voice inbox, so a caller who
  // passes the role check gets the use case's 409 (nothing goes to Twilio).
  { route: `GET ${V1}/calls`, min: 'viewer', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/calls` },
  { route: `POST ${V1}/conversations/{conversationId}/calls`, min: 'editor', ok: 409,
    path: (f) => `/api/v1/teams/${f.teamId}/conversations/${f.conversationId}/calls`, body: () => ({}) },

  // Stored media of a message (the fixture message's item 0, seeded as stored in `before`).
  { route: `GET ${V1}/messages/{messageId}/media/{index}`, min: 'viewer', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/messages/${f.messageId}/media/0` },
  { route: `POST ${V1}/messages/{messageId}/media/{index}/link`, min: 'viewer', ok: 201,
    path: (f) => `/api/v1/teams/${f.teamId}/messages/${f.messageId}/media/0/link` },

  // Scheduled messages: viewers list; editors reschedule and cancel (each caller its own message,
  // scheduled an hour ahead by the admin in `before`).
  { route: `GET ${V1}/scheduled-messages`, min: 'viewer', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/scheduled-messages` },
  { route: `PATCH ${V1}/messages/{messageId}`, min: 'editor', ok: 200,
    target: (who) => scheduleMessage(`Reschedule for ${who}`), foreignId: 'messageId',
    path: (f, message) => `/api/v1/teams/${f.teamId}/messages/${message.id}`,
    body: () => ({ sendAt: new Date(Date.now() + 7200_000).toISOString() }) },
  { route: `POST ${V1}/messages/{messageId}/cancel`, min: 'editor', ok: 200,
    target: (who) => scheduleMessage(`Cancel for ${who}`), foreignId: 'messageId',
    path: (f, message) => `/api/v1/teams/${f.teamId}/messages/${message.id}/cancel` },

  // Notes: editors write; changing a note is its author's or an admin's.
  { route: `GET ${V1}/notes`, min: 'viewer', ok: 200, path: (f) => `/api/v1/teams/${f.teamId}/notes` },
  { route: `POST ${V1}/notes`, min: 'editor', ok: 201, path: (f) => `/api/v1/teams/${f.teamId}/notes`,
    body: (f, tg, who) => ({ content: `Note by ${who}`, contactId: f.contactId }) },
  { route: `GET ${V1}/notes/{noteId}`, min: 'viewer', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/notes/${f.noteId}` },
  { route: `PATCH ${V1}/notes/{noteId}`, variant: "the editor's own note", min: 'editor', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/notes/${f.editorNoteId}`, body: () => ({ content: 'Edited' }) },
  { route: `PATCH ${V1}/notes/{noteId}`, variant: "the admin's note", min: 'admin', ok: 200,
    path: (f) => `/api/v1/teams/${f.teamId}/notes/${f.noteId}`, body: () => ({ content: 'Edited by an admin' }) },
  { route: `DELETE ${V1}/notes/{noteId}`, variant: "the editor's own note", min: 'editor', ok: 204,
    target: (who) => writeNote('editor', `Doomed note ${who}`), foreignId: 'noteId',
    path: (f, note) => `/api/v1/teams/${f.teamId}/notes/${note.id}` },
  { route: `DELETE ${V1}/notes/{noteId}`, variant: "the admin's note", min: 'admin', ok: 204,
    target: (who) => writeNote('admin', `Doomed admin note ${who}`), foreignId: 'noteId',
    path: (f, note) => `/api/v1/teams/${f.teamId}/notes/${note.id}` },

  // The original's routes, in the caller's first team (ours for the team's members, their own for
  // the outsider): lists of their own team are fine for an outsider; our contact is not theirs.
  { route: 'GET /api/inbox/threads', compat: true, min: 'viewer', ok: 200, outsider: 200,
    path: () => '/api/inbox/threads',
    outsiderSees: (f, threads) => assert.ok(!threads.some((x) => x.id === f.contactId), 'not our contact') },
  { route: 'GET /api/messages/thread/{contactId}', compat: true, min: 'viewer', ok: 200,
    path: (f) => `/api/messages/thread/${f.contactId}` },
  { route: 'POST /api/messages/send', compat: true, min: 'editor', ok: 200, path: () => '/api/messages/send',
    body: (f, tg, who) => ({ contactId: f.contactId, body: `Compat hello from ${who}` }) },
  { route: 'GET /api/notes', compat: true, min: 'viewer', ok: 200, outsider: 200, path: () => '/api/notes',
    outsiderSees: (f, notes) => assert.ok(!notes.some((n) => n.contactId === f.contactId), 'not our notes') },
  { route: 'POST /api/notes', compat: true, min: 'editor', ok: 201, path: () => '/api/notes',
    body: (f, tg, who) => ({ content: `Compat note by ${who}`, contactId: f.contactId }) },
];

function expectedStatus(row, who) {
  if (who === 'none') return 401;
  if (row.min === 'user') return row.ok;
  if (who === 'outsider') return row.outsider ?? 404;
  return RANK[who] >= RANK[row.min] ? row.ok : 403;
}

const rowName = (row) => (row.variant ? `${row.route} [${row.variant}]` : row.route);
const rowKey = (row) => `${row.route}|${row.variant ?? ''}`;

// Server state shared by the helpers above (set in `before`).
let srv;
let team;
let fake;
const TWILIO_ACCOUNT = 'AC' + '7'.repeat(32);
const TWILIO_TOKEN = '7'.repeat(32);
const fixtures = {};
const foreign = {}; // ids of the outsider's team
const targets = new Map(); // `${rowKey}|${who}` → target

const asAdmin = (method, path, opts = {}) => api(srv.url, method, path, { token: team.admin.token, ...opts });

function created(res, what) {
  assert.equal(res.status, 201, `setup: creating ${what}: ${res.status} ${res.text}`);
  return res.json;
}

async function signUpAccount(prefix) {
  const email = unique(prefix);
  const res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, name: prefix } });
  const session = created(res, `account ${prefix}`);
  return { email, userId: session.user.id };
}

async function addMember(prefix) {
  const account = await signUpAccount(prefix);
  created(await asAdmin('POST', `/api/v1/teams/${team.teamId}/members`, { body: { email: account.email, role: 'viewer' } }),
    `member ${prefix}`);
  return account;
}

async function invite(prefix) {
  return created(await asAdmin('POST', `/api/v1/teams/${team.teamId}/invitations`, {
    body: { email: unique(prefix), role: 'viewer' },
  }), `invitation ${prefix}`);
}

async function createInbox(name, channel = 'sms', credentials = {}) {
  return created(await asAdmin('POST', `/api/v1/teams/${team.teamId}/inboxes`, {
    body: { name, channel, address: newPhone(), ...credentials },
  }), `inbox ${name}`);
}

async function scheduleMessage(body) {
  return created(await sendMessage(srv, team.teamId, team.admin.token, fixtures.conversationId, {
    body, sendAt: new Date(Date.now() + 3600_000).toISOString(),
  }), `scheduled message ${body}`);
}

async function writeNote(author, content) {
  return created(await api(srv.url, 'POST', `/api/v1/teams/${team.teamId}/notes`, {
    token: team[author].token, body: { content, contactId: fixtures.contactId },
  }), `note ${content}`);
}

function assertCompatError(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/, `JSON, got ${res.headers.get('content-type')}`);
  assert.deepEqual(Object.keys(res.json ?? {}), ['error'], `an {error} body: ${res.text}`);
  assert.equal(typeof res.json.error, 'string');
}

function checkAnswer(row, status, res) {
  if (row.compat) {
    if (status === 401) {
      assert.equal(res.status, 401, `expected 401, got ${res.status}: ${res.text}`);
      assert.equal(res.text, 'Unauthorized', 'the original\'s plain-text 401');
    } else if (status >= 400) {
      assertCompatError(res, status);
    } else {
      assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
    }
    return;
  }
  const problemType = { 401: 'unauthorized', 403: 'forbidden', 404: 'not-found' }[status];
  if (problemType) {
    const problem = assertProblem(res, status, `:${problemType}`);
    if (status === 404) {
      assert.doesNotMatch(problem.detail, /^No route/, `the route exists: ${res.text}`);
    }
  } else {
    assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  }
}

describe('role matrix: every route × {no token, viewer, editor, admin, outsider}', () => {
  before(async () => {
    // Sends really go out, to the fake Twilio: the roles decide, not a missing inbox.
    fake = await startFakeTwilio({ accounts: { [TWILIO_ACCOUNT]: TWILIO_TOKEN } });
    srv = await startServer({ env: { ...noReadCache, SIGNUP_MODE: 'open', TWILIO_API_BASE: fake.url } });
    team = await setUpTeam(srv);
    // With open sign-up the editor and the viewer got teams of their own first; make ours their
    // first team, the one the compatible (single-team) routes act in.
    for (const who of ['editor', 'viewer']) {
      sql(srv.databaseUrl, 'UPDATE team_members SET created_at = ? WHERE user_id = ? AND team_id = ?',
        ['2000-01-01T00:00:00.000Z', team[who].userId, team.teamId]);
    }
    fixtures.teamId = team.teamId;
    fixtures.tag = Math.random().toString(36).slice(2, 8);
    fixtures.inboxId = (await createInbox('Roles line', 'sms', { accountSid: TWILIO_ACCOUNT, authToken: TWILIO_TOKEN })).id;
    fixtures.contactId = await createContact(srv, team.teamId, team.admin.token, { name: 'Rolecontact Person', phone: newPhone() });
    fixtures.conversationId = created(await openConversation(srv, team.teamId, team.admin.token, { contactId: fixtures.contactId }),
      'conversation').id;
    fixtures.messageId = created(await sendMessage(srv, team.teamId, team.admin.token, fixtures.conversationId, { body: 'Rolecontact hello' }),
      'message').id;
    // As the media download job leaves a fetched item: a file in DATA_DIR/media and the item
    // marked stored.
    const mediaDir = join(srv.dataDir, 'media', team.teamId, fixtures.messageId);
    mkdirSync(mediaDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(mediaDir, '0'), 'GIF89a', { mode: 0o600 });
    sql(srv.databaseUrl, 'UPDATE messages SET media = ? WHERE id = ?', [
      JSON.stringify([{ url: 'https://api.twilio.com/x', contentType: 'image/gif', status: 'stored', size: 6 }]),
      fixtures.messageId]);
    fixtures.noteId = (await writeNote('admin', 'The admin\'s note')).id;
    fixtures.editorNoteId = (await writeNote('editor', 'The editor\'s note')).id;
    fixtures.invitationId = (await invite('pending')).id;
    fixtures.memberUserId = team.viewer.userId;

    for (const row of ROWS) {
      if (!row.target) continue;
      for (const who of CALLERS) targets.set(`${rowKey(row)}|${who}`, await row.target(who));
    }

    // The outsider's team holds one of everything, for the cross-team cells.
    const theirs = (method, path, body) => api(srv.url, method, `/api/v1/teams/${team.outsider.teamId}${path}`, { token: team.outsider.token, body });
    foreign.contactId = created(await theirs('POST', '/contacts', { name: 'Their contact', phone: newPhone() }), 'their contact').id;
    foreign.sourceId = created(await theirs('POST', '/contacts', { name: 'Their other contact' }), 'their contact').id;
    foreign.conversationId = created(await theirs('POST', '/conversations', { contactId: foreign.contactId }), 'their conversation').id;
    foreign.noteId = created(await theirs('POST', '/notes', { content: 'Their note', contactId: foreign.contactId }), 'their note').id;
    foreign.messageId = created(await theirs('POST', `/conversations/${foreign.conversationId}/messages`, { body: 'Their message' }), 'their message').id;
    foreign.inboxId = created(await theirs('POST', '/inboxes', { name: 'Their line', channel: 'sms', address: newPhone() }), 'their inbox').id;
    foreign.invitationId = created(await theirs('POST', '/invitations', { email: unique('their-invitee'), role: 'viewer' }), 'their invitation').id;
    const member = await signUpAccount('their-member');
    created(await theirs('POST', '/members', { email: member.email, role: 'viewer' }), 'their member');
    foreign.memberUserId = member.userId;
  });
  after(async () => {
    await srv?.stop();
    await fake?.close();
  });

  for (const row of ROWS) {
    for (const who of CALLERS) {
      const status = expectedStatus(row, who);
      test(`${rowName(row)} as ${LABEL[who]} → ${status}`, async () => {
        const [method] = row.route.split(' ');
        const target = targets.get(`${rowKey(row)}|${who}`);
        const opts = { token: who === 'none' ? undefined : team[who].token };
        if (row.body) opts.body = row.body(fixtures, target, who);
        if (row.raw) {
          opts.raw = row.raw(fixtures, target, who);
          opts.headers = row.headers;
        }
        const res = await api(srv.url, method, row.path(fixtures, target, who), opts);
        checkAnswer(row, status, res);
        if (who === 'outsider' && row.outsiderSees) row.outsiderSees(fixtures, res.json);
      });
    }
  }

  // Our own team in the path, another team's resource id after it: not found, even for our admin
  // (ids are checked against the team in the path, not just against the caller's membership).
  for (const row of ROWS.filter((r) => r.route.replace('{teamId}', '').includes('{'))) {
    test(`${rowName(row)} as admin with another team's ids → 404`, async () => {
      const [method] = row.route.split(' ');
      const f = {
        ...fixtures, contactId: foreign.contactId, conversationId: foreign.conversationId,
        noteId: foreign.noteId, editorNoteId: foreign.noteId, inboxId: foreign.inboxId,
        messageId: foreign.messageId,
      };
      const target = { id: foreign[row.foreignId], userId: foreign.memberUserId, survivor: foreign.contactId, source: foreign.sourceId };
      const opts = { token: team.admin.token };
      if (row.body) opts.body = row.body(f, target, 'admin');
      const res = await api(srv.url, method, row.path(f, target, 'admin'), opts);
      checkAnswer(row, 404, res);
    });
  }
});

// ---- Coverage: the table against the router's registrations in server/api/v1/*.cpp ----

// Comments out, string literals kept (a "//" inside a string stays).
function stripComments(text) {
  return text.replace(/("(?:\\.|[^"\\\n])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str) => str ?? ' ');
}

// A C++ string expression made of literals (u"..."_s, "..."_L1, QStringLiteral("..."), ...) and
// known string variables joined by +; undefined when it is anything else.
function evaluate(expression, variables) {
  const token = /\s*(?:(?:QStringLiteral|QLatin1String|QLatin1StringView|QString|QStringView)\(\s*u?"((?:\\.|[^"\\])*)"\s*\)|u?"((?:\\.|[^"\\])*)"(?:_s|_L1|_qs|_ba)?|([A-Za-z_]\w*)|(\+))\s*/y;
  let value = '';
  let expectOperand = true;
  token.lastIndex = 0;
  while (token.lastIndex < expression.length) {
    const m = token.exec(expression);
    if (!m) return undefined;
    if (m[4]) {
      if (expectOperand) return undefined;
      expectOperand = true;
      continue;
    }
    if (!expectOperand) return undefined;
    const literal = m[1] ?? m[2];
    if (literal !== undefined) {
      value += literal;
    } else if (variables.has(m[3])) {
      value += variables.get(m[3]);
    } else {
      return undefined;
    }
    expectOperand = false;
  }
  return expectOperand ? undefined : value;
}

function registeredV1Routes() {
  const dir = new URL('../../server/api/v1/', import.meta.url);
  const routes = [];
  const unreadable = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpp')).sort()) {
    const text = stripComments(readFileSync(new URL(file, dir), 'utf8'));
    const variables = new Map();
    // Definitions and registrations, in source order (a constant may be built from another).
    const pattern = /\b(?:static\s+)?(?:const\s+)?(?:QString|QStringView|QLatin1String|QLatin1StringView|auto)\s+(\w+)\s*=\s*([^;]+);|\brouter\s*\.\s*add\s*\(\s*([^,]+?)\s*,\s*([^,]+?)\s*,/g;
    for (const m of text.matchAll(pattern)) {
      if (m[1]) {
        const value = evaluate(m[2], variables);
        if (value !== undefined) variables.set(m[1], value);
        continue;
      }
      const line = text.slice(0, m.index).split('\n').length;
      const method = /^(?:QByteArrayLiteral\(\s*)?"([A-Z]+)"(?:_ba)?\s*\)?$/.exec(m[3])?.[1];
      const path = evaluate(m[4], variables);
      if (!method || path === undefined) {
        unreadable.push(`server/api/v1/${file}:${line}: router.add(${m[3]}, ${m[4]}, ...)`);
      } else {
        routes.push(`${method} ${path}`);
      }
    }
    // A registration of another shape (no comma after the path, say) must not slip by unread.
    const calls = text.match(/\brouter\s*\.\s*add\s*\(/g)?.length ?? 0;
    const read = [...text.matchAll(pattern)].filter((m) => !m[1]).length;
    if (read !== calls) {
      unreadable.push(`server/api/v1/${file}: ${calls} router.add( calls, only ${read} of them read`);
    }
  }
  return { routes, unreadable };
}

test('every /api/v1/teams route the server registers is in the table, and no row names a route it does not', () => {
  const { routes, unreadable } = registeredV1Routes();
  assert.deepEqual(unreadable, [], 'router.add calls this test could not read (teach it the new form)');
  const teamRoutes = new Set(routes.filter((r) => r.split(' ')[1].startsWith('/api/v1/teams')));
  assert.ok(teamRoutes.size > 20, `found the team routes (${teamRoutes.size})`);
  const covered = new Set(ROWS.map((row) => row.route));
  const missing = [...teamRoutes].filter((r) => !covered.has(r)).sort();
  assert.deepEqual(missing, [], `routes missing from the role table: ${missing.join(', ')}`);
  const registered = new Set(routes);
  const stale = [...covered].filter((r) => r.split(' ')[1].startsWith('/api/v1/') && !registered.has(r)).sort();
  assert.deepEqual(stale, [], `rows for routes the server does not register: ${stale.join(', ')}`);
});
