// SPDX-License-Identifier: MIT
// A stock Node socket.io (v4) server for the desktop client's Socket.IO tests
// (tests/ui/tst_socketioclient.cpp): the reference implementation the client must interoperate
// with. Prints {"port":N} on its first stdout line, then one JSON line per thing the test may
// want to check ({"event":"disconnect","reason":…}). Exits when stdin closes (its test ended).
//
// Behaviour, per client:
// - auth {token:"bad"} → refused: connect_error {message:"not allowed", data:{code:"invalid_token"}}
// - on connect: emit("welcome", <the CONNECT auth>)
// - "echo" ...args       → emit("echo-back", ...args)
// - "ack-me" ...args, ack → ack(...args)
// - "ask"               → emitWithAck("question", 42) to the client, then emit("answered", reply)
// - "kick"              → socket.disconnect(true)  (a server-side DISCONNECT)
// - "drop"              → the Engine.IO connection closes (a lost transport)
// Options (argv): --ping-interval MS --ping-timeout MS.

import { createServer } from 'node:http';
import { Server } from 'socket.io';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const httpServer = createServer();
const io = new Server(httpServer, {
  pingInterval: arg('--ping-interval', 25000),
  pingTimeout: arg('--ping-timeout', 20000),
  transports: ['websocket', 'polling'],
});

const report = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);

io.use((socket, next) => {
  if (socket.handshake.auth?.token === 'bad') {
    const err = new Error('not allowed');
    err.data = { code: 'invalid_token' };
    next(err);
    return;
  }
  next();
});

io.on('connection', (socket) => {
  report({ event: 'connection', auth: socket.handshake.auth });
  socket.emit('welcome', socket.handshake.auth);
  socket.on('echo', (...args) => socket.emit('echo-back', ...args));
  socket.on('ack-me', (...args) => {
    const ack = args.pop();
    ack(...args);
  });
  socket.on('ask', async () => {
    try {
      const reply = await socket.timeout(5000).emitWithAck('question', 42);
      socket.emit('answered', reply);
    } catch (error) {
      socket.emit('answered', { error: String(error) });
    }
  });
  socket.on('kick', () => socket.disconnect(true));
  socket.on('drop', () => socket.conn.close());
  socket.on('disconnect', (reason) => report({ event: 'disconnect', reason }));
});

httpServer.listen(0, '127.0.0.1', () => report({ port: httpServer.address().port }));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
