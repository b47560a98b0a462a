// Connection pools for every region, for both logins (the application's and the schema
// owner's), and lazily created pools on other databases of a region's server (the databases of
// database-per-tenant tenants). Thread-safe; pools live as long as this object.
#pragma once

#include "upcoach/core/config.h"
#include "upcoach/storage/connectionpool.h"

#include <QString>
#include <list>
#include <map>
#include <memory>
#include <mutex>

namespace upcoach::storage {

class RegionPools
{
public:
    // `databasePoolLimit`: how many pools on other databases are kept open (least recently
    // used are closed first); each has `perDatabase` connections at most.
    explicit RegionPools(std::vector<RegionEndpoint> endpoints, PoolOptions options = {},
                         int databasePoolLimit = 64, int perDatabase = 2);
    ~RegionPools();
    RegionPools(const RegionPools &) = delete;
    RegionPools &operator=(const RegionPools &) = delete;

    // NotFound for a region that is not configured.
    Result<ConnectionPool *> app(const QString &regionId);
    Result<ConnectionPool *> owner(const QString &regionId);
    // A pool on another database of the region's server, as the application or as the owner.
    Result<std::shared_ptr<ConnectionPool>> appDatabase(const QString &regionId,
                                                        const QString &database);
    Result<std::shared_ptr<ConnectionPool>> ownerDatabase(const QString &regionId,
                                                          const QString &database);
    // Closes and forgets every pool on `database` (before it is dropped or copied).
    void forgetDatabase(const QString &regionId, const QString &database);

    const RegionEndpoint *endpoint(const QString &regionId) const;
    QStringList regionIds() const;

private:
    struct Region
    {
        RegionEndpoint endpoint;
        std::unique_ptr<ConnectionPool> app;
        std::unique_ptr<ConnectionPool> owner;
    };
    Result<std::shared_ptr<ConnectionPool>> databasePool(const QString &regionId,
                                                         const QString &database, bool asOwner);

    PoolOptions m_options;
    int m_databasePoolLimit;
    int m_perDatabase;
    std::map<QString, Region> m_regions;
    std::mutex m_mutex;
    // key "region\x1fdatabase\x1f(o|a)", most recently used at the front
    std::list<std::pair<QString, std::shared_ptr<ConnectionPool>>> m_databasePools;
};

} // namespace upcoach::storage
