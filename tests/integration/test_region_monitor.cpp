// The region monitor against real clusters: facts of a live database, a killed postmaster seen
// as down within two probe intervals, hysteresis, immutable snapshots.
#include "testcluster.h"
#include "upcoach/storage/regionmonitor.h"

#include <QSignalSpy>
#include <QTest>

using namespace upcoach;
using namespace upcoach::storage;

class TestRegionMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void probeReportsTheDatabaseFacts()
    {
        testing::TestCluster cluster(1);
        QVERIFY2(cluster.ok(), qPrintable(cluster.error()));
        const RegionHealth health =
            probeRegion(cluster.endpoint(), std::chrono::milliseconds(2000));
        QCOMPARE(health.status, HealthStatus::Up);
        QCOMPARE(health.regionId, QStringLiteral("us-east-1"));
        QVERIFY(health.serverVersion.startsWith(QStringLiteral("15.")));
        QCOMPARE(health.role, DatabaseRole::Primary);
        QVERIFY(health.databaseSizeBytes > 1'000'000); // a real database is a few MB
        QVERIFY(health.connections >= 1);              // at least the probe itself
        QVERIFY(health.latencyMs >= 0 && health.latencyMs < 1000);
        QVERIFY(health.connectMs >= 0);
        QVERIFY(health.error.isEmpty());
    }

    void probeOfAnUnreachableRegionIsDownWithAReason()
    {
        RegionEndpoint endpoint;
        endpoint.regionId = QStringLiteral("sa-east-1");
        endpoint.dsn = QStringLiteral("host=127.0.0.1 port=1 dbname=x user=y");
        endpoint.password = QStringLiteral("never-in-an-error");
        const RegionHealth health = probeRegion(endpoint, std::chrono::milliseconds(1000));
        QCOMPARE(health.status, HealthStatus::Down);
        QVERIFY(!health.error.isEmpty());
        QVERIFY(!health.error.contains(QStringLiteral("never-in-an-error")));
        QCOMPARE(health.latencyMs, -1.0);
    }

    void killedRegionIsDownWithinTwoIntervals()
    {
        testing::TestCluster cluster(2);
        QVERIFY2(cluster.ok(), qPrintable(cluster.error()));
        MonitorSettings settings;
        settings.interval = std::chrono::milliseconds(300);
        settings.timeout = std::chrono::milliseconds(1000);
        RegionMonitor monitor(cluster.endpoints(), settings);
        QSignalSpy published(&monitor, &RegionMonitor::snapshotPublished);
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.latest() && monitor.latest()->allUp(), 5000);
        const HealthSnapshotPtr before = monitor.latest();
        QCOMPARE(before->regions.size(), size_t(2));
        QCOMPARE(before->regions[1].regionId, QStringLiteral("us-west-2"));

        QVERIFY(cluster.killPostmaster(QStringLiteral("us-west-2")));
        QElapsedTimer timer;
        timer.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.latest()->find(QStringLiteral("us-west-2"))->status ==
                                     HealthStatus::Down,
                                 5000);
        // Two intervals plus the probe itself.
        QVERIFY2(timer.elapsed() < 2 * 300 + 1000, qPrintable(QString::number(timer.elapsed())));
        const HealthSnapshotPtr after = monitor.latest();
        QCOMPARE(after->find(QStringLiteral("us-east-1"))->status, HealthStatus::Up);
        QVERIFY(!after->allUp());
        QVERIFY(after->generation > before->generation);
        QVERIFY(after->find(QStringLiteral("us-west-2"))->statusSince >
                before->find(QStringLiteral("us-west-2"))->statusSince);
        // The snapshot taken before is unchanged: readers hold immutable values.
        QCOMPARE(before->find(QStringLiteral("us-west-2"))->status, HealthStatus::Up);
        QVERIFY(published.count() >= 2);
        monitor.stop();
    }

    void endpointsCanBeSetOnlyBeforeProbingStarts()
    {
        RegionEndpoint endpoint;
        endpoint.regionId = QStringLiteral("af-south-1");
        endpoint.dsn = QStringLiteral("host=127.0.0.1 port=1 dbname=x user=y");
        MonitorSettings settings;
        settings.interval = std::chrono::milliseconds(200);
        RegionMonitor monitor({}, settings);
        QVERIFY(monitor.setEndpoints({endpoint}));
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.latest() != nullptr, 5000);
        QCOMPARE(monitor.latest()->regions.size(), size_t(1));
        QCOMPARE(monitor.latest()->regions[0].status, HealthStatus::Down);
        QVERIFY(!monitor.setEndpoints({}));
        QTest::qWait(300);
        QCOMPARE(monitor.latest()->regions.size(), size_t(1));
    }

    void hysteresisWaitsForConsecutiveFailures()
    {
        testing::TestCluster cluster(1);
        QVERIFY2(cluster.ok(), qPrintable(cluster.error()));
        MonitorSettings settings;
        settings.interval = std::chrono::milliseconds(200);
        settings.failuresBeforeDown = 3;
        RegionMonitor monitor(cluster.endpoints(), settings);
        monitor.start();
        QTRY_VERIFY_WITH_TIMEOUT(monitor.latest() && monitor.latest()->allUp(), 5000);
        QVERIFY(cluster.killPostmaster(QStringLiteral("us-east-1")));
        // After the first failed probe the region is still reported up, with the failure counted.
        QTRY_VERIFY_WITH_TIMEOUT(monitor.latest()->regions[0].consecutiveFailures >= 1, 5000);
        if (monitor.latest()->regions[0].consecutiveFailures < 3)
            QCOMPARE(monitor.latest()->regions[0].status, HealthStatus::Up);
        QTRY_COMPARE_WITH_TIMEOUT(monitor.latest()->regions[0].status, HealthStatus::Down, 5000);
        QVERIFY(monitor.latest()->regions[0].consecutiveFailures >= 3);
    }
};

QTEST_GUILESS_MAIN(TestRegionMonitor)
#include "test_region_monitor.moc"
