// SPDX-License-Identifier: MIT
// Scheduled messages end to end against the real binary and the fake Twilio: the team's list
// (soonest first, keyset pages, ?conversationId=), delivery at sendAt, reschedule (later and
// earlier, with a new text) and cancel until the delivery job is claimed, 409 after it, and the
// race between a cancel and the claim decided by the database: every message ends either
// canceled and never sent, or sent exactly once with the cancel refused. Roles, other teams and
// bad input; a compatible `scheduleAt` send is in the v1 list.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { startFakeTwilio } from './lib/faketwilio.mjs';
import { api, startServer } from './lib/harness.mjs';
import { allPages, contactWithConversation, eventsOf, inFuture, selectRows, sendMessage } from './lib/inboxfixtures.mjs';
import { assertFieldErrors, assertProblem, setUpTeam } from './lib/teamfixture.mjs';

const TWILIO_ACCOUNT = 'AC' + '8'.repeat(32);
const TWILIO_TOKEN = '8'.repeat(32);

describe('scheduled messages (list, reschedule, cancel until the claim)', () => {
  let srv;
  let fake;
  let t;
  let c; // { contactId, conversation }
  const tag = Math.random().toString(36).slice(2, 8);
  const as = (who, method, path, body) => api(srv.url, method, path, { token: t[who].token, body });
  const team = (path, teamId = t.teamId) => `/api/v1/teams/${teamId}${path}`;
  const schedule = async (body, sendAt, conversationId = c.conversation.id) => {
    const res = await sendMessage(srv, t.teamId, t.editor.token, conversationId, { body, sendAt });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.status, 'scheduled');
    return res.json;
  };
  const cancel = (id, who = 'editor') => as(who, 'POST', team(`/messages/${id}/cancel`));
  const patch = (id, body, who = 'editor') => as(who, 'PATCH', team(`/messages/${id}`), body);
  const jobOf = (id) => selectRows(srv, 'SELECT run_at, status, last_error FROM jobs WHERE unique_key = ?', [`send:${id}`])[0];
  const rowOf = (id) => selectRows(srv, 'SELECT status, scheduled_at, sent_at, body FROM messages WHERE id = ?', [id])[0];
  const postsOf = (body) => fake.messages.filter((m) => m.body === body);
  const listed = async (query = '') => {
    const res = await as('viewer', 'GET', team(`/scheduled-messages${query}`));
    assert.equal(res.status, 200, res.text);
    return res.json.data;
  };
  // Waits until the message's job is no longer pending or running; returns its final status.
  const settled = async (id, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const job = jobOf(id);
      if (!['pending', 'running'].includes(job.status)) return job.status;
      assert.ok(Date.now() < deadline, `job of ${id} settles (still ${job.status})`);
      await sleep(50);
    }
  };

  before(async () => {
    fake = await startFakeTwilio({ accounts: { [TWILIO_ACCOUNT]: TWILIO_TOKEN } });
    srv = await startServer({ env: { SIGNUP_MODE: 'open', TWILIO_API_BASE: fake.url, TWILIO_ACCOUNT_SID: TWILIO_ACCOUNT,
      TWILIO_AUTH_TOKEN: TWILIO_TOKEN, TWILIO_SMS_FROM: '+15550008000',
      // A slow poll: every send here must go out because the runner woke for its run_at.
      SCHEDULER_POLL_MS: '60000' } });
    t = await setUpTeam(srv);
    c = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Sam Scheduled', phone: '+14155550177' });
  });
  after(async () => {
    await srv?.stop();
    await fake?.close();
  });

  let sentMessage; // a scheduled message that went out (for the 409-after-sending cells)

  test('sendAt 2 s ahead: listed as scheduled, then sent once at its time, then gone from the list', async () => {
    const body = `Soon ${tag}`;
    const sendAt = inFuture(2000);
    const m = await schedule(body, sendAt);
    const before = await listed();
    const item = before.find((x) => x.id === m.id);
    assert.ok(item, 'in the scheduled list');
    assert.equal(item.status, 'scheduled');
    assert.equal(Date.parse(item.scheduledAt), Date.parse(sendAt));
    assert.deepEqual(item, m, 'the list holds the message as the send answered it');
    assert.equal(postsOf(body).length, 0, 'nothing sent before its time');

    assert.equal(await settled(m.id), 'done');
    const row = rowOf(m.id);
    assert.equal(row.status, 'sent');
    assert.ok(Date.parse(row.sent_at) >= Date.parse(sendAt), `sent at ${row.sent_at}, not before ${sendAt}`);
    assert.equal(postsOf(body).length, 1, 'the fake Twilio got exactly one POST');
    assert.ok(!(await listed()).some((x) => x.id === m.id), 'no longer listed');
    sentMessage = m;
  });

  test('after it was sent: cancel and reschedule → 409 not-scheduled, nothing changes', async () => {
    assert.ok(sentMessage, 'the previous test sent one');
    let res = await cancel(sentMessage.id);
    assertProblem(res, 409, 'not-scheduled');
    assert.match(res.json.detail, /sent/);
    res = await patch(sentMessage.id, { sendAt: inFuture(3600_000) });
    assertProblem(res, 409, 'not-scheduled');
    assert.equal(rowOf(sentMessage.id).status, 'sent');
    assert.equal(jobOf(sentMessage.id).status, 'done');
    assert.equal(postsOf(`Soon ${tag}`).length, 1);
  });

  test('an immediate (queued) message is not scheduled: cancel → 409', async () => {
    const res = await sendMessage(srv, t.teamId, t.editor.token, c.conversation.id, { body: `Now ${tag}` });
    assert.equal(res.status, 201, res.text);
    assertProblem(await cancel(res.json.id), 409, 'not-scheduled');
    assert.equal(await settled(res.json.id), 'done');
    assert.equal(postsOf(`Now ${tag}`).length, 1);
  });

  test('the list: soonest first, keyset pages, ?conversationId= narrows it to one conversation', async () => {
    const other = await contactWithConversation(srv, t.teamId, t.editor.token, { name: 'Lia List', phone: '+14155550178' });
    const hours = [5, 2, 9, 1, 7];
    const made = [];
    for (const h of hours) made.push(await schedule(`List ${tag} ${h}h`, inFuture(h * 3600_000), other.conversation.id));
    const expected = [...made].sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt)).map((m) => m.id);

    const { items, pages } = await allPages(srv, t.viewer.token, team(`/scheduled-messages?conversationId=${other.conversation.id}`), 2);
    assert.deepEqual(items.map((m) => m.id), expected, 'soonest first, each once');
    assert.equal(pages, 3);
    assert.ok(items.every((m) => m.status === 'scheduled' && m.conversationId === other.conversation.id));

    const whole = await allPages(srv, t.viewer.token, team('/scheduled-messages'), 3);
    const times = whole.items.map((m) => Date.parse(m.scheduledAt));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'the team list is soonest first too');
    for (const id of expected) assert.ok(whole.items.some((m) => m.id === id), 'the team list holds every conversation\'s');
    assert.ok(whole.items.every((m) => m.status === 'scheduled'));

    assert.deepEqual(await listed('?conversationId=no-such-conversation'), []);
    assertFieldErrors(await as('viewer', 'GET', team('/scheduled-messages?limit=0')), 'limit');
    assertFieldErrors(await as('viewer', 'GET', team('/scheduled-messages?cursor=garbage')), 'cursor');
  });

  test('reschedule later: run_at moves, message.updated, not sent at the old time, sent at the new one', async () => {
    const body = `Later ${tag}`;
    const oldAt = inFuture(1500);
    const m = await schedule(body, oldAt);
    const newAt = inFuture(4000);
    const res = await patch(m.id, { sendAt: newAt });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.id, m.id);
    assert.equal(res.json.status, 'scheduled');
    assert.equal(Date.parse(res.json.scheduledAt), Date.parse(newAt));
    assert.equal(Date.parse(jobOf(m.id).run_at), Date.parse(newAt), 'the job moved with it');
    assert.equal(jobOf(m.id).status, 'pending');
    const event = eventsOf(srv, 'message.updated').filter((e) => e.payload.id === m.id).at(-1);
    assert.ok(event, 'message.updated recorded');
    assert.deepEqual(event.payload, res.json);
    assert.equal(event.team_id, t.teamId);
    assert.equal(Date.parse((await listed()).find((x) => x.id === m.id).scheduledAt), Date.parse(newAt));

    await sleep(Math.max(0, Date.parse(oldAt) + 1000 - Date.now()));
    assert.equal(postsOf(body).length, 0, 'nothing went out at the old time');
    assert.equal(rowOf(m.id).status, 'scheduled');

    assert.equal(await settled(m.id), 'done');
    assert.equal(postsOf(body).length, 1, 'sent once');
    const row = rowOf(m.id);
    assert.equal(row.status, 'sent');
    assert.ok(Date.parse(row.sent_at) >= Date.parse(newAt), `sent at ${row.sent_at}, not before ${newAt}`);
  });

  test('reschedule earlier with a new text: the runner wakes for it and sends the new text', async () => {
    const m = await schedule(`Far ${tag}`, inFuture(3600_000));
    const newAt = inFuture(1500);
    const res = await patch(m.id, { sendAt: newAt, body: `Sooner ${tag}` });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.body, `Sooner ${tag}`);
    assert.equal(Date.parse(res.json.scheduledAt), Date.parse(newAt));
    // The runner had planned its next wake-up for an hour ahead (or its 60 s poll): only the
    // reschedule's wake-up sends it within seconds.
    assert.equal(await settled(m.id, 10_000), 'done', 'sent within seconds, not in an hour');
    assert.equal(postsOf(`Sooner ${tag}`).length, 1);
    assert.equal(postsOf(`Far ${tag}`).length, 0);
    assert.ok(Date.parse(rowOf(m.id).sent_at) >= Date.parse(newAt));
  });

  test('a new text alone keeps the time; a blank text without media → 422', async () => {
    const sendAt = inFuture(3600_000);
    const m = await schedule(`Wording ${tag}`, sendAt);
    const res = await patch(m.id, { body: 'Better wording' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.body, 'Better wording');
    assert.equal(Date.parse(res.json.scheduledAt), Date.parse(sendAt));
    assert.equal(Date.parse(jobOf(m.id).run_at), Date.parse(sendAt));
    assertFieldErrors(await patch(m.id, { body: '  ' }), 'body');
    assert.equal(rowOf(m.id).body, 'Better wording');
  });

  test('cancel: canceled, its job canceled, message.updated, never sent (waited past its time)', async () => {
    const body = `Never ${tag}`;
    const sendAt = inFuture(1500);
    const m = await schedule(body, sendAt);
    const res = await cancel(m.id);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.id, m.id);
    assert.equal(res.json.status, 'canceled');
    assert.equal(Date.parse(res.json.scheduledAt), Date.parse(sendAt), 'the time it would have gone out stays');
    assert.equal(jobOf(m.id).status, 'canceled');
    assert.match(jobOf(m.id).last_error, /canceled/);
    const event = eventsOf(srv, 'message.updated').filter((e) => e.payload.id === m.id).at(-1);
    assert.deepEqual(event?.payload, res.json);
    assert.ok(!(await listed()).some((x) => x.id === m.id), 'no longer listed');

    await sleep(Math.max(0, Date.parse(sendAt) + 1500 - Date.now()));
    assert.equal(postsOf(body).length, 0, 'the fake Twilio got nothing');
    assert.equal(rowOf(m.id).status, 'canceled');
    assert.equal(jobOf(m.id).status, 'canceled');

    assertProblem(await cancel(m.id), 409, 'not-scheduled');
    assertProblem(await patch(m.id, { sendAt: inFuture(3600_000) }), 409, 'not-scheduled');
  });

  test('the race with the claim: 20 messages, cancels around the due time → canceled and never sent, or sent once and the cancel 409', async (ctx) => {
    const base = Date.now() + 1500;
    const messages = [];
    for (let i = 0; i < 20; ++i) {
      const body = `Race ${tag} ${i}`;
      const sendAt = new Date(base + i * 50).toISOString();
      messages.push({ ...(await schedule(body, sendAt)), body, sendAt });
    }
    // Each message gets two cancels at once, at its own offset from -50 ms to +45 ms around its
    // due time: some land before the claim, some between the claim and "sending", some after.
    const answers = await Promise.all(messages.map(async (m, i) => {
      const offset = -50 + i * 5;
      await sleep(Math.max(0, Date.parse(m.sendAt) + offset - Date.now()));
      return Promise.all([cancel(m.id), cancel(m.id)]);
    }));
    let canceled = 0;
    let sent = 0;
    const refusals = {};
    for (const [i, m] of messages.entries()) {
      const job = await settled(m.id);
      await fake.idle();
      const row = rowOf(m.id);
      const ok = answers[i].filter((r) => r.status === 200);
      for (const r of answers[i].filter((x) => x.status !== 200)) {
        assertProblem(r, 409);
        assert.ok(/(already-sending|not-scheduled)$/.test(r.json.type), r.text);
        const type = r.json.type.split(':').at(-1);
        refusals[type] = (refusals[type] ?? 0) + 1;
      }
      if (row.status === 'canceled') {
        canceled += 1;
        assert.equal(ok.length, 1, `message ${i}: exactly one cancel won`);
        assert.equal(ok[0].json.status, 'canceled');
        assert.equal(job, 'canceled', `message ${i}: its job is canceled`);
        assert.equal(postsOf(m.body).length, 0, `message ${i}: canceled and never sent`);
      } else {
        sent += 1;
        assert.equal(row.status, 'sent', `message ${i}: sent or canceled, nothing else`);
        assert.equal(job, 'done');
        assert.equal(ok.length, 0, `message ${i}: sent, so no cancel may have succeeded`);
        assert.equal(postsOf(m.body).length, 1, `message ${i}: sent exactly once`);
      }
    }
    // Late sends would show up here: give a straggler a moment, then count again.
    await sleep(500);
    for (const m of messages) {
      assert.equal(postsOf(m.body).length, rowOf(m.id).status === 'sent' ? 1 : 0);
    }
    ctx.diagnostic(`canceled ${canceled}, sent ${sent}; 409s: ${JSON.stringify(refusals)}`);
    assert.equal(canceled + sent, 20);
  });

  test('roles and teams: viewers list but neither cancel nor reschedule (403); an outsider and other teams get 404', async () => {
    const m = await schedule(`Guarded ${tag}`, inFuture(3600_000));
    assertProblem(await cancel(m.id, 'viewer'), 403, 'forbidden');
    assertProblem(await patch(m.id, { sendAt: inFuture(7200_000) }, 'viewer'), 403, 'forbidden');
    assertProblem(await cancel(m.id, 'outsider'), 404, 'not-found');
    assertProblem(await patch(m.id, { sendAt: inFuture(7200_000) }, 'outsider'), 404, 'not-found');
    assertProblem(await as('outsider', 'GET', team('/scheduled-messages')), 404, 'not-found');
    // the outsider's own team, with our message id: no such message there
    assertProblem(await as('outsider', 'POST', team(`/messages/${m.id}/cancel`, t.outsider.teamId)), 404, 'not-found');
    const theirs = await as('outsider', 'GET', team('/scheduled-messages', t.outsider.teamId));
    assert.equal(theirs.status, 200, theirs.text);
    assert.ok(!theirs.json.data.some((x) => x.id === m.id), 'not in another team\'s list');
    assertProblem(await cancel('no-such-message'), 404, 'not-found');
    assertProblem(await api(srv.url, 'POST', team(`/messages/${m.id}/cancel`)), 401);
    assert.equal(rowOf(m.id).status, 'scheduled');
    assert.equal(jobOf(m.id).status, 'pending');
    const byAdmin = await cancel(m.id, 'admin');
    assert.equal(byAdmin.status, 200, byAdmin.text);
  });

  test('bad sendAt or body → 422 with the field named; nothing changes', async () => {
    const sendAt = inFuture(3600_000);
    const m = await schedule(`Checked ${tag}`, sendAt);
    assertFieldErrors(await patch(m.id, { sendAt: new Date(Date.now() - 60_000).toISOString() }), 'sendAt');
    assertFieldErrors(await patch(m.id, { sendAt: new Date(Date.now() + 367 * 86400_000).toISOString() }), 'sendAt');
    assertFieldErrors(await patch(m.id, { sendAt: 'tomorrow' }), 'sendAt');
    assertFieldErrors(await patch(m.id, { sendAt: '2030-01-31T09:00:00' }), 'sendAt'); // no zone
    assertFieldErrors(await patch(m.id, { sendAt: null }), 'sendAt');
    assertFieldErrors(await patch(m.id, {}), 'sendAt');
    assertFieldErrors(await patch(m.id, { sendAt: inFuture(7200_000), when: 'now' }), 'when');
    assertFieldErrors(await patch(m.id, { body: 42 }), 'body');
    assertFieldErrors(await patch(m.id, { body: 'x'.repeat(1601) }), 'body');
    assert.equal(Date.parse(jobOf(m.id).run_at), Date.parse(sendAt));
    assert.equal(rowOf(m.id).body, `Checked ${tag}`);
    // the send's own check, for comparison
    const past = await sendMessage(srv, t.teamId, t.editor.token, c.conversation.id, { body: 'x', sendAt: new Date(Date.now() - 1000).toISOString() });
    assertFieldErrors(past, 'sendAt');
  });

  test('a compatible scheduleAt send is in the v1 list, and can be canceled there', async () => {
    const scheduleAt = inFuture(2 * 3600_000);
    const res = await as('admin', 'POST', '/api/messages/send', { contactId: c.contactId, body: `Compat later ${tag}`, scheduleAt });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.scheduled, true);
    const item = (await listed()).find((x) => x.id === res.json.messageId);
    assert.ok(item, 'listed');
    assert.equal(item.status, 'scheduled');
    assert.equal(item.body, `Compat later ${tag}`);
    assert.equal(Date.parse(item.scheduledAt), Date.parse(scheduleAt));
    const canceled = await cancel(res.json.messageId);
    assert.equal(canceled.status, 200, canceled.text);
    const thread = await as('admin', 'GET', `/api/messages/thread/${c.contactId}`);
    assert.equal(thread.status, 200, thread.text);
    assert.equal(thread.json.find((x) => x.id === res.json.messageId)?.status, 'FAILED', 'the original had no canceled state');
  });
});
