// The pure parts of the routing and traffic-control routes (/api/v1/route, /api/v1/traffic,
// /api/v1/traffic/policy, /api/v1/regions/{id}/drain|undrain|failover|what-if,
// /api/v1/traffic/weights/{rule}), unit-tested directly: query strings and bodies (problems name
// the parameter or field and never repeat a value), the session-affinity cookie or header, the
// JSON of each answer, and how a TrafficRuntime error becomes an answer.
#pragma once

#include "auditquery.h"
#include "httpsupport.h"
#include "upcoach/core/result.h"
#include "upcoach/routing/trafficruntime.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>
#include <chrono>
#include <map>
#include <optional>
#include <variant>
#include <vector>

namespace upcoach::api::detail {

inline constexpr qsizetype kMaxRouteTenantLength = 63;
inline constexpr qsizetype kMaxRoutePathLength = 2048;
inline constexpr qsizetype kMaxRouteIpLength = 64;
// Affinity tokens are "<region>.<expiry>.<22 base64url>": far below this.
inline constexpr qsizetype kMaxAffinityTokenLength = 256;
// Cookie headers beyond these are not looked into (the token is then simply not found).
inline constexpr qsizetype kMaxCookieHeaderBytes = 8 * 1024;
inline constexpr int kMaxCookiePairs = 64;
inline constexpr std::chrono::seconds kDefaultTrafficWindow{60};
inline constexpr std::chrono::seconds kMinTrafficWindow{10};
inline constexpr std::chrono::seconds kMaxTrafficWindow{300};
inline constexpr qint64 kMaxTrafficControlRequestBytes = 4 * 1024;
inline constexpr std::uint32_t kMaxRouteWeight = 1'000'000;

// GET /api/v1/route: ip (required, an IPv4 or IPv6 address), tenant (1..63 characters of a
// slug), path (1..2048 characters starting with '/', no control characters); each at most once.
struct RouteParameters
{
    QString ip; // as given (IpAddress::parse accepted it)
    QString tenant;
    QString path;
};
std::variant<RouteParameters, QueryError> parseRouteQuery(const QUrlQuery &query);

// GET /api/v1/traffic: window as seconds ("60", "60s") or minutes ("5m"), 10 s..300 s,
// default 60 s.
std::variant<std::chrono::seconds, QueryError> parseTrafficQuery(const QUrlQuery &query);

// The value of the first cookie named `name` in the Cookie header(s) (RFC 6265 §5.4 syntax:
// "a=1; b=2"; a DQUOTE-wrapped value is unwrapped). Headers longer than kMaxCookieHeaderBytes,
// pairs beyond kMaxCookiePairs and values longer than kMaxAffinityTokenLength are not read.
std::optional<QByteArray> cookieValue(const QList<QByteArray> &cookieHeaders, QByteArrayView name);
// The affinity token a client presents, by the policy's affinity rules (their cookie, else
// their header; exactly one such header, at most kMaxAffinityTokenLength bytes). Empty: none.
QByteArray presentedAffinityToken(const routing::TrafficPolicy &policy,
                                  const QList<QPair<QByteArray, QByteArray>> &headers);
// The response header that issues or refreshes the client's token: Set-Cookie with
// Max-Age, Path=/, HttpOnly, Secure, SameSite=Lax — or the affinity rule's own header. Nothing
// when the answer carries no token.
std::optional<std::pair<QByteArray, QByteArray>> affinityHeader(const routing::RouteAnswer &answer);

// POST /api/v1/regions/{id}/drain|undrain: {"reason"}; .../failover: {"reason", "target"?}.
struct RegionControlRequest
{
    QString reason;
    QString target; // failover only; empty: the region's failover chain decides
};
std::variant<RegionControlRequest, Problem>
parseRegionControl(const QByteArray &contentType, const QByteArray &body, bool withTarget);

// PUT /api/v1/traffic/weights/{rule}: {"weights": {"<region>": 0..1000000, ...}, "reason"}.
struct WeightsRequest
{
    std::map<QString, std::uint32_t> weights;
    QString reason;
};
std::variant<WeightsRequest, Problem> parseWeightsRequest(const QByteArray &contentType,
                                                          const QByteArray &body);

// The syntax of a region id and of a rule name (the control tables' CHECKs); nothing else is
// repeated in an audit target.
bool isRegionIdSyntax(const QString &text);
bool isRuleNameSyntax(const QString &text);

// {regions, reason, kind, rule, country, failedOverFrom, hedge?, snapshot}.
QJsonObject routeAnswerJson(const routing::RouteAnswer &answer);
// A route() that did not route: 403 route-denied, 404 tenant-not-found, 503 no-region-available,
// 400 naming the parameter.
Problem routeRefusal(const Error &error);
// A RouteAnswer whose kind says it did not route (denied, unknown-tenant, residency-blocked,
// no-region), as the matching problem; nullopt when it routed.
std::optional<Problem> routeRefusal(const routing::RouteAnswer &answer);

// {id, displayName, health, healthDetail, checkLatencyMs, uptimeRatio, healthSince, unavailable,
// override: {state, target, reason, by, at} | null, weights}.
QJsonObject regionTrafficJson(const routing::RegionTrafficStatus &status);
// The active policy: {name, description, version, regions, rules: [{name, kind, when, ...}],
// hedging, source}.
QJsonObject policyJson(const routing::TrafficPolicy &policy);
// GET /api/v1/regions/{id}/what-if: {region, countries: [{code, name, from, to}], tenants:
// [{slug, displayName, from, to}], movingCountries, movingTenants, stranded} — only what would
// move if the region were drained; `to` null where nothing would be left (refused, or a tenant's
// data residency allows no other region).
QJsonObject whatIfJson(const routing::WhatIf &whatIf);

// GET /api/v1/traffic: {windowSeconds, from, to, policy, regions: [regionTrafficJson + requests,
// requestsPerSecond, latencyMs {p50, p95, p99}, errorRate, topEndpoints, topCountries, hedges
// {sent, won, latencySavedMs}], total, flows: [{country, region, requests}], decisions,
// hedgesSent}. Regions in the order `regions` lists them.
QJsonObject trafficJson(std::chrono::seconds window, const routing::TrafficStats::Report &report,
                        const std::vector<routing::RegionTrafficStatus> &regions,
                        const routing::TrafficPolicy &policy,
                        const routing::Router::HedgeCounters &hedges);

// The controls that can be refused (TrafficRuntime::drain, ...).
enum class TrafficControl
{
    Drain,
    Undrain,
    Failover,
    SetWeights,
};

// What a refused or failed control is answered with. `overrideBefore`: the region's override as
// the runtime reported it just before the call (tells "already drained" from "would leave no
// region" when the runtime's message does not).
Problem trafficControlFailure(TrafficControl control, const Error &error,
                              const std::optional<routing::RegionOverride> &overrideBefore);

Problem trafficUnavailable(const QString &detail);
Problem regionNotFound(const QString &regionId);
Problem ruleNotFound(const QString &rule);

} // namespace upcoach::api::detail
