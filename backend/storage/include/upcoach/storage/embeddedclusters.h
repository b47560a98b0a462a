// The embedded default: one private PostgreSQL 15 cluster per region under a state directory.
//
// Layout of STATE_DIR:
//   upcoach-ops.lock         one process per state directory (QLockFile; stale locks recovered)
//   secrets/superuser        the clusters' superuser password (0600); owns the schema and runs
//                            the migrations
//   secrets/service          the password of upcoach_service (0600), the application's login: a
//                            member of upcoach_app, owning nothing
//   clusters/template/       initdb'ed and migrated once; copied for each new region (cold start)
//   clusters/template.ready  written when the template is complete
//   clusters/<region-id>/    a region's data directory (port in postgresql.auto.conf)
//   logs/<region-id>.log     the postmaster's log
//
// When the process runs as root the clusters run as the `postgres` system user (initdb refuses
// root); the state directory must then be reachable by that user.
#pragma once

#include "upcoach/core/config.h"
#include "upcoach/core/regioncatalog.h"
#include "upcoach/core/result.h"

#include <QLockFile>
#include <QString>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace upcoach::storage {

struct EmbeddedOptions
{
    QString stateDir;
    std::vector<Region> regions;
    // Directory with initdb/pg_ctl/postgres; empty = find PostgreSQL 15 in the usual places.
    QString postgresBinDir;
    // Called with human-readable progress lines ("starting eu-west-1 on 127.0.0.1:41234").
    std::function<void(const QString &)> progress;
};

struct StartReport
{
    bool createdTemplate = false;
    int createdRegions = 0; // data directories copied from the template this start
    int adoptedRegions = 0; // postmasters left running by a crashed run, taken over
    int recoveredStalePids = 0;
    int movedPorts = 0; // regions whose previous port was taken and got a new one
    qint64 totalMs = 0;
};

class EmbeddedClusters
{
public:
    static Result<std::unique_ptr<EmbeddedClusters>> start(EmbeddedOptions options);
    ~EmbeddedClusters(); // stops the clusters if stop() was not called

    // Stops every cluster (fast shutdown, in parallel). Idempotent.
    Status stop();

    // The application's endpoints (login upcoach_service), with the superuser as owner() so
    // prepareDatabases migrates as the owner.
    std::vector<RegionEndpoint> endpoints() const;
    const StartReport &report() const { return m_report; }
    const QString &stateDir() const { return m_options.stateDir; }
    // The postmaster's pid for a region (from postmaster.pid), or -1.
    qint64 postmasterPid(const QString &regionId) const;
    // The run-as user's uid/gid when running as root (postgres), else -1.
    int runAsUid() const { return m_runAsUid; }
    int runAsGid() const { return m_runAsGid; }

    // The application's endpoint (as endpoints()) of a region whose cluster another process (a
    // running demo) started in stateDir; NotFound when that cluster is not running.
    static Result<RegionEndpoint> runningEndpoint(const QString &stateDir, const QString &regionId);

    // The default state directory: $XDG_DATA_HOME/upcoach-ops, or /var/lib/upcoach-ops as root
    // (root's home is not reachable by the postgres user).
    static QString defaultStateDir();

private:
    EmbeddedClusters() = default;

    struct Cluster
    {
        QString regionId;
        QString dataDir;
        quint16 port = 0;
        bool running = false;
    };

    Status prepareStateDir();
    Status ensureTemplate();
    Status ensureRegionDataDir(Cluster &cluster);
    Status startCluster(Cluster &cluster);

    EmbeddedOptions m_options;
    StartReport m_report;
    std::unique_ptr<QLockFile> m_lock;
    QString m_binDir;
    QString m_password;
    QString m_servicePassword;
    int m_runAsUid = -1;
    int m_runAsGid = -1;
    std::vector<Cluster> m_clusters;
    bool m_stopped = false;
    std::mutex m_reportMutex; // regions start in parallel
};

} // namespace upcoach::storage
