// SPDX-License-Identifier: MIT
// Inboxes end to end against the real binary: create/list/get/patch/delete, credentials kept in
// the secret store and never returned, webhook URLs from PUBLIC_URL, duplicates, validation of
// addresses and Twilio identifiers, roles (viewer reads, admin writes, other team 404), events.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { api, startServer } from './lib/harness.mjs';
import { assertFieldErrors, assertProblem, setUpTeam, sql } from './lib/teamfixture.mjs';

const PUBLIC_URL = 'https://hooks.example.test';
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const SERVICE_SID = `MG${'fedcba9876543210'.repeat(2)}`;
const TOKEN = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const OTHER_TOKEN = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';

let numberSeed = 4155550100;
const nextNumber = () => `+1${numberSeed++}`;

describe('inboxes', () => {
  let srv;
  let team; // { teamId, admin, editor, viewer, outsider }
  let path; // /api/v1/teams/<teamId>/inboxes

  const as = (who, method, url, body) => api(srv.url, method, url, { token: team[who].token, body });

  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: 'open', PUBLIC_URL } });
    team = await setUpTeam(srv);
    path = `/api/v1/teams/${team.teamId}/inboxes`;
  });
  after(() => srv?.stop());

  function secretFiles() {
    const dir = join(srv.dataDir, 'secrets');
    return existsSync(dir) ? readdirSync(dir) : [];
  }

  test('POST as admin, minimal sms inbox → 201 with the full shape and webhook URLs', async () => {
    const address = nextNumber();
    const res = await as('admin', 'POST', path, { name: 'Support line', channel: 'sms', address });
    assert.equal(res.status, 201, res.text);
    const inbox = res.json;
    assert.equal(typeof inbox.id, 'string');
    assert.deepEqual({ ...inbox, id: undefined, createdAt: undefined, updatedAt: undefined }, {
      id: undefined,
      teamId: team.teamId,
      name: 'Support line',
      channel: 'sms',
      provider: 'twilio',
      address,
      messagingServiceSid: null,
      accountSid: null,
      credentialsSet: false,
      agentNumbers: [],
      ownerUserId: null,
      webhooks: {
        messages: `${PUBLIC_URL}/api/v1/webhooks/twilio/messages`,
        status: `${PUBLIC_URL}/api/v1/webhooks/twilio/status`,
        voice: `${PUBLIC_URL}/api/v1/webhooks/twilio/voice`,
      },
      createdAt: undefined,
      updatedAt: undefined,
    });
    assert.match(inbox.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(inbox.updatedAt, inbox.createdAt);

    const got = await as('viewer', 'GET', `${path}/${inbox.id}`);
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(got.json, inbox);
  });

  describe('credentials', () => {
    let inbox;

    test('POST with accountSid, messagingServiceSid and authToken → credentialsSet, token never returned', async () => {
      const res = await as('admin', 'POST', path, {
        name: 'With credentials', channel: 'sms', address: nextNumber(),
        accountSid: ACCOUNT_SID, messagingServiceSid: SERVICE_SID, authToken: TOKEN,
      });
      assert.equal(res.status, 201, res.text);
      inbox = res.json;
      assert.equal(inbox.credentialsSet, true);
      assert.equal(inbox.accountSid, ACCOUNT_SID);
      assert.equal(inbox.messagingServiceSid, SERVICE_SID);
      assert.equal(inbox.authToken, undefined);
      assert.ok(!res.text.includes(TOKEN), 'the token is not in the POST answer');
    });

    test('GET one, GET list: credentialsSet true, the token appears nowhere', async () => {
      for (const url of [`${path}/${inbox.id}`, path, `${path}?limit=200`]) {
        const res = await as('admin', 'GET', url);
        assert.equal(res.status, 200, res.text);
        assert.ok(!res.text.includes(TOKEN), `no token in GET ${url}`);
        assert.ok(!res.text.toLowerCase().includes('authtoken'), `no authToken key in GET ${url}`);
      }
      const one = await as('viewer', 'GET', `${path}/${inbox.id}`);
      assert.equal(one.json.credentialsSet, true);
    });

    test('the token lives in <DATA_DIR>/secrets (0700) in an owner-only file, not in the database', async () => {
      const dir = join(srv.dataDir, 'secrets');
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      const files = secretFiles().filter((f) => f.includes(inbox.id));
      assert.equal(files.length, 1, `one secret file for the inbox: ${secretFiles()}`);
      const file = join(dir, files[0]);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      assert.equal(readFileSync(file, 'utf8'), TOKEN);

      const rows = sql(srv.databaseUrl, 'SELECT * FROM inboxes WHERE id = ?', [inbox.id]);
      assert.equal(rows.length, 1);
      assert.ok(!JSON.stringify(rows).includes(TOKEN), 'no column holds the token');
      assert.equal(rows[0].credentials_ref, `inbox:${inbox.id}:authToken`);
    });

    test('PATCH authToken replaces the secret; still never returned', async () => {
      const res = await as('admin', 'PATCH', `${path}/${inbox.id}`, { authToken: OTHER_TOKEN });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.credentialsSet, true);
      assert.ok(!res.text.includes(OTHER_TOKEN) && !res.text.includes(TOKEN));
      const file = secretFiles().find((f) => f.includes(inbox.id));
      assert.equal(readFileSync(join(srv.dataDir, 'secrets', file), 'utf8'), OTHER_TOKEN);
    });

    test('PATCH authToken: null removes the secret → credentialsSet false, file gone', async () => {
      const res = await as('admin', 'PATCH', `${path}/${inbox.id}`, { authToken: null });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.credentialsSet, false);
      assert.equal(res.json.accountSid, ACCOUNT_SID, 'other fields stay');
      assert.equal(secretFiles().filter((f) => f.includes(inbox.id)).length, 0);
      const rows = sql(srv.databaseUrl, 'SELECT credentials_ref FROM inboxes WHERE id = ?', [inbox.id]);
      assert.equal(rows[0].credentials_ref, null);
    });

    test('DELETE an inbox with credentials → 204, its secret file is removed', async () => {
      const created = await as('admin', 'POST', path, {
        name: 'Short-lived', channel: 'sms', address: nextNumber(), authToken: TOKEN,
      });
      assert.equal(created.status, 201, created.text);
      assert.equal(secretFiles().filter((f) => f.includes(created.json.id)).length, 1);
      const res = await as('admin', 'DELETE', `${path}/${created.json.id}`);
      assert.equal(res.status, 204, res.text);
      assert.equal(res.text, '');
      assert.equal(secretFiles().filter((f) => f.includes(created.json.id)).length, 0);
      assertProblem(await as('admin', 'GET', `${path}/${created.json.id}`), 404);
      assertProblem(await as('admin', 'DELETE', `${path}/${created.json.id}`), 404);
    });
  });

  describe('channels and addresses', () => {
    test('whatsapp: a bare E.164 address is stored as whatsapp:+…', async () => {
      const number = nextNumber();
      const res = await as('admin', 'POST', path, { name: 'WA', channel: 'whatsapp', address: number });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.json.address, `whatsapp:${number}`);
      // the same sender written the other way is the same inbox
      const again = await as('admin', 'POST', path, { name: 'WA 2', channel: 'whatsapp', address: `whatsapp:${number}` });
      assertProblem(again, 409);
    });

    test('voice with agentNumbers (duplicates dropped) → 201; PATCH replaces them; null empties them', async () => {
      const agents = ['+4930123456', '+447700900123', '+4930123456'];
      const res = await as('admin', 'POST', path, { name: 'Phones', channel: 'voice', address: nextNumber(), agentNumbers: agents });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.json.agentNumbers, ['+4930123456', '+447700900123']);
      const patched = await as('admin', 'PATCH', `${path}/${res.json.id}`, { agentNumbers: ['+33123456789'] });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.json.agentNumbers, ['+33123456789']);
      const cleared = await as('admin', 'PATCH', `${path}/${res.json.id}`, { agentNumbers: null });
      assert.deepEqual(cleared.json.agentNumbers, []);
    });

    test('duplicate (team, channel, address) → 409; same address on another channel → 201', async () => {
      const address = nextNumber();
      assert.equal((await as('admin', 'POST', path, { name: 'A', channel: 'sms', address })).status, 201);
      assertProblem(await as('admin', 'POST', path, { name: 'B', channel: 'sms', address }), 409);
      assert.equal((await as('admin', 'POST', path, { name: 'C', channel: 'voice', address })).status, 201);
    });

    test('the same address in another team is not a duplicate', async () => {
      const address = nextNumber();
      assert.equal((await as('admin', 'POST', path, { name: 'Mine', channel: 'sms', address })).status, 201);
      const other = await api(srv.url, 'POST', `/api/v1/teams/${team.outsider.teamId}/inboxes`, {
        token: team.outsider.token, body: { name: 'Theirs', channel: 'sms', address },
      });
      assert.equal(other.status, 201, other.text);
    });

    test('ownerUserId must be a member of the team', async () => {
      const ok = await as('admin', 'POST', path, { name: 'Personal', channel: 'sms', address: nextNumber(), ownerUserId: team.editor.userId });
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.json.ownerUserId, team.editor.userId);
      assertFieldErrors(await as('admin', 'POST', path, {
        name: 'Stranger', channel: 'sms', address: nextNumber(), ownerUserId: team.outsider.userId,
      }), 'ownerUserId');
      const cleared = await as('admin', 'PATCH', `${path}/${ok.json.id}`, { ownerUserId: null });
      assert.equal(cleared.json.ownerUserId, null);
    });
  });

  describe('validation', () => {
    const good = () => ({ name: 'Valid', channel: 'sms', address: nextNumber() });
    const cases = [
      ['missing name', { name: undefined }, 'name'],
      ['blank name', { name: '   ' }, 'name'],
      ['name 101 characters', { name: 'x'.repeat(101) }, 'name'],
      ['name a number', { name: 42 }, 'name'],
      ['missing channel', { channel: undefined }, 'channel'],
      ['channel email', { channel: 'email' }, 'channel'],
      ['channel upper case', { channel: 'SMS' }, 'channel'],
      ['missing address', { address: undefined }, 'address'],
      ['address without +', { address: '14155552671' }, 'address'],
      ['address with spaces', { address: '+1 415 555 2671' }, 'address'],
      ['address 7 digits', { address: '+1234567' }, 'address'],
      ['address 16 digits', { address: '+1234567890123456' }, 'address'],
      ['address starting +0', { address: '+0123456789' }, 'address'],
      ['address with letters', { address: '+1415555CALL' }, 'address'],
      ['whatsapp: address on sms', { address: 'whatsapp:+14155552671' }, 'address'],
      ['whatsapp with a bad number', { channel: 'whatsapp', address: 'whatsapp:14155552671' }, 'address'],
      ['address a number', { address: 14155552671 }, 'address'],
      ['messagingServiceSid too short', { messagingServiceSid: 'MG123' }, 'messagingServiceSid'],
      ['messagingServiceSid with AC prefix', { messagingServiceSid: ACCOUNT_SID }, 'messagingServiceSid'],
      ['messagingServiceSid not hex', { messagingServiceSid: `MG${'g'.repeat(32)}` }, 'messagingServiceSid'],
      ['messagingServiceSid 33 hex', { messagingServiceSid: `${SERVICE_SID}0` }, 'messagingServiceSid'],
      ['messagingServiceSid a number', { messagingServiceSid: 1 }, 'messagingServiceSid'],
      ['accountSid with MG prefix', { accountSid: SERVICE_SID }, 'accountSid'],
      ['accountSid empty', { accountSid: '' }, 'accountSid'],
      ['authToken 31 hex', { authToken: TOKEN.slice(1) }, 'authToken'],
      ['authToken 33 hex', { authToken: `${TOKEN}0` }, 'authToken'],
      ['authToken not hex', { authToken: 'z'.repeat(32) }, 'authToken'],
      ['authToken an object', { authToken: { value: TOKEN } }, 'authToken'],
      ['agentNumbers not an array', { channel: 'voice', agentNumbers: '+14155552671' }, 'agentNumbers'],
      ['agentNumbers with a bad number', { channel: 'voice', agentNumbers: ['+14155552671', '555'] }, 'agentNumbers[1]'],
      ['agentNumbers on an sms inbox', { agentNumbers: ['+14155552671'] }, 'agentNumbers'],
      ['agentNumbers 21 numbers', { channel: 'voice', agentNumbers: Array.from({ length: 21 }, (_, i) => `+1415555${String(1000 + i)}`) }, 'agentNumbers'],
      ['ownerUserId a number', { ownerUserId: 5 }, 'ownerUserId'],
      ['an unknown field', { provider: 'vonage' }, 'provider'],
    ];
    for (const [name, change, field] of cases) {
      test(`POST with ${name} → 422 naming ${field}`, async () => {
        const body = { ...good(), ...change };
        const res = await as('admin', 'POST', path, body);
        const problem = assertFieldErrors(res, field);
        if (body.authToken) assert.ok(!res.text.includes(String(body.authToken)), 'a rejected token is not echoed');
        assert.ok(problem.errors.length >= 1);
      });
    }

    test('every field error is reported at once', async () => {
      const res = await as('admin', 'POST', path, { channel: 'fax', address: 'nope', accountSid: 'AC1', authToken: 'x' });
      assertFieldErrors(res, 'name', 'channel', 'address', 'accountSid', 'authToken');
    });

    test('malformed JSON → 400 problem; a JSON array → 400; no body → 400', async () => {
      for (const raw of ['{"name": "x",', '[1,2]', '']) {
        const res = await api(srv.url, 'POST', path, {
          token: team.admin.token, raw, headers: { 'content-type': 'application/json' },
        });
        assert.equal(res.status, 400, `${raw} → ${res.status} ${res.text}`);
        assertProblem(res, 400);
      }
    });

    test('a rejected POST writes nothing (no row, no secret file)', async () => {
      const before = (await as('admin', 'GET', `${path}?limit=200`)).json.data.length;
      const filesBefore = secretFiles().length;
      assertFieldErrors(await as('admin', 'POST', path, { ...good(), authToken: TOKEN, ownerUserId: 'nobody' }), 'ownerUserId');
      assert.equal((await as('admin', 'GET', `${path}?limit=200`)).json.data.length, before);
      assert.equal(secretFiles().length, filesBefore);
    });

    test('PATCH: channel cannot change; address is checked against the channel; bad values → 422', async () => {
      const created = await as('admin', 'POST', path, good());
      const url = `${path}/${created.json.id}`;
      assertFieldErrors(await as('admin', 'PATCH', url, { channel: 'voice' }), 'channel');
      assertFieldErrors(await as('admin', 'PATCH', url, { address: 'whatsapp:+14155552671' }), 'address');
      assertFieldErrors(await as('admin', 'PATCH', url, { address: '+12' }), 'address');
      assertFieldErrors(await as('admin', 'PATCH', url, { name: '' }), 'name');
      assertFieldErrors(await as('admin', 'PATCH', url, { name: null }), 'name');
      assertFieldErrors(await as('admin', 'PATCH', url, { messagingServiceSid: 'MG' }), 'messagingServiceSid');
      assertFieldErrors(await as('admin', 'PATCH', url, { authToken: 123 }), 'authToken');
      assertFieldErrors(await as('admin', 'PATCH', url, { colour: 'red' }), 'colour');
      const unchanged = await as('admin', 'GET', url);
      assert.deepEqual(unchanged.json, created.json, 'nothing changed');
    });

    test('PATCH fields: name, address, SIDs set and cleared; updatedAt moves', async () => {
      const created = await as('admin', 'POST', path, good());
      const url = `${path}/${created.json.id}`;
      const address = nextNumber();
      const res = await as('admin', 'PATCH', url, {
        name: 'Renamed', address, messagingServiceSid: SERVICE_SID, accountSid: ACCOUNT_SID,
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.name, 'Renamed');
      assert.equal(res.json.address, address);
      assert.equal(res.json.messagingServiceSid, SERVICE_SID);
      assert.equal(res.json.accountSid, ACCOUNT_SID);
      assert.equal(res.json.createdAt, created.json.createdAt);
      assert.ok(res.json.updatedAt >= created.json.updatedAt);
      const cleared = await as('admin', 'PATCH', url, { messagingServiceSid: null, accountSid: null });
      assert.equal(cleared.json.messagingServiceSid, null);
      assert.equal(cleared.json.accountSid, null);
      assert.equal(cleared.json.name, 'Renamed');
    });

    test('PATCH to an address another inbox of the channel has → 409', async () => {
      const a = await as('admin', 'POST', path, good());
      const b = await as('admin', 'POST', path, good());
      assertProblem(await as('admin', 'PATCH', `${path}/${b.json.id}`, { address: a.json.address }), 409);
    });
  });

  describe('roles and teams', () => {
    let inboxId;
    before(async () => {
      const res = await as('admin', 'POST', path, { name: 'Role test', channel: 'sms', address: nextNumber() });
      inboxId = res.json.id;
    });

    test('viewer and editor read: GET list and GET one → 200', async () => {
      for (const who of ['viewer', 'editor']) {
        const list = await as(who, 'GET', path);
        assert.equal(list.status, 200, list.text);
        assert.ok(list.json.data.some((i) => i.id === inboxId));
        assert.equal((await as(who, 'GET', `${path}/${inboxId}`)).status, 200);
      }
    });

    test('editor and viewer cannot write: POST, PATCH, DELETE → 403', async () => {
      for (const who of ['editor', 'viewer']) {
        assertProblem(await as(who, 'POST', path, { name: 'No', channel: 'sms', address: nextNumber() }), 403);
        assertProblem(await as(who, 'PATCH', `${path}/${inboxId}`, { name: 'No' }), 403);
        assertProblem(await as(who, 'DELETE', `${path}/${inboxId}`), 403);
      }
      assert.equal((await as('admin', 'GET', `${path}/${inboxId}`)).json.name, 'Role test');
    });

    test('another team → 404 for every route; its admin cannot reach our inbox through their team', async () => {
      assertProblem(await as('outsider', 'GET', path), 404);
      assertProblem(await as('outsider', 'GET', `${path}/${inboxId}`), 404);
      assertProblem(await as('outsider', 'POST', path, { name: 'X', channel: 'sms', address: nextNumber() }), 404);
      assertProblem(await as('outsider', 'PATCH', `${path}/${inboxId}`, { name: 'X' }), 404);
      assertProblem(await as('outsider', 'DELETE', `${path}/${inboxId}`), 404);
      const theirs = `/api/v1/teams/${team.outsider.teamId}/inboxes/${inboxId}`;
      assertProblem(await as('outsider', 'GET', theirs), 404);
      assertProblem(await as('outsider', 'PATCH', theirs, { name: 'X' }), 404);
      assertProblem(await as('outsider', 'DELETE', theirs), 404);
      const list = await as('outsider', 'GET', `/api/v1/teams/${team.outsider.teamId}/inboxes`);
      assert.ok(!list.json.data.some((i) => i.id === inboxId));
    });

    test('no token → 401; unknown inbox → 404', async () => {
      assertProblem(await api(srv.url, 'GET', path), 401);
      assertProblem(await api(srv.url, 'POST', path, { body: { name: 'X', channel: 'sms', address: nextNumber() } }), 401);
      assertProblem(await as('admin', 'GET', `${path}/00000000-0000-7000-8000-000000000000`), 404);
      assertProblem(await as('admin', 'PATCH', `${path}/nope`, { name: 'X' }), 404);
    });
  });

  describe('list paging', () => {
    test('limit and cursor walk every inbox once, oldest first', async () => {
      const all = (await as('admin', 'GET', `${path}?limit=200`)).json.data;
      assert.ok(all.length >= 5, `enough inboxes to page: ${all.length}`);
      const seen = [];
      let cursor = null;
      let pages = 0;
      do {
        const res = await as('viewer', 'GET', `${path}?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        assert.equal(res.status, 200, res.text);
        assert.ok(res.json.data.length <= 2);
        seen.push(...res.json.data.map((i) => i.id));
        cursor = res.json.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      assert.deepEqual(seen, all.map((i) => i.id));
      assert.equal(new Set(seen).size, seen.length);
    });

    test('limit 201, limit 0, limit abc, a bad cursor → 422', async () => {
      assertFieldErrors(await as('admin', 'GET', `${path}?limit=201`), 'limit');
      assertFieldErrors(await as('admin', 'GET', `${path}?limit=0`), 'limit');
      assertFieldErrors(await as('admin', 'GET', `${path}?limit=abc`), 'limit');
      assertFieldErrors(await as('admin', 'GET', `${path}?cursor=not-a-cursor`), 'cursor');
    });
  });

  test('each change records inbox.updated in the outbox', async () => {
    const created = await as('admin', 'POST', path, { name: 'Evented', channel: 'sms', address: nextNumber() });
    await as('admin', 'PATCH', `${path}/${created.json.id}`, { name: 'Evented 2' });
    await as('admin', 'DELETE', `${path}/${created.json.id}`);
    const rows = sql(srv.databaseUrl, "SELECT team_id, type, payload FROM events WHERE type = 'inbox.updated' ORDER BY id");
    const mine = rows
      .map((r) => ({ ...r, payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload }))
      .filter((r) => r.payload.inboxId === created.json.id);
    assert.deepEqual(mine.map((r) => r.payload.action), ['created', 'updated', 'deleted']);
    for (const r of mine) assert.equal(r.team_id, team.teamId);
  });
});
