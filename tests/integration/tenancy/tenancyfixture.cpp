#include "tenancyfixture.h"

#include "upcoach/compliance/signedtreehead.h"
#include "upcoach/storage/bootstrap.h"

namespace upcoach::testing {

TenancyFixture::TenancyFixture(int regions, int poolConnections)
    : m_cluster(std::make_unique<TestCluster>(regions))
{
    if (!m_cluster->ok()) {
        m_error = m_cluster->error();
        return;
    }
    const auto endpoints = m_cluster->endpoints();
    if (Status s = storage::prepareDatabases(endpoints, endpoints.front().regionId); !s) {
        m_error = s.error().message;
        return;
    }
    auto signer = compliance::loadSigningKey(m_keys.filePath(QStringLiteral("audit.pem")), true);
    if (!signer) {
        m_error = signer.error().message;
        return;
    }
    compliance::AuditLogSettings settings;
    auto log =
        compliance::PostgresAuditLog::open(endpoints.front(), std::move(signer.value()), settings);
    if (!log) {
        m_error = log.error().message;
        return;
    }
    m_auditLog = std::move(log.value());
    m_controlPool = std::make_unique<storage::ConnectionPool>(endpoints.front());
    m_auditStore = std::make_unique<compliance::AuditStore>(*m_controlPool);
    storage::PoolOptions options;
    options.maxConnections = poolConnections;
    m_pools = std::make_unique<storage::RegionPools>(endpoints, options);
    m_registry = std::make_unique<tenancy::TenantRegistry>(*m_pools, endpoints.front().regionId,
                                                           *m_auditLog);
    m_registry->setMoveQuiesce(std::chrono::milliseconds(0));
    m_sessions = std::make_unique<tenancy::TenantSessions>(*m_registry, *m_pools);
}

TenancyFixture::~TenancyFixture()
{
    if (m_registry)
        m_registry->setKeyStore(nullptr);
    m_keyStore.reset();
    m_sessions.reset();
    m_registry.reset();
    m_pools.reset();
    m_auditStore.reset();
    m_controlPool.reset();
    m_auditLog.reset();
}

Status TenancyFixture::enableKeys()
{
    auto provider =
        tenancy::LocalKeyringProvider::open(m_keys.filePath(QStringLiteral("tenant-keyring")));
    if (!provider)
        return provider.error();
    m_keyProvider = std::move(provider.value());
    m_keyStore = std::make_unique<tenancy::TenantKeyStore>(*m_controlPool, *m_keyProvider);
    m_registry->setKeyStore(m_keyStore.get());
    return {};
}

QList<compliance::AuditEvent> TenancyFixture::events(const QString &slug,
                                                     const QString &actionPrefix)
{
    (void)m_auditLog->flushAndSign();
    compliance::AuditQuery query;
    query.tenant = slug;
    if (!actionPrefix.isEmpty())
        query.action = actionPrefix + QLatin1Char('*');
    query.oldestFirst = true;
    query.limit = 1000;
    auto page = m_auditStore->list(query);
    return page ? QList<compliance::AuditEvent>(page->events.begin(), page->events.end())
                : QList<compliance::AuditEvent>{};
}

tenancy::ActorContext TenancyFixture::actor()
{
    tenancy::ActorContext actor;
    actor.actor = QStringLiteral("service:tenancy-test");
    actor.requestId = QStringLiteral("test");
    return actor;
}

Result<tenancy::Tenant> TenancyFixture::createTenant(const QString &prefix,
                                                     tenancy::IsolationStrategy strategy,
                                                     int regionIndex)
{
    tenancy::NewTenant input;
    input.slug = QStringLiteral("%1-%2").arg(prefix).arg(++m_counter);
    input.displayName = QStringLiteral("Tenant %1").arg(input.slug);
    input.plan = QStringLiteral("enterprise");
    input.homeRegion = region(regionIndex);
    for (int i = 0; i < int(m_cluster->endpoints().size()); ++i)
        input.allowedRegions << region(i);
    input.isolation = strategy;
    input.ownerName = QStringLiteral("Owner");
    input.ownerEmail = QStringLiteral("owner@%1.example").arg(input.slug);
    return m_registry->create(input, actor());
}

Result<std::unique_ptr<pqxx::connection>> TenancyFixture::rawAppConnection(int regionIndex,
                                                                           const QString &database)
{
    QList<std::pair<QString, QString>> extra;
    if (!database.isEmpty())
        extra.append({QStringLiteral("dbname"), database});
    auto dsn = m_cluster->endpoint(regionIndex).connectionString(extra);
    if (!dsn)
        return dsn.error();
    try {
        return std::make_unique<pqxx::connection>(dsn.value().toStdString());
    } catch (const std::exception &e) {
        return storage::databaseError(e);
    }
}

} // namespace upcoach::testing
