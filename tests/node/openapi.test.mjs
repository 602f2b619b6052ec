// SPDX-License-Identifier: MIT
// GET /api/v1/openapi.json against the real binary: served without a token as JSON with a
// five-minute public cache, a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator),
// and its response schemas hold for real answers: each spot check below compares a live response
// with the schema the document gives for that operation and status, both ways (a documented
// required field missing, or a field the document does not name, fails).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { Validator } from '@seriousme/openapi-schema-validator';

import { api, startServer } from './lib/harness.mjs';
import { PASSWORD, unique } from './lib/teamfixture.mjs';

// ---- a small JSON Schema checker, enough for the keywords the document uses ----

function resolveRef(doc, ref) {
  assert.ok(ref.startsWith('#/'), `only local $refs are expected: ${ref}`);
  let at = doc;
  for (const raw of ref.slice(2).split('/')) {
    const token = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    assert.ok(at && Object.hasOwn(at, token), `$ref ${ref} does not resolve`);
    at = at[token];
  }
  return at;
}

function jsonType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value; // object, string, number, boolean
}

function typeMatches(type, value) {
  const actual = jsonType(value);
  if (type === 'integer') return actual === 'number' && Number.isInteger(value);
  return type === actual;
}

// The property names an object schema knows, through allOf.
function knownProperties(doc, schema, names = new Set()) {
  const s = schema.$ref ? resolveRef(doc, schema.$ref) : schema;
  for (const name of Object.keys(s.properties ?? {})) names.add(name);
  for (const part of s.allOf ?? []) knownProperties(doc, part, names);
  return names;
}

// Appends to `errors` every way `value` breaks `schema`. `strict`: an object may hold only the
// properties its schema names (responses are checked so, to catch fields the document forgot).
function check(doc, schema, value, where, errors, strict) {
  if (schema === true || schema === undefined) return;
  if (schema.$ref) {
    check(doc, resolveRef(doc, schema.$ref), value, where, errors, strict);
  }
  for (const part of schema.allOf ?? []) check(doc, part, value, where, errors, false);
  for (const [keyword, wanted] of [['oneOf', (n) => n === 1], ['anyOf', (n) => n >= 1]]) {
    if (!schema[keyword]) continue;
    const matching = schema[keyword].filter((part) => {
      const partErrors = [];
      check(doc, part, value, where, partErrors, strict);
      return partErrors.length === 0;
    }).length;
    if (!wanted(matching)) errors.push(`${where}: ${matching} of ${keyword} match ${JSON.stringify(value)}`);
  }
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
    errors.push(`${where}: ${JSON.stringify(value)} is not ${JSON.stringify(schema.const)}`);
  }
  if (schema.enum && !schema.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    errors.push(`${where}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, value))) {
      errors.push(`${where}: ${jsonType(value)} ${JSON.stringify(value)} is not ${types.join('|')}`);
      return;
    }
  }
  const type = jsonType(value);
  if (type === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) errors.push(`${where}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && length > schema.maxLength) errors.push(`${where}: longer than ${schema.maxLength}`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) errors.push(`${where}: ${value} does not match ${schema.pattern}`);
    if (schema.format === 'date-time' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
      errors.push(`${where}: ${value} is not a date-time`);
    }
  } else if (type === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${where}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${where}: above ${schema.maximum}`);
  } else if (type === 'array') {
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push(`${where}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((item, i) => check(doc, schema.items, item, `${where}[${i}]`, errors, strict));
  } else if (type === 'object') {
    for (const name of schema.required ?? []) {
      if (!Object.hasOwn(value, name)) errors.push(`${where}: required ${name} is missing`);
    }
    const properties = schema.properties ?? {};
    for (const [name, item] of Object.entries(value)) {
      if (properties[name]) {
        check(doc, properties[name], item, `${where}.${name}`, errors, strict);
      } else if (typeof schema.additionalProperties === 'object') {
        check(doc, schema.additionalProperties, item, `${where}.${name}`, errors, strict);
      } else if (schema.additionalProperties === false) {
        errors.push(`${where}: ${name} is not allowed`);
      }
    }
    if (strict && (schema.properties || schema.allOf) && schema.additionalProperties === undefined) {
      const known = knownProperties(doc, schema);
      for (const name of Object.keys(value)) {
        if (!known.has(name)) errors.push(`${where}: ${name} is not in the document`);
      }
    }
  }
}

// Asserts that `res` is a documented answer of `method path`: its status is listed (or falls to
// `default`), its content type is one the document gives, and its body fits that schema.
function assertDocumented(doc, method, path, res) {
  const operation = doc.paths[path]?.[method.toLowerCase()];
  assert.ok(operation, `${method} ${path} is documented`);
  let response = operation.responses[String(res.status)] ?? operation.responses.default;
  assert.ok(response, `${method} ${path} documents status ${res.status}: ${res.text}`);
  if (response.$ref) response = resolveRef(doc, response.$ref);
  if (!response.content) {
    assert.equal(res.text, '', `${method} ${path} ${res.status} has no documented body`);
    return;
  }
  const contentType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  const mediaType = Object.keys(response.content).find((type) => type.split(';')[0].trim() === contentType);
  assert.ok(mediaType, `${method} ${path} ${res.status}: content type ${contentType} is documented ` +
    `(${Object.keys(response.content).join(', ')})`);
  if (!contentType.endsWith('json')) return;
  const errors = [];
  check(doc, response.content[mediaType].schema, JSON.parse(res.text), `${method} ${path} ${res.status}`, errors, true);
  assert.deepEqual(errors, [], `the answer fits the documented schema:\n${res.text}`);
}

describe('OpenAPI document', () => {
  let srv;
  let doc;

  before(async () => {
    srv = await startServer();
  });
  after(() => srv?.stop());

  test('GET /api/v1/openapi.json without a token → 200 JSON, cacheable for five minutes', async () => {
    const res = await api(srv.url, 'GET', '/api/v1/openapi.json');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
    assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
    assert.ok(res.headers.get('x-request-id'), 'the common headers are still added');
    assert.ok(res.json, 'the body parses as JSON');
    doc = res.json;
    assertDocumented(doc, 'GET', '/api/v1/openapi.json', res);
  });

  test('the document is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    assert.ok(doc, 'fetched by the previous test');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    assert.equal(result.valid, true, `validation errors:\n${JSON.stringify(result.errors, null, 2)}`);
    assert.equal(validator.version, '3.1');
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    assert.deepEqual(doc.servers, [{ url: '/' }]);
  });

  describe('documented schemas hold for real answers', () => {
    let admin;
    let teamId;
    const as = (method, path, body) => api(srv.url, method, path, { token: admin.accessToken, body });

    before(async () => {
      assert.ok(doc, 'fetched by the first test');
      const res = await api(srv.url, 'POST', '/api/v1/auth/signup', {
        body: { email: unique('openapi'), password: PASSWORD, name: 'OpenAPI' },
      });
      assert.equal(res.status, 201, res.text);
      assertDocumented(doc, 'POST', '/api/v1/auth/signup', res);
      admin = res.json;
      teamId = admin.user.teams[0].id;
    });

    test('operations: /healthz and /readyz', async () => {
      assertDocumented(doc, 'GET', '/healthz', await api(srv.url, 'GET', '/healthz'));
      assertDocumented(doc, 'GET', '/readyz', await api(srv.url, 'GET', '/readyz'));
      const metrics = await api(srv.url, 'GET', '/metrics');
      assert.equal(metrics.status, 200);
      assertDocumented(doc, 'GET', '/metrics', metrics);
    });

    test('problems: 401, 422 with errors[], 404 for another team, 400 invalid JSON', async () => {
      let res = await api(srv.url, 'GET', '/api/v1/auth/me');
      assert.equal(res.status, 401);
      assertDocumented(doc, 'GET', '/api/v1/auth/me', res);
      assert.deepEqual(Object.keys(res.json).sort(), ['detail', 'status', 'title', 'type']);

      res = await api(srv.url, 'POST', '/api/v1/auth/signup', { body: { email: 'nope', password: 'short' } });
      assert.equal(res.status, 422, res.text);
      assertDocumented(doc, 'POST', '/api/v1/auth/signup', res);
      assert.deepEqual(Object.keys(res.json).sort(), ['detail', 'errors', 'status', 'title', 'type']);
      assert.deepEqual(res.json.errors.map((e) => e.field).sort(), ['email', 'password']);

      res = await as('GET', '/api/v1/teams/no-such-team/contacts');
      assert.equal(res.status, 404, res.text);
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/contacts', res);

      res = await api(srv.url, 'POST', '/api/v1/auth/login', {
        raw: '{not json', headers: { 'content-type': 'application/json' },
      });
      assert.equal(res.status, 400, res.text);
      assertDocumented(doc, 'POST', '/api/v1/auth/login', res);
    });

    test('accounts and teams: me, teams, members, invitations', async () => {
      assertDocumented(doc, 'GET', '/api/v1/auth/me', await as('GET', '/api/v1/auth/me'));
      assertDocumented(doc, 'GET', '/api/v1/teams', await as('GET', '/api/v1/teams'));
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/members', await as('GET', `/api/v1/teams/${teamId}/members`));
      const invited = await as('POST', `/api/v1/teams/${teamId}/invitations`, { email: unique('invitee'), role: 'editor' });
      assert.equal(invited.status, 201, invited.text);
      assertDocumented(doc, 'POST', '/api/v1/teams/{teamId}/invitations', invited);
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/invitations', await as('GET', `/api/v1/teams/${teamId}/invitations`));
    });

    test('settings: the user and the team documents', async () => {
      assertDocumented(doc, 'GET', '/api/v1/me/settings', await as('GET', '/api/v1/me/settings'));
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/settings', await as('GET', `/api/v1/teams/${teamId}/settings`));
      const patched = await as('PATCH', `/api/v1/teams/${teamId}/settings`, { autoReply: { enabled: true, text: 'Back soon' } });
      assert.equal(patched.status, 200, patched.text);
      assertDocumented(doc, 'PATCH', '/api/v1/teams/{teamId}/settings', patched);
    });

    test('inbox, contact, conversation, message, note, search', async () => {
      const inbox = await as('POST', `/api/v1/teams/${teamId}/inboxes`, {
        name: 'Main line', channel: 'sms', address: '+14155550100', authToken: '0123456789abcdef0123456789abcdef',
      });
      assert.equal(inbox.status, 201, inbox.text);
      assertDocumented(doc, 'POST', '/api/v1/teams/{teamId}/inboxes', inbox);
      assert.equal(inbox.json.credentialsSet, true);
      assert.ok(!('authToken' in inbox.json), 'the auth token is never returned');
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/inboxes', await as('GET', `/api/v1/teams/${teamId}/inboxes`));

      const contact = await as('POST', `/api/v1/teams/${teamId}/contacts`, {
        name: 'Ada Lovelace', phone: '+1 415 555 0199', email: 'Ada@Example.test', attributes: { plan: 'gold', seats: 3 },
      });
      assert.equal(contact.status, 201, contact.text);
      assertDocumented(doc, 'POST', '/api/v1/teams/{teamId}/contacts', contact);
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/contacts', await as('GET', `/api/v1/teams/${teamId}/contacts?limit=5`));

      const conversation = await as('POST', `/api/v1/teams/${teamId}/conversations`, { contactId: contact.json.id });
      assert.equal(conversation.status, 201, conversation.text);
      assertDocumented(doc, 'POST', '/api/v1/teams/{teamId}/conversations', conversation);
      const c = `/api/v1/teams/${teamId}/conversations/${conversation.json.id}`;

      const message = await as('POST', `${c}/messages`, { body: 'Hello Ada', mediaUrls: ['https://example.test/a.png'] });
      assert.equal(message.status, 201, message.text);
      assertDocumented(doc, 'POST', '/api/v1/teams/{teamId}/conversations/{conversationId}/messages', message);
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/conversations/{conversationId}/messages', await as('GET', `${c}/messages`));
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/conversations', await as('GET', `/api/v1/teams/${teamId}/conversations`));

      const note = await as('POST', `/api/v1/teams/${teamId}/notes`, { content: 'VIP', conversationId: conversation.json.id });
      assert.equal(note.status, 201, note.text);
      assertDocumented(doc, 'POST', '/api/v1/teams/{teamId}/notes', note);

      const search = await as('GET', `/api/v1/teams/${teamId}/search?q=Ada`);
      assert.equal(search.status, 200, search.text);
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/search', search);

      const tooLong = await as('POST', `${c}/messages`, { body: 'x'.repeat(1601) });
      assert.equal(tooLong.status, 422, tooLong.text);
      assertDocumented(doc, 'POST', '/api/v1/teams/{teamId}/conversations/{conversationId}/messages', tooLong);
    });

    test('scheduled messages: list, reschedule, cancel, 409 after the cancel', async () => {
      const contact = await as('POST', `/api/v1/teams/${teamId}/contacts`, { name: 'Sched Uled', phone: '+1 415 555 0144' });
      assert.equal(contact.status, 201, contact.text);
      const conversation = await as('POST', `/api/v1/teams/${teamId}/conversations`, { contactId: contact.json.id });
      assert.equal(conversation.status, 201, conversation.text);
      const hourAhead = () => new Date(Date.now() + 3600_000).toISOString();
      const sent = await as('POST', `/api/v1/teams/${teamId}/conversations/${conversation.json.id}/messages`, { body: 'Later', sendAt: hourAhead() });
      assert.equal(sent.status, 201, sent.text);
      const m = `/api/v1/teams/${teamId}/messages/${sent.json.id}`;
      const list = await as('GET', `/api/v1/teams/${teamId}/scheduled-messages?conversationId=${conversation.json.id}`);
      assert.equal(list.status, 200, list.text);
      assertDocumented(doc, 'GET', '/api/v1/teams/{teamId}/scheduled-messages', list);
      const moved = await as('PATCH', m, { sendAt: hourAhead(), body: 'Later still' });
      assert.equal(moved.status, 200, moved.text);
      assertDocumented(doc, 'PATCH', '/api/v1/teams/{teamId}/messages/{messageId}', moved);
      const bad = await as('PATCH', m, { sendAt: 'soon' });
      assert.equal(bad.status, 422, bad.text);
      assertDocumented(doc, 'PATCH', '/api/v1/teams/{teamId}/messages/{messageId}', bad);
      const canceled = await as('POST', `${m}/cancel`);
      assert.equal(canceled.status, 200, canceled.text);
      assertDocumented(doc, 'POST', '/api/v1/teams/{teamId}/messages/{messageId}/cancel', canceled);
      const again = await as('POST', `${m}/cancel`);
      assert.equal(again.status, 409, again.text);
      assertDocumented(doc, 'POST', '/api/v1/teams/{teamId}/messages/{messageId}/cancel', again);
    });
  });
});
