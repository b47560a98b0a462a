// A SAML IdP for tests: writes <samlp:Response> documents and signs them with libxmlsec1 the way
// IdPs do (enveloped, exclusive c14n, rsa-sha256), so attack suites can start from a valid
// response and break exactly one thing. Test-only: never linked into the product.
#pragma once

#include "upcoach/identity/saml.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace upcoach::testing {

struct ForgedResponse
{
    QString idpEntityId = QStringLiteral("https://idp.example.test/metadata");
    QString spEntityId;
    QString acsUrl;
    QString nameId = QStringLiteral("ada@example.com");
    // Inserted verbatim into <saml:NameID> (for comment-injection cases); overrides nameId.
    QString rawNameIdXml;
    QString inResponseTo; // empty: IdP-initiated
    QDateTime now;
    int validForSeconds = 300;
    QString audience;    // default spEntityId
    QString recipient;   // default acsUrl
    QString destination; // default acsUrl; "-" leaves it out
    QString statusCode = QStringLiteral("urn:oasis:names:tc:SAML:2.0:status:Success");
    QString authnContextClassRef =
        QStringLiteral("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport");
    QList<QPair<QString, QString>> attributes{
        {QStringLiteral("email"), QStringLiteral("ada@example.com")},
        {QStringLiteral("groups"), QStringLiteral("coaches")}};
    QString assertionId = QStringLiteral("_a0c7e5f1d2b34c0e9c1f");
    QString responseId = QStringLiteral("_r8d1c2b3a4f5e6d7c8b9");
    bool signAssertion = true;
    bool signResponse = false;
    bool sha1 = false;
    // Wraps the assertion in <saml:EncryptedAssertion> for this certificate (aes256-cbc data,
    // rsa-oaep-mgf1p key transport), after signing the assertion.
    QByteArray encryptForCertificatePem;
};

// The response XML, signed as asked with `keyPem` (and its certificate put in KeyInfo as IdPs
// do; the SP must ignore it).
QByteArray forgeResponseXml(const ForgedResponse &options, const QByteArray &keyPem,
                            const QByteArray &certificatePem);
// Signs the element with ID `id` in `xml` (enveloped, inserted after its Issuer).
QByteArray signElement(const QByteArray &xml, const QString &id, const QByteArray &keyPem,
                       const QByteArray &certificatePem, bool sha1 = false);
// Encrypts the <saml:Assertion> of `xml` for the certificate into <saml:EncryptedAssertion>.
QByteArray encryptAssertion(const QByteArray &xml, const QByteArray &certificatePem);

} // namespace upcoach::testing
