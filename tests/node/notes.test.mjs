// SPDX-License-Identifier: MIT
// Notes end to end against the real binary: notes on a contact, a conversation or the team,
// keyset pages newest first, private notes (their author's only), editing and deleting by the
// author or an admin, events, roles, team isolation and bad input.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { api, startServer } from './lib/harness.mjs';
import { allPages, contactWithConversation, createContact, eventsOf } from './lib/inboxfixtures.mjs';
import { assertFieldErrors, assertProblem, PASSWORD, setUpTeam, unique } from './lib/teamfixture.mjs';

const NOTE_KEYS = ['author', 'contactId', 'content', 'conversationId', 'createdAt', 'id', 'isPrivate', 'teamId', 'updatedAt'];

describe('notes (/api/v1/teams/{teamId}/notes)', () => {
  let srv;
  let t;
  let second; // another editor of the team
  let c; // { contactId, conversation }
  const path = (suffix = '', teamId = t.teamId) => `/api/v1/teams/${teamId}/notes${suffix}`;
  const as = (who, method, suffix, opts = {}) => api(srv.url, method, path(suffix), { token: (who === 'second' ? second : t[who]).token, ...opts });
  const write = (body, who = 'editor') => as(who, 'POST', '', { body });
  const listIds = async (who, query = '') => (await as(who, 'GET', `?limit=200${query}`)).json.data.map((n) => n.id);

  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: 'open' } });
    t = await setUpTeam(srv);
    const email = unique('second');
    const signup = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email, password: PASSWORD, name: 'Second Editor' } });
    assert.equal(signup.status, 201, signup.text);
    const added = await api(srv.url, 'POST', `/api/v1/teams/${t.teamId}/members`, { token: t.admin.token, body: { email, role: 'editor' } });
    assert.equal(added.status, 201, added.text);
    second = { token: signup.json.accessToken, userId: signup.json.user.id };
    c = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Noted Contact', email: 'noted@example.com' });
  });
  after(() => srv?.stop());

  describe('writing', () => {
    test('POST on a contact → 201 with the exact shape, the author, and note_added', async () => {
      const res = await write({ content: 'Prefers mornings.', contactId: c.contactId });
      assert.equal(res.status, 201, res.text);
      const n = res.json;
      assert.deepEqual(Object.keys(n).sort(), NOTE_KEYS);
      assert.equal(n.teamId, t.teamId);
      assert.equal(n.contactId, c.contactId);
      assert.equal(n.conversationId, null);
      assert.equal(n.content, 'Prefers mornings.');
      assert.equal(n.isPrivate, false);
      assert.deepEqual(n.author, { id: t.editor.userId, name: 'editor' });
      assert.equal(n.createdAt, n.updatedAt);
      const event = eventsOf(srv, 'note_added').find((e) => e.payload.id === n.id);
      assert.ok(event);
      assert.equal(event.team_id, t.teamId);
      assert.deepEqual(event.payload, n);
      const one = await as('viewer', 'GET', `/${n.id}`);
      assert.deepEqual(one.json, n);
    });

    test('on a conversation the note is also on its contact; on the team alone it has neither', async () => {
      const onConversation = await write({ content: 'Asked about billing.', conversationId: c.conversation.id });
      assert.equal(onConversation.status, 201, onConversation.text);
      assert.equal(onConversation.json.conversationId, c.conversation.id);
      assert.equal(onConversation.json.contactId, c.contactId);
      const both = await write({ content: 'Both ids.', conversationId: c.conversation.id, contactId: c.contactId });
      assert.equal(both.status, 201, both.text);
      const team = await write({ content: 'Team-wide note.' });
      assert.equal(team.status, 201, team.text);
      assert.equal(team.json.contactId, null);
      assert.equal(team.json.conversationId, null);

      assert.deepEqual(await listIds('viewer', `&conversationId=${c.conversation.id}`), [both.json.id, onConversation.json.id]);
      const byContact = await listIds('viewer', `&contactId=${c.contactId}`);
      assert.ok(byContact.includes(onConversation.json.id) && !byContact.includes(team.json.id));
    });

    test('content: 10,000 characters pass, kept as written; bad bodies → 422 naming the field', async () => {
      const long = await write({ content: `  ${'n'.repeat(9996)}\n ` });
      assert.equal(long.status, 201, long.text);
      assert.equal(long.json.content.length, 10000);
      const other = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Other', email: 'other-note@example.com' });
      const otherTeamContact = await createContact(srv, t.outsider.teamId, t.outsider.token, { name: 'Theirs', email: 'theirs@example.com' });
      const cases = [
        [{}, 'content'],
        [{ content: '' }, 'content'],
        [{ content: '  \n ' }, 'content'],
        [{ content: 12 }, 'content'],
        [{ content: 'n'.repeat(10001) }, 'content'],
        [{ content: 'x', isPrivate: 'yes' }, 'isPrivate'],
        [{ content: 'x', contactId: 'no-such-contact' }, 'contactId'],
        [{ content: 'x', contactId: otherTeamContact }, 'contactId'],
        [{ content: 'x', contactId: 5 }, 'contactId'],
        [{ content: 'x', conversationId: 'no-such-conversation' }, 'conversationId'],
        [{ content: 'x', contactId: other.contactId, conversationId: c.conversation.id }, 'conversationId'],
        [{ content: 'x', tags: ['a'] }, 'tags'],
      ];
      for (const [body, field] of cases) assertFieldErrors(await write(body), field);
      assertProblem(await as('editor', 'POST', '', { raw: '{"content":', headers: { 'content-type': 'application/json' } }), 400, 'invalid-json');
    });
  });

  describe('reading', () => {
    test('keyset pages newest first over several pages', async () => {
      const contactId = await createContact(srv, t.teamId, t.editor.token, { name: 'Many Notes', email: 'many@example.com' });
      const made = [];
      for (let i = 0; i < 7; i += 1) made.push((await write({ content: `note ${i}`, contactId })).json.id);
      const { items, pages } = await allPages(srv, t.viewer.token, path(`?contactId=${contactId}`), 3);
      assert.equal(pages, 3);
      assert.deepEqual(items.map((n) => n.id), made.reverse());
    });

    test('bad paging → 422', async () => {
      for (const [query, field] of [['limit=201', 'limit'], ['limit=abc', 'limit'], ['cursor=zzz', 'cursor']]) {
        assertFieldErrors(await as('viewer', 'GET', `?${query}`), field);
      }
    });
  });

  describe('privacy, authors and admins', () => {
    let priv;
    let pub;
    before(async () => {
      priv = (await write({ content: 'Only for me.', contactId: c.contactId, isPrivate: true })).json;
      pub = (await write({ content: 'For everyone.', contactId: c.contactId })).json;
    });

    test('a private note is its author\'s only: absent from others\' lists, 404 for them (admins too)', async () => {
      assert.equal(priv.isPrivate, true);
      assert.ok((await listIds('editor')).includes(priv.id));
      assert.equal((await as('editor', 'GET', `/${priv.id}`)).status, 200);
      for (const who of ['viewer', 'admin', 'second']) {
        const ids = await listIds(who, `&contactId=${c.contactId}`);
        assert.ok(!ids.includes(priv.id), `${who} does not see it`);
        assert.ok(ids.includes(pub.id), `${who} sees the public one`);
        assertProblem(await as(who, 'GET', `/${priv.id}`), 404);
      }
      assertProblem(await as('admin', 'PATCH', `/${priv.id}`, { body: { content: 'peek' } }), 404);
      assertProblem(await as('admin', 'DELETE', `/${priv.id}`), 404);
    });

    test('the author edits (content and privacy) and note_updated is recorded', async () => {
      const res = await as('editor', 'PATCH', `/${pub.id}`, { body: { content: 'For everyone, edited.' } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.content, 'For everyone, edited.');
      assert.ok(res.json.updatedAt >= res.json.createdAt);
      const hidden = await as('editor', 'PATCH', `/${pub.id}`, { body: { isPrivate: true } });
      assert.equal(hidden.json.isPrivate, true);
      assertProblem(await as('viewer', 'GET', `/${pub.id}`), 404);
      const shown = await as('editor', 'PATCH', `/${pub.id}`, { body: { isPrivate: false } });
      assert.equal(shown.json.isPrivate, false);
      const events = eventsOf(srv, 'note_updated').filter((e) => e.payload.id === pub.id);
      assert.deepEqual(events.map((e) => e.payload.isPrivate), [false, true, false]);
    });

    test('another editor may not edit or delete it (403); a viewer neither; an admin may', async () => {
      assertProblem(await as('second', 'PATCH', `/${pub.id}`, { body: { content: 'mine now' } }), 403, 'forbidden');
      assertProblem(await as('second', 'DELETE', `/${pub.id}`), 403, 'forbidden');
      assertProblem(await as('viewer', 'PATCH', `/${pub.id}`, { body: { content: 'viewer' } }), 403);
      assertProblem(await as('viewer', 'DELETE', `/${pub.id}`), 403);
      const byAdmin = await as('admin', 'PATCH', `/${pub.id}`, { body: { content: 'Admin fixed a typo.' } });
      assert.equal(byAdmin.status, 200, byAdmin.text);
      assert.deepEqual(byAdmin.json.author, { id: t.editor.userId, name: 'editor' }, 'the author stays the author');
      const deleted = await as('admin', 'DELETE', `/${pub.id}`);
      assert.equal(deleted.status, 204, deleted.text);
      assertProblem(await as('editor', 'GET', `/${pub.id}`), 404);
      const event = eventsOf(srv, 'note.deleted').find((e) => e.payload.id === pub.id);
      assert.ok(event);
      assert.equal(event.payload.contactId, c.contactId);
    });

    test('the author deletes their own (private) note → 204, then 404', async () => {
      assert.equal((await as('editor', 'DELETE', `/${priv.id}`)).status, 204);
      assertProblem(await as('editor', 'DELETE', `/${priv.id}`), 404);
      assertProblem(await as('editor', 'PATCH', `/${priv.id}`, { body: { content: 'gone' } }), 404);
    });

    test('bad PATCH bodies → 422', async () => {
      const n = (await write({ content: 'patch me' })).json;
      for (const [body, field] of [[{}, 'body'], [{ content: '' }, 'content'], [{ content: null }, 'content'],
        [{ content: 'n'.repeat(10001) }, 'content'], [{ isPrivate: 1 }, 'isPrivate'], [{ authorId: 'x' }, 'authorId']]) {
        assertFieldErrors(await as('editor', 'PATCH', `/${n.id}`, { body }), field);
      }
    });
  });

  describe('roles and teams', () => {
    test('a viewer reads but cannot write notes (403)', async () => {
      assert.equal((await as('viewer', 'GET', '')).status, 200);
      assertProblem(await write({ content: 'viewer note' }, 'viewer'), 403, 'forbidden');
    });

    test('another team → 404 everywhere; its own team cannot reach our contacts; no token → 401', async () => {
      const n = (await write({ content: 'ours', contactId: c.contactId })).json;
      assertProblem(await as('outsider', 'GET', ''), 404);
      assertProblem(await as('outsider', 'POST', '', { body: { content: 'x' } }), 404);
      assertProblem(await as('outsider', 'GET', `/${n.id}`), 404);
      assertProblem(await as('outsider', 'PATCH', `/${n.id}`, { body: { content: 'x' } }), 404);
      assertProblem(await as('outsider', 'DELETE', `/${n.id}`), 404);
      const o = t.outsider;
      assertProblem(await api(srv.url, 'GET', path(`/${n.id}`, o.teamId), { token: o.token }), 404);
      assertFieldErrors(await api(srv.url, 'POST', path('', o.teamId), { token: o.token, body: { content: 'x', contactId: c.contactId } }), 'contactId');
      const theirs = await api(srv.url, 'GET', path('?limit=200', o.teamId), { token: o.token });
      assert.ok(!theirs.json.data.some((x) => x.id === n.id));
      assertProblem(await api(srv.url, 'GET', path()), 401);
      assertProblem(await api(srv.url, 'POST', path(), { body: { content: 'x' } }), 401);
    });
  });
});
