#include "samlxml.h"

#include <QRegularExpression>
#include <QTimeZone>
#include <libxml/parser.h>
#include <mutex>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/xmlsec.h>

namespace upcoach::identity::samlxml {

void initialiseXmlSec()
{
    static std::once_flag once;
    std::call_once(once, [] {
        xmlInitParser();
        // Never load external DTDs or substitute entities, whatever a caller asks libxml2 for.
        xmlSecErrorsDefaultCallbackEnableOutput(0);
        if (xmlSecInit() < 0 || xmlSecCheckVersion() != 1 || xmlSecCryptoAppInit(nullptr) < 0 ||
            xmlSecCryptoInit() < 0)
            qFatal("xmlsec1 (OpenSSL) could not be initialised");
    });
}

Result<DocPtr> parseDocument(QByteArrayView xml, qsizetype limit, const char *what)
{
    const QString name = QString::fromLatin1(what);
    if (xml.isEmpty())
        return makeError(ErrorCode::InvalidInput, name + QStringLiteral(" is empty"));
    if (xml.size() > limit)
        return makeError(ErrorCode::InvalidInput,
                         name + QStringLiteral(" is larger than %1 KiB").arg(limit / 1024));
    // No XML_PARSE_NOENT (no substitution), no DTDLOAD/DTDATTR, no HUGE; NONET for good measure.
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
    xmlDocPtr raw = xmlReadMemory(xml.data(), int(xml.size()), nullptr, nullptr, options);
    DocPtr doc(raw);
    if (!doc)
        return makeError(ErrorCode::InvalidInput, name + QStringLiteral(" is not well-formed XML"));
    if (doc->intSubset || doc->extSubset)
        return makeError(ErrorCode::InvalidInput,
                         name + QStringLiteral(" declares a DTD (refused: no DTDs or entities)"));
    for (xmlNodePtr node = doc->children; node; node = node->next)
        if (node->type == XML_DTD_NODE || node->type == XML_ENTITY_DECL)
            return makeError(ErrorCode::InvalidInput,
                             name + QStringLiteral(" declares a DTD (refused)"));
    return doc;
}

bool isElement(const xmlNode *node, const char *ns, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE && node->ns && node->ns->href &&
           xmlStrEqual(node->name, BAD_CAST name) && xmlStrEqual(node->ns->href, BAD_CAST ns);
}

xmlNodePtr firstElement(const xmlNode *parent)
{
    if (!parent)
        return nullptr;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return nullptr;
}

xmlNodePtr childElement(const xmlNode *parent, const char *ns, const char *name)
{
    if (!parent)
        return nullptr;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (isElement(c, ns, name))
            return c;
    return nullptr;
}

std::vector<xmlNodePtr> childElements(const xmlNode *parent, const char *ns, const char *name)
{
    std::vector<xmlNodePtr> out;
    if (!parent)
        return out;
    for (xmlNodePtr c = parent->children; c; c = c->next)
        if (isElement(c, ns, name))
            out.push_back(c);
    return out;
}

std::vector<xmlNodePtr> descendants(xmlNodePtr root, bool includeRoot)
{
    std::vector<xmlNodePtr> out;
    if (!root)
        return out;
    if (includeRoot)
        out.push_back(root);
    // Iterative pre-order walk: hostile nesting cannot exhaust the stack.
    xmlNodePtr node = root->children;
    while (node && node != root) {
        if (node->type == XML_ELEMENT_NODE) {
            out.push_back(node);
            if (node->children) {
                node = node->children;
                continue;
            }
        }
        while (node && node != root && !node->next)
            node = node->parent;
        if (node && node != root)
            node = node->next;
    }
    return out;
}

std::optional<QString> attribute(const xmlNode *node, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE)
        return std::nullopt;
    xmlChar *value = xmlGetNoNsProp(node, BAD_CAST name);
    if (!value)
        return std::nullopt;
    QString out = QString::fromUtf8(reinterpret_cast<const char *>(value));
    xmlFree(value);
    return out;
}

std::optional<QString> textOnly(const xmlNode *node)
{
    if (!node)
        return std::nullopt;
    QByteArray text;
    for (xmlNodePtr c = node->children; c; c = c->next) {
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            return std::nullopt;
        text += reinterpret_cast<const char *>(c->content);
    }
    return QString::fromUtf8(text);
}

QDateTime parseXsDateTime(const QString &text)
{
    static const QRegularExpression shape(QStringLiteral(
        "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})$"));
    if (text.size() > 40 || !shape.match(text).hasMatch())
        return {};
    QString normalised = text;
    // Qt reads at most milliseconds: cut longer fractions (SAML instants are UTC to the ms).
    const qsizetype dot = normalised.indexOf(QLatin1Char('.'));
    if (dot > 0) {
        qsizetype end = dot + 1;
        while (end < normalised.size() && normalised.at(end).isDigit())
            ++end;
        if (end - dot - 1 > 3)
            normalised.remove(dot + 4, end - dot - 4);
    }
    QDateTime value = QDateTime::fromString(normalised, Qt::ISODateWithMs);
    return value.isValid() ? value.toUTC() : QDateTime();
}

QString formatXsDateTime(const QDateTime &instant)
{
    return instant.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

QByteArray certificateBase64(const QByteArray &pem)
{
    QByteArray body;
    bool inside = false;
    for (const QByteArray &line : pem.split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed.startsWith("-----BEGIN CERTIFICATE-----")) {
            inside = true;
            continue;
        }
        if (trimmed.startsWith("-----END CERTIFICATE-----"))
            break;
        if (inside)
            body += trimmed;
    }
    return body;
}

} // namespace upcoach::identity::samlxml
