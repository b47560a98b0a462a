// SAML single sign-on for tenants, end to end: the tenant's SP (entity id, ACS, key pair,
// metadata), SP-initiated logins (a signed AuthnRequest, remembered in the control plane), and
// the ACS: validation (saml.h), one-time use of the assertion across all instances, just-in-time
// provisioning with role mapping, and an audit event for every attempt — success, refusal and
// replay alike. Blocking: call from worker threads.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/identity/oidc.h"
#include "upcoach/identity/saml.h"
#include "upcoach/identity/sessions.h"
#include "upcoach/identity/ssostore.h"

#include <QUrl>

namespace upcoach::tenancy {
class TenantRegistry;
class TenantUsers;
} // namespace upcoach::tenancy

namespace upcoach::identity {

struct SsoUser
{
    QString id;
    QString email;
    QString displayName;
    QString role;
};

struct SsoLogin
{
    QString tenant;
    QUuid tenantId;
    QUuid connectionId;
    QString connectionName;
    SsoUser user;
    bool created = false;      // provisioned just now (JIT)
    bool mfaSatisfied = false; // the IdP asserted MFA and the connection accepts it
    bool idpInitiated = false;
    QString relayState;
    QString authnContextClassRef;
    // The session the sign-in started (when the service has a SessionService): it owes a
    // second factor when the tenant's MFA policy requires one the IdP did not satisfy.
    std::optional<SessionTokens> session;
};

class SsoService
{
public:
    // `publicBaseUrl`: where browsers and IdPs reach this server ("https://ops.example.com");
    // SP entity ids and ACS URLs are derived from it and must not change once IdPs know them.
    SsoService(SsoStore &store, tenancy::TenantRegistry &registry, tenancy::TenantUsers &users,
               compliance::AuditLog &audit, QUrl publicBaseUrl,
               const Clock &clock = Clock::system());

    SsoStore &store() { return m_store; }
    // Sign-ins start sessions (before the first request; not synchronised).
    void setSessions(SessionService *sessions) { m_sessions = sessions; }
    SessionService *sessions() const { return m_sessions; }
    QUrl publicBaseUrl() const { return m_base; }
    // Before the first request only (not synchronised): serve learns its port after binding.
    void setPublicBaseUrl(const QUrl &base) { m_base = base; }

    // The tenant's SP (keys generated on first use). NotFound for an unknown tenant.
    Result<SamlServiceProvider> serviceProvider(const QString &slug);
    Result<QByteArray> spMetadata(const QString &slug);

    // SP-initiated: the IdP URL to redirect the browser to. `connection`: a connection name, or
    // empty for the tenant's first enabled SAML connection. Recorded as sso.saml.login-start.
    Result<QUrl> beginSamlLogin(const QString &slug, const QString &connection,
                                const QString &relayState, const compliance::ActorContext &actor);
    // The ACS. Every outcome is recorded as sso.saml.login (success, or failure with the
    // reason); a replayed assertion is refused and recorded as such.
    Result<SsoLogin> completeSamlLogin(const QString &slug, QByteArrayView samlResponse,
                                       const QString &relayState,
                                       const compliance::ActorContext &actor);

    // Connection management (the API and the console). Recorded first as
    // sso.connection.create / sso.connection.enable / sso.connection.disable.
    Result<SsoConnection> createConnection(const QString &slug, const NewSsoConnection &input,
                                           const compliance::ActorContext &actor);
    // Edits (SsoStore::updateConnection) and deletes a connection; recorded as
    // sso.connection.update / sso.connection.delete before they take effect.
    Result<SsoConnection> updateConnection(const QString &slug, const QUuid &id,
                                           const NewSsoConnection &input,
                                           std::optional<QList<qint64>> acceptedVersions,
                                           const compliance::ActorContext &actor);
    Status deleteConnection(const QString &slug, const QUuid &id,
                            const compliance::ActorContext &actor);
    Status setConnectionEnabled(const QString &slug, const QUuid &id, bool enabled,
                                const compliance::ActorContext &actor);
    Result<std::vector<SsoConnection>> connections(const QString &slug);

    // The tenant's SCIM bearer token: a new one (shown once) that revokes the previous, recorded
    // as sso.scim.token-rotate (record first). NotFound for an unknown tenant.
    Result<IssuedScimToken> rotateScimToken(const QString &slug,
                                            const compliance::ActorContext &actor);
    // When the tenant's current SCIM token was issued; nullopt when it has none.
    Result<std::optional<QDateTime>> scimTokenIssuedAt(const QString &slug);

    // OpenID Connect, SP side of the code flow: the provider's authorization URL (PKCE S256,
    // state = the login request, nonce), recorded as sso.oidc.login-start.
    Result<QUrl> beginOidcLogin(const QString &slug, const QString &connection,
                                const QString &returnTo, const compliance::ActorContext &actor);
    // The redirect URI: the state names the login request (used once), the code is exchanged
    // with the connection's client authentication, the ID token validated (algorithm pinned,
    // iss, aud, azp, nonce, exp/iat/nbf with skew; keys refetched once on an unknown kid),
    // userinfo merged (same sub), then the user as for SAML. Every outcome: sso.oidc.login.
    Result<SsoLogin> completeOidcLogin(const QString &slug, const QByteArray &code,
                                       const QByteArray &state, const QString &providerError,
                                       const compliance::ActorContext &actor);
    // {"keys":[...]}: the public keys of the tenant's private_key_jwt connections (for
    // providers that fetch client keys by URL).
    Result<QByteArray> oidcClientJwks(const QString &slug);
    QUrl oidcRedirectUri(const QString &slug) const;
    // Forget cached discovery documents and keys (tests, or after a provider change).
    void forgetProviders() { m_providers.clear(); }

    // What role and profile a login with these attributes would get (the console's preview).
    static SsoUser previewUser(const LoginMapping &settings, const QString &nameId,
                               const QHash<QString, QStringList> &attributes);

private:
    Result<SsoLogin> completeUnrecorded(const QString &slug, QByteArrayView samlResponse,
                                        const QString &relayState,
                                        const compliance::ActorContext &actor, QUuid &connectionId);
    Result<SsoLogin> completeOidcUnrecorded(const QString &slug, const QByteArray &code,
                                            const QByteArray &state, const QString &providerError,
                                            const compliance::ActorContext &actor,
                                            QUuid &connectionId);
    // The tenant's enabled connection of `protocol` named `name` (empty: the first).
    Result<SsoConnection> enabledConnection(const QUuid &tenantId, const QString &protocol,
                                            const QString &name);
    // Records a refused login (denied, or failure when a dependency failed) and returns the
    // refusal, or Unavailable when it could not be recorded.
    Error recordRefusal(const QString &slug, const QString &action, const QUuid &connectionId,
                        const Error &refusal, const compliance::ActorContext &actor);
    // The user of a verified login: existing (active, and SCIM-managed when the connection
    // says so) or provisioned just in time; records `record` as the success.
    Result<SsoLogin> signIn(const QString &slug, const SsoConnection &connection,
                            const LoginMapping &mapping, const SsoUser &profile, SsoLogin login,
                            compliance::AuditRecord record, const compliance::ActorContext &actor);

    SsoStore &m_store;
    tenancy::TenantRegistry &m_registry;
    tenancy::TenantUsers &m_users;
    compliance::AuditLog &m_audit;
    QUrl m_base;
    const Clock &m_clock;
    // OIDC connections only: the issuer's discovery document is fetched and valid (cached).
    Status checkOidcProvider(const NewSsoConnection &input);
    OidcProviderCache m_providers;
    SessionService *m_sessions = nullptr;
};

} // namespace upcoach::identity
