// The routing and traffic-control routes over a real TrafficRuntime: the built-in policy, the
// GeoIP database scripts/setup.sh fetches, the controls in a real control-plane cluster and the
// real audit log. Route answers by country (IPv4 and IPv6), refusals (documentation networks,
// bad input, unknown tenants), data residency, session affinity (the token sent back keeps a
// client on its region; a tampered one is ignored), drain / undrain / forced failover / weights
// with their conflicts and audit events, analytics and the policy.
// The test thread is the server's event loop and is marked so that blocking on it fails.
#include "apitestsupport.h"
#include "upcoach/compliance/auditevent.h"
#include "upcoach/routing/geoip.h"
#include "upcoach/routing/trafficruntime.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QThread>
#include <QUrlQuery>

using namespace upcoach;
using namespace upcoach::testing;
using namespace std::chrono_literals;

namespace {

// Addresses checked against the CC0 geo-whois-asn-country database (scripts/setup.sh).
constexpr const char *kJapan = "133.242.0.1";
constexpr const char *kGermany = "85.214.0.1";
constexpr const char *kBrazil = "200.160.0.1";
constexpr const char *kSouthAfrica = "196.25.1.1";
constexpr const char *kSingapore = "203.116.0.1";
constexpr const char *kJapanV6 = "2001:240::1";
constexpr const char *kGermanyV6 = "2003::1";

const QString kReason = QStringLiteral("planned maintenance of the regional database");

QStringList regionsOf(const QJsonObject &answer)
{
    QStringList regions;
    for (const QJsonValue &region : answer.value(QStringLiteral("regions")).toArray())
        regions.append(region.toString());
    return regions;
}

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

// The affinity cookie's value from a Set-Cookie header ("uc_region=<token>; Max-Age=...").
QByteArray cookieToken(const QByteArray &setCookie)
{
    const qsizetype equals = setCookie.indexOf('=');
    const qsizetype end = setCookie.indexOf(';');
    if (equals < 0 || end < equals)
        return {};
    return setCookie.mid(equals + 1, end - equals - 1);
}

} // namespace

class TestApiTraffic : public QObject
{
    Q_OBJECT
    ApiFixture m_f;
    std::unique_ptr<routing::TrafficRuntime> m_traffic;
    QNetworkAccessManager m_nam;

    HttpReply send(const QByteArray &verb, const QString &pathAndQuery, const QByteArray &token,
                   const QByteArray &body = {}, QList<QPair<QByteArray, QByteArray>> headers = {},
                   quint16 port = 0)
    {
        QUrl url = m_f.url(pathAndQuery);
        if (port)
            url.setPort(port);
        return httpRequest(m_nam, url, token.isEmpty() ? QByteArray() : "Bearer " + token, verb,
                           body, headers);
    }

    HttpReply route(const QString &ip, const QString &extra = {},
                    const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("ip"), ip);
        QString path = QStringLiteral("/api/v1/route?") + query.toString(QUrl::FullyEncoded);
        if (!extra.isEmpty())
            path += QLatin1Char('&') + extra;
        return send("GET", path, m_f.viewerToken, {}, headers);
    }

    HttpReply control(const QString &regionId, const QString &action, const QJsonObject &body,
                      const QByteArray &requestId = {}, const QByteArray &token = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        if (!requestId.isEmpty())
            headers.append({"X-Request-Id", requestId});
        return send("POST", QStringLiteral("/api/v1/regions/%1/%2").arg(regionId, action),
                    token.isNull() ? m_f.adminToken : token, json(body), headers);
    }

    QString firstRegion(const QString &ip)
    {
        const HttpReply reply = route(ip);
        return reply.status == 200 ? regionsOf(reply.json()).value(0)
                                   : QStringLiteral("HTTP %1").arg(reply.status);
    }

    std::vector<compliance::AuditEvent> auditOfRequest(const QByteArray &requestId)
    {
        compliance::AuditQuery query;
        query.oldestFirst = true;
        query.limit = 1000;
        compliance::AuditStore *store = m_f.auditStore.get();
        const auto page = offThread([store, query] { return store->list(query); });
        std::vector<compliance::AuditEvent> matching;
        if (!page)
            return matching;
        for (const compliance::AuditEvent &event : page->events) {
            if (event.requestId == QString::fromLatin1(requestId))
                matching.push_back(event);
        }
        return matching;
    }

    static void verifyProblem(const HttpReply &reply, int status, const char *slug)
    {
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.header("Content-Type"), QByteArray("application/problem+json"));
        QCOMPARE(reply.json().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://upcoach.dev/problems/") + QLatin1String(slug));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFile::exists(routing::GeoIpDatabase::defaultPath()))
            QSKIP("no GeoIP database: run scripts/setup.sh");
        ApiFixtureOptions options;
        options.auditLog = true;
        options.configure = [this](api::ServerDeps &deps) -> QString {
            routing::TrafficRuntimeDeps trafficDeps;
            trafficDeps.catalog = &RegionCatalog::builtin();
            trafficDeps.control = m_f.controlPlane.get();
            trafficDeps.audit = m_f.auditLog.get();
            trafficDeps.tenants = [] {
                return Result<std::vector<routing::TenantResidency>>(
                    std::vector<routing::TenantResidency>{
                        {QStringLiteral("acme-eu"),
                         QStringLiteral("Acme Europe"),
                         QStringLiteral("eu-central-1"),
                         {QStringLiteral("eu-central-1"), QStringLiteral("eu-west-1")}},
                        {QStringLiteral("globex-jp"),
                         QStringLiteral("Globex Japan"),
                         QStringLiteral("ap-northeast-1"),
                         {QStringLiteral("ap-northeast-1")}}});
            };
            m_traffic =
                std::make_unique<routing::TrafficRuntime>(trafficDeps, routing::RoutingSettings{});
            if (const Status started = m_traffic->start(); !started)
                return started.error().message;
            deps.traffic = m_traffic.get();
            return {};
        };
        const QString error = m_f.start(options);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    // A test that failed half-way leaves no region drained for the next one.
    void cleanup()
    {
        routing::TrafficRuntime *runtime = m_traffic.get();
        if (!runtime)
            return;
        const bool restored = offThread([runtime] {
            compliance::ActorContext actor;
            actor.actor = QStringLiteral("service:test-api-traffic");
            bool ok = true;
            for (const routing::RegionTrafficStatus &region : runtime->regions()) {
                if (region.override)
                    ok = runtime
                             ->undrain(region.regionId, QStringLiteral("restoring after a test"),
                                       actor)
                             .ok() &&
                         ok;
            }
            return ok;
        });
        QVERIFY(restored);
    }

    void cleanupTestCase()
    {
        m_f.server.reset(); // before the runtime it points to
        m_traffic.reset();
        m_f.stop();
    }

    // ---- GET /api/v1/route ----

    void routesToTheNearestRegion_data()
    {
        QTest::addColumn<QString>("ip");
        QTest::addColumn<QString>("country");
        QTest::addColumn<QString>("region");
        QTest::newRow("Japan") << kJapan << "JP"
                               << "ap-northeast-1";
        QTest::newRow("Germany") << kGermany << "DE"
                                 << "eu-central-1";
        QTest::newRow("Brazil") << kBrazil << "BR"
                                << "sa-east-1";
        QTest::newRow("South Africa") << kSouthAfrica << "ZA"
                                      << "af-south-1";
        QTest::newRow("Singapore") << kSingapore << "SG"
                                   << "ap-southeast-1";
        QTest::newRow("Japan IPv6") << kJapanV6 << "JP"
                                    << "ap-northeast-1";
        QTest::newRow("Germany IPv6") << kGermanyV6 << "DE"
                                      << "eu-central-1";
    }

    void routesToTheNearestRegion()
    {
        QFETCH(QString, ip);
        QFETCH(QString, country);
        QFETCH(QString, region);
        const HttpReply reply = route(ip);
        QVERIFY2(reply.status == 200, reply.body.constData());
        QCOMPARE(reply.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject answer = reply.json();
        QStringList regions = regionsOf(answer);
        QCOMPARE(regions.value(0), region);
        QCOMPARE(regions.size(), 9); // every region, best first
        QCOMPARE(regions.removeDuplicates(), 0);
        QCOMPARE(answer.value(QStringLiteral("country")).toString(), country);
        QCOMPARE(answer.value(QStringLiteral("kind")).toString(), QStringLiteral("rule"));
        QCOMPARE(answer.value(QStringLiteral("rule")).toString(), QStringLiteral("nearest"));
        QVERIFY(answer.value(QStringLiteral("failedOverFrom")).isNull());
        QVERIFY(answer.value(QStringLiteral("reason")).toString().contains(u"nearest"));
        QVERIFY(answer.value(QStringLiteral("snapshot")).toInteger() > 0);
        if (answer.contains(QStringLiteral("hedge"))) {
            const QJsonObject hedge = answer.value(QStringLiteral("hedge")).toObject();
            QVERIFY(regions.contains(hedge.value(QStringLiteral("region")).toString()));
            QVERIFY(hedge.value(QStringLiteral("afterMs")).toInt() > 0);
        }
        // The sticky-sessions rule issues a token for the chosen region.
        const QByteArray cookie = reply.header("Set-Cookie");
        QVERIFY2(cookie.startsWith(QByteArray(QByteArray("uc_region=") + region.toLatin1() + '.')),
                 cookie.constData());
        QVERIFY2(cookie.endsWith("; Max-Age=1800; Path=/; HttpOnly; Secure; SameSite=Lax"),
                 cookie.constData());
    }

    // Every /route answer counts in upcoach_routing_decisions_total (nothing else routes here:
    // no synthetic traffic).
    void routeAnswersAreCounted()
    {
        const auto decisions = [this] {
            const HttpReply reply = send("GET", QStringLiteral("/metrics"), {});
            static const QRegularExpression sample(
                QStringLiteral("\nupcoach_routing_decisions_total (\\d+)\n"));
            const QRegularExpressionMatch match = sample.match(QString::fromUtf8(reply.body));
            return match.hasMatch() ? match.captured(1).toLongLong() : -1;
        };
        const qint64 before = decisions();
        QVERIFY(before >= 0);
        for (const char *ip : {kJapan, kGermany, kJapanV6})
            QCOMPARE(route(QString::fromLatin1(ip)).status, 200);
        QCOMPARE(decisions() - before, 3);
    }

    void refusesDocumentationNetworks()
    {
        for (const char *ip : {"192.0.2.1", "198.51.100.77", "2001:db8::1"}) {
            const HttpReply reply = route(QString::fromLatin1(ip));
            verifyProblem(reply, 403, "route-denied");
            QVERIFY2(reply.json()
                         .value(QStringLiteral("detail"))
                         .toString()
                         .contains(u"blocked-networks"),
                     reply.body.constData());
            QVERIFY(reply.header("Set-Cookie").isEmpty());
        }
    }

    void refusesBadQueries_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("parameter");
        QTest::newRow("no ip") << ""
                               << "ip";
        QTest::newRow("empty ip") << "ip="
                                  << "ip";
        QTest::newRow("not an address") << "ip=not-an-address"
                                        << "ip";
        QTest::newRow("with a port") << "ip=133.242.0.1:443"
                                     << "ip";
        QTest::newRow("bracketed") << "ip=%5B2001:240::1%5D"
                                   << "ip";
        QTest::newRow("over-long")
            << QStringLiteral("ip=") + QString(200, QLatin1Char('1')) << "ip";
        QTest::newRow("twice") << "ip=133.242.0.1&ip=85.214.0.1"
                               << "ip";
        QTest::newRow("unknown parameter") << "ip=133.242.0.1&country=JP"
                                           << "country";
        QTest::newRow("tenant too long")
            << QStringLiteral("ip=133.242.0.1&tenant=") + QString(64, QLatin1Char('a')) << "tenant";
        QTest::newRow("tenant not a slug") << "ip=133.242.0.1&tenant=Acme%20EU"
                                           << "tenant";
        QTest::newRow("path without slash") << "ip=133.242.0.1&path=api"
                                            << "path";
        QTest::newRow("path too long")
            << QStringLiteral("ip=133.242.0.1&path=/") + QString(2048, QLatin1Char('a')) << "path";
        QTest::newRow("path with control characters") << "ip=133.242.0.1&path=/a%0Ab"
                                                      << "path";
    }

    void refusesBadQueries()
    {
        QFETCH(QString, query);
        QFETCH(QString, parameter);
        const HttpReply reply =
            send("GET", QStringLiteral("/api/v1/route?") + query, m_f.viewerToken);
        verifyProblem(reply, 400, "bad-request");
        const QJsonObject problem = reply.json();
        QCOMPARE(problem.value(QStringLiteral("parameters")).toArray(), QJsonArray{parameter});
        QVERIFY2(problem.value(QStringLiteral("detail")).toString().contains(parameter),
                 reply.body.constData());
    }

    void needsAToken()
    {
        const HttpReply anonymous = send("GET", QStringLiteral("/api/v1/route?ip=133.242.0.1"), {});
        verifyProblem(anonymous, 401, "unauthorized");
        QCOMPARE(
            send("GET", QStringLiteral("/api/v1/route?ip=133.242.0.1"), m_f.revokedToken).status,
            401);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/traffic"), {}).status, 401);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/traffic/policy"), {}).status, 401);
    }

    void keepsTenantsInTheirRegions()
    {
        // A Japanese client of a European tenant is served from Europe only.
        HttpReply reply = route(QString::fromLatin1(kJapan), QStringLiteral("tenant=acme-eu"));
        QVERIFY2(reply.status == 200, reply.body.constData());
        QStringList regions = regionsOf(reply.json());
        QCOMPARE(QSet<QString>(regions.begin(), regions.end()),
                 (QSet<QString>{QStringLiteral("eu-central-1"), QStringLiteral("eu-west-1")}));
        // A German client of a Japanese tenant: Tokyo and nothing else.
        reply = route(QString::fromLatin1(kGermany), QStringLiteral("tenant=globex-jp"));
        QVERIFY2(reply.status == 200, reply.body.constData());
        QCOMPARE(regionsOf(reply.json()), QStringList{QStringLiteral("ap-northeast-1")});

        reply = route(QString::fromLatin1(kGermany), QStringLiteral("tenant=nobody-here"));
        verifyProblem(reply, 404, "tenant-not-found");
    }

    void takesPathsIntoAccount()
    {
        const HttpReply reply =
            route(QString::fromLatin1(kBrazil), QStringLiteral("path=%2Fapi%2Fv1%2Fgoals"));
        QVERIFY2(reply.status == 200, reply.body.constData());
        QCOMPARE(regionsOf(reply.json()).value(0), QStringLiteral("sa-east-1"));
    }

    // ---- session affinity ----

    void theIssuedTokenKeepsTheClientOnItsRegion()
    {
        const HttpReply japanese = route(QString::fromLatin1(kJapan));
        QCOMPARE(japanese.status, 200);
        const QByteArray token = cookieToken(japanese.header("Set-Cookie"));
        QVERIFY(token.startsWith("ap-northeast-1."));

        // The same client later seen from a German address (travel, VPN): still Tokyo.
        HttpReply reply = route(QString::fromLatin1(kGermany), {},
                                {{"Cookie", "theme=dark; uc_region=" + token + "; lang=en"}});
        QVERIFY2(reply.status == 200, reply.body.constData());
        QJsonObject answer = reply.json();
        QCOMPARE(regionsOf(answer).value(0), QStringLiteral("ap-northeast-1"));
        QCOMPARE(answer.value(QStringLiteral("rule")).toString(),
                 QStringLiteral("sticky-sessions"));
        QVERIFY(answer.value(QStringLiteral("reason")).toString().contains(u"session token"));
        QVERIFY(reply.header("Set-Cookie").startsWith("uc_region=ap-northeast-1."));

        // A quoted cookie value is the same token.
        reply =
            route(QString::fromLatin1(kGermany), {}, {{"Cookie", "uc_region=\"" + token + '"'}});
        QCOMPARE(regionsOf(reply.json()).value(0), QStringLiteral("ap-northeast-1"));

        // Tampered: another region named, or the MAC changed → ignored, nearest region.
        QByteArray otherRegion = token;
        otherRegion.replace("ap-northeast-1", "us-east-1");
        QByteArray otherMac = token;
        otherMac[otherMac.size() - 1] = otherMac.endsWith('A') ? 'B' : 'A';
        for (const QByteArray &tampered :
             {otherRegion, otherMac, QByteArray("garbage"), QByteArray(300, 'a')}) {
            reply = route(QString::fromLatin1(kGermany), {}, {{"Cookie", "uc_region=" + tampered}});
            QVERIFY2(reply.status == 200, reply.body.constData());
            answer = reply.json();
            QCOMPARE(regionsOf(answer).value(0), QStringLiteral("eu-central-1"));
            QCOMPARE(answer.value(QStringLiteral("rule")).toString(), QStringLiteral("nearest"));
            QVERIFY(reply.header("Set-Cookie").startsWith("uc_region=eu-central-1."));
        }
        // The cookie only counts under its own name.
        reply = route(QString::fromLatin1(kGermany), {}, {{"Cookie", "xuc_region=" + token}});
        QCOMPARE(regionsOf(reply.json()).value(0), QStringLiteral("eu-central-1"));
    }

    // Another instance on the same control plane (a second serve) signs with the same key: the
    // token the first issued keeps the client on its region there too; a runtime with its own
    // key (no control plane) does not honour it.
    void anotherInstanceHonoursTheToken()
    {
        const HttpReply japanese = route(QString::fromLatin1(kJapan));
        QCOMPARE(japanese.status, 200);
        const QByteArray token = cookieToken(japanese.header("Set-Cookie"));
        QVERIFY(token.startsWith("ap-northeast-1."));

        routing::TrafficRuntimeDeps deps;
        deps.catalog = &RegionCatalog::builtin();
        deps.control = m_f.controlPlane.get();
        deps.audit = m_f.auditLog.get();
        // Started off the test thread (it reads the key from the database), as the demo does.
        QThread *testThread = QThread::currentThread();
        auto second = std::make_shared<routing::TrafficRuntime>(deps, routing::RoutingSettings{});
        const Status started = testing::offThread([second, testThread] {
            Status status = second->start();
            second->moveToThread(testThread);
            return status;
        });
        QVERIFY2(started, started ? "" : qPrintable(started.error().message));
        routing::RouteQuery query;
        query.ip = QString::fromLatin1(kGermany);
        query.affinityToken = token;
        const auto answer = second->route(query);
        QVERIFY2(answer, answer ? "" : qPrintable(answer.error().message));
        QCOMPARE(answer->regions.value(0), QStringLiteral("ap-northeast-1"));
        QCOMPARE(answer->rule, QStringLiteral("sticky-sessions"));
        second->stop();

        routing::TrafficRuntimeDeps alone;
        alone.catalog = &RegionCatalog::builtin();
        routing::TrafficRuntime separate(alone, routing::RoutingSettings{});
        QVERIFY(separate.start());
        const auto elsewhere = separate.route(query);
        QVERIFY2(elsewhere, elsewhere ? "" : qPrintable(elsewhere.error().message));
        QCOMPARE(elsewhere->regions.value(0), QStringLiteral("eu-central-1"));
        separate.stop();
    }

    // ---- drain, undrain, failover ----

    void drainMovesClientsAndUndrainBringsThemBack()
    {
        QCOMPARE(firstRegion(QString::fromLatin1(kJapan)), QStringLiteral("ap-northeast-1"));
        const QByteArray drainId = "traffic-drain-1";
        HttpReply reply = control(
            QStringLiteral("ap-northeast-1"), QStringLiteral("drain"),
            {{QStringLiteral("reason"), QString(QStringLiteral("  ") + kReason + u' ')}}, drainId);
        QVERIFY2(reply.status == 200, reply.body.constData());
        QJsonObject region = reply.json();
        QCOMPARE(region.value(QStringLiteral("id")).toString(), QStringLiteral("ap-northeast-1"));
        QCOMPARE(region.value(QStringLiteral("unavailable")).toString(), QStringLiteral("drained"));
        QJsonObject override = region.value(QStringLiteral("override")).toObject();
        QCOMPARE(override.value(QStringLiteral("state")).toString(), QStringLiteral("drained"));
        QCOMPARE(override.value(QStringLiteral("reason")).toString(), kReason);
        QCOMPARE(override.value(QStringLiteral("by")).toString(),
                 QStringLiteral("token:") + m_f.adminTokenId);

        // Japanese clients now go to the failover chain's next region.
        reply = route(QString::fromLatin1(kJapan));
        QVERIFY2(reply.status == 200, reply.body.constData());
        QJsonObject answer = reply.json();
        QCOMPARE(regionsOf(answer).value(0), QStringLiteral("ap-southeast-1"));
        QVERIFY(!regionsOf(answer).contains(QStringLiteral("ap-northeast-1")));
        QCOMPARE(answer.value(QStringLiteral("kind")).toString(), QStringLiteral("failover"));
        QCOMPARE(answer.value(QStringLiteral("failedOverFrom")).toString(),
                 QStringLiteral("ap-northeast-1"));
        QVERIFY(answer.value(QStringLiteral("reason")).toString().contains(u"drained"));
        // A Japan-only tenant has nowhere to go: residency wins over availability.
        reply = route(QString::fromLatin1(kJapan), QStringLiteral("tenant=globex-jp"));
        verifyProblem(reply, 503, "no-region-available");

        // The analytics show who drained it and why.
        reply = send("GET", QStringLiteral("/api/v1/traffic"), m_f.viewerToken);
        QCOMPARE(reply.status, 200);
        bool seen = false;
        for (const QJsonValue &entry : reply.json().value(QStringLiteral("regions")).toArray()) {
            if (entry[QStringLiteral("id")].toString() != QLatin1String("ap-northeast-1"))
                continue;
            seen = true;
            QCOMPARE(entry[QStringLiteral("override")][QStringLiteral("reason")].toString(),
                     kReason);
            QCOMPARE(entry[QStringLiteral("unavailable")].toString(), QStringLiteral("drained"));
        }
        QVERIFY(seen);
        reply = send("GET", QStringLiteral("/metrics"), {});
        QVERIFY(reply.body.contains(
            "\nupcoach_routing_region_available{region=\"ap-northeast-1\"} 0\n"));
        QVERIFY(
            reply.body.contains("\nupcoach_routing_region_available{region=\"eu-west-1\"} 1\n"));
        QVERIFY(reply.body.contains("\nupcoach_routing_decisions_total "));

        // Twice: 409, nothing changed, and the refusal is in the audit log.
        const QByteArray againId = "traffic-drain-2";
        reply = control(QStringLiteral("ap-northeast-1"), QStringLiteral("drain"),
                        {{QStringLiteral("reason"), kReason}}, againId);
        verifyProblem(reply, 409, "region-already-drained");

        const QByteArray undrainId = "traffic-undrain-1";
        reply = control(QStringLiteral("ap-northeast-1"), QStringLiteral("undrain"),
                        {{QStringLiteral("reason"), QStringLiteral("maintenance is finished")}},
                        undrainId);
        QVERIFY2(reply.status == 200, reply.body.constData());
        QVERIFY(reply.json().value(QStringLiteral("override")).isNull());
        QVERIFY(reply.json().value(QStringLiteral("unavailable")).isNull());
        QCOMPARE(firstRegion(QString::fromLatin1(kJapan)), QStringLiteral("ap-northeast-1"));

        reply = control(QStringLiteral("ap-northeast-1"), QStringLiteral("undrain"),
                        {{QStringLiteral("reason"), QStringLiteral("maintenance is finished")}});
        verifyProblem(reply, 409, "region-not-drained");

        // The audit log: TrafficControls' events with the caller as actor, the request's id and
        // source address; the API's failure event for the refused second drain; no secrets.
        const auto drained = auditOfRequest(drainId);
        QCOMPARE(drained.size(), size_t(1));
        QCOMPARE(drained[0].action, QStringLiteral("traffic.region.drain"));
        QCOMPARE(drained[0].outcome, QStringLiteral("success"));
        QCOMPARE(drained[0].actor, QStringLiteral("token:") + m_f.adminTokenId);
        QCOMPARE(drained[0].target, QStringLiteral("region:ap-northeast-1"));
        QCOMPARE(drained[0].sourceIp, QStringLiteral("127.0.0.1"));
        QCOMPARE(drained[0].classification, QStringLiteral("config-change"));
        QCOMPARE(drained[0].details.value(QStringLiteral("reason")).toString(), kReason);

        const auto refused = auditOfRequest(againId);
        QCOMPARE(refused.size(), size_t(1));
        QCOMPARE(refused[0].action, QStringLiteral("traffic.region.drain"));
        QCOMPARE(refused[0].outcome, QStringLiteral("failure"));
        QCOMPARE(refused[0].target, QStringLiteral("region:ap-northeast-1"));
        QCOMPARE(refused[0].details.value(QStringLiteral("status")).toInt(), 409);
        QCOMPARE(refused[0].details.value(QStringLiteral("problem")).toString(),
                 QStringLiteral("region-already-drained"));

        const auto undrained = auditOfRequest(undrainId);
        QCOMPARE(undrained.size(), size_t(1));
        QCOMPARE(undrained[0].action, QStringLiteral("traffic.region.undrain"));
        QCOMPARE(undrained[0].outcome, QStringLiteral("success"));
        QCOMPARE(undrained[0].actor, QStringLiteral("token:") + m_f.adminTokenId);
        QCOMPARE(undrained[0].sourceIp, QStringLiteral("127.0.0.1"));

        for (const auto *events : {&drained, &refused, &undrained}) {
            for (const compliance::AuditEvent &event : *events) {
                const QByteArray written = compliance::eventToJson(event).value();
                QVERIFY(!written.contains(m_f.adminToken));
                QVERIFY(!written.contains(m_f.viewerToken));
            }
        }
    }

    void failoverWithATargetSendsClientsThere()
    {
        HttpReply reply = control(QStringLiteral("sa-east-1"), QStringLiteral("failover"),
                                  {{QStringLiteral("reason"), kReason},
                                   {QStringLiteral("target"), QStringLiteral("eu-west-1")}});
        QVERIFY2(reply.status == 200, reply.body.constData());
        const QJsonObject override = reply.json().value(QStringLiteral("override")).toObject();
        QCOMPARE(override.value(QStringLiteral("state")).toString(), QStringLiteral("failed-over"));
        QCOMPARE(override.value(QStringLiteral("target")).toString(), QStringLiteral("eu-west-1"));

        reply = route(QString::fromLatin1(kBrazil));
        QVERIFY2(reply.status == 200, reply.body.constData());
        const QJsonObject answer = reply.json();
        QCOMPARE(regionsOf(answer).value(0), QStringLiteral("eu-west-1"));
        QCOMPARE(answer.value(QStringLiteral("kind")).toString(), QStringLiteral("failover"));
        QCOMPARE(answer.value(QStringLiteral("failedOverFrom")).toString(),
                 QStringLiteral("sa-east-1"));

        // Failed over already: neither a drain nor another failover.
        reply = control(QStringLiteral("sa-east-1"), QStringLiteral("drain"),
                        {{QStringLiteral("reason"), kReason}});
        verifyProblem(reply, 409, "region-already-failed-over");

        reply = control(QStringLiteral("sa-east-1"), QStringLiteral("undrain"),
                        {{QStringLiteral("reason"), QStringLiteral("the database is back up")}});
        QVERIFY2(reply.status == 200, reply.body.constData());
        QCOMPARE(firstRegion(QString::fromLatin1(kBrazil)), QStringLiteral("sa-east-1"));
    }

    void refusesBadControls_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("slug");
        QTest::addColumn<QString>("field");
        const QByteArray json = "application/json";
        const QByteArray reason = "\"reason\": \"planned maintenance of the database\"";
        const QString drain = QStringLiteral("/api/v1/regions/eu-west-1/drain");
        const QString failover = QStringLiteral("/api/v1/regions/eu-west-1/failover");
        QTest::newRow("reason too short")
            << drain << json << QByteArray("{\"reason\": \"because\"}") << 400 << "bad-request"
            << "reason";
        QTest::newRow("reason only spaces") << drain << json
                                            << QByteArray("{\"reason\": \"    "
                                                          "            \"}")
                                            << 400 << "bad-request"
                                            << "reason";
        QTest::newRow("reason missing") << drain << json << QByteArray("{}") << 400 << "bad-request"
                                        << "reason";
        QTest::newRow("reason not a string")
            << drain << json << QByteArray("{\"reason\": 12345678901}") << 400 << "bad-request"
            << "reason";
        QTest::newRow("reason too long")
            << drain << json << "{\"reason\": \"" + QByteArray(501, 'x') + "\"}" << 400
            << "bad-request"
            << "reason";
        QTest::newRow("unknown field")
            << drain << json << "{" + reason + ", \"force\": true}" << 400 << "bad-request"
            << "";
        QTest::newRow("a drain has no target")
            << drain << json << "{" + reason + ", \"target\": \"eu-central-1\"}" << 400
            << "bad-request"
            << "";
        QTest::newRow("not JSON") << drain << json << QByteArray("reason=x") << 400 << "bad-request"
                                  << "";
        QTest::newRow("not an object")
            << drain << json << QByteArray("[\"reason\"]") << 400 << "bad-request"
            << "";
        QTest::newRow("no body") << drain << QByteArray() << QByteArray() << 415
                                 << "unsupported-media-type"
                                 << "Content-Type";
        QTest::newRow("text/plain") << drain << QByteArray("text/plain") << "{" + reason + "}"
                                    << 415 << "unsupported-media-type"
                                    << "Content-Type";
        QTest::newRow("over 4 KiB")
            << drain << json << "{\"reason\": \"" + QByteArray(5000, 'x') + "\"}" << 413
            << "payload-too-large"
            << "";
        QTest::newRow("unknown region") << QStringLiteral("/api/v1/regions/xx-nowhere-1/drain")
                                        << json << "{" + reason + "}" << 404 << "region-not-found"
                                        << "region";
        QTest::newRow("not a region id") << QStringLiteral("/api/v1/regions/Tokyo%20One/drain")
                                         << json << "{" + reason + "}" << 404 << "region-not-found"
                                         << "region";
        QTest::newRow("failover to itself")
            << failover << json << "{" + reason + ", \"target\": \"eu-west-1\"}" << 400
            << "bad-request"
            << "target";
        QTest::newRow("failover to an unknown region")
            << failover << json << "{" + reason + ", \"target\": \"xx-nowhere-1\"}" << 400
            << "bad-request"
            << "target";
        QTest::newRow("failover target not a region id")
            << failover << json << "{" + reason + ", \"target\": \"Dublin\"}" << 400
            << "bad-request"
            << "target";
        QTest::newRow("failover target not a string")
            << failover << json << "{" + reason + ", \"target\": 7}" << 400 << "bad-request"
            << "target";
        const QString nearest = QStringLiteral("/api/v1/traffic/weights/nearest");
        const QByteArray weights = "\"weights\": {\"us-east-1\": 90, \"us-west-2\": 10}";
        QTest::newRow("weights of a geo-proximity rule")
            << nearest << json << "{" + weights + ", " + reason + "}" << 400 << "bad-request"
            << "rule";
        QTest::newRow("weights of an unknown rule")
            << QStringLiteral("/api/v1/traffic/weights/canary") << json
            << "{" + weights + ", " + reason + "}" << 404 << "rule-not-found"
            << "rule";
        QTest::newRow("weights missing")
            << nearest << json << "{" + reason + "}" << 400 << "bad-request"
            << "weights";
        QTest::newRow("weights not whole numbers")
            << nearest << json << "{\"weights\": {\"us-east-1\": 0.5}, " + reason + "}" << 400
            << "bad-request"
            << "weights.us-east-1";
        QTest::newRow("negative weights")
            << nearest << json << "{\"weights\": {\"us-east-1\": -1}, " + reason + "}" << 400
            << "bad-request"
            << "weights.us-east-1";
        QTest::newRow("weights reason too short")
            << nearest << json << "{" + weights + ", \"reason\": \"x\"}" << 400 << "bad-request"
            << "reason";
    }

    void refusesBadControls()
    {
        QFETCH(QString, path);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, slug);
        QFETCH(QString, field);
        QList<QPair<QByteArray, QByteArray>> headers{{"X-Request-Id", "traffic-refused"}};
        if (!contentType.isEmpty())
            headers.append({"Content-Type", contentType});
        const QByteArray verb = path.contains(u"/weights/") ? "PUT" : "POST";
        const HttpReply reply = send(verb, path, m_f.adminToken, body, headers);
        verifyProblem(reply, status, slug.toLatin1().constData());
        if (!field.isEmpty())
            QCOMPARE(reply.json().value(QStringLiteral("field")).toString(), field);
        // Nothing changed: eu-west-1 is still in service.
        QCOMPARE(firstRegion(QStringLiteral("87.32.0.1")), QStringLiteral("eu-west-1")); // IE
    }

    void refusedControlsAreRecorded()
    {
        const auto events = auditOfRequest("traffic-refused");
        QVERIFY(events.size() >= 20);
        for (const compliance::AuditEvent &event : events) {
            QCOMPARE(event.outcome, QStringLiteral("failure"));
            QVERIFY2(event.action == QLatin1String("traffic.region.drain") ||
                         event.action == QLatin1String("traffic.region.failover") ||
                         event.action == QLatin1String("traffic.weights.set"),
                     qPrintable(event.action));
            QCOMPARE(event.actor, QStringLiteral("token:") + m_f.adminTokenId);
            QVERIFY(event.details.contains(QStringLiteral("status")));
        }
    }

    void neverDrainsTheLastRegion()
    {
        const QStringList regions{
            QStringLiteral("us-east-1"),      QStringLiteral("us-west-2"),
            QStringLiteral("eu-west-1"),      QStringLiteral("eu-central-1"),
            QStringLiteral("ap-southeast-1"), QStringLiteral("ap-northeast-1"),
            QStringLiteral("sa-east-1"),      QStringLiteral("me-south-1")};
        for (const QString &region : regions) {
            const HttpReply reply =
                control(region, QStringLiteral("drain"), {{QStringLiteral("reason"), kReason}});
            QVERIFY2(reply.status == 200, reply.body.constData());
        }
        // Everyone goes to Cape Town now.
        QCOMPARE(firstRegion(QString::fromLatin1(kJapan)), QStringLiteral("af-south-1"));
        HttpReply reply = control(QStringLiteral("af-south-1"), QStringLiteral("drain"),
                                  {{QStringLiteral("reason"), kReason}});
        verifyProblem(reply, 409, "last-region");
        reply = control(QStringLiteral("af-south-1"), QStringLiteral("failover"),
                        {{QStringLiteral("reason"), kReason}});
        verifyProblem(reply, 409, "last-region");
        for (const QString &region : regions) {
            reply = control(region, QStringLiteral("undrain"),
                            {{QStringLiteral("reason"), QStringLiteral("back in service again")}});
            QVERIFY2(reply.status == 200, reply.body.constData());
        }
        QCOMPARE(firstRegion(QString::fromLatin1(kJapan)), QStringLiteral("ap-northeast-1"));
    }

    // ---- who may change traffic ----

    void changesNeedAnAdminTokenAndRefusalsAreAudited()
    {
        const QByteArray body = json({{QStringLiteral("reason"), kReason}});
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"},
                                                     {"X-Request-Id", "traffic-anonymous"}};
        HttpReply reply =
            send("POST", QStringLiteral("/api/v1/regions/ap-northeast-1/drain"), {}, body, headers);
        verifyProblem(reply, 401, "unauthorized");
        headers[1].second = "traffic-viewer";
        reply = send("POST", QStringLiteral("/api/v1/regions/ap-northeast-1/drain"),
                     m_f.viewerToken, body, headers);
        verifyProblem(reply, 403, "forbidden");
        headers[1].second = "traffic-viewer-weights";
        reply = send("PUT", QStringLiteral("/api/v1/traffic/weights/nearest"), m_f.viewerToken,
                     body, headers);
        verifyProblem(reply, 403, "forbidden");
        QCOMPARE(firstRegion(QString::fromLatin1(kJapan)), QStringLiteral("ap-northeast-1"));

        const auto anonymous = auditOfRequest("traffic-anonymous");
        QCOMPARE(anonymous.size(), size_t(1));
        QCOMPARE(anonymous[0].action, QStringLiteral("traffic.region.drain"));
        QCOMPARE(anonymous[0].outcome, QStringLiteral("denied"));
        QCOMPARE(anonymous[0].actor, QStringLiteral("anonymous"));
        QCOMPARE(anonymous[0].target, QStringLiteral("region:ap-northeast-1"));
        QCOMPARE(anonymous[0].sourceIp, QStringLiteral("127.0.0.1"));
        QCOMPARE(anonymous[0].details.value(QStringLiteral("status")).toInt(), 401);

        const auto viewer = auditOfRequest("traffic-viewer");
        QCOMPARE(viewer.size(), size_t(1));
        QCOMPARE(viewer[0].outcome, QStringLiteral("denied"));
        QCOMPARE(viewer[0].actor, QStringLiteral("token:") + m_f.viewerTokenId);
        QCOMPARE(viewer[0].details.value(QStringLiteral("status")).toInt(), 403);

        const auto weights = auditOfRequest("traffic-viewer-weights");
        QCOMPARE(weights.size(), size_t(1));
        QCOMPARE(weights[0].action, QStringLiteral("traffic.weights.set"));
        QCOMPARE(weights[0].target, QStringLiteral("rule:nearest"));
    }

    // ---- analytics and policy ----

    void reportsTrafficPerRegion()
    {
        // Route lookups count as traffic of the region they chose.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(firstRegion(QString::fromLatin1(kSingapore)),
                     QStringLiteral("ap-southeast-1"));
        HttpReply reply = send("GET", QStringLiteral("/api/v1/traffic?window=5m"), m_f.viewerToken);
        QVERIFY2(reply.status == 200, reply.body.constData());
        const QJsonObject report = reply.json();
        QCOMPARE(report.value(QStringLiteral("policy")).toString(),
                 QStringLiteral("nearest-healthy"));
        QCOMPARE(report.value(QStringLiteral("windowSeconds")).toInt(), 300);
        const QJsonArray regions = report.value(QStringLiteral("regions")).toArray();
        QCOMPARE(regions.size(), 9);
        QJsonObject singapore;
        for (const QJsonValue &region : regions) {
            for (const char *key : {"id", "displayName", "health", "unavailable", "override",
                                    "requests", "requestsPerSecond", "latencyMs", "errorRate",
                                    "topEndpoints", "topCountries", "hedges", "weights"})
                QVERIFY2(region.toObject().contains(QLatin1String(key)), key);
            if (region[QStringLiteral("id")].toString() == QLatin1String("ap-southeast-1"))
                singapore = region.toObject();
        }
        QVERIFY(singapore.value(QStringLiteral("requests")).toInteger() >= 3);
        QCOMPARE(singapore[QStringLiteral("topCountries")][0][QStringLiteral("country")].toString(),
                 QStringLiteral("SG"));
        QCOMPARE(
            singapore[QStringLiteral("topEndpoints")][0][QStringLiteral("endpoint")].toString(),
            QStringLiteral("/api/v1/route"));
        const QJsonObject hedges = singapore.value(QStringLiteral("hedges")).toObject();
        QVERIFY(hedges.contains(QStringLiteral("sent")) && hedges.contains(QStringLiteral("won")) &&
                hedges.contains(QStringLiteral("latencySavedMs")));
        const QJsonObject latency = singapore.value(QStringLiteral("latencyMs")).toObject();
        QVERIFY(latency.contains(QStringLiteral("p50")) && latency.contains(QStringLiteral("p99")));
        bool flow = false;
        for (const QJsonValue &entry : report.value(QStringLiteral("flows")).toArray())
            flow = flow ||
                   (entry[QStringLiteral("country")].toString() == QLatin1String("SG") &&
                    entry[QStringLiteral("region")].toString() == QLatin1String("ap-southeast-1") &&
                    entry[QStringLiteral("requests")].toInteger() >= 3);
        QVERIFY(flow);
        QVERIFY(report.value(QStringLiteral("total"))[QStringLiteral("requests")].toInteger() >=
                singapore.value(QStringLiteral("requests")).toInteger());

        QCOMPARE(send("GET", QStringLiteral("/api/v1/traffic?window=10s"), m_f.viewerToken).status,
                 200);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/traffic?window=300"), m_f.viewerToken).status,
                 200);
        for (const char *bad : {"window=9s", "window=301s", "window=6m", "window=abc",
                                "window=", "window=-10", "window=60s&window=60s", "span=60s"}) {
            reply = send("GET", QStringLiteral("/api/v1/traffic?") + QLatin1String(bad),
                         m_f.viewerToken);
            verifyProblem(reply, 400, "bad-request");
            QVERIFY2(reply.json().value(QStringLiteral("parameters")).toArray().size() == 1, bad);
        }
    }

    // What would move if a region were drained, without draining it: countries and tenants with
    // where they would go; a tenant whose residency allows only that region has nowhere (null).
    void previewsWhoMovesIfARegionWereDrained()
    {
        HttpReply reply =
            send("GET", QStringLiteral("/api/v1/regions/eu-central-1/what-if"), m_f.viewerToken);
        QVERIFY2(reply.status == 200, reply.body.constData());
        QJsonObject answer = reply.json();
        QCOMPARE(answer.value(QStringLiteral("region")).toString(), QStringLiteral("eu-central-1"));
        const auto find = [](const QJsonObject &object, const QString &list, const QString &key,
                             const QString &value) {
            for (const QJsonValue &entry : object.value(list).toArray()) {
                if (entry[key].toString() == value)
                    return entry.toObject();
            }
            return QJsonObject();
        };
        const QJsonObject germany =
            find(answer, QStringLiteral("countries"), QStringLiteral("code"), QStringLiteral("DE"));
        QCOMPARE(germany.value(QStringLiteral("from")).toString(), QStringLiteral("eu-central-1"));
        QCOMPARE(germany.value(QStringLiteral("to")).toString(), QStringLiteral("eu-west-1"));
        QVERIFY(
            find(answer, QStringLiteral("countries"), QStringLiteral("code"), QStringLiteral("JP"))
                .isEmpty());
        const QJsonObject acme = find(answer, QStringLiteral("tenants"), QStringLiteral("slug"),
                                      QStringLiteral("acme-eu"));
        QCOMPARE(acme.value(QStringLiteral("to")).toString(), QStringLiteral("eu-west-1"));
        QCOMPARE(answer.value(QStringLiteral("movingCountries")).toInt(),
                 answer.value(QStringLiteral("countries")).toArray().size());
        // Only a preview: Germany is still served from Frankfurt.
        QCOMPARE(firstRegion(QString::fromLatin1(kGermany)), QStringLiteral("eu-central-1"));

        reply =
            send("GET", QStringLiteral("/api/v1/regions/ap-northeast-1/what-if"), m_f.viewerToken);
        QVERIFY2(reply.status == 200, reply.body.constData());
        answer = reply.json();
        const QJsonObject globex = find(answer, QStringLiteral("tenants"), QStringLiteral("slug"),
                                        QStringLiteral("globex-jp"));
        QVERIFY(globex.value(QStringLiteral("to")).isNull());
        QVERIFY(answer.value(QStringLiteral("stranded")).toInt() >= 1);

        verifyProblem(
            send("GET", QStringLiteral("/api/v1/regions/xx-nowhere-9/what-if"), m_f.viewerToken),
            404, "region-not-found");
        verifyProblem(send("GET", QStringLiteral("/api/v1/regions/eu-central-1/what-if?x=1"),
                           m_f.viewerToken),
                      400, "bad-request");
        QCOMPARE(send("GET", QStringLiteral("/api/v1/regions/eu-central-1/what-if"), {}).status,
                 401);
        QCOMPARE(
            send("POST", QStringLiteral("/api/v1/regions/eu-central-1/what-if"), m_f.adminToken)
                .status,
            405);
    }

    void showsThePolicy()
    {
        const HttpReply reply =
            send("GET", QStringLiteral("/api/v1/traffic/policy"), m_f.viewerToken);
        QVERIFY2(reply.status == 200, reply.body.constData());
        const QJsonObject policy = reply.json();
        QCOMPARE(policy.value(QStringLiteral("name")).toString(),
                 QStringLiteral("nearest-healthy"));
        QVERIFY(!policy.value(QStringLiteral("description")).toString().isEmpty());
        QStringList kinds;
        QStringList names;
        for (const QJsonValue &rule : policy.value(QStringLiteral("rules")).toArray()) {
            kinds.append(rule[QStringLiteral("kind")].toString());
            names.append(rule[QStringLiteral("name")].toString());
            QVERIFY(rule[QStringLiteral("when")].isObject());
        }
        QCOMPARE(kinds, (QStringList{QStringLiteral("ip-deny"), QStringLiteral("affinity"),
                                     QStringLiteral("geo-proximity"), QStringLiteral("failover")}));
        QCOMPARE(names.value(0), QStringLiteral("blocked-networks"));
        const QJsonArray rules = policy.value(QStringLiteral("rules")).toArray();
        QCOMPARE(rules[1][QStringLiteral("cookie")].toString(), QStringLiteral("uc_region"));
        QCOMPARE(rules[1][QStringLiteral("ttlSeconds")].toInt(), 1800);
        QCOMPARE(rules[3][QStringLiteral("chains")][QStringLiteral("ap-northeast-1")][0].toString(),
                 QStringLiteral("ap-southeast-1"));
        QVERIFY(policy.value(QStringLiteral("hedging"))[QStringLiteral("enabled")].toBool());
        QVERIFY(policy.value(QStringLiteral("source")).toString().contains(u"regional-failover"));
        QCOMPARE(send("GET", QStringLiteral("/api/v1/traffic/policy?x=1"), m_f.viewerToken).status,
                 400);
    }

    void aServerWithoutTheTrafficLayerSaysSo()
    {
        api::ServerDeps deps;
        deps.catalog = &RegionCatalog::builtin();
        deps.monitor = m_f.monitor.get();
        deps.tokens = m_f.tokens.get();
        deps.audit = m_f.auditLog.get();
        api::ApiServer bare(deps);
        const auto port = bare.listen(ListenAddress{QHostAddress(QHostAddress::LocalHost), 0});
        QVERIFY(port.ok());
        verifyProblem(send("GET", QStringLiteral("/api/v1/route?ip=133.242.0.1"), m_f.viewerToken,
                           {}, {}, port.value()),
                      503, "traffic-unavailable");
        verifyProblem(send("POST", QStringLiteral("/api/v1/regions/eu-west-1/drain"),
                           m_f.adminToken, json({{QStringLiteral("reason"), kReason}}),
                           {{"Content-Type", "application/json"}}, port.value()),
                      503, "traffic-unavailable");
    }
};

QTEST_GUILESS_MAIN(TestApiTraffic)
#include "test_api_traffic.moc"
