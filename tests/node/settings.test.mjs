// SPDX-License-Identifier: MIT
// Settings end to end against the real binary: a user's own preferences (/api/v1/me/settings)
// and a team's settings (/api/v1/teams/{teamId}/settings): defaults, merge, reset with null,
// every key validated (unknown keys, wrong types, bad time zones, regions and time ranges → 422
// naming the field), nothing half-written, roles, events.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { api, startServer } from './lib/harness.mjs';
import { assertFieldErrors, assertProblem, setUpTeam, sql } from './lib/teamfixture.mjs';

const USER_DEFAULTS = {
  notifications: { email: true, desktop: true, sound: true },
  theme: 'system',
  locale: 'en',
  timezone: 'UTC',
  conversationListDensity: 'comfortable',
};

const nineToFive = [{ open: '09:00', close: '17:00' }];
const TEAM_DEFAULTS = {
  defaultRegion: 'US',
  signupMode: 'invite',
  businessHours: {
    timezone: 'UTC',
    days: { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive, sat: [], sun: [] },
  },
  autoReply: { enabled: false, text: '', outsideBusinessHoursOnly: true },
};

const payloadOf = (row) => (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload);

describe('settings', () => {
  let srv;
  let team;
  const as = (who, method, url, body) => api(srv.url, method, url, { token: team[who].token, body });

  before(async () => {
    srv = await startServer({ env: { SIGNUP_MODE: 'open' } });
    team = await setUpTeam(srv);
  });
  after(() => srv?.stop());

  describe('GET/PATCH /api/v1/me/settings', () => {
    const url = '/api/v1/me/settings';

    test('GET before any change → every key with its default', async () => {
      const res = await as('editor', 'GET', url);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, USER_DEFAULTS);
    });

    test('PATCH merges the given keys; nested objects merge by sub-key; GET shows the same', async () => {
      let res = await as('editor', 'PATCH', url, { theme: 'dark', notifications: { email: false } });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, { ...USER_DEFAULTS, theme: 'dark', notifications: { email: false, desktop: true, sound: true } });
      res = await as('editor', 'PATCH', url, { locale: 'de-DE', timezone: 'Europe/Berlin', conversationListDensity: 'compact', notifications: { sound: false } });
      assert.equal(res.status, 200, res.text);
      const expected = {
        notifications: { email: false, desktop: true, sound: false },
        theme: 'dark', locale: 'de-DE', timezone: 'Europe/Berlin', conversationListDensity: 'compact',
      };
      assert.deepEqual(res.json, expected);
      assert.deepEqual((await as('editor', 'GET', url)).json, expected);
    });

    test('settings are per user: another member still sees the defaults', async () => {
      assert.deepEqual((await as('viewer', 'GET', url)).json, USER_DEFAULTS);
    });

    test('null resets a key to its default', async () => {
      const res = await as('editor', 'PATCH', url, { theme: null, notifications: null });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.theme, 'system');
      assert.deepEqual(res.json.notifications, USER_DEFAULTS.notifications);
      assert.equal(res.json.locale, 'de-DE', 'other keys stay');
    });

    test('an empty PATCH changes nothing → 200 with the document', async () => {
      const before = (await as('editor', 'GET', url)).json;
      const res = await as('editor', 'PATCH', url, {});
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, before);
    });

    const bad = [
      ['an unknown key', { fontSize: 12 }, 'fontSize'],
      ['an unknown notification', { notifications: { push: true } }, 'notifications.push'],
      ['theme not in the list', { theme: 'blue' }, 'theme'],
      ['theme a number', { theme: 1 }, 'theme'],
      ['notifications not an object', { notifications: true }, 'notifications'],
      ['notifications.email a string', { notifications: { email: 'yes' } }, 'notifications.email'],
      ['notifications.email null', { notifications: { email: null } }, 'notifications.email'],
      ['a time zone that does not exist', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      ['a path as time zone', { timezone: '../../etc/passwd' }, 'timezone'],
      ['an empty time zone', { timezone: '' }, 'timezone'],
      ['a time zone as number', { timezone: 2 }, 'timezone'],
      ['locale a word', { locale: 'english' }, 'locale'],
      ['locale with underscore', { locale: 'de_DE' }, 'locale'],
      ['locale unknown language', { locale: 'qq' }, 'locale'],
      ['locale unknown territory', { locale: 'en-QQ' }, 'locale'],
      ['density not in the list', { conversationListDensity: 'cosy' }, 'conversationListDensity'],
    ];
    for (const [name, body, field] of bad) {
      test(`PATCH with ${name} → 422 naming ${field}`, async () => {
        assertFieldErrors(await as('editor', 'PATCH', url, body), field);
      });
    }

    test('one bad key fails the whole PATCH: nothing is half-written', async () => {
      const before = (await as('editor', 'GET', url)).json;
      const res = await as('editor', 'PATCH', url, { theme: 'light', timezone: 'Nowhere/Land', bogus: 1 });
      assertFieldErrors(res, 'timezone', 'bogus');
      assert.deepEqual((await as('editor', 'GET', url)).json, before);
    });

    test('malformed JSON and a JSON array → 400; no token → 401', async () => {
      for (const raw of ['{"theme":', '["theme"]']) {
        const res = await api(srv.url, 'PATCH', url, { token: team.editor.token, raw, headers: { 'content-type': 'application/json' } });
        assertProblem(res, 400);
      }
      assertProblem(await api(srv.url, 'GET', url), 401);
      assertProblem(await api(srv.url, 'PATCH', url, { body: { theme: 'dark' } }), 401);
    });

    test('a PATCH records settings.updated for the user', async () => {
      await as('viewer', 'PATCH', url, { theme: 'light' });
      const rows = sql(srv.databaseUrl, "SELECT team_id, payload FROM events WHERE type = 'settings.updated'");
      const mine = rows.map((r) => ({ ...r, payload: payloadOf(r) })).filter((r) => r.payload.userId === team.viewer.userId);
      assert.equal(mine.length, 1, JSON.stringify(rows));
      assert.equal(mine[0].team_id, null);
      assert.deepEqual(mine[0].payload, { scope: 'user', userId: team.viewer.userId, keys: ['theme'] });
    });
  });

  describe('GET/PATCH /api/v1/teams/{teamId}/settings', () => {
    let url;
    before(() => {
      url = `/api/v1/teams/${team.teamId}/settings`;
    });

    test('GET as viewer → the team name and every key with its default', async () => {
      const res = await as('viewer', 'GET', url);
      assert.equal(res.status, 200, res.text);
      const { name, ...rest } = res.json;
      assert.equal(typeof name, 'string');
      assert.ok(name.length > 0);
      assert.deepEqual(rest, TEAM_DEFAULTS);
    });

    test('PATCH as admin merges: name (into teams.name), region upper-cased, signupMode, hours by day, auto-reply', async () => {
      const res = await as('admin', 'PATCH', url, {
        name: '  Acme Care  ',
        defaultRegion: 'de',
        signupMode: 'closed',
        businessHours: {
          timezone: 'Europe/Berlin',
          days: { mon: [{ open: '13:00', close: '18:00' }, { open: '08:00', close: '12:00' }], sat: [{ open: '10:00', close: '24:00' }] },
        },
        autoReply: { enabled: true, text: 'We are closed; we will answer tomorrow.' },
      });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.json, {
        name: 'Acme Care',
        defaultRegion: 'DE',
        signupMode: 'closed',
        businessHours: {
          timezone: 'Europe/Berlin',
          days: {
            ...TEAM_DEFAULTS.businessHours.days,
            mon: [{ open: '08:00', close: '12:00' }, { open: '13:00', close: '18:00' }],
            sat: [{ open: '10:00', close: '24:00' }],
          },
        },
        autoReply: { enabled: true, text: 'We are closed; we will answer tomorrow.', outsideBusinessHoursOnly: true },
      });
      assert.deepEqual((await as('viewer', 'GET', url)).json, res.json);
      const teams = await as('admin', 'GET', '/api/v1/teams');
      assert.equal(teams.json.data.find((t) => t.id === team.teamId).name, 'Acme Care');
    });

    test('the stored document carries defaultRegion (what contacts read) and not the name', async () => {
      const rows = sql(srv.databaseUrl, 'SELECT document FROM team_settings WHERE team_id = ?', [team.teamId]);
      const doc = typeof rows[0].document === 'string' ? JSON.parse(rows[0].document) : rows[0].document;
      assert.equal(doc.defaultRegion, 'DE');
      assert.equal(doc.name, undefined);
    });

    test('a later PATCH keeps what it does not name; null resets a key', async () => {
      let res = await as('admin', 'PATCH', url, { businessHours: { days: { sun: [{ open: '00:00', close: '23:59' }] } } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.businessHours.timezone, 'Europe/Berlin');
      assert.deepEqual(res.json.businessHours.days.mon, [{ open: '08:00', close: '12:00' }, { open: '13:00', close: '18:00' }]);
      assert.deepEqual(res.json.businessHours.days.sun, [{ open: '00:00', close: '23:59' }]);
      assert.equal(res.json.defaultRegion, 'DE');
      res = await as('admin', 'PATCH', url, { businessHours: null, defaultRegion: null });
      assert.deepEqual(res.json.businessHours, TEAM_DEFAULTS.businessHours);
      assert.equal(res.json.defaultRegion, 'US');
      assert.equal(res.json.signupMode, 'closed');
    });

    const bad = [
      ['an unknown key', { colour: 'red' }, 'colour'],
      ['name empty', { name: '   ' }, 'name'],
      ['name null', { name: null }, 'name'],
      ['name 101 characters', { name: 'n'.repeat(101) }, 'name'],
      ['name a number', { name: 7 }, 'name'],
      ['defaultRegion unknown', { defaultRegion: 'XX' }, 'defaultRegion'],
      ['defaultRegion three letters', { defaultRegion: 'USA' }, 'defaultRegion'],
      ['defaultRegion the non-geographic 001', { defaultRegion: '001' }, 'defaultRegion'],
      ['defaultRegion a number', { defaultRegion: 49 }, 'defaultRegion'],
      ['signupMode not in the list', { signupMode: 'public' }, 'signupMode'],
      ['businessHours not an object', { businessHours: 'always' }, 'businessHours'],
      ['businessHours unknown key', { businessHours: { holidays: [] } }, 'businessHours.holidays'],
      ['businessHours bad time zone', { businessHours: { timezone: 'Europe/Atlantis' } }, 'businessHours.timezone'],
      ['businessHours unknown day', { businessHours: { days: { funday: [] } } }, 'businessHours.days.funday'],
      ['a day not an array', { businessHours: { days: { mon: { open: '09:00', close: '17:00' } } } }, 'businessHours.days.mon'],
      ['a day null', { businessHours: { days: { mon: null } } }, 'businessHours.days.mon'],
      ['a time without leading zero', { businessHours: { days: { mon: [{ open: '9:00', close: '17:00' }] } } }, 'businessHours.days.mon[0].open'],
      ['a time 25:00', { businessHours: { days: { mon: [{ open: '09:00', close: '25:00' }] } } }, 'businessHours.days.mon[0].close'],
      ['opening at 24:00', { businessHours: { days: { mon: [{ open: '24:00', close: '24:00' }] } } }, 'businessHours.days.mon[0].open'],
      ['a time 09:60', { businessHours: { days: { tue: [{ open: '09:60', close: '17:00' }] } } }, 'businessHours.days.tue[0].open'],
      ['close before open', { businessHours: { days: { wed: [{ open: '17:00', close: '09:00' }] } } }, 'businessHours.days.wed[0]'],
      ['close equal to open', { businessHours: { days: { wed: [{ open: '09:00', close: '09:00' }] } } }, 'businessHours.days.wed[0]'],
      ['overlapping intervals', { businessHours: { days: { thu: [{ open: '09:00', close: '13:00' }, { open: '12:00', close: '17:00' }] } } }, 'businessHours.days.thu'],
      ['a missing close', { businessHours: { days: { fri: [{ open: '09:00' }] } } }, 'businessHours.days.fri[0].close'],
      ['an interval with an extra key', { businessHours: { days: { fri: [{ open: '09:00', close: '10:00', note: 'x' }] } } }, 'businessHours.days.fri[0].note'],
      ['a time as a number', { businessHours: { days: { fri: [{ open: 900, close: 1700 }] } } }, 'businessHours.days.fri[0].open'],
      ['autoReply text 1,601 characters', { autoReply: { text: 'x'.repeat(1601) } }, 'autoReply.text'],
      ['autoReply enabled a string', { autoReply: { enabled: 'true' } }, 'autoReply.enabled'],
      ['autoReply unknown key', { autoReply: { delaySeconds: 5 } }, 'autoReply.delaySeconds'],
      ['autoReply enabled with no text', { autoReply: { enabled: true, text: '' } }, 'autoReply.text'],
    ];
    for (const [name, body, field] of bad) {
      test(`PATCH with ${name} → 422 naming ${field}`, async () => {
        assertFieldErrors(await as('admin', 'PATCH', url, body), field);
      });
    }

    test('autoReply text of exactly 1,600 characters is fine', async () => {
      const res = await as('admin', 'PATCH', url, { autoReply: { text: 'y'.repeat(1600) } });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.json.autoReply.text.length, 1600);
    });

    test('one bad key fails the whole PATCH, the team name included', async () => {
      const before = (await as('admin', 'GET', url)).json;
      assertFieldErrors(await as('admin', 'PATCH', url, { name: 'Should not stick', defaultRegion: 'ZZ' }), 'defaultRegion');
      assert.deepEqual((await as('admin', 'GET', url)).json, before);
    });

    test('roles: editor and viewer PATCH → 403; another team GET and PATCH → 404; no token → 401', async () => {
      assertProblem(await as('editor', 'PATCH', url, { signupMode: 'open' }), 403);
      assertProblem(await as('viewer', 'PATCH', url, { signupMode: 'open' }), 403);
      assert.equal((await as('editor', 'GET', url)).status, 200);
      assertProblem(await as('outsider', 'GET', url), 404);
      assertProblem(await as('outsider', 'PATCH', url, { signupMode: 'open' }), 404);
      assertProblem(await api(srv.url, 'GET', url), 401);
      assertProblem(await as('admin', 'GET', '/api/v1/teams/no-such-team/settings'), 404);
      // the outsider's own team is theirs to change, and separate
      const theirs = await as('outsider', 'PATCH', `/api/v1/teams/${team.outsider.teamId}/settings`, { defaultRegion: 'GB' });
      assert.equal(theirs.status, 200, theirs.text);
      assert.notEqual((await as('admin', 'GET', url)).json.defaultRegion, 'GB');
    });

    test('a PATCH records settings.updated for the team', async () => {
      await as('admin', 'PATCH', url, { signupMode: 'open' });
      const rows = sql(srv.databaseUrl, "SELECT team_id, payload FROM events WHERE type = 'settings.updated' AND team_id = ?", [team.teamId]);
      assert.ok(rows.length >= 1);
      assert.deepEqual(payloadOf(rows.at(-1)), { scope: 'team', teamId: team.teamId, keys: ['signupMode'] });
    });
  });
});
