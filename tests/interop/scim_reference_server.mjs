#!/usr/bin/env node
// Minimal in-memory SCIM 2.0 (RFC 7643/7644) reference server, built on scimmy's
// resource/schema machinery. It exists ONLY to prove that scim_client.mjs is
// correct (`node scim_client.mjs --self-check`); it is not a product server.
//
//   SCIM_TOKEN=secret PORT=0 TENANT=t1 node scim_reference_server.mjs
//   -> prints {"ready":true,"base":"http://127.0.0.1:PORT/scim/v2/t1"} on stdout
//   Exits on SIGTERM/SIGINT, and on stdin EOF when SCIM_REF_EXIT_ON_STDIN_CLOSE=1.
//
// Behaviour that scimmy 1.3.5 does not provide is implemented by hand below:
// bearer auth, body size limit (413), JSON syntax errors, ETag / If-Match /
// If-None-Match, userName uniqueness, caseExact-aware filtering, strict filter
// syntax validation, group membership back-references (User.groups).

import http from "node:http";
import {createRequire} from "node:module";
import {randomUUID} from "node:crypto";
import {readFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath, pathToFileURL} from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

// --- module resolution (same scheme as scim_client.mjs) ----------------------
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
    process.stderr.write(`scim_reference_server.mjs: cannot load the npm package "scimmy" (set UPCOACH_NPM_DIR to the directory holding node_modules/scimmy): ${ex.message}\n`);
    process.exit(2);
});
const {Resources, Schemas, Messages, Config, Types} = SCIMMY;

const TOKEN = process.env.SCIM_TOKEN || "reference-token";
const TENANT = process.env.TENANT || "t1";
const PORT = Number(process.env.PORT ?? 0);
const MAX_BODY = 1024 * 1024; // 1 MiB
const PREFIX = `/scim/v2/${TENANT}`;
const SCIM_CT = "application/scim+json";
const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

Config.set({
    patch: true, filter: 200, sort: true, etag: true, bulk: false, changePassword: false,
    authenticationSchemes: [{
        type: "oauthbearertoken", name: "OAuth Bearer Token",
        description: "Authentication scheme using the OAuth Bearer Token Standard",
        specUri: "https://www.rfc-editor.org/info/rfc6750"
    }]
});

// --- in-memory store -----------------------------------------------------------
let versionCounter = 0;
const nextVersion = () => `W/"${++versionCounter}"`;
const users = new Map();   // id -> {data, meta}
const groups = new Map();  // id -> {data, meta}
let base = "";             // absolute base URL, set after listen()

const plain = (x) => JSON.parse(JSON.stringify(x));
const stripServerAttrs = (d) => { const o = {...d}; delete o.id; delete o.meta; delete o.groups; return o; };

function userOut(id) {
    const rec = users.get(id);
    const memberOf = [...groups.entries()].filter(([, g]) => (g.data.members ?? []).some((m) => m.value === id))
        .map(([gid, g]) => ({value: gid, display: g.data.displayName, $ref: `${base}/Groups/${gid}`, type: "direct"}));
    return {...plain(rec.data), id, meta: {...rec.meta}, ...(memberOf.length ? {groups: memberOf} : {})};
}

function groupOut(id) {
    const rec = groups.get(id);
    const data = plain(rec.data);
    if (data.members?.length) data.members = data.members.map(({value}) => ({
        value, display: users.get(value)?.data.displayName ?? users.get(value)?.data.userName,
        $ref: `${base}/Users/${value}`, type: "User"
    }));
    else delete data.members;
    return {...data, id, meta: {...rec.meta}};
}

function touch(rec) {
    rec.meta.lastModified = new Date().toISOString();
    rec.meta.version = nextVersion();
}

// --- caseExact-aware filtering (scimmy's Filter.match compares strings exactly) ---
function attrDef(definition, path) {
    try { return definition.attribute(path); } catch { return undefined; }
}
const isCaseInsensitive = (a) => a instanceof Types.Attribute && String(a.type) === "string" && a.config.caseExact !== true;

function lowerData(definition, value, prefix = "") {
    if (Array.isArray(value)) return value.map((v) => lowerData(definition, v, prefix));
    if (value === null || typeof value !== "object") return value;
    const out = {};
    for (const [k, v] of Object.entries(value)) {
        const a = attrDef(definition, prefix ? `${prefix}.${k}` : k);
        if (a instanceof Types.SchemaDefinition) out[k] = lowerData(a, v);
        else if (isCaseInsensitive(a)) out[k] = Array.isArray(v) ? v.map((s) => typeof s === "string" ? s.toLowerCase() : s) : (typeof v === "string" ? v.toLowerCase() : v);
        else if (a && String(a.type) === "complex") out[k] = lowerData(definition, v, prefix ? `${prefix}.${k}` : k);
        else out[k] = v;
    }
    return out;
}

function lowerExpr(definition, expr, prefix = "") {
    const out = {};
    for (const [k, v] of Object.entries(expr)) {
        const path = prefix ? `${prefix}.${k}` : k;
        const a = attrDef(definition, path);
        // A single expression is [("not"), comparator, (value)]
        const lowerOne = (e) => {
            const neg = String(e[0]).toLowerCase() === "not", comp = String(e[neg ? 1 : 0]).toLowerCase();
            const copy = [...e], vi = neg ? 2 : 1;
            if (isCaseInsensitive(a) && !["pr", "np"].includes(comp) && typeof copy[vi] === "string") copy[vi] = copy[vi].toLowerCase();
            return copy;
        };
        if (!Array.isArray(v)) out[k] = lowerExpr(definition, v, path);
        else if (v.every((e) => e === null || typeof e !== "object")) out[k] = lowerOne(v);
        else out[k] = v.map((e) => Array.isArray(e) ? lowerOne(e) : lowerExpr(definition, e, path));
    }
    return out;
}

function matchFilter(definition, filter, records) {
    if (!filter) return records;
    const lowered = new Types.Filter(plain([...filter]).map((e) => lowerExpr(definition, e)));
    // Match one record at a time: scimmy 1.3.5's Filter.match throws (Object.entries(undefined))
    // when a record lacks a complex attribute the filter descends into, e.g. no "emails".
    return records.filter((r) => {
        try { return lowered.match([lowerData(definition, r)]).length === 1; } catch { return false; }
    });
}

// scimmy 1.3.5 accepts e.g. 'userName eq' and 'a eq "b" and' -> validate strictly.
function strictFilter(str) {
    try {
        const parsed = new Types.Filter(str);
        new Types.Filter(plain([...parsed])); // object form runs scimmy's comparator/value validation
        if (/\b(and|or|not)\s*$/i.test(str.trim()) || /^\s*(and|or)\b/i.test(str)) throw new TypeError("dangling logical operator");
        return parsed;
    } catch (ex) {
        throw new Types.Error(400, "invalidFilter", `Invalid filter '${str}': ${ex.message}`);
    }
}

// --- resource declarations -------------------------------------------------------
Resources.declare(Resources.User, {
    extensions: [{schema: Schemas.EnterpriseUser, required: false}],
    ingress: (resource, instance) => {
        const data = stripServerAttrs(plain(instance));
        const lname = String(data.userName).toLowerCase();
        for (const [id, u] of users) if (id !== resource.id && String(u.data.userName).toLowerCase() === lname)
            throw new Types.Error(409, "uniqueness", `userName '${data.userName}' is already in use`);
        if (resource.id) {
            const rec = users.get(resource.id);
            if (!rec) throw new Types.Error(404, null, `Resource ${resource.id} not found`);
            rec.data = data;
            touch(rec);
            return userOut(resource.id);
        }
        const id = randomUUID(), now = new Date().toISOString();
        users.set(id, {data, meta: {created: now, lastModified: now, version: nextVersion()}});
        return userOut(id);
    },
    egress: (resource) => {
        if (resource.id) {
            if (!users.has(resource.id)) throw new Types.Error(404, null, `Resource ${resource.id} not found`);
            return [userOut(resource.id)];
        }
        return matchFilter(Schemas.User.definition, resource.filter, [...users.keys()].map(userOut));
    },
    degress: (resource) => {
        if (!users.delete(resource.id)) throw new Types.Error(404, null, `Resource ${resource.id} not found`);
        for (const g of groups.values()) {
            const before = g.data.members?.length ?? 0;
            g.data.members = (g.data.members ?? []).filter((m) => m.value !== resource.id);
            if (g.data.members.length !== before) touch(g);
        }
    }
});

Resources.declare(Resources.Group, {
    ingress: (resource, instance) => {
        const data = stripServerAttrs(plain(instance));
        for (const m of data.members ?? []) if (!users.has(m.value))
            throw new Types.Error(400, "invalidValue", `Member '${m.value}' does not exist`);
        data.members = (data.members ?? []).map(({value}) => ({value}))
            .filter((m, i, all) => all.findIndex((x) => x.value === m.value) === i);
        if (resource.id) {
            const rec = groups.get(resource.id);
            if (!rec) throw new Types.Error(404, null, `Resource ${resource.id} not found`);
            rec.data = data;
            touch(rec);
            return groupOut(resource.id);
        }
        const id = randomUUID(), now = new Date().toISOString();
        groups.set(id, {data, meta: {created: now, lastModified: now, version: nextVersion()}});
        return groupOut(id);
    },
    egress: (resource) => {
        if (resource.id) {
            if (!groups.has(resource.id)) throw new Types.Error(404, null, `Resource ${resource.id} not found`);
            return [groupOut(resource.id)];
        }
        return matchFilter(Schemas.Group.definition, resource.filter, [...groups.keys()].map(groupOut));
    },
    degress: (resource) => {
        if (!groups.delete(resource.id)) throw new Types.Error(404, null, `Resource ${resource.id} not found`);
    }
});

// --- HTTP plumbing -------------------------------------------------------------------
function errorBody(status, scimType, detail) {
    try { return plain(new Messages.ErrorResponse({status, scimType, detail})); }
    catch { return {schemas: [ERROR_URN], status: String(status), ...(scimType ? {scimType} : {}), detail}; }
}

function send(res, status, body, headers = {}) {
    const payload = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, {...(payload ? {"Content-Type": SCIM_CT} : {}), "Content-Length": Buffer.byteLength(payload), ...headers});
    res.end(payload);
}

function readBody(req) {
    return new Promise((ok, fail) => {
        const chunks = [];
        let size = 0, tooLarge = false;
        req.on("data", (c) => {
            size += c.length;
            if (size > MAX_BODY) { tooLarge = true; chunks.length = 0; } // keep draining, stop storing
            else chunks.push(c);
        });
        req.on("end", () => ok({tooLarge, text: Buffer.concat(chunks).toString("utf8")}));
        req.on("error", fail);
    });
}

function listParams(q) {
    const p = {};
    for (const k of ["filter", "attributes", "excludedAttributes", "sortBy", "sortOrder"]) if (q.has(k)) p[k] = q.get(k);
    for (const k of ["startIndex", "count"]) if (q.has(k)) {
        const n = Number(q.get(k));
        if (!Number.isInteger(n)) throw new Types.Error(400, "invalidValue", `'${k}' must be an integer`);
        p[k] = n;
    }
    if (p.filter !== undefined) strictFilter(p.filter);
    return p;
}

const ifMatchOk = (header, version) => !header || header.split(",").map((s) => s.trim()).some((t) => t === "*" || t === version);

async function handle(req, res) {
    const url = new URL(req.url, base);
    if (!url.pathname.startsWith(`${PREFIX}/`)) return send(res, 404, errorBody(404, null, "Unknown tenant or endpoint"));
    const auth = req.headers.authorization ?? "";
    if (auth !== `Bearer ${TOKEN}`)
        return send(res, 401, errorBody(401, null, "Missing or invalid bearer token"), {"WWW-Authenticate": 'Bearer realm="scim"'});

    const {tooLarge, text} = await readBody(req);
    if (tooLarge) return send(res, 413, errorBody(413, null, `Request body exceeds ${MAX_BODY} bytes`));
    let body;
    if (["POST", "PUT", "PATCH"].includes(req.method)) {
        try { body = JSON.parse(text); }
        catch (ex) { return send(res, 400, errorBody(400, "invalidSyntax", `Request body is not valid JSON: ${ex.message}`)); }
    }

    const [, endpoint, rawId, extra] = url.pathname.slice(PREFIX.length).split("/");
    const id = rawId ? decodeURIComponent(rawId) : undefined;
    if (extra !== undefined) return send(res, 404, errorBody(404, null, "Unknown endpoint"));
    const q = url.searchParams;

    if (req.method === "GET" && endpoint === "ServiceProviderConfig" && !id)
        return send(res, 200, await new Resources.ServiceProviderConfig().read());
    if (req.method === "GET" && endpoint === "Schemas")
        return send(res, 200, await new Resources.Schema(id).read());
    if (req.method === "GET" && endpoint === "ResourceTypes")
        return send(res, 200, await new Resources.ResourceType(id).read());

    const R = {Users: Resources.User, Groups: Resources.Group}[endpoint];
    if (!R) return send(res, 404, errorBody(404, null, `Unknown endpoint '${endpoint}'`));
    const store = endpoint === "Users" ? users : groups;
    const params = listParams(q);
    const single = (r, status = 200) => send(res, status, r, {ETag: r.meta.version, ...(status === 201 ? {Location: r.meta.location} : {})});

    switch (req.method) {
        case "GET": {
            if (!id) {
                const list = await new R(params).read();
                list.itemsPerPage = list.Resources.length; // scimmy reports the requested count here
                return send(res, 200, list);
            }
            const r = await new R(id, params).read();
            const inm = req.headers["if-none-match"];
            if (inm && inm.split(",").map((s) => s.trim()).some((t) => t === "*" || t === r.meta.version))
                return send(res, 304, undefined, {ETag: r.meta.version});
            return single(r);
        }
        case "POST":
            if (id) break;
            return single(await new R(params).write(body), 201);
        case "PUT":
        case "PATCH": {
            if (!id) break;
            if (!store.has(id)) throw new Types.Error(404, null, `Resource ${id} not found`);
            if (!ifMatchOk(req.headers["if-match"], store.get(id).meta.version))
                throw new Types.Error(412, null, "If-Match precondition failed: resource version has changed");
            if (req.method === "PUT") return single(await new R(id, params).write(body));
            const patched = await new R(id, params).patch(body);
            return single(patched ?? await new R(id, params).read());
        }
        case "DELETE": {
            if (!id) break;
            if (store.has(id) && !ifMatchOk(req.headers["if-match"], store.get(id).meta.version))
                throw new Types.Error(412, null, "If-Match precondition failed: resource version has changed");
            await new R(id).dispose();
            return send(res, 204);
        }
    }
    return send(res, 405, errorBody(405, null, `Method ${req.method} not supported here`), {Allow: "GET, POST, PUT, PATCH, DELETE"});
}

const server = http.createServer((req, res) => {
    handle(req, res).catch((ex) => {
        if (ex instanceof Types.Error) return send(res, Number(ex.status), errorBody(ex.status, ex.scimType, ex.message));
        if (ex instanceof TypeError) return send(res, 400, errorBody(400, "invalidValue", ex.message));
        process.stderr.write(`reference server: ${ex.stack}\n`);
        send(res, 500, errorBody(500, null, "Internal server error"));
    });
});

server.listen(PORT, "127.0.0.1", () => {
    base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
    for (const R of [Resources.User, Resources.Group, Resources.Schema, Resources.ResourceType, Resources.ServiceProviderConfig]) R.basepath(base);
    process.stdout.write(JSON.stringify({ready: true, base}) + "\n");
});

for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => process.exit(0));
// scim_client.mjs --self-check keeps our stdin open and sets this, so we never outlive it.
if (process.env.SCIM_REF_EXIT_ON_STDIN_CLOSE === "1") {
    process.stdin.on("end", () => process.exit(0)).on("error", () => process.exit(0)).resume();
}
