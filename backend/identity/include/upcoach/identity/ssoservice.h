// SAML single sign-on for tenants, end to end: the tenant's SP (entity id, ACS, key pair,
// metadata), SP-initiated logins (a signed AuthnRequest, remembered in the control plane), and
// the ACS: validation (saml.h), one-time use of the assertion across all instances, just-in-time
// provisioning with role mapping, and an audit event for every attempt — success, refusal and
// replay alike. Blocking: call from worker threads.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/identity/saml.h"
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
    QUuid connectionId;
    QString connectionName;
    SsoUser user;
    bool created = false;      // provisioned just now (JIT)
    bool mfaSatisfied = false; // the IdP asserted MFA and the connection accepts it
    bool idpInitiated = false;
    QString relayState;
    QString authnContextClassRef;
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

    // What role and profile a login with these attributes would get (the console's preview).
    static SsoUser previewUser(const SamlConnectionSettings &settings, const QString &nameId,
                               const QHash<QString, QStringList> &attributes);

private:
    Result<SsoLogin> completeUnrecorded(const QString &slug, QByteArrayView samlResponse,
                                        const QString &relayState,
                                        const compliance::ActorContext &actor, QUuid &connectionId);

    SsoStore &m_store;
    tenancy::TenantRegistry &m_registry;
    tenancy::TenantUsers &m_users;
    compliance::AuditLog &m_audit;
    QUrl m_base;
    const Clock &m_clock;
};

} // namespace upcoach::identity
