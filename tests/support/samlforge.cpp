#include "samlforge.h"

#include <QXmlStreamWriter>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <memory>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlenc.h>
#include <xmlsec/xmltree.h>

namespace upcoach::testing {

namespace {

const char *const kSamlNs = "urn:oasis:names:tc:SAML:2.0:assertion";
const char *const kSamlpNs = "urn:oasis:names:tc:SAML:2.0:protocol";

QString instant(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ssZ"));
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

using DocPtr = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

DocPtr parse(const QByteArray &xml)
{
    return DocPtr(
        xmlReadMemory(xml.constData(), int(xml.size()), nullptr, nullptr, XML_PARSE_NONET),
        &xmlFreeDoc);
}

QByteArray dump(xmlDocPtr doc)
{
    xmlChar *out = nullptr;
    int size = 0;
    xmlDocDumpMemory(doc, &out, &size);
    QByteArray result(reinterpret_cast<const char *>(out), size);
    xmlFree(out);
    return result;
}

xmlNodePtr findById(xmlNodePtr node, const QByteArray &id)
{
    for (; node; node = node->next) {
        if (node->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *value = xmlGetNoNsProp(node, BAD_CAST "ID");
        const bool match = value && id == reinterpret_cast<const char *>(value);
        xmlFree(value);
        if (match)
            return node;
        if (xmlNodePtr inner = findById(node->children, id))
            return inner;
    }
    return nullptr;
}

} // namespace

QByteArray signElement(const QByteArray &xml, const QString &id, const QByteArray &keyPem,
                       const QByteArray &certificatePem, bool sha1)
{
    identity::initialiseSaml();
    DocPtr doc = parse(xml);
    if (!doc)
        return {};
    xmlNodePtr element = findById(xmlDocGetRootElement(doc.get()), id.toUtf8());
    if (!element)
        return {};
    xmlNodePtr signature = xmlSecTmplSignatureCreateNsPref(
        doc.get(), xmlSecTransformExclC14NId,
        sha1 ? xmlSecTransformRsaSha1Id : xmlSecTransformRsaSha256Id, nullptr, BAD_CAST "ds");
    const QByteArray uri = "#" + id.toUtf8();
    xmlNodePtr reference = xmlSecTmplSignatureAddReference(
        signature, sha1 ? xmlSecTransformSha1Id : xmlSecTransformSha256Id, nullptr,
        BAD_CAST uri.constData(), nullptr);
    xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId);
    xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId);
    xmlNodePtr keyInfo = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
    xmlSecTmplKeyInfoAddX509Data(keyInfo);
    // After the Issuer, as the schema wants.
    xmlNodePtr issuer = nullptr;
    for (xmlNodePtr c = element->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "Issuer")) {
            issuer = c;
            break;
        }
    if (issuer)
        xmlAddNextSibling(issuer, signature);
    else
        xmlAddChild(element, signature);
    xmlAttrPtr idAttribute = xmlHasProp(element, BAD_CAST "ID");
    xmlAddID(nullptr, doc.get(), BAD_CAST id.toUtf8().constData(), idAttribute);

    std::unique_ptr<xmlSecDSigCtx, decltype(&xmlSecDSigCtxDestroy)> ctx(
        xmlSecDSigCtxCreate(nullptr), &xmlSecDSigCtxDestroy);
    ctx->signKey = xmlSecCryptoAppKeyLoadMemory(
        reinterpret_cast<const xmlSecByte *>(keyPem.constData()),
        static_cast<xmlSecSize>(keyPem.size()), xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr);
    if (!ctx->signKey)
        return {};
    if (!certificatePem.isEmpty())
        xmlSecCryptoAppKeyCertLoadMemory(
            ctx->signKey, reinterpret_cast<const xmlSecByte *>(certificatePem.constData()),
            static_cast<xmlSecSize>(certificatePem.size()), xmlSecKeyDataFormatPem);
    if (xmlSecDSigCtxSign(ctx.get(), signature) < 0)
        return {};
    return dump(doc.get());
}

QByteArray encryptAssertion(const QByteArray &xml, const QByteArray &certificatePem)
{
    identity::initialiseSaml();
    DocPtr doc = parse(xml);
    if (!doc)
        return {};
    xmlNodePtr response = xmlDocGetRootElement(doc.get());
    xmlNodePtr assertion = nullptr;
    for (xmlNodePtr c = response->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, BAD_CAST "Assertion"))
            assertion = c;
    if (!assertion)
        return {};
    xmlNsPtr samlNs = xmlSearchNsByHref(doc.get(), response, BAD_CAST kSamlNs);
    xmlNodePtr wrapper = xmlNewNode(samlNs, BAD_CAST "EncryptedAssertion");
    xmlAddNextSibling(assertion, wrapper);
    xmlUnlinkNode(assertion);
    xmlAddChild(wrapper, assertion);

    xmlNodePtr data = xmlSecTmplEncDataCreate(doc.get(), xmlSecTransformAes256CbcId, nullptr,
                                              xmlSecTypeEncElement, nullptr, nullptr);
    xmlSecTmplEncDataEnsureCipherValue(data);
    xmlNodePtr keyInfo = xmlSecTmplEncDataEnsureKeyInfo(data, nullptr);
    xmlNodePtr encryptedKey = xmlSecTmplKeyInfoAddEncryptedKey(keyInfo, xmlSecTransformRsaOaepId,
                                                               nullptr, nullptr, nullptr);
    xmlSecTmplEncDataEnsureCipherValue(encryptedKey);

    std::unique_ptr<xmlSecKeysMngr, decltype(&xmlSecKeysMngrDestroy)> manager(
        xmlSecKeysMngrCreate(), &xmlSecKeysMngrDestroy);
    xmlSecCryptoAppDefaultKeysMngrInit(manager.get());
    xmlSecKeyPtr rsa = xmlSecCryptoAppKeyLoadMemory(
        reinterpret_cast<const xmlSecByte *>(certificatePem.constData()),
        static_cast<xmlSecSize>(certificatePem.size()), xmlSecKeyDataFormatCertPem, nullptr,
        nullptr, nullptr);
    if (!rsa)
        return {};
    xmlSecCryptoAppDefaultKeysMngrAdoptKey(manager.get(), rsa);
    std::unique_ptr<xmlSecEncCtx, decltype(&xmlSecEncCtxDestroy)> ctx(
        xmlSecEncCtxCreate(manager.get()), &xmlSecEncCtxDestroy);
    // A fresh AES session key, itself encrypted for the RSA key by the keys manager.
    ctx->encKey = xmlSecKeyGenerate(xmlSecKeyDataAesId, 256, xmlSecKeyDataTypeSession);
    if (xmlSecEncCtxXmlEncrypt(ctx.get(), data, assertion) < 0)
        return {};
    return dump(doc.get());
}

QByteArray forgeResponseXml(const ForgedResponse &o, const QByteArray &keyPem,
                            const QByteArray &certificatePem)
{
    const QString audience = o.audience.isEmpty() ? o.spEntityId : o.audience;
    const QString recipient = o.recipient.isEmpty() ? o.acsUrl : o.recipient;
    const QString destination = o.destination.isEmpty() ? o.acsUrl : o.destination;
    const QString issued = instant(o.now);
    const QString until = instant(o.now.addSecs(o.validForSeconds));
    const QString notBefore = instant(o.now.addSecs(-30));
    const QString inResponseTo =
        o.inResponseTo.isEmpty()
            ? QString()
            : QStringLiteral(" InResponseTo=\"%1\"").arg(escaped(o.inResponseTo));
    QString attributes;
    for (const auto &[name, value] : o.attributes)
        attributes += QStringLiteral("<saml:Attribute Name=\"%1\"><saml:AttributeValue>%2"
                                     "</saml:AttributeValue></saml:Attribute>")
                          .arg(escaped(name), escaped(value));
    const QString nameId = o.rawNameIdXml.isEmpty() ? escaped(o.nameId) : o.rawNameIdXml;
    const QString xml =
        QStringLiteral("<samlp:Response xmlns:samlp=\"%1\" xmlns:saml=\"%2\" ID=\"%3\" "
                       "Version=\"2.0\" IssueInstant=\"%4\"%5%6>")
            .arg(QLatin1String(kSamlpNs), QLatin1String(kSamlNs), o.responseId, issued,
                 destination == QStringLiteral("-")
                     ? QString()
                     : QStringLiteral(" Destination=\"%1\"").arg(escaped(destination)),
                 inResponseTo) +
        QStringLiteral("<saml:Issuer>%1</saml:Issuer>").arg(escaped(o.idpEntityId)) +
        QStringLiteral("<samlp:Status><samlp:StatusCode Value=\"%1\"/></samlp:Status>")
            .arg(escaped(o.statusCode)) +
        QStringLiteral("<saml:Assertion ID=\"%1\" Version=\"2.0\" IssueInstant=\"%2\">")
            .arg(o.assertionId, issued) +
        QStringLiteral("<saml:Issuer>%1</saml:Issuer>").arg(escaped(o.idpEntityId)) +
        QStringLiteral("<saml:Subject><saml:NameID Format=\"urn:oasis:names:tc:SAML:1.1:"
                       "nameid-format:emailAddress\">%1</saml:NameID>")
            .arg(nameId) +
        QStringLiteral("<saml:SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:"
                       "bearer\"><saml:SubjectConfirmationData NotOnOrAfter=\"%1\" "
                       "Recipient=\"%2\"%3/></saml:SubjectConfirmation></saml:Subject>")
            .arg(until, escaped(recipient), inResponseTo) +
        QStringLiteral("<saml:Conditions NotBefore=\"%1\" NotOnOrAfter=\"%2\">"
                       "<saml:AudienceRestriction><saml:Audience>%3</saml:Audience>"
                       "</saml:AudienceRestriction></saml:Conditions>")
            .arg(notBefore, until, escaped(audience)) +
        QStringLiteral("<saml:AuthnStatement AuthnInstant=\"%1\" SessionIndex=\"_s1\">"
                       "<saml:AuthnContext><saml:AuthnContextClassRef>%2"
                       "</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>")
            .arg(issued, escaped(o.authnContextClassRef)) +
        QStringLiteral("<saml:AttributeStatement>%1</saml:AttributeStatement>").arg(attributes) +
        QStringLiteral("</saml:Assertion></samlp:Response>");
    QByteArray out = xml.toUtf8();
    if (o.signAssertion)
        out = signElement(out, o.assertionId, keyPem, certificatePem, o.sha1);
    if (!o.encryptForCertificatePem.isEmpty())
        out = encryptAssertion(out, o.encryptForCertificatePem);
    if (o.signResponse)
        out = signElement(out, o.responseId, keyPem, certificatePem, o.sha1);
    return out;
}

} // namespace upcoach::testing
