// SPDX-License-Identifier: MIT
// Shared pieces of the conversation, message, note and compatible-inbox tests: contacts (through
// the contacts API, or straight into the database where that route is missing), conversations,
// sends, and reading what was stored.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

import { api, testDb } from './harness.mjs';
import { sql } from './teamfixture.mjs';

let phoneCounter = 1000 + Math.floor(Math.random() * 8000);

// A fresh US number in the 415 area (valid for libphonenumber), different on each call.
export function newPhone() {
  phoneCounter += 1;
  return `+1415555${String(phoneCounter % 10000).padStart(4, '0')}`;
}

// Creates a contact of `teamId`; returns its id. Fields: name, phone, email.
export async function createContact(srv, teamId, token, fields) {
  const res = await api(srv.url, 'POST', `/api/v1/teams/${teamId}/contacts`, { token, body: fields });
  if (res.status === 201) return res.json.id;
  assert.ok(res.status === 404 || res.status === 405, `POST contacts: ${res.status} ${res.text}`);
  const id = randomUUID();
  const now = new Date().toISOString();
  sql(srv.databaseUrl,
    'INSERT INTO contacts (id, team_id, name, phone, email, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [id, teamId, fields.name ?? null, fields.phone ?? null, fields.email ?? null, now, now]);
  return id;
}

// POST /conversations (find-or-create) as `token`; returns the response.
export function openConversation(srv, teamId, token, body) {
  return api(srv.url, 'POST', `/api/v1/teams/${teamId}/conversations`, { token, body });
}

// A new contact with an open conversation; returns { contactId, conversation }.
export async function contactWithConversation(srv, teamId, token, fields = {}) {
  const contactId = await createContact(srv, teamId, token, { name: fields.name ?? 'Someone', ...fields });
  const res = await openConversation(srv, teamId, token, { contactId });
  assert.equal(res.status, 201, res.text);
  return { contactId, conversation: res.json };
}

export function sendMessage(srv, teamId, token, conversationId, body) {
  return api(srv.url, 'POST', `/api/v1/teams/${teamId}/conversations/${conversationId}/messages`, { token, body });
}

// Every page of a list route, following nextCursor; returns all items and the page count.
export async function allPages(srv, token, path, limit) {
  const items = [];
  let cursor = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await api(srv.url, 'GET', `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.json).sort(), ['data', 'nextCursor']);
    assert.ok(res.json.data.length <= limit, 'a page holds at most limit items');
    items.push(...res.json.data);
    cursor = res.json.nextCursor;
    pages += 1;
    assert.ok(pages < 100, 'paging ends');
  } while (cursor);
  return { items, pages };
}

// Rows of a SELECT on the server's database. On PostgreSQL the rows travel as one jsonb text
// value: teamfixture's sql() reads psql's json_agg output as one line, and json_agg puts a line
// break between rows.
export function selectRows(srv, select, params = []) {
  if (testDb === 'sqlite') return sql(srv.databaseUrl, select, params);
  const [row] = sql(srv.databaseUrl, `SELECT coalesce(jsonb_agg(q), '[]'::jsonb)::text AS j FROM (${select}) q`, params);
  return JSON.parse(row.j);
}

const parsed = (value) => (typeof value === 'string' ? JSON.parse(value) : value);

// The events of a type written to the outbox, oldest first, with their payloads parsed.
export function eventsOf(srv, type) {
  return selectRows(srv, 'SELECT id, team_id, type, payload FROM events WHERE type = ? ORDER BY id', [type])
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((row) => ({ ...row, payload: parsed(row.payload) }));
}

export const inFuture = (ms) => new Date(Date.now() + ms).toISOString();
