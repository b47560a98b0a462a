// Migrations and the connection pool against a real PostgreSQL cluster.
#include "testcluster.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/storage/migrations.h"

#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <thread>

using namespace upcoach;
using namespace upcoach::storage;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

std::unique_ptr<pqxx::connection> openConnection(const RegionEndpoint &endpoint)
{
    return std::make_unique<pqxx::connection>(endpoint.connectionString().value().toStdString());
}

bool tableExists(pqxx::connection &c, const std::string &name)
{
    pqxx::work work(c);
    return work.exec_params1("SELECT to_regclass($1) IS NOT NULL", name)[0].as<bool>();
}

} // namespace

class TestStorage : public QObject
{
    Q_OBJECT
    std::unique_ptr<testing::TestCluster> m_cluster;

private Q_SLOTS:
    void initTestCase()
    {
        m_cluster = std::make_unique<testing::TestCluster>(1);
        QVERIFY2(m_cluster->ok(), qPrintable(m_cluster->error()));
    }

    void builtinMigrationsAreApplied()
    {
        auto c = openConnection(m_cluster->endpoint().asOwner());
        QVERIFY(tableExists(*c, "region_identity"));
        QVERIFY(tableExists(*c, "api_tokens")); // control plane: the first region
        pqxx::work work(*c);
        QCOMPARE(work.exec1("SELECT count(*) FROM schema_migrations WHERE scope = 'regional'")[0]
                     .as<int>(),
                 int(MigrationSet::regional().migrations().size()));
        // Applying again is a no-op.
        work.commit();
        QCOMPARE(MigrationSet::regional().apply(*c).value(), 0);
    }

    void aFailingMigrationRollsBackWholeAndIsNamed()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("0001_widgets.sql")),
                  "CREATE TABLE widgets (id int PRIMARY KEY);");
        writeFile(dir.filePath(QStringLiteral("0002_broken.sql")),
                  "CREATE TABLE gadgets (id int);\nINSERT INTO widgets VALUES (1), (1);");
        writeFile(dir.filePath(QStringLiteral("0003_never.sql")), "CREATE TABLE never (id int);");
        auto set = MigrationSet::fromDirectory(QStringLiteral("test-broken"), dir.path());
        QVERIFY(set.ok());
        auto c = openConnection(m_cluster->endpoint().asOwner());
        auto applied = set->apply(*c);
        QVERIFY(!applied.ok());
        QVERIFY2(applied.error().message.contains(QStringLiteral(
                     "migration 0002_broken (test-broken) failed and was rolled back")),
                 qPrintable(applied.error().message));
        QVERIFY2(applied.error().message.contains(QStringLiteral("duplicate key")),
                 qPrintable(applied.error().message));
        // 0001 stands, 0002 left nothing behind (not even its first statement), 0003 never ran.
        QVERIFY(tableExists(*c, "widgets"));
        QVERIFY(!tableExists(*c, "gadgets"));
        QVERIFY(!tableExists(*c, "never"));
        pqxx::work work(*c);
        QCOMPARE(work.exec1("SELECT count(*) FROM schema_migrations WHERE scope = 'test-broken'")[0]
                     .as<int>(),
                 1);
        QCOMPARE(work.exec1("SELECT count(*) FROM widgets")[0].as<int>(), 0);
    }

    void anEditedAppliedMigrationIsRefused()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("0001_things.sql")), "CREATE TABLE things (id int);");
        auto c = openConnection(m_cluster->endpoint().asOwner());
        QCOMPARE(
            MigrationSet::fromDirectory(QStringLiteral("test-edit"), dir.path())->apply(*c).value(),
            1);
        writeFile(dir.filePath(QStringLiteral("0001_things.sql")),
                  "CREATE TABLE things (id bigint);");
        auto again =
            MigrationSet::fromDirectory(QStringLiteral("test-edit"), dir.path())->apply(*c);
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, ErrorCode::Conflict);
        QVERIFY(again.error().message.contains(
            QStringLiteral("0001_things (test-edit) was changed after it was applied")));
    }

    void badMigrationFileNamesAreRejected()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("1_short.sql")), "SELECT 1;");
        auto set = MigrationSet::fromDirectory(QStringLiteral("x"), dir.path());
        QVERIFY(!set.ok());
        QVERIFY(set.error().message.contains(QStringLiteral("1_short.sql")));
    }

    void concurrentMigratorsSerialize()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(QStringLiteral("0001_a.sql")),
                  "CREATE TABLE concurrent_a (id int); SELECT pg_sleep(0.2);");
        writeFile(dir.filePath(QStringLiteral("0002_b.sql")),
                  "CREATE TABLE concurrent_b (id int);");
        auto set =
            MigrationSet::fromDirectory(QStringLiteral("test-concurrent"), dir.path()).value();
        std::atomic<int> applied{0}, failed{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 4; ++i) {
            threads.emplace_back([&] {
                auto c = openConnection(m_cluster->endpoint().asOwner());
                auto result = set.apply(*c);
                result.ok() ? applied += result.value() : ++failed;
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(failed.load(), 0);
        QCOMPARE(applied.load(), 2); // each migration applied exactly once across all migrators
    }

    void poolRefusesInteractiveThreads()
    {
        ConnectionPool pool(m_cluster->endpoint());
        forbidBlockingOn(QThread::currentThread());
        auto refused = pool.withConnection([](pqxx::connection &) { return 1; });
        forbidBlockingOn(nullptr);
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().message.contains(QStringLiteral("interactive thread")));
        QCOMPARE(pool.openCount(), 0);
        // The same call on a worker thread goes through.
        forbidBlockingOn(QThread::currentThread());
        auto onWorker = QtConcurrent::run([&pool] {
                            return pool.withConnection([](pqxx::connection &c) {
                                pqxx::work w(c);
                                return w.exec1("SELECT 41 + 1")[0].as<int>();
                            });
                        }).result();
        forbidBlockingOn(nullptr);
        QVERIFY(onWorker.ok());
        QCOMPARE(onWorker.value(), 42);
    }

    void poolBoundsConnectionsUnderLoad()
    {
        ConnectionPool pool(m_cluster->endpoint(), PoolOptions{.maxConnections = 3});
        std::atomic<int> ok{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 12; ++i) {
            threads.emplace_back([&] {
                for (int j = 0; j < 10; ++j) {
                    auto r = pool.withConnection([](pqxx::connection &c) {
                        pqxx::work w(c);
                        return w
                            .exec1(
                                "SELECT count(*) FROM pg_stat_activity WHERE application_name = ''")
                                [0]
                            .as<int>();
                    });
                    if (r.ok())
                        ++ok;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(ok.load(), 120);
        QVERIFY(pool.openCount() <= 3);
        QCOMPARE(pool.idleCount(), pool.openCount());
    }

    void brokenConnectionsAreDiscardedAndErrorsAreValues()
    {
        ConnectionPool pool(m_cluster->endpoint(), PoolOptions{.maxConnections = 1});
        auto pid = pool.withConnection([](pqxx::connection &c) { return c.backendpid(); });
        QVERIFY(pid.ok());
        {
            auto admin = openConnection(m_cluster->endpoint().asOwner());
            pqxx::work w(*admin);
            w.exec_params("SELECT pg_terminate_backend($1)", pid.value());
            w.commit();
        }
        auto broken = pool.withConnection([](pqxx::connection &c) {
            pqxx::work w(c);
            return w.exec1("SELECT 1")[0].as<int>();
        });
        QVERIFY(!broken.ok());
        QVERIFY(broken.error().code == ErrorCode::Unavailable ||
                broken.error().code == ErrorCode::Internal);
        QVERIFY(broken.error().message.startsWith(QStringLiteral("region us-east-1: ")));
        // The dead connection was dropped; the next call opens a fresh one.
        auto fresh = pool.withConnection([](pqxx::connection &c) { return c.backendpid(); });
        QVERIFY(fresh.ok());
        QVERIFY(fresh.value() != pid.value());
        // SQL errors are values too, classified.
        auto invalid = pool.withConnection([](pqxx::connection &c) {
            pqxx::work w(c);
            return w.exec1("SELECT 'x'::int")[0].as<int>();
        });
        QVERIFY(!invalid.ok());
        QCOMPARE(invalid.error().code, ErrorCode::InvalidInput);
    }

    void unreachableRegionIsUnavailableWithoutThePassword()
    {
        RegionEndpoint endpoint;
        endpoint.regionId = QStringLiteral("eu-west-1");
        endpoint.dsn = QStringLiteral("host=127.0.0.1 port=1 dbname=x user=y");
        endpoint.password = QStringLiteral("s3cr3t-never-shown");
        ConnectionPool pool(endpoint,
                            PoolOptions{.connectTimeout = std::chrono::milliseconds(1000)});
        auto r = pool.withConnection([](pqxx::connection &) { return 0; });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::Unavailable);
        QVERIFY(!r.error().message.contains(QStringLiteral("s3cr3t")));
        QCOMPARE(pool.openCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestStorage)
#include "test_storage.moc"
