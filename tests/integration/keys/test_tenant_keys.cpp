// TenantKeyStore and FieldCipher on a real control-plane database (a throwaway PostgreSQL
// cluster) with a local keyring: versions, rotation, re-wrapping after a KEK rotation, field
// values bound to their place, crypto-shredding, and what the application role may do.
#include "testcluster.h"
#include "upcoach/tenancy/fieldcipher.h"
#include "upcoach/tenancy/keys.h"

#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>

using namespace upcoach;
using namespace upcoach::tenancy;

namespace {

QStringList g_logLines;
QtMessageHandler g_previousHandler = nullptr;

void captureMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    g_logLines << QString::fromLatin1(context.category ? context.category : "") + QLatin1Char(' ') +
                      message;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// Plaintexts carry this marker so the log check can look for it.
QByteArray secret(const QString &what)
{
    return "PLAINTEXT-MARKER " + what.toUtf8();
}

FieldLocation at(const QUuid &tenant, const QString &table, const QString &column,
                 const QString &row)
{
    FieldLocation where;
    where.tenantId = tenant;
    where.table = table;
    where.column = column;
    where.rowId = row;
    return where;
}

std::string text(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

} // namespace

class TestTenantKeys : public QObject
{
    Q_OBJECT
    std::unique_ptr<testing::TestCluster> m_cluster;
    std::unique_ptr<storage::ConnectionPool> m_pool;
    QTemporaryDir m_dir;
    std::unique_ptr<LocalKeyringProvider> m_keyring;
    int m_tenants = 0;
    QUuid m_malformedTenant;

    // A tenant row, inserted by the application role as the registry would.
    QUuid newTenant()
    {
        const QUuid id = QUuid::createUuid();
        const std::string slug = QStringLiteral("keys-test-%1").arg(++m_tenants).toStdString();
        auto inserted = m_pool->withConnection([&](pqxx::connection &c) {
            pqxx::work w(c);
            w.exec_params("INSERT INTO tenants (id, slug, display_name, kind, plan, state, "
                          "home_region, allowed_regions, isolation, provisioning) VALUES ($1, $2, "
                          "$2, 'organization', 'starter', 'active', 'us-east-1', "
                          "ARRAY['us-east-1'], 'rls', 'ready')",
                          text(id), slug);
            w.commit();
        });
        if (!inserted)
            qWarning() << "cannot insert tenant:" << inserted.error().message;
        return inserted ? id : QUuid();
    }

    // Runs SQL as the schema owner and returns the first column of the first row as text.
    Result<QString> ownerQuery(const std::string &sql, const std::string &parameter = {})
    {
        try {
            pqxx::connection c(
                m_cluster->endpoint().asOwner().connectionString().value().toStdString());
            pqxx::work w(c);
            const pqxx::result rows =
                parameter.empty() ? w.exec(sql) : w.exec_params(sql, parameter);
            w.commit();
            if (rows.empty() || rows[0][0].is_null())
                return QString();
            return QString::fromStdString(rows[0][0].as<std::string>());
        } catch (const std::exception &e) {
            return makeError(ErrorCode::Internal, QString::fromUtf8(e.what()));
        }
    }

    // Runs SQL as the application's login (a member of upcoach_app).
    Status appExec(const std::string &sql)
    {
        auto done = m_pool->withConnection([&](pqxx::connection &c) {
            pqxx::work w(c);
            w.exec(sql);
            w.commit();
        });
        return done ? Status() : Status(done.error());
    }

    int storedKeyCount(const QUuid &tenant)
    {
        auto count =
            ownerQuery("SELECT count(*) FROM tenant_data_keys WHERE tenant_id = $1", text(tenant));
        return count ? count->toInt() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cluster = std::make_unique<testing::TestCluster>(1);
        QVERIFY2(m_cluster->ok(), qPrintable(m_cluster->error()));
        m_pool = std::make_unique<storage::ConnectionPool>(m_cluster->endpoint());
        auto keyring = LocalKeyringProvider::open(m_dir.filePath(QStringLiteral("tenant-keyring")));
        QVERIFY2(keyring.ok(), keyring.ok() ? "" : qPrintable(keyring.error().message));
        m_keyring = std::move(keyring.value());
        g_previousHandler = qInstallMessageHandler(captureMessages);
    }

    void cleanupTestCase()
    {
        qInstallMessageHandler(g_previousHandler);
        for (const QString &line : std::as_const(g_logLines))
            QVERIFY2(!line.contains(QStringLiteral("PLAINTEXT-MARKER")), qPrintable(line));
        QVERIFY(!g_logLines.filter(QStringLiteral("crypto-shredding")).isEmpty());
    }

    void versionsAndRotation()
    {
        TenantKeyStore store(*m_pool, *m_keyring);
        FieldCipher cipher(store);
        const QUuid tenant = newTenant();
        QVERIFY(!tenant.isNull());

        auto first = store.createFirstKey(tenant);
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
        QCOMPARE(first->version, 1);
        QCOMPARE(first->tenantId, tenant);
        QCOMPARE(first->kekId, m_keyring->kekId());
        QCOMPARE(first->kekVersion, m_keyring->currentKekVersion());
        QVERIFY(first->createdAt.isValid());
        QCOMPARE(store.createFirstKey(tenant).error().code, ErrorCode::Conflict);
        QCOMPARE(ownerQuery("SELECT octet_length(wrapped_key) FROM tenant_data_keys WHERE "
                            "tenant_id = $1",
                            text(tenant))
                     .value(),
                 QStringLiteral("61")); // format byte, nonce, 32-byte key, tag: never bare

        const FieldLocation note = at(tenant, QStringLiteral("coaching_notes"),
                                      QStringLiteral("body"), QStringLiteral("row-1"));
        auto underV1 = cipher.encrypt(note, secret(QStringLiteral("v1 note")));
        QVERIFY(underV1.ok());
        QVERIFY(underV1->startsWith(QStringLiteral("ucf1.1.")));
        QCOMPARE(FieldCipher::keyVersionOf(underV1.value()).value(), 1);

        auto rotated = store.rotateDataKey(tenant);
        QVERIFY(rotated.ok());
        QCOMPARE(rotated->version, 2);
        QCOMPARE(store.currentKey(tenant).value()->version(), 2);
        auto underV2 = cipher.encrypt(note, secret(QStringLiteral("v2 note")));
        QVERIFY(underV2->startsWith(QStringLiteral("ucf1.2.")));
        QCOMPARE(cipher.decrypt(note, underV1.value()).value(), secret(QStringLiteral("v1 note")));
        QCOMPARE(cipher.decrypt(note, underV2.value()).value(), secret(QStringLiteral("v2 note")));

        // Re-encryption moves a value to the current version; a current one stays as it is.
        auto moved = cipher.reencrypt(note, underV1.value());
        QVERIFY(moved.ok());
        QVERIFY(moved->startsWith(QStringLiteral("ucf1.2.")));
        QCOMPARE(cipher.decrypt(note, moved.value()).value(), secret(QStringLiteral("v1 note")));
        QCOMPARE(cipher.reencrypt(note, underV2.value()).value(), underV2.value());
        // ... but is never blessed when it does not belong here.
        const FieldLocation otherRow = at(tenant, QStringLiteral("coaching_notes"),
                                          QStringLiteral("body"), QStringLiteral("row-2"));
        QCOMPARE(cipher.reencrypt(otherRow, underV2.value()).error().code, ErrorCode::Unauthorized);
        QCOMPARE(cipher.reencrypt(otherRow, underV1.value()).error().code, ErrorCode::Unauthorized);

        auto listed = store.listKeys(tenant);
        QVERIFY(listed.ok());
        QCOMPARE(listed->size(), size_t(2));
        QCOMPARE(listed->at(0).version, 1);
        QCOMPARE(listed->at(1).version, 2);

        QCOMPARE(store.keyByVersion(tenant, 3).error().code, ErrorCode::NotFound);
        QCOMPARE(store.keyByVersion(tenant, 0).error().code, ErrorCode::InvalidInput);
        QCOMPARE(store.createFirstKey(QUuid::createUuid()).error().code, ErrorCode::NotFound);
        QCOMPARE(store.createFirstKey(QUuid()).error().code, ErrorCode::InvalidInput);
        const QUuid keyless = newTenant();
        QCOMPARE(store.rotateDataKey(keyless).error().code, ErrorCode::NotFound);
        auto none = store.currentKey(keyless);
        QCOMPARE(none.error().code, ErrorCode::NotFound);
        QVERIFY(none.error().message.contains(QStringLiteral("no data keys")));

        // Another store (another process) sees the same versions and decrypts everything.
        TenantKeyStore fresh(*m_pool, *m_keyring);
        FieldCipher freshCipher(fresh);
        QCOMPARE(fresh.currentKey(tenant).value()->version(), 2);
        QCOMPARE(freshCipher.decrypt(note, underV1.value()).value(),
                 secret(QStringLiteral("v1 note")));
    }

    void fieldValuesAreBoundToTheirPlace()
    {
        TenantKeyStore store(*m_pool, *m_keyring);
        FieldCipher cipher(store);
        const QUuid tenant = newTenant(), other = newTenant(), keyless = newTenant();
        QVERIFY(store.createFirstKey(tenant).ok());
        QVERIFY(store.createFirstKey(other).ok()); // also at version 1
        const FieldLocation home = at(tenant, QStringLiteral("clients"), QStringLiteral("email"),
                                      QStringLiteral("0190f0a4-0000-7000-8000-000000000001"));
        auto value = cipher.encrypt(home, secret(QStringLiteral("ada@example.com")));
        QVERIFY(value.ok());
        QVERIFY(!value->contains(QStringLiteral("example")));
        QCOMPARE(cipher.decrypt(home, value.value()).value(),
                 secret(QStringLiteral("ada@example.com")));

        const FieldLocation elsewhere[] = {
            at(tenant, home.table, home.column,
               QStringLiteral("0190f0a4-0000-7000-8000-000000000002")),
            at(tenant, home.table, QStringLiteral("phone"), home.rowId),
            at(tenant, QStringLiteral("coaches"), home.column, home.rowId),
            at(other, home.table, home.column, home.rowId),
        };
        for (const FieldLocation &where : elsewhere) {
            auto moved = cipher.decrypt(where, value.value());
            QVERIFY(!moved.ok());
            QCOMPARE(moved.error().code, ErrorCode::Unauthorized);
            QVERIFY2(moved.error().message.contains(QStringLiteral("does not decrypt here")),
                     qPrintable(moved.error().message));
        }
        auto noKeys =
            cipher.decrypt(at(keyless, home.table, home.column, home.rowId), value.value());
        QCOMPARE(noKeys.error().code, ErrorCode::NotFound);

        // The same plaintext twice gives different values (fresh nonces).
        QVERIFY(cipher.encrypt(home, secret(QStringLiteral("ada@example.com"))).value() !=
                value.value());
        // The empty string is a value like any other.
        auto empty = cipher.encrypt(home, QByteArray());
        QVERIFY(empty.ok());
        QCOMPARE(cipher.decrypt(home, empty.value()).value(), QByteArray());
    }

    void malformedValuesGiveClearErrors_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("expected");
        const int invalid = int(ErrorCode::InvalidInput);
        QTest::newRow("empty") << QString() << invalid << QStringLiteral("empty");
        QTest::newRow("plain text")
            << QStringLiteral("hello") << invalid << QStringLiteral("does not start with");
        QTest::newRow("prefix only")
            << QStringLiteral("ucf1.") << invalid << QStringLiteral("truncated");
        QTest::newRow("no data") << QStringLiteral("ucf1.1") << invalid
                                 << QStringLiteral("truncated");
        QTest::newRow("version zero")
            << QStringLiteral("ucf1.0.AAAA") << invalid << QStringLiteral("key version");
        QTest::newRow("leading zero")
            << QStringLiteral("ucf1.01.AAAA") << invalid << QStringLiteral("key version");
        QTest::newRow("negative") << QStringLiteral("ucf1.-1.AAAA") << invalid
                                  << QStringLiteral("key version");
        QTest::newRow("huge version")
            << QStringLiteral("ucf1.99999999999.AAAA") << invalid << QStringLiteral("key version");
        QTest::newRow("not base64url")
            << QStringLiteral("ucf1.1.AAAA+/AA") << invalid << QStringLiteral("base64url");
        QTest::newRow("padding") << QStringLiteral("ucf1.1.AAAAAA==") << invalid
                                 << QStringLiteral("base64url");
        QTest::newRow("non-ascii")
            << QStringLiteral("ucf1.1.AAAA\u00e9") << invalid << QStringLiteral("base64url");
        QTest::newRow("short payload") << QStringLiteral("ucf1.1.AAAAAAAAAAAAAAAA") << invalid
                                       << QStringLiteral("truncated: 12 bytes");
        QTest::newRow("other format")
            << QStringLiteral("ucf2.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") << invalid
            << QStringLiteral("does not start with");
        QTest::newRow("oversized")
            << QStringLiteral("ucf1.1.") + QString(FieldCipher::kMaxValueChars, QLatin1Char('A'))
            << invalid << QStringLiteral("more than");
    }

    void malformedValuesGiveClearErrors()
    {
        QFETCH(QString, value);
        QFETCH(int, code);
        QFETCH(QString, expected);
        TenantKeyStore store(*m_pool, *m_keyring);
        if (m_malformedTenant.isNull()) {
            m_malformedTenant = newTenant();
            QVERIFY(store.createFirstKey(m_malformedTenant).ok());
        }
        const QUuid tenant = m_malformedTenant;
        FieldCipher cipher(store);
        auto result = cipher.decrypt(
            at(tenant, QStringLiteral("clients"), QStringLiteral("name"), QStringLiteral("r1")),
            value);
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code), code);
        QVERIFY2(result.error().message.contains(expected), qPrintable(result.error().message));
        QVERIFY(result.error().message.size() < 400); // never echoes an oversized input back
    }

    void tamperedAndTruncatedValuesFail()
    {
        TenantKeyStore store(*m_pool, *m_keyring);
        FieldCipher cipher(store);
        const QUuid tenant = newTenant();
        QVERIFY(store.createFirstKey(tenant).ok());
        const FieldLocation where =
            at(tenant, QStringLiteral("sessions"), QStringLiteral("summary"), QStringLiteral("42"));
        auto value = cipher.encrypt(where, secret(QStringLiteral("a summary of the session")));
        QVERIFY(value.ok());
        // Every character changed (to another base64url character) fails authentication, or
        // parsing when the change makes the base64url non-canonical.
        const qsizetype dataStart = value->indexOf(QLatin1Char('.'), 5) + 1;
        for (qsizetype i = dataStart; i < value->size(); i += 3) {
            QString changed = value.value();
            changed[i] = changed[i] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
            auto result = cipher.decrypt(where, changed);
            QVERIFY(!result.ok());
            QVERIFY(result.error().code == ErrorCode::Unauthorized ||
                    result.error().code == ErrorCode::InvalidInput);
        }
        for (int cut : {1, 4, 8, 30}) {
            auto result = cipher.decrypt(where, value->chopped(cut));
            QVERIFY(!result.ok());
            QVERIFY(result.error().code == ErrorCode::Unauthorized ||
                    result.error().code == ErrorCode::InvalidInput);
        }
        // The version number is bound too: relabelling a v1 value as v2 fails.
        QVERIFY(store.rotateDataKey(tenant).ok());
        QString relabelled = value.value();
        relabelled.replace(0, 7, QStringLiteral("ucf1.2."));
        QCOMPARE(cipher.decrypt(where, relabelled).error().code, ErrorCode::Unauthorized);
        // A version that never existed.
        QString future = value.value();
        future.replace(0, 7, QStringLiteral("ucf1.9."));
        auto missing = cipher.decrypt(where, future);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY(missing.error().message.contains(QStringLiteral("no data key version 9")));
    }

    void inputLimits()
    {
        TenantKeyStore store(*m_pool, *m_keyring);
        FieldCipher cipher(store);
        const QUuid tenant = newTenant();
        QVERIFY(store.createFirstKey(tenant).ok());
        const FieldLocation where = at(tenant, QStringLiteral("documents"),
                                       QStringLiteral("content"), QStringLiteral("d1"));
        const QByteArray largest(FieldCipher::kMaxPlaintextBytes, 'x');
        auto big = cipher.encrypt(where, largest);
        QVERIFY(big.ok());
        QVERIFY(big->size() <= FieldCipher::kMaxValueChars);
        QCOMPARE(cipher.decrypt(where, big.value()).value(), largest);
        auto tooBig = cipher.encrypt(where, QByteArray(FieldCipher::kMaxPlaintextBytes + 1, 'x'));
        QCOMPARE(tooBig.error().code, ErrorCode::InvalidInput);
        QVERIFY(tooBig.error().message.contains(QStringLiteral("at most")));

        const FieldLocation bad[] = {
            at(tenant, QStringLiteral("Clients"), QStringLiteral("email"), QStringLiteral("1")),
            at(tenant, QStringLiteral("clients;drop table x"), QStringLiteral("email"),
               QStringLiteral("1")),
            at(tenant, QString(), QStringLiteral("email"), QStringLiteral("1")),
            at(tenant, QStringLiteral("clients"), QStringLiteral("e mail"), QStringLiteral("1")),
            at(tenant, QStringLiteral("clients"), QString(64, QLatin1Char('c')),
               QStringLiteral("1")),
            at(tenant, QStringLiteral("clients"), QStringLiteral("email"), QString()),
            at(tenant, QStringLiteral("clients"), QStringLiteral("email"),
               QString(257, QLatin1Char('r'))),
            at(QUuid(), QStringLiteral("clients"), QStringLiteral("email"), QStringLiteral("1")),
        };
        for (const FieldLocation &where2 : bad) {
            QCOMPARE(cipher.encrypt(where2, "x").error().code, ErrorCode::InvalidInput);
            QCOMPARE(cipher.decrypt(where2, big.value()).error().code, ErrorCode::InvalidInput);
        }
    }

    void cacheIsBounded()
    {
        KeyStoreOptions options;
        options.cacheCapacity = 2;
        TenantKeyStore store(*m_pool, *m_keyring, options);
        FieldCipher cipher(store);
        std::vector<std::pair<FieldLocation, QString>> values;
        for (int i = 0; i < 5; ++i) {
            const QUuid tenant = newTenant();
            QVERIFY(store.createFirstKey(tenant).ok());
            const FieldLocation where =
                at(tenant, QStringLiteral("goals"), QStringLiteral("title"), QStringLiteral("g"));
            values.emplace_back(where, cipher.encrypt(where, secret(QString::number(i))).value());
            QVERIFY(store.cachedKeyCount() <= 2);
        }
        for (int i = 0; i < 5; ++i) { // evicted keys come back from the database
            QCOMPARE(cipher.decrypt(values[size_t(i)].first, values[size_t(i)].second).value(),
                     secret(QString::number(i)));
            QVERIFY(store.cachedKeyCount() <= 2);
        }
        store.clearCache();
        QCOMPARE(store.cachedKeyCount(), 0);

        KeyStoreOptions uncached;
        uncached.cacheCapacity = 0;
        TenantKeyStore direct(*m_pool, *m_keyring, uncached);
        FieldCipher directCipher(direct);
        QCOMPARE(directCipher.decrypt(values[0].first, values[0].second).value(),
                 secret(QStringLiteral("0")));
        QCOMPARE(direct.cachedKeyCount(), 0);
    }

    void concurrentUse()
    {
        TenantKeyStore store(*m_pool, *m_keyring);
        FieldCipher cipher(store);
        const QUuid tenant = newTenant();
        QVERIFY(store.createFirstKey(tenant).ok());
        std::atomic<int> failures{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (int i = 0; i < 50; ++i) {
                    const FieldLocation where =
                        at(tenant, QStringLiteral("messages"), QStringLiteral("body"),
                           QStringLiteral("%1-%2").arg(t).arg(i));
                    const QByteArray plain = secret(QStringLiteral("message %1 %2").arg(t).arg(i));
                    auto value = cipher.encrypt(where, plain);
                    if (!value || cipher.decrypt(where, value.value()).valueOr({}) != plain)
                        ++failures;
                    if (t == 0 && i == 25 && !store.rotateDataKey(tenant).ok())
                        ++failures;
                }
            });
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(failures.load(), 0);
    }

    void rewrapAfterKekRotation()
    {
        TenantKeyStore store(*m_pool, *m_keyring);
        FieldCipher cipher(store);
        std::vector<std::pair<FieldLocation, QByteArray>> plain;
        std::vector<QString> values;
        for (int i = 0; i < 4; ++i) {
            const QUuid tenant = newTenant();
            QVERIFY(store.createFirstKey(tenant).ok());
            QVERIFY(store.rotateDataKey(tenant).ok());
            const FieldLocation where = at(tenant, QStringLiteral("journals"),
                                           QStringLiteral("entry"), QStringLiteral("e"));
            plain.emplace_back(where, secret(QStringLiteral("journal %1").arg(i)));
            values.push_back(cipher.encrypt(where, plain.back().second).value());
        }
        const int oldKek = m_keyring->currentKekVersion();
        // Bring every key of earlier tests onto the current KEK first, so the counts below are
        // exactly this test's.
        QVERIFY(store.rewrapAll().ok());
        auto total = ownerQuery("SELECT count(*) FROM tenant_data_keys");
        QVERIFY(total.ok());
        const int keys = total->toInt();

        QCOMPARE(m_keyring->rotate().value(), oldKek + 1);
        // Batches of 2, stopping after 3 keys: resumable.
        RewrapOptions partial;
        partial.batchSize = 2;
        partial.maxKeys = 3;
        auto firstRun = store.rewrapAll(partial);
        QVERIFY2(firstRun.ok(), firstRun.ok() ? "" : qPrintable(firstRun.error().message));
        QCOMPARE(firstRun->rewrapped, 3);
        QCOMPARE(firstRun->failed, 0);
        QCOMPARE(firstRun->remaining, keys - 3);
        QVERIFY(!firstRun->finished());
        QCOMPARE(firstRun->kekVersion, oldKek + 1);

        auto secondRun = store.rewrapAll();
        QVERIFY(secondRun.ok());
        QCOMPARE(secondRun->rewrapped, keys - 3);
        QVERIFY(secondRun->finished());
        QCOMPARE(ownerQuery("SELECT count(*) FROM tenant_data_keys WHERE kek_version <> $1",
                            std::to_string(oldKek + 1))
                     .value(),
                 QStringLiteral("0"));
        QCOMPARE(
            ownerQuery("SELECT count(*) FROM tenant_data_keys WHERE rewrapped_at IS NULL").value(),
            QStringLiteral("0"));
        auto idle = store.rewrapAll();
        QCOMPARE(idle->rewrapped, 0);
        QVERIFY(idle->finished());

        // A fresh store (empty cache) unwraps under the new KEK version and decrypts old data.
        TenantKeyStore fresh(*m_pool, *m_keyring);
        FieldCipher freshCipher(fresh);
        for (size_t i = 0; i < values.size(); ++i)
            QCOMPARE(freshCipher.decrypt(plain[i].first, values[i]).value(), plain[i].second);

        // A damaged wrapped key is counted once, left alone and reported as remaining; the job
        // still finishes the rest.
        QCOMPARE(m_keyring->rotate().value(), oldKek + 2);
        const QUuid victim = plain[0].first.tenantId;
        auto original = ownerQuery("SELECT encode(wrapped_key, 'hex') FROM tenant_data_keys "
                                   "WHERE tenant_id = $1 AND version = 1",
                                   text(victim));
        QVERIFY(original.ok());
        QVERIFY(ownerQuery("UPDATE tenant_data_keys SET wrapped_key = set_byte(wrapped_key, 29, "
                           "get_byte(wrapped_key, 29) # 1) WHERE tenant_id = $1 AND version = 1",
                           text(victim))
                    .ok());
        RewrapOptions small;
        small.batchSize = 1;
        auto damaged = store.rewrapAll(small);
        QVERIFY(damaged.ok());
        QCOMPARE(damaged->failed, 1);
        QCOMPARE(damaged->remaining, 1);
        QCOMPARE(damaged->rewrapped, keys - 1);
        QVERIFY(
            !g_logLines
                 .filter(QStringLiteral("re-wrap: tenant ") + victim.toString(QUuid::WithoutBraces))
                 .isEmpty());
        QVERIFY(ownerQuery("UPDATE tenant_data_keys SET wrapped_key = decode('" +
                               original->toStdString() +
                               "', 'hex') WHERE tenant_id = $1 AND version = 1",
                           text(victim))
                    .ok());
        auto repaired = store.rewrapAll();
        QCOMPARE(repaired->rewrapped, 1);
        QVERIFY(repaired->finished());
        QCOMPARE(store.rewrapAll(RewrapOptions{0, 0}).error().code, ErrorCode::InvalidInput);
    }

    void cryptoShredding()
    {
        // A one-key cache, so the handle held below is evicted before the keys are destroyed:
        // destruction must reach keys that are no longer cached, too.
        KeyStoreOptions oneKey;
        oneKey.cacheCapacity = 1;
        TenantKeyStore store(*m_pool, *m_keyring, oneKey);
        FieldCipher cipher(store);
        const QUuid doomed = newTenant(), kept = newTenant();
        struct Field
        {
            FieldLocation where;
            QString value;
            QByteArray plain;
        };
        std::vector<Field> doomedFields, keptFields;
        for (const QUuid &tenant : {doomed, kept}) {
            QVERIFY(store.createFirstKey(tenant).ok());
            auto &fields = tenant == doomed ? doomedFields : keptFields;
            for (int version = 1; version <= 2; ++version) {
                if (version == 2)
                    QVERIFY(store.rotateDataKey(tenant).ok());
                for (const char *column : {"email", "phone", "notes"}) {
                    Field f;
                    f.where = at(tenant, QStringLiteral("clients"), QLatin1String(column),
                                 QStringLiteral("row-%1").arg(version));
                    f.plain =
                        secret(QStringLiteral("%1 v%2").arg(QLatin1String(column)).arg(version));
                    f.value = cipher.encrypt(f.where, f.plain).value();
                    fields.push_back(f);
                }
            }
        }
        for (const Field &f : doomedFields)
            QCOMPARE(cipher.decrypt(f.where, f.value).value(), f.plain);
        // A handle someone still holds when the keys are destroyed.
        DataKeyHandle held = store.currentKey(doomed).value();
        QVERIFY(!held->isDestroyed());
        QVERIFY(held->seal("x", "aad").ok());
        DataKeyHandle older = store.keyByVersion(doomed, 1).value(); // evicts `held`
        QCOMPARE(store.cachedKeyCount(), 1);
        QCOMPARE(storedKeyCount(doomed), 2);

        auto destroyed = store.destroyTenantKeys(doomed);
        QVERIFY2(destroyed.ok(), destroyed.ok() ? "" : qPrintable(destroyed.error().message));
        QCOMPARE(destroyed.value(), 2);

        // Nothing of the tenant decrypts any more, in this process ...
        for (const Field &f : doomedFields) {
            auto result = cipher.decrypt(f.where, f.value);
            QVERIFY(!result.ok());
            QCOMPARE(result.error().code, ErrorCode::NotFound);
            QVERIFY2(result.error().message.contains(QStringLiteral("destroyed")),
                     qPrintable(result.error().message));
        }
        QVERIFY(held->isDestroyed());
        QVERIFY(older->isDestroyed());
        QCOMPARE(store.cachedKeyCount(), 0);
        QCOMPARE(held->seal("x", "aad").error().code, ErrorCode::NotFound);
        QCOMPARE(store.currentKey(doomed).error().code, ErrorCode::NotFound);
        QCOMPARE(cipher.encrypt(doomedFields[0].where, "new").error().code, ErrorCode::NotFound);
        // ... nor in a fresh one (nothing cached), which learns it from the database.
        TenantKeyStore fresh(*m_pool, *m_keyring);
        FieldCipher freshCipher(fresh);
        for (const Field &f : doomedFields) {
            auto result = freshCipher.decrypt(f.where, f.value);
            QCOMPARE(result.error().code, ErrorCode::NotFound);
            QVERIFY2(result.error().message.contains(QStringLiteral("destroyed at")),
                     qPrintable(result.error().message));
        }
        // The wrapped keys are gone from the database; a tombstone records the shredding.
        QCOMPARE(storedKeyCount(doomed), 0);
        QCOMPARE(ownerQuery("SELECT key_versions FROM tenant_key_shreds WHERE tenant_id = $1",
                            text(doomed))
                     .value(),
                 QStringLiteral("2"));
        // The tenant can never get keys again, through the store or behind its back.
        QCOMPARE(store.createFirstKey(doomed).error().code, ErrorCode::Conflict);
        QCOMPARE(fresh.createFirstKey(doomed).error().code, ErrorCode::Conflict);
        QCOMPARE(fresh.rotateDataKey(doomed).error().code, ErrorCode::Conflict);
        const Status sneaky =
            appExec("INSERT INTO tenant_data_keys (tenant_id, version, wrapped_key, kek_id, "
                    "kek_version) VALUES ('" +
                    text(doomed) + "', 1, decode(repeat('ab', 61), 'hex'), 'keyring:x', 1)");
        QVERIFY(!sneaky.ok());
        QVERIFY2(sneaky.error().message.contains(QStringLiteral("destroyed")),
                 qPrintable(sneaky.error().message));
        // Idempotent.
        QCOMPARE(store.destroyTenantKeys(doomed).value(), 0);
        QCOMPARE(store.destroyTenantKeys(QUuid::createUuid()).error().code, ErrorCode::NotFound);

        // The other tenant is untouched.
        for (const Field &f : keptFields) {
            QCOMPARE(cipher.decrypt(f.where, f.value).value(), f.plain);
            QCOMPARE(freshCipher.decrypt(f.where, f.value).value(), f.plain);
        }
        QCOMPARE(storedKeyCount(kept), 2);
    }

    void applicationRoleHasOnlyWhatItNeeds()
    {
        const QUuid tenant = newTenant();
        TenantKeyStore store(*m_pool, *m_keyring);
        QVERIFY(store.createFirstKey(tenant).ok());
        for (const std::string &sql :
             {std::string("DELETE FROM tenant_data_keys"), std::string("TRUNCATE tenant_data_keys"),
              std::string("UPDATE tenant_data_keys SET version = version + 10"),
              "UPDATE tenant_data_keys SET tenant_id = '" + text(newTenant()) + "'",
              std::string("UPDATE tenant_data_keys SET created_at = now()"),
              std::string("DELETE FROM tenant_key_shreds"),
              std::string("TRUNCATE tenant_key_shreds"),
              "INSERT INTO tenant_key_shreds (tenant_id, key_versions) VALUES ('" + text(tenant) +
                  "', 0)",
              std::string("UPDATE tenant_key_shreds SET destroyed_at = now()")}) {
            const Status s = appExec(sql);
            QVERIFY2(!s.ok(), sql.c_str());
            QVERIFY2(s.error().message.contains(QStringLiteral("permission denied")),
                     qPrintable(s.error().message));
        }
        QCOMPARE(storedKeyCount(tenant), 1);
        // What re-wrapping needs is allowed.
        QVERIFY(
            appExec("UPDATE tenant_data_keys SET rewrapped_at = rewrapped_at WHERE false").ok());
        // Shredding goes through the audited function only, and checks the tenant exists.
        const Status unknown =
            appExec("SELECT tenant_keys_destroy('" + text(QUuid::createUuid()) + "')");
        QVERIFY(!unknown.ok());
        QVERIFY2(unknown.error().message.contains(QStringLiteral("does not exist")),
                 qPrintable(unknown.error().message));
    }
};

QTEST_GUILESS_MAIN(TestTenantKeys)
#include "test_tenant_keys.moc"
