// SPDX-License-Identifier: MIT
// `inbox-central import`: a database with the original Node backend's schema (Prisma's naming,
// written here from COMPAT_API.md: quoted camelCase tables and columns, cuid ids, enum types),
// filled with a few hundred rows (passwords hashed with bcryptjs, as the original did), imported
// into a fresh SQLite or PostgreSQL database. The source always lives on the test PostgreSQL
// cluster (INBOX_PG_DIR), whatever the target is.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import bcrypt from 'bcryptjs';

import { api, createDatabase, dropDatabaseLater, runCli, startServer, testDb } from './lib/harness.mjs';

const dirs = [];
function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-import-test-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function pgAdminUrl() {
  return readFileSync(join(process.env.INBOX_PG_DIR, 'url'), 'utf8').trim();
}

function psql(url, sql) {
  const result = spawnSync('psql', [url, '-X', '-q', '-At', '-F', '|', '-v', 'ON_ERROR_STOP=1'], {
    input: sql,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr || result.error}`);
  return result.stdout;
}

// Rows of a query on the target database as arrays of text ("1"/"0" for booleans on both).
function targetRows(databaseUrl, sql) {
  let text;
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.replace(/^sqlite:(\/\/)?/, '');
    const result = spawnSync('sqlite3', ['-noheader', '-separator', '|', path, sql], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`sqlite3 failed: ${result.stderr}`);
    text = result.stdout;
  } else {
    text = psql(databaseUrl, sql);
  }
  return text.split('\n').filter((line) => line !== '').map((line) => line.split('|'));
}

const cuid = () => `c${randomBytes(12).toString('hex')}`;
const q = (value) => (value === null || value === undefined ? 'NULL' : `'${String(value).replaceAll("'", "''")}'`);
const ts = (date) => q(date.toISOString().replace('T', ' ').replace('Z', ''));

// The original's schema, as Prisma migrate would have created it.
const SCHEMA = `
CREATE TYPE "Role" AS ENUM ('VIEWER', 'EDITOR', 'ADMIN');
CREATE TYPE "Channel" AS ENUM ('SMS', 'WHATSAPP', 'EMAIL', 'TWITTER', 'MESSENGER');
CREATE TYPE "Direction" AS ENUM ('INBOUND', 'OUTBOUND');
CREATE TYPE "MessageStatus" AS ENUM ('PENDING', 'SENT', 'DELIVERED', 'FAILED', 'RECEIVED');
CREATE TYPE "JobStatus" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED');
CREATE TABLE "User" (
  "id" TEXT NOT NULL PRIMARY KEY, "email" TEXT NOT NULL, "password" TEXT, "googleId" TEXT,
  "name" TEXT, "avatarUrl" TEXT, "twilioNumber" TEXT,
  "isTwilioVerified" BOOLEAN NOT NULL DEFAULT false, "twilioAccountSid" TEXT,
  "twilioAuthToken" TEXT, "twilioSmsFrom" TEXT, "twilioWhatsappFrom" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE UNIQUE INDEX "User_googleId_key" ON "User"("googleId");
CREATE UNIQUE INDEX "User_twilioNumber_key" ON "User"("twilioNumber");
CREATE TABLE "Team" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE "TeamMember" ("id" TEXT NOT NULL PRIMARY KEY, "userId" TEXT NOT NULL, "teamId" TEXT NOT NULL,
  "role" "Role" NOT NULL DEFAULT 'VIEWER', "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE UNIQUE INDEX "TeamMember_userId_teamId_key" ON "TeamMember"("userId", "teamId");
CREATE TABLE "Contact" ("id" TEXT NOT NULL PRIMARY KEY, "teamId" TEXT NOT NULL, "name" TEXT,
  "phone" VARCHAR(50), "email" VARCHAR(255), "social" JSONB, "mergedIntoId" TEXT,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL);
CREATE TABLE "Message" ("id" TEXT NOT NULL PRIMARY KEY, "contactId" TEXT NOT NULL, "teamId" TEXT NOT NULL,
  "channel" "Channel" NOT NULL, "direction" "Direction" NOT NULL, "body" TEXT, "media" JSONB,
  "externalId" TEXT, "status" "MessageStatus" NOT NULL DEFAULT 'PENDING', "scheduledAt" TIMESTAMP(3),
  "sentAt" TIMESTAMP(3), "createdById" TEXT, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "metadata" JSONB, "threadKey" TEXT);
CREATE UNIQUE INDEX "Message_externalId_key" ON "Message"("externalId");
CREATE TABLE "Note" ("id" TEXT NOT NULL PRIMARY KEY, "contactId" TEXT, "teamId" TEXT NOT NULL,
  "authorId" TEXT NOT NULL, "content" TEXT NOT NULL, "isPrivate" BOOLEAN NOT NULL DEFAULT false,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL);
CREATE UNIQUE INDEX "Note_contactId_teamId_key" ON "Note"("contactId", "teamId");
CREATE TABLE "ScheduledJob" ("id" TEXT NOT NULL PRIMARY KEY, "teamId" TEXT NOT NULL, "messageId" TEXT NOT NULL,
  "payload" JSONB, "scheduledAt" TIMESTAMP(3) NOT NULL, "attempts" INTEGER NOT NULL DEFAULT 0,
  "maxAttempts" INTEGER NOT NULL DEFAULT 3, "backoff" JSONB, "status" "JobStatus" NOT NULL DEFAULT 'PENDING',
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL);
CREATE TABLE "Event" ("id" TEXT NOT NULL PRIMARY KEY, "teamId" TEXT NOT NULL, "type" TEXT NOT NULL,
  "payload" JSONB, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE "TwilioOtp" ("id" TEXT NOT NULL PRIMARY KEY, "userId" TEXT NOT NULL UNIQUE, "otp" TEXT NOT NULL,
  "twilioNumber" TEXT NOT NULL, "expiry" TIMESTAMP(3) NOT NULL,
  "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP);
`;

// The fixture: what the source holds and what the test expects of it.
function buildFixture() {
  const base = new Date('2025-03-01T10:00:00.000Z');
  const at = (minutes) => new Date(base.getTime() + minutes * 60_000);
  const sql = [];
  const f = { users: [], teams: [], contacts: [], messages: [], notes: [], events: [], rejected: {} };

  const acme = { id: cuid(), name: 'Acme Support' };
  const beta = { id: cuid(), name: 'Beta Sales' };
  f.teams.push(acme, beta);
  for (const [i, t] of f.teams.entries()) sql.push(`INSERT INTO "Team" VALUES (${q(t.id)}, ${q(t.name)}, ${ts(at(i))});`);

  // 12 users: bcryptjs hashes ($2a$; one rewritten to $2b$, which bcryptjs also produces and
  // reads), one Google-only (no password), one with the original's per-user Twilio settings.
  const salt = bcrypt.genSaltSync(4);
  for (let i = 0; i < 12; i++) {
    const u = { id: cuid(), email: `person${i}@import.test`, password: `old-password-${i}`, name: `Person ${i}` };
    u.hash = bcrypt.hashSync(u.password, salt);
    if (i === 1) u.hash = u.hash.replace(/^\$2a\$/, '$2b$');
    if (i === 3) { u.hash = null; u.googleId = `google-sub-${randomBytes(4).toString('hex')}`; }
    f.users.push(u);
  }
  f.twilio = {
    user: f.users[2],
    number: '+15550001111',
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
    smsFrom: '+15550002222',
    whatsappFrom: '+15550003333',
  };
  for (const [i, u] of f.users.entries()) {
    const t = u === f.twilio.user ? f.twilio : {};
    sql.push(`INSERT INTO "User" ("id","email","password","googleId","name","avatarUrl","twilioNumber","isTwilioVerified",
      "twilioAccountSid","twilioAuthToken","twilioSmsFrom","twilioWhatsappFrom","createdAt") VALUES (${q(u.id)}, ${q(u.email)},
      ${q(u.hash)}, ${q(u.googleId)}, ${q(u.name)}, ${q(i === 0 ? 'https://img.example/p0.png' : null)}, ${q(t.number)},
      ${t.number ? 'true' : 'false'}, ${q(t.accountSid)}, ${q(t.authToken)}, ${q(t.smsFrom)}, ${q(t.whatsappFrom)}, ${ts(at(10 + i))});`);
  }
  // Bad users: an email that differs from person4's only in case, a password that is no bcrypt hash.
  const dupEmail = { id: cuid(), email: 'Person4@Import.test' };
  const plain = { id: cuid(), email: 'plain@import.test' };
  f.rejected.User = [dupEmail.id, plain.id];
  // cuids sort by creation; "z…" makes the duplicate come after person4 in id order.
  dupEmail.id = `z${dupEmail.id}`;
  f.rejected.User[0] = dupEmail.id;
  sql.push(`INSERT INTO "User" ("id","email","password","createdAt") VALUES (${q(dupEmail.id)}, ${q(dupEmail.email)}, ${q(f.users[4].hash)}, ${ts(at(40))});`);
  sql.push(`INSERT INTO "User" ("id","email","password","createdAt") VALUES (${q(plain.id)}, ${q(plain.email)}, 'hunter2', ${ts(at(41))});`);

  // Members: 0–9 in Acme (roles in turn), 10–11 in Beta, 0 also in Beta (later: Acme stays first).
  const roles = ['ADMIN', 'EDITOR', 'VIEWER'];
  f.members = [];
  for (let i = 0; i < 10; i++) f.members.push({ id: cuid(), user: f.users[i], team: acme, role: roles[i % 3] });
  f.members.push({ id: cuid(), user: f.users[10], team: beta, role: 'ADMIN' });
  f.members.push({ id: cuid(), user: f.users[11], team: beta, role: 'EDITOR' });
  f.members.push({ id: cuid(), user: f.users[0], team: beta, role: 'VIEWER' });
  for (const [i, m] of f.members.entries()) {
    sql.push(`INSERT INTO "TeamMember" VALUES (${q(m.id)}, ${q(m.user.id)}, ${q(m.team.id)}, '${m.role}', ${ts(at(50 + i))});`);
  }
  const orphanMember = cuid();
  f.rejected.TeamMember = [orphanMember];
  sql.push(`INSERT INTO "TeamMember" VALUES (${q(orphanMember)}, ${q(plain.id)}, ${q(acme.id)}, 'EDITOR', ${ts(at(70))});`);

  // Contacts: 50 in Acme, 10 in Beta; one number written the local way; one merged contact.
  for (let i = 0; i < 60; i++) {
    const team = i < 50 ? acme : beta;
    const phone = i === 7 ? '(415) 555-0107' : `+1415555${String(1000 + i).padStart(4, '0')}`;
    const c = { id: cuid(), team, name: `Contact ${i}`, phone, e164: i === 7 ? '+14155550107' : phone, email: i % 5 === 0 ? `Contact${i}@Example.com` : null };
    f.contacts.push(c);
    sql.push(`INSERT INTO "Contact" VALUES (${q(c.id)}, ${q(team.id)}, ${q(c.name)}, ${q(c.phone)}, ${q(c.email)},
      ${i === 0 ? q(JSON.stringify({ twitter: '@contact0' })) : 'NULL'}, NULL, ${ts(at(100 + i))}, ${ts(at(200 + i))});`);
  }
  const merged = { id: cuid(), team: acme, name: 'Old duplicate', phone: f.contacts[1].phone };
  f.merged = merged;
  sql.push(`INSERT INTO "Contact" VALUES (${q(merged.id)}, ${q(acme.id)}, ${q(merged.name)}, ${q(merged.phone)}, NULL, NULL,
    ${q(f.contacts[1].id)}, ${ts(at(300))}, ${ts(at(301))});`);
  // Merged into the merged one, and before it in id order: imported after it all the same.
  const chained = { id: `a${cuid()}` };
  f.chained = chained;
  sql.push(`INSERT INTO "Contact" VALUES (${q(chained.id)}, ${q(acme.id)}, 'Older duplicate', NULL, NULL, NULL,
    ${q(merged.id)}, ${ts(at(299))}, ${ts(at(299))});`);
  // The same number as contact 3 once in E.164: imported without it (kept in its attributes).
  const samePhone = { id: `z${cuid()}`, team: acme, name: 'Same number', phone: '(415) 555-1003' };
  f.samePhone = samePhone;
  sql.push(`INSERT INTO "Contact" VALUES (${q(samePhone.id)}, ${q(acme.id)}, ${q(samePhone.name)}, ${q(samePhone.phone)}, NULL, NULL,
    NULL, ${ts(at(303))}, ${ts(at(303))});`);
  const badPhone = { id: cuid() };
  f.rejected.Contact = [badPhone.id];
  sql.push(`INSERT INTO "Contact" VALUES (${q(badPhone.id)}, ${q(acme.id)}, 'Bad number', 'call me maybe', NULL, NULL, NULL, ${ts(at(302))}, ${ts(at(302))});`);

  // 300 messages, five per contact, in every state; media, Twilio SIDs, WhatsApp.
  const statuses = ['RECEIVED', 'SENT', 'DELIVERED', 'FAILED', 'DELIVERED'];
  for (let i = 0; i < 300; i++) {
    const c = f.contacts[i % 60];
    const inbound = i % 5 === 0;
    const m = {
      id: cuid(), contact: c, team: c.team, channel: i % 4 === 3 ? 'WHATSAPP' : 'SMS',
      direction: inbound ? 'INBOUND' : 'OUTBOUND', body: `Message ${i} to ${c.name}`,
      media: i % 10 === 0 ? [`https://media.example/${i}.jpg`] : [],
      externalId: i % 2 === 0 ? `SM${randomBytes(16).toString('hex')}` : null,
      status: statuses[i % 5], createdAt: at(1000 + i),
      createdBy: inbound ? null : f.users[i % 10],
    };
    f.messages.push(m);
  }
  // A scheduled message: PENDING with a send time a day ahead.
  const sendAt = new Date(Date.now() + 86_400_000);
  sendAt.setUTCMilliseconds(0);
  f.scheduled = { id: cuid(), contact: f.contacts[2], team: acme, channel: 'SMS', direction: 'OUTBOUND', body: 'Happy birthday!', media: [], externalId: null, status: 'PENDING', scheduledAt: sendAt, createdAt: at(2000), createdBy: f.users[1] };
  f.messages.push(f.scheduled);
  f.messages.push({ id: cuid(), contact: samePhone, team: acme, channel: 'SMS', direction: 'INBOUND', body: 'same number', media: [], externalId: null, status: 'RECEIVED', createdAt: at(2002), createdBy: null });
  for (const m of f.messages) {
    sql.push(`INSERT INTO "Message" VALUES (${q(m.id)}, ${q(m.contact.id)}, ${q(m.team.id)}, '${m.channel}', '${m.direction}', ${q(m.body)},
      ${q(JSON.stringify(m.media))}, ${q(m.externalId)}, '${m.status}', ${m.scheduledAt ? ts(m.scheduledAt) : 'NULL'},
      ${m.status === 'SENT' || m.status === 'DELIVERED' ? ts(m.createdAt) : 'NULL'}, ${q(m.createdBy?.id)}, ${ts(m.createdAt)},
      ${q(JSON.stringify({ via: 'test' }))}, ${q(`thread-${m.contact.id}`)});`);
  }
  sql.push(`INSERT INTO "ScheduledJob" VALUES (${q(cuid())}, ${q(acme.id)}, ${q(f.scheduled.id)}, '{}', ${ts(sendAt)}, 0, 3, NULL, 'PENDING', ${ts(at(2000))}, ${ts(at(2000))});`);
  // A message of the contact whose number is invalid: its contact is not imported.
  const orphanMessage = cuid();
  f.rejected.Message = [orphanMessage];
  sql.push(`INSERT INTO "Message" ("id","contactId","teamId","channel","direction","body","status","createdAt")
    VALUES (${q(orphanMessage)}, ${q(badPhone.id)}, ${q(acme.id)}, 'SMS', 'INBOUND', 'lost', 'RECEIVED', ${ts(at(2001))});`);

  // 20 notes (one private, two without a contact), 10 events.
  for (let i = 0; i < 20; i++) {
    const n = { id: cuid(), team: acme, contact: i < 18 ? f.contacts[i] : null, author: f.users[i % 10], content: `Note ${i}`, isPrivate: i === 5 };
    f.notes.push(n);
    sql.push(`INSERT INTO "Note" VALUES (${q(n.id)}, ${q(n.contact?.id)}, ${q(acme.id)}, ${q(n.author.id)}, ${q(n.content)}, ${n.isPrivate}, ${ts(at(3000 + i))}, ${ts(at(3000 + i))});`);
  }
  for (let i = 0; i < 10; i++) {
    const e = { id: cuid(), team: i < 8 ? acme : beta, type: i % 2 ? 'message.sent' : 'contact.created' };
    f.events.push(e);
    sql.push(`INSERT INTO "Event" VALUES (${q(e.id)}, ${q(e.team.id)}, ${q(e.type)}, ${q(JSON.stringify({ n: i }))}, ${ts(at(4000 + i))});`);
  }
  f.sql = sql.join('\n');
  return f;
}

// The summary's table: name → {imported, present, rejected}.
function summaryOf(stdout) {
  const counts = {};
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => /^table\s+(imported|would import)\s+already present\s+rejected/.test(line));
  assert.ok(start >= 0, `no summary in:\n${stdout}`);
  for (const line of lines.slice(start + 1)) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(line);
    if (m) counts[m[1]] = { imported: Number(m[2]), present: Number(m[3]), rejected: Number(m[4]) };
  }
  return counts;
}

function assertExit(result, code, what) {
  assert.equal(result.code, code, `${what}: exit ${result.code}\nstdout: ${result.stdout.slice(-4000)}\nstderr: ${result.stderr.slice(-4000)}`);
}

// Everything the import wrote that a second run must leave as it is: per table, its rows'
// identity and the columns a rewrite would change.
const SNAPSHOT = {
  users: 'id, email, password_hash, updated_at',
  teams: 'id, name, updated_at',
  team_members: 'id, role, created_at',
  contacts: 'id, phone, merged_into, updated_at',
  conversations: 'id, last_message_at, updated_at',
  messages: 'id, status, provider_sid, body, updated_at',
  notes: 'id, content, updated_at',
  inboxes: 'id, address, credentials_ref, updated_at',
  user_twilio_numbers: 'user_id, twilio_number, updated_at',
  jobs: 'id, unique_key, run_at, status',
  events: 'id, type, created_at',
  imported_events: 'id, team_id, type, payload, created_at',
  imported_rows: 'source_table, source_id, imported_at',
};
function snapshot(databaseUrl) {
  return Object.entries(SNAPSHOT)
    .map(([table, columns]) => {
      const rows = targetRows(databaseUrl, `SELECT ${columns} FROM ${table} ORDER BY ${columns.split(',').slice(0, 2).join(',')}`);
      return `${table}: ${rows.map((r) => r.join(',')).join(';')}`;
    })
    .join('\n');
}

describe(`inbox-central import (target: ${testDb})`, () => {
  let fixture;
  let sourceUrl;
  let env;
  let first; // the first run's result

  before(() => {
    fixture = buildFixture();
    const admin = pgAdminUrl();
    const name = `src_${randomBytes(6).toString('hex')}`;
    psql(admin, `CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    sourceUrl = url.toString();
    dropDatabaseLater(sourceUrl);
    psql(sourceUrl, SCHEMA);
    psql(sourceUrl, fixture.sql);
  });

  test('a dry run on a fresh target reads and checks everything and writes nothing', async () => {
    const dataDir = tempDir();
    const databaseUrl = await createDatabase(dataDir);
    const result = await runCli(['import', '--from', sourceUrl, '--dry-run'], { DATABASE_URL: databaseUrl, DATA_DIR: dataDir });
    assertExit(result, 0, 'import --dry-run');
    assert.match(result.stdout, /Dry run: nothing was written/);
    const counts = summaryOf(result.stdout);
    assert.deepEqual(counts.User, { imported: 12, present: 0, rejected: 2 });
    assert.deepEqual(counts.Message, { imported: 302, present: 0, rejected: 1 });
    if (testDb === 'sqlite') {
      assert.equal(existsSync(databaseUrl.replace(/^sqlite:(\/\/)?/, '')), false, 'the SQLite file was created');
    } else {
      assert.deepEqual(targetRows(databaseUrl, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), [['0']]);
    }
    assert.equal(existsSync(join(dataDir, 'secrets')), false, 'a secret was stored');
  });

  test('imports users, teams, members, contacts, messages, notes, events and Twilio settings', async () => {
    const dataDir = tempDir();
    env = { DATABASE_URL: await createDatabase(dataDir), DATA_DIR: dataDir };
    const started = Date.now();
    first = await runCli(['import', '--from', sourceUrl, '--batch-size', '50'], env);
    assertExit(first, 0, 'import');
    console.log(`imported the fixture in ${Date.now() - started} ms`);

    // Not a terminal: plain lines, no carriage returns or escape sequences.
    assert.doesNotMatch(first.stdout, /[\r\x1b]/);
    assert.match(first.stdout, /^Message: 303 rows to read$/m);
    assert.match(first.stdout, /^Message: done in [\d.]+ s: 302 imported, 0 already present, 1 rejected$/m);

    const counts = summaryOf(first.stdout);
    assert.deepEqual(counts, {
      User: { imported: 12, present: 0, rejected: 2 },
      Team: { imported: 2, present: 0, rejected: 0 },
      TeamMember: { imported: 13, present: 0, rejected: 1 },
      'User.twilio': { imported: 1, present: 0, rejected: 0 },
      Contact: { imported: 63, present: 0, rejected: 1 },
      Conversation: { imported: 61, present: 0, rejected: 1 }, // one channel per contact here
      Message: { imported: 302, present: 0, rejected: 1 },
      Note: { imported: 20, present: 0, rejected: 0 },
      Event: { imported: 10, present: 0, rejected: 0 },
    });

    // Bad rows are listed with their reason.
    const [dupEmail, plain] = fixture.rejected.User;
    assert.match(first.stdout, new RegExp(`rejected User ${dupEmail}: email person4@import.test is also used by ${fixture.users[4].id}`));
    assert.match(first.stdout, new RegExp(`rejected User ${plain}: the password is not a bcrypt hash`));
    assert.match(first.stdout, new RegExp(`rejected TeamMember ${fixture.rejected.TeamMember[0]}: user ${plain} was not imported`));
    assert.match(first.stdout, new RegExp(`rejected Contact ${fixture.rejected.Contact[0]}: invalid phone "call me maybe"`));
    assert.match(first.stdout, new RegExp(`rejected Message ${fixture.rejected.Message[0]}: contact ${fixture.rejected.Contact[0]} was not imported`));
    // A number another contact of the team has: the contact and its messages come in, the number
    // goes to its attributes.
    assert.match(first.stdout, new RegExp(`note: Contact ${fixture.samePhone.id} imported without its phone \\(kept as ` +
      `attributes.importedPhone\\): phone \\+14155551003 in team ${fixture.teams[0].id} is (also|already) used by ${fixture.contacts[3].id}`));

    // Counts in the database match the source.
    const count = (table) => Number(targetRows(env.DATABASE_URL, `SELECT count(*) FROM ${table}`)[0][0]);
    assert.equal(count('users'), 12);
    assert.equal(count('teams'), 2);
    assert.equal(count('team_members'), 13);
    assert.equal(count('contacts'), 63);
    assert.equal(count('messages'), 302);
    assert.equal(count('notes'), 20);
    // The original's events are history under their own ids, not in the pruned outbox.
    assert.equal(count('imported_events'), 10);
    assert.equal(count("events WHERE type LIKE 'imported%'"), 0);
    const e0 = fixture.events[0];
    const [eventRow] = targetRows(env.DATABASE_URL, `SELECT team_id, type, payload FROM imported_events WHERE id = '${e0.id}'`);
    assert.deepEqual([eventRow[0], eventRow[1], JSON.parse(eventRow[2])], [e0.team.id, e0.type, { n: 0 }]);

    // A sample of fields.
    const u3 = fixture.users[3];
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT email, name, coalesce(password_hash, '-'), google_sub FROM users WHERE id = '${u3.id}'`),
      [[u3.email, u3.name, '-', u3.googleId]]);
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT role FROM team_members WHERE id = '${fixture.members[1].id}'`), [['editor']]);
    const c7 = fixture.contacts[7];
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT team_id, name, phone FROM contacts WHERE id = '${c7.id}'`), [[c7.team.id, c7.name, '+14155550107']]);
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT email FROM contacts WHERE id = '${fixture.contacts[5].id}'`), [['contact5@example.com']]);
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT merged_into FROM contacts WHERE id = '${fixture.merged.id}'`), [[fixture.contacts[1].id]]);
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT merged_into FROM contacts WHERE id = '${fixture.chained.id}'`), [[fixture.merged.id]]);
    const same = targetRows(env.DATABASE_URL, `SELECT coalesce(phone, '-'), attributes FROM contacts WHERE id = '${fixture.samePhone.id}'`);
    assert.equal(same[0][0], '-');
    assert.equal(JSON.parse(same[0][1]).importedPhone, '+14155551003');
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT count(*) FROM messages WHERE contact_id = '${fixture.samePhone.id}'`), [['1']]);
    const m10 = fixture.messages[10]; // inbound, RECEIVED, with media and a SID
    assert.deepEqual(targetRows(env.DATABASE_URL,
      `SELECT direction, status, channel, provider_sid, body, contact_id, team_id, conversation_id FROM messages WHERE id = '${m10.id}'`),
      [['inbound', 'received', 'sms', m10.externalId, m10.body, m10.contact.id, m10.team.id, `${m10.contact.id}.sms`]]);
    const m3 = fixture.messages[3]; // outbound WhatsApp, FAILED
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT direction, status, channel, created_by FROM messages WHERE id = '${m3.id}'`),
      [['outbound', 'failed', 'whatsapp', m3.createdBy.id]]);

    // The scheduled message is scheduled, with its delivery job due at the send time.
    const s = fixture.scheduled;
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT status FROM messages WHERE id = '${s.id}'`), [['scheduled']]);
    const job = targetRows(env.DATABASE_URL, `SELECT kind, status, run_at, team_id FROM jobs WHERE unique_key = 'send:${s.id}'`);
    assert.equal(job.length, 1);
    assert.deepEqual([job[0][0], job[0][1], job[0][3]], ['message.send', 'pending', s.team.id]);
    assert.equal(new Date(job[0][2].replace(' ', 'T').replace(/\+00$/, 'Z')).getTime(), s.scheduledAt.getTime());

    // The Twilio settings: personal inboxes in the user's first team, the token in the store only.
    const t = fixture.twilio;
    const inboxes = targetRows(env.DATABASE_URL,
      `SELECT channel, address, account_sid, credentials_ref, team_id FROM inboxes WHERE owner_user_id = '${t.user.id}' ORDER BY channel`);
    assert.deepEqual(inboxes.map((r) => r.slice(0, 3)), [['sms', t.smsFrom, t.accountSid], ['whatsapp', `whatsapp:${t.whatsappFrom}`, t.accountSid]]);
    for (const row of inboxes) assert.equal(row[4], fixture.teams[0].id);
    const secrets = readdirSync(join(dataDir, 'secrets'));
    assert.equal(secrets.length, 2);
    for (const file of secrets) assert.equal(readFileSync(join(dataDir, 'secrets', file), 'utf8'), t.authToken);
    for (const table of ['users', 'inboxes', 'user_twilio_numbers', 'events', 'jobs', 'messages']) {
      const dump = targetRows(env.DATABASE_URL, `SELECT * FROM ${table}`).flat().join(' ');
      assert.equal(dump.includes(t.authToken), false, `the auth token is in ${table}`);
    }
    assert.deepEqual(targetRows(env.DATABASE_URL, `SELECT twilio_number, verified_at IS NOT NULL FROM user_twilio_numbers WHERE user_id = '${t.user.id}'`)
      .map((r) => [r[0], ['1', 't'].includes(r[1])]), [[t.number, true]]);
  });

  test('users sign in with the passwords they had; the data shows through the API', async (t) => {
    const srv = await startServer({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, args: ['--no-worker'] });
    t.after(() => srv.stop());
    const login = async (user, password = user.password) =>
      api(srv.url, 'POST', '/api/auth/login', { body: { email: user.email, password } });
    for (const i of [0, 1, 10]) { // $2a$, $2b$ (bcryptjs), a member of the other team
      const res = await login(fixture.users[i]);
      assert.equal(res.status, 200, `person${i}: ${res.text}`);
      assert.equal(res.json.user.id, fixture.users[i].id);
    }
    assert.equal((await login(fixture.users[0], 'wrong-password')).status, 400);

    const token = (await login(fixture.users[0])).json.token;
    // The compatible thread: status, direction, media as the original frontend reads them.
    const m10 = fixture.messages[10];
    const thread = await api(srv.url, 'GET', `/api/messages/thread/${m10.contact.id}`, { token });
    assert.equal(thread.status, 200, thread.text);
    const seen = thread.json.find((m) => m.id === m10.id);
    assert.deepEqual({ direction: seen.direction, status: seen.status, media: seen.media, body: seen.body },
      { direction: 'INBOUND', status: 'RECEIVED', media: m10.media, body: m10.body });
    const threads = await api(srv.url, 'GET', '/api/inbox/threads', { token });
    assert.equal(threads.status, 200);
    assert.ok(threads.json.length >= 50, `threads: ${threads.json.length}`);

    // The v1 API: the scheduled message with its time; the conversation with its messages.
    const acme = fixture.teams[0].id;
    const scheduled = await api(srv.url, 'GET', `/api/v1/teams/${acme}/scheduled-messages`, { token });
    assert.equal(scheduled.status, 200, scheduled.text);
    assert.deepEqual(scheduled.json.data.map((m) => [m.id, m.status, new Date(m.scheduledAt).getTime()]),
      [[fixture.scheduled.id, 'scheduled', fixture.scheduled.scheduledAt.getTime()]]);
    const messages = await api(srv.url, 'GET', `/api/v1/teams/${acme}/conversations/${m10.contact.id}.sms/messages`, { token });
    assert.equal(messages.status, 200, messages.text);
    assert.ok(messages.json.data.some((m) => m.id === m10.id && m.providerSid === m10.externalId));

    // The Twilio token is in no answer; the user sees that one is set.
    const twilioUser = fixture.twilio.user;
    const tt = (await login(twilioUser)).json.token;
    const answers = [
      await api(srv.url, 'GET', '/api/auth/session', { token: tt }),
      await api(srv.url, 'GET', `/api/v1/teams/${acme}/inboxes`, { token: tt }),
    ];
    for (const res of answers) {
      assert.equal(res.status, 200, res.text);
      assert.equal(res.text.includes(fixture.twilio.authToken), false);
    }
    assert.equal(answers[0].json.user.twilioAccountSid, fixture.twilio.accountSid);
    assert.equal(answers[0].json.user.twilioSmsFrom, fixture.twilio.smsFrom);
  });

  test('a second run changes nothing: everything is already present', async () => {
    const before = snapshot(env.DATABASE_URL);
    const secretsBefore = readdirSync(join(env.DATA_DIR, 'secrets')).sort();
    const second = await runCli(['import', '--from', sourceUrl], env);
    assertExit(second, 0, 'second import');
    const counts = summaryOf(second.stdout);
    const firstCounts = summaryOf(first.stdout);
    for (const [table, c] of Object.entries(firstCounts)) {
      assert.deepEqual(counts[table], { imported: 0, present: c.imported, rejected: c.rejected }, table);
    }
    assert.equal(snapshot(env.DATABASE_URL), before);
    assert.deepEqual(readdirSync(join(env.DATA_DIR, 'secrets')).sort(), secretsBefore);

    // A dry run on the imported target: the same, and still nothing written.
    const dry = await runCli(['import', '--from', sourceUrl, '--dry-run'], env);
    assertExit(dry, 0, 'dry run after import');
    assert.deepEqual(summaryOf(dry.stdout).Message, { imported: 0, present: 302, rejected: 1 });
    assert.equal(snapshot(env.DATABASE_URL), before);
  });

  test('an import killed mid-way (SIGKILL) is finished by the next run, nothing twice', async () => {
    const dataDir = tempDir();
    const e = { DATABASE_URL: await createDatabase(dataDir), DATA_DIR: dataDir };
    // One row per transaction, killed once a tenth of the messages is in.
    const proc = spawn(process.env.INBOX_BIN, ['import', '--from', sourceUrl, '--batch-size', '1'], {
      env: { ...process.env, ...e },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8');
    const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(signal ?? code)));
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no progress line in:\n${out}`)), 60_000);
      proc.stdout.on('data', (chunk) => {
        out += chunk;
        if (/^Message: \d+\/303 \(\d+%\)$/m.test(out)) { // the first tenth is in
          clearTimeout(timer);
          proc.kill('SIGKILL');
          resolve();
        }
      });
    });
    assert.equal(await exited, 'SIGKILL', `the import ended before it was killed:\n${out}`);
    const count = (sql) => Number(targetRows(e.DATABASE_URL, sql)[0][0]);
    const before = count('SELECT count(*) FROM messages');
    assert.ok(before >= 30 && before < 302, `messages after the kill: ${before}`);

    const resumed = await runCli(['import', '--from', sourceUrl], e);
    assertExit(resumed, 0, 'resumed import');
    const counts = summaryOf(resumed.stdout);
    assert.deepEqual(counts.Message, { imported: 302 - before, present: before, rejected: 1 });
    assert.deepEqual(counts.User, { imported: 0, present: 12, rejected: 2 });
    assert.equal(count('SELECT count(*) FROM messages'), 302);
    assert.equal(count('SELECT count(*) FROM conversations'), 61);
    assert.equal(count("SELECT count(*) FROM jobs WHERE kind = 'message.send'"), 1);
    assert.equal(count('SELECT count(*) FROM notes'), 20);
    assert.equal(count('SELECT count(*) FROM imported_events'), 10);
  });

  test('a later run brings in what the source gained since, and only that', async () => {
    const dataDir = tempDir();
    const partial = { DATABASE_URL: await createDatabase(dataDir), DATA_DIR: dataDir };
    // A copy of the source that has only half of the messages, imported first.
    const admin = pgAdminUrl();
    const name = `src_${randomBytes(6).toString('hex')}`;
    psql(admin, `CREATE DATABASE ${name} TEMPLATE ${new URL(sourceUrl).pathname.slice(1)}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const half = url.toString();
    dropDatabaseLater(half);
    psql(half, 'DELETE FROM "Message" WHERE id IN (SELECT id FROM "Message" ORDER BY id OFFSET 150)');
    assertExit(await runCli(['import', '--from', half, '--batch-size', '40'], partial), 0, 'partial import');
    // 150, or 149 when the message without its contact is among the first half.
    const had = Number(targetRows(partial.DATABASE_URL, 'SELECT count(*) FROM messages')[0][0]);
    assert.ok(had === 150 || had === 149, `after the first import: ${had}`);
    const later = await runCli(['import', '--from', sourceUrl, '--batch-size', '40'], partial);
    assertExit(later, 0, 'later import');
    const counts = summaryOf(later.stdout);
    assert.deepEqual(counts.Message, { imported: 302 - had, present: had, rejected: 1 });
    assert.equal(Number(targetRows(partial.DATABASE_URL, 'SELECT count(*) FROM messages')[0][0]), 302);
  });

  test('bad usage is refused before anything is touched', async () => {
    const dataDir = tempDir();
    const e = { DATABASE_URL: await createDatabase(dataDir), DATA_DIR: dataDir };
    assertExit(await runCli(['import'], e), 2, 'no --from');
    assertExit(await runCli(['import', '--from', 'mysql://x/y'], e), 2, 'not postgresql');
    assertExit(await runCli(['import', '--from', sourceUrl, '--batch-size', '0'], e), 2, 'batch size 0');
    const help = await runCli(['--help'], e);
    assertExit(help, 0, '--help');
    assert.match(help.stdout, /import --from URL/);
  });
});
