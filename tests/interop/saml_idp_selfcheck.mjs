#!/usr/bin/env node
// Self-check for saml_idp.mjs: proves the IdP interoperates with samlify's own
// ServiceProvider before our C++ SP is tested against it.
//
//   node tests/interop/saml_idp_selfcheck.mjs        (from the repo root; ~10-20 s)
//
// Generates an IdP key/cert and SP signing + encryption keys/certs with the openssl
// CLI, builds a samlify SP (AuthnRequestsSigned, WantAssertionsSigned, HTTP-POST ACS),
// starts saml_idp.mjs once per configuration (in parallel) and checks:
//   a) SP-initiated: createLoginRequest(redirect) -> GET /sso -> parseLoginResponse(post)
//   b) IdP-initiated: GET /idp-initiated, no InResponseTo anywhere
//   c) rejected requests: tampered signature, tampered RelayState, no signature,
//      schema-invalid request, ACS URL not in metadata, foreign issuer -> 400
//   d) encryptAssertion (aes256-cbc + rsa-oaep-mgf1p) decrypts with the SP key
//   e) signResponse/signAssertion flags really control the signatures; the XML of one
//      response is printed to stderr
//   f) config error -> exit 2; SIGTERM and stdin EOF -> clean exit 0
//   x) if the xmlsec1 CLI is installed: libxmlsec1 (what our C++ SP uses) verifies both
//      signatures, rejects a modified NameID and decrypts the encrypted assertion
// Exit 0 when everything passed, 1 otherwise (each failure is printed).

import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

// Same reason as in saml_idp.mjs: cheap instantiation of node-xmllint's asm.js build.
v8.setFlagsFromString("--no-validate-asm");

// node-xmllint writes stray blank lines to stdout; keep stdout for the check results.
const realStdoutWrite = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, encoding, cb) => process.stderr.write(chunk, encoding, cb);
const say = (line) => realStdoutWrite(line + "\n");

const HERE = path.dirname(fileURLToPath(import.meta.url));
const IDP_SCRIPT = path.join(HERE, "saml_idp.mjs");
const NPM_DIR = path.resolve(process.env.UPCOACH_NPM_DIR || path.join(HERE, "..", "..", "scripts", "npm"));
const requireNpm = createRequire(path.join(NPM_DIR, "package.json"));
const samlify = requireNpm("samlify");
const xmllint = requireNpm("@authenio/samlify-node-xmllint");
const { DOMParser } = requireNpm("@xmldom/xmldom");
const xpath = requireNpm("xpath");
const { Constants } = samlify;
samlify.setSchemaValidator(xmllint);

const T0 = Date.now();
const GLOBAL_TIMEOUT_MS = 60_000;
const URI = {
    rsaSha256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    rsaSha512: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    sha256: "http://www.w3.org/2001/04/xmlenc#sha256",
    sha512: "http://www.w3.org/2001/04/xmlenc#sha512",
    excC14n: "http://www.w3.org/2001/10/xml-exc-c14n#",
    enveloped: "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    aes256cbc: "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
    rsaOaep: "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
    rsa15: "http://www.w3.org/2001/04/xmlenc#rsa-1_5",
    email: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    bearer: "urn:oasis:names:tc:SAML:2.0:cm:bearer",
    ppt: "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
    x509: "urn:oasis:names:tc:SAML:2.0:ac:classes:X509",
};

// --- tiny check framework ---------------------------------------------------------------
let passed = 0, failed = 0;
function check(name, cond, info) {
    if (cond) { passed++; say(`ok   - ${name}`); }
    else { failed++; say(`FAIL - ${name}${info !== undefined ? `: ${typeof info === "string" ? info : JSON.stringify(info)}` : ""}`); }
    return !!cond;
}
async function section(name, fn) {
    try { await fn(); } catch (e) { failed++; say(`FAIL - ${name}: threw ${e?.stack || e}`); }
}

// --- keys ---------------------------------------------------------------------------------
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saml-idp-selfcheck-"));
function keyPair(name, cn) {
    const key = path.join(tmp, `${name}.key.pem`), cert = path.join(tmp, `${name}.cert.pem`);
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
        "-subj", `/CN=${cn}`, "-keyout", key, "-out", cert], { stdio: ["ignore", "ignore", "pipe"] });
    const pair = { key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(cert, "utf8") };
    dump(`${name}.key.pem`, pair.key);
    dump(`${name}.cert.pem`, pair.cert);
    return pair;
}
const certBody = (pem) => pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");

// --- XML inspection --------------------------------------------------------------------------
function dom(xml) { return new DOMParser().parseFromString(xml, "text/xml"); }
const sel = (expr, node) => xpath.select(expr, node);
const one = (expr, node) => { const r = sel(expr, node); return Array.isArray(r) ? r[0] : r; };
const attr = (expr, node) => { const n = one(expr, node); return n ? n.value ?? n.nodeValue : undefined; };
const text = (expr, node) => { const n = one(expr, node); return n ? n.textContent : undefined; };
const L = (name) => `*[local-name()='${name}']`;
const RESP = `/${L("Response")}`;
const ASSERTION = `${RESP}/${L("Assertion")}`;
const decodeB64 = (b64) => Buffer.from(b64, "base64").toString("utf8");
// SAML_IDP_SELFCHECK_DUMP=DIR keeps the keys and the responses for manual inspection.
const DUMP_DIR = process.env.SAML_IDP_SELFCHECK_DUMP;
function dump(name, content) {
    if (!DUMP_DIR) return;
    fs.mkdirSync(DUMP_DIR, { recursive: true });
    fs.writeFileSync(path.join(DUMP_DIR, name), content);
}

// --- optional cross-check with the xmlsec1 CLI (same libxmlsec1 as our C++ SP) ------------------------
function haveXmlsec1() {
    try { execFileSync("xmlsec1", ["--version"], { stdio: "ignore" }); return true; } catch { return false; }
}
const XMLSEC_IDS = ["--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:protocol:Response",
    "--id-attr:ID", "urn:oasis:names:tc:SAML:2.0:assertion:Assertion"];
let xmlsecSeq = 0;
function xmlsec1(args, xml) {
    const f = path.join(tmp, `xmlsec-${xmlsecSeq++}.xml`);
    fs.writeFileSync(f, xml);
    try {
        const out = execFileSync("xmlsec1", [...args, f], { stdio: ["ignore", "pipe", "pipe"] });
        return { ok: true, out: out.toString("utf8") };
    } catch (e) {
        return { ok: false, out: String(e.stdout || ""), err: String(e.stderr || e.message) };
    }
}
const verifyWith = (certFile, xml, nodeXpath) => xmlsec1(["--verify", "--pubkey-cert-pem", certFile, ...XMLSEC_IDS,
    ...(nodeXpath ? ["--node-xpath", nodeXpath] : [])], xml);
const ASSERTION_SIG_XPATH = "//*[local-name()='Assertion']/*[local-name()='Signature']";

// --- IdP children -------------------------------------------------------------------------------
function startIdp(name, cfg) {
    const cfgPath = path.join(tmp, `${name}.json`);
    fs.writeFileSync(cfgPath, JSON.stringify(cfg));
    const child = spawn(process.execPath, [IDP_SCRIPT, cfgPath], { stdio: ["pipe", "pipe", "pipe"] });
    const st = { name, child, stderr: "", stdout: "", exit: null };
    st.exited = new Promise((resolve) => child.on("exit", (code, signal) => { st.exit = { code, signal }; resolve(st.exit); }));
    child.stderr.on("data", (d) => { st.stderr += d; });
    st.ready = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no ready line within 30 s\n${st.stderr}`)), 30_000);
        child.stdout.on("data", (d) => {
            st.stdout += d;
            const nl = st.stdout.indexOf("\n");
            if (nl >= 0 && !st.info) {
                clearTimeout(timer);
                try { st.info = JSON.parse(st.stdout.slice(0, nl)); resolve(st.info); } catch (e) { reject(new Error(`${name}: bad ready line ${st.stdout.slice(0, nl)}`)); }
            }
        });
        st.exited.then((x) => { clearTimeout(timer); if (!st.info) reject(new Error(`${name}: exited ${JSON.stringify(x)} before ready\n${st.stderr}`)); });
    });
    st.ready.catch(() => {}); // surfaced by whoever awaits it
    return st;
}

async function getJson(url) {
    const r = await fetch(url);
    const body = await r.text();
    let json;
    try { json = JSON.parse(body); } catch { json = { unparsable: body }; }
    return { status: r.status, json };
}

// Replace one query parameter's raw (still URL-encoded) value.
function withParam(url, key, mutate) {
    const [base, query] = url.split("?");
    const parts = query.split("&").map((p) => {
        const [k, v] = [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)];
        return k === key ? (mutate(v) === null ? null : `${k}=${mutate(v)}`) : p;
    }).filter((p) => p !== null);
    return `${base}?${parts.join("&")}`;
}

async function main() {
    const watchdog = setTimeout(() => { say("FAIL - global timeout"); process.exit(1); }, GLOBAL_TIMEOUT_MS);
    watchdog.unref();

    const idpKeys = keyPair("idp", "saml-idp-selfcheck IdP");
    const spSign = keyPair("sp-sign", "saml-idp-selfcheck SP signing");
    const spEnc = keyPair("sp-enc", "saml-idp-selfcheck SP encryption");

    const SP_ENTITY = "https://sp.selfcheck.test/saml/metadata";
    const ACS_DEFAULT = "https://sp.selfcheck.test/saml/acs";
    const ACS_ALT = "https://sp.selfcheck.test/saml/acs-alt";
    const sp = samlify.ServiceProvider({
        entityID: SP_ENTITY,
        authnRequestsSigned: true,
        wantAssertionsSigned: true,
        privateKey: spSign.key,
        signingCert: spSign.cert,
        encryptCert: spEnc.cert,
        encPrivateKey: spEnc.key,
        nameIDFormat: [URI.email],
        // samlify's AuthnRequest names the *last* POST ACS; IdP-initiated must pick isDefault.
        assertionConsumerService: [
            { Binding: Constants.namespace.binding.post, Location: ACS_DEFAULT, isDefault: true },
            { Binding: Constants.namespace.binding.post, Location: ACS_ALT },
        ],
    });
    const user = {
        nameId: "ada.lovelace@example.test",
        email: "ada@example.test",
        displayName: "Ada <Lovelace> & \"Co\"",
        groups: ["engineering", "admins", "r&d <core>"],
    };
    const baseCfg = {
        port: 0, keyPem: idpKeys.key, certPem: idpKeys.cert, spMetadataXml: sp.getMetadata(), user,
    };
    const variants = {
        main: { signResponse: true, signAssertion: true, encryptAssertion: false },
        respOnly: { signResponse: true, signAssertion: false, encryptAssertion: false, signatureAlgorithm: "rsa-sha512", authnContextClassRef: URI.x509 },
        assertOnly: { signResponse: false, signAssertion: true, encryptAssertion: false },
        unsigned: { signResponse: false, signAssertion: false, encryptAssertion: false },
        enc: { signResponse: true, signAssertion: true, encryptAssertion: true },
        encAssertOnly: { signResponse: false, signAssertion: true, encryptAssertion: true, entityId: "urn:selfcheck:idp" },
    };
    const idps = {};
    for (const [name, v] of Object.entries(variants)) idps[name] = startIdp(name, { ...baseCfg, ...v });

    // Config error -> exit 2 (runs while the others start).
    await section("config error", async () => {
        const bad = startIdp("badcfg", { ...baseCfg, user: { email: "x@example.test" } });
        const x = await bad.exited;
        check("config without user.nameId exits with code 2", x.code === 2, x);
        check("config error is explained on stderr", /user\.nameId/.test(bad.stderr), bad.stderr);
        check("config error prints nothing on stdout", bad.stdout === "", bad.stdout);
    });

    // Warm the local xmllint (samlify SP side) while the children start.
    await samlify.SamlLib.isValidXml(`<samlp:Status xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`);

    const spView = {}; // samlify IdP objects built from each child's metadata
    for (const [name, st] of Object.entries(idps)) {
        const info = await st.ready;
        spView[name] = samlify.IdentityProvider({ metadata: info.metadata, isAssertionEncrypted: variants[name].encryptAssertion });
    }
    say(`# all IdPs ready after ${Date.now() - T0} ms`);

    // --- metadata ---
    await section("metadata", async () => {
        const { base, metadata } = idps.main.info;
        check("ready line has base http://127.0.0.1:PORT", /^http:\/\/127\.0\.0\.1:\d+$/.test(base), base);
        const md = dom(metadata);
        const ssoLoc = attr(`//${L("IDPSSODescriptor")}/${L("SingleSignOnService")}[@Binding='${Constants.namespace.binding.redirect}']/@Location`, md);
        check("metadata: HTTP-Redirect SSO at BASE/sso", ssoLoc === `${base}/sso`, ssoLoc);
        check("metadata: WantAuthnRequestsSigned=true", attr(`//${L("IDPSSODescriptor")}/@WantAuthnRequestsSigned`, md) === "true");
        check("metadata: NameIDFormat emailAddress", text(`//${L("IDPSSODescriptor")}/${L("NameIDFormat")}`, md) === URI.email);
        check("metadata: signing certificate", certBody(text(`//${L("KeyDescriptor")}[@use='signing']//${L("X509Certificate")}`, md) || "") === certBody(idpKeys.cert));
        check("metadata: default entityID is BASE/metadata", attr(`/${L("EntityDescriptor")}/@entityID`, md) === `${base}/metadata`);
        check("metadata: configured entityID is used", attr(`/${L("EntityDescriptor")}/@entityID`, dom(idps.encAssertOnly.info.metadata)) === "urn:selfcheck:idp");
        const r = await fetch(`${base}/metadata`);
        check("GET /metadata serves the same XML", r.status === 200 && (await r.text()) === metadata);
        for (const [name, st] of Object.entries(idps)) {
            check(`${name}: exactly one line on stdout`, st.stdout.split("\n").filter(Boolean).length === 1, st.stdout);
        }
    });

    // Common assertions on a (decrypted) response XML.
    function checkResponseXml(tag, xml, { acs, inResponseTo, classRef = URI.ppt, entityId }) {
        const d = dom(xml);
        const now = Date.now();
        check(`${tag}: Response Destination = ACS`, attr(`${RESP}/@Destination`, d) === acs, attr(`${RESP}/@Destination`, d));
        check(`${tag}: Response Issuer = IdP entityID`, text(`${RESP}/${L("Issuer")}`, d) === entityId);
        check(`${tag}: Status Success`, attr(`${RESP}/${L("Status")}/${L("StatusCode")}/@Value`, d) === Constants.StatusCode.Success);
        check(`${tag}: Assertion Issuer = IdP entityID`, text(`${ASSERTION}/${L("Issuer")}`, d) === entityId);
        check(`${tag}: NameID emailAddress = user.nameId`,
            text(`${ASSERTION}/${L("Subject")}/${L("NameID")}`, d) === user.nameId &&
            attr(`${ASSERTION}/${L("Subject")}/${L("NameID")}/@Format`, d) === URI.email);
        const scd = `${ASSERTION}/${L("Subject")}/${L("SubjectConfirmation")}`;
        check(`${tag}: SubjectConfirmation bearer`, attr(`${scd}/@Method`, d) === URI.bearer);
        check(`${tag}: SubjectConfirmationData Recipient = ACS`, attr(`${scd}/${L("SubjectConfirmationData")}/@Recipient`, d) === acs);
        const scdNooa = Date.parse(attr(`${scd}/${L("SubjectConfirmationData")}/@NotOnOrAfter`, d));
        check(`${tag}: SubjectConfirmationData NotOnOrAfter ~ now+5min`, Math.abs(scdNooa - now - 300_000) < 60_000, new Date(scdNooa).toISOString());
        const nb = Date.parse(attr(`${ASSERTION}/${L("Conditions")}/@NotBefore`, d));
        const nooa = Date.parse(attr(`${ASSERTION}/${L("Conditions")}/@NotOnOrAfter`, d));
        check(`${tag}: Conditions NotBefore <= now < NotOnOrAfter`, nb <= now && nooa > now && nooa - nb >= 240_000, { nb, nooa, now });
        check(`${tag}: Audience = SP entityID`, text(`${ASSERTION}/${L("Conditions")}/${L("AudienceRestriction")}/${L("Audience")}`, d) === SP_ENTITY);
        const as = `${ASSERTION}/${L("AuthnStatement")}`;
        check(`${tag}: AuthnStatement SessionIndex`, /^_session_/.test(attr(`${as}/@SessionIndex`, d) || ""));
        check(`${tag}: AuthnStatement AuthnInstant`, Number.isFinite(Date.parse(attr(`${as}/@AuthnInstant`, d))));
        check(`${tag}: AuthnContextClassRef`, text(`${as}/${L("AuthnContext")}/${L("AuthnContextClassRef")}`, d) === classRef,
            text(`${as}/${L("AuthnContext")}/${L("AuthnContextClassRef")}`, d));
        const attrVals = (n) => sel(`${ASSERTION}/${L("AttributeStatement")}/${L("Attribute")}[@Name='${n}']/${L("AttributeValue")}`, d).map((x) => x.textContent);
        check(`${tag}: attribute email`, JSON.stringify(attrVals("email")) === JSON.stringify([user.email]), attrVals("email"));
        check(`${tag}: attribute displayName (escaped correctly)`, JSON.stringify(attrVals("displayName")) === JSON.stringify([user.displayName]), attrVals("displayName"));
        check(`${tag}: attribute groups = one Attribute, one AttributeValue per group`,
            sel(`${ASSERTION}/${L("AttributeStatement")}/${L("Attribute")}[@Name='groups']`, d).length === 1 &&
            JSON.stringify(attrVals("groups")) === JSON.stringify(user.groups), attrVals("groups"));
        const irts = sel(`//@InResponseTo`, d).map((a) => a.value);
        if (inResponseTo) {
            check(`${tag}: InResponseTo on Response and SubjectConfirmationData`,
                attr(`${RESP}/@InResponseTo`, d) === inResponseTo &&
                attr(`${scd}/${L("SubjectConfirmationData")}/@InResponseTo`, d) === inResponseTo, irts);
        } else {
            check(`${tag}: no InResponseTo attribute anywhere (unsolicited)`, irts.length === 0, irts);
        }
        check(`${tag}: no unfilled {placeholders}`, !/\{[A-Za-z]+\}/.test(xml));
        return d;
    }
    function sigInfo(d, parentExpr) {
        const s = `${parentExpr}/${L("Signature")}`;
        return {
            count: sel(s, d).length,
            method: attr(`${s}/${L("SignedInfo")}/${L("SignatureMethod")}/@Algorithm`, d),
            digest: attr(`${s}/${L("SignedInfo")}/${L("Reference")}/${L("DigestMethod")}/@Algorithm`, d),
            c14n: attr(`${s}/${L("SignedInfo")}/${L("CanonicalizationMethod")}/@Algorithm`, d),
            transforms: sel(`${s}/${L("SignedInfo")}/${L("Reference")}/${L("Transforms")}/${L("Transform")}/@Algorithm`, d).map((a) => a.value),
            refUri: attr(`${s}/${L("SignedInfo")}/${L("Reference")}/@URI`, d),
            cert: certBody(text(`${s}/${L("KeyInfo")}//${L("X509Certificate")}`, d) || ""),
        };
    }

    // --- (a) SP-initiated ---
    let shownXml = null;
    await section("SP-initiated", async () => {
        const relay = "selfcheck/return?to=a&b=c +%";
        const { id, context: url } = sp.createLoginRequest(spView.main, "redirect", { relayState: relay });
        check("(a) samlify SP built a signed redirect URL", /[?&]Signature=/.test(url) && /[?&]SigAlg=/.test(url), url);
        const { status, json } = await getJson(url);
        if (!check("(a) GET /sso -> 200", status === 200, json)) return;
        check("(a) acs = AssertionConsumerServiceURL of the request (in SP metadata)", json.acs === ACS_ALT, json.acs);
        check("(a) RelayState echoed", json.RelayState === relay, json.RelayState);
        check("(a) inResponseTo = request ID", json.inResponseTo === id, { got: json.inResponseTo, id });
        const xml = decodeB64(json.SAMLResponse);
        shownXml = xml;
        dump("sp-initiated.xml", xml);
        const d = checkResponseXml("(a)", xml, { acs: ACS_ALT, inResponseTo: id, entityId: idps.main.info.base + "/metadata" });
        const rs = sigInfo(d, RESP), as = sigInfo(d, ASSERTION);
        check("(a) Response signed once", rs.count === 1 && rs.refUri === `#${attr(`${RESP}/@ID`, d)}`, rs);
        check("(a) Assertion signed once", as.count === 1 && as.refUri === `#${attr(`${ASSERTION}/@ID`, d)}`, as);
        check("(a) rsa-sha256 / sha256 / exc-c14n / enveloped+exc-c14n transforms",
            [rs, as].every((s) => s.method === URI.rsaSha256 && s.digest === URI.sha256 && s.c14n === URI.excC14n &&
                JSON.stringify(s.transforms) === JSON.stringify([URI.enveloped, URI.excC14n])), [rs, as]);
        check("(a) KeyInfo carries the IdP certificate", rs.cert === certBody(idpKeys.cert) && as.cert === certBody(idpKeys.cert));
        const schemaOk = await samlify.SamlLib.isValidXml(xml).then(() => true, () => false);
        check("(a) response is valid against the SAML XSD", schemaOk);
        const parsed = await sp.parseLoginResponse(spView.main, "post", { body: { SAMLResponse: json.SAMLResponse } });
        const ex = parsed.extract;
        check("(a) samlify SP: NameID", ex.nameID === user.nameId, ex.nameID);
        check("(a) samlify SP: InResponseTo", ex.response?.inResponseTo === id, ex.response);
        check("(a) samlify SP: attributes", ex.attributes?.email === user.email && ex.attributes?.displayName === user.displayName, ex.attributes);
        check("(a) samlify SP: groups multi-valued", JSON.stringify(ex.attributes?.groups) === JSON.stringify(user.groups), ex.attributes?.groups);
        check("(a) samlify SP: audience / issuer", ex.audience === SP_ENTITY && ex.issuer === idps.main.info.base + "/metadata", { aud: ex.audience, iss: ex.issuer });
        check("(a) samlify SP: sessionIndex", /^_session_/.test(ex.sessionIndex?.sessionIndex || ""), ex.sessionIndex);
    });

    // --- (b) IdP-initiated ---
    await section("IdP-initiated", async () => {
        const relay = "deep/link?x=1&y=2";
        const { status, json } = await getJson(`${idps.main.info.base}/idp-initiated?RelayState=${encodeURIComponent(relay)}`);
        if (!check("(b) GET /idp-initiated -> 200", status === 200, json)) return;
        check("(b) acs = default ACS (isDefault=true)", json.acs === ACS_DEFAULT, json.acs);
        check("(b) RelayState echoed", json.RelayState === relay, json.RelayState);
        check("(b) no inResponseTo in the JSON", !("inResponseTo" in json), json.inResponseTo);
        const xml = decodeB64(json.SAMLResponse);
        checkResponseXml("(b)", xml, { acs: ACS_DEFAULT, inResponseTo: null, entityId: idps.main.info.base + "/metadata" });
        const parsed = await sp.parseLoginResponse(spView.main, "post", { body: { SAMLResponse: json.SAMLResponse } });
        check("(b) samlify SP parses it: NameID + groups", parsed.extract.nameID === user.nameId &&
            JSON.stringify(parsed.extract.attributes?.groups) === JSON.stringify(user.groups), parsed.extract);
        check("(b) samlify SP: no InResponseTo", !parsed.extract.response?.inResponseTo, parsed.extract.response);
        const noRelay = await getJson(`${idps.main.info.base}/idp-initiated`);
        check("(b) without RelayState -> RelayState \"\"", noRelay.status === 200 && noRelay.json.RelayState === "", noRelay.json.RelayState);
    });

    // --- (c) rejections ---
    await section("rejections", async () => {
        const base = idps.main.info.base;
        const expect400 = async (label, url, re) => {
            const { status, json } = await getJson(url);
            check(`(c) ${label} -> 400 ${re}`, status === 400 && re.test(json.error || ""), { status, json });
            return json;
        };
        const { context: url } = sp.createLoginRequest(spView.main, "redirect", { relayState: "r1" });
        await expect400("tampered Signature", withParam(url, "Signature", (v) => {
            const sig = Buffer.from(decodeURIComponent(v), "base64");
            sig[10] ^= 0x01;
            return encodeURIComponent(sig.toString("base64"));
        }), /ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION/);
        await expect400("tampered RelayState", withParam(url, "RelayState", () => "r2"), /ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION/);
        await expect400("missing Signature", withParam(url, "Signature", () => null), /ERR_MISSING_SIG_ALG/);
        // Signed by another key that claims the same SP entityID.
        const rogueKeys = keyPair("rogue", "rogue SP");
        const rogue = samlify.ServiceProvider({
            entityID: SP_ENTITY, authnRequestsSigned: true, wantAssertionsSigned: true, privateKey: rogueKeys.key, signingCert: rogueKeys.cert,
            assertionConsumerService: [{ Binding: Constants.namespace.binding.post, Location: ACS_DEFAULT }],
        });
        await expect400("request signed with a key not in SP metadata", rogue.createLoginRequest(spView.main, "redirect").context, /ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION/);
        // Properly signed, but not schema-valid (no IssueInstant).
        const now = new Date().toISOString();
        const mk = (attrs, issuer = SP_ENTITY) => sp.createLoginRequest(spView.main, "redirect", {
            customTagReplacement: () => ({
                id: "_bad",
                context: `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_bad" Version="2.0" ${attrs}><saml:Issuer>${issuer}</saml:Issuer></samlp:AuthnRequest>`,
            }),
        }).context;
        const sso = `${base}/sso`;
        const j = await expect400("schema-invalid AuthnRequest (no IssueInstant)", mk(`Destination="${sso}"`), /ERR_INVALID_XML/);
        check("(c) schema error detail is reported", /IssueInstant/.test(j.detail || ""), j.detail);
        await expect400("ACS URL not in SP metadata", mk(`IssueInstant="${now}" Destination="${sso}" AssertionConsumerServiceURL="https://evil.test/acs"`), /ERR_ACS_URL_NOT_IN_SP_METADATA/);
        await expect400("foreign Issuer", mk(`IssueInstant="${now}" Destination="${sso}"`, "https://other-sp.test"), /ERR_REQUEST_ISSUER_MISMATCH/);
        await expect400("wrong Destination", mk(`IssueInstant="${now}" Destination="${base}/elsewhere"`), /ERR_REQUEST_DESTINATION_MISMATCH/);
        await expect400("stale IssueInstant", mk(`IssueInstant="2001-01-01T00:00:00Z" Destination="${sso}"`), /ERR_REQUEST_ISSUE_INSTANT_OUT_OF_RANGE/);
        const okMin = await getJson(mk(`IssueInstant="${now}" Destination="${sso}"`));
        check("(c) minimal valid request (no ACS URL) -> 200 with default ACS", okMin.status === 200 && okMin.json.acs === ACS_DEFAULT && okMin.json.inResponseTo === "_bad", okMin.json);
        await expect400("no SAMLRequest", `${sso}?RelayState=x`, /ERR_MISSING_SAMLREQUEST/);
    });

    // --- (d) encrypted assertion ---
    await section("encryptAssertion", async () => {
        const { id, context: url } = sp.createLoginRequest(spView.enc, "redirect", { relayState: "enc" });
        const { status, json } = await getJson(url);
        if (!check("(d) GET /sso (encrypting IdP) -> 200", status === 200, json)) return;
        const xml = decodeB64(json.SAMLResponse);
        dump("encrypted.xml", xml);
        const d = dom(xml);
        const ea = `${RESP}/${L("EncryptedAssertion")}`;
        check("(d) Assertion replaced by EncryptedAssertion", sel(ea, d).length === 1 && sel(ASSERTION, d).length === 0);
        const dataAlg = attr(`${ea}/${L("EncryptedData")}/${L("EncryptionMethod")}/@Algorithm`, d);
        const keyAlg = attr(`${ea}//${L("EncryptedKey")}/${L("EncryptionMethod")}/@Algorithm`, d);
        check("(d) data encryption aes256-cbc", dataAlg === URI.aes256cbc, dataAlg);
        check("(d) key transport rsa-oaep-mgf1p (not rsa-1_5)", keyAlg === URI.rsaOaep && !xml.includes(URI.rsa15), keyAlg);
        check("(d) key encrypted to the SP *encryption* certificate",
            certBody(text(`${ea}//${L("EncryptedKey")}//${L("X509Certificate")}`, d) || "") === certBody(spEnc.cert));
        const rs = sigInfo(d, RESP);
        check("(d) Response signature computed after encryption (encrypt-then-sign)", rs.count === 1);
        const parsed = await sp.parseLoginResponse(spView.enc, "post", { body: { SAMLResponse: json.SAMLResponse } });
        check("(d) samlify SP decrypts: NameID, groups, InResponseTo", parsed.extract.nameID === user.nameId &&
            JSON.stringify(parsed.extract.attributes?.groups) === JSON.stringify(user.groups) &&
            parsed.extract.response?.inResponseTo === id, parsed.extract);
        const dd = checkResponseXml("(d) decrypted", parsed.samlContent, { acs: ACS_ALT, inResponseTo: id, entityId: idps.enc.info.base + "/metadata" });
        check("(d) decrypted Assertion carries its own signature", sigInfo(dd, ASSERTION).count === 1);

        const r2 = await getJson(`${idps.encAssertOnly.info.base}/idp-initiated`);
        if (!check("(d) encrypted + assertion-only signature: 200", r2.status === 200, r2.json)) return;
        const d2 = dom(decodeB64(r2.json.SAMLResponse));
        check("(d) encrypted + signResponse=false: no Response signature", sigInfo(d2, RESP).count === 0);
        const p2 = await sp.parseLoginResponse(spView.encAssertOnly, "post", { body: { SAMLResponse: r2.json.SAMLResponse } });
        check("(d) samlify SP decrypts then verifies the assertion signature", p2.extract.nameID === user.nameId &&
            p2.extract.issuer === "urn:selfcheck:idp", p2.extract);
    });

    // --- (e) signing flags ---
    await section("signing flags", async () => {
        const get = async (name) => {
            const { status, json } = await getJson(`${idps[name].info.base}/idp-initiated`);
            if (status !== 200) throw new Error(`${name}: /idp-initiated ${status} ${JSON.stringify(json)}`);
            return json.SAMLResponse;
        };
        const respOnly = await get("respOnly");
        let d = dom(decodeB64(respOnly));
        let rs = sigInfo(d, RESP), as = sigInfo(d, ASSERTION);
        check("(e) signResponse only: Response signed, Assertion not", rs.count === 1 && as.count === 0, { rs, as });
        check("(e) signatureAlgorithm rsa-sha512 -> rsa-sha512 + sha512 digest", rs.method === URI.rsaSha512 && rs.digest === URI.sha512, rs);
        check("(e) authnContextClassRef from config", text(`${ASSERTION}/${L("AuthnStatement")}//${L("AuthnContextClassRef")}`, d) === URI.x509);
        check("(e) samlify SP accepts response-only signature",
            (await sp.parseLoginResponse(spView.respOnly, "post", { body: { SAMLResponse: respOnly } })).extract.nameID === user.nameId);

        const assertOnly = await get("assertOnly");
        d = dom(decodeB64(assertOnly));
        rs = sigInfo(d, RESP); as = sigInfo(d, ASSERTION);
        check("(e) signAssertion only: Assertion signed, Response not", rs.count === 0 && as.count === 1, { rs, as });
        check("(e) samlify SP accepts assertion-only signature",
            (await sp.parseLoginResponse(spView.assertOnly, "post", { body: { SAMLResponse: assertOnly } })).extract.nameID === user.nameId);

        const unsigned = await get("unsigned");
        const ux = decodeB64(unsigned);
        d = dom(ux);
        check("(e) both flags false: no signature at all", sel(`//${L("Signature")}`, d).length === 0, ux);
        const rej = await sp.parseLoginResponse(spView.unsigned, "post", { body: { SAMLResponse: unsigned } }).then(() => "accepted", (e) => String(e?.message || e));
        check("(e) samlify SP rejects the unsigned response", /FAILED_TO_VERIFY_SIGNATURE/.test(rej), rej);
        check("(e) unsigned response is still schema-valid", await samlify.SamlLib.isValidXml(ux).then(() => true, () => false));
    });

    // --- libxmlsec1 cross-check (skipped when the xmlsec1 CLI is not installed) ---
    await section("xmlsec1", async () => {
        if (!haveXmlsec1()) { say("skip - xmlsec1 CLI not installed: libxmlsec1 cross-check skipped"); return; }
        const idpCertFile = path.join(tmp, "idp.cert.pem"), encKeyFile = path.join(tmp, "sp-enc.key.pem");
        const main = await getJson(sp.createLoginRequest(spView.main, "redirect").context);
        const xml = decodeB64(main.json.SAMLResponse);
        let r = verifyWith(idpCertFile, xml);
        check("(x) xmlsec1 verifies the Response signature", r.ok, r.err);
        r = verifyWith(idpCertFile, xml, ASSERTION_SIG_XPATH);
        check("(x) xmlsec1 verifies the Assertion signature", r.ok, r.err);
        const forged = xml.replace(`>${user.nameId}<`, ">mallory@example.test<");
        check("(x) xmlsec1 rejects a modified NameID (Response sig)", forged !== xml && !verifyWith(idpCertFile, forged).ok);
        check("(x) xmlsec1 rejects a modified NameID (Assertion sig)", !verifyWith(idpCertFile, forged, ASSERTION_SIG_XPATH).ok);

        const enc = await getJson(sp.createLoginRequest(spView.enc, "redirect").context);
        const exml = decodeB64(enc.json.SAMLResponse);
        r = verifyWith(idpCertFile, exml);
        check("(x) xmlsec1 verifies the Response signature over the EncryptedAssertion", r.ok, r.err);
        const dec = xmlsec1(["--decrypt", "--privkey-pem", encKeyFile], exml);
        check("(x) xmlsec1 decrypts the assertion with the SP encryption key", dec.ok && dec.out.includes(user.nameId), dec.err);
        if (dec.ok) {
            r = verifyWith(idpCertFile, dec.out, ASSERTION_SIG_XPATH);
            check("(x) xmlsec1 verifies the decrypted Assertion signature", r.ok, r.err);
        }
    });

    if (shownXml) {
        process.stderr.write("\n----- (e) SP-initiated response XML (main config) -----\n" + shownXml + "\n-----\n\n");
    }

    // --- (f) lifecycle ---
    await section("lifecycle", async () => {
        const main = idps.main;
        main.child.stdin.end();
        const x = await Promise.race([main.exited, new Promise((r) => setTimeout(() => r("timeout"), 5000))]);
        check("(f) stdin EOF -> exit 0", x !== "timeout" && x.code === 0, x);
        for (const [name, st] of Object.entries(idps)) {
            if (name === "main") continue;
            st.child.kill("SIGTERM");
            const y = await Promise.race([st.exited, new Promise((r) => setTimeout(() => r("timeout"), 5000))]);
            check(`(f) ${name}: SIGTERM -> exit 0`, y !== "timeout" && y.code === 0, y);
        }
    });

    for (const st of Object.values(idps)) if (!st.exit) st.child.kill("SIGKILL");
    if (failed) {
        for (const st of Object.values(idps)) process.stderr.write(`\n----- stderr of ${st.name} -----\n${st.stderr}`);
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    say(`# ${Date.now() - T0} ms`);
    say(`selfcheck: ${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
}

main().catch((e) => {
    say(`FAIL - self-check crashed: ${e?.stack || e}`);
    say(`selfcheck: ${passed} passed, ${failed + 1} failed`);
    try { fs.rmSync(tmp, { recursive: true, force: true }); } catch { /* ignore */ }
    process.exit(1);
});
