// API tokens against the real control-plane database: shown once, stored as a hash, rejected
// when unknown, malformed, revoked or expired — all with the same answer.
#include "testcluster.h"
#include "upcoach/core/crypto.h"
#include "upcoach/identity/apitokens.h"

#include <QTest>

using namespace upcoach;

class TestApiTokens : public QObject
{
    Q_OBJECT
    std::unique_ptr<testing::TestCluster> m_cluster;
    std::unique_ptr<storage::ConnectionPool> m_pool;

private Q_SLOTS:
    void initTestCase()
    {
        m_cluster = std::make_unique<testing::TestCluster>(1);
        QVERIFY2(m_cluster->ok(), qPrintable(m_cluster->error()));
        m_pool = std::make_unique<storage::ConnectionPool>(m_cluster->endpoint());
    }

    void issuedTokenVerifiesAndOnlyItsHashIsStored()
    {
        identity::ApiTokenStore store(*m_pool);
        auto token = store.issue(QStringLiteral("ops-admin"));
        QVERIFY(token.ok());
        QVERIFY(token->secret.startsWith("uco_"));
        QCOMPARE(token->secret.size(), 47);
        auto principal = store.verify(token->secret);
        QVERIFY(principal.ok());
        QCOMPARE(principal->role, QStringLiteral("ops-admin"));
        QCOMPARE(principal->tokenId, token->id);

        auto rows = m_pool->withConnection([&](pqxx::connection &c) {
            pqxx::work w(c);
            const auto row = w.exec_params1(
                "SELECT encode(token_hash, 'hex'), "
                "(SELECT count(*) FROM api_tokens t, LATERAL to_jsonb(t) j "
                " WHERE j::text LIKE '%' || $2 || '%') FROM api_tokens WHERE id = $1",
                token->id.toStdString(), token->secret.mid(4, 20).toStdString());
            return std::make_pair(QByteArray::fromStdString(row[0].as<std::string>()),
                                  row[1].as<int>());
        });
        QVERIFY(rows.ok());
        QCOMPARE(rows->first, crypto::sha256(token->secret).toHex());
        QCOMPARE(rows->second, 0); // the token itself appears nowhere in the table
    }

    void everyBadTokenGetsTheSameAnswer_data()
    {
        QTest::addColumn<QByteArray>("presented");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("wrong prefix") << QByteArray("xyz_" + QByteArray(43, 'A'));
        QTest::newRow("unknown") << QByteArray("uco_" + QByteArray(43, 'A'));
        QTest::newRow("too long") << QByteArray("uco_" + QByteArray(10000, 'A'));
        QTest::newRow("sql")
            << QByteArray("uco_' OR '1'='1' --                          ").left(47);
        QTest::newRow("nul bytes") << QByteArray("uco_" + QByteArray(43, '\0'));
    }

    void everyBadTokenGetsTheSameAnswer()
    {
        QFETCH(QByteArray, presented);
        identity::ApiTokenStore store(*m_pool);
        auto result = store.verify(presented);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Unauthorized);
        QCOMPARE(result.error().message,
                 QStringLiteral("missing, unknown, expired or revoked token"));
    }

    void revokedAndExpiredTokensAreRejected()
    {
        ManualClock clock(QDateTime::currentDateTimeUtc());
        identity::ApiTokenStore store(*m_pool, clock);
        auto revoked = store.issue(QStringLiteral("ops-viewer"));
        QVERIFY(store.verify(revoked->secret).ok());
        QVERIFY(store.revoke(revoked->id).ok());
        QCOMPARE(store.verify(revoked->secret).error().code, ErrorCode::Unauthorized);
        QCOMPARE(store.revoke(revoked->id).error().code, ErrorCode::NotFound);

        auto expiring = store.issue(QStringLiteral("ops-viewer"), clock.now().addSecs(60));
        QVERIFY(store.verify(expiring->secret).ok());
        clock.advance(std::chrono::seconds(61));
        QCOMPARE(store.verify(expiring->secret).error().code, ErrorCode::Unauthorized);
    }

    void unknownRolesAndIdsAreInvalidInput()
    {
        identity::ApiTokenStore store(*m_pool);
        QCOMPARE(store.issue(QStringLiteral("root")).error().code, ErrorCode::InvalidInput);
        QCOMPARE(store.revoke(QStringLiteral("'; DROP TABLE api_tokens; --")).error().code,
                 ErrorCode::InvalidInput);
    }
};

QTEST_GUILESS_MAIN(TestApiTokens)
#include "test_api_tokens.moc"
