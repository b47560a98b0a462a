#!/usr/bin/env node
// SCIM 2.0 (RFC 7643 / RFC 7644) client conformance script.
//
//   SCIM_TOKEN=... node scim_client.mjs http://127.0.0.1:PORT/scim/v2/<tenant>
//   node scim_client.mjs --self-check        # against scim_reference_server.mjs
//
// Prints one JSON line per check: {"check": "...", "ok": true|false, "detail": "..."}
// and finally {"summary": {"passed": N, "failed": M}}. Exit code 0 only if all passed.
//
// Third-party validation uses the npm package "scimmy" (resolved from $UPCOACH_NPM_DIR,
// default <this dir>/../../scripts/npm): returned Users/Groups are coerced with
// SCIMMY.Schemas.{User,Group}.definition.coerce(..., "out") (User extended with
// EnterpriseUser), ListResponses with SCIMMY.Messages.ListResponse, errors with
// SCIMMY.Messages.ErrorResponse, the ServiceProviderConfig / ResourceTypes with
// SCIMMY.Schemas.ServiceProviderConfig / SCIMMY.Schemas.ResourceType, every filter
// string is parsed with SCIMMY.Types.Filter and every PatchOp body with SCIMMY.Messages.PatchOp.

import http from "node:http";
import https from "node:https";
import {spawn} from "node:child_process";
import {createRequire} from "node:module";
import {randomBytes} from "node:crypto";
import {readFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {createInterface} from "node:readline";
import {fileURLToPath, pathToFileURL} from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

// ---------------------------------------------------------------------------------------
// Module resolution: $UPCOACH_NPM_DIR (default <script dir>/../../scripts/npm)
// ---------------------------------------------------------------------------------------
async function loadScimmy() {
    const npmDir = resolve(process.env.UPCOACH_NPM_DIR || join(HERE, "..", "..", "scripts", "npm"));
    const req = createRequire(join(npmDir, "package.json"));
    const cjsEntry = req.resolve("scimmy");
    // Walk up to the package root and prefer the ESM entry declared in "exports".
    let dir = dirname(cjsEntry);
    while (dir !== dirname(dir)) {
        try {
            const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
            if (pkg.name === "scimmy") {
                const esm = pkg.exports?.["."]?.import?.default ?? pkg.exports?.["."]?.import;
                if (typeof esm === "string") return (await import(pathToFileURL(join(dir, esm)).href)).default;
                break;
            }
        } catch { /* keep walking */ }
        dir = dirname(dir);
    }
    const mod = await import(pathToFileURL(cjsEntry).href);
    return mod.default?.default ?? mod.default ?? mod;
}

const SCIMMY = await loadScimmy().catch((ex) => {
    process.stderr.write(`scim_client.mjs: cannot load the npm package "scimmy" (set UPCOACH_NPM_DIR to the directory holding node_modules/scimmy): ${ex.message}\n`);
    process.exit(2);
});
const {Schemas, Messages, Types} = SCIMMY;
// The User resource is validated together with the EnterpriseUser extension (not required).
Schemas.User.extend(Schemas.EnterpriseUser, false);

const URN = {
    user: "urn:ietf:params:scim:schemas:core:2.0:User",
    ent: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    group: "urn:ietf:params:scim:schemas:core:2.0:Group",
    list: "urn:ietf:params:scim:api:messages:2.0:ListResponse",
    patch: "urn:ietf:params:scim:api:messages:2.0:PatchOp",
    error: "urn:ietf:params:scim:api:messages:2.0:Error",
    spc: "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig",
    schema: "urn:ietf:params:scim:schemas:core:2.0:Schema",
    resourceType: "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
};
const RFC_SCIM_TYPES = ["invalidFilter", "tooMany", "uniqueness", "mutability", "invalidSyntax",
    "invalidPath", "noTarget", "invalidValue", "invalidVers", "sensitive"];
const SCIM_CT = "application/scim+json";
const REQUEST_TIMEOUT_MS = 15000;
const BODY_LIMIT = 1024 * 1024;

// ---------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------
function usage(msg) {
    if (msg) process.stderr.write(`scim_client.mjs: ${msg}\n`);
    process.stderr.write("usage: SCIM_TOKEN=<token> node scim_client.mjs <BASE_URL>\n"
        + "       node scim_client.mjs --self-check\n");
    process.exit(2);
}

async function startReferenceServer() {
    const token = randomBytes(16).toString("hex");
    const child = spawn(process.execPath, [join(HERE, "scim_reference_server.mjs")], {
        env: {...process.env, SCIM_TOKEN: token, PORT: "0", TENANT: "t1", SCIM_REF_EXIT_ON_STDIN_CLOSE: "1"},
        stdio: ["pipe", "pipe", "inherit"] // the server exits when our end of its stdin closes
    });
    const base = await new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error("reference server not ready within 10 s")), 10000);
        createInterface({input: child.stdout}).once("line", (line) => {
            clearTimeout(timer);
            try {
                const m = JSON.parse(line);
                if (m.ready && typeof m.base === "string") ok(m.base);
                else fail(new Error(`unexpected ready line: ${line}`));
            } catch { fail(new Error(`unexpected ready line: ${line}`)); }
        });
        child.once("exit", (code) => { clearTimeout(timer); fail(new Error(`reference server exited early (code ${code})`)); });
    });
    return {base, token, child};
}

const args = process.argv.slice(2);
let BASE, TOKEN, refChild;
if (args.length === 1 && args[0] === "--self-check") {
    try { ({base: BASE, token: TOKEN, child: refChild} = await startReferenceServer()); }
    catch (ex) { usage(`--self-check: ${ex.message}`); }
} else if (args.length === 1 && /^https?:\/\//i.test(args[0])) {
    BASE = args[0].replace(/\/+$/, "");
    TOKEN = process.env.SCIM_TOKEN;
    if (!TOKEN) usage("SCIM_TOKEN is not set");
} else usage(args.length ? `unexpected arguments: ${args.join(" ")}` : undefined);

const BASE_PATH = new URL(BASE).pathname.replace(/\/+$/, "");

// ---------------------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------------------
const keepAlive = {http: new http.Agent({keepAlive: true}), https: new https.Agent({keepAlive: true})};

/**
 * Perform a request relative to BASE. Resolves (never rejects) with
 * {method, path, status, headers, text, error}. status 0 means no response was read.
 * A response that arrives before the request body was fully written (e.g. an early 413)
 * is still reported even if the upload then fails.
 */
function request(method, path, {body, raw, headers = {}, token = TOKEN, fresh = false} = {}) {
    const url = new URL(BASE + path);
    const isHttps = url.protocol === "https:";
    const lib = isHttps ? https : http;
    const hdrs = {Accept: SCIM_CT, ...headers};
    if (token !== null) hdrs.Authorization = `Bearer ${token}`;
    let payload;
    if (raw !== undefined || body !== undefined) {
        payload = Buffer.from(raw !== undefined ? raw : JSON.stringify(body));
        hdrs["Content-Type"] = SCIM_CT;
        hdrs["Content-Length"] = payload.length;
    }
    let shownPath;
    try { shownPath = decodeURIComponent(path); } catch { shownPath = path; }
    const result = {method, path: shownPath, status: 0, headers: {}, text: "", error: undefined};
    return new Promise((done) => {
        let settled = false, gotResponse = false;
        const finish = () => { if (!settled) { settled = true; done(result); } };
        const req = lib.request(url, {
            method, headers: hdrs, agent: fresh ? false : keepAlive[isHttps ? "https" : "http"]
        }, (res) => {
            gotResponse = true;
            result.status = res.statusCode;
            result.headers = res.headers;
            const chunks = [];
            res.on("data", (c) => chunks.push(c));
            const end = () => { result.text = Buffer.concat(chunks).toString("utf8"); finish(); };
            res.on("end", end);
            res.on("close", end);
            res.on("error", end);
        });
        req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`timeout after ${REQUEST_TIMEOUT_MS} ms`)));
        req.on("error", (err) => {
            if (!gotResponse) { result.error = `${err.code ?? ""} ${err.message}`.trim(); finish(); }
        });
        req.end(payload);
    });
}

const qs = (params) => "?" + Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");

// ---------------------------------------------------------------------------------------
// Check runner and assertion helpers
// ---------------------------------------------------------------------------------------
let passed = 0, failed = 0;
class CheckError extends Error {}
const truncate = (s, n = 500) => (s.length > n ? `${s.slice(0, n)}...[${s.length - n} more chars]` : s);
const describe = (r) => `${r.method} ${r.path} -> ${r.status ? `HTTP ${r.status}` : `no response (${r.error})`}; body: ${truncate(r.text || "<empty>")}`;
const fail = (msg, r) => { throw new CheckError(r ? `${msg} [${describe(r)}]` : msg); };
const need = (value, what) => { if (!value) fail(`prerequisite missing: ${what} (an earlier check failed)`); return value; };

async function check(name, fn) {
    let ok = false, detail;
    try { detail = (await fn()) ?? "ok"; ok = true; }
    catch (ex) { detail = ex instanceof CheckError ? ex.message : `unexpected exception: ${ex?.stack ?? ex}`; }
    if (ok) passed++; else failed++;
    process.stdout.write(JSON.stringify({check: name, ok, detail: String(detail)}) + "\n");
    return ok;
}

function expectStatus(r, ...codes) {
    if (!codes.includes(r.status)) fail(`expected HTTP ${codes.join(" or ")}`, r);
}

function parseJson(r) {
    if (!r.text) fail("expected a JSON body, got an empty body", r);
    const ct = r.headers["content-type"] ?? "";
    if (!/^application\/scim\+json\s*(;|$)/i.test(ct)) fail(`expected Content-Type application/scim+json, got '${ct}'`, r);
    try { return JSON.parse(r.text); } catch (ex) { fail(`body is not valid JSON (${ex.message})`, r); }
}

function expectEmptyBody(r) {
    if (r.text.length) fail("expected an empty body", r);
}

function errorProblems(b, status, scimTypes) {
    const p = [];
    if (!b || typeof b !== "object") return ["error body is not a JSON object"];
    if (!Array.isArray(b.schemas) || !b.schemas.includes(URN.error)) p.push(`schemas must contain ${URN.error}`);
    if (b.status !== String(status)) p.push(`"status" must be the string "${status}" (got ${JSON.stringify(b.status)})`);
    if (typeof b.detail !== "string" || !b.detail.length) p.push(`"detail" missing`);
    if (b.scimType !== undefined && !RFC_SCIM_TYPES.includes(b.scimType)) p.push(`scimType ${JSON.stringify(b.scimType)} is not an RFC 7644 §3.12 keyword`);
    if (scimTypes && !scimTypes.includes(b.scimType)) p.push(`scimType must be ${scimTypes.map((s) => JSON.stringify(s)).join(" or ")} (got ${JSON.stringify(b.scimType)})`);
    try {
        // scimmy checks the status code is one of RFC 7644 §3.12 and (for 400/409) the scimType pairing.
        new Messages.ErrorResponse({status: Number(b.status), detail: b.detail,
            ...([400, 409].includes(Number(b.status)) && b.scimType ? {scimType: b.scimType} : {})});
    } catch (ex) { p.push(`scimmy ErrorResponse: ${ex.message}`); }
    return p;
}

function expectError(r, status, scimTypes) {
    expectStatus(r, status);
    const b = parseJson(r);
    const p = errorProblems(b, status, scimTypes);
    if (p.length) fail(p.join("; "), r);
    return b;
}

const isDateTime = (v) => typeof v === "string"
    && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(v) && !Number.isNaN(Date.parse(v));

/** Attributes (recursively) not declared by the scimmy schema definition. */
function undeclared(def, obj, schemasListed, prefix = "", ns = "") {
    const out = [];
    for (const [k, v] of Object.entries(obj)) {
        const path = prefix ? `${prefix}.${k}` : k;
        let a;
        try { a = def.attribute(path); }
        catch {
            // A server-specific extension that scimmy does not know is fine if it is listed in "schemas".
            if (!prefix && !ns && k.toLowerCase().startsWith("urn:") && schemasListed.some((s) => s.toLowerCase() === k.toLowerCase())) continue;
            out.push(`${ns}${path}`);
            continue;
        }
        if (a instanceof Types.SchemaDefinition) {
            if (v && typeof v === "object") out.push(...undeclared(a, v, schemasListed, "", `${a.id}:`));
        } else if (String(a.type) === "complex" && v && typeof v === "object") {
            for (const e of (Array.isArray(v) ? v : [v])) if (e && typeof e === "object") out.push(...undeclared(def, e, schemasListed, path, ns));
        }
    }
    return out;
}

/** Validate a returned User/Group resource. */
function resourceProblems(kind, b, r, {partial = false, single = false, created = false} = {}) {
    if (!b || typeof b !== "object" || Array.isArray(b)) return [`${kind} resource is not a JSON object`];
    const p = [];
    const def = Schemas[kind].definition;
    const coreUrn = kind === "User" ? URN.user : URN.group;
    try { def.coerce(b, "out"); } catch (ex) { p.push(`scimmy ${kind} schema rejected it: ${ex.message}`); }
    const listed = Array.isArray(b.schemas) ? b.schemas : [];
    const unknown = undeclared(def, b, listed);
    if (unknown.length) p.push(`attributes not declared by the ${kind} schema: ${unknown.join(", ")}`);
    if (typeof b.id !== "string" || !b.id.length) p.push("id missing or empty");
    if (Object.keys(b).some((k) => k.toLowerCase() === "password")) p.push("password returned (RFC 7643 §4.1.1: returned \"never\")");
    if (!partial || b.schemas !== undefined) {
        if (!listed.includes(coreUrn)) p.push(`schemas must contain ${coreUrn}`);
        for (const k of Object.keys(b)) if (k.toLowerCase().startsWith("urn:") && !listed.some((s) => s.toLowerCase() === k.toLowerCase()))
            p.push(`extension attribute container '${k}' is not listed in schemas`);
    }
    if (!partial || b.meta !== undefined) {
        const m = b.meta;
        if (!m || typeof m !== "object") p.push("meta missing");
        else {
            if (m.resourceType !== kind) p.push(`meta.resourceType is ${JSON.stringify(m.resourceType)}, expected "${kind}"`);
            for (const k of ["created", "lastModified"]) if (!isDateTime(m[k])) p.push(`meta.${k} missing or not an xsd:dateTime (${JSON.stringify(m[k])})`);
            let loc;
            try { loc = new URL(m.location); } catch { p.push(`meta.location ${JSON.stringify(m.location)} is not an absolute URI`); }
            if (loc && typeof b.id === "string") {
                const want = `${BASE_PATH}/${kind}s/${b.id}`;
                let got = loc.pathname;
                try { got = decodeURIComponent(got); } catch { /* keep raw */ }
                if (got !== want) p.push(`meta.location path ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
            }
            if (typeof m.version !== "string" || !/^W\/".*"$/.test(m.version)) p.push(`meta.version ${JSON.stringify(m.version)} is not a weak entity tag W/"..."`);
            const cl = r?.headers["content-location"];
            if (single && cl !== undefined && cl !== m.location) p.push(`Content-Location ${cl} != meta.location (RFC 7643 §3.1)`);
        }
    }
    if (single) {
        const etag = r.headers.etag;
        if (!etag) p.push("ETag header missing (etag.supported is true)");
        else if (etag !== b.meta?.version) p.push(`ETag header ${etag} != meta.version ${b.meta?.version}`);
    }
    if (created) {
        const loc = r.headers.location;
        if (!loc) p.push("Location header missing");
        else if (loc !== b.meta?.location) p.push(`Location header ${loc} != meta.location ${b.meta?.location}`);
    }
    return p;
}

function expectResource(kind, r, opts = {}) {
    const b = parseJson(r);
    const p = resourceProblems(kind, b, r, opts);
    if (p.length) fail(p.join("; "), r);
    return b;
}

function expectList(r, kind, {partial = false} = {}) {
    expectStatus(r, 200);
    const b = parseJson(r);
    const p = [];
    try { new Messages.ListResponse(b); } catch (ex) { p.push(`scimmy ListResponse rejected it: ${ex.message}`); }
    if (!Array.isArray(b.schemas) || b.schemas.length !== 1 || b.schemas[0] !== URN.list) p.push(`schemas must be exactly ["${URN.list}"]`);
    if (!Number.isInteger(b.totalResults)) p.push("totalResults missing or not an integer");
    if (b.Resources !== undefined && !Array.isArray(b.Resources)) p.push("Resources is not an array");
    if (b.totalResults > 0 && !Array.isArray(b.Resources)) p.push("Resources missing although totalResults > 0");
    if (kind) for (const [i, res] of (b.Resources ?? []).entries()) {
        const rp = resourceProblems(kind, res, r, {partial});
        if (rp.length) p.push(`Resources[${i}]: ${rp.join("; ")}`);
    }
    if (p.length) fail(p.join("; "), r);
    b.Resources = b.Resources ?? [];
    return b;
}

/** Recursive "expected is a subset of actual" comparison; arrays match element-wise in any order. */
function subsetProblems(expected, actual, path = "") {
    if (Array.isArray(expected)) {
        if (!Array.isArray(actual)) return [`${path}: expected an array, got ${JSON.stringify(actual)}`];
        if (actual.length !== expected.length) return [`${path}: expected ${expected.length} values, got ${actual.length}: ${JSON.stringify(actual)}`];
        return expected.flatMap((e, i) => actual.some((a) => !subsetProblems(e, a).length) ? [] : [`${path}[${i}]: ${JSON.stringify(e)} not found in ${JSON.stringify(actual)}`]);
    }
    if (expected && typeof expected === "object") {
        if (!actual || typeof actual !== "object") return [`${path}: expected an object, got ${JSON.stringify(actual)}`];
        return Object.entries(expected).flatMap(([k, v]) => subsetProblems(v, actual[k], path ? `${path}.${k}` : k));
    }
    return expected === actual ? [] : [`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

function expectSubset(expected, actual, r) {
    const p = subsetProblems(expected, actual);
    if (p.length) fail(p.join("; "), r);
}

/**
 * Parse a filter with scimmy's Filter (prove the syntax is standard). scimmy 1.3.5's string
 * parser is lenient ('userName eq' parses), so the parsed expression is re-validated through
 * the object form of SCIMMY.Types.Filter, and dangling logical operators are rejected.
 */
function scimmyFilter(str) {
    const parsed = new Types.Filter(str);
    new Types.Filter(JSON.parse(JSON.stringify([...parsed])));
    if (/\b(and|or|not)\s*$/i.test(str.trim()) || /^\s*(and|or)\b/i.test(str)) throw new TypeError("dangling logical operator");
    return parsed;
}

function patchBody(...operations) {
    const body = {schemas: [URN.patch], Operations: operations};
    new Messages.PatchOp(body); // scimmy validates the PatchOp message shape
    return body;
}

/** JSON with object keys sorted (array order kept), for order-independent comparison. */
const canonical = (v) => JSON.stringify(v, (k, x) => (x && typeof x === "object" && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((key) => [key, x[key]])) : x));
const ids = (list) => list.map((x) => x.id).sort();
const sameIds = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const memberIds = (g) => (g.members ?? []).map((m) => m.value).sort();
const isoSeconds = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

// ---------------------------------------------------------------------------------------
// Test data (unique per run)
// ---------------------------------------------------------------------------------------
const RUN = randomBytes(4).toString("hex");
const PREFIX = `scimc-${RUN}-`;
const FAMILY_PREFIX = `Zq${RUN}`;
const DOMAIN = `${RUN}.example.com`;

const userTemplates = {
    alice: {
        schemas: [URN.user, URN.ent],
        userName: `${PREFIX}alice`,
        externalId: `ext-${RUN}-alice`,
        name: {givenName: "Alice", familyName: `${FAMILY_PREFIX}Alpha`, formatted: `Alice ${FAMILY_PREFIX}Alpha`},
        displayName: `Alice ${RUN}`,
        emails: [{value: `alice@${DOMAIN}`, type: "work", primary: true}],
        active: true,
        [URN.ent]: {employeeNumber: "701984", department: "Tour Operations"}
    },
    bob: {
        schemas: [URN.user],
        userName: `${PREFIX}bob`,
        externalId: `ext-${RUN}-bob`,
        name: {givenName: "Bob", familyName: `${FAMILY_PREFIX}Beta`, formatted: `Bob ${FAMILY_PREFIX}Beta`},
        displayName: `Bob ${RUN}`,
        title: "Engineer",
        emails: [{value: `bob@${DOMAIN}`, type: "work", primary: true}],
        active: true
    },
    carol: {
        schemas: [URN.user],
        userName: `${PREFIX}carol`,
        externalId: `ext-${RUN}-carol`,
        name: {givenName: "Carol", familyName: `Other${RUN}`, formatted: `Carol Other${RUN}`},
        displayName: `Carol ${RUN}`,
        emails: [{value: `carol@${DOMAIN}`, type: "home"}],
        active: false
    }
};

const state = {users: {}, etags: {}, created: new Set(), deleted: new Set()};
const uid = (n) => state.users[n]?.id;

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------
async function authChecks() {
    const validate401 = (r) => {
        expectStatus(r, 401);
        if (r.text.length) { // RFC 7644 §3.12: the body MAY be an Error message
            const p = errorProblems(parseJson(r), 401);
            if (p.length) fail(p.join("; "), r);
        }
        return `401${r.text ? " with SCIM Error body" : " (empty body)"}${r.headers["www-authenticate"] ? "" : "; note: no WWW-Authenticate header (RFC 7235 §3.1)"}`;
    };
    await check("auth.missing_token_401", async () => validate401(await request("GET", "/Users", {token: null})));
    await check("auth.wrong_token_401", async () => validate401(await request("GET", "/Users", {token: `wrong-${RUN}`})));
}

async function discoveryChecks() {
    await check("discovery.service_provider_config", async () => {
        const r = await request("GET", "/ServiceProviderConfig");
        expectStatus(r, 200);
        const b = parseJson(r);
        const p = [];
        if (!Array.isArray(b.schemas) || !b.schemas.includes(URN.spc)) p.push(`schemas must contain ${URN.spc}`);
        try { new Schemas.ServiceProviderConfig(b); } catch (ex) { p.push(`scimmy ServiceProviderConfig schema rejected it: ${ex.message}`); }
        const want = {"patch.supported": true, "filter.supported": true, "sort.supported": true, "etag.supported": true,
            "bulk.supported": false, "changePassword.supported": false};
        for (const [path, v] of Object.entries(want)) {
            const [a, s] = path.split(".");
            if (b[a]?.[s] !== v) p.push(`${path} must be ${v} (got ${JSON.stringify(b[a]?.[s])})`);
        }
        if (!Number.isInteger(b.filter?.maxResults) || b.filter.maxResults < 1) p.push("filter.maxResults must be a positive integer");
        const schemes = Array.isArray(b.authenticationSchemes) ? b.authenticationSchemes : [];
        if (!schemes.length) p.push("authenticationSchemes is empty");
        if (!schemes.some((s) => String(s.type).toLowerCase() === "oauthbearertoken")) p.push('no authenticationSchemes entry of type "oauthbearertoken"');
        if (p.length) fail(p.join("; "), r);
        return `filter.maxResults=${b.filter.maxResults}; schemes=${schemes.map((s) => s.type).join(",")}`;
    });

    await check("discovery.schemas", async () => {
        const r = await request("GET", "/Schemas");
        const b = expectList(r);
        const p = [];
        for (const id of [URN.user, URN.ent, URN.group]) {
            const s = b.Resources.find((x) => x.id === id);
            if (!s) p.push(`schema ${id} missing`);
            else if (!Array.isArray(s.attributes) || !s.attributes.length) p.push(`schema ${id} has no attributes`);
        }
        if (p.length) fail(p.join("; "), r);
        return `${b.Resources.length} schemas`;
    });

    await check("discovery.schema_user", async () => {
        const r = await request("GET", `/Schemas/${URN.user}`);
        expectStatus(r, 200);
        const b = parseJson(r);
        const p = [];
        if (b.id !== URN.user) p.push(`id must be ${URN.user} (got ${JSON.stringify(b.id)})`);
        if (Array.isArray(b.schemas) && b.schemas.includes(URN.list)) p.push("returned a ListResponse instead of the single schema");
        if (b.schemas !== undefined && !(Array.isArray(b.schemas) && b.schemas.includes(URN.schema))) p.push(`schemas should contain ${URN.schema}`);
        const attrs = Array.isArray(b.attributes) ? b.attributes : [];
        const byName = (n) => attrs.find((a) => String(a.name).toLowerCase() === n.toLowerCase());
        for (const a of attrs) if (typeof a.name !== "string" || !["string", "boolean", "decimal", "integer", "dateTime", "binary", "reference", "complex"].includes(a.type))
            p.push(`attribute ${JSON.stringify(a.name)} has invalid name/type ${JSON.stringify(a.type)}`);
        for (const n of ["userName", "name", "displayName", "emails", "active", "groups"]) if (!byName(n)) p.push(`attribute ${n} not described`);
        const un = byName("userName");
        if (un && (un.type !== "string" || un.caseExact !== false || un.uniqueness !== "server" || un.required !== true))
            p.push(`userName must be {type:string, required:true, caseExact:false, uniqueness:server} (got ${JSON.stringify({type: un.type, required: un.required, caseExact: un.caseExact, uniqueness: un.uniqueness})})`);
        const em = byName("emails");
        if (em && (em.multiValued !== true || em.type !== "complex")) p.push("emails must be a multi-valued complex attribute");
        const gr = byName("groups");
        if (gr && gr.mutability !== "readOnly") p.push(`groups.mutability must be readOnly (got ${JSON.stringify(gr.mutability)})`);
        if (p.length) fail(p.join("; "), r);
        return `${attrs.length} attributes`;
    });

    await check("discovery.resource_types", async () => {
        const r = await request("GET", "/ResourceTypes");
        const b = expectList(r);
        const p = [];
        for (const rt of b.Resources) {
            try { new Schemas.ResourceType(rt); } catch (ex) { p.push(`scimmy ResourceType schema rejected ${JSON.stringify(rt.name)}: ${ex.message}`); }
        }
        const user = b.Resources.find((x) => x.name === "User");
        const group = b.Resources.find((x) => x.name === "Group");
        if (!user) p.push("ResourceType User missing");
        else {
            if (user.endpoint !== "/Users") p.push(`User endpoint must be "/Users" (got ${JSON.stringify(user.endpoint)})`);
            if (user.schema !== URN.user) p.push(`User schema must be ${URN.user}`);
            if (!(user.schemaExtensions ?? []).some((e) => e.schema === URN.ent)) p.push(`User schemaExtensions must contain ${URN.ent}`);
        }
        if (!group) p.push("ResourceType Group missing");
        else {
            if (group.endpoint !== "/Groups") p.push(`Group endpoint must be "/Groups" (got ${JSON.stringify(group.endpoint)})`);
            if (group.schema !== URN.group) p.push(`Group schema must be ${URN.group}`);
        }
        if (p.length) fail(p.join("; "), r);
        return b.Resources.map((x) => x.name).join(",");
    });
}

async function createUser(key) {
    const tpl = userTemplates[key];
    const r = await request("POST", "/Users", {body: tpl});
    if (r.status === 201 || r.status === 200) {
        try { const b = JSON.parse(r.text); if (b?.id) { state.created.add(`/Users/${b.id}`); state.users[key] = b; } } catch { /* reported below */ }
    }
    expectStatus(r, 201);
    const b = expectResource("User", r, {single: true, created: true});
    const {schemas, ...expected} = tpl;
    expectSubset(expected, b, r);
    if (b.id === tpl.userName || b.id === tpl.externalId) fail("id must be assigned by the service provider, not copied from userName/externalId", r);
    state.users[key] = b;
    state.etags[key] = r.headers.etag;
    return `id=${b.id} version=${b.meta.version}`;
}

async function userChecks() {
    state.t0 = Date.now();
    await check("users.create_full_user", () => createUser("alice"));
    await check("users.create_second_user", () => createUser("bob"));
    await check("users.create_third_user", () => createUser("carol"));

    await check("users.duplicate_username_409", async () => {
        need(uid("alice"), "user alice");
        const dup = {schemas: [URN.user], userName: userTemplates.alice.userName.toUpperCase(), displayName: `dup ${RUN}`};
        const r = await request("POST", "/Users", {body: dup});
        if (r.status === 201) try { state.created.add(`/Users/${JSON.parse(r.text).id}`); } catch { /* ignore */ }
        expectError(r, 409, ["uniqueness"]);
        return `409 uniqueness for ${dup.userName}`;
    });

    await check("users.get_by_id", async () => {
        const created = need(state.users.alice, "user alice");
        const r = await request("GET", `/Users/${created.id}`);
        expectStatus(r, 200);
        const b = expectResource("User", r, {single: true});
        const same = ["id", "userName", "externalId", "name", "displayName", "emails", "active", URN.ent]
            .filter((k) => canonical(created[k]) !== canonical(b[k]));
        for (const k of ["created", "lastModified", "version", "location"]) if (created.meta[k] !== b.meta[k]) same.push(`meta.${k}`);
        if (same.length) fail(`GET differs from the POST response in: ${same.join(", ")}`, r);
        return `version=${b.meta.version}`;
    });

    await check("users.get_unknown_404", async () => {
        const r = await request("GET", `/Users/does-not-exist-${RUN}`);
        expectError(r, 404);
        return "404";
    });

    await check("users.if_none_match_304", async () => {
        const u = need(state.users.alice, "user alice");
        const r = await request("GET", `/Users/${u.id}`, {headers: {"If-None-Match": u.meta.version}});
        expectStatus(r, 304);
        expectEmptyBody(r);
        if (r.headers.etag !== undefined && r.headers.etag !== u.meta.version) fail(`304 carries ETag ${r.headers.etag} != ${u.meta.version}`, r);
        const r2 = await request("GET", `/Users/${u.id}`, {headers: {"If-None-Match": `W/"stale-${RUN}"`}});
        expectStatus(r2, 200);
        expectResource("User", r2, {single: true});
        return `304 for ${u.meta.version}, 200 for a non-matching tag${r.headers.etag ? "" : "; note: 304 without ETag header (RFC 7232 §4.1)"}`;
    });
}

async function filterCheck(name, filter, expectKeys) {
    await check(name, async () => {
        for (const k of ["alice", "bob", "carol"]) need(uid(k), `user ${k}`);
        try { scimmyFilter(filter); } catch (ex) { fail(`client bug: scimmy rejects filter ${JSON.stringify(filter)}: ${ex.message}`); }
        const r = await request("GET", `/Users${qs({filter})}`);
        const b = expectList(r, "User");
        const want = expectKeys.map(uid);
        if (b.totalResults !== want.length) fail(`totalResults must be ${want.length} (got ${b.totalResults})`, r);
        if (!sameIds(ids(b.Resources), want)) fail(`expected users [${expectKeys.join(", ")}]`, r);
        return `totalResults=${b.totalResults} for ${filter}`;
    });
}

async function filterChecks() {
    const a = userTemplates.alice;
    await filterCheck("filter.username_eq", `userName eq "${a.userName}"`, ["alice"]);
    await filterCheck("filter.username_eq_case_insensitive", `userName eq "${a.userName.toUpperCase()}"`, ["alice"]);
    await filterCheck("filter.emails_complex_value_filter", `emails[type eq "work" and value co "@${DOMAIN}"]`, ["alice", "bob"]);
    await filterCheck("filter.name_family_name_sw", `name.familyName sw "${FAMILY_PREFIX}"`, ["alice", "bob"]);
    // "a time before the POST": client clock before the first POST, but never later than the server's own meta.created.
    const serverCreated = Date.parse(state.users.alice?.meta?.created ?? "");
    const before = isoSeconds(Math.min(state.t0, Number.isNaN(serverCreated) ? state.t0 : serverCreated) - 1000);
    await filterCheck("filter.meta_last_modified_gt", `meta.lastModified gt "${before}" and userName sw "${PREFIX}"`, ["alice", "bob", "carol"]);
    await filterCheck("filter.active_and_not_title_pr", `active eq true and not (title pr) and userName sw "${PREFIX}"`, ["alice"]);
    await filterCheck("filter.grouped_or_and", `(userName ew "${RUN}-alice" or displayName co "${RUN}") and active eq true`, ["alice", "bob"]);
    await filterCheck("filter.external_id_eq", `externalId eq "${a.externalId}"`, ["alice"]);
    await filterCheck("filter.external_id_case_exact", `externalId eq "${a.externalId.toUpperCase()}"`, []);
}

async function listChecks() {
    await check("list.sort_and_paginate", async () => {
        for (const k of ["alice", "bob", "carol"]) need(uid(k), `user ${k}`);
        const filter = `userName sw "${PREFIX}"`;
        scimmyFilter(filter);
        const r = await request("GET", `/Users${qs({filter, sortBy: "userName", sortOrder: "descending", startIndex: 2, count: 1})}`);
        const b = expectList(r, "User");
        const p = [];
        if (b.totalResults !== 3) p.push(`totalResults must be 3 (got ${b.totalResults})`);
        if (b.itemsPerPage !== 1) p.push(`itemsPerPage must be 1 (got ${b.itemsPerPage})`);
        if (b.startIndex !== 2) p.push(`startIndex must be 2 (got ${b.startIndex})`);
        if (b.Resources.length !== 1) p.push(`expected exactly 1 resource (got ${b.Resources.length})`);
        else if (b.Resources[0].id !== uid("bob")) p.push(`expected ${userTemplates.bob.userName} (2nd of carol, bob, alice), got ${b.Resources[0].userName}`);
        if (p.length) fail(p.join("; "), r);
        // Page 2 of 1 is the middle user in ascending, descending and unsorted order alike,
        // so also look at pages that tell the orders apart.
        const order = async (params, wantKeys) => {
            const rr = await request("GET", `/Users${qs({filter, sortBy: "userName", ...params})}`);
            const bb = expectList(rr, "User");
            const want = wantKeys.map(uid), got = bb.Resources.map((x) => x.id);
            if (JSON.stringify(got) !== JSON.stringify(want)) fail(`expected users in order [${wantKeys.join(", ")}]`, rr);
            if (bb.totalResults !== 3 || bb.startIndex !== params.startIndex) fail("totalResults must be 3 and startIndex echoed", rr);
        };
        await order({sortOrder: "descending", startIndex: 1, count: 2}, ["carol", "bob"]);
        await order({startIndex: 1, count: 1}, ["alice"]); // sortOrder defaults to ascending (RFC 7644 §3.4.2.3)
        return `page 2 = ${b.Resources[0].userName}; descending page 1/2 = carol,bob; ascending page 1/1 = alice`;
    });

    await check("list.attributes_projection", async () => {
        for (const k of ["alice", "bob", "carol"]) need(uid(k), `user ${k}`);
        const r = await request("GET", `/Users${qs({filter: `userName sw "${PREFIX}"`, attributes: "userName"})}`);
        const b = expectList(r, "User", {partial: true});
        if (b.totalResults !== 3 || b.Resources.length !== 3) fail(`expected 3 resources (totalResults=${b.totalResults}, returned ${b.Resources.length})`, r);
        for (const res of b.Resources) {
            const extra = Object.keys(res).filter((k) => !["id", "userName", "schemas", "meta"].includes(k));
            if (typeof res.id !== "string" || typeof res.userName !== "string") fail("each resource must carry id and userName", r);
            if (extra.length) fail(`attributes=userName returned extra attributes: ${extra.join(", ")}`, r);
        }
        return "only id/userName (+schemas/meta) returned";
    });

    await check("list.excluded_attributes", async () => {
        for (const k of ["alice", "bob", "carol"]) need(uid(k), `user ${k}`);
        const r = await request("GET", `/Users${qs({filter: `userName sw "${PREFIX}"`, excludedAttributes: "emails"})}`);
        const b = expectList(r, "User", {partial: true});
        if (b.totalResults !== 3 || b.Resources.length !== 3) fail(`expected 3 resources (totalResults=${b.totalResults}, returned ${b.Resources.length})`, r);
        for (const res of b.Resources) {
            if ("emails" in res) fail("excludedAttributes=emails still returned emails", r);
            if (typeof res.id !== "string" || typeof res.userName !== "string") fail("id/userName must still be returned", r);
        }
        return "no emails returned";
    });
}

async function putChecks() {
    await check("users.put_replace", async () => {
        const u = need(state.users.alice, "user alice");
        const body = {...userTemplates.alice, displayName: `Alice Replaced ${RUN}`};
        const r = await request("PUT", `/Users/${u.id}`, {body});
        expectStatus(r, 200);
        const b = expectResource("User", r, {single: true});
        const {schemas, ...expected} = body;
        expectSubset(expected, b, r);
        if (b.id !== u.id) fail("id changed on PUT", r);
        if (b.meta.version === u.meta.version) fail(`version did not change (${b.meta.version})`, r);
        if (b.meta.created !== u.meta.created) fail("meta.created changed on PUT", r);
        state.staleEtag = u.meta.version;
        state.users.alice = b;
        return `version ${u.meta.version} -> ${b.meta.version}`;
    });

    await check("users.put_stale_if_match_412", async () => {
        const u = need(state.users.alice, "user alice");
        const stale = need(state.staleEtag, "old ETag from users.put_replace");
        const r = await request("PUT", `/Users/${u.id}`, {body: {...userTemplates.alice, displayName: `must-not-apply ${RUN}`}, headers: {"If-Match": stale}});
        expectStatus(r, 412);
        if (r.text.length) { const p = errorProblems(parseJson(r), 412); if (p.length) fail(p.join("; "), r); }
        const g = await request("GET", `/Users/${u.id}`);
        expectStatus(g, 200);
        const cur = expectResource("User", g, {single: true});
        if (cur.displayName !== u.displayName || cur.meta.version !== u.meta.version) fail("the rejected PUT was applied anyway", g);
        return `412 for If-Match ${stale}`;
    });
}

async function patchStep(name, ops, verify) {
    await check(name, async () => {
        const u = need(state.users.alice, "user alice");
        const r = await request("PATCH", `/Users/${u.id}`, {body: patchBody(...ops)});
        expectStatus(r, 200);
        const b = expectResource("User", r, {single: true});
        if (b.id !== u.id) fail("PATCH returned a different resource", r);
        if (b.meta.version === u.meta.version) fail(`version did not change (${b.meta.version})`, r);
        verify(b, r);
        state.users.alice = b;
        return `version ${u.meta.version} -> ${b.meta.version}`;
    });
}

async function patchChecks() {
    const workV2 = `alice.work2@${DOMAIN}`, home = `alice.home@${RUN}.example.net`;
    const emailsOf = (b) => (Array.isArray(b.emails) ? b.emails : []);
    await patchStep("patch.replace_display_name", [{op: "replace", path: "displayName", value: `Alice Patched ${RUN}`}], (b, r) => {
        if (b.displayName !== `Alice Patched ${RUN}`) fail("displayName not replaced", r);
    });
    await patchStep("patch.add_home_email", [{op: "add", path: "emails", value: [{value: home, type: "home"}]}], (b, r) => {
        const e = emailsOf(b);
        if (e.length !== 2 || !e.some((x) => x.type === "home" && x.value === home) || !e.some((x) => x.type === "work" && x.value === `alice@${DOMAIN}`))
            fail("emails must now hold the original work email and the new home email", r);
    });
    await patchStep("patch.replace_work_email_value", [{op: "replace", path: 'emails[type eq "work"].value', value: workV2}], (b, r) => {
        const e = emailsOf(b), work = e.find((x) => x.type === "work");
        if (e.length !== 2 || work?.value !== workV2) fail(`work email value must be ${workV2} and the home email kept`, r);
        if (work.primary !== true) fail("replacing emails[type eq \"work\"].value must not drop the work email's primary flag", r);
        if (!e.some((x) => x.type === "home" && x.value === home)) fail("home email lost", r);
    });
    await patchStep("patch.remove_home_email", [{op: "remove", path: 'emails[type eq "home"]'}], (b, r) => {
        const e = emailsOf(b);
        if (e.length !== 1 || e[0].type !== "work" || e[0].value !== workV2) fail("only the (updated) work email must remain", r);
    });
    await patchStep("patch.entra_no_path_replace", [{op: "Replace", value: {active: false}}], (b, r) => {
        if (b.active !== false) fail("active must be false", r);
    });
    await check("patch.entra_no_path_replace_persisted", async () => {
        const u = need(state.users.alice, "user alice");
        const r = await request("GET", `/Users/${u.id}`);
        expectStatus(r, 200);
        const b = expectResource("User", r, {single: true});
        if (b.active !== false) fail("GET after PATCH must show active false", r);
        if (b.meta.version !== u.meta.version) fail(`GET version ${b.meta.version} != PATCH response version ${u.meta.version}`, r);
        return "active=false";
    });
}

async function errorChecks() {
    await check("errors.patch_unknown_attribute_400", async () => {
        const u = need(state.users.alice, "user alice");
        const r = await request("PATCH", `/Users/${u.id}`, {body: patchBody({op: "replace", path: `favoriteColor${RUN}`, value: "blue"})});
        const b = expectError(r, 400, ["invalidPath", "noTarget"]);
        return `400 ${b.scimType}`;
    });

    await check("errors.malformed_filter_400", async () => {
        need(uid("alice"), "user alice");
        const filter = "userName eq";
        let rejected = false;
        try { scimmyFilter(filter); } catch { rejected = true; }
        if (!rejected) fail("client bug: scimmy accepted the malformed filter");
        const r = await request("GET", `/Users${qs({filter})}`);
        expectError(r, 400, ["invalidFilter"]);
        return "400 invalidFilter";
    });

    await check("errors.body_too_large_413", async () => {
        const body = {schemas: [URN.user], userName: `toolarge-${RUN}`, displayName: "x".repeat(BODY_LIMIT + 64 * 1024)};
        const r = await request("POST", "/Users", {body, fresh: true});
        if (r.status === 201) try { state.created.add(`/Users/${JSON.parse(r.text).id}`); } catch { /* ignore */ }
        if (!r.status) fail("no readable response to an oversized body (the server must answer 413 and drain or lingering-close the connection)", r);
        expectError(r, 413);
        return `413 for a ${JSON.stringify(body).length}-byte body`;
    });

    await check("errors.invalid_json_400", async () => {
        const r = await request("POST", "/Users", {raw: `{"schemas":["${URN.user}"],"userName":"broken-${RUN}",`});
        if (r.status === 201) try { state.created.add(`/Users/${JSON.parse(r.text).id}`); } catch { /* ignore */ }
        expectError(r, 400, ["invalidSyntax"]);
        return "400 invalidSyntax";
    });
}

async function groupChecks() {
    const displayName = `${PREFIX}group`;
    const validateMembers = (g, r) => {
        for (const m of g.members ?? []) {
            if (typeof m.value !== "string") fail("member without value", r);
            if (typeof m.display !== "string" || !m.display.length) fail(`member ${m.value} has no display`, r);
            let ref;
            try { ref = new URL(m.$ref, BASE + "/"); } catch { fail(`member ${m.value} $ref ${JSON.stringify(m.$ref)} is not a URI`, r); }
            if (typeof m.$ref !== "string" || !decodeURIComponent(ref.pathname).endsWith(`/Users/${m.value}`)) fail(`member ${m.value} $ref ${JSON.stringify(m.$ref)} does not point to /Users/${m.value}`, r);
            if (m.type !== undefined && m.type !== "User") fail(`member ${m.value} type must be "User"`, r);
        }
    };
    const getGroup = async () => {
        const r = await request("GET", `/Groups/${need(state.group?.id, "group")}`);
        expectStatus(r, 200);
        const g = expectResource("Group", r, {single: true});
        validateMembers(g, r);
        return [g, r];
    };

    await check("groups.create", async () => {
        const a = need(uid("alice"), "user alice"), b = need(uid("bob"), "user bob");
        const body = {schemas: [URN.group], displayName, members: [{value: a}, {value: b}]};
        const r = await request("POST", "/Groups", {body});
        if (r.status === 201) try { const g = JSON.parse(r.text); if (g?.id) { state.created.add(`/Groups/${g.id}`); state.group = g; } } catch { /* ignore */ }
        expectStatus(r, 201);
        const g = expectResource("Group", r, {single: true, created: true});
        state.group = g;
        if (g.displayName !== displayName) fail("displayName differs", r);
        if (!sameIds(memberIds(g), [a, b])) fail("members must be user alice and user bob", r);
        return `id=${g.id}`;
    });

    await check("groups.get_members", async () => {
        const [g, r] = await getGroup();
        if (!sameIds(memberIds(g), [uid("alice"), uid("bob")])) fail("members must be user alice and user bob", r);
        return "members carry value, display and $ref";
    });

    await check("groups.user_groups_attribute", async () => {
        const gid = need(state.group?.id, "group");
        const r = await request("GET", `/Users/${need(uid("alice"), "user alice")}`);
        expectStatus(r, 200);
        const u = expectResource("User", r, {single: true});
        const entry = (u.groups ?? []).find((x) => x.value === gid);
        if (!entry) fail(`User.groups must contain {"value": "${gid}"}`, r);
        if (entry.$ref !== undefined) {
            let ref;
            try { ref = new URL(entry.$ref, BASE + "/"); } catch { /* checked below */ }
            if (!ref || !decodeURIComponent(ref.pathname).endsWith(`/Groups/${gid}`)) fail(`groups[].$ref ${JSON.stringify(entry.$ref)} does not point to /Groups/${gid}`, r);
        }
        return `groups=${JSON.stringify(u.groups.map((x) => x.value))}`;
    });

    const groupPatch = async (ops, wantKeys) => {
        const before = need(state.group, "group");
        const r = await request("PATCH", `/Groups/${before.id}`, {body: patchBody(...ops)});
        expectStatus(r, 200, 204); // RFC 7644 §3.5.2: 200 with the resource, or 204
        if (r.status === 200) {
            const g = expectResource("Group", r, {single: true});
            validateMembers(g, r);
            if (!sameIds(memberIds(g), wantKeys.map(uid))) fail(`members must be [${wantKeys.join(", ")}]`, r);
        } else expectEmptyBody(r);
        const [g, gr] = await getGroup();
        if (!sameIds(memberIds(g), wantKeys.map(uid))) fail(`members must be [${wantKeys.join(", ")}]`, gr);
        if (g.meta.version === before.meta.version) fail(`group version did not change (${g.meta.version})`, gr);
        state.group = g;
        return `HTTP ${r.status}; members=[${wantKeys.join(", ")}]`;
    };

    await check("groups.patch_add_member", async () =>
        groupPatch([{op: "add", path: "members", value: [{value: need(uid("carol"), "user carol")}]}], ["alice", "bob", "carol"]));

    await check("groups.patch_remove_member", async () =>
        groupPatch([{op: "remove", path: `members[value eq "${need(uid("bob"), "user bob")}"]`}], ["alice", "carol"]));

    await check("groups.filter_display_name", async () => {
        const gid = need(state.group?.id, "group");
        const filter = `displayName eq "${displayName}"`;
        scimmyFilter(filter);
        const r = await request("GET", `/Groups${qs({filter})}`);
        const b = expectList(r, "Group");
        if (b.totalResults !== 1 || b.Resources.length !== 1 || b.Resources[0].id !== gid) fail(`expected exactly the group ${gid}`, r);
        return "totalResults=1";
    });
}

async function deleteChecks() {
    await check("users.delete", async () => {
        const id = need(uid("carol"), "user carol");
        const r = await request("DELETE", `/Users/${id}`);
        expectStatus(r, 204);
        expectEmptyBody(r);
        state.deleted.add(`/Users/${id}`);
        return "204";
    });

    await check("users.get_deleted_404", async () => {
        const id = need(state.deleted.has(`/Users/${uid("carol")}`) && uid("carol"), "deleted user carol");
        expectError(await request("GET", `/Users/${id}`), 404);
        return "404";
    });

    await check("groups.member_removed_with_user", async () => {
        const gid = need(state.group?.id, "group");
        need(state.deleted.has(`/Users/${uid("carol")}`), "deleted user carol");
        const r = await request("GET", `/Groups/${gid}`);
        expectStatus(r, 200);
        const g = expectResource("Group", r, {single: true});
        if (!sameIds(memberIds(g), [uid("alice")])) fail("after deleting carol the members must be [alice]", r);
        return "members=[alice]";
    });

    await check("groups.delete", async () => {
        const gid = need(state.group?.id, "group");
        const r = await request("DELETE", `/Groups/${gid}`);
        expectStatus(r, 204);
        expectEmptyBody(r);
        state.deleted.add(`/Groups/${gid}`);
        expectError(await request("GET", `/Groups/${gid}`), 404);
        return "204, then GET 404";
    });

    await check("cleanup.delete_users", async () => {
        const done = [];
        for (const k of ["alice", "bob"]) {
            const id = need(uid(k), `user ${k}`);
            const r = await request("DELETE", `/Users/${id}`);
            expectStatus(r, 204);
            expectEmptyBody(r);
            state.deleted.add(`/Users/${id}`);
            done.push(k);
        }
        return `deleted ${done.join(", ")}`;
    });
}

// ---------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------
let exitCode = 1;
try {
    await authChecks();
    await discoveryChecks();
    await userChecks();
    await filterChecks();
    await listChecks();
    await putChecks();
    await patchChecks();
    await errorChecks();
    await groupChecks();
    await deleteChecks();
    // Best effort: remove anything an aborted/failed check left behind (not reported as checks).
    for (const path of state.created) if (!state.deleted.has(path)) await request("DELETE", path);
    process.stdout.write(JSON.stringify({summary: {passed, failed}}) + "\n");
    exitCode = failed === 0 && passed > 0 ? 0 : 1;
} finally {
    refChild?.kill("SIGTERM");
    keepAlive.http.destroy();
    keepAlive.https.destroy();
}
process.exit(exitCode);
