// The Tenants page's whole backend over a TenancyFixture, as TenancyRuntime builds it for demo
// and console --config: a local keyring and the tenant key store (set on the registry, so every
// tenant created afterwards gets its data key), usage and quota, the tenant users,
// impersonations and data-key rotation. Impersonations run on a ManualClock the tests move (the
// view models count down on the same clock), so expiry needs no waiting.
#pragma once

#include "tenancyfixture.h"
#include "tenantbackend.h"
#include "tenantidentity.h"
#include "upcoach/core/clock.h"
#include "upcoach/identity/sessions.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/identity/ssostore.h"
#include "upcoach/tenancy/fieldcipher.h"
#include "upcoach/tenancy/impersonation.h"
#include "upcoach/tenancy/keyprovider.h"
#include "upcoach/tenancy/keyrotation.h"
#include "upcoach/tenancy/keys.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

#include <QTemporaryDir>
#include <memory>

namespace upcoach::testing {

class TenantConsoleBackend
{
public:
    explicit TenantConsoleBackend(TenancyFixture &fixture);
    ~TenantConsoleBackend();

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    // Everything the Tenants page's view models need, recorded as `actor`.
    viewmodels::TenantBackend backend(const QStringList &regions, const QString &actor) const;

    // The Identity tab's services over the same control plane and keys.
    viewmodels::IdentityBackend identityBackend(const QString &actor) const;
    identity::SsoStore &ssoStore() { return *m_ssoStore; }

    ManualClock &clock() { return m_clock; }
    tenancy::TenantKeyStore &keys() { return *m_keys; }
    tenancy::ImpersonationService &impersonations() { return *m_impersonations; }
    tenancy::TenantKeyRotation &keyRotation() { return *m_keyRotation; }

    // Writes `count` PHI session notes (field-encrypted under the tenant's current data key) in
    // the tenant's first coaching session; the tenant needs sample coaching data. Blocking.
    Status writePhiNotes(const QString &slug, int count);

private:
    TenancyFixture &m_fixture;
    QString m_error;
    QTemporaryDir m_dir;
    ManualClock m_clock;
    std::unique_ptr<tenancy::LocalKeyringProvider> m_provider;
    std::unique_ptr<storage::ConnectionPool> m_control;
    std::unique_ptr<tenancy::TenantKeyStore> m_keys;
    std::unique_ptr<tenancy::TenantKeyRotation> m_keyRotation;
    std::unique_ptr<tenancy::TenantQuota> m_quota;
    std::unique_ptr<tenancy::TenantUsers> m_users;
    std::unique_ptr<tenancy::ImpersonationService> m_impersonations;
    std::unique_ptr<tenancy::FieldCipher> m_cipher;
    std::unique_ptr<identity::SsoStore> m_ssoStore;
    std::unique_ptr<identity::SsoService> m_sso;
    std::unique_ptr<identity::SessionService> m_sessions;
};

} // namespace upcoach::testing
