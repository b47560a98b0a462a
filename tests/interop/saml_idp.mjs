#!/usr/bin/env node
// SAML 2.0 identity provider for interop tests, built on samlify 2.13.1 and its
// XML-schema validator @authenio/samlify-node-xmllint 2.0.0. Our C++ service
// provider (libxmlsec1) is tested against it, SP-initiated and IdP-initiated.
// It is a test peer, not a product server. See README.md ("saml_idp.mjs") for
// the full contract; in short:
//
//   node saml_idp.mjs CONFIG.json
//   -> one line on stdout once listening on 127.0.0.1:
//      {"ready":true,"base":"http://127.0.0.1:PORT","metadata":"<IdP metadata XML>"}
//   GET /sso?SAMLRequest=..&RelayState=..&SigAlg=..&Signature=..   (HTTP-Redirect)
//      200 {"acs","SAMLResponse","RelayState","inResponseTo",...} | 400 {"error",...}
//   GET /idp-initiated?RelayState=..   200 {"acs","SAMLResponse","RelayState",...}
//   GET /metadata                      the IdP metadata XML
//
// Everything except the ready line goes to stderr (library chatter included).
// Exit: 0 on SIGTERM/SIGINT/stdin closed, 2 on a config error, 1 otherwise.

import http from "node:http";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { AsyncLocalStorage } from "node:async_hooks";

// --- stdout discipline --------------------------------------------------------
// The C++ test reads exactly one JSON line from stdout. node-xmllint's emscripten
// runtime (and any stray console.log) writes to stdout, so everything written to
// stdout is diverted to stderr; only emitReady() uses the real stdout.
const realStdoutWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, encoding, cb) => process.stderr.write(chunk, encoding, cb);
function emitReady(obj) { realStdoutWrite(JSON.stringify(obj) + "\n"); }

const log = (...args) => process.stderr.write(`[saml_idp] ${args.join(" ")}\n`);

class ConfigError extends Error {}
function configFail(msg) { throw new ConfigError(msg); }

// node-xmllint is a 4 MB emscripten asm.js build that is re-instantiated on every
// validation. With V8's asm.js->wasm validation the first call costs ~4 s of CPU
// (later calls ~25 ms); without it the first call costs ~0.3 s (later ~0.2 s).
// A test peer that is started many times wants the fast start. Must be set before
// node-xmllint's code is first compiled (i.e. before its first call).
if (process.env.UPCOACH_SAML_IDP_ASMJS !== "1") v8.setFlagsFromString("--no-validate-asm");

// --- module resolution -----------------------------------------------------------
const HERE = path.dirname(fileURLToPath(import.meta.url));
const NPM_DIR = path.resolve(process.env.UPCOACH_NPM_DIR || path.join(HERE, "..", "..", "scripts", "npm"));
const requireNpm = createRequire(path.join(NPM_DIR, "package.json"));
let samlify, xmllintValidator, xmldom;
try {
    samlify = requireNpm("samlify");
    xmllintValidator = requireNpm("@authenio/samlify-node-xmllint");
    xmldom = requireNpm("@xmldom/xmldom"); // samlify's own DOM dependency
} catch (e) {
    process.stderr.write(`[saml_idp] cannot load samlify from ${NPM_DIR} (set UPCOACH_NPM_DIR): ${e.message}\n`);
    process.exit(2);
}
const { Constants, SamlLib } = samlify;

// --- constants ----------------------------------------------------------------------
const NS = {
    md: "urn:oasis:names:tc:SAML:2.0:metadata",
    samlp: "urn:oasis:names:tc:SAML:2.0:protocol",
    saml: "urn:oasis:names:tc:SAML:2.0:assertion",
    ds: "http://www.w3.org/2000/09/xmldsig#",
    xenc: "http://www.w3.org/2001/04/xmlenc#",
};
const BINDING_POST = Constants.namespace.binding.post;
const BINDING_REDIRECT = Constants.namespace.binding.redirect;
const NAMEID_EMAIL = Constants.namespace.format.emailAddress;
const NAMEID_UNSPECIFIED = Constants.namespace.format.unspecified;
const ATTRNAME_BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic";
const SIG_ALGS = {
    "rsa-sha1": Constants.algorithms.signature.RSA_SHA1,
    "rsa-sha256": Constants.algorithms.signature.RSA_SHA256,
    "rsa-sha512": Constants.algorithms.signature.RSA_SHA512,
    "rsa-pss-sha256": Constants.algorithms.signature.RSA_SHA256_MGF1,
};
const ASSERTION_LIFETIME_MS = 5 * 60 * 1000;   // SubjectConfirmationData / Conditions NotOnOrAfter
const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000; // AuthnStatement SessionNotOnOrAfter
const REQUEST_MAX_SKEW_MS = 5 * 60 * 1000;      // accepted |now - AuthnRequest IssueInstant|

// --- config ---------------------------------------------------------------------------
function loadConfig(argv) {
    if (argv.length !== 1) configFail("usage: node saml_idp.mjs CONFIG.json");
    let raw;
    try { raw = fs.readFileSync(argv[0], "utf8"); } catch (e) { configFail(`cannot read config ${argv[0]}: ${e.message}`); }
    let c;
    try { c = JSON.parse(raw); } catch (e) { configFail(`config ${argv[0]} is not valid JSON: ${e.message}`); }
    if (c === null || typeof c !== "object" || Array.isArray(c)) configFail("config must be a JSON object");

    const known = new Set(["port", "entityId", "keyPem", "certPem", "spMetadataXml", "user", "signResponse",
        "signAssertion", "encryptAssertion", "signatureAlgorithm", "authnContextClassRef"]);
    for (const k of Object.keys(c)) if (!known.has(k)) configFail(`unknown config key "${k}"`);

    const port = c.port ?? 0;
    if (!Number.isInteger(port) || port < 0 || port > 65535) configFail("port must be an integer 0..65535");
    if (c.entityId !== undefined && (typeof c.entityId !== "string" || c.entityId === "")) configFail("entityId must be a non-empty string");
    for (const k of ["keyPem", "certPem", "spMetadataXml"]) {
        if (typeof c[k] !== "string" || c[k].trim() === "") configFail(`${k} is required (string)`);
    }
    let key, cert;
    try { key = crypto.createPrivateKey(c.keyPem); } catch (e) { configFail(`keyPem is not a usable private key: ${e.message}`); }
    if (key.asymmetricKeyType !== "rsa") configFail(`keyPem must be an RSA key (got ${key.asymmetricKeyType})`);
    try { cert = new crypto.X509Certificate(c.certPem); } catch (e) { configFail(`certPem is not a PEM certificate: ${e.message}`); }
    if (!cert.checkPrivateKey(key)) configFail("certPem does not match keyPem");

    for (const k of ["signResponse", "signAssertion", "encryptAssertion"]) {
        if (c[k] !== undefined && typeof c[k] !== "boolean") configFail(`${k} must be a boolean`);
    }
    const sigName = c.signatureAlgorithm ?? "rsa-sha256";
    const sigAlg = SIG_ALGS[sigName] ?? (Object.values(SIG_ALGS).includes(sigName) ? sigName : undefined);
    if (!sigAlg) configFail(`signatureAlgorithm must be one of ${Object.keys(SIG_ALGS).join(", ")} (or its URI)`);
    const classRef = c.authnContextClassRef ?? Constants.namespace.authnContextClassRef.passwordProtectedTransport;
    if (typeof classRef !== "string" || classRef === "") configFail("authnContextClassRef must be a non-empty string");

    const u = c.user;
    if (!u || typeof u !== "object" || Array.isArray(u)) configFail("user is required (object)");
    for (const k of Object.keys(u)) if (!["nameId", "email", "displayName", "groups"].includes(k)) configFail(`unknown user key "${k}"`);
    if (typeof u.nameId !== "string" || u.nameId === "") configFail("user.nameId is required (non-empty string)");
    for (const k of ["email", "displayName"]) if (u[k] !== undefined && typeof u[k] !== "string") configFail(`user.${k} must be a string`);
    if (u.groups !== undefined && !(Array.isArray(u.groups) && u.groups.every((g) => typeof g === "string"))) {
        configFail("user.groups must be an array of strings");
    }
    return {
        port,
        entityId: c.entityId, // resolved once the port is known
        keyPem: c.keyPem,
        certPem: c.certPem,
        spMetadataXml: c.spMetadataXml,
        user: { nameId: u.nameId, email: u.email, displayName: u.displayName, groups: u.groups },
        signResponse: c.signResponse ?? true,
        signAssertion: c.signAssertion ?? true,
        encryptAssertion: c.encryptAssertion ?? false,
        signatureAlgorithm: sigAlg,
        authnContextClassRef: classRef,
    };
}

// --- XML helpers --------------------------------------------------------------------------
function parseXml(xml, what) {
    const errors = [];
    const doc = new xmldom.DOMParser({
        errorHandler: { warning: () => {}, error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
    }).parseFromString(xml, "text/xml");
    if (errors.length || !doc || !doc.documentElement) {
        const why = errors.map((m) => String(m).replace(/@#\[line:undefined,col:undefined\]/g, "").replace(/\s+/g, " ").trim());
        throw new Error(`${what} is not well-formed XML: ${why.join("; ")}`);
    }
    return doc;
}
const serializeXml = (node) => new xmldom.XMLSerializer().serializeToString(node);
const childElements = (el, ns, local) =>
    Array.from(el.childNodes).filter((n) => n.nodeType === 1 && n.namespaceURI === ns && n.localName === local);
const escapeXml = (s) => String(s).replace(/[&<>"']/g, (ch) =>
    ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[ch]);

// The SP metadata's WantAssertionsSigned is what samlify consults to decide whether to
// sign the assertion, so the copy handed to samlify carries the configured value.
function prepareSpMetadata(xml, signAssertion) {
    let doc;
    try { doc = parseXml(xml, "spMetadataXml"); } catch (e) { configFail(e.message); }
    const root = doc.documentElement;
    if (root.namespaceURI !== NS.md || root.localName !== "EntityDescriptor") {
        configFail("spMetadataXml must have a single md:EntityDescriptor root");
    }
    const sso = childElements(root, NS.md, "SPSSODescriptor");
    if (sso.length !== 1) configFail(`spMetadataXml must contain exactly one SPSSODescriptor (found ${sso.length})`);
    sso[0].setAttribute("WantAssertionsSigned", String(signAssertion));
    return serializeXml(doc);
}

// samlify treats the certificate of a metadata document with a single KeyDescriptor as
// "shared" (signing AND encryption) even when it says use="signing", and would then encrypt
// to the SP's signing key. Resolve both uses per saml-metadata §2.4.1.1 instead: a
// KeyDescriptor without `use` serves both, otherwise only the named use.
function spCertificates(spMetadataXml) {
    const root = parseXml(spMetadataXml, "spMetadataXml").documentElement;
    const sso = childElements(root, NS.md, "SPSSODescriptor")[0];
    const out = { signing: [], encryption: [] };
    for (const kd of childElements(sso, NS.md, "KeyDescriptor")) {
        const certEl = kd.getElementsByTagNameNS(NS.ds, "X509Certificate")[0];
        if (!certEl) continue;
        const body = certEl.textContent.replace(/\s+/g, "");
        const use = kd.getAttribute("use");
        if (!use || use === "signing") out.signing.push(body);
        if (!use || use === "encryption") out.encryption.push(body);
    }
    return out;
}

function postAcsList(spEntity) {
    const raw = spEntity.entityMeta.getAssertionConsumerService();
    const list = (Array.isArray(raw) ? raw : raw ? [raw] : []).filter((a) => a && a.binding === BINDING_POST && a.location);
    return list.map((a, pos) => ({
        location: a.location,
        index: a.index !== undefined && a.index !== "" ? Number(a.index) : undefined,
        isDefault: String(a.isDefault) === "true",
        pos,
    }));
}

// saml-metadata §2.2.3: isDefault="true" first, then the lowest index, then document order.
function defaultAcs(list) {
    const def = list.find((a) => a.isDefault);
    if (def) return def.location;
    const indexed = list.filter((a) => Number.isInteger(a.index)).sort((a, b) => a.index - b.index);
    return (indexed[0] ?? list[0]).location;
}

// --- IdP ---------------------------------------------------------------------------------------
class RequestRejected extends Error {
    constructor(message, source, detail) { super(message); this.source = source; this.detail = detail; }
}

// Each attribute's single AttributeValue slot in samlify's default attribute template is
// replaced by a {attrXxx} placeholder that customTagReplacement fills with one
// <saml:AttributeValue> per value (so "groups" is one multi-valued Attribute).
const ATTRIBUTE_TEMPLATE = {
    context: '<saml:Attribute Name="{Name}" NameFormat="{NameFormat}">{Value}</saml:Attribute>',
};
const ATTRIBUTE_VALUE = (v) =>
    '<saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
    `xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`;
const RESPONSE_TEMPLATE =
    '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ' +
    'ID="{ID}" Version="2.0" IssueInstant="{IssueInstant}" Destination="{Destination}" InResponseTo="{InResponseTo}">' +
    "<saml:Issuer>{Issuer}</saml:Issuer>" +
    '<samlp:Status><samlp:StatusCode Value="{StatusCode}"/></samlp:Status>' +
    // xmlns:saml is repeated on the Assertion (as in samlify's default template) so the
    // assertion stays self-contained when it is serialized on its own for encryption.
    '<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ' +
    'ID="{AssertionID}" Version="2.0" IssueInstant="{IssueInstant}">' +
    "<saml:Issuer>{Issuer}</saml:Issuer>" +
    '<saml:Subject><saml:NameID Format="{NameIDFormat}">{NameID}</saml:NameID>' +
    '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">' +
    '<saml:SubjectConfirmationData NotOnOrAfter="{SubjectConfirmationDataNotOnOrAfter}" Recipient="{SubjectRecipient}" InResponseTo="{InResponseTo}"/>' +
    "</saml:SubjectConfirmation></saml:Subject>" +
    '<saml:Conditions NotBefore="{ConditionsNotBefore}" NotOnOrAfter="{ConditionsNotOnOrAfter}">' +
    "<saml:AudienceRestriction><saml:Audience>{Audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>" +
    '<saml:AuthnStatement AuthnInstant="{AuthnInstant}" SessionIndex="{SessionIndex}" SessionNotOnOrAfter="{SessionNotOnOrAfter}">' +
    "<saml:AuthnContext><saml:AuthnContextClassRef>{AuthnContextClassRef}</saml:AuthnContextClassRef></saml:AuthnContext>" +
    "</saml:AuthnStatement>" +
    "{AttributeStatement}" +
    "</saml:Assertion></samlp:Response>";

// samlify's tagging('attr', valueTag): "attr" + CamelCase(valueTag).
const attrTag = (name) => "attr" + name.charAt(0).toUpperCase() + name.slice(1);

// Single pass over the template: values are XML-escaped (except the pre-built
// AttributeValue lists), never re-scanned for placeholders, and an attribute whose
// value is undefined is dropped entirely (e.g. InResponseTo on unsolicited responses).
function fillTemplate(template, scalars, rawXml) {
    let out = template;
    for (const [k, v] of Object.entries(scalars)) {
        if (v === undefined) out = out.replace(new RegExp(`\\s+[A-Za-z_:][\\w:.-]*="\\{${k}\\}"`, "g"), "");
    }
    out = out.replace(/\{([A-Za-z0-9_]+)\}/g, (m, k) => {
        if (k in rawXml) return rawXml[k];
        if (k in scalars && scalars[k] !== undefined) return escapeXml(scalars[k]);
        throw new Error(`response template placeholder ${m} has no value`);
    });
    return out;
}

function buildIdp(cfg, base) {
    const entityId = cfg.entityId ?? `${base}/metadata`;
    const ssoUrl = `${base}/sso`;

    const spMetadataForSamlify = prepareSpMetadata(cfg.spMetadataXml, cfg.signAssertion);
    let sp;
    try {
        // wantMessageSigned=true makes samlify sign the <Response> (isMessageSigned:true).
        sp = samlify.ServiceProvider({ metadata: spMetadataForSamlify, wantMessageSigned: cfg.signResponse });
    } catch (e) { configFail(`spMetadataXml rejected by samlify: ${e.message}`); }
    const spEntityId = sp.entityMeta.getEntityID();
    if (typeof spEntityId !== "string" || spEntityId === "") configFail("spMetadataXml has no entityID");
    const acsList = postAcsList(sp);
    if (acsList.length === 0) configFail("spMetadataXml has no HTTP-POST AssertionConsumerService");
    const certs = spCertificates(spMetadataForSamlify);
    if (certs.signing.length === 0) {
        configFail("spMetadataXml has no signing certificate (needed to verify AuthnRequest signatures)");
    }
    if (cfg.encryptAssertion && certs.encryption.length === 0) {
        configFail("encryptAssertion is true but spMetadataXml has no KeyDescriptor for encryption (use=\"encryption\" or no use)");
    }
    for (const [use, list] of Object.entries(certs)) {
        for (const body of list) {
            try { new crypto.X509Certificate(Buffer.from(body, "base64")); } catch (e) {
                configFail(`spMetadataXml ${use} certificate is not a valid X.509 certificate: ${e.message}`);
            }
        }
        if (list.length > 1) log(`SP metadata has ${list.length} ${use} certificates; only the first is used`);
    }
    // What samlify's getX509Certificate('signing'|'encryption') returns from now on.
    sp.entityMeta.meta.certificate = { signing: certs.signing[0], encryption: certs.encryption[0] ?? null };

    const u = cfg.user;
    const attributes = [];
    if (u.email !== undefined) attributes.push({ name: "email", values: [u.email] });
    if (u.displayName !== undefined) attributes.push({ name: "displayName", values: [u.displayName] });
    if (u.groups !== undefined) attributes.push({ name: "groups", values: u.groups });

    const loginResponseTemplate = attributes.length
        ? {
            context: RESPONSE_TEMPLATE,
            attributes: attributes.map((a) => ({
                name: a.name, nameFormat: ATTRNAME_BASIC, valueTag: a.name, valueXsiType: "xs:string",
            })),
            additionalTemplates: { attributeTemplate: ATTRIBUTE_TEMPLATE },
        }
        // An empty <AttributeStatement> is schema-invalid: drop the slot instead.
        : { context: RESPONSE_TEMPLATE.replace("{AttributeStatement}", ""), attributes: [] };

    const idp = samlify.IdentityProvider({
        entityID: entityId,
        privateKey: cfg.keyPem,
        signingCert: cfg.certPem,
        wantAuthnRequestsSigned: true,
        nameIDFormat: [NAMEID_EMAIL],
        singleSignOnService: [{ Binding: BINDING_REDIRECT, Location: ssoUrl }],
        requestSignatureAlgorithm: cfg.signatureAlgorithm, // used for the XML signatures of responses
        isAssertionEncrypted: cfg.encryptAssertion,
        dataEncryptionAlgorithm: Constants.algorithms.encryption.data.AES_256,          // aes256-cbc
        keyEncryptionAlgorithm: Constants.algorithms.encryption.key.RSA_OAEP_MGF1P,     // never rsa-1_5
        loginResponseTemplate,
    });
    const rawAttrValues = {};
    for (const a of attributes) {
        const tag = attrTag(a.name);
        if (!idp.entitySetting.loginResponseTemplate.context.includes(`{${tag}}`)) {
            throw new Error(`samlify did not expand attribute ${a.name} into the {${tag}} template slot`);
        }
        rawAttrValues[tag] = a.values.map(ATTRIBUTE_VALUE).join("");
    }

    return { idp, sp, entityId, ssoUrl, spEntityId, acsList, rawAttrValues, metadata: idp.getMetadata() };
}

// --- HTTP-Redirect query handling ----------------------------------------------------------------
// The signature covers the octets exactly as the SP put them on the wire
// (saml-bindings §3.4.4.1), so the raw, still-encoded values are kept.
function parseQuery(rawQuery) {
    const raw = {}, decoded = {};
    for (const part of (rawQuery || "").split("&")) {
        if (part === "") continue;
        const eq = part.indexOf("=");
        const k = decodeURIComponent((eq < 0 ? part : part.slice(0, eq)).replace(/\+/g, " "));
        const v = eq < 0 ? "" : part.slice(eq + 1);
        if (k in raw) throw new RequestRejected(`ERR_DUPLICATE_QUERY_PARAMETER: ${k}`, "idp");
        raw[k] = v;
        try { decoded[k] = decodeURIComponent(v.replace(/\+/g, " ")); } catch {
            throw new RequestRejected(`ERR_BAD_PERCENT_ENCODING in ${k}`, "idp");
        }
    }
    return { raw, decoded };
}

function redirectOctetString(raw) {
    let s = `SAMLRequest=${raw.SAMLRequest}`;
    if ("RelayState" in raw) s += `&RelayState=${raw.RelayState}`;
    if ("SigAlg" in raw) s += `&SigAlg=${raw.SigAlg}`;
    return s;
}

// --- server -----------------------------------------------------------------------------------------------
const requestContext = new AsyncLocalStorage();

function installSchemaValidator() {
    // The xmllint validator only rejects with 'ERR_EXCEPTION_VALIDATE_XML' and prints the
    // real reasons via console.error (synchronously); capture them for the 400 "detail".
    samlify.setSchemaValidator({
        validate(xml) {
            const captured = [];
            const origError = console.error;
            console.error = (...a) => captured.push(a.map(String).join(" "));
            let p;
            try { p = xmllintValidator.validate(xml); } finally { console.error = origError; }
            return p.catch((e) => {
                const detail = captured.join("\n").replace(/^this is not a valid saml response with errors: /, "").trim();
                log(`schema validation failed: ${detail}`);
                const store = requestContext.getStore();
                if (store) store.schemaErrors = detail;
                throw e;
            });
        },
    });
}

function main() {
    let cfg;
    try { cfg = loadConfig(process.argv.slice(2)); } catch (e) {
        if (e instanceof ConfigError) { log(`config error: ${e.message}`); process.exit(2); }
        throw e;
    }
    installSchemaValidator();

    let ctx = null; // set once listening
    const server = http.createServer((req, res) => {
        requestContext.run({}, () => handle(req, res).catch((e) => {
            log(`internal error: ${e.stack || e}`);
            sendJson(res, 500, { error: `internal error: ${e.message || e}` });
        }));
    });

    function sendJson(res, status, obj) {
        if (res.headersSent) return;
        const body = JSON.stringify(obj);
        res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
        res.end(body);
    }

    async function handle(req, res) {
        const url = req.url || "/";
        const q = url.indexOf("?");
        const pathname = q < 0 ? url : url.slice(0, q);
        const rawQuery = q < 0 ? "" : url.slice(q + 1);
        if (!ctx) return sendJson(res, 503, { error: "not ready" });
        if (req.method !== "GET" && req.method !== "HEAD") return sendJson(res, 405, { error: "method not allowed" });

        if (pathname === "/metadata") {
            res.writeHead(200, { "Content-Type": "application/samlmetadata+xml" });
            return res.end(ctx.metadata);
        }
        if (pathname === "/sso") {
            try {
                const out = await handleSso(rawQuery);
                log(`/sso 200 request=${out.inResponseTo} acs=${out.acs}`);
                return sendJson(res, 200, out);
            } catch (e) {
                if (e instanceof ResponseBuildError) throw e;
                const isOurs = e instanceof RequestRejected;
                const body = { error: e instanceof Error ? e.message : String(e), source: isOurs ? e.source : "samlify" };
                const detail = (isOurs && e.detail) || requestContext.getStore()?.schemaErrors;
                if (detail) body.detail = detail;
                log(`/sso 400 ${JSON.stringify(body)}`);
                return sendJson(res, 400, body);
            }
        }
        if (pathname === "/idp-initiated") {
            let decoded;
            try { ({ decoded } = parseQuery(rawQuery)); } catch (e) {
                return sendJson(res, 400, { error: e.message, source: "idp" });
            }
            const relayState = decoded.RelayState;
            const acs = defaultAcs(ctx.acsList);
            const built = await buildResponse({ requestInfo: null, acs, relayState });
            log(`/idp-initiated 200 acs=${acs}`);
            return sendJson(res, 200, { acs, SAMLResponse: built.SAMLResponse, RelayState: relayState ?? "", responseId: built.responseId, assertionId: built.assertionId });
        }
        return sendJson(res, 404, { error: `no route ${pathname}` });
    }

    async function handleSso(rawQuery) {
        const { raw, decoded } = parseQuery(rawQuery);
        if (!("SAMLRequest" in raw)) throw new RequestRejected("ERR_MISSING_SAMLREQUEST", "idp");
        if (/\s/.test(decoded.SAMLRequest) || /\s/.test(decoded.Signature ?? "")) {
            throw new RequestRejected("ERR_INVALID_BASE64: SAMLRequest/Signature contain a space; base64 '+' must be sent as %2B", "idp");
        }
        const octetString = redirectOctetString(raw);
        // samlify: inflate, XSD validation (xmllint), redirect-binding signature over
        // octetString with the SP metadata's signing certificate (WantAuthnRequestsSigned).
        const parsed = await ctx.idp.parseLoginRequest(ctx.sp, "redirect", { query: decoded, octetString });
        const ex = parsed.extract || {};
        const r = ex.request || {};
        if (!r.id) throw new RequestRejected("ERR_REQUEST_WITHOUT_ID", "idp");
        if (ex.issuer !== ctx.spEntityId) {
            throw new RequestRejected(`ERR_REQUEST_ISSUER_MISMATCH: got ${JSON.stringify(ex.issuer)}, SP metadata entityID is ${JSON.stringify(ctx.spEntityId)}`, "idp");
        }
        if (r.destination !== ctx.ssoUrl) {
            throw new RequestRejected(`ERR_REQUEST_DESTINATION_MISMATCH: got ${JSON.stringify(r.destination)}, expected ${JSON.stringify(ctx.ssoUrl)}`, "idp");
        }
        const issued = Date.parse(r.issueInstant);
        if (!Number.isFinite(issued) || Math.abs(Date.now() - issued) > REQUEST_MAX_SKEW_MS) {
            throw new RequestRejected(`ERR_REQUEST_ISSUE_INSTANT_OUT_OF_RANGE: ${r.issueInstant}`, "idp");
        }
        const reqEl = parseXml(parsed.samlContent, "AuthnRequest").documentElement;
        const protocolBinding = reqEl.getAttribute("ProtocolBinding");
        if (protocolBinding && protocolBinding !== BINDING_POST) {
            throw new RequestRejected(`ERR_UNSUPPORTED_PROTOCOL_BINDING: ${protocolBinding} (only HTTP-POST)`, "idp");
        }
        const policy = childElements(reqEl, NS.samlp, "NameIDPolicy")[0];
        const policyFormat = policy?.getAttribute("Format");
        if (policyFormat && policyFormat !== NAMEID_EMAIL && policyFormat !== NAMEID_UNSPECIFIED) {
            throw new RequestRejected(`ERR_INVALID_NAMEID_POLICY: ${policyFormat} (this IdP issues ${NAMEID_EMAIL})`, "idp");
        }
        let acs;
        const acsUrl = reqEl.getAttribute("AssertionConsumerServiceURL");
        const acsIndex = reqEl.getAttribute("AssertionConsumerServiceIndex");
        if (acsUrl) {
            if (!ctx.acsList.some((a) => a.location === acsUrl)) {
                throw new RequestRejected(`ERR_ACS_URL_NOT_IN_SP_METADATA: ${acsUrl}`, "idp");
            }
            acs = acsUrl;
        } else if (acsIndex) {
            const hit = ctx.acsList.find((a) => a.index === Number(acsIndex));
            if (!hit) throw new RequestRejected(`ERR_ACS_INDEX_NOT_IN_SP_METADATA: ${acsIndex} (HTTP-POST)`, "idp");
            acs = hit.location;
        } else {
            acs = defaultAcs(ctx.acsList);
        }
        const relayState = decoded.RelayState;
        const built = await buildResponse({ requestInfo: parsed, acs, relayState });
        return {
            acs, SAMLResponse: built.SAMLResponse, RelayState: relayState ?? "", inResponseTo: r.id,
            responseId: built.responseId, assertionId: built.assertionId,
        };
    }

    async function buildResponse({ requestInfo, acs, relayState }) {
        const now = new Date();
        const at = (ms) => new Date(now.getTime() + ms).toISOString();
        const responseId = ctx.idp.entitySetting.generateID();
        const assertionId = ctx.idp.entitySetting.generateID();
        const inResponseTo = requestInfo?.extract?.request?.id; // undefined -> attribute dropped
        const scalars = {
            ID: responseId,
            AssertionID: assertionId,
            IssueInstant: now.toISOString(),
            Destination: acs,
            InResponseTo: inResponseTo,
            Issuer: ctx.entityId,
            StatusCode: Constants.StatusCode.Success,
            NameIDFormat: NAMEID_EMAIL,
            NameID: cfg.user.nameId,
            SubjectConfirmationDataNotOnOrAfter: at(ASSERTION_LIFETIME_MS),
            SubjectRecipient: acs,
            ConditionsNotBefore: now.toISOString(),
            ConditionsNotOnOrAfter: at(ASSERTION_LIFETIME_MS),
            Audience: ctx.spEntityId,
            AuthnInstant: now.toISOString(),
            SessionIndex: "_session_" + crypto.randomUUID(),
            SessionNotOnOrAfter: at(SESSION_LIFETIME_MS),
            AuthnContextClassRef: cfg.authnContextClassRef,
        };
        const customTagReplacement = (template) => ({ id: responseId, context: fillTemplate(template, scalars, ctx.rawAttrValues) });
        // encryptThenSign: samlify's default order signs the <Response> and *then*
        // replaces the assertion by <EncryptedAssertion>, which invalidates the
        // response signature. Encrypt-then-sign gives: sign assertion -> encrypt -> sign response.
        const result = await ctx.idp.createLoginResponse(ctx.sp, requestInfo, "post", {}, {
            customTagReplacement, encryptThenSign: true, relayState,
        });
        let xml = Buffer.from(result.context, "base64").toString("utf8");
        const doc = parseXml(xml, "generated Response");
        const root = doc.documentElement;
        if (!cfg.signResponse && !cfg.signAssertion) {
            // samlify always signs the message when the SP does not want signed assertions;
            // for the "unsigned" configuration remove that enveloped signature again.
            for (const s of childElements(root, NS.ds, "Signature")) root.removeChild(s);
            xml = serializeXml(doc);
        }
        await checkProduced(xml);
        return { SAMLResponse: Buffer.from(xml, "utf8").toString("base64"), responseId, assertionId };
    }

    // Guard: the produced XML must carry exactly the signatures/encryption configured
    // and must be valid against the SAML schemas.
    function checkProduced(xml) {
        const root = parseXml(xml, "generated Response").documentElement;
        const respSigs = childElements(root, NS.ds, "Signature").length;
        const assertions = childElements(root, NS.saml, "Assertion");
        const encAssertions = childElements(root, NS.saml, "EncryptedAssertion");
        const problems = [];
        if (respSigs !== (cfg.signResponse ? 1 : 0)) problems.push(`Response has ${respSigs} signatures, signResponse=${cfg.signResponse}`);
        if (cfg.encryptAssertion) {
            if (encAssertions.length !== 1 || assertions.length !== 0) problems.push("assertion not encrypted");
        } else {
            if (assertions.length !== 1 || encAssertions.length !== 0) problems.push("expected one plain Assertion");
            else {
                const aSigs = childElements(assertions[0], NS.ds, "Signature").length;
                if (aSigs !== (cfg.signAssertion ? 1 : 0)) problems.push(`Assertion has ${aSigs} signatures, signAssertion=${cfg.signAssertion}`);
            }
        }
        if (problems.length) throw new ResponseBuildError(`produced Response does not match config: ${problems.join("; ")}`);
        return SamlLib.isValidXml(xml).catch((e) => {
            throw new ResponseBuildError(`produced Response is schema-invalid: ${requestContext.getStore()?.schemaErrors || e}`);
        });
    }

    // --- lifecycle ---
    let stopping = false;
    function shutdown(why, code = 0) {
        if (stopping) return;
        stopping = true;
        log(`shutting down (${why})`);
        server.close();
        server.closeAllConnections?.();
        process.exitCode = code;
        setTimeout(() => process.exit(code), 200).unref();
    }
    process.on("SIGTERM", () => shutdown("SIGTERM"));
    process.on("SIGINT", () => shutdown("SIGINT"));
    // Stdin closing (EOF) means the parent is gone. Only pipes/sockets/TTYs carry that
    // meaning: with stdin at /dev/null or a file it would fire at once, so it is ignored then.
    let stdinWatched = false;
    try {
        const st = fs.fstatSync(0);
        if (st.isFIFO() || st.isSocket() || process.stdin.isTTY) {
            process.stdin.on("end", () => shutdown("stdin closed"));
            process.stdin.on("close", () => shutdown("stdin closed"));
            process.stdin.on("error", () => shutdown("stdin error"));
            process.stdin.resume();
            stdinWatched = true;
        }
    } catch { /* no stdin at all */ }
    if (!stdinWatched) log("stdin is not a pipe/tty: not watching it for EOF (stop with SIGTERM)");

    server.on("error", (e) => { log(`server error: ${e.message}`); process.exit(1); });
    server.listen(cfg.port, "127.0.0.1", async () => {
        const port = server.address().port;
        const base = `http://127.0.0.1:${port}`;
        try {
            ctx = buildIdp(cfg, base);
        } catch (e) {
            if (e instanceof ConfigError) { log(`config error: ${e.message}`); process.exit(2); }
            log(`startup failed: ${e.stack || e}`);
            process.exit(1);
        }
        // Instantiate the xmllint runtime once before announcing readiness.
        await SamlLib.isValidXml(`<samlp:Status xmlns:samlp="${NS.samlp}"><samlp:StatusCode Value="${Constants.StatusCode.Success}"/></samlp:Status>`)
            .catch((e) => { log(`validator warm-up failed: ${e}`); process.exit(1); });
        log(`listening on ${base} entityID=${ctx.entityId} sp=${ctx.spEntityId} signResponse=${cfg.signResponse} ` +
            `signAssertion=${cfg.signAssertion} encryptAssertion=${cfg.encryptAssertion} sigAlg=${cfg.signatureAlgorithm}`);
        emitReady({ ready: true, base, metadata: ctx.metadata });
    });
}

class ResponseBuildError extends Error {}

process.on("unhandledRejection", (e) => { log(`unhandled rejection: ${e?.stack || e}`); process.exit(1); });
main();
