// The compiled-in country atlas (resources/world/countries.json): the countries the platform's
// regions serve exist, their points sit on the main landmass, and distances are right.
#include "upcoach/routing/countryatlas.h"

#include <QTest>
#include <set>

using namespace upcoach::routing;

namespace {

const CountryPoint *point(const char *code)
{
    return CountryAtlas::builtin().find(CountryCode::fromString(std::string_view(code)));
}

} // namespace

class TestCountryAtlas : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void hasTheCountriesRegionsServe()
    {
        for (const char *code : {"JP", "DE", "BR", "ZA", "SG", "BH", "US", "FR", "NO", "IE", "AU",
                                 "IN", "GB", "XK", "TW", "AE"}) {
            const CountryPoint *country = point(code);
            QVERIFY2(country, code);
            QCOMPARE(country->code.toString(), QString::fromLatin1(code));
            QVERIFY(!country->name.isEmpty());
        }
        QCOMPARE(point("JP")->name, QStringLiteral("Japan"));
        QCOMPARE(point("SG")->name, QStringLiteral("Singapore"));
        QVERIFY(CountryAtlas::builtin().countries().size() > 200);
    }

    void unknownCodesAreNull()
    {
        QVERIFY(!point("ZZ"));
        QVERIFY(!point("QQ"));
        QVERIFY(!CountryAtlas::builtin().find(CountryCode{}));
        QVERIFY(!CountryAtlas::builtin().find(CountryCode{'a', '!'})); // not a letter pair
    }

    void pointsSitOnTheMainLandmass_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addColumn<double>("minLatitude");
        QTest::addColumn<double>("maxLatitude");
        QTest::addColumn<double>("minLongitude");
        QTest::addColumn<double>("maxLongitude");
        // Metropolitan France, not between it and French Guiana or Réunion.
        QTest::newRow("FR") << QStringLiteral("FR") << 42.0 << 51.0 << -5.0 << 8.0;
        // The contiguous United States, not Alaska or Hawaii.
        QTest::newRow("US") << QStringLiteral("US") << 25.0 << 49.0 << -124.0 << -67.0;
        // Mainland Norway, not Svalbard.
        QTest::newRow("NO") << QStringLiteral("NO") << 58.0 << 71.0 << 4.5 << 31.0;
        // Honshu.
        QTest::newRow("JP") << QStringLiteral("JP") << 33.5 << 41.5 << 130.5 << 142.0;
        QTest::newRow("DE") << QStringLiteral("DE") << 47.3 << 55.1 << 5.9 << 15.1;
        QTest::newRow("BR") << QStringLiteral("BR") << -33.8 << 5.3 << -74.0 << -34.8;
        QTest::newRow("ZA") << QStringLiteral("ZA") << -34.9 << -22.1 << 16.4 << 32.9;
        QTest::newRow("SG") << QStringLiteral("SG") << 1.15 << 1.48 << 103.6 << 104.1;
        QTest::newRow("BH") << QStringLiteral("BH") << 25.8 << 26.3 << 50.3 << 50.7;
        // European Russia to the Pacific, not Chukotka beyond the antimeridian.
        QTest::newRow("RU") << QStringLiteral("RU") << 45.0 << 75.0 << 30.0 << 170.0;
        // Great Britain, not Northern Ireland or the Falklands.
        QTest::newRow("GB") << QStringLiteral("GB") << 50.0 << 58.7 << -6.0 << 1.8;
        QTest::newRow("NL") << QStringLiteral("NL") << 50.7 << 53.6 << 3.3 << 7.3;
    }
    void pointsSitOnTheMainLandmass()
    {
        QFETCH(QString, code);
        QFETCH(double, minLatitude);
        QFETCH(double, maxLatitude);
        QFETCH(double, minLongitude);
        QFETCH(double, maxLongitude);
        const CountryPoint *country = CountryAtlas::builtin().find(CountryCode::fromString(code));
        QVERIFY(country);
        const QByteArray where = QStringLiteral("%1 at %2, %3")
                                     .arg(code)
                                     .arg(country->latitude)
                                     .arg(country->longitude)
                                     .toUtf8();
        QVERIFY2(country->latitude >= minLatitude && country->latitude <= maxLatitude,
                 where.constData());
        QVERIFY2(country->longitude >= minLongitude && country->longitude <= maxLongitude,
                 where.constData());
    }

    void everyEntryIsWellFormed()
    {
        const auto &countries = CountryAtlas::builtin().countries();
        std::set<int> seen;
        QString previous;
        for (const CountryPoint &country : countries) {
            QVERIFY(country.code.valid());
            QVERIFY2(country.latitude >= -90 && country.latitude <= 90,
                     qPrintable(country.code.toString()));
            QVERIFY2(country.longitude >= -180 && country.longitude <= 180,
                     qPrintable(country.code.toString()));
            QVERIFY(!country.name.isEmpty());
            QVERIFY(seen.insert(country.code.index()).second);
            QVERIFY(previous < country.code.toString());
            previous = country.code.toString();
            QCOMPARE(CountryAtlas::builtin().find(country.code), &country);
        }
    }

    void builtinIsParsedOnce() { QCOMPARE(&CountryAtlas::builtin(), &CountryAtlas::builtin()); }

    void refusesBadAtlasFiles_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("[{") << QStringLiteral("at offset");
        QTest::newRow("object") << QByteArray("{}") << QStringLiteral("non-empty array");
        QTest::newRow("empty") << QByteArray("[]") << QStringLiteral("non-empty array");
        QTest::newRow("lower-case code")
            << QByteArray(R"([{"code":"jp","name":"Japan","latitude":36,"longitude":138}])")
            << QStringLiteral("[0].code: two upper-case letters");
        QTest::newRow("three letters")
            << QByteArray(R"([{"code":"JPN","name":"Japan","latitude":36,"longitude":138}])")
            << QStringLiteral("[0].code");
        QTest::newRow("no name") << QByteArray(R"([{"code":"JP","latitude":36,"longitude":138}])")
                                 << QStringLiteral("[0].name");
        QTest::newRow("latitude")
            << QByteArray(R"([{"code":"JP","name":"Japan","latitude":91,"longitude":138}])")
            << QStringLiteral("[0].latitude: a number between -90 and 90");
        QTest::newRow("longitude as text")
            << QByteArray(R"([{"code":"JP","name":"Japan","latitude":36,"longitude":"138"}])")
            << QStringLiteral("[0].longitude");
        QTest::newRow("duplicate")
            << QByteArray(R"([{"code":"JP","name":"Japan","latitude":36,"longitude":138},)"
                          R"({"code":"JP","name":"Japan","latitude":36,"longitude":138}])")
            << QStringLiteral("[1].code: JP is a duplicate or out of order");
        QTest::newRow("too large")
            << QByteArray((1 << 20) + 1, ' ') << QStringLiteral("larger than 1 MiB");
    }
    void refusesBadAtlasFiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, expected);
        auto atlas = CountryAtlas::fromJson(json);
        QVERIFY(!atlas.ok());
        QCOMPARE(atlas.error().code, upcoach::ErrorCode::InvalidInput);
        QVERIFY2(atlas.error().message.contains(expected), qPrintable(atlas.error().message));
    }

    void parsesAMinimalAtlas()
    {
        auto atlas = CountryAtlas::fromJson(
            R"([{"code":"DE","numeric":"276","name":"Germany","latitude":51,"longitude":10},)"
            R"({"code":"JP","name":"Japan","latitude":36,"longitude":138}])");
        QVERIFY2(atlas.ok(), atlas.ok() ? "" : qPrintable(atlas.error().message));
        QCOMPARE(atlas->countries().size(), size_t(2));
        QCOMPARE(atlas->find(CountryCode::fromString(QStringLiteral("JP")))->longitude, 138.0);
        QVERIFY(!atlas->find(CountryCode::fromString(QStringLiteral("FR"))));
    }

    // Reference distances: Vincenty inverse on the WGS 84 ellipsoid between airport reference
    // points; the haversine on a sphere is within 0.4% of them.
    void greatCircleDistances_data()
    {
        QTest::addColumn<double>("lat1");
        QTest::addColumn<double>("lon1");
        QTest::addColumn<double>("lat2");
        QTest::addColumn<double>("lon2");
        QTest::addColumn<double>("km");
        // London Heathrow – New York JFK
        QTest::newRow("LHR-JFK") << 51.4700 << -0.4543 << 40.6413 << -73.7781 << 5554.9;
        // Tokyo Haneda – Singapore Changi
        QTest::newRow("HND-SIN") << 35.5494 << 139.7798 << 1.3644 << 103.9915 << 5290.6;
        // Sydney – Los Angeles (across the Pacific)
        QTest::newRow("SYD-LAX") << -33.9399 << 151.1753 << 33.9416 << -118.4085 << 12050.4;
        // Frankfurt – Johannesburg
        QTest::newRow("FRA-JNB") << 50.0379 << 8.5622 << -26.1367 << 28.2411 << 8658.7;
        // São Paulo Guarulhos – Bahrain
        QTest::newRow("GRU-BAH") << -23.4356 << -46.4731 << 26.2708 << 50.6336 << 11800.5;
    }
    void greatCircleDistances()
    {
        QFETCH(double, lat1);
        QFETCH(double, lon1);
        QFETCH(double, lat2);
        QFETCH(double, lon2);
        QFETCH(double, km);
        const double measured = greatCircleKm(lat1, lon1, lat2, lon2);
        QVERIFY2(std::abs(measured - km) <= km * 0.01,
                 qPrintable(QStringLiteral("%1 km, expected %2").arg(measured).arg(km)));
        QCOMPARE(greatCircleKm(lat2, lon2, lat1, lon1), measured);
    }

    void greatCircleEdgeCases()
    {
        QCOMPARE(greatCircleKm(10, 20, 10, 20), 0.0);
        // Antipodes: half the circumference, not NaN.
        const double half = greatCircleKm(0, 0, 0, 180);
        QVERIFY(std::abs(half - 3.14159265 * 6371.0088) < 0.01);
        QVERIFY(std::abs(greatCircleKm(90, 0, -90, 0) - half) < 0.01);
        // Across the antimeridian the short way round.
        QVERIFY(greatCircleKm(0, 179.5, 0, -179.5) < 112);
    }
};

QTEST_GUILESS_MAIN(TestCountryAtlas)
#include "test_country_atlas.moc"
