#include "upcoach/storage/regionpools.h"

namespace upcoach::storage {

RegionPools::RegionPools(std::vector<RegionEndpoint> endpoints, PoolOptions options,
                         int databasePoolLimit, int perDatabase)
    : m_options(std::move(options))
    , m_databasePoolLimit(std::max(1, databasePoolLimit))
    , m_perDatabase(std::max(1, perDatabase))
{
    for (RegionEndpoint &endpoint : endpoints) {
        Region region;
        region.app = std::make_unique<ConnectionPool>(endpoint, m_options);
        region.owner = std::make_unique<ConnectionPool>(endpoint.asOwner(), m_options);
        region.endpoint = std::move(endpoint);
        const QString id = region.endpoint.regionId;
        m_regions.emplace(id, std::move(region));
    }
}

RegionPools::~RegionPools() = default;

Result<ConnectionPool *> RegionPools::app(const QString &regionId)
{
    auto it = m_regions.find(regionId);
    if (it == m_regions.end())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("region %1 is not configured").arg(regionId));
    return it->second.app.get();
}

Result<ConnectionPool *> RegionPools::owner(const QString &regionId)
{
    auto it = m_regions.find(regionId);
    if (it == m_regions.end())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("region %1 is not configured").arg(regionId));
    return it->second.owner.get();
}

Result<std::shared_ptr<ConnectionPool>> RegionPools::appDatabase(const QString &regionId,
                                                                 const QString &database)
{
    return databasePool(regionId, database, false);
}

Result<std::shared_ptr<ConnectionPool>> RegionPools::ownerDatabase(const QString &regionId,
                                                                   const QString &database)
{
    return databasePool(regionId, database, true);
}

Result<std::shared_ptr<ConnectionPool>>
RegionPools::databasePool(const QString &regionId, const QString &database, bool asOwner)
{
    auto region = m_regions.find(regionId);
    if (region == m_regions.end())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("region %1 is not configured").arg(regionId));
    const QString key = regionId + QChar(0x1f) + database + QChar(0x1f) +
                        (asOwner ? QLatin1Char('o') : QLatin1Char('a'));
    std::shared_ptr<ConnectionPool> evicted;
    std::lock_guard lock(m_mutex);
    for (auto it = m_databasePools.begin(); it != m_databasePools.end(); ++it) {
        if (it->first == key) {
            m_databasePools.splice(m_databasePools.begin(), m_databasePools, it);
            return m_databasePools.front().second;
        }
    }
    PoolOptions options = m_options;
    options.maxConnections = m_perDatabase;
    options.connectionSettings.append({QStringLiteral("dbname"), database});
    const RegionEndpoint endpoint =
        asOwner ? region->second.endpoint.asOwner() : region->second.endpoint;
    m_databasePools.emplace_front(key, std::make_shared<ConnectionPool>(endpoint, options));
    if (int(m_databasePools.size()) > m_databasePoolLimit) {
        // Users still holding the pool keep it alive; it closes when the last one lets go
        // (here: after the lock is released, since `evicted` outlives `lock`).
        evicted = std::move(m_databasePools.back().second);
        m_databasePools.pop_back();
    }
    return m_databasePools.front().second;
}

void RegionPools::forgetDatabase(const QString &regionId, const QString &database)
{
    const QString prefix = regionId + QChar(0x1f) + database + QChar(0x1f);
    std::lock_guard lock(m_mutex);
    for (auto it = m_databasePools.begin(); it != m_databasePools.end();) {
        if (it->first.startsWith(prefix)) {
            it->second->closeIdle();
            it = m_databasePools.erase(it);
        } else {
            ++it;
        }
    }
}

const RegionEndpoint *RegionPools::endpoint(const QString &regionId) const
{
    auto it = m_regions.find(regionId);
    return it == m_regions.end() ? nullptr : &it->second.endpoint;
}

QStringList RegionPools::regionIds() const
{
    QStringList ids;
    for (const auto &[id, region] : m_regions)
        ids << id;
    return ids;
}

} // namespace upcoach::storage
