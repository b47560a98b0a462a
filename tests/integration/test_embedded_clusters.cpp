// The embedded default against real PostgreSQL 15: cold start from the template, warm reuse,
// a stale postmaster.pid, a port taken in the meantime, one process per state directory.
#include "testcluster.h"
#include "upcoach/storage/bootstrap.h"
#include "upcoach/storage/embeddedclusters.h"
#include "upcoach/storage/regionmonitor.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <pqxx/pqxx>

using namespace upcoach;
using namespace upcoach::storage;

namespace {

EmbeddedOptions optionsFor(const QString &dir, int regions)
{
    EmbeddedOptions options;
    options.stateDir = dir;
    options.regions = RegionCatalog::builtin().firstN(regions);
    options.progress = [](const QString &) {};
    return options;
}

// The region a database claims (region_identity, written by prepareDatabases).
QString regionOf(const RegionEndpoint &endpoint)
{
    if (!prepareDatabases({endpoint}, endpoint.regionId).ok())
        return QStringLiteral("(not prepared)");
    pqxx::connection connection(endpoint.connectionString().value().toStdString());
    pqxx::work work(connection);
    return QString::fromStdString(
        work.exec1("SELECT region_id FROM region_identity")[0].as<std::string>());
}

} // namespace

class TestEmbeddedClusters : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void coldThenWarmStart()
    {
        QTemporaryDir dir;
        {
            auto clusters = EmbeddedClusters::start(optionsFor(dir.path(), 2));
            QVERIFY2(clusters.ok(), clusters.ok() ? "" : qPrintable(clusters.error().message));
            QVERIFY(clusters.value()->report().createdTemplate);
            QCOMPARE(clusters.value()->report().createdRegions, 2);
            const auto endpoints = clusters.value()->endpoints();
            QCOMPARE(endpoints.size(), size_t(2));
            QVERIFY(endpoints[0].dsn.contains(QStringLiteral("127.0.0.1")));
            QVERIFY(!endpoints[0].dsn.contains(QStringLiteral("password")));
            QVERIFY(prepareDatabases(endpoints, endpoints[0].regionId).ok());
            QCOMPARE(regionOf(endpoints[0]), QStringLiteral("us-east-1"));
            QCOMPARE(regionOf(endpoints[1]), QStringLiteral("us-west-2"));
            // The password file is private.
            QCOMPARE(QFile::permissions(dir.path() + QStringLiteral("/secrets/superuser")) & 0x0077,
                     QFileDevice::Permissions());
            QVERIFY(clusters.value()->stop().ok());
            QVERIFY(
                !QFile::exists(dir.path() + QStringLiteral("/clusters/us-east-1/postmaster.pid")));
        }
        auto warm = EmbeddedClusters::start(optionsFor(dir.path(), 3));
        QVERIFY2(warm.ok(), warm.ok() ? "" : qPrintable(warm.error().message));
        QVERIFY(!warm.value()->report().createdTemplate);
        QCOMPARE(warm.value()->report().createdRegions, 1); // only the new third region
        const auto endpoints = warm.value()->endpoints();
        QVERIFY(prepareDatabases(endpoints, endpoints[0].regionId).ok());
        // Data survived the restart: the identity rows written in the first run are still there.
        QCOMPARE(regionOf(endpoints[1]), QStringLiteral("us-west-2"));
        QCOMPARE(regionOf(endpoints[2]), QStringLiteral("eu-west-1"));
    }

    void oneProcessPerStateDirectory()
    {
        testing::TestCluster cluster(1);
        QVERIFY2(cluster.ok(), qPrintable(cluster.error()));
        auto second = EmbeddedClusters::start(optionsFor(cluster.stateDir(), 1));
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code, ErrorCode::Conflict);
        QVERIFY2(second.error().message.contains(QStringLiteral("in use by another upcoach-ops")),
                 qPrintable(second.error().message));
        // The running cluster was not disturbed and the running demo's endpoint can be found.
        auto running =
            EmbeddedClusters::runningEndpoint(cluster.stateDir(), QStringLiteral("us-east-1"));
        QVERIFY(running.ok());
        QCOMPARE(regionOf(running.value()), QStringLiteral("us-east-1"));
    }

    void recoversFromAStalePidFileAndATakenPort()
    {
        QTemporaryDir dir;
        quint16 oldPort = 0;
        {
            auto clusters = EmbeddedClusters::start(optionsFor(dir.path(), 1));
            QVERIFY(clusters.ok());
            oldPort = quint16(clusters.value()
                                  ->endpoints()[0]
                                  .dsn.section(QStringLiteral("port="), 1)
                                  .section(QLatin1Char(' '), 0, 0)
                                  .toUInt());
            QVERIFY(oldPort > 0);
            QVERIFY(clusters.value()->stop().ok());
        }
        // A crashed run leaves postmaster.pid behind; here it names a live process that is not
        // a postmaster (this test), as happens when pids are reused after a reboot.
        const QString dataDir = dir.path() + QStringLiteral("/clusters/us-east-1");
        QFile pid(dataDir + QStringLiteral("/postmaster.pid"));
        QVERIFY(pid.open(QIODevice::WriteOnly));
        pid.write(QByteArray::number(QCoreApplication::applicationPid()) + "\n" + dataDir.toUtf8() +
                  "\n1700000000\n" + QByteArray::number(oldPort) +
                  "\n\n127.0.0.1\n  1234  5678\nready\n");
        pid.close();
        // ...and meanwhile another program took the port.
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, oldPort));

        auto restarted = EmbeddedClusters::start(optionsFor(dir.path(), 1));
        QVERIFY2(restarted.ok(), restarted.ok() ? "" : qPrintable(restarted.error().message));
        QCOMPARE(restarted.value()->report().recoveredStalePids, 1);
        QCOMPARE(restarted.value()->report().movedPorts, 1);
        const auto endpoint = restarted.value()->endpoints()[0];
        QVERIFY(!endpoint.dsn.contains(QStringLiteral("port=%1 ").arg(oldPort)));
        QCOMPARE(regionOf(endpoint), QStringLiteral("us-east-1"));
    }

    void aKilledPostmasterIsRecoveredOnTheNextStart()
    {
        QTemporaryDir dir;
        {
            auto clusters = EmbeddedClusters::start(optionsFor(dir.path(), 1));
            QVERIFY(clusters.ok());
            const qint64 pid = clusters.value()->postmasterPid(QStringLiteral("us-east-1"));
            QVERIFY(pid > 0);
            QCOMPARE(::kill(pid_t(pid), SIGKILL), 0);
            // Gone, or a zombie nobody reaped yet: either way no longer in its data directory.
            QTRY_VERIFY_WITH_TIMEOUT(
                QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).symLinkTarget().isEmpty(),
                10000);
            QVERIFY(clusters.value()->stop().ok()); // nothing left to stop is not an error
        }
        auto restarted = EmbeddedClusters::start(optionsFor(dir.path(), 1));
        QVERIFY2(restarted.ok(), restarted.ok() ? "" : qPrintable(restarted.error().message));
        QCOMPARE(restarted.value()->report().recoveredStalePids, 1);
        QCOMPARE(regionOf(restarted.value()->endpoints()[0]), QStringLiteral("us-east-1"));
    }

    void missingPostgresIsAClearError()
    {
        QTemporaryDir dir;
        auto options = optionsFor(dir.path(), 1);
        options.postgresBinDir = dir.path() + QStringLiteral("/no-postgres-here");
        auto clusters = EmbeddedClusters::start(options);
        QVERIFY(!clusters.ok());
        QVERIFY2(
            clusters.error().message.contains(QStringLiteral("PostgreSQL 15 is not installed")),
            qPrintable(clusters.error().message));
        QVERIFY(!QFile::exists(dir.path() + QStringLiteral("/clusters")));
    }
};

QTEST_GUILESS_MAIN(TestEmbeddedClusters)
#include "test_embedded_clusters.moc"
