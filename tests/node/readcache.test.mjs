// SPDX-License-Identifier: MIT
// The read cache (READ_CACHE_SIZE, READ_CACHE_MAX_AGE_MS) against the real binary: a repeated
// GET of the inbox list, a thread, a page of messages, the conversation list or a search is
// answered from memory (counted in /metrics) with the same body; another query or another user
// is a miss; every write through the API shows in the very next read (read-your-writes), for
// each cached route; a user removed from the team or given another role is judged afresh; with
// two instances on PostgreSQL (or a worker process on the same SQLite file), what one instance's
// real-time client was told, that instance's reads show; a change made behind the server's back
// shows once the max age has passed; size 0 turns it off and a bad size stops the program.
//
// The main server keeps answers for 60 s (READ_CACHE_MAX_AGE_MS), so a change seen within a test
// was seen because the write invalidated the cache, not because an answer aged out. Its job
// runner's idle poll (SCHEDULER_POLL_MS) is pushed out of the way: every claim is a committed
// write, which drops every cached answer. The lease sweep (every 15 s) still runs, so a repeated
// read is asserted to hit at least once in two tries.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { io } from 'socket.io-client';

import { startFakeTwilio } from './lib/faketwilio.mjs';
import { api, freePort, noReadCache, runCli, startServer, startWorker, testDb } from './lib/harness.mjs';
import { contactWithConversation, newPhone, selectRows, sendMessage } from './lib/inboxfixtures.mjs';
import { PASSWORD, setUpTeam, sql, unique } from './lib/teamfixture.mjs';

const TWILIO_ACCOUNT = 'AC' + '7'.repeat(32);
const TWILIO_TOKEN = '7'.repeat(32);

const twilioEnv = (fake) => ({
  TWILIO_API_BASE: fake.url, TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT, TWILIO_AUTH_TOKEN: TWILIO_TOKEN,
  TWILIO_SMS_FROM: '+15550007000',
});
const QUIET_JOBS = { SCHEDULER_POLL_MS: '3600000' };

const word = (prefix) => `${prefix}${randomBytes(4).toString('hex')}`;

// The read cache's counters on a server's /metrics page.
async function cacheCounts(server) {
  const res = await api(server.url, 'GET', '/metrics');
  assert.equal(res.status, 200, res.text);
  const count = (kind) => Number(res.text.match(new RegExp(`^inbox_events_total\\{kind="${kind}"\\} (\\d+)`, 'm'))?.[1] ?? 0);
  return { hit: count('read_cache_hit'), miss: count('read_cache_miss') };
}

function get(server, token, path) {
  return api(server.url, 'GET', path, { token });
}

function ok(res, what) {
  assert.equal(res.status, 200, `${what}: ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
  return res.json;
}

// GETs `path` three times: the answers are the same, and the repeats are answered from the cache
// (at least one of the two; the other may follow the lease sweep's write).
async function readTwice(server, token, path) {
  const first = await get(server, token, path);
  ok(first, `GET ${path}`);
  const before = await cacheCounts(server);
  const second = await get(server, token, path);
  const third = await get(server, token, path);
  const after = await cacheCounts(server);
  for (const again of [second, third]) {
    ok(again, `GET ${path} again`);
    assert.equal(again.text, first.text, `GET ${path} again answers the same body`);
  }
  const hits = after.hit - before.hit;
  assert.ok(hits >= 1 && hits <= 2, `a repeated GET ${path} is answered from the cache (hits +${hits})`);
  assert.equal(after.hit + after.miss - before.hit - before.miss, 2, 'each GET is counted once');
  return first.json;
}

// One GET that must not be answered from anyone's cached answer: no hit, one miss.
async function readFresh(server, token, path) {
  const before = await cacheCounts(server);
  const res = await get(server, token, path);
  const after = await cacheCounts(server);
  assert.equal(after.hit - before.hit, 0, `GET ${path} is not a cache hit`);
  assert.equal(after.miss - before.miss, 1, `GET ${path} counts a miss`);
  return res;
}

async function waitFor(what, check, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

// Until no send job is waiting or running: their writes (the message's status) are done.
function sendsSettled(server) {
  return waitFor('the send jobs to finish', () => {
    const [row] = selectRows(server, "SELECT count(*) AS n FROM jobs WHERE kind = 'message.send' AND status IN ('pending', 'running')");
    return Number(row.n) === 0;
  });
}

async function signUp(server, prefix) {
  const res = await api(server.url, 'POST', '/api/v1/auth/signup', {
    body: { email: unique(prefix), password: PASSWORD, name: prefix },
  });
  assert.equal(res.status, 201, res.text);
  return { email: res.json.user.email, token: res.json.accessToken, userId: res.json.user.id };
}

describe(`read cache on ${testDb}`, () => {
  let fake;
  before(async () => {
    fake = await startFakeTwilio({ accounts: { [TWILIO_ACCOUNT]: TWILIO_TOKEN } });
  });
  after(() => fake?.close());

  describe('one server (READ_CACHE_MAX_AGE_MS=60000)', () => {
    let srv;
    let t; // { teamId, admin, editor, viewer, outsider }
    let c; // { contactId, conversation }
    const base = () => `/api/v1/teams/${t.teamId}`;
    const listPath = (query = '?limit=50') => `${base()}/conversations${query}`;
    const pagePath = (query = '?limit=10') => `${base()}/conversations/${c.conversation.id}/messages${query}`;
    const threadPath = () => `/api/messages/thread/${c.contactId}`;
    const searchPath = (q) => `${base()}/search?q=${encodeURIComponent(q)}`;
    const as = (who) => t[who].token;
    const threadOf = (threads) => threads.find((x) => x.id === c.contactId);
    const conversationOf = (page) => page.data.find((x) => x.id === c.conversation.id);

    before(async () => {
      srv = await startServer({ env: { SIGNUP_MODE: 'open', READ_CACHE_MAX_AGE_MS: '60000', ...QUIET_JOBS, ...twilioEnv(fake) } });
      t = await setUpTeam(srv);
      // The compatible routes act in the caller's first team; with open sign-up the editor's and
      // the viewer's first are their own. Make it ours (before anyone read anything).
      for (const who of ['editor', 'viewer']) {
        sql(srv.databaseUrl, 'UPDATE team_members SET created_at = ? WHERE user_id = ? AND team_id = ?',
          ['2000-01-01T00:00:00.000Z', t[who].userId, t.teamId]);
      }
      c = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Cache Carol', phone: newPhone() });
      const first = await sendMessage(srv, t.teamId, t.editor.token, c.conversation.id, { body: 'first words about marmalade' });
      assert.equal(first.status, 201, first.text);
      await sendsSettled(srv);
    });
    after(() => srv?.stop());

    test('a repeated GET of each cached route answers the same body from the cache', async () => {
      const threads = await readTwice(srv, as('admin'), '/api/inbox/threads');
      assert.equal(threadOf(threads).snippet, 'first words about marmalade');
      const thread = await readTwice(srv, as('admin'), threadPath());
      assert.deepEqual(thread.map((m) => m.body), ['first words about marmalade']);
      const list = await readTwice(srv, as('viewer'), listPath());
      assert.equal(conversationOf(list).lastMessagePreview, 'first words about marmalade');
      const page = await readTwice(srv, as('viewer'), pagePath());
      assert.deepEqual(page.data.map((m) => m.body), ['first words about marmalade']);
      const hits = await readTwice(srv, as('viewer'), searchPath('marmalade'));
      assert.deepEqual(hits.data.map((h) => h.kind), ['message']);
    });

    test('another query string or another user is a miss, with its own right answer', async () => {
      const list = ok(await get(srv, as('viewer'), listPath()), 'list');
      ok(await get(srv, as('viewer'), listPath()), 'list again');
      // the same list under another query: not the cached body
      const fewer = ok(await readFresh(srv, as('viewer'), listPath('?limit=49')), 'limit=49');
      assert.deepEqual(fewer, list, 'the same conversations, read afresh');
      const none = ok(await readFresh(srv, as('viewer'), listPath('?limit=50&status=resolved')), 'status=resolved');
      assert.deepEqual(none.data.filter((x) => x.id === c.conversation.id), []);

      ok(await get(srv, as('viewer'), searchPath('marmalade')), 'search');
      const other = ok(await readFresh(srv, as('viewer'), searchPath('marmalades jam')), 'another search');
      assert.deepEqual(other.data, []);

      // the viewer's cached list is not the editor's, though the URL is the same
      const editors = ok(await readFresh(srv, as('editor'), listPath()), 'the editor\'s list');
      assert.deepEqual(editors, list);
      // nor the admin's inbox list the viewer's (both act in the same first team)
      const adminThreads = ok(await get(srv, as('admin'), '/api/inbox/threads'), 'admin threads');
      const viewerThreads = ok(await readFresh(srv, as('viewer'), '/api/inbox/threads'), 'viewer threads');
      assert.deepEqual(viewerThreads, adminThreads);
      // and the outsider's inbox list is their own team's (empty), never ours
      const outsiderThreads = ok(await readFresh(srv, as('outsider'), '/api/inbox/threads'), 'outsider threads');
      assert.deepEqual(outsiderThreads, []);
    });

    test('read-your-writes: a v1 send shows at once in the threads, the thread, the list, the page and search', async () => {
      const needle = word('quince');
      await readTwice(srv, as('admin'), '/api/inbox/threads');
      await readTwice(srv, as('admin'), threadPath());
      await readTwice(srv, as('viewer'), listPath());
      await readTwice(srv, as('viewer'), pagePath());
      assert.deepEqual((await readTwice(srv, as('viewer'), searchPath(needle))).data, []);

      const sent = await sendMessage(srv, t.teamId, t.editor.token, c.conversation.id, { body: `about the ${needle}` });
      assert.equal(sent.status, 201, sent.text);
      const m = sent.json;

      const threads = ok(await get(srv, as('admin'), '/api/inbox/threads'), 'threads');
      assert.equal(threads[0].id, c.contactId, 'the thread moved to the top');
      assert.equal(threads[0].snippet, `about the ${needle}`);
      const thread = ok(await get(srv, as('admin'), threadPath()), 'thread');
      assert.equal(thread.at(-1).id, m.id);
      const list = ok(await get(srv, as('viewer'), listPath()), 'list');
      assert.equal(list.data[0].id, c.conversation.id);
      assert.equal(list.data[0].lastMessagePreview, `about the ${needle}`);
      const page = ok(await get(srv, as('viewer'), pagePath()), 'page');
      assert.equal(page.data[0].id, m.id);
      const found = ok(await get(srv, as('viewer'), searchPath(needle)), 'search');
      assert.deepEqual(found.data.map((h) => h.id), [m.id]);

      // The delivery job's write (queued → sent) shows too, long before 60 s.
      assert.ok(['queued', 'sending', 'sent'].includes(page.data[0].status), page.data[0].status);
      await waitFor('the page to show the message sent', async () =>
        ok(await get(srv, as('viewer'), pagePath()), 'page').data[0].status === 'sent');
      await waitFor('the thread to show the message sent', async () =>
        ok(await get(srv, as('admin'), threadPath()), 'thread').at(-1).status === 'SENT');
      await sendsSettled(srv);
    });

    test('read-your-writes: a compatible send shows at once in the threads and the thread', async () => {
      const body = `compat ${word('fig')}`;
      await readTwice(srv, as('admin'), '/api/inbox/threads');
      await readTwice(srv, as('admin'), threadPath());
      await readTwice(srv, as('viewer'), pagePath());
      const sent = await api(srv.url, 'POST', '/api/messages/send', { token: as('admin'), body: { contactId: c.contactId, body } });
      assert.ok(sent.status === 200 || sent.status === 201, `${sent.status} ${sent.text}`);
      assert.equal(ok(await get(srv, as('admin'), '/api/inbox/threads'), 'threads')[0].snippet, body);
      assert.equal(ok(await get(srv, as('admin'), threadPath()), 'thread').at(-1).body, body);
      assert.equal(ok(await get(srv, as('viewer'), pagePath()), 'page').data[0].body, body);
      await sendsSettled(srv);
    });

    test('read-your-writes: a status change shows at once in the list and its filters', async () => {
      const open = listPath('?limit=50&status=open');
      const pending = listPath('?limit=50&status=pending');
      assert.equal(conversationOf(await readTwice(srv, as('viewer'), listPath())).status, 'open');
      assert.ok(conversationOf(await readTwice(srv, as('viewer'), open)));
      assert.equal(conversationOf(await readTwice(srv, as('viewer'), pending)), undefined);

      const patched = await api(srv.url, 'PATCH', `${base()}/conversations/${c.conversation.id}`, { token: as('editor'), body: { status: 'pending' } });
      assert.equal(patched.status, 200, patched.text);
      assert.equal(conversationOf(ok(await get(srv, as('viewer'), listPath()), 'list')).status, 'pending');
      assert.equal(conversationOf(ok(await get(srv, as('viewer'), open), 'open')), undefined);
      assert.equal(conversationOf(ok(await get(srv, as('viewer'), pending), 'pending')).status, 'pending');

      const reopened = await api(srv.url, 'PATCH', `${base()}/conversations/${c.conversation.id}`, { token: as('editor'), body: { status: 'open' } });
      assert.equal(reopened.status, 200, reopened.text);
      assert.equal(conversationOf(ok(await get(srv, as('viewer'), listPath()), 'list')).status, 'open');
      assert.ok(conversationOf(ok(await get(srv, as('viewer'), open), 'open')));
    });

    test('read-your-writes: marking unread and read shows at once in the list and the threads', async () => {
      assert.equal(conversationOf(await readTwice(srv, as('viewer'), listPath())).unreadCount, 0);
      assert.equal(threadOf(await readTwice(srv, as('admin'), '/api/inbox/threads')).unread, 0);

      const unread = await api(srv.url, 'POST', `${base()}/conversations/${c.conversation.id}/unread`, { token: as('editor') });
      assert.equal(unread.status, 200, unread.text);
      assert.ok(unread.json.unreadCount > 0);
      assert.equal(conversationOf(ok(await get(srv, as('viewer'), listPath()), 'list')).unreadCount, unread.json.unreadCount);
      assert.equal(threadOf(ok(await get(srv, as('admin'), '/api/inbox/threads'), 'threads')).unread, unread.json.unreadCount);
      await readTwice(srv, as('viewer'), listPath());

      const read = await api(srv.url, 'POST', `${base()}/conversations/${c.conversation.id}/read`, { token: as('editor') });
      assert.equal(read.status, 200, read.text);
      assert.equal(conversationOf(ok(await get(srv, as('viewer'), listPath()), 'list')).unreadCount, 0);
      assert.equal(threadOf(ok(await get(srv, as('admin'), '/api/inbox/threads'), 'threads')).unread, 0);
    });

    test('read-your-writes: a contact\'s new name shows at once in the threads, the list and search', async () => {
      const fresh = word('Renamed');
      const name = `Carol ${fresh}`;
      assert.equal(threadOf(await readTwice(srv, as('admin'), '/api/inbox/threads')).contactName, 'Cache Carol');
      assert.equal(conversationOf(await readTwice(srv, as('viewer'), listPath())).contact.name, 'Cache Carol');
      assert.deepEqual((await readTwice(srv, as('viewer'), searchPath(fresh))).data, []);

      const renamed = await api(srv.url, 'PATCH', `${base()}/contacts/${c.contactId}`, { token: as('editor'), body: { name } });
      assert.equal(renamed.status, 200, renamed.text);
      assert.equal(threadOf(ok(await get(srv, as('admin'), '/api/inbox/threads'), 'threads')).contactName, name);
      assert.equal(conversationOf(ok(await get(srv, as('viewer'), listPath()), 'list')).contact.name, name);
      const found = ok(await get(srv, as('viewer'), searchPath(fresh)), 'search');
      assert.deepEqual(found.data.map((h) => [h.kind, h.id]), [['contact', c.contactId]]);

      // and a contact added to the team shows in the inbox list once it has a conversation
      const added = await contactWithConversation(srv, t.teamId, t.editor.token, { name: `Added ${word('Dora')}`, phone: newPhone() });
      const threads = ok(await get(srv, as('admin'), '/api/inbox/threads'), 'threads');
      assert.ok(threads.some((x) => x.id === added.contactId), 'the new contact\'s thread is listed');
      assert.ok(ok(await get(srv, as('viewer'), listPath()), 'list').data.some((x) => x.id === added.conversation.id));
    });

    test('a member removed from the team gets an error on the next GET, not the cached answer', async () => {
      const member = await signUp(srv, 'leaver');
      const added = await api(srv.url, 'POST', `${base()}/members`, { token: as('admin'), body: { email: member.email, role: 'viewer' } });
      assert.equal(added.status, 201, added.text);
      const list = await readTwice(srv, member.token, listPath());
      assert.ok(conversationOf(list));
      await readTwice(srv, member.token, pagePath());
      await readTwice(srv, member.token, searchPath('marmalade'));

      const removed = await api(srv.url, 'DELETE', `${base()}/members/${member.userId}`, { token: as('admin') });
      assert.ok(removed.status === 200 || removed.status === 204, `${removed.status} ${removed.text}`);
      for (const path of [listPath(), pagePath(), searchPath('marmalade')]) {
        const res = await get(srv, member.token, path);
        assert.ok(res.status === 403 || res.status === 404, `GET ${path} after removal: ${res.status} ${res.text}`);
        assert.notEqual(res.text, JSON.stringify(list));
        assert.ok(!res.text.includes(c.conversation.id), 'nothing of the team is shown');
      }
      // The others still read (and cache) as before.
      assert.ok(conversationOf(await readTwice(srv, as('viewer'), listPath())));
    });

    test('a role change is honoured at once: a viewer made editor sends and reads it, made viewer again cannot', async () => {
      const member = await signUp(srv, 'promoted');
      const added = await api(srv.url, 'POST', `${base()}/members`, { token: as('admin'), body: { email: member.email, role: 'viewer' } });
      assert.equal(added.status, 201, added.text);
      const members = `${base()}/members/${member.userId}`;
      const page = await readTwice(srv, member.token, pagePath());

      const refused = await sendMessage(srv, t.teamId, member.token, c.conversation.id, { body: 'as a viewer' });
      assert.equal(refused.status, 403, refused.text);
      const promoted = await api(srv.url, 'PATCH', members, { token: as('admin'), body: { role: 'editor' } });
      assert.equal(promoted.status, 200, promoted.text);
      assert.equal(promoted.json.role, 'editor');
      // the membership changed: read afresh (no hit), and the same messages
      assert.deepEqual(ok(await readFresh(srv, member.token, pagePath()), 'page'), page);
      const sent = await sendMessage(srv, t.teamId, member.token, c.conversation.id, { body: 'as an editor' });
      assert.equal(sent.status, 201, sent.text);
      assert.equal(ok(await get(srv, member.token, pagePath()), 'page').data[0].id, sent.json.id);

      const demoted = await api(srv.url, 'PATCH', members, { token: as('admin'), body: { role: 'viewer' } });
      assert.equal(demoted.status, 200, demoted.text);
      const again = await sendMessage(srv, t.teamId, member.token, c.conversation.id, { body: 'a viewer again' });
      assert.equal(again.status, 403, again.text);
      assert.equal(ok(await readFresh(srv, member.token, pagePath()), 'page').data[0].id, sent.json.id);
      await sendsSettled(srv);
    });
  });

  describe('two instances over one database', { skip: testDb !== 'postgresql' && 'PostgreSQL only: NOTIFY between instances (on SQLite, see the worker process below)' }, () => {
    let a;
    let b;
    let t;
    let c;
    let socket;
    const base = () => `/api/v1/teams/${t.teamId}`;
    const listPath = () => `${base()}/conversations?limit=50`;
    const pagePath = () => `${base()}/conversations/${c.conversation.id}/messages?limit=10`;
    const threadPath = () => `/api/messages/thread/${c.contactId}`;

    // The next `name` event on A's socket that `match`es.
    function eventOnA(name, match) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => { socket.off(name, on); reject(new Error(`no ${name} on A within 10 s`)); }, 10_000);
        function on(payload) {
          if (!match(payload)) return;
          clearTimeout(timer);
          socket.off(name, on);
          resolve(payload);
        }
        socket.on(name, on);
      });
    }

    before(async () => {
      const env = { SIGNUP_MODE: 'open', READ_CACHE_MAX_AGE_MS: '60000', ...QUIET_JOBS, ...twilioEnv(fake) };
      // No job runner on either: a send's delivery job, claimed by A, would be a write of A's
      // own and drop A's answers whether or not B's NOTIFY did. Messages stay queued.
      a = await startServer({ env, args: ['--no-worker'] });
      b = await startServer({ databaseUrl: a.databaseUrl, dataDir: a.dataDir, jwtSecret: a.env.JWT_SECRET, env, args: ['--no-worker'] });
      t = await setUpTeam(a);
      c = await contactWithConversation(a, t.teamId, t.editor.token, { name: 'Two Places', phone: newPhone() });
      socket = io(a.url, { auth: { token: t.viewer.token }, transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject); });
      const first = await sendMessage(a, t.teamId, t.editor.token, c.conversation.id, { body: 'said on A' });
      assert.equal(first.status, 201, first.text);
    });
    after(async () => {
      socket?.close();
      await b?.stop();
      await a?.stop();
    });

    test('a message sent through B: once A\'s client heard message.new, A\'s cached reads show it', async () => {
      await readTwice(a, t.viewer.token, listPath());
      await readTwice(a, t.viewer.token, pagePath());
      await readTwice(a, t.admin.token, '/api/inbox/threads');
      await readTwice(a, t.admin.token, threadPath());

      const heard = eventOnA('message.new', (m) => m.body === 'said on B');
      const sent = await sendMessage(b, t.teamId, t.editor.token, c.conversation.id, { body: 'said on B' });
      assert.equal(sent.status, 201, sent.text);
      assert.equal((await heard).id, sent.json.id);

      assert.equal(ok(await get(a, t.viewer.token, pagePath()), 'page on A').data[0].id, sent.json.id);
      const list = ok(await get(a, t.viewer.token, listPath()), 'list on A');
      assert.equal(list.data.find((x) => x.id === c.conversation.id).lastMessagePreview, 'said on B');
      assert.equal(ok(await get(a, t.admin.token, '/api/inbox/threads'), 'threads on A')[0].snippet, 'said on B');
      assert.equal(ok(await get(a, t.admin.token, threadPath()), 'thread on A').at(-1).id, sent.json.id);
    });

    test('a status change through B: once A\'s client heard conversation.updated, A\'s list shows it', async () => {
      const before = await readTwice(a, t.viewer.token, listPath());
      assert.equal(before.data.find((x) => x.id === c.conversation.id).status, 'open');

      const heard = eventOnA('conversation.updated', (x) => x.id === c.conversation.id && x.status === 'resolved');
      const patched = await api(b.url, 'PATCH', `${base()}/conversations/${c.conversation.id}`, { token: t.editor.token, body: { status: 'resolved' } });
      assert.equal(patched.status, 200, patched.text);
      await heard;
      const list = ok(await get(a, t.viewer.token, listPath()), 'list on A');
      assert.equal(list.data.find((x) => x.id === c.conversation.id).status, 'resolved');
    });

    test('a member removed through B: once A\'s client heard member.removed, A refuses the member', async () => {
      const member = await signUp(a, 'faraway');
      const added = await api(a.url, 'POST', `${base()}/members`, { token: t.admin.token, body: { email: member.email, role: 'viewer' } });
      assert.equal(added.status, 201, added.text);
      await readTwice(a, member.token, listPath());

      const heard = eventOnA('member.removed', (x) => x.userId === member.userId);
      const removed = await api(b.url, 'DELETE', `${base()}/members/${member.userId}`, { token: t.admin.token });
      assert.ok(removed.status === 200 || removed.status === 204, `${removed.status} ${removed.text}`);
      await heard;
      const res = await get(a, member.token, listPath());
      assert.ok(res.status === 403 || res.status === 404, `GET on A after removal through B: ${res.status} ${res.text}`);
    });
  });

  describe('a worker process on the same SQLite file', { skip: testDb !== 'sqlite' && 'SQLite only: PostgreSQL instances hear each other by NOTIFY (above)' }, () => {
    let srv;
    let worker;
    let socket;
    before(async () => {
      srv = await startServer({ env: { SIGNUP_MODE: 'open', READ_CACHE_MAX_AGE_MS: '60000', ...twilioEnv(fake) }, args: ['--no-worker'] });
    });
    after(async () => {
      socket?.close();
      await worker?.stop();
      await srv?.stop();
    });

    test('once the server\'s client heard the worker\'s message.updated, its cached page shows the new status', async () => {
      const t = await setUpTeam(srv);
      const c = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Worked On', phone: newPhone() });
      socket = io(srv.url, { auth: { token: t.viewer.token }, transports: ['websocket'], reconnection: false, forceNew: true });
      await new Promise((resolve, reject) => { socket.once('connect', resolve); socket.once('connect_error', reject); });
      // No job runner yet: the message waits, queued, and the page is cached with it so.
      const sent = await sendMessage(srv, t.teamId, t.editor.token, c.conversation.id, { body: 'for the worker' });
      assert.equal(sent.status, 201, sent.text);
      const page = `/api/v1/teams/${t.teamId}/conversations/${c.conversation.id}/messages?limit=10`;
      assert.equal((await readTwice(srv, t.viewer.token, page)).data[0].status, 'queued');

      const heard = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message.updated (sent) within 15 s')), 15_000);
        socket.on('message.updated', (m) => {
          if (m.id === sent.json.id && m.status === 'sent') {
            clearTimeout(timer);
            resolve(m);
          }
        });
      });
      worker = await startWorker(srv);
      await heard;
      assert.equal(ok(await get(srv, t.viewer.token, page), 'page').data[0].status, 'sent');
    });
  });

  describe('READ_CACHE_MAX_AGE_MS=300', () => {
    let srv;
    let t;
    let c;
    before(async () => {
      srv = await startServer({ env: { SIGNUP_MODE: 'open', READ_CACHE_MAX_AGE_MS: '300', ...QUIET_JOBS } });
      t = await setUpTeam(srv);
      c = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Before Hand', phone: newPhone() });
    });
    after(() => srv?.stop());

    test('a change made behind the server\'s back (SQL) shows once the max age has passed', async () => {
      const list = `/api/v1/teams/${t.teamId}/conversations?limit=50`;
      assert.equal((await readTwice(srv, t.viewer.token, list)).data[0].contact.name, 'Before Hand');
      assert.equal((await readTwice(srv, t.admin.token, '/api/inbox/threads'))[0].contactName, 'Before Hand');
      sql(srv.databaseUrl, 'UPDATE contacts SET name = ? WHERE id = ?', ['Behind Back', c.contactId]);
      await sleep(400);
      assert.equal(ok(await get(srv, t.viewer.token, list), 'list').data[0].contact.name, 'Behind Back');
      assert.equal(ok(await get(srv, t.admin.token, '/api/inbox/threads'), 'threads')[0].contactName, 'Behind Back');
    });
  });

  describe('READ_CACHE_SIZE=0', () => {
    let srv;
    let t;
    before(async () => {
      srv = await startServer({ env: { SIGNUP_MODE: 'open', ...noReadCache, ...QUIET_JOBS, ...twilioEnv(fake) } });
      t = await setUpTeam(srv);
    });
    after(() => srv?.stop());

    test('nothing is cached (no hit, no miss counted) and every answer is current', async () => {
      const c = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'No Cache', phone: newPhone() });
      const list = `/api/v1/teams/${t.teamId}/conversations?limit=50`;
      const page = `/api/v1/teams/${t.teamId}/conversations/${c.conversation.id}/messages?limit=10`;
      const search = `/api/v1/teams/${t.teamId}/search?q=nocachebody`;
      const paths = [[t.admin.token, '/api/inbox/threads'], [t.admin.token, `/api/messages/thread/${c.contactId}`],
        [t.viewer.token, list], [t.viewer.token, page], [t.viewer.token, search]];
      const before = await cacheCounts(srv);
      for (const [token, path] of paths) {
        const first = ok(await get(srv, token, path), path);
        assert.deepEqual(ok(await get(srv, token, path), path), first);
      }
      const sent = await sendMessage(srv, t.teamId, t.editor.token, c.conversation.id, { body: 'nocachebody here' });
      assert.equal(sent.status, 201, sent.text);
      assert.equal(ok(await get(srv, t.admin.token, '/api/inbox/threads'), 'threads')[0].snippet, 'nocachebody here');
      assert.equal(ok(await get(srv, t.viewer.token, page), 'page').data[0].id, sent.json.id);
      assert.deepEqual(ok(await get(srv, t.viewer.token, search), 'search').data.map((h) => h.id), [sent.json.id]);
      sql(srv.databaseUrl, 'UPDATE contacts SET name = ? WHERE id = ?', ['Seen At Once', c.contactId]);
      assert.equal(ok(await get(srv, t.viewer.token, list), 'list').data[0].contact.name, 'Seen At Once');
      const after = await cacheCounts(srv);
      assert.deepEqual(after, before, 'an off cache counts neither hits nor misses');
      assert.deepEqual(after, { hit: 0, miss: 0 });
      await sendsSettled(srv);
    });
  });

  describe('bad settings', () => {
    test('a bad READ_CACHE_SIZE or READ_CACHE_MAX_AGE_MS stops the program with a one-line error naming it', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'inbox-readcache-'));
      const cases = [
        ['READ_CACHE_SIZE', 'lots'], ['READ_CACHE_SIZE', '-1'], ['READ_CACHE_SIZE', '4 parsecs'], ['READ_CACHE_SIZE', '2gb'],
        ['READ_CACHE_MAX_AGE_MS', 'soon'], ['READ_CACHE_MAX_AGE_MS', '-5'],
      ];
      try {
        for (const [name, value] of cases) {
          const r = await runCli(['serve', '--host', '127.0.0.1', '--port', String(await freePort())], {
            DATABASE_URL: `sqlite://${join(dataDir, 'inbox.db')}`, DATA_DIR: dataDir, JWT_SECRET: randomBytes(32).toString('hex'), [name]: value,
          });
          assert.equal(r.code, 2, `${name}=${value}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
          const lines = r.stderr.trim().split('\n');
          assert.equal(lines.length, 1, `one line: ${r.stderr}`);
          assert.match(lines[0], new RegExp(name));
          assert.ok(lines[0].includes(value), `the value is named: ${lines[0]}`);
        }
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
});
