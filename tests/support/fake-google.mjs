#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The fake Google (tests/node/lib/fakegoogle.mjs) as a standalone process, to try "Sign in with
// Google" by hand without a Google Cloud project:
//   node tests/support/fake-google.mjs [--port N] [--client-id ID] [--client-secret S]
//        [--email someone@example.com] [--name "Grace Hopper"] [--hd example.com]
// Prints the GOOGLE_* variables to start inbox-central with, then "listening <url>". Every
// sign-in is the one user given here (no consent page). SIGTERM/SIGINT close it.

import { parseArgs } from 'node:util';
import { googleUser, startFakeGoogle } from '../node/lib/fakegoogle.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    email: { type: 'string', default: 'grace@example.com' },
    name: { type: 'string', default: 'Grace Hopper' },
    hd: { type: 'string' },
  },
});

const fake = await startFakeGoogle({
  port: Number(values.port),
  clientId: values['client-id'],
  clientSecret: values['client-secret'],
});
fake.setUser(googleUser({
  sub: '100000000000000000001',
  email: values.email,
  name: values.name,
  ...(values.hd ? { hd: values.hd } : {}),
}));

console.log(`GOOGLE_CLIENT_ID=${fake.clientId}`);
console.log(`GOOGLE_CLIENT_SECRET=${fake.clientSecret}`);
console.log(`GOOGLE_DISCOVERY_URL=${fake.discoveryUrl}`);
console.log(`listening ${fake.url}`);

// The fake's server is unref'd (tests must be able to exit); keep this process alive.
const keepAlive = setInterval(() => {}, 1 << 30);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    clearInterval(keepAlive);
    await fake.close();
    process.exit(0);
  });
}
