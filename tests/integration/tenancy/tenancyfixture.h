// Everything a tenancy integration suite needs, on real PostgreSQL: throwaway regional clusters
// (the first is the control plane), migrated; a real audit log with its own signing key; the
// region pools, the registry and the sessions.
#pragma once

#include "testcluster.h"
#include "upcoach/compliance/auditstore.h"
#include "upcoach/storage/regionpools.h"
#include "upcoach/tenancy/keyprovider.h"
#include "upcoach/tenancy/keys.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/tenantsession.h"

#include <QTemporaryDir>
#include <memory>

namespace upcoach::testing {

class TenancyFixture
{
public:
    // `poolConnections`: connections per region pool (1 forces every session of a region onto
    // the same pooled connection, one after another).
    explicit TenancyFixture(int regions, int poolConnections = 8);
    ~TenancyFixture();

    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    TestCluster &cluster() { return *m_cluster; }
    storage::RegionPools &pools() { return *m_pools; }
    tenancy::TenantRegistry &registry() { return *m_registry; }
    tenancy::TenantSessions &sessions() { return *m_sessions; }
    compliance::AuditStore &auditStore() { return *m_auditStore; }
    compliance::PostgresAuditLog &auditLog() { return *m_auditLog; }
    QString region(int i) const { return m_cluster->endpoint(i).regionId; }

    // A new tenant, provisioned, with a unique slug starting with `prefix`.
    Result<tenancy::Tenant> createTenant(const QString &prefix, tenancy::IsolationStrategy strategy,
                                         int regionIndex = 0);
    static tenancy::ActorContext actor();

    // Per-tenant data keys from a throwaway keyring, handed to the registry (tenants created
    // afterwards get their first key at provisioning).
    Status enableKeys();
    tenancy::KeyProvider &keyProvider() { return *m_keyProvider; }
    tenancy::TenantKeyStore &keys() { return *m_keyStore; }
    storage::ConnectionPool &controlPool() { return *m_controlPool; }

    // The tenant's audit events whose action starts with `actionPrefix`, oldest first (after
    // flushing the log).
    QList<compliance::AuditEvent> events(const QString &slug, const QString &actionPrefix = {});

    // A connection as the application's login, outside any TenantSession: what code that
    // bypasses TenantSession would get. `database` empty: the region's main database.
    Result<std::unique_ptr<pqxx::connection>> rawAppConnection(int regionIndex,
                                                               const QString &database = {});

private:
    std::unique_ptr<TestCluster> m_cluster;
    QTemporaryDir m_keys;
    std::unique_ptr<compliance::PostgresAuditLog> m_auditLog;
    std::unique_ptr<storage::ConnectionPool> m_controlPool;
    std::unique_ptr<compliance::AuditStore> m_auditStore;
    std::unique_ptr<storage::RegionPools> m_pools;
    std::unique_ptr<tenancy::TenantRegistry> m_registry;
    std::unique_ptr<tenancy::TenantSessions> m_sessions;
    std::unique_ptr<tenancy::LocalKeyringProvider> m_keyProvider;
    std::unique_ptr<tenancy::TenantKeyStore> m_keyStore;
    QString m_error;
    int m_counter = 0;
};

} // namespace upcoach::testing
