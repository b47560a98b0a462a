#!/usr/bin/env node
// Self-check for oidc_op.mjs: starts the OP as a child process and drives the
// full authorization-code + PKCE flow with plain Node (fetch, a hand-rolled
// cookie jar, `jose` for JWT work) for every client authentication method and
// ID-token algorithm, then exercises the test control endpoints and the
// process-lifetime contract (stdin close, SIGTERM, config errors).
//
// Usage (from the repository root): node tests/interop/oidc_op_selfcheck.mjs
// Exit code 0 on success; on failure a "SELF-CHECK FAILED" message (plus the
// OP's stderr) and exit code 1. OIDC_OP_SELFCHECK_VERBOSE=1 also prints the
// OP's stderr on success.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OP_SCRIPT = path.join(HERE, 'oidc_op.mjs');
const TOTAL_TIMEOUT_MS = 28_000;
const SCOPE = 'openid email profile groups';

async function importPackage(name) {
  const npmDir = process.env.UPCOACH_NPM_DIR || path.join(HERE, '..', '..', 'scripts', 'npm');
  const require = createRequire(path.join(path.resolve(npmDir), 'package.json'));
  let resolved;
  try {
    resolved = require.resolve(name);
  } catch (err) {
    throw new Error(`cannot resolve npm package '${name}' from ${path.resolve(npmDir)} (set UPCOACH_NPM_DIR): ${err.message.split('\n')[0]}`);
  }
  return import(pathToFileURL(resolved).href);
}

const jose = await importPackage('jose').catch((err) => {
  console.error(`SELF-CHECK FAILED: ${err.message}`);
  process.exit(1);
});

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function checkEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

function step(message) {
  console.log(`  ok  ${message}`);
}

// ---------------------------------------------------------------------------
// Minimal cookie jar: name/value/path, honours deletions. Enough for the
// provider's _session, _interaction and _interaction_resume (+ .sig) cookies.

class CookieJar {
  #cookies = new Map(); // `${path}\0${name}` -> { name, value, path }

  store(response, requestUrl) {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let cookiePath = '/';
      let expired = value === '';
      for (const attr of attrs) {
        const [k, v = ''] = attr.split('=');
        const key = k.toLowerCase();
        if (key === 'path') cookiePath = v || '/';
        if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
        if (key === 'max-age' && Number(v) <= 0) expired = true;
      }
      check(!attrs.some((a) => a.toLowerCase() === 'secure'), `cookie ${name} from ${requestUrl} is Secure over plain http`);
      const id = `${cookiePath}\0${name}`;
      if (expired) this.#cookies.delete(id);
      else this.#cookies.set(id, { name, value, path: cookiePath });
    }
  }

  header(url) {
    const { pathname } = new URL(url);
    const matching = [...this.#cookies.values()].filter((c) => pathname === c.path
      || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`));
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}

// Follows redirects by hand (fetch's redirect handling would drop cookies)
// until the Location points at the client's redirect_uri, which is not fetched.
async function followToRedirectUri(startUrl, redirectUri, jar) {
  let url = startUrl;
  const hops = [];
  for (let i = 0; i < 10; i += 1) {
    const headers = {};
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    const res = await fetch(url, { redirect: 'manual', headers });
    jar.store(res, url);
    hops.push(`${res.status} ${new URL(url).pathname}`);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      const body = await res.text();
      throw new Error(`expected a redirect from ${url}, got ${res.status}: ${body.slice(0, 300)} (hops: ${hops.join(' -> ')})`);
    }
    await res.arrayBuffer().catch(() => {});
    const next = new URL(location, url);
    if (`${next.origin}${next.pathname}` === redirectUri) return { location: next, hops };
    url = next.href;
  }
  throw new Error(`too many redirects: ${hops.join(' -> ')}`);
}

// ---------------------------------------------------------------------------
// OP process handling

function startOp(configFile, { env } = {}) {
  const child = spawn(process.execPath, [OP_SCRIPT, configFile], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const state = { child, stdout: '', stderr: '', exit: null };
  child.stdout.setEncoding('utf8').on('data', (d) => { state.stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d) => { state.stderr += d; });
  state.exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      state.exit = { code, signal };
      resolve(state.exit);
    });
  });
  state.ready = new Promise((resolve, reject) => {
    const onData = () => {
      const nl = state.stdout.indexOf('\n');
      if (nl < 0) return;
      child.stdout.off('data', onData);
      try {
        resolve(JSON.parse(state.stdout.slice(0, nl)));
      } catch {
        reject(new Error(`ready line is not JSON: ${state.stdout.slice(0, nl)}`));
      }
    };
    child.stdout.on('data', onData);
    state.exited.then((e) => reject(new Error(`OP exited before ready: ${JSON.stringify(e)}`)));
    setTimeout(() => reject(new Error('OP not ready within 10s')), 10_000).unref();
  });
  return state;
}

function waitExit(op, ms, what) {
  return Promise.race([
    op.exited,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: OP did not exit within ${ms} ms`)), ms).unref()),
  ]);
}

// ---------------------------------------------------------------------------
// Config

const ACCOUNT = {
  sub: 'user-1234',
  email: 'alice@example.test',
  email_verified: true,
  name: 'Alice Example',
  given_name: 'Alice',
  family_name: 'Example',
  groups: ['upcoach-admins', 'upcoach-users'],
};
const AMR = ['pwd', 'mfa'];
const ACR = 'urn:upcoach:acr:mfa';

async function clientKey(alg) {
  const { publicKey, privateKey } = await jose.generateKeyPair(alg, { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: `client-${alg.toLowerCase()}`, alg, use: 'sig' };
  return { privateKey, jwk };
}

async function makeClients() {
  const eddsa = await clientKey('EdDSA');
  const ps256 = await clientKey('PS256');
  const cb = (id) => `http://127.0.0.1:9/callback/${id}`; // never fetched
  return [
    { client_id: 'rp-basic-rs256', client_secret: crypto.randomBytes(24).toString('base64url'), redirect_uris: [cb('basic')], token_endpoint_auth_method: 'client_secret_basic', id_token_signed_response_alg: 'RS256' },
    { client_id: 'rp-post-es256', client_secret: crypto.randomBytes(24).toString('base64url'), redirect_uris: [cb('post')], token_endpoint_auth_method: 'client_secret_post', id_token_signed_response_alg: 'ES256' },
    { client_id: 'rp-pkjwt-eddsa', redirect_uris: [cb('pkjwt-eddsa')], token_endpoint_auth_method: 'private_key_jwt', id_token_signed_response_alg: 'EdDSA', jwks: { keys: [eddsa.jwk] }, key: eddsa },
    // Not strictly required by the brief; covers the PS256 OP key and an RSA client assertion.
    { client_id: 'rp-pkjwt-ps256', redirect_uris: [cb('pkjwt-ps256')], token_endpoint_auth_method: 'private_key_jwt', id_token_signed_response_alg: 'PS256', jwks: { keys: [ps256.jwk] }, key: ps256 },
  ];
}

// ---------------------------------------------------------------------------
// One flow

async function getJson(url, init, what) {
  const res = await fetch(url, init);
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${what}: ${res.status} non-JSON response: ${text.slice(0, 300)}`);
  }
  return { status: res.status, body, headers: res.headers };
}

async function runFlow(disco, client, jar = new CookieJar()) {
  const state = crypto.randomBytes(12).toString('base64url');
  const nonce = crypto.randomBytes(12).toString('base64url');
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = client.redirect_uris[0];

  const auth = new URL(disco.authorization_endpoint);
  auth.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    scope: SCOPE,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const { location, hops } = await followToRedirectUri(auth.href, redirectUri, jar);
  const params = location.searchParams;
  check(!params.has('error'), `${client.client_id}: authorization error ${params.get('error')}: ${params.get('error_description')}`);
  checkEqual(params.get('state'), state, `${client.client_id}: state`);
  check(params.get('code'), `${client.client_id}: no code in ${location.href}`);
  if (params.has('iss')) checkEqual(params.get('iss'), disco.issuer, `${client.client_id}: iss response parameter`);

  // Token exchange with the client's own authentication method.
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  switch (client.token_endpoint_auth_method) {
    case 'client_secret_basic': {
      // RFC 6749 2.3.1: form-urlencode id and secret before base64.
      const enc = (s) => encodeURIComponent(s).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${enc(client.client_id)}:${enc(client.client_secret)}`).toString('base64')}`;
      break;
    }
    case 'client_secret_post':
      form.set('client_id', client.client_id);
      form.set('client_secret', client.client_secret);
      break;
    case 'private_key_jwt': {
      // RFC 7523 client assertion, aud = token endpoint.
      const assertion = await new jose.SignJWT({})
        .setProtectedHeader({ alg: client.key.jwk.alg, kid: client.key.jwk.kid })
        .setIssuer(client.client_id)
        .setSubject(client.client_id)
        .setAudience(disco.token_endpoint)
        .setJti(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime('2m')
        .sign(client.key.privateKey);
      form.set('client_id', client.client_id);
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', assertion);
      break;
    }
    default:
      throw new Error(`unknown auth method ${client.token_endpoint_auth_method}`);
  }
  const token = await getJson(disco.token_endpoint, { method: 'POST', headers, body: form }, 'token');
  check(token.status === 200, `${client.client_id}: token endpoint ${token.status}: ${JSON.stringify(token.body)}`);
  check(token.body.id_token && token.body.access_token, `${client.client_id}: token response lacks id_token/access_token`);

  // Verify the ID token against the OP's current JWKS (fetched fresh, so a
  // rotation is seen immediately), pinning the client's algorithm.
  const jwks = (await getJson(disco.jwks_uri, {}, 'jwks')).body;
  const alg = client.id_token_signed_response_alg;
  const { payload, protectedHeader } = await jose.jwtVerify(token.body.id_token, jose.createLocalJWKSet(jwks), {
    algorithms: [alg],
    issuer: disco.issuer,
    audience: client.client_id,
  }).catch((err) => { throw new Error(`${client.client_id}: ID token verification failed: ${err.message}`); });
  const id = client.client_id;
  checkEqual(protectedHeader.alg, alg, `${id}: id_token alg`);
  checkEqual(payload.nonce, nonce, `${id}: nonce`);
  checkEqual(payload.sub, ACCOUNT.sub, `${id}: sub`);
  for (const claim of ['email', 'email_verified', 'name', 'given_name', 'family_name', 'groups']) {
    checkEqual(payload[claim], ACCOUNT[claim], `${id}: id_token ${claim}`);
  }
  checkEqual(payload.amr, AMR, `${id}: id_token amr`);
  checkEqual(payload.acr, ACR, `${id}: id_token acr`);
  check(Number.isInteger(payload.auth_time), `${id}: id_token auth_time missing`);

  const userinfo = await getJson(disco.userinfo_endpoint, { headers: { authorization: `Bearer ${token.body.access_token}` } }, 'userinfo');
  check(userinfo.status === 200, `${id}: userinfo ${userinfo.status}: ${JSON.stringify(userinfo.body)}`);
  for (const claim of ['sub', 'email', 'email_verified', 'name', 'given_name', 'family_name', 'groups']) {
    checkEqual(userinfo.body[claim], ACCOUNT[claim], `${id}: userinfo ${claim}`);
  }

  const last = await getJson(`${disco.issuer}/__test/last-token-request`, {}, 'last-token-request');
  checkEqual(last.body.auth_method, client.token_endpoint_auth_method, `${id}: last-token-request auth_method`);
  checkEqual(last.body.client_id, client.client_id, `${id}: last-token-request client_id`);

  step(`${id}: ${hops.length} hops, ${client.token_endpoint_auth_method}, ${alg} id_token kid=${protectedHeader.kid}, claims+userinfo+last-token-request`);
  return { kid: protectedHeader.kid, accessToken: token.body.access_token, hops: hops.length };
}

function dumpStderr(ops) {
  for (const op of ops) {
    if (op.stderr) process.stderr.write(`--- OP stderr (pid ${op.child.pid}) ---\n${op.stderr}\n`);
  }
}

// ---------------------------------------------------------------------------

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-op-selfcheck-'));
  const clients = await makeClients();
  const config = {
    port: 0,
    clients: clients.map(({ key, ...c }) => c),
    account: ACCOUNT,
    amr: AMR,
    acr: ACR,
  };
  const configFile = path.join(tmp, 'config.json');
  fs.writeFileSync(configFile, JSON.stringify(config, null, 2));

  const ops = [];
  try {
    const op = startOp(configFile);
    ops.push(op);
    const ready = await op.ready;
    check(/^http:\/\/127\.0\.0\.1:\d+$/.test(ready.issuer) && ready.ready === true, `bad ready line ${JSON.stringify(ready)}`);
    checkEqual(op.stdout, `${JSON.stringify({ ready: true, issuer: ready.issuer })}\n`, 'ready line');
    step(`OP ready at ${ready.issuer}`);

    const disco = (await getJson(`${ready.issuer}/.well-known/openid-configuration`, {}, 'discovery')).body;
    checkEqual(disco.issuer, ready.issuer, 'discovery issuer');
    checkEqual(disco.response_types_supported, ['code'], 'response_types_supported');
    checkEqual(disco.code_challenge_methods_supported, ['S256'], 'code_challenge_methods_supported');
    for (const s of SCOPE.split(' ')) check(disco.scopes_supported.includes(s), `scope ${s} not in scopes_supported`);
    for (const a of ['RS256', 'PS256', 'ES256', 'EdDSA']) {
      check(disco.id_token_signing_alg_values_supported.includes(a), `${a} not in id_token_signing_alg_values_supported`);
    }
    const jwks0 = (await getJson(disco.jwks_uri, {}, 'jwks')).body;
    checkEqual(jwks0.keys.map((k) => k.alg).sort(), ['ES256', 'EdDSA', 'PS256', 'RS256'], 'JWKS algs');
    check(jwks0.keys.every((k) => k.use === 'sig' && k.kid && !k.d), 'JWKS keys must be public, use=sig, with kid');
    check(new Set(jwks0.keys.map((k) => k.kid)).size === 4, 'JWKS kids must be distinct');
    step('discovery + JWKS');

    // PKCE is mandatory: a request without code_challenge comes back as an error.
    {
      const c = clients[0];
      const auth = new URL(disco.authorization_endpoint);
      auth.search = new URLSearchParams({ response_type: 'code', client_id: c.client_id, redirect_uri: c.redirect_uris[0], scope: SCOPE, state: 's', nonce: 'n' });
      const { location } = await followToRedirectUri(auth.href, c.redirect_uris[0], new CookieJar());
      checkEqual(location.searchParams.get('error'), 'invalid_request', 'authorization without PKCE');
      step(`authorization without PKCE rejected (${location.searchParams.get('error_description')})`);
    }

    const results = {};
    const jars = {};
    for (const client of clients) {
      jars[client.client_id] = new CookieJar();
      results[client.client_id] = await runFlow(disco, client, jars[client.client_id]);
    }

    // A failed token request is recorded as well.
    {
      const c = clients[0];
      const res = await getJson(disco.token_endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${c.client_id}:wrong-secret`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: 'bogus', redirect_uri: c.redirect_uris[0], code_verifier: 'x'.repeat(43) }),
      }, 'token (bad secret)');
      checkEqual([res.status, res.body.error], [401, 'invalid_client'], 'token request with a wrong secret');
      const last = (await getJson(`${disco.issuer}/__test/last-token-request`, {}, 'last-token-request')).body;
      checkEqual([last.auth_method, last.client_id, last.status, last.error], ['client_secret_basic', c.client_id, 401, 'invalid_client'], 'last-token-request after a failed request');
      step('wrong client secret -> 401 invalid_client, recorded by last-token-request');
    }

    // Rotation of the RS256 key.
    const rs = clients[0];
    const oldKid = results[rs.client_id].kid;
    const rot = await getJson(`${ready.issuer}/__test/rotate?alg=RS256`, { method: 'POST' }, 'rotate');
    check(rot.status === 200 && rot.body.kid, `rotate: ${rot.status} ${JSON.stringify(rot.body)}`);
    check(rot.body.kid !== oldKid, 'rotate returned the old kid');
    const after = await runFlow(disco, rs);
    checkEqual(after.kid, rot.body.kid, 'kid of ID token after rotation');
    const jwks1 = (await getJson(disco.jwks_uri, {}, 'jwks')).body;
    const kids1 = jwks1.keys.map((k) => k.kid);
    check(!kids1.includes(oldKid), `old RS256 kid ${oldKid} still in JWKS`);
    check(kids1.includes(rot.body.kid), 'new RS256 kid not in JWKS');
    for (const k of jwks0.keys.filter((k) => k.alg !== 'RS256')) check(kids1.includes(k.kid), `${k.alg} kid changed by RS256 rotation`);
    // State survives the Provider rebuild: a pre-rotation access token still works.
    const ui = await fetch(disco.userinfo_endpoint, { headers: { authorization: `Bearer ${results[clients[1].client_id].accessToken}` } });
    check(ui.status === 200, `pre-rotation access token rejected after rotation: ${ui.status}`);
    step(`RS256 rotated ${oldKid} -> ${rot.body.kid}; old kid gone from JWKS, other keys kept, old access token still valid`);

    // SSO: the session cookie from before the rotation skips the interaction.
    const sso = await runFlow(disco, rs, jars[rs.client_id]);
    checkEqual(sso.hops, 1, 'redirect hops with an existing session');
    step('existing session (pre-rotation cookies) -> straight redirect to redirect_uri');

    // Nothing but the ready line on stdout, and closing stdin ends the OP.
    op.child.stdin.end();
    const exit = await waitExit(op, 5000, 'stdin close');
    checkEqual(exit, { code: 0, signal: null }, 'exit after stdin close');
    checkEqual(op.stdout, `${JSON.stringify({ ready: true, issuer: ready.issuer })}\n`, 'stdout (must hold only the ready line)');
    step('stdout held only the ready line; OP exited 0 on stdin close');

    // SIGTERM ends it cleanly too.
    const op2 = startOp(configFile);
    ops.push(op2);
    await op2.ready;
    op2.child.kill('SIGTERM');
    checkEqual(await waitExit(op2, 5000, 'SIGTERM'), { code: 0, signal: null }, 'exit after SIGTERM');
    step('OP exited 0 on SIGTERM');

    // Config errors: message on stderr, exit code 2, nothing on stdout.
    const badFile = path.join(tmp, 'bad.json');
    fs.writeFileSync(badFile, JSON.stringify({ ...config, clients: [{ client_id: 'x', redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'client_secret_basic' }] }));
    const op3 = startOp(badFile);
    ops.push(op3);
    op3.ready.catch(() => {});
    checkEqual(await waitExit(op3, 5000, 'config error'), { code: 2, signal: null }, 'exit code on config error');
    check(op3.stdout === '' && /config error/.test(op3.stderr), `config error: stdout=${JSON.stringify(op3.stdout)} stderr=${JSON.stringify(op3.stderr)}`);
    step(`config error -> exit 2 (${op3.stderr.trim().split('\n').pop()})`);
  } catch (err) {
    dumpStderr(ops);
    throw err;
  } finally {
    if (process.env.OIDC_OP_SELFCHECK_VERBOSE === '1') dumpStderr(ops);
    for (const op of ops) if (!op.exit) op.child.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const timer = setTimeout(() => {
  console.error(`SELF-CHECK FAILED: did not finish within ${TOTAL_TIMEOUT_MS / 1000}s`);
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

const started = Date.now();
console.log('oidc_op self-check');
try {
  await main();
  clearTimeout(timer);
  console.log(`PASS (${((Date.now() - started) / 1000).toFixed(1)}s)`);
} catch (err) {
  console.error(`SELF-CHECK FAILED: ${err.message}`);
  process.exit(1);
}
