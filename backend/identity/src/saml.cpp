#include "upcoach/identity/saml.h"

#include "samlxml.h"
#include "upcoach/core/crypto.h"

#include <QCryptographicHash>
#include <QUrlQuery>
#include <QUuid>
#include <QXmlStreamWriter>
#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <xmlsec/crypto.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlenc.h>

namespace upcoach::identity {

using namespace samlxml;

namespace {

Error refused(const QString &why)
{
    return makeError(ErrorCode::Unauthorized, QStringLiteral("SAML response refused: ") + why);
}

// ---- signatures ----

// The transforms a SAML signature may use. Anything else (XPath, XSLT, base64, a second
// reference to another document) makes xmlsec refuse the signature.
void enableTransforms(xmlSecDSigCtxPtr ctx, bool allowSha1)
{
    const xmlSecTransformId canonical[] = {xmlSecTransformExclC14NId,
                                           xmlSecTransformExclC14NWithCommentsId,
                                           xmlSecTransformInclC14NId};
    for (xmlSecTransformId id : canonical) {
        xmlSecDSigCtxEnableSignatureTransform(ctx, id);
        xmlSecDSigCtxEnableReferenceTransform(ctx, id);
    }
    xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformEnvelopedId);
    const xmlSecTransformId digests[] = {xmlSecTransformSha256Id, xmlSecTransformSha384Id,
                                         xmlSecTransformSha512Id};
    for (xmlSecTransformId id : digests)
        xmlSecDSigCtxEnableReferenceTransform(ctx, id);
    const xmlSecTransformId methods[] = {
        xmlSecTransformRsaSha256Id,   xmlSecTransformRsaSha384Id,   xmlSecTransformRsaSha512Id,
        xmlSecTransformEcdsaSha256Id, xmlSecTransformEcdsaSha384Id, xmlSecTransformEcdsaSha512Id};
    for (xmlSecTransformId id : methods)
        xmlSecDSigCtxEnableSignatureTransform(ctx, id);
    if (allowSha1) {
        xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformSha1Id);
        xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformRsaSha1Id);
        xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformEcdsaSha1Id);
    }
}

struct KeyDeleter
{
    void operator()(xmlSecKeyPtr key) const { xmlSecKeyDestroy(key); }
};
using KeyPtr = std::unique_ptr<xmlSecKey, KeyDeleter>;

std::vector<KeyPtr> loadCertificateKeys(const QList<QByteArray> &certificatesPem)
{
    std::vector<KeyPtr> keys;
    for (const QByteArray &pem : certificatesPem) {
        xmlSecKeyPtr key =
            xmlSecCryptoAppKeyLoadMemory(reinterpret_cast<const xmlSecByte *>(pem.constData()),
                                         static_cast<xmlSecSize>(pem.size()),
                                         xmlSecKeyDataFormatCertPem, nullptr, nullptr, nullptr);
        if (key)
            keys.emplace_back(key);
    }
    return keys;
}

// Verifies the enveloped <ds:Signature> `signature`, a direct child of `element`, with one of
// `keys` (never a key from the document's KeyInfo). Wrapping defences: the signature has exactly
// one Reference, to "#<element's ID>", and the ID is registered for this element only, so what
// was verified is the very element the caller then reads.
Status verifyEnveloped(xmlNodePtr element, xmlNodePtr signature, const std::vector<KeyPtr> &keys,
                       bool allowSha1, const QString &what)
{
    const std::optional<QString> id = attribute(element, "ID");
    if (!id || id->isEmpty())
        return refused(what + QStringLiteral(" has no ID to sign"));
    xmlNodePtr signedInfo = firstElement(signature);
    if (!signedInfo || !isElement(signedInfo, kDsNs, "SignedInfo"))
        return refused(what + QStringLiteral(" signature has no SignedInfo"));
    std::vector<xmlNodePtr> references = childElements(signedInfo, kDsNs, "Reference");
    if (references.size() != 1)
        return refused(what + QStringLiteral(" signature must have exactly one Reference"));
    if (attribute(references.front(), "URI") != QStringLiteral("#") + *id)
        return refused(what + QStringLiteral(" signature does not refer to the signed element"));
    xmlAttrPtr idAttribute = xmlHasProp(element, BAD_CAST "ID");
    xmlRemoveID(element->doc, idAttribute);
    if (!xmlAddID(nullptr, element->doc,
                  idAttribute->children ? idAttribute->children->content : BAD_CAST "",
                  idAttribute))
        return refused(what + QStringLiteral(" ID is not unique"));

    if (keys.empty())
        return makeError(ErrorCode::Config,
                         QStringLiteral("the connection has no usable IdP signing certificate"));
    for (const KeyPtr &key : keys) {
        std::unique_ptr<xmlSecDSigCtx, decltype(&xmlSecDSigCtxDestroy)> ctx(
            xmlSecDSigCtxCreate(nullptr), &xmlSecDSigCtxDestroy);
        if (!ctx)
            return makeError(ErrorCode::Internal, QStringLiteral("xmlsec: no signature context"));
        ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
        enableTransforms(ctx.get(), allowSha1);
        ctx->signKey = xmlSecKeyDuplicate(key.get());
        if (xmlSecDSigCtxVerify(ctx.get(), signature) < 0)
            continue;
        if (ctx->status != xmlSecDSigStatusSucceeded)
            continue;
        if (xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1)
            continue;
        auto *reference = static_cast<xmlSecDSigReferenceCtxPtr>(
            xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0));
        if (!reference || reference->status != xmlSecDSigStatusSucceeded ||
            QString::fromUtf8(reinterpret_cast<const char *>(reference->uri)) !=
                QStringLiteral("#") + *id)
            continue;
        return {};
    }
    return refused(what + QStringLiteral(" signature does not verify with the connection's "
                                         "certificate"));
}

// ---- encrypted assertions ----

const char *const kAllowedDataEncryption[] = {
    "http://www.w3.org/2001/04/xmlenc#aes128-cbc", "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
    "http://www.w3.org/2009/xmlenc11#aes128-gcm", "http://www.w3.org/2009/xmlenc11#aes256-gcm"};
const char *const kAllowedKeyTransport[] = {"http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"};

bool allowedAlgorithm(const QString &algorithm, const auto &allowed)
{
    for (const char *candidate : allowed)
        if (algorithm == QLatin1String(candidate))
            return true;
    return false;
}

// Decrypts <saml:EncryptedAssertion> in place with the SP's private key; the decrypted
// <saml:Assertion> replaces its <xenc:EncryptedData>.
Result<xmlNodePtr> decryptAssertion(xmlNodePtr encryptedAssertion, const QByteArray &privateKeyPem)
{
    std::vector<xmlNodePtr> data = childElements(encryptedAssertion, kXencNs, "EncryptedData");
    if (data.size() != 1)
        return refused(QStringLiteral("EncryptedAssertion must hold exactly one EncryptedData"));
    // Algorithms first: RSA PKCS#1 v1.5 key transport (Bleichenbacher) and anything unexpected
    // are refused before any decryption is attempted.
    bool sawKey = false;
    for (xmlNodePtr node : descendants(encryptedAssertion)) {
        if (!isElement(node, kXencNs, "EncryptionMethod"))
            continue;
        const QString algorithm = attribute(node, "Algorithm").value_or(QString());
        const bool isKey = node->parent && isElement(node->parent, kXencNs, "EncryptedKey");
        sawKey = sawKey || isKey;
        if (!(isKey ? allowedAlgorithm(algorithm, kAllowedKeyTransport)
                    : allowedAlgorithm(algorithm, kAllowedDataEncryption)))
            return refused(QStringLiteral("encryption algorithm not allowed"));
    }
    if (!sawKey)
        return refused(QStringLiteral("EncryptedAssertion carries no EncryptedKey"));
    if (privateKeyPem.isEmpty())
        return makeError(ErrorCode::Config, QStringLiteral("the SP has no decryption key"));

    std::unique_ptr<xmlSecKeysMngr, decltype(&xmlSecKeysMngrDestroy)> manager(
        xmlSecKeysMngrCreate(), &xmlSecKeysMngrDestroy);
    if (!manager || xmlSecCryptoAppDefaultKeysMngrInit(manager.get()) < 0)
        return makeError(ErrorCode::Internal, QStringLiteral("xmlsec: no keys manager"));
    xmlSecKeyPtr key = xmlSecCryptoAppKeyLoadMemory(
        reinterpret_cast<const xmlSecByte *>(privateKeyPem.constData()),
        static_cast<xmlSecSize>(privateKeyPem.size()), xmlSecKeyDataFormatPem, nullptr, nullptr,
        nullptr);
    if (!key)
        return makeError(ErrorCode::Config, QStringLiteral("the SP decryption key does not load"));
    if (xmlSecCryptoAppDefaultKeysMngrAdoptKey(manager.get(), key) < 0) {
        xmlSecKeyDestroy(key);
        return makeError(ErrorCode::Internal, QStringLiteral("xmlsec: key not adopted"));
    }
    std::unique_ptr<xmlSecEncCtx, decltype(&xmlSecEncCtxDestroy)> ctx(
        xmlSecEncCtxCreate(manager.get()), &xmlSecEncCtxDestroy);
    if (!ctx)
        return makeError(ErrorCode::Internal, QStringLiteral("xmlsec: no encryption context"));
    ctx->transformCtx.enabledUris = xmlSecTransformUriTypeNone;
    ctx->keyInfoReadCtx.maxEncryptedKeyLevel = 1;
    if (xmlSecEncCtxDecrypt(ctx.get(), data.front()) < 0 || !ctx->resultReplaced)
        return refused(QStringLiteral("the encrypted assertion does not decrypt with the SP key"));
    std::vector<xmlNodePtr> assertions = childElements(encryptedAssertion, kSamlNs, "Assertion");
    if (assertions.size() != 1)
        return refused(QStringLiteral("the encrypted content is not one Assertion"));
    return assertions.front();
}

// ---- structure ----

// Document-wide invariants that wrapping attacks break: one assertion in the whole document,
// unique IDs, and signatures only where SAML puts them (a direct child of the Response or of
// the Assertion).
Status checkStructure(xmlNodePtr response)
{
    int assertions = 0;
    QSet<QString> ids;
    for (xmlNodePtr node : descendants(response, true)) {
        // An EncryptedAssertion counts until it is decrypted; then its Assertion counts.
        if (isElement(node, kSamlNs, "Assertion") ||
            (isElement(node, kSamlNs, "EncryptedAssertion") &&
             !childElement(node, kSamlNs, "Assertion")))
            ++assertions;
        if (const std::optional<QString> id = attribute(node, "ID")) {
            if (ids.contains(*id))
                return refused(QStringLiteral("duplicate ID attributes"));
            ids.insert(*id);
        }
        if (isElement(node, kDsNs, "Signature")) {
            xmlNodePtr parent = node->parent;
            const bool placed =
                parent == response ||
                (isElement(parent, kSamlNs, "Assertion") && parent->parent == response) ||
                (isElement(parent, kSamlNs, "Assertion") && parent->parent &&
                 isElement(parent->parent, kSamlNs, "EncryptedAssertion") &&
                 parent->parent->parent == response);
            if (!placed)
                return refused(QStringLiteral("a signature in an unexpected place"));
        }
    }
    if (assertions != 1)
        return refused(QStringLiteral("the response must carry exactly one assertion"));
    return {};
}

Result<QDateTime> instant(xmlNodePtr node, const char *name, bool required, const QString &where)
{
    const std::optional<QString> text = attribute(node, name);
    if (!text) {
        if (required)
            return refused(where + QStringLiteral(" has no ") + QLatin1String(name));
        return QDateTime();
    }
    QDateTime value = parseXsDateTime(*text);
    if (!value.isValid())
        return refused(where + QStringLiteral(" has a malformed ") + QLatin1String(name));
    return value;
}

Result<QString> requiredText(xmlNodePtr node, const QString &what)
{
    const std::optional<QString> text = textOnly(node);
    if (!text)
        return refused(what + QStringLiteral(" must be plain text (no comments or elements)"));
    const QString value = text->trimmed();
    if (value.isEmpty())
        return refused(what + QStringLiteral(" is empty"));
    return value;
}

Status checkIssuer(xmlNodePtr issuerNode, const SamlIdentityProvider &idp, const QString &where)
{
    auto issuer = requiredText(issuerNode, where + QStringLiteral(" Issuer"));
    if (!issuer)
        return issuer.error();
    if (*issuer != idp.entityId)
        return refused(where + QStringLiteral(" Issuer is not the connection's IdP"));
    return {};
}

} // namespace

void initialiseSaml()
{
    initialiseXmlSec();
}

namespace {

// The form value decoded and parsed (base64 with line breaks tolerated, then the safe parser),
// with a samlp:Response at the root.
Result<DocPtr> parseResponse(QByteArrayView samlResponse)
{
    initialiseXmlSec();
    if (samlResponse.size() > kSamlMaxResponseBytes * 4 / 3 + 4096)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("SAMLResponse is too large"));
    QByteArray compact;
    compact.reserve(samlResponse.size());
    for (char c : samlResponse)
        if (c != '\r' && c != '\n' && c != ' ' && c != '\t')
            compact.append(c);
    auto decoded = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("SAMLResponse is not base64"));
    auto parsed = parseDocument(decoded.decoded, kSamlMaxResponseBytes, "SAMLResponse");
    if (!parsed)
        return parsed.error();
    if (!isElement(xmlDocGetRootElement(parsed->get()), kSamlpNs, "Response"))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("SAMLResponse is not a samlp:Response"));
    return parsed;
}

} // namespace

Result<SamlEnvelope> readSamlEnvelope(QByteArrayView samlResponse)
{
    auto parsed = parseResponse(samlResponse);
    if (!parsed)
        return parsed.error();
    xmlNodePtr response = xmlDocGetRootElement(parsed->get());
    SamlEnvelope envelope;
    envelope.inResponseTo = attribute(response, "InResponseTo").value_or(QString()).left(128);
    xmlNodePtr issuer = childElement(response, kSamlNs, "Issuer");
    if (!issuer)
        if (xmlNodePtr assertion = childElement(response, kSamlNs, "Assertion"))
            issuer = childElement(assertion, kSamlNs, "Issuer");
    envelope.issuer = textOnly(issuer).value_or(QString()).trimmed().left(1024);
    return envelope;
}

Result<SamlAssertion> validateSamlResponse(QByteArrayView samlResponse,
                                           const SamlServiceProvider &sp,
                                           const SamlIdentityProvider &idp, const SamlCheck &check)
{
    auto parsed = parseResponse(samlResponse);
    if (!parsed)
        return parsed.error();
    xmlDocPtr doc = parsed->get();
    xmlNodePtr response = xmlDocGetRootElement(doc);
    if (attribute(response, "Version") != QStringLiteral("2.0"))
        return refused(QStringLiteral("Version is not 2.0"));
    if (Status s = checkStructure(response); !s)
        return s.error();

    SamlAssertion out;
    out.responseId = attribute(response, "ID").value_or(QString());
    const std::vector<KeyPtr> keys = loadCertificateKeys(idp.certificatesPem);

    // The response signature covers everything, the encrypted assertion included: verify it
    // before decrypting anything.
    if (xmlNodePtr signature = childElement(response, kDsNs, "Signature")) {
        if (Status s = verifyEnveloped(response, signature, keys, idp.allowSha1,
                                       QStringLiteral("Response"));
            !s)
            return s.error();
        out.responseSigned = true;
    }

    xmlNodePtr assertion = childElement(response, kSamlNs, "Assertion");
    if (!assertion) {
        xmlNodePtr encrypted = childElement(response, kSamlNs, "EncryptedAssertion");
        if (!encrypted)
            return refused(QStringLiteral("no assertion"));
        auto decrypted = decryptAssertion(encrypted, sp.privateKeyPem);
        if (!decrypted)
            return decrypted.error();
        assertion = *decrypted;
        out.encrypted = true;
        // The decrypted content joined the document: the invariants again.
        if (Status s = checkStructure(response); !s)
            return s.error();
    }
    if (xmlNodePtr signature = childElement(assertion, kDsNs, "Signature")) {
        if (Status s = verifyEnveloped(assertion, signature, keys, idp.allowSha1,
                                       QStringLiteral("Assertion"));
            !s)
            return s.error();
        out.assertionSigned = true;
    }
    if (!out.responseSigned && !out.assertionSigned)
        return refused(QStringLiteral("neither the response nor the assertion is signed"));
    if (idp.requireSignedAssertion && !out.assertionSigned)
        return refused(QStringLiteral("the assertion is not signed (the connection requires it)"));

    // From here on only the verified nodes are read: `response` and `assertion`.
    const auto skew = check.allowedSkew;
    const QDateTime earliest = check.now.addSecs(-skew.count());
    const QDateTime latest = check.now.addSecs(skew.count());

    if (const std::optional<QString> destination = attribute(response, "Destination")) {
        if (*destination != sp.acsUrl)
            return refused(QStringLiteral("Destination is not this ACS"));
    } else if (out.responseSigned) {
        return refused(QStringLiteral("a signed response must name its Destination"));
    }
    auto issued = instant(response, "IssueInstant", true, QStringLiteral("Response"));
    if (!issued)
        return issued.error();
    if (*issued > latest)
        return refused(QStringLiteral("Response IssueInstant is in the future"));
    if (issued->addSecs(check.maxResponseAge.count()) < earliest)
        return refused(QStringLiteral("Response is too old"));
    if (xmlNodePtr issuer = childElement(response, kSamlNs, "Issuer"))
        if (Status s = checkIssuer(issuer, idp, QStringLiteral("Response")); !s)
            return s.error();

    xmlNodePtr status = childElement(response, kSamlpNs, "Status");
    xmlNodePtr statusCode = status ? childElement(status, kSamlpNs, "StatusCode") : nullptr;
    const QString statusValue = attribute(statusCode, "Value").value_or(QString());
    if (statusValue != QStringLiteral("urn:oasis:names:tc:SAML:2.0:status:Success"))
        return refused(QStringLiteral("the IdP did not report success (%1)")
                           .arg(statusValue.section(QLatin1Char(':'), -1).left(64)));

    const std::optional<QString> responseInResponseTo = attribute(response, "InResponseTo");
    if (check.inResponseTo) {
        if (responseInResponseTo != check.inResponseTo)
            return refused(QStringLiteral("InResponseTo does not match the login request"));
    } else {
        if (responseInResponseTo)
            return refused(QStringLiteral("InResponseTo names a request this login did not send"));
        if (!idp.allowIdpInitiated)
            return refused(QStringLiteral("unsolicited (IdP-initiated) responses are not allowed "
                                          "for this connection"));
    }
    out.inResponseTo = check.inResponseTo;

    // <saml:Assertion>
    out.assertionId = attribute(assertion, "ID").value_or(QString());
    if (out.assertionId.isEmpty())
        return refused(QStringLiteral("Assertion has no ID"));
    if (attribute(assertion, "Version") != QStringLiteral("2.0"))
        return refused(QStringLiteral("Assertion Version is not 2.0"));
    auto assertionIssued = instant(assertion, "IssueInstant", true, QStringLiteral("Assertion"));
    if (!assertionIssued)
        return assertionIssued.error();
    if (*assertionIssued > latest)
        return refused(QStringLiteral("Assertion IssueInstant is in the future"));
    xmlNodePtr assertionIssuer = childElement(assertion, kSamlNs, "Issuer");
    if (!assertionIssuer)
        return refused(QStringLiteral("Assertion has no Issuer"));
    if (Status s = checkIssuer(assertionIssuer, idp, QStringLiteral("Assertion")); !s)
        return s.error();
    out.issuer = idp.entityId;

    // Subject: NameID and a bearer confirmation for this ACS and request.
    xmlNodePtr subject = childElement(assertion, kSamlNs, "Subject");
    xmlNodePtr nameId = subject ? childElement(subject, kSamlNs, "NameID") : nullptr;
    if (!nameId)
        return refused(QStringLiteral("Assertion has no Subject NameID"));
    auto nameIdText = requiredText(nameId, QStringLiteral("NameID"));
    if (!nameIdText)
        return nameIdText.error();
    out.nameId = *nameIdText;
    out.nameIdFormat = attribute(nameId, "Format").value_or(QString());

    QDateTime confirmedUntil;
    QString confirmationProblem = QStringLiteral("no bearer SubjectConfirmation");
    for (xmlNodePtr confirmation : childElements(subject, kSamlNs, "SubjectConfirmation")) {
        if (attribute(confirmation, "Method") !=
            QStringLiteral("urn:oasis:names:tc:SAML:2.0:cm:bearer"))
            continue;
        xmlNodePtr data = childElement(confirmation, kSamlNs, "SubjectConfirmationData");
        if (!data) {
            confirmationProblem = QStringLiteral("bearer confirmation without data");
            continue;
        }
        if (attribute(data, "Recipient") != sp.acsUrl) {
            confirmationProblem = QStringLiteral("Recipient is not this ACS");
            continue;
        }
        auto notOnOrAfter =
            instant(data, "NotOnOrAfter", true, QStringLiteral("SubjectConfirmationData"));
        if (!notOnOrAfter) {
            confirmationProblem = QStringLiteral("bearer confirmation without NotOnOrAfter");
            continue;
        }
        if (*notOnOrAfter <= earliest) {
            confirmationProblem = QStringLiteral("the assertion has expired (SubjectConfirmation)");
            continue;
        }
        auto notBefore =
            instant(data, "NotBefore", false, QStringLiteral("SubjectConfirmationData"));
        if (!notBefore || (notBefore->isValid() && *notBefore > latest)) {
            confirmationProblem = QStringLiteral("the subject confirmation is not yet valid");
            continue;
        }
        const std::optional<QString> inResponseTo = attribute(data, "InResponseTo");
        if (inResponseTo != check.inResponseTo) {
            confirmationProblem =
                QStringLiteral("SubjectConfirmationData InResponseTo does not match the request");
            continue;
        }
        confirmedUntil = *notOnOrAfter;
        break;
    }
    if (!confirmedUntil.isValid())
        return refused(confirmationProblem);

    // Conditions: validity window and audience.
    xmlNodePtr conditions = childElement(assertion, kSamlNs, "Conditions");
    if (!conditions)
        return refused(QStringLiteral("Assertion has no Conditions"));
    auto notBefore = instant(conditions, "NotBefore", false, QStringLiteral("Conditions"));
    if (!notBefore)
        return notBefore.error();
    if (notBefore->isValid() && *notBefore > latest)
        return refused(QStringLiteral("the assertion is not yet valid (NotBefore)"));
    auto notOnOrAfter = instant(conditions, "NotOnOrAfter", false, QStringLiteral("Conditions"));
    if (!notOnOrAfter)
        return notOnOrAfter.error();
    if (notOnOrAfter->isValid() && *notOnOrAfter <= earliest)
        return refused(QStringLiteral("the assertion has expired (Conditions NotOnOrAfter)"));
    const std::vector<xmlNodePtr> restrictions =
        childElements(conditions, kSamlNs, "AudienceRestriction");
    if (restrictions.empty())
        return refused(QStringLiteral("the assertion has no AudienceRestriction"));
    for (xmlNodePtr restriction : restrictions) {
        bool ours = false;
        for (xmlNodePtr audience : childElements(restriction, kSamlNs, "Audience"))
            ours = ours || textOnly(audience).value_or(QString()).trimmed() == sp.entityId;
        if (!ours)
            return refused(QStringLiteral("the Audience is not this service provider"));
    }

    // AuthnStatement
    xmlNodePtr authn = childElement(assertion, kSamlNs, "AuthnStatement");
    if (!authn)
        return refused(QStringLiteral("Assertion has no AuthnStatement"));
    auto authnInstant = instant(authn, "AuthnInstant", true, QStringLiteral("AuthnStatement"));
    if (!authnInstant)
        return authnInstant.error();
    out.authnInstant = *authnInstant;
    out.sessionIndex = attribute(authn, "SessionIndex").value_or(QString());
    auto sessionEnd =
        instant(authn, "SessionNotOnOrAfter", false, QStringLiteral("AuthnStatement"));
    if (!sessionEnd)
        return sessionEnd.error();
    if (sessionEnd->isValid()) {
        if (*sessionEnd <= earliest)
            return refused(QStringLiteral("the IdP session has ended (SessionNotOnOrAfter)"));
        out.sessionNotOnOrAfter = *sessionEnd;
    }
    if (xmlNodePtr context = childElement(authn, kSamlNs, "AuthnContext"))
        if (xmlNodePtr classRef = childElement(context, kSamlNs, "AuthnContextClassRef"))
            out.authnContextClassRef = textOnly(classRef).value_or(QString()).trimmed();

    for (xmlNodePtr statement : childElements(assertion, kSamlNs, "AttributeStatement")) {
        for (xmlNodePtr attr : childElements(statement, kSamlNs, "Attribute")) {
            const QString name = attribute(attr, "Name").value_or(QString());
            if (name.isEmpty())
                continue;
            QStringList values;
            for (xmlNodePtr value : childElements(attr, kSamlNs, "AttributeValue"))
                if (const std::optional<QString> text = textOnly(value))
                    values.append(text->trimmed());
            out.attributes[name].append(values);
            const QString friendly = attribute(attr, "FriendlyName").value_or(QString());
            if (!friendly.isEmpty() && friendly != name)
                out.attributes[friendly].append(values);
        }
    }

    out.replayKey = crypto::sha256(out.issuer.toUtf8() + '\n' + out.assertionId.toUtf8());
    QDateTime until = confirmedUntil;
    if (notOnOrAfter->isValid() && *notOnOrAfter > until)
        until = *notOnOrAfter;
    out.replayUntil = until.addSecs(skew.count());
    return out;
}

// ---- AuthnRequest over HTTP-Redirect ----

namespace {

// Raw DEFLATE (RFC 1951), as the Redirect binding wants: qCompress writes a 4-byte length, a
// zlib header (2 bytes), the raw stream and an Adler-32 trailer (4 bytes).
QByteArray rawDeflate(const QByteArray &data)
{
    const QByteArray zlib = qCompress(data, 9);
    return zlib.mid(6, zlib.size() - 10);
}

struct PKeyDeleter
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, PKeyDeleter>;

PKeyPtr loadPrivateKey(const QByteArray &pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())),
                                                  &BIO_free);
    if (!bio)
        return nullptr;
    return PKeyPtr(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

Result<QByteArray> signSha256(EVP_PKEY *key, const QByteArray &data)
{
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length,
                       reinterpret_cast<const unsigned char *>(data.constData()),
                       size_t(data.size())) != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("signing the AuthnRequest failed"));
    QByteArray signature(qsizetype(length), Qt::Uninitialized);
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(data.constData()),
                       size_t(data.size())) != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("signing the AuthnRequest failed"));
    signature.resize(qsizetype(length));
    return signature;
}

} // namespace

Result<SamlAuthnRequest> buildAuthnRequest(const SamlServiceProvider &sp,
                                           const SamlIdentityProvider &idp,
                                           const QString &relayState, const QDateTime &now,
                                           bool forceAuthn)
{
    // https, except for an IdP on this machine (development and the interop tests).
    const bool loopback = idp.ssoRedirectUrl.host() == QStringLiteral("127.0.0.1") ||
                          idp.ssoRedirectUrl.host() == QStringLiteral("localhost");
    if (!idp.ssoRedirectUrl.isValid() ||
        (idp.ssoRedirectUrl.scheme() != QStringLiteral("https") && !loopback))
        return makeError(ErrorCode::Config,
                         QStringLiteral("the IdP's SSO URL must be an https URL"));
    if (relayState.toUtf8().size() > 80)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("RelayState is longer than 80 bytes"));
    PKeyPtr key = loadPrivateKey(sp.privateKeyPem);
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA)
        return makeError(ErrorCode::Config, QStringLiteral("the SP signing key is not an RSA key"));

    SamlAuthnRequest request;
    // A SAML ID is an xs:ID (an NCName): it must not start with a digit.
    request.id = QStringLiteral("_") + QUuid::createUuid().toString(QUuid::Id128);
    request.issuedAt = now.toUTC();

    QByteArray xml;
    QXmlStreamWriter writer(&xml);
    writer.writeStartElement(QStringLiteral("samlp:AuthnRequest"));
    writer.writeAttribute(QStringLiteral("xmlns:samlp"), QString::fromLatin1(kSamlpNs));
    writer.writeAttribute(QStringLiteral("xmlns:saml"), QString::fromLatin1(kSamlNs));
    writer.writeAttribute(QStringLiteral("ID"), request.id);
    writer.writeAttribute(QStringLiteral("Version"), QStringLiteral("2.0"));
    writer.writeAttribute(QStringLiteral("IssueInstant"), formatXsDateTime(request.issuedAt));
    writer.writeAttribute(QStringLiteral("Destination"),
                          idp.ssoRedirectUrl.toString(QUrl::FullyEncoded));
    writer.writeAttribute(QStringLiteral("AssertionConsumerServiceURL"), sp.acsUrl);
    writer.writeAttribute(QStringLiteral("ProtocolBinding"),
                          QStringLiteral("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"));
    if (forceAuthn)
        writer.writeAttribute(QStringLiteral("ForceAuthn"), QStringLiteral("true"));
    writer.writeTextElement(QStringLiteral("saml:Issuer"), sp.entityId);
    writer.writeEmptyElement(QStringLiteral("samlp:NameIDPolicy"));
    writer.writeAttribute(QStringLiteral("Format"), sp.nameIdFormat);
    writer.writeAttribute(QStringLiteral("AllowCreate"), QStringLiteral("true"));
    writer.writeEndElement();

    // Bindings §3.4.4.1: sign "SAMLRequest=..&RelayState=..&SigAlg=.." exactly as sent.
    const QByteArray sigAlg = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
    QByteArray query =
        "SAMLRequest=" + QUrl::toPercentEncoding(QString::fromLatin1(rawDeflate(xml).toBase64()));
    if (!relayState.isEmpty())
        query += "&RelayState=" + QUrl::toPercentEncoding(relayState);
    query += "&SigAlg=" + QUrl::toPercentEncoding(QString::fromLatin1(sigAlg));
    auto signature = signSha256(key.get(), query);
    if (!signature)
        return signature.error();
    query += "&Signature=" + QUrl::toPercentEncoding(QString::fromLatin1(signature->toBase64()));

    QByteArray url = idp.ssoRedirectUrl.toEncoded();
    url += idp.ssoRedirectUrl.hasQuery() ? '&' : '?';
    request.redirectUrl = QUrl::fromEncoded(url + query, QUrl::StrictMode);
    return request;
}

// ---- metadata ----

Result<SamlIdpMetadata> parseIdpMetadata(QByteArrayView xml)
{
    initialiseXmlSec();
    auto parsed = parseDocument(xml, kSamlMaxMetadataBytes, "IdP metadata");
    if (!parsed)
        return parsed.error();
    xmlNodePtr root = xmlDocGetRootElement(parsed->get());
    xmlNodePtr entity = nullptr;
    if (isElement(root, kMdNs, "EntityDescriptor")) {
        entity = root;
    } else if (isElement(root, kMdNs, "EntitiesDescriptor")) {
        for (xmlNodePtr candidate : childElements(root, kMdNs, "EntityDescriptor"))
            if (childElement(candidate, kMdNs, "IDPSSODescriptor")) {
                entity = candidate;
                break;
            }
    }
    if (!entity)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("IdP metadata: no md:EntityDescriptor"));
    xmlNodePtr idpNode = childElement(entity, kMdNs, "IDPSSODescriptor");
    if (!idpNode)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("IdP metadata: the entity has no IDPSSODescriptor"));
    SamlIdpMetadata out;
    out.entityId = attribute(entity, "entityID").value_or(QString()).trimmed();
    if (out.entityId.isEmpty() || out.entityId.size() > 1024)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("IdP metadata: entityID"));
    out.wantAuthnRequestsSigned =
        attribute(idpNode, "WantAuthnRequestsSigned") == QStringLiteral("true");
    for (xmlNodePtr descriptor : childElements(idpNode, kMdNs, "KeyDescriptor")) {
        const QString use = attribute(descriptor, "use").value_or(QStringLiteral("signing"));
        if (use != QStringLiteral("signing"))
            continue;
        for (xmlNodePtr node : descendants(descriptor)) {
            if (!isElement(node, kDsNs, "X509Certificate"))
                continue;
            const QByteArray pem =
                certificatePemFromBase64(textOnly(node).value_or(QString()).toLatin1());
            if (pem.isEmpty())
                return makeError(ErrorCode::InvalidInput,
                                 QStringLiteral("IdP metadata: a signing certificate is not an "
                                                "X.509 certificate"));
            if (!out.signingCertificatesPem.contains(pem))
                out.signingCertificatesPem.append(pem);
        }
    }
    if (out.signingCertificatesPem.isEmpty())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("IdP metadata: no signing certificate"));
    for (xmlNodePtr service : childElements(idpNode, kMdNs, "SingleSignOnService")) {
        const QString binding = attribute(service, "Binding").value_or(QString());
        const QUrl location(attribute(service, "Location").value_or(QString()), QUrl::StrictMode);
        if (!location.isValid() || location.isRelative())
            continue;
        if (binding == QStringLiteral("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect") &&
            out.ssoRedirectUrl.isEmpty())
            out.ssoRedirectUrl = location;
        if (binding == QStringLiteral("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST") &&
            out.ssoPostUrl.isEmpty())
            out.ssoPostUrl = location;
    }
    if (out.ssoRedirectUrl.isEmpty())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("IdP metadata: no HTTP-Redirect SingleSignOnService"));
    return out;
}

QByteArray spMetadataXml(const SamlServiceProvider &sp)
{
    const QString certificate = QString::fromLatin1(certificateBase64(sp.certificatePem));
    QByteArray xml;
    QXmlStreamWriter w(&xml);
    w.setAutoFormatting(true);
    w.writeStartDocument();
    w.writeNamespace(QString::fromLatin1(kMdNs), QStringLiteral("md"));
    w.writeNamespace(QString::fromLatin1(kDsNs), QStringLiteral("ds"));
    const QString md = QString::fromLatin1(kMdNs);
    const QString ds = QString::fromLatin1(kDsNs);
    w.writeStartElement(md, QStringLiteral("EntityDescriptor"));
    w.writeAttribute(QStringLiteral("entityID"), sp.entityId);
    w.writeStartElement(md, QStringLiteral("SPSSODescriptor"));
    w.writeAttribute(QStringLiteral("AuthnRequestsSigned"), QStringLiteral("true"));
    w.writeAttribute(QStringLiteral("WantAssertionsSigned"), QStringLiteral("true"));
    w.writeAttribute(QStringLiteral("protocolSupportEnumeration"), QString::fromLatin1(kSamlpNs));
    for (const QString &use : {QStringLiteral("signing"), QStringLiteral("encryption")}) {
        w.writeStartElement(md, QStringLiteral("KeyDescriptor"));
        w.writeAttribute(QStringLiteral("use"), use);
        w.writeStartElement(ds, QStringLiteral("KeyInfo"));
        w.writeStartElement(ds, QStringLiteral("X509Data"));
        w.writeTextElement(ds, QStringLiteral("X509Certificate"), certificate);
        w.writeEndElement();
        w.writeEndElement();
        if (use == QStringLiteral("encryption")) {
            for (const char *algorithm : kAllowedDataEncryption) {
                w.writeEmptyElement(md, QStringLiteral("EncryptionMethod"));
                w.writeAttribute(QStringLiteral("Algorithm"), QString::fromLatin1(algorithm));
            }
            w.writeEmptyElement(md, QStringLiteral("EncryptionMethod"));
            w.writeAttribute(QStringLiteral("Algorithm"),
                             QString::fromLatin1(kAllowedKeyTransport[0]));
        }
        w.writeEndElement();
    }
    w.writeTextElement(md, QStringLiteral("NameIDFormat"), sp.nameIdFormat);
    w.writeEmptyElement(md, QStringLiteral("AssertionConsumerService"));
    w.writeAttribute(QStringLiteral("Binding"),
                     QStringLiteral("urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"));
    w.writeAttribute(QStringLiteral("Location"), sp.acsUrl);
    w.writeAttribute(QStringLiteral("index"), QStringLiteral("0"));
    w.writeAttribute(QStringLiteral("isDefault"), QStringLiteral("true"));
    w.writeEndElement(); // SPSSODescriptor
    w.writeEndElement(); // EntityDescriptor
    w.writeEndDocument();
    return xml;
}

// ---- keys ----

QByteArray certificatePemFromBase64(QByteArrayView base64Der)
{
    QByteArray compact;
    for (char c : base64Der)
        if (!QChar::isSpace(uchar(c)))
            compact.append(c);
    auto der = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!der || der.decoded.isEmpty() || der.decoded.size() > 64 * 1024)
        return {};
    const auto *p = reinterpret_cast<const unsigned char *>(der.decoded.constData());
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        d2i_X509(nullptr, &p, long(der.decoded.size())), &X509_free);
    if (!cert)
        return {};
    QByteArray pem = "-----BEGIN CERTIFICATE-----\n";
    const QByteArray body = der.decoded.toBase64();
    for (qsizetype i = 0; i < body.size(); i += 64)
        pem += body.mid(i, 64) + '\n';
    pem += "-----END CERTIFICATE-----\n";
    return pem;
}

QByteArray normaliseCertificatePem(QByteArrayView pemOrBase64)
{
    const QByteArray input = pemOrBase64.toByteArray();
    if (!input.contains("-----BEGIN"))
        return certificatePemFromBase64(input);
    const QByteArray body = certificateBase64(input);
    return body.isEmpty() ? QByteArray() : certificatePemFromBase64(body);
}

Result<SamlKeyPair> generateSamlKeyPair(const QString &commonName, int validDays)
{
    PKeyPtr key(EVP_RSA_gen(3072));
    if (!key)
        return makeError(ErrorCode::Internal, QStringLiteral("RSA key generation failed"));
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), &X509_free);
    auto serial = crypto::randomBytes(16);
    if (!cert || !serial)
        return makeError(ErrorCode::Internal, QStringLiteral("certificate allocation failed"));
    (*serial)[0] = char(uchar(serial->at(0)) & 0x7f); // a positive INTEGER
    std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(
        BN_bin2bn(reinterpret_cast<const unsigned char *>(serial->constData()), 16, nullptr),
        &BN_free);
    const QByteArray cn = commonName.toUtf8().left(64);
    X509_NAME *name = X509_get_subject_name(cert.get());
    if (!bn || X509_set_version(cert.get(), 2) != 1 ||
        !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())) ||
        !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300) ||
        !X509_gmtime_adj(X509_getm_notAfter(cert.get()), long(validDays) * 86400) ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(cn.constData()),
                                   int(cn.size()), -1, 0) != 1 ||
        X509_set_issuer_name(cert.get(), name) != 1 ||
        X509_set_pubkey(cert.get(), key.get()) != 1 ||
        X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
        return makeError(ErrorCode::Internal, QStringLiteral("certificate creation failed"));
    SamlKeyPair pair;
    std::unique_ptr<BIO, decltype(&BIO_free)> certBio(BIO_new(BIO_s_mem()), &BIO_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(BIO_new(BIO_s_mem()), &BIO_free);
    if (!certBio || !keyBio || PEM_write_bio_X509(certBio.get(), cert.get()) != 1 ||
        PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) !=
            1)
        return makeError(ErrorCode::Internal, QStringLiteral("PEM encoding failed"));
    char *data = nullptr;
    long length = BIO_get_mem_data(certBio.get(), &data);
    pair.certificatePem = QByteArray(data, qsizetype(length));
    length = BIO_get_mem_data(keyBio.get(), &data);
    pair.privateKeyPem = QByteArray(data, qsizetype(length));
    return pair;
}

} // namespace upcoach::identity
