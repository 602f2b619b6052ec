// SPDX-License-Identifier: MIT
// The real-time channel with the stock socket.io-client: the three transport modes, who may
// connect (token in auth / query / header, refused, expiring), delivery of committed events to
// the right team only (and the original frontend's token-less sockets), client events with
// acks, restart and connection state recovery; binary and namespaces on the conformance server.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { io } from 'socket.io-client';

import { api, startServer } from './lib/harness.mjs';
import { setUpTeam } from './lib/teamfixture.mjs';
import { contactWithConversation, sendMessage } from './lib/inboxfixtures.mjs';

const ORIGIN = 'http://app.example';

function connect(url, options = {}) {
  const socket = io(url, { reconnection: false, forceNew: true, timeout: 5000, ...options });
  return socket;
}

function connected(socket) {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

function nextEvent(socket, name, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${ms} ms`)), ms);
    socket.once(name, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

// Collects every `name` event a socket receives, to show what did NOT arrive.
function collect(socket, name) {
  const seen = [];
  socket.on(name, (payload) => seen.push(payload));
  return seen;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('real-time with socket.io-client', () => {
  let srv;
  let team;
  const sockets = [];
  const track = (s) => {
    sockets.push(s);
    return s;
  };

  before(async () => {
    srv = await startServer({
      env: { SIGNUP_MODE: 'open', CORS_ORIGIN: ORIGIN, SOCKET_RECOVERY_WINDOW_MS: '60000' },
    });
    team = await setUpTeam(srv);
  });

  after(async () => {
    for (const s of sockets) s.close();
    await srv?.stop();
  });

  for (const [label, transports] of [['default (polling, then upgrade)', undefined],
    ['websocket only', ['websocket']], ['polling only', ['polling']]]) {
    test(`connects with a token in auth: ${label}`, async () => {
      const socket = track(connect(srv.url, { transports, auth: { token: team.admin.token } }));
      await connected(socket);
      assert.ok(socket.id, 'a Socket.IO id');
      if (transports === undefined) {
        // The upgrade happens right after the connection.
        for (let i = 0; i < 50 && socket.io.engine.transport.name !== 'websocket'; i += 1) await sleep(20);
        assert.equal(socket.io.engine.transport.name, 'websocket');
      } else {
        assert.equal(socket.io.engine.transport.name, transports[0]);
      }
      socket.close();
    });
  }

  test('a token in the handshake query or the Authorization header is accepted too', async () => {
    const viaQuery = track(connect(srv.url, { query: { token: team.editor.token }, transports: ['websocket'] }));
    await connected(viaQuery);
    const viaHeader = track(connect(srv.url, {
      extraHeaders: { Authorization: `Bearer ${team.viewer.token}` }, transports: ['polling'],
    }));
    await connected(viaHeader);
    viaQuery.close();
    viaHeader.close();
  });

  test('a bad token is refused with CONNECT_ERROR and a clear message', async () => {
    const socket = track(connect(srv.url, { auth: { token: 'not-a-jwt' } }));
    const [error] = await nextEvent(socket, 'connect_error');
    assert.match(error.message, /^Invalid token: /);
    assert.equal(error.data.code, 'invalid_token');
    const forged = jwt.sign({ sub: team.admin.userId, id: team.admin.userId }, 'x'.repeat(40), { expiresIn: 60 });
    const second = track(connect(srv.url, { auth: { token: forged }, transports: ['websocket'] }));
    const [refused] = await nextEvent(second, 'connect_error');
    assert.match(refused.message, /signature/i);
  });

  test('an open socket is disconnected when its token expires', async () => {
    const token = jwt.sign({ sub: team.editor.userId, id: team.editor.userId, email: team.editor.email },
      srv.env.JWT_SECRET, { expiresIn: 2 });
    const socket = track(connect(srv.url, { auth: { token }, transports: ['websocket'] }));
    await connected(socket);
    const [reason] = await nextEvent(socket, 'disconnect', 5000);
    assert.equal(reason, 'io server disconnect');
  });

  test('message.new reaches every member of the team, and nobody else', async () => {
    const members = [team.admin, team.editor, team.viewer].map((m) =>
      track(connect(srv.url, { auth: { token: m.token }, transports: ['websocket'] })));
    const outsider = track(connect(srv.url, { auth: { token: team.outsider.token } }));
    const anonymous = track(connect(srv.url, { extraHeaders: { 'user-agent': 'never-seen' } }));
    await Promise.all([...members, outsider, anonymous].map(connected));
    const outsiderSaw = collect(outsider, 'message.new');
    const anonymousSaw = collect(anonymous, 'message.new');

    const { contactId, conversation } = await contactWithConversation(srv, team.teamId, team.editor.token);
    const arrivals = members.map((s) => nextEvent(s, 'message.new'));
    const sent = await sendMessage(srv, team.teamId, team.editor.token, conversation.id, { body: 'hello team' });
    assert.equal(sent.status, 201, sent.text);
    for (const [payload] of await Promise.all(arrivals)) {
      assert.equal(payload.id, sent.json.id);
      assert.equal(payload.conversationId, conversation.id);
      assert.equal(payload.contactId, contactId);
      assert.equal(payload.body, 'hello team');
      assert.equal(payload.direction, 'outbound');
      assert.equal(payload.status, 'queued');
    }
    await sleep(300);
    assert.deepEqual(outsiderSaw, [], "another team's socket gets nothing");
    assert.deepEqual(anonymousSaw, [], 'a socket that never proved who it is gets nothing');
  });

  test("the original frontend's token-less socket gets its team's events in the original's shape", async () => {
    const ua = 'inbox-frontend-test/1.0';
    // The frontend's HTTP call with its token, then its socket without one, from the same client.
    const session = await api(srv.url, 'GET', '/api/auth/session', {
      token: team.viewer.token, headers: { origin: ORIGIN, 'user-agent': ua },
    });
    assert.equal(session.status, 200);
    const frontend = track(connect(srv.url, { extraHeaders: { origin: ORIGIN, 'user-agent': ua } }));
    const notes = track(connect(srv.url, {
      query: { teamId: team.teamId }, transports: ['websocket'], extraHeaders: { origin: ORIGIN, 'user-agent': ua },
    }));
    await Promise.all([connected(frontend), connected(notes)]);

    const { contactId, conversation } = await contactWithConversation(srv, team.teamId, team.editor.token);
    const arrival = nextEvent(frontend, 'message.new');
    const sent = await sendMessage(srv, team.teamId, team.editor.token, conversation.id, {
      body: 'from the team', mediaUrls: ['https://cdn.example.com/a.png'],
    });
    assert.equal(sent.status, 201, sent.text);
    const [payload] = await arrival;
    assert.deepEqual(Object.keys(payload).sort(),
      ['body', 'channel', 'contactId', 'createdAt', 'direction', 'id', 'media', 'scheduledAt', 'status'].sort());
    assert.equal(payload.id, sent.json.id);
    assert.equal(payload.contactId, contactId);
    assert.equal(payload.direction, 'OUTBOUND');
    assert.equal(payload.status, 'PENDING');
    assert.equal(payload.channel, 'SMS');
    assert.deepEqual(payload.media, ['https://cdn.example.com/a.png']);

    const noteArrival = nextEvent(notes, 'note_added');
    const note = await api(srv.url, 'POST', `/api/v1/teams/${team.teamId}/notes`, {
      token: team.editor.token, body: { content: 'a shared note', contactId },
    });
    assert.equal(note.status, 201, note.text);
    await noteArrival;
  });

  test('conversation rooms and typing relayed to the team, with acks; another team cannot join', async () => {
    const { conversation } = await contactWithConversation(srv, team.teamId, team.editor.token);
    const editor = track(connect(srv.url, { auth: { token: team.editor.token }, transports: ['websocket'] }));
    const admin = track(connect(srv.url, { auth: { token: team.admin.token } }));
    const outsider = track(connect(srv.url, { auth: { token: team.outsider.token }, transports: ['websocket'] }));
    await Promise.all([editor, admin, outsider].map(connected));

    const join = (s) => s.timeout(3000).emitWithAck('conversation.join', { conversationId: conversation.id });
    assert.deepEqual(await join(editor), { ok: true });
    assert.deepEqual(await join(admin), { ok: true });
    assert.deepEqual(await join(outsider), { ok: false, error: 'not found' });

    const editorSaw = collect(editor, 'typing');
    const relayed = nextEvent(admin, 'typing');
    const ack = await editor.timeout(3000).emitWithAck('typing', { conversationId: conversation.id, typing: true });
    assert.deepEqual(ack, { ok: true });
    const [typing] = await relayed;
    assert.deepEqual(typing, { conversationId: conversation.id, userId: team.editor.userId, typing: true });
    const refused = await outsider.timeout(3000).emitWithAck('typing', { conversationId: conversation.id });
    assert.equal(refused.ok, false);
    await sleep(200);
    assert.deepEqual(editorSaw, [], 'the sender does not get its own typing event');
  });

  test('a private note (added and deleted) reaches its author only', async () => {
    const author = track(connect(srv.url, { auth: { token: team.editor.token }, transports: ['websocket'] }));
    const other = track(connect(srv.url, { auth: { token: team.admin.token }, transports: ['websocket'] }));
    await Promise.all([connected(author), connected(other)]);
    const otherAdded = collect(other, 'note_added');
    const otherDeleted = collect(other, 'note.deleted');
    const { contactId } = await contactWithConversation(srv, team.teamId, team.editor.token);
    const added = nextEvent(author, 'note_added');
    const note = await api(srv.url, 'POST', `/api/v1/teams/${team.teamId}/notes`, {
      token: team.editor.token, body: { content: 'only mine', contactId, isPrivate: true },
    });
    assert.equal(note.status, 201, note.text);
    const [payload] = await added;
    assert.equal(payload.id, note.json.id);
    const deleted = nextEvent(author, 'note.deleted');
    const removed = await api(srv.url, 'DELETE', `/api/v1/teams/${team.teamId}/notes/${note.json.id}`, {
      token: team.editor.token,
    });
    assert.equal(removed.status, 204, removed.text);
    await deleted;
    await sleep(300);
    assert.deepEqual(otherAdded, [], 'another member does not see a private note');
    assert.deepEqual(otherDeleted, [], 'nor its deletion');
  });

  test('connection state recovery: a client back within the window gets what it missed', async () => {
    const socket = track(io(srv.url, {
      auth: { token: team.admin.token }, transports: ['websocket'], forceNew: true,
      reconnectionDelay: 1000, reconnectionDelayMax: 1000, randomizationFactor: 0,
    }));
    await connected(socket);
    const { conversation } = await contactWithConversation(srv, team.teamId, team.editor.token);
    // An event first, so the client holds an offset.
    const first = nextEvent(socket, 'message.new');
    await sendMessage(srv, team.teamId, team.editor.token, conversation.id, { body: 'before the drop' });
    await first;
    const oldId = socket.id;

    // Every listener before the drop; the client waits 1 s before reconnecting, so the message
    // below is sent while it is away.
    const dropped = nextEvent(socket, 'disconnect');
    const back = nextEvent(socket, 'connect', 8000);
    const replay = nextEvent(socket, 'message.new', 8000);
    socket.io.engine.close(); // the transport drops; the client reconnects by itself
    await dropped;
    const missed = await sendMessage(srv, team.teamId, team.editor.token, conversation.id, { body: 'while away' });
    assert.equal(missed.status, 201);
    await back;
    assert.equal(socket.recovered, true);
    assert.equal(socket.id, oldId);
    const [payload] = await replay;
    assert.equal(payload.id, missed.json.id);
    socket.close();
  });

  test('clients reconnect after a server restart and get new events', async () => {
    const socket = track(io(srv.url, {
      auth: { token: team.admin.token }, forceNew: true, reconnectionDelay: 200, reconnectionDelayMax: 500,
    }));
    await connected(socket);
    // Why a reconnect failed, for the error message: a rare failure here (no connect within
    // 30 s, seen once under load) is not understood yet.
    const trail = [];
    socket.on('disconnect', (reason) => trail.push(`disconnect: ${reason}`));
    socket.on('connect_error', (error) => trail.push(`connect_error: ${error.message}`));
    socket.io.on('reconnect_attempt', (n) => trail.push(`reconnect attempt ${n}`));
    socket.io.on('reconnect_error', (error) => trail.push(`reconnect_error: ${error.message}`));
    // Listen before restarting: the client may be back before restart() has seen /healthz.
    const reconnected = nextEvent(socket, 'connect', 30000);
    await srv.restart();
    await reconnected.catch((error) => {
      throw new Error(`${error.message}; client saw: ${trail.slice(-12).join(' | ')}; server:\n${srv.stderr().slice(-1500)}`);
    });
    const { conversation } = await contactWithConversation(srv, team.teamId, team.editor.token);
    const arrival = nextEvent(socket, 'message.new');
    const sent = await sendMessage(srv, team.teamId, team.editor.token, conversation.id, { body: 'after restart' });
    const [payload] = await arrival;
    assert.equal(payload.id, sent.json.id);
    socket.close();
  });
});

describe('protocol details on the conformance server', () => {
  let proc;
  let url;

  before(async () => {
    const bin = path.join(path.dirname(process.env.INBOX_BIN), 'socketio-conformance');
    proc = spawn(bin, ['--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = await once(proc.stdout, 'data');
    url = String(line).match(/http:\/\/\S+/)[0];
  });

  after(() => proc?.kill());

  for (const transports of [['polling'], ['websocket']]) {
    test(`binary events and binary acks over ${transports[0]}`, async () => {
      const socket = connect(url, { transports, auth: { hello: 'world' } });
      const [auth] = await nextEvent(socket, 'auth');
      assert.deepEqual(auth, { hello: 'world' });
      const back = nextEvent(socket, 'message-back');
      socket.emit('message', Buffer.from([1, 2, 3]), { nested: Buffer.from('xyz') });
      const [bytes, nested] = await back;
      assert.deepEqual([...bytes], [1, 2, 3]);
      assert.equal(Buffer.from(nested.nested).toString(), 'xyz');
      const acked = await socket.timeout(3000).emitWithAck('message-with-ack', Buffer.from([9]), 'text');
      assert.deepEqual([...acked], [9]);
      socket.close();
    });
  }

  test('an unknown namespace is refused; the connection to / stays usable', async () => {
    const bad = connect(`${url}/random`);
    const [error] = await nextEvent(bad, 'connect_error');
    assert.equal(error.message, 'Invalid namespace');
    const custom = connect(`${url}/custom`, { auth: { a: 1 } });
    const [auth] = await nextEvent(custom, 'auth');
    assert.deepEqual(auth, { a: 1 });
    bad.close();
    custom.close();
  });
});
