// SPDX-License-Identifier: MIT
// A local fake of Google's OpenID Connect provider for tests, in-process (node:http; `jose` to
// make and sign keys). It speaks Google's wire format for what "Sign in with Google" uses:
// - GET /.well-known/openid-configuration: the discovery document (issuer, endpoints, JWKS URI).
// - GET /o/oauth2/v2/auth: the authorization endpoint. Headless: no consent page, it 302s at once
//   back to redirect_uri with ?code=&state= (or ?error=access_denied&state=), after checking the
//   client id, response_type=code and a PKCE S256 code_challenge.
// - POST /token: the token endpoint (form body): checks client_id/client_secret (body or Basic),
//   the code (single use, 5 minutes), that redirect_uri matches the authorization's, and the PKCE
//   code_verifier against the code_challenge; answers {access_token, id_token, ...} with a real
//   RS256 ID token signed by its own key, or Google's {error, error_description} with 400/401.
// - GET /oauth2/v3/certs: the JWKS, with Cache-Control: public, max-age=<jwksMaxAge>.
// Knobs: the claims of the next sign-in (nextSignIn), ID tokens made on demand (idToken) that are
// expired, for another audience, badly signed, from an unknown key, with email_verified false or
// an hd claim; key rotation (rotateKey: a new kid signs from then on); request counters.
//
// What it does not fake: consent and account choice, refresh tokens, userinfo, revocation,
// nonce checks, at_hash.

import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export const GOOGLE_ISSUER = 'https://accounts.google.com';
const CODE_TTL_MS = 5 * 60_000;

const b64url = (buffer) => Buffer.from(buffer).toString('base64url');

async function newKey() {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const kid = randomBytes(20).toString('hex');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, jwk };
}

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

// A Google-like user: sub is a 21-digit number as Google's are.
export function googleUser(overrides = {}) {
  const sub = overrides.sub ?? String(100000000000000000000n + BigInt('0x' + randomBytes(8).toString('hex')));
  const email = overrides.email ?? `user-${randomBytes(4).toString('hex')}@gmail.example`;
  return { sub, email, email_verified: true, name: 'Grace Hopper', picture: 'https://lh3.googleusercontent.example/a/photo', ...overrides };
}

// opts: clientId, clientSecret, jwksMaxAge (seconds, default 3600), port (default: a free one).
export async function startFakeGoogle(opts = {}) {
  const clientId = opts.clientId ?? `${randomBytes(6).toString('hex')}.apps.googleusercontent.com`;
  const clientSecret = opts.clientSecret ?? `GOCSPX-${randomBytes(12).toString('base64url')}`;
  let jwksMaxAge = opts.jwksMaxAge ?? 3600;
  let current = await newKey();
  const published = [current]; // Google publishes the current and the previous key
  const codes = new Map(); // code → { clientId, redirectUri, challenge, signIn, expires }
  const queued = []; // next sign-ins: { user, token: {…idToken options}, deny }
  let defaultUser = googleUser();
  const counts = { discovery: 0, authorize: 0, token: 0, jwks: 0 };
  const tokenRequests = []; // parsed form bodies (for assertions; the secret is masked)

  const fake = {
    clientId,
    clientSecret,
    counts,
    tokenRequests,
    get url() { return baseUrl; },
    get discoveryUrl() { return `${baseUrl}/.well-known/openid-configuration`; },
    get kid() { return current.kid; },
    // The claims every sign-in uses unless one is queued.
    setUser(user) { defaultUser = user; },
    // Queues what the next authorization hands out: { user, token: idToken options, deny }.
    nextSignIn(signIn) { queued.push(signIn); },
    setJwksMaxAge(seconds) { jwksMaxAge = seconds; },
    // A new signing key; the old one stays published (like Google's overlap) unless dropOld.
    async rotateKey({ dropOld = false } = {}) {
      current = await newKey();
      published.unshift(current);
      published.length = dropOld ? 1 : Math.min(published.length, 2);
      return current.kid;
    },
    // A signed ID token for `user`. Options: aud, iss, expired, issuedInFuture, badSignature
    // (signed by a key that is not published, under the current kid), unknownKid, lifetime (s).
    async idToken(user = defaultUser, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const iat = options.expired ? now - 7200 : options.issuedInFuture ? now + 3600 : now;
      const exp = iat + (options.lifetime ?? 3600);
      const claims = { azp: clientId, at_hash: b64url(randomBytes(16)), ...user };
      let key = current;
      let kid = current.kid;
      if (options.badSignature) key = await newKey();
      if (options.unknownKid) {
        key = await newKey();
        kid = key.kid;
      }
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(options.iss ?? GOOGLE_ISSUER)
        .setAudience(options.aud ?? clientId)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key.privateKey);
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };

  async function authorize(url, res) {
    counts.authorize++;
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri');
    if (q.get('client_id') !== clientId || !redirectUri) {
      // Google shows an error page (no redirect) for an unknown client or redirect_uri.
      return send(res, 400, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
    }
    const back = new URL(redirectUri);
    const state = q.get('state');
    const signIn = queued.shift() ?? {};
    if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256'
        || !/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '') || signIn.deny) {
      back.searchParams.set('error', signIn.deny ? 'access_denied' : 'invalid_request');
    } else {
      const code = `4/0A${randomBytes(24).toString('base64url')}`;
      codes.set(code, {
        clientId, redirectUri, challenge: q.get('code_challenge'), scope: q.get('scope'),
        signIn, expires: Date.now() + CODE_TTL_MS,
      });
      back.searchParams.set('code', code);
      back.searchParams.set('scope', q.get('scope') ?? 'openid');
    }
    if (state !== null) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.toString() });
    res.end();
  }

  async function token(req, res) {
    counts.token++;
    const form = new URLSearchParams(await readBody(req));
    const params = Object.fromEntries(form);
    tokenRequests.push({ ...params, client_secret: params.client_secret ? '***' : undefined });
    let id = params.client_id;
    let secret = params.client_secret;
    const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
    if (basic) [id, secret] = Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent);
    if (id !== clientId || secret !== clientSecret) {
      return send(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
    }
    if (params.grant_type !== 'authorization_code') {
      return send(res, 400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: ' + params.grant_type });
    }
    const grant = codes.get(params.code);
    codes.delete(params.code); // single use, even when the rest is wrong
    if (!grant || grant.expires < Date.now()) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
    }
    if (params.redirect_uri !== grant.redirectUri) {
      return send(res, 400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' });
    }
    const challenge = b64url(createHash('sha256').update(params.code_verifier ?? '').digest());
    if (!params.code_verifier || challenge !== grant.challenge) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' });
    }
    const idToken = await fake.idToken(grant.signIn.user ?? defaultUser, grant.signIn.token ?? {});
    send(res, 200, {
      access_token: `ya29.${randomBytes(32).toString('base64url')}`,
      expires_in: 3599,
      scope: grant.scope ?? 'openid',
      token_type: 'Bearer',
      id_token: idToken,
    }, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url, baseUrl);
    const handle = async () => {
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        counts.discovery++;
        return send(res, 200, {
          issuer: GOOGLE_ISSUER,
          authorization_endpoint: `${baseUrl}/o/oauth2/v2/auth`,
          device_authorization_endpoint: `${baseUrl}/device/code`,
          token_endpoint: `${baseUrl}/token`,
          userinfo_endpoint: `${baseUrl}/v1/userinfo`,
          revocation_endpoint: `${baseUrl}/revoke`,
          jwks_uri: `${baseUrl}/oauth2/v3/certs`,
          response_types_supported: ['code', 'token', 'id_token', 'code token', 'code id_token', 'token id_token', 'code token id_token', 'none'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'email', 'profile'],
          token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
          claims_supported: ['aud', 'email', 'email_verified', 'exp', 'family_name', 'given_name', 'iat', 'iss', 'name', 'picture', 'sub'],
          code_challenge_methods_supported: ['plain', 'S256'],
          grant_types_supported: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
        }, { 'cache-control': 'public, max-age=3600' });
      }
      if (req.method === 'GET' && url.pathname === '/oauth2/v3/certs') {
        counts.jwks++;
        return send(res, 200, { keys: published.map((k) => k.jwk) },
          { 'cache-control': `public, max-age=${jwksMaxAge}, must-revalidate, no-transform` });
      }
      if (req.method === 'GET' && url.pathname === '/o/oauth2/v2/auth') return authorize(url, res);
      if (req.method === 'POST' && url.pathname === '/token') return token(req, res);
      send(res, 404, { error: 'not_found' });
    };
    handle().catch((error) => send(res, 500, { error: 'internal_failure', error_description: String(error) }));
  });
  await new Promise((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}`;
  server.unref();
  return fake;
}
