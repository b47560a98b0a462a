// The tenancy backend of one process (serve, demo, console --config): region pools for both
// logins, the tenant registry (recording through the process's audit log) and tenant sessions.
// Built once by the composition root; everything else gets references.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/config.h"
#include "upcoach/storage/regionpools.h"
#include "upcoach/tenancy/impersonation.h"
#include "upcoach/tenancy/keyprovider.h"
#include "upcoach/tenancy/keyrotation.h"
#include "upcoach/tenancy/keys.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/tenantsession.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

#include <memory>

namespace upcoach::app {

class TenancyRuntime
{
public:
    // Opens the key provider (`keys`; a keyring at defaultKeyringPath unless configured
    // otherwise) and the per-tenant key store, then the registry and sessions. Fails when the
    // keys cannot be opened (a keyring with wider permissions than 0600, a PKCS#11 token that
    // refuses the PIN, ...): tenants are never created without their data keys.
    static Result<std::unique_ptr<TenancyRuntime>>
    open(const std::vector<RegionEndpoint> &regions, const QString &controlPlaneRegion,
         compliance::AuditLog &audit, const KeysConfig &keys, const QString &defaultKeyringPath);
    ~TenancyRuntime();

    storage::RegionPools &pools() { return m_pools; }
    tenancy::TenantRegistry &registry() { return m_registry; }
    tenancy::TenantSessions &sessions() { return m_sessions; }
    tenancy::TenantKeyStore &keys() { return *m_keys; }
    tenancy::TenantKeyRotation &keyRotation() { return *m_keyRotation; }
    tenancy::TenantQuota &quota() { return m_quota; }
    tenancy::TenantUsers &users() { return m_users; }
    tenancy::ImpersonationService &impersonations() { return *m_impersonations; }

private:
    TenancyRuntime(const std::vector<RegionEndpoint> &regions, const QString &controlPlaneRegion,
                   compliance::AuditLog &audit);

    storage::RegionPools m_pools;
    tenancy::TenantRegistry m_registry;
    tenancy::TenantSessions m_sessions;
    std::unique_ptr<tenancy::KeyProvider> m_keyProvider;
    std::unique_ptr<storage::ConnectionPool> m_keyPool;
    std::unique_ptr<tenancy::TenantKeyStore> m_keys;
    std::unique_ptr<tenancy::TenantKeyRotation> m_keyRotation;
    tenancy::TenantQuota m_quota;
    tenancy::TenantUsers m_users;
    std::unique_ptr<tenancy::ImpersonationService> m_impersonations;
};

// <state dir>/secrets/tenant-keyring: the embedded default's key-encryption keys.
QString embeddedKeyringPath(const QString &stateDir);

// The demo's tenants: on first start (an empty registry) a realistic set across the started
// regions, all three strategies, every lifecycle state and an organization hierarchy, each with
// sample coaching data. Returns how many were created (0 when tenants exist already). Blocking.
Result<int> seedDemoTenants(TenancyRuntime &tenancy, const QStringList &regions);

} // namespace upcoach::app
