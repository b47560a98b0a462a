// The identity services over a TenantApiFixture's tenancy, as serve wires them: seat quota,
// tenant users, the SSO store (with the tenant key store sealing OIDC secrets when asked), the
// SSO service (public URL = the fixture's server) and the SCIM service.
#pragma once

#include "tenantapitestsupport.h"
#include "upcoach/identity/scimservice.h"
#include "upcoach/identity/sessions.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/fieldcipher.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

namespace upcoach::testing {

struct IdentityStack
{
    std::unique_ptr<tenancy::TenantQuota> quota;
    std::unique_ptr<tenancy::TenantUsers> users;
    std::unique_ptr<tenancy::FieldCipher> cipher;
    std::unique_ptr<identity::SsoStore> store;
    std::unique_ptr<identity::SsoService> sso;
    std::unique_ptr<identity::ScimService> scim;
    std::unique_ptr<identity::SessionService> sessions;

    // Inside TenantApiFixture::start's configure callback. `sealSecrets`: enable the tenant keys
    // (before any tenant is created) and seal OIDC secrets with them. `withSessions`: sign-ins
    // start sessions (as serve wires them; implies sealSecrets: session keys are sealed too), and
    // SCIM deprovisioning revokes them.
    void build(TenantApiFixture &f, api::ServerDeps &deps, bool sealSecrets = false,
               bool withSessions = false)
    {
        sealSecrets = sealSecrets || withSessions;
        TenancyFixture *t = f.tenancy.get();
        if (sealSecrets && !t->enableKeys())
            qWarning() << "the tenant key store could not be enabled";
        quota = std::make_unique<tenancy::TenantQuota>(t->registry(), t->sessions());
        users = std::make_unique<tenancy::TenantUsers>(t->sessions(), *quota, t->auditLog());
        store = std::make_unique<identity::SsoStore>(*f.control);
        if (sealSecrets) {
            cipher = std::make_unique<tenancy::FieldCipher>(t->keys());
            store->setFieldCipher(cipher.get());
        }
        sso = std::make_unique<identity::SsoService>(*store, t->registry(), *users, t->auditLog(),
                                                     QUrl());
        scim = std::make_unique<identity::ScimService>(*store, t->registry(), t->sessions(), *quota,
                                                       t->auditLog());
        deps.sso = sso.get();
        deps.scim = scim.get();
        if (withSessions) {
            sessions = std::make_unique<identity::SessionService>(*f.control, *cipher,
                                                                  t->auditLog(), QString());
            sso->setSessions(sessions.get());
            deps.sessions = sessions.get();
            identity::SessionService *service = sessions.get();
            scim->setDeprovisionHook(
                [service](const QUuid &tenantId, const QString &slug, const QString &userId) {
                    compliance::ActorContext actor;
                    actor.actor = QStringLiteral("service:scim");
                    (void)service->revokeUser(tenantId, slug, userId,
                                              QStringLiteral("deprovisioned"), actor);
                });
        }
    }

    // After start: the SP entity ids and redirect URIs name the fixture's server.
    QString useServerUrl(const TenantApiFixture &f)
    {
        const QString base = QStringLiteral("http://127.0.0.1:%1").arg(f.port);
        sso->setPublicBaseUrl(QUrl(base));
        if (sessions)
            sessions->setIssuer(base);
        return base;
    }

    // Stops the server first (its workers use the services), then the services, then the rest.
    void stop(TenantApiFixture &f)
    {
        storage::forbidBlockingOn(nullptr);
        f.server.reset();
        scim.reset();
        sso.reset();
        sessions.reset();
        store.reset();
        cipher.reset();
        users.reset();
        quota.reset();
        f.stop();
    }
};

} // namespace upcoach::testing
