// What SSO keeps in the control plane (migration control/0009_identity.sql): connections per
// tenant, each tenant's SAML SP key pair, login requests in flight, the one-time-use cache of
// assertion ids and the tenants' SCIM bearer tokens. Shared by every serve instance, so a login
// begun on one completes on another and a replayed assertion is refused by all. Blocking: call
// from worker threads, never an event loop.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/identity/saml.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <optional>
#include <vector>

namespace upcoach::storage {
class ConnectionPool;
}
namespace upcoach::tenancy {
class FieldCipher;
}

namespace upcoach::identity {

// IdP presets: the attribute names each product sends (emails, names, groups) so an operator
// only pastes metadata; see ssoPresets().
struct SsoPreset
{
    QString id;          // generic | entra-id | okta | google-workspace | onelogin | ping
    QString displayName; // "Microsoft Entra ID (Azure AD)"
    QString emailAttribute;
    QString displayNameAttribute;
    QString groupsAttribute;
    QString mfaContextClassRef; // the AuthnContextClassRef the IdP sends after MFA
    // OpenID Connect: the issuer with the customer's part in braces ("https://login.
    // microsoftonline.com/{tenant-id}/v2.0"), and the amr value the provider sends after MFA.
    QString oidcIssuerTemplate;
    QString oidcMfaAmr;
};
const std::vector<SsoPreset> &ssoPresets();
std::optional<SsoPreset> ssoPreset(const QString &id);

// A role-mapping rule: users whose `attribute` holds `value` (case-insensitive) get `role`.
// Rules are tried in order; the first match wins, else the connection's default role.
struct RoleRule
{
    QString attribute;
    QString value;
    QString role; // admin | coach | coachee
};

// How a connection's logins become tenant users, SAML and OIDC alike.
struct LoginMapping
{
    bool jitProvisioning = true;
    // The rule between JIT and SCIM: true when the tenant's IdP provisions over SCIM, so only
    // SCIM-managed users may sign in through this connection and JIT creates nobody. Either
    // way JIT never changes an existing user (a SCIM-managed one least of all).
    bool scimUsersOnly = false;
    QString defaultRole = QStringLiteral("coachee");
    QString emailAttribute;       // SAML attribute / OIDC claim; empty: NameID / "email"
    QString displayNameAttribute; // empty: the e-mail (SAML) / "name" (OIDC)
    QString groupsAttribute;      // OIDC default "groups"
    // SAML: the AuthnContextClassRef the IdP sends after MFA; OIDC: an amr value ("mfa") or
    // the acr. Empty: the IdP's word never satisfies MFA.
    QString mfaContextClassRef;
    std::vector<RoleRule> roleRules;
};

struct SamlConnectionSettings : LoginMapping
{
    SamlIdentityProvider idp;
};

// An OpenID provider as a connection knows it. The client secret and the private_key_jwt key
// are kept encrypted with the tenant's data key (SsoStore::setFieldCipher); the settings JSON
// read back from the store holds them sealed, oidcSecrets() opens them.
struct OidcConnectionSettings : LoginMapping
{
    QString issuer; // exact, as in the provider's discovery document
    QString clientId;
    QString clientAuthMethod = QStringLiteral("client_secret_basic"); // or _post, private_key_jwt
    QString idTokenAlgorithm = QStringLiteral("RS256");               // pinned
    QStringList scopes{QStringLiteral("openid"), QStringLiteral("email"),
                       QStringLiteral("profile")};
    bool useUserinfo = true;
    QByteArray clientSecret; // in memory only (input and oidcSecrets)
    QByteArray clientKeyPem; // private_key_jwt; generated (RSA, RS256) when empty
};

QJsonObject samlSettingsToJson(const SamlConnectionSettings &settings);
Result<SamlConnectionSettings> samlSettingsFromJson(const QJsonObject &json);
// With the secrets in clear: for NewSsoConnection only (the store seals them).
QJsonObject oidcSettingsToJson(const OidcConnectionSettings &settings);
// Reads the public part (and secrets given in clear, on input); sealed secrets stay sealed.
Result<OidcConnectionSettings> oidcSettingsFromJson(const QJsonObject &json);
// Connection settings from what an operator pastes: `settings` (the store's JSON shape, fields
// left out take defaults) completed with the IdP metadata XML (SAML: entity id, redirect URL,
// signing certificates; InvalidInput naming what is wrong) and the preset's attribute names and
// MFA value where `settings` names none.
Result<QJsonObject> connectionSettingsFrom(const QString &protocol, const QString &preset,
                                           QJsonObject settings, QByteArrayView metadataXml);
// A connection's settings fit to show: sealed secrets replaced by hasClientSecret/hasClientKey.
QJsonObject publicConnectionSettings(const QJsonObject &settings);

// The role the rules give for these attributes (role-mapping preview uses the same function).
QString mapRole(const LoginMapping &settings, const QHash<QString, QStringList> &attributes);
// The index of the rule that decides (the first that matches), or -1 (the default role).
int matchingRoleRule(const LoginMapping &settings, const QHash<QString, QStringList> &attributes);

struct SsoConnection
{
    QUuid id;
    QUuid tenantId;
    QString name;
    QString protocol; // saml | oidc
    QString preset;
    bool enabled = true;
    QStringList emailDomains;
    QJsonObject settings;
    int version = 1;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct NewSsoConnection
{
    QString name;
    QString protocol = QStringLiteral("saml");
    QString preset = QStringLiteral("generic");
    QStringList emailDomains;
    QJsonObject settings; // samlSettingsToJson(...) for SAML
};

// The message of updateConnection's Conflict when the version asked for is not the stored one.
inline const QString kStaleConnectionVersion =
    QStringLiteral("the connection was changed since it was read (its version differs)");

struct LoginRequest
{
    QString id; // SAML: the AuthnRequest ID; OIDC: the state
    QUuid tenantId;
    QUuid connectionId;
    QString relayState;
    QDateTime expiresAt;
    QByteArray nonce;        // OIDC
    QByteArray codeVerifier; // OIDC (PKCE)
};

struct IssuedScimToken
{
    QUuid id;
    QByteArray secret; // "scim_" + 256 random bits (base64url): shown once, stored as SHA-256
};

class SsoStore
{
public:
    SsoStore(storage::ConnectionPool &controlPlane, const Clock &clock = Clock::system());
    // Seals OIDC client secrets and keys with the tenant's data key. Without one, OIDC
    // connections are refused (Config): secrets are never stored in clear.
    void setFieldCipher(tenancy::FieldCipher *cipher) { m_cipher = cipher; }

    // The OIDC settings of a connection with its secrets opened.
    Result<OidcConnectionSettings> oidcSecrets(const SsoConnection &connection);

    // Validates name (1..100), protocol, preset, domains (lower-cased, distinct, valid DNS
    // names, not claimed by another tenant) and the protocol settings. Conflict for a name the
    // tenant already uses or a domain another tenant claims.
    Result<SsoConnection> createConnection(const QUuid &tenantId, const NewSsoConnection &input);
    // Replaces a connection's name, preset, e-mail domains and settings; its protocol, id and
    // enabled state stay. OIDC settings that leave out clientSecret / clientKeyPem keep the
    // stored ones. NotFound; Conflict with kStaleConnectionVersion when `acceptedVersions` is
    // given (an If-Match list) and the stored version is not in it; Conflict for a taken name or
    // a domain another tenant claims.
    Result<SsoConnection> updateConnection(const QUuid &tenantId, const QUuid &id,
                                           const NewSsoConnection &input,
                                           std::optional<QList<qint64>> acceptedVersions = {});
    // Deletes a connection and its pending login requests. NotFound.
    Status deleteConnection(const QUuid &tenantId, const QUuid &id);
    Result<std::vector<SsoConnection>> connections(const QUuid &tenantId);
    Result<SsoConnection> connection(const QUuid &tenantId, const QUuid &id);
    // Home-realm discovery: the enabled connection that claims the e-mail's domain.
    Result<std::optional<SsoConnection>> discover(const QString &email);
    Status setEnabled(const QUuid &tenantId, const QUuid &id, bool enabled);

    // The tenant's SP key pair, generated (RSA-3072, self-signed) on first use.
    Result<SamlKeyPair> spKeyPair(const QUuid &tenantId);

    Status saveLoginRequest(const LoginRequest &request);
    // Marks the request used and returns it; NotFound when it is unknown, expired, already
    // used or another tenant's (one answer: a caller learns nothing).
    Result<LoginRequest> consumeLoginRequest(const QString &id, const QUuid &tenantId);

    // true: first use, now remembered until `until`; false: seen before (a replay). Expired
    // entries are swept as a side effect.
    Result<bool> claimAssertion(const QByteArray &replayKey, const QUuid &connectionId,
                                const QDateTime &until);

    // Issues a new SCIM token for the tenant and revokes the ones before it (rotation).
    Result<IssuedScimToken> rotateScimToken(const QUuid &tenantId);
    // The tenant a SCIM token belongs to; Unauthorized (one answer) for anything else.
    Result<QUuid> verifyScimToken(const QByteArray &token);
    // When the tenant's active token was issued (nullopt: none).
    Result<std::optional<QDateTime>> scimTokenIssuedAt(const QUuid &tenantId);

private:
    struct CheckedConnection;
    // A new or edited connection's fields checked, its settings in stored form.
    Result<CheckedConnection> checkConnection(const QUuid &tenantId, const QUuid &id,
                                              const NewSsoConnection &input);
    // Validates OIDC settings and replaces the secrets by sealed values.
    Result<QJsonObject> sealOidcSettings(const QUuid &tenantId, const QUuid &connectionId,
                                         const QJsonObject &input);

    storage::ConnectionPool &m_pool;
    const Clock &m_clock;
    tenancy::FieldCipher *m_cipher = nullptr;
};

} // namespace upcoach::identity
