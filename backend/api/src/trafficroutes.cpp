#include "trafficroutes.h"

#include "requestparsing.h"
#include "upcoach/routing/healthcheck.h"
#include "upcoach/routing/ipaddress.h"
#include "upcoach/routing/router.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace upcoach::api::detail {

namespace {

bool hasControlCharacters(const QString &text)
{
    return std::any_of(text.begin(), text.end(), [](QChar c) {
        return c.unicode() < 0x20 || c.unicode() == 0x7f || c == QChar::ReplacementCharacter;
    });
}

// RFC 7230 token characters: what a cookie or header name may be made of.
bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    static constexpr QByteArrayView kSeparators = "()<>@,;:\\\"/[]?={} \t";
    return std::all_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f && !kSeparators.contains(c);
    });
}

// What an affinity token may hold when it goes back into a header: base64url, dots, digits.
bool isSafeTokenValue(QByteArrayView value)
{
    return !value.isEmpty() && value.size() <= kMaxAffinityTokenLength &&
           std::all_of(value.begin(), value.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
           });
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QJsonValue numberOrNull(double value)
{
    return value < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(value);
}

// The body as a JSON object with only `known` fields; sizes and media type first.
std::variant<QJsonObject, Problem> controlBody(const QByteArray &contentType,
                                               const QByteArray &body, const QStringList &known,
                                               const QString &example)
{
    if (body.size() > kMaxTrafficControlRequestBytes)
        return payloadTooLarge(kMaxTrafficControlRequestBytes);
    if (mediaType(contentType) != "application/json")
        return unsupported(QStringLiteral("application/json"));
    auto parsed = jsonObjectBody(body, example);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    if (auto problem = refuseUnknownFields(object, known))
        return *problem;
    return object;
}

// "reason": what TrafficControls accepts (trimmed, 10..500 characters, no control characters);
// checked here as well so a bad reason is refused before any blocking work.
std::optional<Problem> readReason(const QJsonObject &object, QString *reason)
{
    const QString hint = QStringLiteral("say why in %1 to %2 characters")
                             .arg(routing::kMinControlReasonLength)
                             .arg(routing::kMaxControlReasonLength);
    if (!givenNotNull(object, QStringLiteral("reason")))
        return invalidField(QStringLiteral("reason"), QStringLiteral("required; ") + hint);
    if (readString(object, QStringLiteral("reason"), reason))
        return invalidField(QStringLiteral("reason"), QStringLiteral("expected a string; ") + hint);
    const QString trimmed = reason->trimmed();
    if (trimmed.size() < routing::kMinControlReasonLength ||
        trimmed.size() > routing::kMaxControlReasonLength || hasControlCharacters(trimmed))
        return invalidField(QStringLiteral("reason"),
                            hint + QStringLiteral(" (no control characters)"));
    *reason = trimmed;
    return std::nullopt;
}

// "field: what" → "field" (the routing module's errors name their field this way).
QString fieldOf(const QString &message, const QString &fallback)
{
    static const QRegularExpression pattern(QStringLiteral("^([A-Za-z][A-Za-z0-9_.-]{0,80}): "));
    const QRegularExpressionMatch match = pattern.match(message);
    return match.hasMatch() ? match.captured(1) : fallback;
}

QJsonArray codes(const std::vector<routing::CountryCode> &countries)
{
    QJsonArray out;
    for (const routing::CountryCode &code : countries)
        out.append(code.toString());
    return out;
}

QJsonArray texts(const std::vector<std::string> &values)
{
    QJsonArray out;
    for (const std::string &value : values)
        out.append(QString::fromStdString(value));
    return out;
}

QJsonArray regionsOf(const routing::TrafficPolicy &policy, routing::RegionMask mask)
{
    QJsonArray out;
    for (std::size_t i = 0; i < policy.regions.size(); ++i) {
        if (mask & (routing::RegionMask(1) << i))
            out.append(policy.regions[i]);
    }
    return out;
}

QJsonObject ruleJson(const routing::TrafficPolicy &policy, const routing::PolicyRule &rule)
{
    QJsonObject when;
    if (!rule.when.countries.empty())
        when.insert(QStringLiteral("countries"), codes(rule.when.countries));
    if (!rule.when.pathPrefixes.empty())
        when.insert(QStringLiteral("pathPrefixes"), texts(rule.when.pathPrefixes));
    if (!rule.when.tenants.empty())
        when.insert(QStringLiteral("tenants"), texts(rule.when.tenants));
    QJsonObject out{{QStringLiteral("name"), rule.name},
                    {QStringLiteral("kind"), routing::ruleKindName(rule.kind)},
                    {QStringLiteral("when"), when}};
    const std::size_t regionCount =
        std::min<std::size_t>(policy.regions.size(), routing::kMaxRegions);
    switch (rule.kind) {
    case routing::RuleKind::IpAllow:
    case routing::RuleKind::IpDeny: {
        QJsonArray cidrs;
        for (const routing::Cidr &cidr : rule.cidrs)
            cidrs.append(cidr.toString());
        out.insert(QStringLiteral("cidrs"), cidrs);
        break;
    }
    case routing::RuleKind::GeoFence:
        out.insert(QStringLiteral("allowCountries"), codes(rule.allowCountries));
        out.insert(QStringLiteral("denyCountries"), codes(rule.denyCountries));
        out.insert(QStringLiteral("allowRegions"),
                   rule.allowRegions == 0 ? QJsonValue(QJsonValue::Null)
                                          : QJsonValue(regionsOf(policy, rule.allowRegions)));
        break;
    case routing::RuleKind::Affinity:
        out.insert(QStringLiteral("cookie"), textOrNull(rule.cookie));
        out.insert(QStringLiteral("header"), textOrNull(rule.header));
        out.insert(QStringLiteral("ttlSeconds"), qint64(rule.ttl.count()));
        break;
    case routing::RuleKind::Weighted: {
        QJsonObject weights;
        for (std::size_t i = 0; i < regionCount; ++i) {
            if (rule.weights[i] > 0)
                weights.insert(policy.regions[i], qint64(rule.weights[i]));
        }
        out.insert(QStringLiteral("weights"), weights);
        out.insert(QStringLiteral("hashBy"), rule.hashBySession ? QStringLiteral("session")
                                                                : QStringLiteral("client-network"));
        break;
    }
    case routing::RuleKind::Latency:
        out.insert(QStringLiteral("minSamples"), rule.minSamples);
        break;
    case routing::RuleKind::GeoProximity: {
        QJsonObject bias;
        for (std::size_t i = 0; i < regionCount; ++i) {
            if (rule.bias[i] != 0)
                bias.insert(policy.regions[i], rule.bias[i]);
        }
        out.insert(QStringLiteral("bias"), bias);
        break;
    }
    case routing::RuleKind::Failover: {
        QJsonObject chains;
        for (std::size_t i = 0; i < regionCount; ++i) {
            if (rule.chains[i].empty())
                continue;
            QJsonArray chain;
            for (const std::uint8_t next : rule.chains[i]) {
                if (next < policy.regions.size())
                    chain.append(policy.regions[next]);
            }
            chains.insert(policy.regions[i], chain);
        }
        out.insert(QStringLiteral("chains"), chains);
        break;
    }
    }
    return out;
}

QJsonArray rankedJson(const std::vector<std::pair<QString, quint64>> &entries, const QString &key)
{
    QJsonArray out;
    for (const auto &[name, requests] : entries)
        out.append(QJsonObject{{key, name}, {QStringLiteral("requests"), qint64(requests)}});
    return out;
}

QJsonObject regionReportJson(const routing::TrafficStats::RegionReport &report)
{
    return QJsonObject{
        {QStringLiteral("requests"), qint64(report.requests)},
        {QStringLiteral("requestsPerSecond"), report.requestsPerSecond},
        {QStringLiteral("latencyMs"), QJsonObject{{QStringLiteral("p50"), report.p50Ms},
                                                  {QStringLiteral("p95"), report.p95Ms},
                                                  {QStringLiteral("p99"), report.p99Ms}}},
        {QStringLiteral("errorRate"), report.errorRate},
        {QStringLiteral("topEndpoints"),
         rankedJson(report.topEndpoints, QStringLiteral("endpoint"))},
        {QStringLiteral("topCountries"),
         rankedJson(report.topCountries, QStringLiteral("country"))},
        {QStringLiteral("hedges"),
         QJsonObject{{QStringLiteral("sent"), qint64(report.hedgesSent)},
                     {QStringLiteral("won"), qint64(report.hedgesWon)},
                     {QStringLiteral("latencySavedMs"), report.latencySavedMs}}},
    };
}

Problem problem(int status, const char *slug, const char *title, const QString &detail)
{
    return Problem{status, QString::fromLatin1(slug), QString::fromLatin1(title), detail, {}};
}

Problem fieldProblem(int status, const char *slug, const char *title, const QString &detail,
                     const QString &field)
{
    Problem out = problem(status, slug, title, detail);
    out.extensions.insert(QStringLiteral("field"), field);
    return out;
}

} // namespace

std::variant<RouteParameters, QueryError> parseRouteQuery(const QUrlQuery &urlQuery)
{
    static const QStringList known = {QStringLiteral("ip"), QStringLiteral("tenant"),
                                      QStringLiteral("path")};
    auto collected = collectParameters(urlQuery, known);
    if (const QueryError *error = std::get_if<QueryError>(&collected))
        return *error;
    const QHash<QString, QString> values = std::get<QHash<QString, QString>>(collected);

    RouteParameters parameters;
    parameters.ip = values.value(QStringLiteral("ip"));
    if (parameters.ip.isEmpty())
        return refuseParameter(QStringLiteral("ip"),
                               QStringLiteral("required: the client's IPv4 or IPv6 address"));
    if (parameters.ip.size() > kMaxRouteIpLength || !routing::IpAddress::parse(parameters.ip))
        return refuseParameter(QStringLiteral("ip"),
                               QStringLiteral("expected an IPv4 address (203.0.113.7) or an IPv6 "
                                              "address (2001:db8::1), without port or brackets"));
    if (values.contains(QStringLiteral("tenant"))) {
        // The slugs the router knows (TrafficRuntime::route checks the same).
        static const QRegularExpression slug(QStringLiteral("^[a-z][a-z0-9-]{1,61}[a-z0-9]$"));
        parameters.tenant = values.value(QStringLiteral("tenant"));
        if (parameters.tenant.size() > kMaxRouteTenantLength ||
            !slug.match(parameters.tenant).hasMatch())
            return refuseParameter(QStringLiteral("tenant"),
                                   QStringLiteral("expected a tenant slug: 3 to %1 lower-case "
                                                  "letters, digits and hyphens, starting with a "
                                                  "letter")
                                       .arg(kMaxRouteTenantLength));
    }
    if (values.contains(QStringLiteral("path"))) {
        parameters.path = values.value(QStringLiteral("path"));
        if (!parameters.path.startsWith(QLatin1Char('/')) ||
            parameters.path.size() > kMaxRoutePathLength || hasControlCharacters(parameters.path))
            return refuseParameter(QStringLiteral("path"),
                                   QStringLiteral("expected a request path starting with / (at "
                                                  "most %1 characters, no control characters)")
                                       .arg(kMaxRoutePathLength));
    }
    return parameters;
}

std::variant<std::chrono::seconds, QueryError> parseTrafficQuery(const QUrlQuery &urlQuery)
{
    static const QStringList known = {QStringLiteral("window")};
    auto collected = collectParameters(urlQuery, known);
    if (const QueryError *error = std::get_if<QueryError>(&collected))
        return *error;
    const QHash<QString, QString> values = std::get<QHash<QString, QString>>(collected);
    if (!values.contains(QStringLiteral("window")))
        return kDefaultTrafficWindow;
    QString text = values.value(QStringLiteral("window"));
    int unit = 1;
    if (text.endsWith(QLatin1Char('s'))) {
        text.chop(1);
    } else if (text.endsWith(QLatin1Char('m'))) {
        text.chop(1);
        unit = 60;
    }
    const int amount = digitsValue(text, 3);
    const std::chrono::seconds window(qint64(amount) * unit);
    if (amount < 0 || window < kMinTrafficWindow || window > kMaxTrafficWindow)
        return refuseParameter(QStringLiteral("window"),
                               QStringLiteral("expected %1s to %2s, as seconds (60, 60s) or "
                                              "minutes (5m)")
                                   .arg(kMinTrafficWindow.count())
                                   .arg(kMaxTrafficWindow.count()));
    return window;
}

std::optional<QByteArray> cookieValue(const QList<QByteArray> &cookieHeaders, QByteArrayView name)
{
    int pairs = 0;
    for (const QByteArray &header : cookieHeaders) {
        if (header.size() > kMaxCookieHeaderBytes)
            continue;
        for (const QByteArray &pair : header.split(';')) {
            if (++pairs > kMaxCookiePairs)
                return std::nullopt;
            const qsizetype equals = pair.indexOf('=');
            if (equals < 0)
                continue;
            if (pair.left(equals).trimmed() != name)
                continue;
            QByteArray value = pair.mid(equals + 1).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            if (value.isEmpty() || value.size() > kMaxAffinityTokenLength)
                continue;
            return value;
        }
    }
    return std::nullopt;
}

QByteArray presentedAffinityToken(const routing::TrafficPolicy &policy,
                                  const QList<QPair<QByteArray, QByteArray>> &headers)
{
    const QList<QByteArray> cookies = headerValues(headers, "cookie");
    for (const routing::PolicyRule &rule : policy.rules) {
        if (rule.kind != routing::RuleKind::Affinity)
            continue;
        if (!rule.cookie.isEmpty()) {
            if (const auto value = cookieValue(cookies, rule.cookie.toLatin1()))
                return *value;
        } else if (!rule.header.isEmpty()) {
            const QList<QByteArray> values = headerValues(headers, rule.header.toLatin1());
            if (values.size() == 1 && !values.first().isEmpty() &&
                values.first().size() <= kMaxAffinityTokenLength)
                return values.first().trimmed();
        }
    }
    return {};
}

std::optional<std::pair<QByteArray, QByteArray>> affinityHeader(const routing::RouteAnswer &answer)
{
    if (!isSafeTokenValue(answer.affinityToken))
        return std::nullopt;
    if (!answer.affinityCookie.isEmpty()) {
        const QByteArray name = answer.affinityCookie.toLatin1();
        if (!isToken(name))
            return std::nullopt;
        return std::pair{QByteArrayLiteral("Set-Cookie"),
                         name + '=' + answer.affinityToken + "; Max-Age=" +
                             QByteArray::number(std::max(0, answer.affinityMaxAgeSeconds)) +
                             "; Path=/; HttpOnly; Secure; SameSite=Lax"};
    }
    if (!answer.affinityHeader.isEmpty()) {
        const QByteArray name = answer.affinityHeader.toLatin1();
        if (!isToken(name))
            return std::nullopt;
        return std::pair{name, answer.affinityToken};
    }
    return std::nullopt;
}

std::variant<RegionControlRequest, Problem>
parseRegionControl(const QByteArray &contentType, const QByteArray &body, bool withTarget)
{
    QStringList known{QStringLiteral("reason")};
    if (withTarget)
        known.append(QStringLiteral("target"));
    auto parsed = controlBody(contentType, body, known,
                              withTarget ? QStringLiteral("{\"reason\": \"...\", \"target\": "
                                                          "\"eu-west-1\"}")
                                         : QStringLiteral("{\"reason\": \"...\"}"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    RegionControlRequest request;
    if (auto problem = readReason(object, &request.reason))
        return *problem;
    if (withTarget && givenNotNull(object, QStringLiteral("target"))) {
        if (readString(object, QStringLiteral("target"), &request.target) ||
            !isRegionIdSyntax(request.target))
            return invalidField(QStringLiteral("target"),
                                QStringLiteral("expected a region id such as eu-west-1, or null "
                                               "for the region's failover chain"));
    }
    return request;
}

std::variant<WeightsRequest, Problem> parseWeightsRequest(const QByteArray &contentType,
                                                          const QByteArray &body)
{
    auto parsed =
        controlBody(contentType, body, {QStringLiteral("weights"), QStringLiteral("reason")},
                    QStringLiteral("{\"weights\": {\"us-east-1\": 90, \"us-west-2\": "
                                   "10}, \"reason\": \"...\"}"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    WeightsRequest request;
    const QJsonValue weights = object.value(QStringLiteral("weights"));
    if (!weights.isObject() || weights.toObject().isEmpty())
        return invalidField(QStringLiteral("weights"),
                            QStringLiteral("expected an object of region id to weight, such as "
                                           "{\"us-east-1\": 90, \"us-west-2\": 10}"));
    const QJsonObject map = weights.toObject();
    if (map.size() > routing::kMaxRegions)
        return invalidField(QStringLiteral("weights"),
                            QStringLiteral("at most %1 regions").arg(routing::kMaxRegions));
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!isRegionIdSyntax(it.key()))
            return invalidField(QStringLiteral("weights"),
                                QStringLiteral("%1 is not a region id such as us-east-1")
                                    .arg(printableName(it.key())));
        const QString field = QStringLiteral("weights.") + it.key();
        const double value = it.value().toDouble(-1);
        if (!it.value().isDouble() || value < 0 || value > kMaxRouteWeight ||
            value != std::floor(value))
            return invalidField(
                field, QStringLiteral("expected a whole number from 0 to %1").arg(kMaxRouteWeight));
        request.weights[it.key()] = static_cast<std::uint32_t>(value);
    }
    if (auto problem = readReason(object, &request.reason))
        return *problem;
    return request;
}

bool isRegionIdSyntax(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z]{2}-[a-z]+-[0-9]{1,2}$"));
    return text.size() <= 32 && pattern.match(text).hasMatch();
}

bool isRuleNameSyntax(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9-]{0,62}$"));
    return pattern.match(text).hasMatch();
}

QJsonObject routeAnswerJson(const routing::RouteAnswer &answer)
{
    QJsonObject out{{QStringLiteral("regions"), QJsonArray::fromStringList(answer.regions)},
                    {QStringLiteral("reason"), answer.reason},
                    {QStringLiteral("kind"), answer.kind},
                    {QStringLiteral("rule"), textOrNull(answer.rule)},
                    {QStringLiteral("country"), textOrNull(answer.country)},
                    {QStringLiteral("failedOverFrom"), textOrNull(answer.failedOverFrom)},
                    {QStringLiteral("snapshot"), qint64(answer.snapshotGeneration)}};
    if (!answer.hedgeRegion.isEmpty())
        out.insert(QStringLiteral("hedge"),
                   QJsonObject{{QStringLiteral("region"), answer.hedgeRegion},
                               {QStringLiteral("afterMs"), answer.hedgeAfterMs}});
    return out;
}

Problem routeRefusal(const Error &error)
{
    const QString detail = boundedDetail(error.message);
    switch (error.code) {
    case ErrorCode::Forbidden:
    case ErrorCode::Unauthorized:
        return problem(403, "route-denied", "Route denied", detail);
    case ErrorCode::NotFound:
        return fieldProblem(404, "tenant-not-found", "Tenant not found", detail,
                            QStringLiteral("tenant"));
    case ErrorCode::Unavailable:
    case ErrorCode::Conflict:
        return problem(503, "no-region-available", "No region available", detail);
    case ErrorCode::InvalidInput: {
        const QString parameter = fieldOf(error.message, QStringLiteral("ip"));
        Problem out = badRequest(detail);
        out.extensions.insert(QStringLiteral("parameters"), QJsonArray{parameter});
        return out;
    }
    case ErrorCode::Config:
    case ErrorCode::Internal:
        break;
    }
    return internalError();
}

std::optional<Problem> routeRefusal(const routing::RouteAnswer &answer)
{
    if (answer.kind == QLatin1String("denied"))
        return routeRefusal(Error{ErrorCode::Forbidden, answer.reason});
    if (answer.kind == QLatin1String("unknown-tenant"))
        return routeRefusal(Error{ErrorCode::NotFound, answer.reason});
    if (answer.kind == QLatin1String("residency-blocked") ||
        answer.kind == QLatin1String("no-region") || answer.regions.isEmpty())
        return routeRefusal(
            Error{ErrorCode::Unavailable, answer.reason.isEmpty()
                                              ? QStringLiteral("no region can serve this client")
                                              : answer.reason});
    return std::nullopt;
}

QJsonObject regionTrafficJson(const routing::RegionTrafficStatus &status)
{
    QJsonValue override(QJsonValue::Null);
    if (status.override) {
        const routing::RegionOverride &o = *status.override;
        override = QJsonObject{
            {QStringLiteral("state"),
             o.failedOver ? QStringLiteral("failed-over") : QStringLiteral("drained")},
            {QStringLiteral("target"), textOrNull(o.failoverTarget)},
            {QStringLiteral("reason"), o.reason},
            {QStringLiteral("by"), o.changedBy},
            {QStringLiteral("at"), timeOrNull(o.changedAt)},
        };
    }
    QJsonObject weights;
    for (const auto &[rule, weight] : status.weights)
        weights.insert(rule, qint64(weight));
    return QJsonObject{
        {QStringLiteral("id"), status.regionId},
        {QStringLiteral("displayName"), status.displayName},
        {QStringLiteral("health"), routing::checkStateName(status.health)},
        {QStringLiteral("healthDetail"), textOrNull(status.healthDetail)},
        {QStringLiteral("checkLatencyMs"), numberOrNull(status.checkLatencyMs)},
        {QStringLiteral("uptimeRatio"), numberOrNull(status.uptimeRatio)},
        {QStringLiteral("healthSince"), timeOrNull(status.healthSince)},
        {QStringLiteral("unavailable"),
         textOrNull(routing::unavailabilityName(status.unavailable))},
        {QStringLiteral("override"), override},
        {QStringLiteral("weights"), weights},
    };
}

QJsonObject whatIfJson(const routing::WhatIf &whatIf)
{
    const auto destination = [](const QString &to) {
        return to.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(to);
    };
    int stranded = 0;
    QJsonArray countries;
    for (const routing::WhatIfCountry &country : whatIf.countries) {
        stranded += country.to.isEmpty();
        countries.append(QJsonObject{{QStringLiteral("code"), country.code},
                                     {QStringLiteral("name"), country.name},
                                     {QStringLiteral("from"), country.from},
                                     {QStringLiteral("to"), destination(country.to)}});
    }
    QJsonArray tenants;
    for (const routing::WhatIfTenant &tenant : whatIf.tenants) {
        stranded += tenant.to.isEmpty();
        tenants.append(QJsonObject{{QStringLiteral("slug"), tenant.slug},
                                   {QStringLiteral("displayName"), tenant.displayName},
                                   {QStringLiteral("from"), tenant.from},
                                   {QStringLiteral("to"), destination(tenant.to)}});
    }
    return {{QStringLiteral("region"), whatIf.regionId},
            {QStringLiteral("countries"), countries},
            {QStringLiteral("tenants"), tenants},
            {QStringLiteral("movingCountries"), int(whatIf.countries.size())},
            {QStringLiteral("movingTenants"), int(whatIf.tenants.size())},
            {QStringLiteral("stranded"), stranded}};
}

QJsonObject policyJson(const routing::TrafficPolicy &policy)
{
    QJsonArray rules;
    for (const routing::PolicyRule &rule : policy.rules)
        rules.append(ruleJson(policy, rule));
    QJsonArray regions;
    for (const QString &region : policy.regions)
        regions.append(region);
    const routing::HedgingPolicy &hedging = policy.hedging;
    return QJsonObject{
        {QStringLiteral("name"), policy.name},
        {QStringLiteral("description"), policy.description},
        {QStringLiteral("version"), policy.version},
        {QStringLiteral("regions"), regions},
        {QStringLiteral("rules"), rules},
        {QStringLiteral("hedging"),
         QJsonObject{{QStringLiteral("enabled"), hedging.enabled},
                     {QStringLiteral("budget"), hedging.budget},
                     {QStringLiteral("percentile"), hedging.percentile},
                     {QStringLiteral("minDelayMs"), qint64(hedging.minDelay.count())},
                     {QStringLiteral("maxDelayMs"), qint64(hedging.maxDelay.count())}}},
        {QStringLiteral("source"), QString::fromUtf8(policy.source)},
    };
}

QJsonObject trafficJson(std::chrono::seconds window, const routing::TrafficStats::Report &report,
                        const std::vector<routing::RegionTrafficStatus> &regions,
                        const routing::TrafficPolicy &policy,
                        const routing::Router::HedgeCounters &hedges)
{
    const auto regionId = [&](int index) {
        return index >= 0 && std::size_t(index) < policy.regions.size()
                   ? policy.regions[std::size_t(index)]
                   : QString();
    };
    QJsonArray regionList;
    for (const routing::RegionTrafficStatus &status : regions) {
        QJsonObject region = regionTrafficJson(status);
        const int index = policy.regionIndex(status.regionId);
        const auto found = std::find_if(
            report.regions.begin(), report.regions.end(),
            [index](const routing::TrafficStats::RegionReport &r) { return r.region == index; });
        const routing::TrafficStats::RegionReport empty;
        const QJsonObject traffic =
            regionReportJson(index >= 0 && found != report.regions.end() ? *found : empty);
        for (auto it = traffic.begin(); it != traffic.end(); ++it)
            region.insert(it.key(), it.value());
        regionList.append(region);
    }
    QJsonArray flows;
    for (const routing::TrafficStats::Flow &flow : report.flows) {
        flows.append(
            QJsonObject{{QStringLiteral("country"),
                         textOrNull(flow.country.valid() ? flow.country.toString() : QString())},
                        {QStringLiteral("region"), textOrNull(regionId(flow.region))},
                        {QStringLiteral("requests"), qint64(flow.requests)}});
    }
    return QJsonObject{
        {QStringLiteral("windowSeconds"), qint64(window.count())},
        {QStringLiteral("from"), timeOrNull(report.from)},
        {QStringLiteral("to"), timeOrNull(report.to)},
        {QStringLiteral("policy"), policy.name},
        {QStringLiteral("regions"), regionList},
        {QStringLiteral("total"), regionReportJson(report.total)},
        {QStringLiteral("flows"), flows},
        {QStringLiteral("decisions"), qint64(hedges.decisions)},
        {QStringLiteral("hedgesSent"), qint64(hedges.hedgesSent)},
    };
}

Problem trafficControlFailure(TrafficControl control, const Error &error,
                              const std::optional<routing::RegionOverride> &overrideBefore)
{
    const QString detail = boundedDetail(error.message);
    switch (error.code) {
    case ErrorCode::InvalidInput: {
        const QString field = fieldOf(error.message, control == TrafficControl::SetWeights
                                                         ? QStringLiteral("weights")
                                                         : QStringLiteral("reason"));
        Problem out = badRequest(detail);
        out.extensions.insert(QStringLiteral("field"), field);
        return out;
    }
    case ErrorCode::NotFound:
        return control == TrafficControl::SetWeights
                   ? fieldProblem(404, "rule-not-found", "Rule not found", detail,
                                  fieldOf(error.message, QStringLiteral("rule")))
                   : fieldProblem(404, "region-not-found", "Region not found", detail,
                                  fieldOf(error.message, QStringLiteral("region")));
    case ErrorCode::Conflict: {
        const QString lower = error.message.toLower();
        if (lower.contains(QLatin1String("last region")) ||
            lower.contains(QLatin1String("leave no region")))
            return problem(409, "last-region", "Last region", detail);
        if (control == TrafficControl::Undrain)
            return problem(409, "region-not-drained", "Region not drained", detail);
        if (control == TrafficControl::Drain || control == TrafficControl::Failover) {
            if (overrideBefore && overrideBefore->failedOver)
                return problem(409, "region-already-failed-over", "Region already failed over",
                               detail);
            return problem(409, "region-already-drained", "Region already drained", detail);
        }
        return problem(409, "traffic-control-conflict", "Traffic control conflict", detail);
    }
    case ErrorCode::Unavailable:
        if (error.message.startsWith(QLatin1String("the audit log")))
            return auditUnavailable(QStringLiteral("the audit log did not record the change, so "
                                                   "nothing was changed; retry shortly"));
        if (error.message.contains(QLatin1String("this instance has neither")))
            return trafficUnavailable(QStringLiteral("this server's traffic layer has no "
                                                     "control-plane database or audit log, so "
                                                     "its controls are off"));
        return trafficUnavailable(QStringLiteral("the traffic controls did not answer (control "
                                                 "plane database); retry shortly"));
    case ErrorCode::Unauthorized:
    case ErrorCode::Forbidden:
    case ErrorCode::Config:
    case ErrorCode::Internal:
        break;
    }
    return internalError();
}

Problem trafficUnavailable(const QString &detail)
{
    return problem(503, "traffic-unavailable", "Traffic layer unavailable", detail);
}

Problem regionNotFound(const QString &regionId)
{
    return fieldProblem(
        404, "region-not-found", "Region not found",
        QStringLiteral("region: the traffic policy has no region %1").arg(printableName(regionId)),
        QStringLiteral("region"));
}

Problem ruleNotFound(const QString &rule)
{
    return fieldProblem(
        404, "rule-not-found", "Rule not found",
        QStringLiteral("rule: the traffic policy has no rule %1").arg(printableName(rule)),
        QStringLiteral("rule"));
}

} // namespace upcoach::api::detail
