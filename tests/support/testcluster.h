// A throwaway PostgreSQL 15 cluster for one integration test suite: started in a temporary state
// directory through the same EmbeddedClusters code the product uses, removed afterwards.
#pragma once

#include "upcoach/storage/embeddedclusters.h"

#include <QByteArray>
#include <QTemporaryDir>
#include <memory>

namespace upcoach::testing {

// The error message of a failed Result, or "" — for QVERIFY2, which evaluates its message even
// when the check passes (so `r.error()` there would throw on success).
template<typename R> QByteArray why(const R &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

class TestCluster
{
public:
    // Starts clusters for the first `regions` catalog regions. On failure error() says why.
    explicit TestCluster(int regions = 1);
    ~TestCluster();

    bool ok() const { return m_clusters != nullptr; }
    QString error() const { return m_error; }
    storage::EmbeddedClusters &clusters() { return *m_clusters; }
    std::vector<RegionEndpoint> endpoints() const { return m_clusters->endpoints(); }
    RegionEndpoint endpoint(int i = 0) const { return endpoints().at(size_t(i)); }
    QString stateDir() const { return m_dir.path(); }

    // Kills a region's postmaster with SIGKILL (simulates a crash).
    bool killPostmaster(const QString &regionId);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<storage::EmbeddedClusters> m_clusters;
    QString m_error;
};

} // namespace upcoach::testing
