// Pure logic of the routing and traffic routes (src/trafficroutes.*): the route and traffic
// query strings, Cookie parsing with its limits, the affinity cookie or header sent back, control
// bodies, the JSON of a policy with every rule kind, and how the runtime's refusals and errors
// become problems.
#include "trafficroutes.h"

#include <QJsonArray>
#include <QTest>

using namespace upcoach;
using namespace upcoach::api::detail;
using namespace std::chrono_literals;

namespace {

// Every rule kind, as the routing README's example policy.
const char *const kPolicy =
    "version: 1\n"
    "name: eu-canary\n"
    "regions: [eu-west-1, eu-central-1, us-east-1]\n"
    "rules:\n"
    "  - { name: blocked, type: ip-deny, cidrs: [203.0.113.0/24, \"2001:db8:bad::/48\"] }\n"
    "  - { name: partners-only, type: ip-allow, when: { path-prefixes: [/partner/] }, cidrs: "
    "[198.51.100.0/24] }\n"
    "  - { name: sanctions, type: geo-fence, deny-countries: [KP] }\n"
    "  - { name: eu-stays-in-eu, type: geo-fence, when: { countries: [DE, FR, IE] }, "
    "allow-regions: [eu-west-1, eu-central-1] }\n"
    "  - { name: sticky, type: affinity, header: X-Region-Token, ttl: 30m }\n"
    "  - { name: canary, type: weighted, when: { path-prefixes: [/api/v2/] }, weights: { "
    "eu-west-1: 95, eu-central-1: 5 } }\n"
    "  - { name: fastest, type: latency, min-samples: 3 }\n"
    "  - { name: nearest, type: geo-proximity, bias: { eu-central-1: 20 } }\n"
    "  - name: dr\n"
    "    type: failover\n"
    "    chains: { eu-central-1: [eu-west-1, us-east-1], eu-west-1: [eu-central-1] }\n"
    "hedging: { enabled: true, budget: 0.05, percentile: 95, min-delay: 20ms, max-delay: 2s }\n";

template<typename T, typename E> std::optional<E> refusal(const std::variant<T, E> &result)
{
    if (const E *error = std::get_if<E>(&result))
        return *error;
    return std::nullopt;
}

QUrlQuery query(const char *text)
{
    return QUrlQuery(QString::fromLatin1(text));
}

} // namespace

class TestApiTrafficUnit : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void routeQuery()
    {
        auto parsed = parseRouteQuery(query("ip=2001:240::1&tenant=acme-eu&path=/api/v1/goals"));
        QVERIFY(!refusal(parsed));
        const RouteParameters parameters = std::get<RouteParameters>(parsed);
        QCOMPARE(parameters.ip, QStringLiteral("2001:240::1"));
        QCOMPARE(parameters.tenant, QStringLiteral("acme-eu"));
        QCOMPARE(parameters.path, QStringLiteral("/api/v1/goals"));

        for (const char *bad :
             {"", "ip=", "ip=1.2.3", "ip=1.2.3.4%0A", "ip=fe80::1%25eth0", "ip=1.2.3.4&tenant=ab",
              "ip=1.2.3.4&tenant=-abc", "ip=1.2.3.4&tenant=abc-",
              "ip=1.2.3.4&path=", "ip=1.2.3.4&path=x/y", "ip=1.2.3.4&x=1"}) {
            const std::optional<QueryError> error = refusal(parseRouteQuery(query(bad)));
            QVERIFY2(error, bad);
            QCOMPARE(error->parameters.size(), 1);
        }
    }

    void trafficWindow()
    {
        const auto window = [](const char *text) {
            return std::get<std::chrono::seconds>(parseTrafficQuery(query(text)));
        };
        QCOMPARE(window(""), 60s);
        QCOMPARE(window("window=10"), 10s);
        QCOMPARE(window("window=90s"), 90s);
        QCOMPARE(window("window=5m"), 300s);
        for (const char *bad : {"window=9", "window=301s", "window=6m", "window=1h", "window=s",
                                "window=0060s0", "window=+60", "window=60&window=60"}) {
            const std::optional<QueryError> error = refusal(parseTrafficQuery(query(bad)));
            QVERIFY2(error, bad);
            QCOMPARE(error->parameters, QStringList{QStringLiteral("window")});
        }
    }

    void cookies()
    {
        QCOMPARE(cookieValue({"a=1; uc_region=tok.1.x; b=2"}, "uc_region"), QByteArray("tok.1.x"));
        QCOMPARE(cookieValue({"a=1", "uc_region=second"}, "uc_region"), QByteArray("second"));
        QCOMPARE(cookieValue({"uc_region=\"quoted\""}, "uc_region"), QByteArray("quoted"));
        QCOMPARE(cookieValue({"uc_region=first; uc_region=second"}, "uc_region"),
                 QByteArray("first"));
        QVERIFY(!cookieValue({"xuc_region=a; uc_region_x=b"}, "uc_region"));
        QVERIFY(!cookieValue({"uc_region="}, "uc_region"));
        QVERIFY(!cookieValue({"uc_region"}, "uc_region"));
        // Limits: an over-long value is skipped, an over-long header or pairs beyond the 64th are
        // not looked into.
        QCOMPARE(cookieValue({"uc_region=" + QByteArray(257, 'a') + "; uc_region=ok"}, "uc_region"),
                 QByteArray("ok"));
        QVERIFY(!cookieValue({"pad=" + QByteArray(8200, 'p') + "; uc_region=ok"}, "uc_region"));
        QByteArray many;
        for (int i = 0; i < 64; ++i)
            many += "c" + QByteArray::number(i) + "=v; ";
        QVERIFY(!cookieValue({many + "uc_region=late"}, "uc_region"));
    }

    void presentedTokens()
    {
        auto policy = routing::parseTrafficPolicy(kPolicy, RegionCatalog::builtin());
        QVERIFY2(policy.ok(), policy.ok() ? "" : qPrintable(policy.error().message));
        QCOMPARE(presentedAffinityToken(*policy, {{"x-region-token", "tok"}}), QByteArray("tok"));
        // Two headers: ambiguous, none taken. Cookies do not count for a header rule.
        QVERIFY(presentedAffinityToken(*policy, {{"X-Region-Token", "a"}, {"X-Region-Token", "b"}})
                    .isEmpty());
        QVERIFY(presentedAffinityToken(*policy, {{"Cookie", "X-Region-Token=a"}}).isEmpty());
        QVERIFY(
            presentedAffinityToken(*policy, {{"X-Region-Token", QByteArray(300, 'a')}}).isEmpty());
    }

    void issuedTokens()
    {
        routing::RouteAnswer answer;
        answer.affinityCookie = QStringLiteral("uc_region");
        answer.affinityToken = "eu-west-1.1767225600.AbCd_-09";
        answer.affinityMaxAgeSeconds = 1800;
        auto header = affinityHeader(answer);
        QVERIFY(header);
        QCOMPARE(header->first, QByteArray("Set-Cookie"));
        QCOMPARE(header->second, QByteArray("uc_region=eu-west-1.1767225600.AbCd_-09; "
                                            "Max-Age=1800; Path=/; HttpOnly; Secure; "
                                            "SameSite=Lax"));
        answer.affinityCookie.clear();
        answer.affinityHeader = QStringLiteral("X-Region-Token");
        header = affinityHeader(answer);
        QVERIFY(header);
        QCOMPARE(header->first, QByteArray("X-Region-Token"));
        QCOMPARE(header->second, answer.affinityToken);
        // Never a header that could be split or a token that is not one.
        answer.affinityToken = "a\r\nSet-Cookie: x=y";
        QVERIFY(!affinityHeader(answer));
        answer.affinityToken = "ok";
        answer.affinityHeader = QStringLiteral("X Bad");
        QVERIFY(!affinityHeader(answer));
        answer.affinityHeader.clear();
        QVERIFY(!affinityHeader(answer));
    }

    void controlBodies()
    {
        auto parsed =
            parseRegionControl("application/json; charset=utf-8",
                               "{\"reason\": \"  database upgrade  \", \"target\": null}", true);
        QVERIFY(!refusal(parsed));
        QCOMPARE(std::get<RegionControlRequest>(parsed).reason, QStringLiteral("database upgrade"));
        QVERIFY(std::get<RegionControlRequest>(parsed).target.isEmpty());

        const auto field = [](const std::variant<RegionControlRequest, Problem> &result) {
            const std::optional<Problem> problem = refusal(result);
            return problem ? problem->extensions.value(QStringLiteral("field")).toString()
                           : QStringLiteral("(accepted)");
        };
        QCOMPARE(field(parseRegionControl("application/json", "{\"reason\": \"short\"}", false)),
                 QStringLiteral("reason"));
        QCOMPARE(field(parseRegionControl("application/json",
                                          "{\"reason\": \"tab\\tinside the reason\"}", false)),
                 QStringLiteral("reason"));
        QCOMPARE(field(parseRegionControl("application/json",
                                          "{\"reason\": \"database upgrade\", \"target\": \"EU\"}",
                                          true)),
                 QStringLiteral("target"));
        QCOMPARE(
            field(parseRegionControl("text/json", "{\"reason\": \"database upgrade\"}", false)),
            QStringLiteral("Content-Type"));
        const std::optional<Problem> tooLarge = refusal(parseRegionControl(
            "application/json", "{\"reason\": \"" + QByteArray(4100, 'x') + "\"}", false));
        QVERIFY(tooLarge);
        QCOMPARE(tooLarge->status, 413);
        const std::optional<Problem> unknown = refusal(parseRegionControl(
            "application/json", "{\"reason\": \"database upgrade\", \"target\": \"eu-west-1\"}",
            false));
        QVERIFY(unknown);
        QCOMPARE(unknown->extensions.value(QStringLiteral("fields")).toArray(),
                 QJsonArray{QStringLiteral("target")});

        auto weights = parseWeightsRequest("application/json",
                                           "{\"weights\": {\"eu-west-1\": 90, \"eu-central-1\": "
                                           "10}, \"reason\": \"shift the canary\"}");
        QVERIFY(!refusal(weights));
        QCOMPARE(std::get<WeightsRequest>(weights).weights.at(QStringLiteral("eu-west-1")), 90u);
        for (const char *bad :
             {"{\"weights\": {}, \"reason\": \"shift the canary\"}",
              "{\"weights\": [90, 10], \"reason\": \"shift the canary\"}",
              "{\"weights\": {\"Europe\": 90}, \"reason\": \"shift the canary\"}",
              "{\"weights\": {\"eu-west-1\": 1000001}, \"reason\": \"shift the canary\"}",
              "{\"weights\": {\"eu-west-1\": \"90\"}, \"reason\": \"shift the canary\"}",
              "{\"weights\": {\"eu-west-1\": 90}}"}) {
            const std::optional<Problem> problem =
                refusal(parseWeightsRequest("application/json", bad));
            QVERIFY2(problem, bad);
            QCOMPARE(problem->status, 400);
            QVERIFY2(problem->extensions.contains(QStringLiteral("field")), bad);
        }
    }

    void policyAsJson()
    {
        auto policy = routing::parseTrafficPolicy(kPolicy, RegionCatalog::builtin());
        QVERIFY(policy.ok());
        const QJsonObject json = policyJson(*policy);
        QCOMPARE(json.value(QStringLiteral("name")).toString(), QStringLiteral("eu-canary"));
        const QJsonArray rules = json.value(QStringLiteral("rules")).toArray();
        QCOMPARE(rules.size(), 9);
        QCOMPARE(
            rules[0][QStringLiteral("cidrs")].toArray(),
            (QJsonArray{QStringLiteral("203.0.113.0/24"), QStringLiteral("2001:db8:bad::/48")}));
        QCOMPARE(rules[1][QStringLiteral("when")][QStringLiteral("pathPrefixes")].toArray(),
                 QJsonArray{QStringLiteral("/partner/")});
        QCOMPARE(rules[2][QStringLiteral("denyCountries")].toArray(),
                 QJsonArray{QStringLiteral("KP")});
        QVERIFY(rules[2][QStringLiteral("allowRegions")].isNull());
        QCOMPARE(rules[3][QStringLiteral("allowRegions")].toArray(),
                 (QJsonArray{QStringLiteral("eu-west-1"), QStringLiteral("eu-central-1")}));
        QCOMPARE(rules[4][QStringLiteral("header")].toString(), QStringLiteral("x-region-token"));
        QVERIFY(rules[4][QStringLiteral("cookie")].isNull());
        QCOMPARE(rules[4][QStringLiteral("ttlSeconds")].toInt(), 1800);
        QCOMPARE(rules[5][QStringLiteral("weights")][QStringLiteral("eu-west-1")].toInt(), 95);
        QCOMPARE(rules[5][QStringLiteral("hashBy")].toString(), QStringLiteral("client-network"));
        QCOMPARE(rules[6][QStringLiteral("minSamples")].toInt(), 3);
        QCOMPARE(rules[7][QStringLiteral("bias")][QStringLiteral("eu-central-1")].toInt(), 20);
        QCOMPARE(rules[8][QStringLiteral("chains")][QStringLiteral("eu-central-1")].toArray(),
                 (QJsonArray{QStringLiteral("eu-west-1"), QStringLiteral("us-east-1")}));
        QCOMPARE(json[QStringLiteral("hedging")][QStringLiteral("minDelayMs")].toInt(), 20);
        QVERIFY(json.value(QStringLiteral("source")).toString().contains(u"eu-stays-in-eu"));
    }

    void refusalsAndFailures()
    {
        routing::RouteAnswer answer;
        answer.kind = QStringLiteral("denied");
        answer.reason = QStringLiteral("refused by ip-deny rule 'blocked'");
        QCOMPARE(routeRefusal(answer)->slug, QStringLiteral("route-denied"));
        answer.kind = QStringLiteral("unknown-tenant");
        QCOMPARE(routeRefusal(answer)->status, 404);
        answer.kind = QStringLiteral("residency-blocked");
        QCOMPARE(routeRefusal(answer)->slug, QStringLiteral("no-region-available"));
        answer.kind = QStringLiteral("rule");
        QVERIFY(routeRefusal(answer)); // no regions
        answer.regions = QStringList{QStringLiteral("eu-west-1")};
        QVERIFY(!routeRefusal(answer));
        const Problem bad =
            routeRefusal(Error{ErrorCode::InvalidInput, QStringLiteral("tenant: not a slug")});
        QCOMPARE(bad.extensions.value(QStringLiteral("parameters")).toArray(),
                 QJsonArray{QStringLiteral("tenant")});

        // The runtime's and TrafficControls' own messages.
        const auto slug = [](TrafficControl control, ErrorCode code, const char *message,
                             std::optional<routing::RegionOverride> before = std::nullopt) {
            return trafficControlFailure(control, Error{code, QString::fromLatin1(message)}, before)
                .slug;
        };
        routing::RegionOverride failedOver;
        failedOver.failedOver = true;
        QCOMPARE(slug(TrafficControl::Drain, ErrorCode::Conflict,
                      "region eu-west-1 is already drained or failed over"),
                 QStringLiteral("region-already-drained"));
        QCOMPARE(slug(TrafficControl::Drain, ErrorCode::Conflict,
                      "region eu-west-1 is already drained or failed over", failedOver),
                 QStringLiteral("region-already-failed-over"));
        QCOMPARE(slug(TrafficControl::Undrain, ErrorCode::Conflict,
                      "region eu-west-1 is neither drained nor failed over"),
                 QStringLiteral("region-not-drained"));
        QCOMPARE(slug(TrafficControl::Drain, ErrorCode::Conflict,
                      "region af-south-1 is the last region in service; draining it would leave "
                      "no region to route to"),
                 QStringLiteral("last-region"));
        QCOMPARE(slug(TrafficControl::Failover, ErrorCode::Conflict,
                      "region af-south-1 is the last region in service; there is no region to "
                      "fail over to"),
                 QStringLiteral("last-region"));
        QCOMPARE(slug(TrafficControl::Drain, ErrorCode::NotFound,
                      "region: the traffic policy has no region 'x'"),
                 QStringLiteral("region-not-found"));
        QCOMPARE(slug(TrafficControl::SetWeights, ErrorCode::NotFound,
                      "rule: the traffic policy has no rule 'x'"),
                 QStringLiteral("rule-not-found"));
        QCOMPARE(slug(TrafficControl::Drain, ErrorCode::Unavailable,
                      "the audit log could not record traffic.region.drain, so nothing was "
                      "changed: down"),
                 QStringLiteral("audit-unavailable"));
        QCOMPARE(slug(TrafficControl::Drain, ErrorCode::Unavailable, "connection refused"),
                 QStringLiteral("traffic-unavailable"));
        const Problem field = trafficControlFailure(
            TrafficControl::SetWeights,
            Error{ErrorCode::InvalidInput, QStringLiteral("weights.us-east-9: unknown region")},
            std::nullopt);
        QCOMPARE(field.extensions.value(QStringLiteral("field")).toString(),
                 QStringLiteral("weights.us-east-9"));
        // Database text never reaches the answer.
        QVERIFY(!trafficControlFailure(
                     TrafficControl::Drain,
                     Error{ErrorCode::Unavailable, QStringLiteral("host=10.0.0.5 password=...")},
                     std::nullopt)
                     .detail.contains(u"10.0.0.5"));
    }
};

QTEST_GUILESS_MAIN(TestApiTrafficUnit)
#include "test_api_traffic_unit.moc"
