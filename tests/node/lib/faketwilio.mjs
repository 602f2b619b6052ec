// SPDX-License-Identifier: MIT
// A local fake of Twilio for tests and benchmarks, in-process (node:http; `twilio` only to sign).
//
// What it fakes, in the wire format Twilio uses (checked by tests/node/fake-twilio.test.mjs with
// the real `twilio` npm client):
// - REST 2010-04-01 under /2010-04-01/Accounts/{AccountSid}/ with HTTP Basic AccountSid:AuthToken
//   (or an API key SK…:secret): POST/GET Messages.json, GET Messages/{Sid}.json, POST Calls.json,
//   GET Calls/{Sid}.json, GET IncomingPhoneNumbers.json, GET Messages/{Sid}/Media/{MediaSid}.
//   JSON resources with snake_case fields, RFC 2822 dates and Twilio's list-page and error shapes.
// - Failures on demand (failNext): 429, 500, a request that is never answered, 21610, 21211, 20003;
//   optionally after the message was really "sent" (an unknown outcome to reconcile).
// - Twilio's calls to us: signed inbound SMS/MMS/WhatsApp webhooks, message status callbacks and
//   voice webhooks (signedPost + the param builders), in any order and as often as a test likes;
//   and automatic status callbacks after a send (autoStatus).
//
// What it does not fake: delivery to phones, sender ownership checks (any From is accepted),
// pricing, Messaging Service sender selection (From stays as given, or the account's first
// number), TwiML execution, media on a separate CDN host (redirect stays on this host), and most
// of the hundreds of other error codes. Messages go "sent" right after the 201 is written.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import twilio from 'twilio';

const API_VERSION = '2010-04-01';
const PAGE_SIZE = 50;

// Keys Twilio lets a client repeat: recorded as arrays even when sent once.
const LIST_PARAMS = new Set(['MediaUrl', 'StatusCallbackEvent', 'RecordingStatusCallbackEvent']);
const TERMINAL_ERROR = { failed: '30008', undelivered: '30003' };

// failNext kinds → [HTTP status, Twilio code, message]. 'timeout' has no answer at all.
const FAILURES = {
  429: [429, 20429, () => 'Too Many Requests'],
  500: [500, 20500, () => 'An internal server error has occurred'],
  21610: [400, 21610, () => 'Attempt to send to unsubscribed recipient'],
  21211: [400, 21211, (p) => `The 'To' number ${p.To ?? ''} is not a valid phone number.`],
  20003: [401, 20003, () => 'Authenticate'],
};

export const newSid = (prefix) => prefix + randomBytes(16).toString('hex');

// Twilio's REST dates: "Thu, 30 Jul 2015 20:12:31 +0000".
export const rfc2822 = (date) => date.toUTCString().replace('GMT', '+0000');

// Form or query parameters as an object; repeated keys (and LIST_PARAMS) become arrays.
function paramsOf(search) {
  const out = {};
  for (const [key, value] of search) {
    if (Object.hasOwn(out, key)) out[key] = [].concat(out[key], value);
    else out[key] = LIST_PARAMS.has(key) ? [value] : value;
  }
  return out;
}

function formEncode(params) {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    for (const item of [].concat(value)) form.append(key, String(item));
  }
  return form.toString();
}

// GSM-7 (160/153 per segment, extension chars count twice) or UCS-2 (70/67 UTF-16 units).
const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
function segmentCount(body) {
  const chars = [...body];
  if (chars.every((c) => GSM_BASIC.includes(c) || GSM_EXTENDED.includes(c))) {
    const septets = chars.reduce((n, c) => n + (GSM_EXTENDED.includes(c) ? 2 : 1), 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}

const E164 = /^\+[1-9]\d{6,14}$/;
const validMessageTo = (to) => E164.test(to.replace(/^whatsapp:/, ''));
const validCallTo = (to) => E164.test(to) || /^(client|sip):\S+$/.test(to);

function apiError(code, status, message) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

// Twilio's list page: the items under `key` plus paging URIs (Page/PageSize paging).
function listPage(key, items, pathname, query) {
  const pageSize = Math.max(1, Math.min(1000, Number(query.PageSize) || PAGE_SIZE));
  const page = Math.max(0, Number(query.Page) || 0);
  const start = page * pageSize;
  const slice = items.slice(start, start + pageSize);
  const uriFor = (p) => {
    const search = new URLSearchParams(formEncode({ ...query, Page: p, PageSize: pageSize }));
    return `${pathname}?${search}`;
  };
  return {
    [key]: slice,
    end: slice.length ? start + slice.length - 1 : start,
    first_page_uri: uriFor(0),
    next_page_uri: start + pageSize < items.length ? uriFor(page + 1) : null,
    page,
    page_size: pageSize,
    previous_page_uri: page > 0 ? uriFor(page - 1) : null,
    start,
    uri: uriFor(page),
  };
}

// DateSent (same UTC day), DateSent>= and DateSent<= (sent as "DateSent>" / "DateSent<" keys);
// a date-only bound covers its whole day, as Twilio does.
function dateSentMatches(message, query) {
  const bounds = [['DateSent', 'day'], ['DateSent>', 'from'], ['DateSent<', 'to']]
    .filter(([key]) => query[key] !== undefined);
  if (!bounds.length) return true;
  if (!message.date_sent) return false;
  const sent = Date.parse(message.date_sent);
  return bounds.every(([key, kind]) => {
    const value = String(query[key]);
    const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const at = Date.parse(dayOnly ? `${value}T00:00:00Z` : value);
    const dayEnd = at + 86_400_000;
    if (kind === 'day') return dayOnly ? sent >= at && sent < dayEnd : sent === at;
    if (kind === 'from') return sent >= at;
    return dayOnly ? sent < dayEnd : sent <= at;
  });
}

function phoneNumberResource(accountSid, entry) {
  const spec = typeof entry === 'string' ? { phoneNumber: entry } : entry;
  const sid = spec.sid ?? newSid('PN');
  const now = rfc2822(new Date());
  return {
    account_sid: accountSid,
    address_requirements: 'none',
    api_version: API_VERSION,
    beta: false,
    capabilities: { fax: false, mms: true, sms: true, voice: true },
    date_created: now,
    date_updated: now,
    friendly_name: spec.friendlyName ?? spec.phoneNumber,
    phone_number: spec.phoneNumber,
    origin: 'twilio',
    sid,
    sms_application_sid: '',
    sms_fallback_method: 'POST',
    sms_fallback_url: '',
    sms_method: 'POST',
    sms_url: spec.smsUrl ?? '',
    status: 'in-use',
    status_callback: '',
    status_callback_method: 'POST',
    uri: `/${API_VERSION}/Accounts/${accountSid}/IncomingPhoneNumbers/${sid}.json`,
    voice_application_sid: '',
    voice_caller_id_lookup: false,
    voice_fallback_method: 'POST',
    voice_fallback_url: '',
    voice_method: 'POST',
    voice_url: spec.voiceUrl ?? '',
  };
}

/**
 * Starts the fake on 127.0.0.1.
 * options: accounts {AC…: authToken} (required), apiKeys {SK…: {accountSid, secret}},
 * phoneNumbers {AC…: ['+1…' | {phoneNumber, friendlyName, smsUrl, voiceUrl}]}, port (0 = any),
 * delayMs (every answer), autoStatus (false | true = ['sent','delivered'] | statuses),
 * callbackUrl (publicUrl → where to really POST; default as is), maxRecords (trim old records).
 */
export async function startFakeTwilio(options = {}) {
  const accounts = { ...options.accounts };
  const apiKeys = { ...options.apiKeys };
  const maxRecords = options.maxRecords ?? Infinity;
  const requests = [];
  const messages = []; // message resources, oldest first; each has a hidden `params`
  const calls = [];
  const callbacks = []; // {url, params, status, text} or {url, params, error} per callback sent
  const numbers = {}; // accountSid → phone number resources
  const media = new Map(); // `${messageSid}/${mediaSid}` → media entry
  const blobs = new Map(); // redirect token → media entry
  const failures = []; // {kind, path, sent}
  const held = new Set(); // responses never answered ('timeout')
  const pending = new Set(); // callback promises still running
  const stats = { requests: 0, messages: 0, calls: 0 };

  const fake = {
    url: '',
    requests,
    messages,
    calls,
    callbacks,
    stats,
    delayMs: options.delayMs ?? 0,
    autoStatus: options.autoStatus ?? false,
    callbackUrl: options.callbackUrl ?? ((publicUrl) => publicUrl),

    // The next n REST requests (whose path contains opts.path, if given) fail with `kind`.
    // opts.sent: a message create is carried out before failing (the answer is lost, not the SMS).
    failNext(n, kind, opts = {}) {
      if (kind !== 'timeout' && !FAILURES[kind]) throw new Error(`unknown failure kind ${kind}`);
      for (let i = 0; i < n; ++i) failures.push({ kind: String(kind), path: opts.path, sent: !!opts.sent });
    },
    addAccount(accountSid, authToken) {
      accounts[accountSid] = authToken;
    },
    addPhoneNumber(accountSid, entry) {
      const resource = phoneNumberResource(accountSid, entry);
      (numbers[accountSid] ??= []).push(resource);
      return resource;
    },
    // Bytes served at mediaUrl(); failFirst: 404 that many times first; status: always answer
    // that status instead; redirect: answer 307 to an unauthenticated blob URL, as Twilio does.
    addMedia(messageSid, mediaSid, { contentType = 'image/jpeg', body = Buffer.alloc(0), failFirst = 0,
      status = 200, redirect = false, accountSid } = {}) {
      const entry = { contentType, body: Buffer.from(body), failFirst, status, redirect, accountSid, fetches: 0 };
      media.set(`${messageSid}/${mediaSid}`, entry);
      return entry;
    },
    mediaUrl(accountSid, messageSid, mediaSid) {
      return `${fake.url}/${API_VERSION}/Accounts/${accountSid}/Messages/${messageSid}/Media/${mediaSid}`;
    },
    message(sid) {
      return messages.find((m) => m.sid === sid);
    },
    // Resolves once every status callback started so far has been answered (or failed).
    async idle() {
      while (pending.size) await Promise.allSettled([...pending]);
    },
    async close() {
      for (const res of held) res.destroy();
      held.clear();
      await new Promise((resolve) => {
        server.close(resolve);
        server.closeAllConnections();
      });
    },
  };

  for (const [accountSid, list] of Object.entries(options.phoneNumbers ?? {})) {
    for (const entry of list) fake.addPhoneNumber(accountSid, entry);
  }

  const trim = (list) => {
    if (list.length > maxRecords) list.splice(0, list.length - maxRecords);
  };

  const send = (res, status, body, headers = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  };
  const fail = (res, code, status, message, headers) => send(res, status, apiError(code, status, message), headers);
  const notFound = (res, pathname) => fail(res, 20404, 404, `The requested resource ${pathname} was not found`);

  // Basic auth → the account it grants, or null. An API key acts for its account.
  function authenticate(header) {
    const match = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!match) return { user: null, account: null };
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon < 0 ? decoded : decoded.slice(0, colon);
    const secret = colon < 0 ? '' : decoded.slice(colon + 1);
    if (Object.hasOwn(accounts, user) && accounts[user] === secret) return { user, account: user };
    const key = Object.hasOwn(apiKeys, user) ? apiKeys[user] : null;
    if (key && key.secret === secret) return { user, account: key.accountSid };
    return { user, account: null };
  }

  function takeFailure(pathname) {
    const index = failures.findIndex((f) => !f.path || pathname.includes(f.path));
    return index < 0 ? null : failures.splice(index, 1)[0];
  }

  function answerFailure(res, failure, params) {
    if (failure.kind === 'timeout') {
      held.add(res);
      res.on('close', () => held.delete(res));
      return;
    }
    const [status, code, message] = FAILURES[failure.kind];
    fail(res, code, status, message(params));
  }

  // POST Messages.json: validates like Twilio, answers 201 with the new resource (or, with a
  // `sent` failure, stores the message and answers the failure).
  function createMessage(accountSid, params, failure, res) {
    const mediaUrls = params.MediaUrl ?? [];
    const body = params.Body ?? '';
    if (!params.To) return fail(res, 21604, 400, "A 'To' phone number is required.");
    if (!validMessageTo(params.To)) return fail(res, 21211, 400, `The 'To' number ${params.To} is not a valid phone number.`);
    if (!params.From && !params.MessagingServiceSid) return fail(res, 21603, 400, "A 'From' phone number is required.");
    if (!body && !mediaUrls.length) return fail(res, 21602, 400, 'Message body is required.');
    if (body.length > 1600) return fail(res, 21617, 400, 'The concatenated message body exceeds the 1600 character limit.');

    const now = new Date();
    const sid = newSid('SM');
    const uri = `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}`;
    const scheduled = params.ScheduleType === 'fixed';
    const message = {
      account_sid: accountSid,
      api_version: API_VERSION,
      body,
      date_created: rfc2822(now),
      date_sent: null,
      date_updated: rfc2822(now),
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: params.From ?? null,
      messaging_service_sid: params.MessagingServiceSid ?? null,
      num_media: String(mediaUrls.length),
      num_segments: String(segmentCount(body)),
      price: null,
      price_unit: 'USD',
      sid,
      status: scheduled ? 'scheduled' : params.MessagingServiceSid ? 'accepted' : 'queued',
      subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
      to: params.To,
      uri: `${uri}.json`,
    };
    Object.defineProperty(message, 'params', { value: params, enumerable: false });
    messages.push(message);
    trim(messages);
    ++stats.messages;

    if (failure) answerFailure(res, failure, params);
    else send(res, 201, message);
    if (scheduled) return;

    // The fake "sends" at once; status callbacks (if any) follow asynchronously.
    message.from ??= numbers[accountSid]?.[0]?.phone_number ?? null;
    message.status = 'sent';
    message.date_sent = message.date_updated = rfc2822(new Date());
    const statuses = fake.autoStatus === true ? ['sent', 'delivered'] : fake.autoStatus || [];
    if (params.StatusCallback && statuses.length) playStatuses(message, params.StatusCallback, statuses);
  }

  function playStatuses(message, publicUrl, statuses) {
    const token = accounts[message.account_sid];
    const run = (async () => {
      for (const status of statuses) {
        message.status = status;
        message.date_updated = rfc2822(new Date());
        if (TERMINAL_ERROR[status]) message.error_code = Number(TERMINAL_ERROR[status]);
        const params = statusCallbackParams({
          accountSid: message.account_sid, messageSid: message.sid, status, from: message.from,
          to: message.to, messagingServiceSid: message.messaging_service_sid ?? undefined,
        });
        try {
          const answer = await signedPost(fake.callbackUrl(publicUrl), publicUrl, params, token);
          callbacks.push({ url: publicUrl, params, ...answer });
        } catch (error) {
          callbacks.push({ url: publicUrl, params, error: error.message });
        }
        trim(callbacks);
      }
    })();
    pending.add(run);
    run.finally(() => pending.delete(run));
  }

  function listMessages(accountSid, query, res, pathname) {
    const found = messages.filter((m) => m.account_sid === accountSid
      && (query.To === undefined || m.to === query.To)
      && (query.From === undefined || m.from === query.From)
      && dateSentMatches(m, query));
    send(res, 200, listPage('messages', found.reverse(), pathname, query));
  }

  // POST Calls.json: validates like Twilio, answers 201 with the new call resource.
  function createCall(accountSid, params, res) {
    if (!params.To) return fail(res, 21201, 400, "No 'To' number is specified");
    if (!validCallTo(params.To)) return fail(res, 21211, 400, `The 'To' number ${params.To} is not a valid phone number.`);
    if (!params.From) return fail(res, 21213, 400, "No 'From' number is specified");
    if (!params.Url && !params.Twiml && !params.ApplicationSid) return fail(res, 21205, 400, 'Url parameter is required.');
    const now = rfc2822(new Date());
    const sid = newSid('CA');
    const uri = `/${API_VERSION}/Accounts/${accountSid}/Calls/${sid}`;
    const call = {
      account_sid: accountSid,
      annotation: null,
      answered_by: null,
      api_version: API_VERSION,
      caller_name: null,
      date_created: now,
      date_updated: now,
      direction: 'outbound-api',
      duration: null,
      end_time: null,
      forwarded_from: null,
      from: params.From,
      from_formatted: params.From,
      group_sid: null,
      parent_call_sid: null,
      phone_number_sid: numbers[accountSid]?.find((n) => n.phone_number === params.From)?.sid ?? null,
      price: null,
      price_unit: 'USD',
      queue_time: '0',
      sid,
      start_time: null,
      status: 'queued',
      subresource_uris: {
        notifications: `${uri}/Notifications.json`,
        recordings: `${uri}/Recordings.json`,
        events: `${uri}/Events.json`,
      },
      to: params.To,
      to_formatted: params.To,
      trunk_sid: null,
      uri: `${uri}.json`,
    };
    Object.defineProperty(call, 'params', { value: params, enumerable: false });
    calls.push(call);
    trim(calls);
    ++stats.calls;
    send(res, 201, call);
  }

  function serveMedia(res, entry) {
    ++entry.fetches;
    if (entry.failFirst > 0) {
      --entry.failFirst;
      return fail(res, 20404, 404, 'The requested resource was not found');
    }
    if (entry.status !== 200) return fail(res, entry.status === 404 ? 20404 : entry.status, entry.status, 'Media unavailable');
    if (entry.redirect) {
      const token = randomBytes(12).toString('hex');
      blobs.set(token, entry);
      res.writeHead(307, { Location: `${fake.url}/blobs/${token}` });
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': entry.contentType, 'Content-Length': entry.body.length });
    res.end(entry.body);
  }

  async function route(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url, 'http://fake.invalid');
    if (req.method === 'GET' && url.pathname === '/_fake/stats') return send(res, 200, stats); // not recorded
    const query = paramsOf(url.searchParams);
    const isForm = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
    const params = req.method === 'POST' && isForm ? paramsOf(new URLSearchParams(rawBody)) : {};
    const { user, account } = authenticate(req.headers.authorization);
    requests.push({ method: req.method, path: url.pathname, query, params, account: user,
      authenticated: !!account, headers: req.headers, body: rawBody, time: new Date() });
    trim(requests);
    ++stats.requests;
    if (fake.delayMs) await sleep(fake.delayMs);

    const blob = /^\/blobs\/(\w+)$/.exec(url.pathname);
    if (req.method === 'GET' && blob && blobs.has(blob[1])) {
      const entry = blobs.get(blob[1]);
      res.writeHead(200, { 'Content-Type': entry.contentType, 'Content-Length': entry.body.length });
      return res.end(entry.body);
    }

    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!match) return notFound(res, url.pathname);
    const [, accountSid, rest] = match;
    if (!account || account !== accountSid) {
      return fail(res, 20003, 401, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
    }
    const failure = takeFailure(url.pathname);
    const creatingMessage = req.method === 'POST' && rest === 'Messages.json';
    if (failure && !(creatingMessage && failure.sent)) return answerFailure(res, failure, params);

    let m;
    if (creatingMessage) return createMessage(accountSid, params, failure, res);
    if (req.method === 'GET' && rest === 'Messages.json') return listMessages(accountSid, query, res, url.pathname);
    if (req.method === 'POST' && rest === 'Calls.json') return createCall(accountSid, params, res);
    if (req.method === 'GET' && rest === 'IncomingPhoneNumbers.json') {
      const found = (numbers[accountSid] ?? []).filter((n) =>
        (query.PhoneNumber === undefined || n.phone_number.includes(query.PhoneNumber))
        && (query.FriendlyName === undefined || n.friendly_name === query.FriendlyName));
      return send(res, 200, listPage('incoming_phone_numbers', found, url.pathname, query));
    }
    if (req.method === 'GET' && (m = /^(Messages|Calls)\/(\w+)\.json$/.exec(rest))) {
      const found = (m[1] === 'Messages' ? messages : calls)
        .find((r) => r.sid === m[2] && r.account_sid === accountSid);
      return found ? send(res, 200, found) : notFound(res, url.pathname);
    }
    if (req.method === 'GET' && (m = /^Messages\/(\w+)\/Media\/(\w+)$/.exec(rest))) {
      const entry = media.get(`${m[1]}/${m[2]}`);
      if (entry && (!entry.accountSid || entry.accountSid === accountSid)) return serveMedia(res, entry);
    }
    return notFound(res, url.pathname);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error) => {
      if (!res.headersSent) fail(res, 20500, 500, `fake twilio: ${error.message}`);
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  fake.url = `http://127.0.0.1:${server.address().port}`;
  return fake;
}

// --- Twilio's calls to us -------------------------------------------------------------------

/**
 * POSTs params form-encoded to targetUrl, signed as Twilio signs for publicUrl (the URL as
 * configured in Twilio, query included). Returns {status, text, contentType}.
 * options.signature overrides the header (a forged request); options.headers adds headers.
 */
export async function signedPost(targetUrl, publicUrl, params, authToken, options = {}) {
  const signature = options.signature ?? twilio.getExpectedTwilioSignature(authToken, publicUrl, params);
  const response = await fetch(targetUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      'User-Agent': 'TwilioProxy/1.1',
      'I-Twilio-Idempotency-Token': randomBytes(16).toString('hex'),
      'X-Twilio-Signature': signature,
      ...options.headers,
    },
    body: formEncode(params),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000), // Twilio gives up after 15 s
  });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

const defined = (object) => Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
const GEO = { City: 'SAN FRANCISCO', State: 'CA', Zip: '94105', Country: 'US' };
const geo = (prefix) => Object.fromEntries(Object.entries(GEO).map(([k, v]) => [prefix + k, v]));

// Twilio's DLR done date: YYMMDDhhmm (UTC).
const rawDlrDate = (date) => date.toISOString().replace(/\D/g, '').slice(2, 12);

/**
 * The params of a MessageStatus callback. errorCode defaults to 30008/30003 for
 * failed/undelivered; rawDlrDoneDate is added on delivered/undelivered.
 */
export function statusCallbackParams({ accountSid, messageSid, status, from, to, messagingServiceSid,
  errorCode, rawDlrDoneDate }) {
  const dlr = status === 'delivered' || status === 'undelivered';
  return defined({
    SmsSid: messageSid,
    SmsStatus: status,
    MessageStatus: status,
    To: to,
    MessagingServiceSid: messagingServiceSid,
    MessageSid: messageSid,
    AccountSid: accountSid,
    From: from,
    ApiVersion: API_VERSION,
    ErrorCode: errorCode ?? TERMINAL_ERROR[status],
    RawDlrDoneDate: rawDlrDoneDate ?? (dlr ? rawDlrDate(new Date()) : undefined),
  });
}

// A signed MessageStatus callback: statusCallbackParams(fields) posted by signedPost.
export function statusCallback(targetUrl, publicUrl, fields, authToken) {
  return signedPost(targetUrl, publicUrl, statusCallbackParams(fields), authToken);
}

/**
 * The params Twilio posts for an inbound SMS, MMS (media: [{url, contentType}]) or WhatsApp
 * message (from 'whatsapp:+…'; adds ProfileName/WaId, no geo fields). Extra fields in `extra`.
 */
export function inboundSms({ accountSid, from, to, body = '', messageSid, messagingServiceSid, media = [],
  profileName, optOutType, numSegments, extra = {} }) {
  const sid = messageSid ?? newSid(media.length ? 'MM' : 'SM');
  const whatsapp = from.startsWith('whatsapp:');
  const params = {
    ...(whatsapp ? {} : geo('To')),
    SmsMessageSid: sid,
    NumMedia: String(media.length),
    ...(whatsapp ? { ProfileName: profileName ?? 'Test User', WaId: from.replace(/^whatsapp:\+/, ''),
      MessageType: media.length ? 'image' : 'text' } : geo('From')),
    SmsSid: sid,
    SmsStatus: 'received',
    Body: body,
    To: to,
    MessagingServiceSid: messagingServiceSid,
    NumSegments: numSegments ?? String(segmentCount(body)),
    MessageSid: sid,
    AccountSid: accountSid,
    From: from,
    ApiVersion: API_VERSION,
    OptOutType: optOutType,
  };
  media.forEach(({ url, contentType }, i) => {
    params[`MediaContentType${i}`] = contentType;
    params[`MediaUrl${i}`] = url;
  });
  return defined({ ...params, ...extra });
}

// The params of an incoming-call webhook (CallStatus ringing, Direction inbound).
export function inboundCall({ accountSid, from, to, callSid, callStatus = 'ringing', forwardedFrom,
  callerName, extra = {} }) {
  return defined({
    ...geo('To'), ...geo('From'), ...geo('Called'), ...geo('Caller'),
    Called: to, Caller: from, CallerName: callerName, ForwardedFrom: forwardedFrom,
    CallSid: callSid ?? newSid('CA'), AccountSid: accountSid, From: from, To: to,
    CallStatus: callStatus, Direction: 'inbound', ApiVersion: API_VERSION, ...extra,
  });
}

// The params of a call status callback (events initiated, ringing, answered, completed).
export function callStatusParams({ accountSid, callSid, from, to, callStatus, sequenceNumber = 0,
  callDuration, direction = 'outbound-api', extra = {} }) {
  return defined({
    Called: to, Caller: from, CallSid: callSid, AccountSid: accountSid, From: from, To: to,
    CallStatus: callStatus, Direction: direction, ApiVersion: API_VERSION,
    Timestamp: rfc2822(new Date()), CallbackSource: 'call-progress-events',
    SequenceNumber: String(sequenceNumber),
    CallDuration: callDuration === undefined ? undefined : String(callDuration), ...extra,
  });
}
