#!/usr/bin/env node
// OpenID Provider used by the OIDC relying-party interop tests.
//
// A real OP (npm `oidc-provider`) configured for automated testing:
//   * code flow only, PKCE S256 mandatory for every client;
//   * no HTML: the interaction URL logs the configured account in on a plain
//     GET and the OP auto-consents to whatever the client asked for;
//   * one signing key per algorithm (RS256, PS256, ES256, EdDSA), rotatable at
//     runtime through a test control endpoint.
//
// Usage: node oidc_op.mjs CONFIG.json
// See tests/interop/README.md (section "oidc_op.mjs") for the full contract.
//
// stdout carries exactly one line, {"ready":true,"issuer":"http://127.0.0.1:PORT"};
// everything else goes to stderr.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

// oidc-provider prints its NOTICEs with console.info, i.e. to stdout. stdout is
// reserved for the ready line, so route every console writer to stderr before
// the library is loaded.
console.log = console.info = console.debug = console.error.bind(console);

const EXIT_CONFIG = 2;
const SIGNING_ALGS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
const SCOPES = ['openid', 'email', 'profile', 'groups'];
const INTERACTION_PATH = /^\/interaction\/([^/]+)\/?$/;

function log(...args) {
  console.error('[oidc_op]', ...args);
}

function configError(message) {
  console.error(`oidc_op: config error: ${message}`);
  process.exit(EXIT_CONFIG);
}

// ---------------------------------------------------------------------------
// Packages live in scripts/npm/node_modules, not next to this script.

async function importPackage(name) {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const npmDir = process.env.UPCOACH_NPM_DIR || path.join(here, '..', '..', 'scripts', 'npm');
  const require = createRequire(path.join(path.resolve(npmDir), 'package.json'));
  let resolved;
  try {
    resolved = require.resolve(name);
  } catch (err) {
    throw new Error(`cannot resolve npm package '${name}' from ${path.resolve(npmDir)} (set UPCOACH_NPM_DIR): ${err.message.split('\n')[0]}`);
  }
  return import(pathToFileURL(resolved).href);
}

// ---------------------------------------------------------------------------
// Configuration

function isStringArray(value) {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function loadConfig(file) {
  if (!file) configError('usage: node oidc_op.mjs CONFIG.json');
  let cfg;
  try {
    cfg = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    configError(`cannot read ${file}: ${err.message}`);
  }
  if (cfg === null || typeof cfg !== 'object' || Array.isArray(cfg)) configError('top level must be an object');

  const port = cfg.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) configError('"port" must be an integer 0..65535');

  if (!Array.isArray(cfg.clients) || cfg.clients.length === 0) configError('"clients" must be a non-empty array');
  const clients = cfg.clients.map((c, i) => {
    const where = `clients[${i}]`;
    if (c === null || typeof c !== 'object') configError(`${where} must be an object`);
    if (typeof c.client_id !== 'string' || !c.client_id) configError(`${where}.client_id must be a non-empty string`);
    if (!isStringArray(c.redirect_uris) || c.redirect_uris.length === 0) {
      configError(`${where}.redirect_uris must be a non-empty array of strings`);
    }
    const method = c.token_endpoint_auth_method ?? 'client_secret_basic';
    if (!AUTH_METHODS.includes(method)) configError(`${where}.token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}`);
    const alg = c.id_token_signed_response_alg ?? 'RS256';
    if (!SIGNING_ALGS.includes(alg)) configError(`${where}.id_token_signed_response_alg must be one of ${SIGNING_ALGS.join(', ')}`);

    const metadata = {
      client_id: c.client_id,
      redirect_uris: c.redirect_uris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: method,
      id_token_signed_response_alg: alg,
    };
    if (method === 'private_key_jwt') {
      if (!c.jwks || !Array.isArray(c.jwks.keys) || c.jwks.keys.length === 0) {
        configError(`${where}.jwks (public JWKS with at least one key) is required for private_key_jwt`);
      }
      metadata.jwks = c.jwks;
    } else {
      if (typeof c.client_secret !== 'string' || !c.client_secret) {
        configError(`${where}.client_secret is required for ${method}`);
      }
      metadata.client_secret = c.client_secret;
    }
    return metadata;
  });

  const account = cfg.account;
  if (account === null || typeof account !== 'object' || typeof account.sub !== 'string' || !account.sub) {
    configError('"account.sub" must be a non-empty string');
  }
  if (account.groups !== undefined && !isStringArray(account.groups)) configError('"account.groups" must be an array of strings');
  if (cfg.amr !== undefined && !isStringArray(cfg.amr)) configError('"amr" must be an array of strings');
  if (cfg.acr !== undefined && (typeof cfg.acr !== 'string' || !cfg.acr)) configError('"acr" must be a non-empty string');

  return { port, clients, account, amr: cfg.amr, acr: cfg.acr };
}

// ---------------------------------------------------------------------------
// Signing keys: one private JWK per algorithm, each with its own kid.

const generateKeyPair = promisify(crypto.generateKeyPair);

async function generateSigningKey(alg) {
  let pair;
  switch (alg) {
    case 'RS256':
    case 'PS256':
      pair = await generateKeyPair('rsa', { modulusLength: 2048 });
      break;
    case 'ES256':
      pair = await generateKeyPair('ec', { namedCurve: 'P-256' });
      break;
    case 'EdDSA':
      pair = await generateKeyPair('ed25519');
      break;
    default:
      throw new Error(`unsupported alg ${alg}`);
  }
  const jwk = pair.privateKey.export({ format: 'jwk' });
  // `alg` pins each key to one algorithm, so oidc-provider picks exactly this
  // key for clients using that algorithm (RS256 and PS256 keys are separate
  // RSA keys so rotating one leaves the other untouched).
  return { ...jwk, kid: `${alg.toLowerCase()}-${crypto.randomBytes(6).toString('hex')}`, use: 'sig', alg };
}

// ---------------------------------------------------------------------------
// Adapter. oidc-provider's keystore is fixed when a Provider is constructed, so
// key rotation builds a new Provider. All stateful data (sessions,
// interactions, codes, access tokens, replay detection) lives in this
// module-level store, which every Provider instance shares, so flows and tokens
// survive a rotation.

const store = new Map(); // `${model}:${id}` -> { payload, expiresAt (ms) }

class SharedMemoryAdapter {
  constructor(model) {
    this.model = model;
    this.prefix = `${model}:`;
  }

  #live(key) {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      store.delete(key);
      return undefined;
    }
    return entry;
  }

  #findBy(field, value) {
    for (const key of store.keys()) {
      if (!key.startsWith(this.prefix)) continue;
      const entry = this.#live(key);
      if (entry && entry.payload[field] === value) return entry.payload;
    }
    return undefined;
  }

  async upsert(id, payload, expiresIn) {
    const expiresAt = typeof expiresIn === 'number' ? Date.now() + expiresIn * 1000 : Infinity;
    store.set(this.prefix + id, { payload, expiresAt });
  }

  async find(id) {
    return this.#live(this.prefix + id)?.payload;
  }

  async findByUid(uid) {
    return this.#findBy('uid', uid);
  }

  async findByUserCode(userCode) {
    return this.#findBy('userCode', userCode);
  }

  async consume(id) {
    const entry = this.#live(this.prefix + id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id) {
    store.delete(this.prefix + id);
  }

  async revokeByGrantId(grantId) {
    for (const [key, entry] of store) {
      if (key.startsWith(this.prefix) && entry.payload.grantId === grantId) store.delete(key);
    }
  }
}

// ---------------------------------------------------------------------------
// Last token request, as received (before oidc-provider judged it).

let lastTokenRequest = null;

function decodeJwtPart(part) {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

function describeTokenRequest(ctx) {
  const body = ctx.oidc?.body ?? {};
  const methods = [];
  let clientId;
  let assertion;

  const authz = ctx.get('authorization');
  if (/^basic /i.test(authz)) {
    methods.push('client_secret_basic');
    const decoded = Buffer.from(authz.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
    try {
      clientId = decodeURIComponent(user.replace(/\+/g, ' '));
    } catch {
      clientId = user;
    }
  }
  if (typeof body.client_assertion === 'string') {
    const [h, p] = body.client_assertion.split('.');
    const header = decodeJwtPart(h) ?? {};
    const payload = decodeJwtPart(p) ?? {};
    // Symmetric (HS*) assertions are client_secret_jwt, anything else private_key_jwt.
    methods.push(/^HS/.test(header.alg ?? '') ? 'client_secret_jwt' : 'private_key_jwt');
    assertion = {
      type: body.client_assertion_type,
      alg: header.alg,
      kid: header.kid,
      iss: payload.iss,
      sub: payload.sub,
      aud: payload.aud,
    };
    clientId ??= body.client_id ?? payload.sub ?? payload.iss;
  }
  if (typeof body.client_secret === 'string') methods.push('client_secret_post');
  clientId ??= body.client_id;

  let authMethod = 'none';
  if (methods.length === 1) [authMethod] = methods;
  else if (methods.length > 1) authMethod = 'multiple';

  return {
    auth_method: authMethod,
    ...(methods.length > 1 ? { auth_methods: methods } : {}),
    client_id: clientId ?? null,
    grant_type: body.grant_type ?? null,
    ...(assertion ? { client_assertion: assertion } : {}),
    status: ctx.status,
    ...(ctx.body?.error ? { error: ctx.body.error } : {}),
  };
}

// ---------------------------------------------------------------------------
// Provider

function buildProviderConfig(cfg, jwks, cookieKeys) {
  const { account } = cfg;
  const claims = {
    sub: account.sub,
    ...Object.fromEntries(
      ['email', 'email_verified', 'name', 'given_name', 'family_name', 'groups']
        .filter((k) => account[k] !== undefined)
        .map((k) => [k, account[k]]),
    ),
  };

  return {
    adapter: SharedMemoryAdapter,
    clients: cfg.clients,
    jwks: { keys: jwks },
    cookies: {
      // Shared by all Provider instances so cookies survive a key rotation.
      keys: cookieKeys,
      // No `secure` here: oidc-provider adds Secure only when ctx.secure is
      // true, which on plain http://127.0.0.1 (with proxy=false) it never is.
    },
    scopes: SCOPES,
    claims: {
      // acr/amr/auth_time are attached to the `openid` scope so they are
      // released in every ID token without the client having to use the
      // claims parameter or acr_values.
      openid: ['sub', 'auth_time', 'amr', ...(cfg.acr ? ['acr'] : [])],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      groups: ['groups'],
    },
    ...(cfg.acr ? { acrValues: [cfg.acr] } : {}),
    // Default (true) puts scope claims only into userinfo whenever an access
    // token is issued; the RP under test reads them from the ID token.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: AUTH_METHODS,
    pkce: { required: () => true }, // S256 is the only method oidc-provider 9 supports
    // Explicit lifetimes (seconds); the defaults are functions that log a
    // NOTICE on every use.
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 3600,
      Interaction: 600,
      Session: 3600,
    },
    enabledJWA: { idTokenSigningAlgValues: SIGNING_ALGS },
    features: {
      devInteractions: { enabled: false }, // we serve our own, HTML-free interaction
    },
    interactions: {
      url: (ctx, interaction) => `${ctx.oidc.issuer}/interaction/${interaction.uid}`,
    },
    // Auto-consent: grant every OIDC scope/claim the authorization request asks
    // for, so no consent interaction is ever needed.
    async loadExistingGrant(ctx) {
      const { oidc } = ctx;
      const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
      let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      grant ??= new oidc.provider.Grant({ accountId: oidc.account.accountId, clientId: oidc.client.clientId });
      if (oidc.requestParamOIDCScopes.size) grant.addOIDCScope(oidc.requestParamOIDCScopes);
      if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    async findAccount(_ctx, id) {
      if (id !== account.sub) return undefined;
      return { accountId: id, claims: async () => ({ ...claims }) };
    },
    // JSON instead of the default HTML error page.
    async renderError(ctx, out) {
      ctx.type = 'json';
      ctx.body = out;
    },
  };
}

// Completes whatever interaction the provider asks for without any UI.
async function interactionMiddleware(provider, cfg, ctx, next) {
  const match = INTERACTION_PATH.exec(ctx.path);
  if (!match || ctx.method !== 'GET') return next();

  try {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== match[1]) throw new Error('interaction cookie does not match the URL');
    const { prompt, params, session } = details;

    let result;
    switch (prompt.name) {
      case 'login':
        result = { login: { accountId: cfg.account.sub, amr: cfg.amr, acr: cfg.acr, remember: true } };
        break;
      case 'consent': {
        // Normally unreachable thanks to loadExistingGrant; kept as a fallback.
        const grant = (details.grantId && await provider.Grant.find(details.grantId))
          || new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
        const { missingOIDCScope, missingOIDCClaims } = prompt.details;
        if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
        if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
        result = { consent: { grantId: await grant.save() } };
        break;
      }
      default:
        result = { error: 'access_denied', error_description: `unsupported prompt ${prompt.name}` };
    }

    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
    ctx.status = 303;
    ctx.redirect(returnTo);
  } catch (err) {
    log(`interaction ${ctx.path} failed: ${err.message}`);
    ctx.status = 400;
    ctx.body = { error: 'invalid_request', error_description: err.message };
  }
}

async function createProvider(Provider, issuer, cfg, jwks, cookieKeys) {
  const provider = new Provider(issuer, buildProviderConfig(cfg, jwks, cookieKeys));
  // Do not trust X-Forwarded-*: we are always reached directly over plain http.
  provider.proxy = false;

  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'token') {
      lastTokenRequest = describeTokenRequest(ctx);
      log(`token request: ${JSON.stringify(lastTokenRequest)}`);
    }
  });
  provider.use((ctx, next) => interactionMiddleware(provider, cfg, ctx, next));

  for (const event of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error', 'jwks.error']) {
    provider.on(event, (ctx, err) => {
      const detail = err?.error_description ? ` (${err.error_description})` : '';
      log(`${event}: ${err?.message ?? err}${detail}${err?.cause ? ` cause: ${err.cause.message}` : ''}`);
    });
  }

  // Static clients are validated lazily; force it now so a bad client is a
  // startup (config) error rather than a failure in the middle of a test.
  for (const { client_id: id } of cfg.clients) {
    await provider.Client.find(id);
  }
  return provider;
}

// ---------------------------------------------------------------------------
// HTTP front: test control endpoints, then the current Provider.

function sendJson(res, status, body) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(data);
}

async function main() {
  const cfg = loadConfig(process.argv[2]);
  const { default: Provider } = await importPackage('oidc-provider');

  const keys = new Map();
  for (const alg of SIGNING_ALGS) keys.set(alg, await generateSigningKey(alg));
  const cookieKeys = [crypto.randomBytes(32).toString('base64url')];

  let handler = null; // current provider.callback(); null until listening
  let provider = null;
  let rotation = Promise.resolve();

  async function rotate(alg) {
    const key = await generateSigningKey(alg);
    const nextKeys = new Map(keys).set(alg, key);
    const next = await createProvider(Provider, provider.issuer, cfg, [...nextKeys.values()], cookieKeys);
    keys.set(alg, key);
    provider = next;
    handler = next.callback();
    log(`rotated ${alg}: new kid ${key.kid}`);
    return key.kid;
  }

  async function control(req, res, url) {
    if (url.pathname === '/__test/rotate') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
      const alg = url.searchParams.get('alg');
      if (!SIGNING_ALGS.includes(alg)) return sendJson(res, 400, { error: `alg must be one of ${SIGNING_ALGS.join(', ')}` });
      // Serialise rotations; each builds on the key set the previous one left.
      const result = rotation.then(() => rotate(alg));
      rotation = result.catch(() => {});
      return sendJson(res, 200, { kid: await result });
    }
    if (url.pathname === '/__test/last-token-request') {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET' });
      if (!lastTokenRequest) return sendJson(res, 404, { error: 'no token request received yet' });
      return sendJson(res, 200, lastTokenRequest);
    }
    return sendJson(res, 404, { error: 'unknown test endpoint' });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname.startsWith('/__test/')) {
      control(req, res, url).catch((err) => {
        log(`control ${url.pathname} failed: ${err.stack}`);
        if (!res.headersSent) sendJson(res, 500, { error: err.message });
      });
      return;
    }
    if (!handler) return sendJson(res, 503, { error: 'not ready' });
    return handler(req, res);
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(cfg.port, '127.0.0.1', resolve);
  }).catch((err) => {
    console.error(`oidc_op: cannot listen on 127.0.0.1:${cfg.port}: ${err.message}`);
    process.exit(1);
  });
  server.on('error', (err) => log(`server error: ${err.message}`));

  const issuer = `http://127.0.0.1:${server.address().port}`;
  try {
    provider = await createProvider(Provider, issuer, cfg, [...keys.values()], cookieKeys);
  } catch (err) {
    configError(err.error_description ? `${err.message}: ${err.error_description}` : err.message);
  }
  handler = provider.callback();

  let stopping = false;
  function shutdown(reason) {
    if (stopping) return;
    stopping = true;
    log(`shutting down (${reason})`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 1000).unref();
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // Never outlive the test that started us: it holds our stdin open.
  if (process.env.OIDC_OP_IGNORE_STDIN !== '1') {
    process.stdin.on('end', () => shutdown('stdin closed'));
    process.stdin.on('error', () => shutdown('stdin error'));
    process.stdin.resume();
  }

  process.stdout.write(`${JSON.stringify({ ready: true, issuer })}\n`);
  log(`listening, issuer ${issuer}, kids: ${[...keys.values()].map((k) => k.kid).join(' ')}`);
}

main().catch((err) => {
  console.error(`oidc_op: fatal: ${err.stack ?? err}`);
  process.exit(1);
});
