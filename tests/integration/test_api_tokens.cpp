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

    void tokenKindsCarryTheirRules()
    {
        ManualClock clock(QDateTime::currentDateTimeUtc());
        identity::ApiTokenStore store(*m_pool, clock);
        using Kind = identity::ApiTokenKind;
        // A service token has no second factor: it must expire, within 90 days.
        QCOMPARE(store.issue(QStringLiteral("ops-admin"), std::nullopt, Kind::Service).error().code,
                 ErrorCode::InvalidInput);
        QCOMPARE(store.issue(QStringLiteral("ops-admin"), clock.now().addDays(91), Kind::Service)
                     .error()
                     .code,
                 ErrorCode::InvalidInput);
        // Operator sessions are opened by OperatorMfa, never issued.
        QCOMPARE(
            store.issue(QStringLiteral("ops-admin"), clock.now().addDays(1), Kind::OperatorSession)
                .error()
                .code,
            ErrorCode::InvalidInput);
        auto service =
            store.issue(QStringLiteral("ops-viewer"), clock.now().addDays(90), Kind::Service);
        QVERIFY(service.ok());
        QCOMPARE(store.verify(service->secret)->mfaPending, false);
        QCOMPARE(store.verify(service->secret)->tokenKind, QStringLiteral("service"));
        QCOMPARE(store.find(service->id)->kind, Kind::Service);

        // An operator credential verifies, owing its second factor.
        auto credential = store.issue(QStringLiteral("ops-admin"));
        QCOMPARE(credential->kind, Kind::Operator);
        QCOMPARE(store.verify(credential->secret)->mfaPending, true);
        // A forged "session" row without a parent, or with a made-up one, cannot be stored.
        auto orphan = store.generate(QStringLiteral("ops-admin"), clock.now().addDays(1));
        orphan->kind = Kind::OperatorSession;
        QCOMPARE(store.store(*orphan).error().code, ErrorCode::InvalidInput);
        auto dangling = store.generateOperatorSession(
            QUuid::createUuid().toString(QUuid::WithoutBraces), QStringLiteral("ops-admin"));
        QVERIFY(!store.store(*dangling).ok()); // the foreign key refuses it
    }

    void operatorSessionsTimeOutAndEndWithTheirCredential()
    {
        ManualClock clock(QDateTime::currentDateTimeUtc());
        identity::ApiTokenStore store(*m_pool, clock);
        auto credential = store.issue(QStringLiteral("ops-admin"));
        auto session = store.generateOperatorSession(credential->id, credential->role);
        QVERIFY(session.ok());
        QVERIFY(store.store(*session).ok());
        auto principal = store.verify(session->secret);
        QVERIFY(principal.ok());
        QCOMPARE(principal->tokenKind, QStringLiteral("operator-session"));
        QCOMPARE(principal->credentialId, credential->id);
        QCOMPARE(principal->mfaPending, false);
        QCOMPARE(store.find(session->id)->parentId, credential->id);

        // Used within every 2 hours it lives on, up to 12 hours in all.
        for (int hour = 0; hour < 11; ++hour) {
            clock.advance(std::chrono::minutes(60));
            QVERIFY2(store.verify(session->secret).ok(), qPrintable(QString::number(hour)));
        }
        clock.advance(std::chrono::minutes(61));
        QCOMPARE(store.verify(session->secret).error().code, ErrorCode::Unauthorized);

        // Idle for more than 2 hours: over.
        auto idle = store.generateOperatorSession(credential->id, credential->role);
        QVERIFY(store.store(*idle).ok());
        clock.advance(std::chrono::minutes(119));
        QVERIFY(store.verify(idle->secret).ok());
        clock.advance(std::chrono::minutes(121));
        QCOMPARE(store.verify(idle->secret).error().code, ErrorCode::Unauthorized);

        // Revoking the credential ends its live sessions.
        auto live = store.generateOperatorSession(credential->id, credential->role);
        QVERIFY(store.store(*live).ok());
        QVERIFY(store.verify(live->secret).ok());
        QVERIFY(store.revoke(credential->id).ok());
        QCOMPARE(store.verify(live->secret).error().code, ErrorCode::Unauthorized);
        QVERIFY(store.find(live->id)->revokedAt.isValid());
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
