#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The fake Twilio (tests/node/lib/faketwilio.mjs) as a standalone process, for benchmarks:
//   node tests/support/fake-twilio.mjs --port N --account AC…:token [--account …]
//        [--number AC…:+1555…] [--auto-status] [--delay-ms N]
// Prints "listening <url>" once ready; SIGTERM/SIGINT close it. Logs nothing per request
// (GET <url>/_fake/stats gives counters); keeps only the last 10000 records of each kind.

import { parseArgs } from 'node:util';
import { startFakeTwilio } from '../node/lib/faketwilio.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    account: { type: 'string', multiple: true, default: [] },
    number: { type: 'string', multiple: true, default: [] },
    'auto-status': { type: 'boolean', default: false },
    'delay-ms': { type: 'string', default: '0' },
  },
});

// "AC…:value" → [AC…, value]
function pair(text, what) {
  const colon = text.indexOf(':');
  if (colon <= 0) {
    console.error(`fake-twilio: --${what} wants ACCOUNTSID:VALUE, got "${text}"`);
    process.exit(2);
  }
  return [text.slice(0, colon), text.slice(colon + 1)];
}

const accounts = Object.fromEntries(values.account.map((a) => pair(a, 'account')));
const phoneNumbers = {};
for (const [accountSid, number] of values.number.map((n) => pair(n, 'number'))) {
  (phoneNumbers[accountSid] ??= []).push(number);
}

const fake = await startFakeTwilio({
  accounts,
  phoneNumbers,
  port: Number(values.port),
  autoStatus: values['auto-status'],
  delayMs: Number(values['delay-ms']),
  maxRecords: 10_000,
});
console.log(`listening ${fake.url}`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, async () => {
    await fake.idle();
    await fake.close();
    process.exit(0);
  });
}
