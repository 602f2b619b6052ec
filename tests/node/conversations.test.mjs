// SPDX-License-Identifier: MIT
// Conversations end to end against the real binary: find-or-create, the embedded contact, the
// keyset-paged list (newest activity first) and its filters, status changes with snooze rules,
// assignment, read/unread, events, roles, team isolation and bad input.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { api, startServer, noReadCache } from './lib/harness.mjs';
import { allPages, contactWithConversation, createContact, eventsOf, inFuture, newPhone, openConversation } from './lib/inboxfixtures.mjs';
import { assertFieldErrors, assertProblem, setUpTeam, sql } from './lib/teamfixture.mjs';

const CONVERSATION_KEYS = ['assigneeId', 'channel', 'contact', 'createdAt', 'id', 'inboxId', 'lastMessageAt',
  'lastMessagePreview', 'snoozedUntil', 'status', 'teamId', 'unreadCount', 'updatedAt'];

describe('conversations (/api/v1/teams/{teamId}/conversations)', () => {
  let srv;
  let t; // { teamId, admin, editor, viewer, outsider }
  const path = (suffix = '', teamId = t.teamId) => `/api/v1/teams/${teamId}/conversations${suffix}`;
  const as = (who, method, suffix, opts = {}) => api(srv.url, method, path(suffix), { token: t[who].token, ...opts });

  before(async () => {
    srv = await startServer({ env: { ...noReadCache, SIGNUP_MODE: 'open' } });
    t = await setUpTeam(srv);
  });
  after(() => srv?.stop());

  describe('find-or-create and read one', () => {
    test('POST → 201 with the exact shape and the contact embedded; again → 200, the same conversation', async () => {
      const phone = newPhone();
      const contactId = await createContact(srv, t.teamId, t.editor.token, { name: 'Ada Shape', phone, email: 'ada@example.com' });
      const res = await openConversation(srv, t.teamId, t.editor.token, { contactId });
      assert.equal(res.status, 201, res.text);
      const c = res.json;
      assert.deepEqual(Object.keys(c).sort(), CONVERSATION_KEYS);
      assert.equal(c.teamId, t.teamId);
      assert.deepEqual(c.contact, { id: contactId, name: 'Ada Shape', phone, email: 'ada@example.com' });
      assert.equal(c.channel, 'sms');
      assert.equal(c.status, 'open');
      assert.equal(c.inboxId, null);
      assert.equal(c.assigneeId, null);
      assert.equal(c.snoozedUntil, null);
      assert.equal(c.lastMessagePreview, null);
      assert.equal(c.unreadCount, 0);
      assert.equal(c.lastMessageAt, c.createdAt, 'without messages the list sorts by creation time');
      assert.match(c.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

      const again = await openConversation(srv, t.teamId, t.editor.token, { contactId, channel: 'sms' });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.id, c.id);

      const one = await as('viewer', 'GET', `/${c.id}`);
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(one.json, c);

      const events = eventsOf(srv, 'conversation.updated').filter((e) => e.payload.id === c.id);
      assert.equal(events.length, 1, 'one event for the creation, none for finding it again');
      assert.equal(events[0].team_id, t.teamId);
    });

    test('another channel is another conversation; a resolved one is not reopened by POST', async () => {
      const contactId = await createContact(srv, t.teamId, t.editor.token, { name: 'Two Channels', email: 'two@example.com' });
      const sms = await openConversation(srv, t.teamId, t.editor.token, { contactId });
      const whatsapp = await openConversation(srv, t.teamId, t.editor.token, { contactId, channel: 'whatsapp' });
      assert.equal(whatsapp.status, 201, whatsapp.text);
      assert.notEqual(whatsapp.json.id, sms.json.id);
      assert.equal(whatsapp.json.channel, 'whatsapp');

      const resolved = await as('editor', 'PATCH', `/${sms.json.id}`, { body: { status: 'resolved' } });
      assert.equal(resolved.status, 200, resolved.text);
      const fresh = await openConversation(srv, t.teamId, t.editor.token, { contactId });
      assert.equal(fresh.status, 201, fresh.text);
      assert.notEqual(fresh.json.id, sms.json.id);
      assert.equal(fresh.json.status, 'open');
    });

    test('an inbox of the team routes the conversation and gives it the inbox channel', async () => {
      const inboxId = `inbox-${Date.now()}`;
      sql(srv.databaseUrl,
        "INSERT INTO inboxes (id, team_id, name, channel, provider, address) VALUES (?, ?, 'WA', 'whatsapp', 'twilio', ?)",
        [inboxId, t.teamId, `whatsapp:${newPhone()}`]);
      const contactId = await createContact(srv, t.teamId, t.editor.token, { name: 'Inbox Routed', email: 'routed@example.com' });
      const res = await openConversation(srv, t.teamId, t.editor.token, { contactId, inboxId });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.inboxId, inboxId);
      assert.equal(res.json.channel, 'whatsapp');
      // Without an inbox, a new WhatsApp conversation goes to the team's WhatsApp inbox.
      const other = await createContact(srv, t.teamId, t.editor.token, { name: 'Default Inbox', email: 'default@example.com' });
      const routed = await openConversation(srv, t.teamId, t.editor.token, { contactId: other, channel: 'whatsapp' });
      assert.equal(routed.json.inboxId, inboxId);
      assertFieldErrors(await openConversation(srv, t.teamId, t.editor.token, { contactId, inboxId, channel: 'sms' }), 'channel');

      const filtered = await as('viewer', 'GET', `?inboxId=${inboxId}`);
      assert.equal(filtered.status, 200, filtered.text);
      assert.deepEqual(filtered.json.data.map((c) => c.id).sort(), [res.json.id, routed.json.id].sort());
    });

    test('bad input → 422 naming the field, malformed JSON → 400, wrong content type → 415', async () => {
      const contactId = await createContact(srv, t.teamId, t.editor.token, { name: 'Bad Input', email: 'bad@example.com' });
      const otherTeamContact = await createContact(srv, t.outsider.teamId, t.outsider.token, { name: 'Elsewhere', email: 'else@example.com' });
      const cases = [
        [{}, 'contactId'],
        [{ contactId: 42 }, 'contactId'],
        [{ contactId: 'x'.repeat(65) }, 'contactId'],
        [{ contactId: otherTeamContact }, 'contactId'],
        [{ contactId: 'no-such-contact' }, 'contactId'],
        [{ contactId, channel: 'fax' }, 'channel'],
        [{ contactId, channel: 7 }, 'channel'],
        [{ contactId, inboxId: 'no-such-inbox' }, 'inboxId'],
        [{ contactId, colour: 'red' }, 'colour'],
      ];
      for (const [body, field] of cases) {
        assertFieldErrors(await openConversation(srv, t.teamId, t.editor.token, body), field);
      }
      assertProblem(await as('editor', 'POST', '', { raw: '{"contactId":', headers: { 'content-type': 'application/json' } }), 400, 'invalid-json');
      assertProblem(await as('editor', 'POST', '', { raw: 'contactId=1', headers: { 'content-type': 'text/plain' } }), 415);
      assertProblem(await as('viewer', 'GET', '/no-such-id'), 404, 'not-found');
    });
  });

  describe('the list', () => {
    test('keyset pages over several pages: newest activity first, every conversation once', async () => {
      // The outsider's own team holds only these, so the whole list is known.
      const o = t.outsider;
      const made = [];
      for (let i = 0; i < 7; i += 1) {
        made.push((await contactWithConversation(srv, o.teamId, o.token, { name: `Page ${i}`, email: `page${i}@example.com` })).conversation);
      }
      const { items, pages } = await allPages(srv, o.token, path('', o.teamId), 3);
      assert.equal(pages, 3);
      assert.deepEqual(items.map((c) => c.id), made.map((c) => c.id).reverse());
      for (let i = 1; i < items.length; i += 1) {
        assert.ok(items[i - 1].lastMessageAt >= items[i].lastMessageAt, 'newest first');
      }
      const exact = await allPages(srv, o.token, path('', o.teamId), 7);
      assert.equal(exact.items.length, 7);
      assert.ok(exact.pages <= 2);
      const one = await api(srv.url, 'GET', path('?limit=200', o.teamId), { token: o.token });
      assert.equal(one.json.nextCursor, null);
      assert.equal(one.json.data.length, 7);

      // A message moves its conversation to the top.
      const oldest = made[0];
      const sent = await api(srv.url, 'POST', `${path('', o.teamId)}/${oldest.id}/messages`, { token: o.token, body: { body: 'bump' } });
      assert.equal(sent.status, 201, sent.text);
      const top = await api(srv.url, 'GET', path('?limit=1', o.teamId), { token: o.token });
      assert.equal(top.json.data[0].id, oldest.id);
      assert.equal(top.json.data[0].lastMessagePreview, 'bump');
      assert.equal(top.json.data[0].lastMessageAt, sent.json.createdAt);
    });

    test('filters: status, assignee, unassigned, unread, contact', async () => {
      const a = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Filter A', email: 'fa@example.com' });
      const b = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Filter B', email: 'fb@example.com' });
      assert.equal((await as('editor', 'PATCH', `/${a.conversation.id}`, { body: { status: 'pending', assigneeId: t.viewer.userId } })).status, 200);
      assert.equal((await as('editor', 'POST', `/${b.conversation.id}/unread`)).status, 200);

      const ids = async (query) => {
        const res = await as('viewer', 'GET', `?limit=200&${query}`);
        assert.equal(res.status, 200, res.text);
        return res.json.data.map((c) => c.id);
      };
      const pending = await ids('status=pending');
      assert.ok(pending.includes(a.conversation.id));
      assert.ok(!pending.includes(b.conversation.id));
      assert.deepEqual(await ids(`assigneeId=${t.viewer.userId}`), [a.conversation.id]);
      const unassigned = await ids('unassigned=true');
      assert.ok(unassigned.includes(b.conversation.id) && !unassigned.includes(a.conversation.id));
      const unread = await ids('unread=true');
      assert.ok(unread.includes(b.conversation.id) && !unread.includes(a.conversation.id));
      assert.deepEqual(await ids(`contactId=${a.contactId}`), [a.conversation.id]);
      assert.deepEqual(await ids(`contactId=${a.contactId}&status=open`), []);
      assert.deepEqual(await ids(`unread=true&contactId=${b.contactId}&unassigned=true&status=open`), [b.conversation.id]);
      for (const status of ['open', 'pending', 'resolved', 'snoozed']) {
        for (const c of (await as('viewer', 'GET', `?limit=200&status=${status}`)).json.data) assert.equal(c.status, status);
      }
    });

    test('bad query → 422 naming the parameter', async () => {
      const cases = [
        ['limit=201', 'limit'], ['limit=0', 'limit'], ['limit=ten', 'limit'],
        ['cursor=not-a-cursor', 'cursor'],
        // a well-formed cursor whose key is not a time
        [`cursor=${Buffer.from(JSON.stringify({ k: 'yesterday', i: 'x' })).toString('base64url')}`, 'cursor'],
        ['status=closed', 'status'], ['unread=yes', 'unread'], ['unassigned=1', 'unassigned'],
        [`unassigned=true&assigneeId=${t.admin.userId}`, 'unassigned'],
      ];
      for (const [query, field] of cases) assertFieldErrors(await as('viewer', 'GET', `?${query}`), field);
    });
  });

  describe('status, snooze, assignment, read state', () => {
    let c;
    before(async () => {
      c = (await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Transitions', email: 'tr@example.com' })).conversation;
    });
    const patch = (body, who = 'editor') => as(who, 'PATCH', `/${c.id}`, { body });

    test('open → pending → resolved → open, each answered with the conversation and announced', async () => {
      const before = eventsOf(srv, 'conversation.updated').length;
      for (const status of ['pending', 'resolved', 'open']) {
        const res = await patch({ status });
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(Object.keys(res.json).sort(), CONVERSATION_KEYS);
        assert.equal(res.json.status, status);
        assert.equal(res.json.snoozedUntil, null);
        assert.ok(res.json.updatedAt >= c.updatedAt);
      }
      const events = eventsOf(srv, 'conversation.updated').slice(before);
      assert.deepEqual(events.map((e) => e.payload.status), ['pending', 'resolved', 'open']);
    });

    test('snoozed needs a future snoozedUntil; another status clears it', async () => {
      assertFieldErrors(await patch({ status: 'snoozed' }), 'snoozedUntil');
      assertFieldErrors(await patch({ status: 'snoozed', snoozedUntil: new Date(Date.now() - 60_000).toISOString() }), 'snoozedUntil');
      assertFieldErrors(await patch({ status: 'snoozed', snoozedUntil: '2030-01-01T10:00:00' }), 'snoozedUntil'); // no zone
      assertFieldErrors(await patch({ status: 'snoozed', snoozedUntil: 'tomorrow' }), 'snoozedUntil');
      assertFieldErrors(await patch({ status: 'snoozed', snoozedUntil: 12345 }), 'snoozedUntil');
      assertFieldErrors(await patch({ status: 'snoozed', snoozedUntil: inFuture(400 * 86400_000) }), 'snoozedUntil');
      assertFieldErrors(await patch({ status: 'open', snoozedUntil: inFuture(3600_000) }), 'snoozedUntil');
      assert.equal((await as('viewer', 'GET', `/${c.id}`)).json.status, 'open', 'nothing was half-written');

      const until = inFuture(3600_000);
      const snoozed = await patch({ status: 'snoozed', snoozedUntil: until });
      assert.equal(snoozed.status, 200, snoozed.text);
      assert.equal(snoozed.json.status, 'snoozed');
      assert.equal(snoozed.json.snoozedUntil, until);
      const later = inFuture(7200_000);
      const moved = await patch({ snoozedUntil: later });
      assert.equal(moved.status, 200, moved.text);
      assert.equal(moved.json.snoozedUntil, later);

      const reopened = await patch({ status: 'open' });
      assert.equal(reopened.json.status, 'open');
      assert.equal(reopened.json.snoozedUntil, null);
    });

    test('assigneeId: a member of the team, or null; anyone else → 422', async () => {
      const assigned = await patch({ assigneeId: t.editor.userId });
      assert.equal(assigned.status, 200, assigned.text);
      assert.equal(assigned.json.assigneeId, t.editor.userId);
      assertFieldErrors(await patch({ assigneeId: t.outsider.userId }), 'assigneeId');
      assertFieldErrors(await patch({ assigneeId: 'nobody' }), 'assigneeId');
      assertFieldErrors(await patch({ assigneeId: 5 }), 'assigneeId');
      assert.equal((await as('viewer', 'GET', `/${c.id}`)).json.assigneeId, t.editor.userId);
      const cleared = await patch({ assigneeId: null });
      assert.equal(cleared.status, 200, cleared.text);
      assert.equal(cleared.json.assigneeId, null);
    });

    test('bad PATCH bodies → 422 / 400', async () => {
      assertFieldErrors(await patch({ status: 'closed' }), 'status');
      assertFieldErrors(await patch({ status: 3 }), 'status');
      assertFieldErrors(await patch({ colour: 'red' }), 'colour');
      assertFieldErrors(await patch({}), 'body');
      assertProblem(await as('editor', 'PATCH', `/${c.id}`, { raw: '[1,2]', headers: { 'content-type': 'application/json' } }), 400, 'invalid-json');
      assertProblem(await as('editor', 'PATCH', '/no-such-id', { body: { status: 'open' } }), 404);
    });

    test('POST /unread → unreadCount ≥ 1, POST /read → 0', async () => {
      const unread = await as('editor', 'POST', `/${c.id}/unread`);
      assert.equal(unread.status, 200, unread.text);
      assert.equal(unread.json.unreadCount, 1);
      sql(srv.databaseUrl, 'UPDATE conversations SET unread_count = 4 WHERE id = ?', [c.id]);
      assert.equal((await as('editor', 'POST', `/${c.id}/unread`)).json.unreadCount, 4, 'marking unread keeps a real count');
      const read = await as('editor', 'POST', `/${c.id}/read`);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.json.unreadCount, 0);
      assert.equal((await as('editor', 'POST', `/${c.id}/read`)).json.unreadCount, 0, 'idempotent');
      assertProblem(await as('editor', 'POST', '/no-such-id/read'), 404);
    });
  });

  describe('roles and teams', () => {
    let c;
    before(async () => {
      c = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Roles', email: 'roles@example.com' });
    });

    test('a viewer reads but cannot open, change or mark a conversation (403)', async () => {
      assert.equal((await as('viewer', 'GET', '')).status, 200);
      assert.equal((await as('viewer', 'GET', `/${c.conversation.id}`)).status, 200);
      assertProblem(await openConversation(srv, t.teamId, t.viewer.token, { contactId: c.contactId }), 403, 'forbidden');
      assertProblem(await as('viewer', 'PATCH', `/${c.conversation.id}`, { body: { status: 'resolved' } }), 403);
      assertProblem(await as('viewer', 'POST', `/${c.conversation.id}/read`), 403);
      assertProblem(await as('viewer', 'POST', `/${c.conversation.id}/unread`), 403);
      assert.equal((await as('admin', 'PATCH', `/${c.conversation.id}`, { body: { status: 'pending' } })).status, 200, 'an admin can');
    });

    test('another team: 404 for its members, and our ids do not resolve under their team', async () => {
      const o = t.outsider;
      assertProblem(await as('outsider', 'GET', ''), 404);
      assertProblem(await as('outsider', 'GET', `/${c.conversation.id}`), 404);
      assertProblem(await as('outsider', 'PATCH', `/${c.conversation.id}`, { body: { status: 'open' } }), 404);
      assertProblem(await as('outsider', 'POST', `/${c.conversation.id}/read`), 404);
      assertProblem(await openConversation(srv, t.teamId, o.token, { contactId: c.contactId }), 404);
      assertProblem(await api(srv.url, 'GET', path(`/${c.conversation.id}`, o.teamId), { token: o.token }), 404);
      assertFieldErrors(await openConversation(srv, o.teamId, o.token, { contactId: c.contactId }), 'contactId');
    });

    test('no token → 401', async () => {
      assertProblem(await api(srv.url, 'GET', path()), 401);
      assertProblem(await api(srv.url, 'POST', path(), { body: { contactId: c.contactId } }), 401);
    });
  });
});
