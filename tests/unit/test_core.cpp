// Core primitives: Result, ids, crypto, region catalog, JSON log lines.
#include "upcoach/core/clock.h"
#include "upcoach/core/crypto.h"
#include "upcoach/core/ids.h"
#include "upcoach/core/logging.h"
#include "upcoach/core/regioncatalog.h"
#include "upcoach/core/result.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace upcoach;

class TestCore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void resultCarriesValueOrError()
    {
        Result<int> good(42);
        QVERIFY(good.ok());
        QCOMPARE(good.value(), 42);
        Result<int> bad(makeError(ErrorCode::NotFound, QStringLiteral("no such region")));
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::NotFound);
        QCOMPARE(bad.valueOr(7), 7);
        QCOMPARE(bad.error().context(QStringLiteral("lookup")).message,
                 QStringLiteral("lookup: no such region"));
        Status done;
        QVERIFY(done.ok());
        Status failed(makeError(ErrorCode::Config, QStringLiteral("x")));
        QVERIFY(!failed.ok());
        QCOMPARE(errorCodeName(failed.error().code), QStringLiteral("config"));
    }

    void uuid7IsVersion7AndTimeOrdered()
    {
        ManualClock clock(QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC));
        const QUuid first = ids::uuid7(clock);
        clock.advance(std::chrono::milliseconds(1));
        const QUuid second = ids::uuid7(clock);
        // Qt 6.4's QUuid::version() predates RFC 9562 and knows no version 7: read the bits.
        const QByteArray bytes = first.toRfc4122();
        QCOMPARE(quint8(bytes[6]) >> 4, 7);
        QCOMPARE(quint8(bytes[8]) >> 6, 2);
        QCOMPARE(first.variant(), QUuid::DCE);
        QVERIFY(first.toString() < second.toString());
        // The first 48 bits are the Unix time in milliseconds.
        quint64 ms = 0;
        for (int i = 0; i < 6; ++i)
            ms = (ms << 8) | quint8(bytes[i]);
        QCOMPARE(qint64(ms),
                 QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
        QVERIFY(ids::uuid7(clock) != ids::uuid7(clock));
    }

    void sha256MatchesFips180Vector()
    {
        QCOMPARE(crypto::sha256("abc").toHex(),
                 QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void constantTimeEqualsComparesContentAndLength()
    {
        QVERIFY(crypto::constantTimeEquals("secret", "secret"));
        QVERIFY(!crypto::constantTimeEquals("secret", "secreT"));
        QVERIFY(!crypto::constantTimeEquals("secret", "secret1"));
        QVERIFY(crypto::constantTimeEquals({}, {}));
    }

    void randomBytesDiffer()
    {
        auto a = crypto::randomBytes(32);
        auto b = crypto::randomBytes(32);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->size(), 32);
        QVERIFY(a.value() != b.value());
        QCOMPARE(crypto::base64Url(QByteArray::fromHex("fbff")), QByteArray("-_8"));
    }

    void builtinCatalogHasTheNineRegions()
    {
        const auto &catalog = RegionCatalog::builtin();
        QCOMPARE(catalog.regions().size(), size_t(9));
        const QStringList expected{
            QStringLiteral("us-east-1"),      QStringLiteral("us-west-2"),
            QStringLiteral("eu-west-1"),      QStringLiteral("eu-central-1"),
            QStringLiteral("ap-southeast-1"), QStringLiteral("ap-northeast-1"),
            QStringLiteral("sa-east-1"),      QStringLiteral("me-south-1"),
            QStringLiteral("af-south-1")};
        for (const QString &id : expected)
            QVERIFY2(catalog.find(id), qPrintable(id));
        const Region *dublin = catalog.find(QStringLiteral("eu-west-1"));
        QCOMPARE(dublin->city, QStringLiteral("Dublin"));
        QVERIFY(qAbs(dublin->latitude - 53.35) < 0.1);
        QCOMPARE(catalog.firstN(3).size(), size_t(3));
        QCOMPARE(catalog.firstN(3).back().id, QStringLiteral("eu-west-1"));
        QCOMPARE(catalog.firstN(100).size(), size_t(9));
    }

    void catalogRejectsBadEntries_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        const QByteArray good =
            R"("displayName":"X","city":"Y","country":"ZZ","continent":"Europe")";
        QTest::newRow("not json") << QByteArray("{") << QStringLiteral("region catalog:");
        QTest::newRow("no regions")
            << QByteArray("{}") << QStringLiteral("\"regions\" must be a non-empty array");
        QTest::newRow("bad id") << (R"({"regions":[{"id":"Europe 1",)" + good +
                                    R"(,"latitude":1,"longitude":2}]})")
                                << QStringLiteral("regions[0].id");
        QTest::newRow("latitude range")
            << (R"({"regions":[{"id":"eu-west-9",)" + good + R"(,"latitude":91,"longitude":2}]})")
            << QStringLiteral("regions[0].latitude");
        QTest::newRow("duplicate") << (R"({"regions":[{"id":"eu-west-9",)" + good +
                                       R"(,"latitude":1,"longitude":2},{"id":"eu-west-9",)" + good +
                                       R"(,"latitude":1,"longitude":2}]})")
                                   << QStringLiteral("regions[1].id: \"eu-west-9\" appears twice");
        QTest::newRow("missing city")
            << QByteArray(
                   R"({"regions":[{"id":"eu-west-9","displayName":"X","country":"ZZ","continent":"E","latitude":1,"longitude":2}]})")
            << QStringLiteral("regions[0].city");
    }

    void catalogRejectsBadEntries()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto catalog = RegionCatalog::fromJson(json);
        QVERIFY(!catalog.ok());
        QVERIFY2(catalog.error().message.contains(expected), qPrintable(catalog.error().message));
    }

    void jsonLogLineIsOneParsableObject()
    {
        const QByteArray line = logging::jsonLine(
            QtWarningMsg, "upcoach.test", QStringLiteral("say \"hi\"\nnext"),
            QDateTime(QDate(2026, 11, 23), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch());
        QVERIFY(!line.contains('\n'));
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        QCOMPARE(object.value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
        QCOMPARE(object.value(QStringLiteral("category")).toString(),
                 QStringLiteral("upcoach.test"));
        QCOMPARE(object.value(QStringLiteral("msg")).toString(),
                 QStringLiteral("say \"hi\"\nnext"));
        QCOMPARE(object.value(QStringLiteral("ts")).toString(),
                 QStringLiteral("2026-11-23T12:00:00.000Z"));
    }
};

QTEST_GUILESS_MAIN(TestCore)
#include "test_core.moc"
