#include "testcluster.h"

#include "upcoach/storage/bootstrap.h"

#include <QFile>
#include <csignal>

namespace upcoach::testing {

TestCluster::TestCluster(int regions)
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return;
    }
    storage::EmbeddedOptions options;
    options.stateDir = m_dir.path();
    options.regions = RegionCatalog::builtin().firstN(regions);
    options.progress = [](const QString &) {};
    auto started = storage::EmbeddedClusters::start(options);
    if (!started) {
        m_error = started.error().message;
        return;
    }
    const auto endpoints = started.value()->endpoints();
    if (auto prepared = storage::prepareDatabases(endpoints, endpoints.front().regionId);
        !prepared) {
        m_error = prepared.error().message;
        return;
    }
    m_clusters = std::move(started.value());
}

TestCluster::~TestCluster()
{
    if (m_clusters)
        (void)m_clusters->stop();
}

bool TestCluster::killPostmaster(const QString &regionId)
{
    const qint64 pid = m_clusters->postmasterPid(regionId);
    return pid > 0 && ::kill(pid_t(pid), SIGKILL) == 0;
}

} // namespace upcoach::testing
