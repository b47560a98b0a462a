// SAML 2.0 Web Browser SSO, service-provider side (SAML 2.0 Core, Bindings, Profiles), on
// libxmlsec1 (OpenSSL) and libxml2:
//  - validateSamlResponse: the HTTP-POST ACS's check of a <samlp:Response> — signatures by the
//    connection's certificates only, with the structural checks that defeat XML Signature
//    Wrapping, encrypted assertions, and every condition of Profiles §4.1.4.
//  - buildAuthnRequest: an SP-initiated <samlp:AuthnRequest> over HTTP-Redirect, signed
//    (Bindings §3.4.4.1).
//  - parseIdpMetadata / spMetadataXml: the metadata both sides exchange.
// Pure functions: no database, no network, no global state but libxmlsec1's one-time init.
// One-time use of assertion ids is the caller's (SamlAssertion::replayKey, ::replayUntil).
#pragma once

#include "upcoach/core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <chrono>
#include <optional>

namespace upcoach::identity {

// Decoded sizes above these are refused before parsing.
constexpr qsizetype kSamlMaxResponseBytes = 256 * 1024;
constexpr qsizetype kSamlMaxMetadataBytes = 1024 * 1024;

// Initialises libxml2 and libxmlsec1 (OpenSSL) once per process. Every function below calls it;
// code that uses libxmlsec1 directly (the test IdP) calls it first.
void initialiseSaml();

// Our side of a connection: the tenant's SP entity and its key pair (PEM).
struct SamlServiceProvider
{
    QString entityId; // https://host/sso/saml/<tenant>/metadata
    QString acsUrl;   // https://host/sso/saml/<tenant>/acs
    QByteArray certificatePem;
    QByteArray privateKeyPem; // signs AuthnRequests, decrypts EncryptedAssertions
    QString nameIdFormat = QStringLiteral("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress");
    QString organization = QStringLiteral("UpCoach");
};

// The IdP as a connection trusts it.
struct SamlIdentityProvider
{
    QString entityId;
    QUrl ssoRedirectUrl;               // SingleSignOnService, HTTP-Redirect binding
    QList<QByteArray> certificatesPem; // signing certificates (several during a rollover)
    // Require the <Assertion> itself to be signed (a signed <Response> alone is then not
    // enough). Most IdPs sign the assertion; some (older ADFS setups) only the response.
    bool requireSignedAssertion = true;
    bool allowIdpInitiated = false; // unsolicited responses (no InResponseTo)
    bool allowSha1 = false;         // rsa-sha1 / sha1 digests (legacy IdPs only)
};

struct SamlCheck
{
    QDateTime now;
    // The AuthnRequest id this response must answer (SP-initiated), or none (IdP-initiated).
    std::optional<QString> inResponseTo;
    std::chrono::seconds allowedSkew{120};
    // How old the Response's IssueInstant may be.
    std::chrono::seconds maxResponseAge{300};
};

struct SamlAssertion
{
    QString responseId;
    QString assertionId;
    QString issuer;
    QString nameId;
    QString nameIdFormat;
    QString sessionIndex;
    QString authnContextClassRef; // e.g. ...:ac:classes:PasswordProtectedTransport, MFA classes
    QDateTime authnInstant;
    std::optional<QDateTime> sessionNotOnOrAfter;
    std::optional<QString> inResponseTo;
    QHash<QString, QStringList> attributes; // by Name (and by FriendlyName when it differs)
    bool responseSigned = false;
    bool assertionSigned = false;
    bool encrypted = false;
    // One-time use: the caller stores replayKey until replayUntil and refuses it meanwhile.
    QByteArray replayKey; // SHA-256 of issuer + assertion id
    QDateTime replayUntil;
};

// `samlResponse` is the SAMLResponse form value (base64, line breaks tolerated). Every refusal is
// Unauthorized with a message naming the check that failed (never a value from the document
// beyond the issuer); InvalidInput for what is not a SAML response at all.
Result<SamlAssertion> validateSamlResponse(QByteArrayView samlResponse,
                                           const SamlServiceProvider &sp,
                                           const SamlIdentityProvider &idp, const SamlCheck &check);

// What a response claims before anything is verified: which IdP sent it and which request it
// answers. Only for choosing the connection to verify it against; never trust it otherwise.
struct SamlEnvelope
{
    QString issuer;
    QString inResponseTo;
};
Result<SamlEnvelope> readSamlEnvelope(QByteArrayView samlResponse);

struct SamlAuthnRequest
{
    QString id; // the InResponseTo the response must carry
    QDateTime issuedAt;
    QUrl redirectUrl; // the IdP's SSO URL with SAMLRequest, RelayState, SigAlg, Signature
};

// A signed (rsa-sha256 or ecdsa-sha256, by the SP key's type) AuthnRequest for the
// HTTP-Redirect binding. `relayState` ≤ 80 bytes (Bindings §3.4.3).
Result<SamlAuthnRequest> buildAuthnRequest(const SamlServiceProvider &sp,
                                           const SamlIdentityProvider &idp,
                                           const QString &relayState, const QDateTime &now,
                                           bool forceAuthn = false);

struct SamlIdpMetadata
{
    QString entityId;
    QUrl ssoRedirectUrl;
    QUrl ssoPostUrl;
    QList<QByteArray> signingCertificatesPem;
    bool wantAuthnRequestsSigned = false;
};

// An <md:EntityDescriptor> (or the first IdP entity of an <md:EntitiesDescriptor>) with an
// <md:IDPSSODescriptor>. DTDs, external entities and network access are refused.
Result<SamlIdpMetadata> parseIdpMetadata(QByteArrayView xml);

// The SP's <md:EntityDescriptor>: signed AuthnRequests, signed assertions wanted, the signing
// and encryption certificate, the HTTP-POST ACS.
QByteArray spMetadataXml(const SamlServiceProvider &sp);

struct SamlKeyPair
{
    QByteArray certificatePem;
    QByteArray privateKeyPem;
};

// A fresh RSA-3072 key and a self-signed certificate (CN = commonName, valid `validDays`)
// for an SP: SAML trusts the key in metadata, not a CA.
Result<SamlKeyPair> generateSamlKeyPair(const QString &commonName, int validDays = 3650);

// The PEM of a base64 DER certificate as metadata carries it (whitespace tolerated); empty when
// it is not an X.509 certificate.
QByteArray certificatePemFromBase64(QByteArrayView base64Der);
// The same for a PEM certificate or a bare base64 DER one (what operators paste).
QByteArray normaliseCertificatePem(QByteArrayView pemOrBase64);

} // namespace upcoach::identity
