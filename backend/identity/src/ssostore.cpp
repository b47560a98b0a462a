#include "upcoach/identity/ssostore.h"

#include "upcoach/core/crypto.h"
#include "upcoach/core/ids.h"
#include "upcoach/identity/oidc.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/tenancy/fieldcipher.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <pqxx/pqxx>

namespace upcoach::identity {

namespace {

const QStringList kRoles{QStringLiteral("admin"), QStringLiteral("coach"),
                         QStringLiteral("coachee")};
const QByteArray kScimPrefix = QByteArrayLiteral("scim_");

Error invalid(const QString &field, const QString &why)
{
    return makeError(ErrorCode::InvalidInput, field + QStringLiteral(": ") + why);
}

pqxx::binarystring asBytes(const QByteArray &data)
{
    return pqxx::binarystring(data.constData(), size_t(data.size()));
}

std::string text(const QString &value)
{
    return value.toStdString();
}

QDateTime instantOf(const pqxx::field &field)
{
    if (field.is_null())
        return {};
    // Selected with to_char(... AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"').
    return QDateTime::fromString(QString::fromStdString(field.as<std::string>()), Qt::ISODateWithMs)
        .toUTC();
}

std::string pgArray(const QStringList &values)
{
    // Domains are validated to [a-z0-9.-] before they get here: no quoting needed beyond braces.
    return "{" + values.join(QLatin1Char(',')).toStdString() + "}";
}

QStringList fromPgArray(const pqxx::field &field)
{
    QString value = QString::fromStdString(field.as<std::string>());
    value.remove(QLatin1Char('{')).remove(QLatin1Char('}'));
    return value.isEmpty() ? QStringList() : value.split(QLatin1Char(','));
}

SsoConnection connectionFrom(const pqxx::row &row)
{
    SsoConnection c;
    c.id = QUuid::fromString(QString::fromStdString(row["id"].as<std::string>()));
    c.tenantId = QUuid::fromString(QString::fromStdString(row["tenant_id"].as<std::string>()));
    c.name = QString::fromStdString(row["name"].as<std::string>());
    c.protocol = QString::fromStdString(row["protocol"].as<std::string>());
    c.preset = QString::fromStdString(row["preset"].as<std::string>());
    c.enabled = row["enabled"].as<bool>();
    c.emailDomains = fromPgArray(row["email_domains"]);
    c.settings =
        QJsonDocument::fromJson(QByteArray::fromStdString(row["settings"].as<std::string>()))
            .object();
    c.version = row["version"].as<int>();
    c.createdAt = instantOf(row["created_at"]);
    c.updatedAt = instantOf(row["updated_at"]);
    return c;
}

const char *const kConnectionColumns =
    "id::text, tenant_id::text, name, protocol, preset, enabled, email_domains::text, "
    "settings::text, version, to_char(created_at AT TIME ZONE 'UTC', "
    "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS created_at, to_char(updated_at AT TIME ZONE "
    "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS updated_at";

std::string selectConnections(const char *where)
{
    return std::string("SELECT ") + kConnectionColumns + " FROM sso_connections WHERE " + where;
}

} // namespace

const std::vector<SsoPreset> &ssoPresets()
{
    static const std::vector<SsoPreset> presets{
        {QStringLiteral("generic"), QStringLiteral("Generic SAML 2.0 / OpenID Connect"),
         QStringLiteral("email"), QStringLiteral("displayName"), QStringLiteral("groups"),
         QString(), QString(), QStringLiteral("mfa")},
        {QStringLiteral("entra-id"), QStringLiteral("Microsoft Entra ID (Azure AD)"),
         QStringLiteral("http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"),
         QStringLiteral("http://schemas.microsoft.com/identity/claims/displayname"),
         QStringLiteral("http://schemas.microsoft.com/ws/2008/06/identity/claims/groups"),
         QStringLiteral("http://schemas.microsoft.com/claims/multipleauthn"),
         QStringLiteral("https://login.microsoftonline.com/{tenant-id}/v2.0"),
         QStringLiteral("mfa")},
        {QStringLiteral("okta"), QStringLiteral("Okta"), QStringLiteral("email"),
         QStringLiteral("displayName"), QStringLiteral("groups"),
         QStringLiteral("urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"),
         QStringLiteral("https://{okta-domain}/oauth2/default"), QStringLiteral("mfa")},
        {QStringLiteral("google-workspace"), QStringLiteral("Google Workspace"),
         QStringLiteral("email"), QStringLiteral("name"), QStringLiteral("groups"), QString(),
         QStringLiteral("https://accounts.google.com"), QString()},
        {QStringLiteral("onelogin"), QStringLiteral("OneLogin"), QStringLiteral("User.email"),
         QStringLiteral("User.DisplayName"), QStringLiteral("memberOf"), QString(),
         QStringLiteral("https://{subdomain}.onelogin.com/oidc/2"), QStringLiteral("mfa")},
        {QStringLiteral("ping"), QStringLiteral("Ping Identity"), QStringLiteral("mail"),
         QStringLiteral("cn"), QStringLiteral("memberOf"), QString(),
         QStringLiteral("https://auth.pingone.com/{environment-id}/as"), QStringLiteral("mfa")},
    };
    return presets;
}

std::optional<SsoPreset> ssoPreset(const QString &id)
{
    for (const SsoPreset &preset : ssoPresets())
        if (preset.id == id)
            return preset;
    return std::nullopt;
}

namespace {

void mappingToJson(QJsonObject &json, const LoginMapping &s)
{
    QJsonArray rules;
    for (const RoleRule &rule : s.roleRules)
        rules.append(QJsonObject{{QStringLiteral("attribute"), rule.attribute},
                                 {QStringLiteral("value"), rule.value},
                                 {QStringLiteral("role"), rule.role}});
    json.insert(QStringLiteral("jitProvisioning"), s.jitProvisioning);
    json.insert(QStringLiteral("scimUsersOnly"), s.scimUsersOnly);
    json.insert(QStringLiteral("defaultRole"), s.defaultRole);
    json.insert(QStringLiteral("emailAttribute"), s.emailAttribute);
    json.insert(QStringLiteral("displayNameAttribute"), s.displayNameAttribute);
    json.insert(QStringLiteral("groupsAttribute"), s.groupsAttribute);
    json.insert(QStringLiteral("mfaContextClassRef"), s.mfaContextClassRef);
    json.insert(QStringLiteral("roleRules"), rules);
}

Status mappingFromJson(const QJsonObject &json, LoginMapping &s)
{
    s.jitProvisioning = json.value(QStringLiteral("jitProvisioning")).toBool(true);
    s.scimUsersOnly = json.value(QStringLiteral("scimUsersOnly")).toBool(false);
    s.defaultRole = json.value(QStringLiteral("defaultRole")).toString(QStringLiteral("coachee"));
    if (!kRoles.contains(s.defaultRole))
        return invalid(QStringLiteral("settings.defaultRole"),
                       QStringLiteral("admin, coach or coachee"));
    s.emailAttribute = json.value(QStringLiteral("emailAttribute")).toString().left(512);
    s.displayNameAttribute =
        json.value(QStringLiteral("displayNameAttribute")).toString().left(512);
    s.groupsAttribute = json.value(QStringLiteral("groupsAttribute")).toString().left(512);
    s.mfaContextClassRef = json.value(QStringLiteral("mfaContextClassRef")).toString().left(512);
    const QJsonArray rules = json.value(QStringLiteral("roleRules")).toArray();
    if (rules.size() > 50)
        return invalid(QStringLiteral("settings.roleRules"), QStringLiteral("at most 50 rules"));
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QJsonObject rule = rules.at(i).toObject();
        RoleRule r{rule.value(QStringLiteral("attribute")).toString(),
                   rule.value(QStringLiteral("value")).toString(),
                   rule.value(QStringLiteral("role")).toString()};
        if (r.attribute.isEmpty() || r.attribute.size() > 512 || r.value.size() > 512 ||
            !kRoles.contains(r.role))
            return invalid(QStringLiteral("settings.roleRules[%1]").arg(i),
                           QStringLiteral("attribute (1..512), value (≤ 512) and role (admin, "
                                          "coach or coachee)"));
        s.roleRules.push_back(r);
    }
    return {};
}

} // namespace

Result<QJsonObject> connectionSettingsFrom(const QString &protocol, const QString &presetId,
                                           QJsonObject settings, QByteArrayView metadataXml)
{
    const std::optional<SsoPreset> preset =
        ssoPreset(presetId.isEmpty() ? QStringLiteral("generic") : presetId);
    if (!preset)
        return invalid(QStringLiteral("preset"), QStringLiteral("unknown preset"));
    const bool saml = protocol == QLatin1String("saml");
    if (!metadataXml.isEmpty()) {
        if (!saml)
            return invalid(QStringLiteral("metadataXml"),
                           QStringLiteral("IdP metadata is for SAML connections"));
        auto metadata = parseIdpMetadata(metadataXml);
        if (!metadata)
            return metadata.error().context(QStringLiteral("metadataXml"));
        QJsonArray certificates;
        for (const QByteArray &pem : metadata->signingCertificatesPem)
            certificates.append(QString::fromLatin1(pem));
        settings.insert(QStringLiteral("idpEntityId"), metadata->entityId);
        settings.insert(QStringLiteral("ssoUrl"),
                        metadata->ssoRedirectUrl.toString(QUrl::FullyEncoded));
        settings.insert(QStringLiteral("certificates"), certificates);
    }
    if (!saml && settings.contains(QStringLiteral("discoveryUrl"))) {
        // A pasted discovery URL names the issuer (OpenID Connect Discovery 1.0, section 4).
        static const QString suffix = QStringLiteral("/.well-known/openid-configuration");
        const QString url = settings.take(QStringLiteral("discoveryUrl")).toString();
        if (!url.endsWith(suffix) || url.size() > 1024 + suffix.size())
            return invalid(QStringLiteral("settings.discoveryUrl"),
                           QStringLiteral("the provider's …/.well-known/openid-configuration URL"));
        const QString issuer = url.chopped(suffix.size());
        if (settings.contains(QStringLiteral("issuer")) &&
            settings.value(QStringLiteral("issuer")).toString() != issuer)
            return invalid(QStringLiteral("settings.discoveryUrl"),
                           QStringLiteral("names another issuer than settings.issuer"));
        settings.insert(QStringLiteral("issuer"), issuer);
    }
    const auto fill = [&settings](const char *key, const QString &value) {
        const QString name = QString::fromLatin1(key);
        if (!value.isEmpty() && settings.value(name).toString().isEmpty())
            settings.insert(name, value);
    };
    fill("emailAttribute", saml ? preset->emailAttribute : QStringLiteral("email"));
    fill("displayNameAttribute", saml ? preset->displayNameAttribute : QStringLiteral("name"));
    fill("groupsAttribute", saml ? preset->groupsAttribute : QStringLiteral("groups"));
    fill("mfaContextClassRef", saml ? preset->mfaContextClassRef : preset->oidcMfaAmr);
    return settings;
}

QJsonObject publicConnectionSettings(const QJsonObject &settings)
{
    QJsonObject shown = settings;
    for (const auto &[sealed, flag] :
         {std::pair{QStringLiteral("clientSecretSealed"), QStringLiteral("hasClientSecret")},
          std::pair{QStringLiteral("clientKeySealed"), QStringLiteral("hasClientKey")}}) {
        shown.insert(flag, !shown.value(sealed).toString().isEmpty());
        shown.remove(sealed);
    }
    shown.remove(QStringLiteral("clientSecret"));
    shown.remove(QStringLiteral("clientKeyPem"));
    return shown;
}

QJsonObject samlSettingsToJson(const SamlConnectionSettings &s)
{
    QJsonArray certificates;
    for (const QByteArray &pem : s.idp.certificatesPem)
        certificates.append(QString::fromLatin1(pem));
    QJsonObject json{
        {QStringLiteral("idpEntityId"), s.idp.entityId},
        {QStringLiteral("ssoUrl"), s.idp.ssoRedirectUrl.toString(QUrl::FullyEncoded)},
        {QStringLiteral("certificates"), certificates},
        {QStringLiteral("requireSignedAssertion"), s.idp.requireSignedAssertion},
        {QStringLiteral("allowIdpInitiated"), s.idp.allowIdpInitiated},
        {QStringLiteral("allowSha1"), s.idp.allowSha1},
    };
    mappingToJson(json, s);
    return json;
}

Result<SamlConnectionSettings> samlSettingsFromJson(const QJsonObject &json)
{
    SamlConnectionSettings s;
    s.idp.entityId = json.value(QStringLiteral("idpEntityId")).toString().trimmed();
    if (s.idp.entityId.isEmpty() || s.idp.entityId.size() > 1024)
        return invalid(QStringLiteral("settings.idpEntityId"),
                       QStringLiteral("1..1024 characters"));
    s.idp.ssoRedirectUrl = QUrl(json.value(QStringLiteral("ssoUrl")).toString(), QUrl::StrictMode);
    if (!s.idp.ssoRedirectUrl.isValid() || s.idp.ssoRedirectUrl.isRelative() ||
        (s.idp.ssoRedirectUrl.scheme() != QStringLiteral("https") &&
         s.idp.ssoRedirectUrl.scheme() != QStringLiteral("http")))
        return invalid(QStringLiteral("settings.ssoUrl"),
                       QStringLiteral("an absolute http(s) URL"));
    const QJsonArray certificates = json.value(QStringLiteral("certificates")).toArray();
    if (certificates.isEmpty() || certificates.size() > 4)
        return invalid(QStringLiteral("settings.certificates"),
                       QStringLiteral("1..4 PEM signing certificates"));
    for (const QJsonValue &value : certificates) {
        const QByteArray der = normaliseCertificatePem(value.toString().toLatin1());
        if (der.isEmpty())
            return invalid(QStringLiteral("settings.certificates"),
                           QStringLiteral("not an X.509 certificate"));
        s.idp.certificatesPem.append(der);
    }
    s.idp.requireSignedAssertion =
        json.value(QStringLiteral("requireSignedAssertion")).toBool(true);
    s.idp.allowIdpInitiated = json.value(QStringLiteral("allowIdpInitiated")).toBool(false);
    s.idp.allowSha1 = json.value(QStringLiteral("allowSha1")).toBool(false);
    if (Status mapped = mappingFromJson(json, s); !mapped)
        return mapped.error();
    return s;
}

QJsonObject oidcSettingsToJson(const OidcConnectionSettings &s)
{
    QJsonObject json{
        {QStringLiteral("issuer"), s.issuer},
        {QStringLiteral("clientId"), s.clientId},
        {QStringLiteral("clientAuthMethod"), s.clientAuthMethod},
        {QStringLiteral("idTokenAlgorithm"), s.idTokenAlgorithm},
        {QStringLiteral("scopes"), QJsonArray::fromStringList(s.scopes)},
        {QStringLiteral("useUserinfo"), s.useUserinfo},
    };
    if (!s.clientSecret.isEmpty())
        json.insert(QStringLiteral("clientSecret"), QString::fromUtf8(s.clientSecret));
    if (!s.clientKeyPem.isEmpty())
        json.insert(QStringLiteral("clientKeyPem"), QString::fromLatin1(s.clientKeyPem));
    mappingToJson(json, s);
    return json;
}

Result<OidcConnectionSettings> oidcSettingsFromJson(const QJsonObject &json)
{
    OidcConnectionSettings s;
    s.issuer = json.value(QStringLiteral("issuer")).toString();
    const QUrl issuer(s.issuer, QUrl::StrictMode);
    if (s.issuer.size() > 1024 || !issuer.isValid() || issuer.isRelative() || issuer.hasQuery() ||
        issuer.hasFragment() || !oidcTransportAllowed(issuer))
        return invalid(QStringLiteral("settings.issuer"),
                       QStringLiteral("an https URL without query or fragment (http only to "
                                      "loopback)"));
    s.clientId = json.value(QStringLiteral("clientId")).toString();
    if (s.clientId.isEmpty() || s.clientId.size() > 256)
        return invalid(QStringLiteral("settings.clientId"), QStringLiteral("1..256 characters"));
    s.clientAuthMethod = json.value(QStringLiteral("clientAuthMethod"))
                             .toString(QStringLiteral("client_secret_basic"));
    if (!clientAuthMethodFromName(s.clientAuthMethod))
        return invalid(QStringLiteral("settings.clientAuthMethod"),
                       QStringLiteral("client_secret_basic, client_secret_post or "
                                      "private_key_jwt"));
    s.idTokenAlgorithm =
        json.value(QStringLiteral("idTokenAlgorithm")).toString(QStringLiteral("RS256"));
    const auto algorithm = jwsAlgorithmFromName(s.idTokenAlgorithm);
    if (!algorithm || s.idTokenAlgorithm.startsWith(QLatin1String("HS")))
        return invalid(QStringLiteral("settings.idTokenAlgorithm"),
                       QStringLiteral("an asymmetric JWS algorithm (RS256, PS256, ES256, EdDSA, "
                                      "...)"));
    if (json.contains(QStringLiteral("scopes"))) {
        s.scopes.clear();
        for (const QJsonValue &scope : json.value(QStringLiteral("scopes")).toArray())
            s.scopes << scope.toString();
    }
    static const QRegularExpression scopeShape(
        QStringLiteral("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}$"));
    if (!s.scopes.contains(QStringLiteral("openid")) || s.scopes.size() > 20)
        return invalid(QStringLiteral("settings.scopes"),
                       QStringLiteral("\"openid\" and at most 19 more"));
    for (const QString &scope : s.scopes)
        if (!scopeShape.match(scope).hasMatch())
            return invalid(QStringLiteral("settings.scopes"),
                           QStringLiteral("a scope is not a scope-token (RFC 6749 §3.3)"));
    s.useUserinfo = json.value(QStringLiteral("useUserinfo")).toBool(true);
    s.clientSecret = json.value(QStringLiteral("clientSecret")).toString().toUtf8();
    s.clientKeyPem = json.value(QStringLiteral("clientKeyPem")).toString().toLatin1();
    if (s.clientSecret.size() > 1024 || s.clientKeyPem.size() > 16384)
        return invalid(QStringLiteral("settings.clientSecret"), QStringLiteral("too long"));
    if (Status mapped = mappingFromJson(json, s); !mapped)
        return mapped.error();
    return s;
}

int matchingRoleRule(const LoginMapping &settings, const QHash<QString, QStringList> &attributes)
{
    for (size_t i = 0; i < settings.roleRules.size(); ++i) {
        const RoleRule &rule = settings.roleRules[i];
        for (const QString &value : attributes.value(rule.attribute))
            if (value.compare(rule.value, Qt::CaseInsensitive) == 0)
                return int(i);
    }
    return -1;
}

QString mapRole(const LoginMapping &settings, const QHash<QString, QStringList> &attributes)
{
    const int rule = matchingRoleRule(settings, attributes);
    return rule < 0 ? settings.defaultRole : settings.roleRules[size_t(rule)].role;
}

SsoStore::SsoStore(storage::ConnectionPool &controlPlane, const Clock &clock)
    : m_pool(controlPlane)
    , m_clock(clock)
{}

namespace {

tenancy::FieldLocation secretLocation(const QUuid &tenantId, const QUuid &connectionId,
                                      const char *column)
{
    return {tenantId, QStringLiteral("sso_connections"), QLatin1String(column),
            connectionId.toString(QUuid::WithoutBraces)};
}

} // namespace

Result<QJsonObject> SsoStore::sealOidcSettings(const QUuid &tenantId, const QUuid &connectionId,
                                               const QJsonObject &input)
{
    auto settings = oidcSettingsFromJson(input);
    if (!settings)
        return settings.error();
    if (!m_cipher)
        return makeError(ErrorCode::Config,
                         QStringLiteral("OIDC connections need the tenant key store to seal "
                                        "their secrets; this server has none configured"));
    const auto method = clientAuthMethodFromName(settings->clientAuthMethod);
    if (method == ClientAuthMethod::PrivateKeyJwt) {
        if (settings->clientKeyPem.isEmpty()) {
            auto generated = SigningKey::generate(JwsAlgorithm::RS256);
            if (!generated)
                return generated.error();
            auto pem = generated->privateKeyPem();
            if (!pem)
                return pem.error();
            settings->clientKeyPem = *pem;
        } else if (!SigningKey::fromPem(settings->clientKeyPem, JwsAlgorithm::RS256)) {
            return invalid(QStringLiteral("settings.clientKeyPem"),
                           QStringLiteral("an unencrypted RSA private key (PEM)"));
        }
    } else if (settings->clientSecret.isEmpty()) {
        return invalid(QStringLiteral("settings.clientSecret"),
                       QStringLiteral("required for %1").arg(settings->clientAuthMethod));
    }
    const QByteArray secret = settings->clientSecret;
    const QByteArray key = settings->clientKeyPem;
    settings->clientSecret.clear();
    settings->clientKeyPem.clear();
    QJsonObject stored = oidcSettingsToJson(*settings);
    if (!secret.isEmpty()) {
        auto sealed =
            m_cipher->encrypt(secretLocation(tenantId, connectionId, "client_secret"), secret);
        if (!sealed)
            return sealed.error();
        stored.insert(QStringLiteral("clientSecretSealed"), *sealed);
    }
    if (!key.isEmpty()) {
        auto sealed = m_cipher->encrypt(secretLocation(tenantId, connectionId, "client_key"), key);
        if (!sealed)
            return sealed.error();
        stored.insert(QStringLiteral("clientKeySealed"), *sealed);
    }
    return stored;
}

Result<OidcConnectionSettings> SsoStore::oidcSecrets(const SsoConnection &connection)
{
    if (connection.protocol != QStringLiteral("oidc"))
        return makeError(ErrorCode::InvalidInput, QStringLiteral("not an OIDC connection"));
    QJsonObject json = connection.settings;
    const QString sealedSecret = json.take(QStringLiteral("clientSecretSealed")).toString();
    const QString sealedKey = json.take(QStringLiteral("clientKeySealed")).toString();
    auto settings = oidcSettingsFromJson(json);
    if (!settings)
        return settings.error();
    if ((!sealedSecret.isEmpty() || !sealedKey.isEmpty()) && !m_cipher)
        return makeError(ErrorCode::Config,
                         QStringLiteral("the OIDC connection's secrets are sealed and this server "
                                        "has no tenant key store"));
    if (!sealedSecret.isEmpty()) {
        auto opened = m_cipher->decrypt(
            secretLocation(connection.tenantId, connection.id, "client_secret"), sealedSecret);
        if (!opened)
            return opened.error().context(QStringLiteral("client secret"));
        settings->clientSecret = *opened;
    }
    if (!sealedKey.isEmpty()) {
        auto opened = m_cipher->decrypt(
            secretLocation(connection.tenantId, connection.id, "client_key"), sealedKey);
        if (!opened)
            return opened.error().context(QStringLiteral("client key"));
        settings->clientKeyPem = *opened;
    }
    return settings;
}

struct SsoStore::CheckedConnection
{
    QString name;
    QStringList domains;
    QJsonObject stored; // settings as stored (OIDC secrets sealed)
};

Result<SsoStore::CheckedConnection>
SsoStore::checkConnection(const QUuid &tenantId, const QUuid &id, const NewSsoConnection &input)
{
    CheckedConnection checked;
    checked.name = input.name.trimmed();
    if (checked.name.isEmpty() || checked.name.size() > 100)
        return invalid(QStringLiteral("name"), QStringLiteral("1..100 characters"));
    if (input.protocol != QStringLiteral("saml") && input.protocol != QStringLiteral("oidc"))
        return invalid(QStringLiteral("protocol"), QStringLiteral("saml or oidc"));
    if (!ssoPreset(input.preset))
        return invalid(QStringLiteral("preset"), QStringLiteral("unknown preset"));
    static const QRegularExpression domainShape(
        QStringLiteral("^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$"));
    for (const QString &domain : input.emailDomains) {
        const QString lower = domain.trimmed().toLower();
        if (!domainShape.match(lower).hasMatch())
            return invalid(QStringLiteral("emailDomains"),
                           QStringLiteral("\"%1\" is not a domain name").arg(lower.left(64)));
        if (!checked.domains.contains(lower))
            checked.domains.append(lower);
    }
    if (checked.domains.size() > 50)
        return invalid(QStringLiteral("emailDomains"), QStringLiteral("at most 50 domains"));
    if (input.protocol == QStringLiteral("saml")) {
        auto settings = samlSettingsFromJson(input.settings);
        if (!settings)
            return settings.error();
        checked.stored = samlSettingsToJson(*settings);
    } else {
        auto sealed = sealOidcSettings(tenantId, id, input.settings);
        if (!sealed)
            return sealed.error();
        checked.stored = *sealed;
    }
    return checked;
}

// Within the writing transaction: no other tenant claims the domains, no other connection of
// the tenant has the name.
static Status checkClaims(pqxx::transaction_base &work, const QUuid &tenantId, const QUuid &id,
                          const QString &name, const QStringList &domains)
{
    for (const QString &domain : domains) {
        const pqxx::result claimed =
            work.exec_params("SELECT 1 FROM sso_connections WHERE tenant_id <> $1::uuid AND $2 = "
                             "ANY (email_domains)",
                             text(tenantId.toString(QUuid::WithoutBraces)), text(domain));
        if (!claimed.empty())
            return makeError(
                ErrorCode::Conflict,
                QStringLiteral("emailDomains: %1 is claimed by another tenant").arg(domain));
    }
    const pqxx::result taken = work.exec_params(
        "SELECT 1 FROM sso_connections WHERE tenant_id = $1::uuid AND name = $2 AND id <> "
        "$3::uuid",
        text(tenantId.toString(QUuid::WithoutBraces)), text(name),
        text(id.toString(QUuid::WithoutBraces)));
    if (!taken.empty())
        return makeError(
            ErrorCode::Conflict,
            QStringLiteral("name: the tenant already has a connection \"%1\"").arg(name));
    return {};
}

Result<SsoConnection> SsoStore::createConnection(const QUuid &tenantId,
                                                 const NewSsoConnection &input)
{
    const QUuid id = ids::uuid7(m_clock);
    auto checked = checkConnection(tenantId, id, input);
    if (!checked)
        return checked.error();
    auto result = m_pool.withConnection([&](pqxx::connection &connection) -> Result<SsoConnection> {
        pqxx::work work(connection);
        if (Status free = checkClaims(work, tenantId, id, checked->name, checked->domains); !free)
            return free.error();
        const pqxx::result row = work.exec_params(
            "INSERT INTO sso_connections (id, tenant_id, name, protocol, preset, email_domains, "
            "settings) VALUES ($1::uuid, $2::uuid, $3, $4, $5, $6::text[], $7::jsonb) RETURNING " +
                std::string(kConnectionColumns),
            text(id.toString(QUuid::WithoutBraces)), text(tenantId.toString(QUuid::WithoutBraces)),
            text(checked->name), text(input.protocol), text(input.preset),
            pgArray(checked->domains),
            QJsonDocument(checked->stored).toJson(QJsonDocument::Compact).toStdString());
        work.commit();
        return connectionFrom(row.front());
    });
    if (!result)
        return result.error();
    return std::move(*result);
}

Result<SsoConnection> SsoStore::updateConnection(const QUuid &tenantId, const QUuid &id,
                                                 const NewSsoConnection &input,
                                                 std::optional<QList<qint64>> acceptedVersions)
{
    auto current = connection(tenantId, id);
    if (!current)
        return current.error();
    if (input.protocol != current->protocol)
        return invalid(QStringLiteral("protocol"),
                       QStringLiteral("a connection's protocol cannot change (it is %1)")
                           .arg(current->protocol));
    NewSsoConnection wanted = input;
    if (current->protocol == QLatin1String("oidc") &&
        (!wanted.settings.contains(QStringLiteral("clientSecret")) ||
         !wanted.settings.contains(QStringLiteral("clientKeyPem")))) {
        // Secrets are write-only: an edit that leaves them out keeps the stored ones.
        auto secrets = oidcSecrets(*current);
        if (!secrets)
            return secrets.error();
        if (!wanted.settings.contains(QStringLiteral("clientSecret")) &&
            !secrets->clientSecret.isEmpty())
            wanted.settings.insert(QStringLiteral("clientSecret"),
                                   QString::fromUtf8(secrets->clientSecret));
        if (!wanted.settings.contains(QStringLiteral("clientKeyPem")) &&
            !secrets->clientKeyPem.isEmpty())
            wanted.settings.insert(QStringLiteral("clientKeyPem"),
                                   QString::fromUtf8(secrets->clientKeyPem));
    }
    auto checked = checkConnection(tenantId, id, wanted);
    if (!checked)
        return checked.error();
    auto result = m_pool.withConnection([&](pqxx::connection &connection) -> Result<SsoConnection> {
        pqxx::work work(connection);
        const pqxx::result locked = work.exec_params(
            "SELECT version FROM sso_connections WHERE tenant_id = $1::uuid AND id = $2::uuid "
            "FOR UPDATE",
            text(tenantId.toString(QUuid::WithoutBraces)), text(id.toString(QUuid::WithoutBraces)));
        if (locked.empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no such connection"));
        if (acceptedVersions && !acceptedVersions->contains(locked[0][0].as<qint64>()))
            return makeError(ErrorCode::Conflict, kStaleConnectionVersion);
        if (Status free = checkClaims(work, tenantId, id, checked->name, checked->domains); !free)
            return free.error();
        const pqxx::result row = work.exec_params(
            "UPDATE sso_connections SET name = $3, preset = $4, email_domains = $5::text[], "
            "settings = $6::jsonb, version = version + 1, updated_at = now() WHERE tenant_id = "
            "$1::uuid AND id = $2::uuid RETURNING " +
                std::string(kConnectionColumns),
            text(tenantId.toString(QUuid::WithoutBraces)), text(id.toString(QUuid::WithoutBraces)),
            text(checked->name), text(wanted.preset), pgArray(checked->domains),
            QJsonDocument(checked->stored).toJson(QJsonDocument::Compact).toStdString());
        work.commit();
        return connectionFrom(row.front());
    });
    if (!result)
        return result.error();
    return std::move(*result);
}

// Runs one statement on the connection `id` of the tenant ($1 tenant, $2 id, then `more`);
// NotFound when it touched no row.
template<typename... More>
static Status changeConnectionRow(storage::ConnectionPool &pool, const char *sql,
                                  const QUuid &tenantId, const QUuid &id, const More &...more)
{
    auto result = pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        const pqxx::result rows =
            work.exec_params(sql, text(tenantId.toString(QUuid::WithoutBraces)),
                             text(id.toString(QUuid::WithoutBraces)), more...);
        work.commit();
        return rows.affected_rows();
    });
    if (!result)
        return result.error();
    if (*result == 0)
        return makeError(ErrorCode::NotFound, QStringLiteral("no such connection"));
    return {};
}

Status SsoStore::deleteConnection(const QUuid &tenantId, const QUuid &id)
{
    return changeConnectionRow(
        m_pool, "DELETE FROM sso_connections WHERE tenant_id = $1::uuid AND id = $2::uuid",
        tenantId, id);
}

Result<std::vector<SsoConnection>> SsoStore::connections(const QUuid &tenantId)
{
    return m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        std::vector<SsoConnection> out;
        for (const pqxx::row &row :
             work.exec_params(selectConnections("tenant_id = $1::uuid ORDER BY name"),
                              text(tenantId.toString(QUuid::WithoutBraces))))
            out.push_back(connectionFrom(row));
        return out;
    });
}

Result<SsoConnection> SsoStore::connection(const QUuid &tenantId, const QUuid &id)
{
    auto result = m_pool.withConnection([&](pqxx::connection &connection) -> Result<SsoConnection> {
        pqxx::read_transaction work(connection);
        const pqxx::result rows = work.exec_params(
            selectConnections("tenant_id = $1::uuid AND id = $2::uuid"),
            text(tenantId.toString(QUuid::WithoutBraces)), text(id.toString(QUuid::WithoutBraces)));
        if (rows.empty())
            return makeError(ErrorCode::NotFound, QStringLiteral("no such connection"));
        return connectionFrom(rows.front());
    });
    if (!result)
        return result.error();
    return std::move(*result);
}

Result<std::optional<SsoConnection>> SsoStore::discover(const QString &email)
{
    const qsizetype at = email.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || email.size() > 320)
        return invalid(QStringLiteral("email"), QStringLiteral("not an e-mail address"));
    const QString domain = email.mid(at + 1).toLower();
    return m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        const pqxx::result rows = work.exec_params(
            selectConnections("enabled AND $1 = ANY (email_domains) ORDER BY created_at LIMIT 1"),
            text(domain));
        return rows.empty() ? std::optional<SsoConnection>()
                            : std::optional<SsoConnection>(connectionFrom(rows.front()));
    });
}

Status SsoStore::setEnabled(const QUuid &tenantId, const QUuid &id, bool enabled)
{
    return changeConnectionRow(m_pool,
                               "UPDATE sso_connections SET enabled = $3, version = version + 1, "
                               "updated_at = now() WHERE tenant_id = $1::uuid AND id = $2::uuid",
                               tenantId, id, enabled);
}

Result<SamlKeyPair> SsoStore::spKeyPair(const QUuid &tenantId)
{
    const std::string tenant = text(tenantId.toString(QUuid::WithoutBraces));
    auto read = [&]() -> Result<std::optional<SamlKeyPair>> {
        return m_pool.withConnection([&](pqxx::connection &connection) {
            pqxx::read_transaction work(connection);
            const pqxx::result rows = work.exec_params(
                "SELECT certificate_pem, private_key_pem FROM saml_sp_keys WHERE tenant_id = "
                "$1::uuid",
                tenant);
            if (rows.empty())
                return std::optional<SamlKeyPair>();
            return std::optional<SamlKeyPair>(
                SamlKeyPair{QByteArray::fromStdString(rows[0][0].as<std::string>()),
                            QByteArray::fromStdString(rows[0][1].as<std::string>())});
        });
    };
    auto existing = read();
    if (!existing)
        return existing.error();
    if (*existing)
        return std::move(**existing);
    auto generated = generateSamlKeyPair(QStringLiteral("UpCoach SP ") +
                                         tenantId.toString(QUuid::WithoutBraces));
    if (!generated)
        return generated.error();
    // Two instances may generate at once: the first insert wins and both read it back.
    auto inserted = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        work.exec_params("INSERT INTO saml_sp_keys (tenant_id, certificate_pem, private_key_pem) "
                         "VALUES ($1::uuid, $2, $3) ON CONFLICT (tenant_id) DO NOTHING",
                         tenant, generated->certificatePem.toStdString(),
                         generated->privateKeyPem.toStdString());
        work.commit();
    });
    crypto::secureWipe(generated->privateKeyPem);
    if (!inserted)
        return inserted.error();
    auto stored = read();
    if (!stored)
        return stored.error();
    if (!*stored)
        return makeError(ErrorCode::Internal, QStringLiteral("the SP key pair was not stored"));
    return std::move(**stored);
}

Status SsoStore::saveLoginRequest(const LoginRequest &request)
{
    auto result = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        work.exec_params("DELETE FROM sso_login_requests WHERE expires_at < now() - interval '1 "
                         "hour'");
        work.exec_params(
            "INSERT INTO sso_login_requests (id, tenant_id, connection_id, relay_state, "
            "expires_at, nonce, code_verifier) VALUES ($1, $2::uuid, $3::uuid, $4, "
            "$5::timestamptz, $6, $7)",
            text(request.id), text(request.tenantId.toString(QUuid::WithoutBraces)),
            text(request.connectionId.toString(QUuid::WithoutBraces)), text(request.relayState),
            text(request.expiresAt.toUTC().toString(Qt::ISODateWithMs)),
            request.nonce.toStdString(), request.codeVerifier.toStdString());
        work.commit();
    });
    if (!result)
        return result.error();
    return {};
}

Result<LoginRequest> SsoStore::consumeLoginRequest(const QString &id, const QUuid &tenantId)
{
    if (id.isEmpty() || id.size() > 128)
        return makeError(ErrorCode::NotFound, QStringLiteral("no such login request"));
    auto result = m_pool.withConnection([&](pqxx::connection &connection) -> Result<LoginRequest> {
        pqxx::work work(connection);
        const pqxx::result rows = work.exec_params(
            "UPDATE sso_login_requests SET consumed_at = $3::timestamptz WHERE id = $1 AND "
            "tenant_id = $2::uuid AND consumed_at IS NULL AND expires_at > $3::timestamptz "
            "RETURNING connection_id::text, relay_state, nonce, code_verifier",
            text(id), text(tenantId.toString(QUuid::WithoutBraces)),
            text(m_clock.now().toUTC().toString(Qt::ISODateWithMs)));
        work.commit();
        if (rows.empty())
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("no such login request (unknown, expired or used)"));
        LoginRequest request;
        request.id = id;
        request.tenantId = tenantId;
        request.connectionId =
            QUuid::fromString(QString::fromStdString(rows[0][0].as<std::string>()));
        request.relayState = QString::fromStdString(rows[0][1].as<std::string>());
        request.nonce = QByteArray::fromStdString(rows[0][2].as<std::string>());
        request.codeVerifier = QByteArray::fromStdString(rows[0][3].as<std::string>());
        return request;
    });
    if (!result)
        return result.error();
    return std::move(*result);
}

Result<bool> SsoStore::claimAssertion(const QByteArray &replayKey, const QUuid &connectionId,
                                      const QDateTime &until)
{
    return m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        work.exec_params("DELETE FROM sso_assertion_replay WHERE expires_at < $1::timestamptz",
                         text(m_clock.now().toUTC().toString(Qt::ISODateWithMs)));
        const pqxx::result rows = work.exec_params(
            "INSERT INTO sso_assertion_replay (replay_key, connection_id, expires_at) VALUES ($1, "
            "$2::uuid, $3::timestamptz) ON CONFLICT (replay_key) DO NOTHING RETURNING 1",
            asBytes(replayKey), text(connectionId.toString(QUuid::WithoutBraces)),
            text(until.toUTC().toString(Qt::ISODateWithMs)));
        work.commit();
        return !rows.empty();
    });
}

Result<IssuedScimToken> SsoStore::rotateScimToken(const QUuid &tenantId)
{
    auto random = crypto::randomBytes(32);
    if (!random)
        return random.error();
    IssuedScimToken token;
    token.id = ids::uuid7(m_clock);
    token.secret = kScimPrefix + crypto::base64Url(*random);
    auto result = m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        work.exec_params("UPDATE scim_tokens SET revoked_at = now() WHERE tenant_id = $1::uuid "
                         "AND revoked_at IS NULL",
                         text(tenantId.toString(QUuid::WithoutBraces)));
        work.exec_params("INSERT INTO scim_tokens (id, tenant_id, token_hash) VALUES ($1::uuid, "
                         "$2::uuid, $3)",
                         text(token.id.toString(QUuid::WithoutBraces)),
                         text(tenantId.toString(QUuid::WithoutBraces)),
                         asBytes(crypto::sha256(token.secret)));
        work.commit();
    });
    if (!result)
        return result.error();
    return token;
}

Result<QUuid> SsoStore::verifyScimToken(const QByteArray &token)
{
    const Error unauthorized = makeError(ErrorCode::Unauthorized,
                                         QStringLiteral("missing, unknown or revoked SCIM token"));
    if (!token.startsWith(kScimPrefix) || token.size() != kScimPrefix.size() + 43)
        return unauthorized;
    // The lookup is by the SHA-256 of a 256-bit secret: an index lookup on a hash leaks nothing
    // an attacker can use (they would need a preimage).
    auto result = m_pool.withConnection([&](pqxx::connection &connection) -> std::optional<QUuid> {
        pqxx::work work(connection);
        const pqxx::result rows = work.exec_params(
            "UPDATE scim_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS "
            "NULL RETURNING tenant_id::text",
            asBytes(crypto::sha256(token)));
        work.commit();
        if (rows.empty())
            return std::nullopt;
        return QUuid::fromString(QString::fromStdString(rows[0][0].as<std::string>()));
    });
    if (!result)
        return result.error();
    if (!*result)
        return unauthorized;
    return **result;
}

Result<std::optional<QDateTime>> SsoStore::scimTokenIssuedAt(const QUuid &tenantId)
{
    return m_pool.withConnection([&](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        const pqxx::result rows = work.exec_params(
            "SELECT to_char(created_at AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM scim_tokens WHERE tenant_id = $1::uuid "
            "AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1",
            text(tenantId.toString(QUuid::WithoutBraces)));
        if (rows.empty())
            return std::optional<QDateTime>();
        return std::optional<QDateTime>(instantOf(rows[0][0]));
    });
}

} // namespace upcoach::identity
