// libxml2 / libxmlsec1 plumbing for the SAML code: one-time initialisation, a parser with DTDs,
// entities and network access off, and small navigation helpers that never guess (namespaces
// are always compared, text is read only from elements holding nothing but text).
#pragma once

#include "upcoach/core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <libxml/tree.h>
#include <memory>
#include <optional>
#include <vector>

namespace upcoach::identity::samlxml {

inline constexpr const char *kSamlNs = "urn:oasis:names:tc:SAML:2.0:assertion";
inline constexpr const char *kSamlpNs = "urn:oasis:names:tc:SAML:2.0:protocol";
inline constexpr const char *kMdNs = "urn:oasis:names:tc:SAML:2.0:metadata";
inline constexpr const char *kDsNs = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char *kXencNs = "http://www.w3.org/2001/04/xmlenc#";

// libxml2 and xmlsec (OpenSSL) initialised once per process; xmlsec's stderr output is off.
void initialiseXmlSec();

struct DocDeleter
{
    void operator()(xmlDocPtr doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocDeleter>;

// Parses at most `limit` bytes. Refuses a DOCTYPE (so no entity can be declared, external or
// internal), never touches the network, never substitutes entities. `what` names the input in
// errors (InvalidInput).
Result<DocPtr> parseDocument(QByteArrayView xml, qsizetype limit, const char *what);

bool isElement(const xmlNode *node, const char *ns, const char *name);
xmlNodePtr firstElement(const xmlNode *parent);
xmlNodePtr childElement(const xmlNode *parent, const char *ns, const char *name);
std::vector<xmlNodePtr> childElements(const xmlNode *parent, const char *ns, const char *name);
// Every element below `root` in document order (and `root` itself when `includeRoot`).
std::vector<xmlNodePtr> descendants(xmlNodePtr root, bool includeRoot = false);
// An attribute without namespace; nullopt when absent (or `node` is null).
std::optional<QString> attribute(const xmlNode *node, const char *name);
// The element's text when it holds only text (and CDATA); nullopt when it holds a comment,
// an element or a processing instruction — the NameID comment-injection defence.
std::optional<QString> textOnly(const xmlNode *node);

// xs:dateTime with a zone ("Z" or an offset); invalid when malformed or zone-less.
QDateTime parseXsDateTime(const QString &text);
QString formatXsDateTime(const QDateTime &instant);
// The base64 body of a PEM certificate (what metadata's ds:X509Certificate holds).
QByteArray certificateBase64(const QByteArray &pem);

} // namespace upcoach::identity::samlxml
