// The routing and traffic-control routes over routing::TrafficRuntime (README.md, "Routing and
// traffic routes").
//
// Reads (route, traffic, policy) answer from the runtime's published state; route() is a lookup
// in the current snapshot and runs on the event loop, the analytics report merges up to five
// minutes of histograms and runs on a worker. The controls block (control-plane database, audit
// log) and run on the worker pool. TrafficControls records its own events (traffic.region.drain,
// .undrain, .failover, traffic.weights.set; target region:<id> / rule:<name>) before it changes
// anything, with the request's actor, source address and request id; the API adds a failure
// event only for requests the runtime refused before recording.
#include "requestparsing.h"
#include "serverprivate.h"
#include "trafficroutes.h"
#include "upcoach/routing/trafficruntime.h"

#include <QJsonArray>
#include <QUrlQuery>

namespace upcoach::api {

using namespace detail;

namespace {

Problem trafficNotConfigured()
{
    return trafficUnavailable(QStringLiteral("this server has no traffic layer configured"));
}

Problem trafficNotStarted()
{
    return trafficUnavailable(
        QStringLiteral("the traffic layer has not loaded its policy yet; retry shortly"));
}

std::optional<routing::RegionTrafficStatus> regionStatus(const routing::TrafficRuntime &runtime,
                                                         const QString &regionId)
{
    for (routing::RegionTrafficStatus &status : runtime.regions()) {
        if (status.regionId == regionId)
            return std::move(status);
    }
    return std::nullopt;
}

// TrafficControls refuses most requests before it records anything; these conflicts are found
// by the change itself, after its event (and its correction) were recorded.
bool recordedByRuntime(const Error &error)
{
    if (error.code != ErrorCode::Conflict)
        return false;
    return error.message.contains(QLatin1String("meanwhile")) ||
           error.message.contains(QLatin1String("undrain it first"));
}

} // namespace

bool ApiServer::Private::trafficAvailable(const RequestPtr &request)
{
    if (!deps.traffic) {
        finish(request, problemAnswer(trafficNotConfigured()));
        return false;
    }
    if (!deps.traffic->policy()) {
        finish(request, problemAnswer(trafficNotStarted()));
        return false;
    }
    if (isStateChanging(request->method) && !deps.audit) {
        finish(request, problemAnswer(auditUnavailable(
                            QStringLiteral("this server has no audit log configured; changes "
                                           "cannot be made without one"))));
        return false;
    }
    return true;
}

// ---- GET /api/v1/route ----

void ApiServer::Private::routeClient(const RequestPtr &request)
{
    if (!trafficAvailable(request))
        return;
    auto parsed = parseRouteQuery(QUrlQuery(request->url));
    if (const QueryError *error = std::get_if<QueryError>(&parsed))
        return finish(request, problemAnswer(queryProblem(*error)));
    const RouteParameters parameters = std::get<RouteParameters>(parsed);
    const std::shared_ptr<const routing::TrafficPolicy> policy = deps.traffic->policy();

    routing::RouteQuery query;
    query.ip = parameters.ip;
    query.tenant = parameters.tenant;
    query.path = parameters.path;
    query.affinityToken = presentedAffinityToken(*policy, request->headers);
    const Result<routing::RouteAnswer> answer = deps.traffic->route(query);
    if (!answer) {
        const Problem problem = routeRefusal(answer.error());
        if (problem.status >= 500 && problem.slug != QLatin1String("no-region-available"))
            qCWarning(lcApi).noquote() << "route lookup failed:" << answer.error().message;
        return finish(request, problemAnswer(problem));
    }
    if (const std::optional<Problem> refused = routeRefusal(answer.value()))
        return finish(request, problemAnswer(*refused));
    Answer response = jsonAnswer(routeAnswerJson(answer.value()));
    if (const auto header = affinityHeader(answer.value()))
        response.headers.push_back(*header);
    finish(request, response);
}

// ---- GET /api/v1/traffic ----

void ApiServer::Private::trafficReport(const RequestPtr &request)
{
    if (!trafficAvailable(request))
        return;
    auto parsed = parseTrafficQuery(QUrlQuery(request->url));
    if (const QueryError *error = std::get_if<QueryError>(&parsed))
        return finish(request, problemAnswer(queryProblem(*error)));
    const std::chrono::seconds window = std::get<std::chrono::seconds>(parsed);
    routing::TrafficRuntime *runtime = deps.traffic;
    blocking(
        request,
        [runtime, window] {
            const std::shared_ptr<const routing::TrafficPolicy> policy = runtime->policy();
            return trafficJson(window, runtime->traffic(window), runtime->regions(), *policy,
                               runtime->hedgeCounters());
        },
        [this, request](const QJsonObject &body) { finish(request, jsonAnswer(body)); });
}

// ---- GET /api/v1/traffic/policy ----

void ApiServer::Private::trafficPolicy(const RequestPtr &request)
{
    if (!trafficAvailable(request))
        return;
    auto parameters = collectParameters(QUrlQuery(request->url), {});
    if (const QueryError *error = std::get_if<QueryError>(&parameters))
        return finish(request, problemAnswer(queryProblem(*error)));
    finish(request, jsonAnswer(policyJson(*deps.traffic->policy())));
}

// ---- POST /api/v1/regions/{id}/drain|undrain|failover ----

void ApiServer::Private::regionControl(const RequestPtr &request, TrafficControl control)
{
    if (!trafficAvailable(request))
        return;
    const QString regionId = request->parameter;
    if (!isRegionIdSyntax(regionId) || deps.traffic->policy()->regionIndex(regionId) < 0)
        return finishFailed(request, regionNotFound(regionId));
    auto parsed = parseRegionControl(request->contentType, request->body,
                                     control == TrafficControl::Failover);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishFailed(request, *problem);
    const RegionControlRequest wanted = std::get<RegionControlRequest>(parsed);
    routing::TrafficRuntime *runtime = deps.traffic;
    const compliance::ActorContext actor = tenantActor(*request);
    std::optional<routing::RegionOverride> before;
    if (const auto status = regionStatus(*runtime, regionId))
        before = status->override;
    blocking(
        request,
        [runtime, control, regionId, wanted, actor]() -> Status {
            switch (control) {
            case TrafficControl::Drain:
                return runtime->drain(regionId, wanted.reason, actor);
            case TrafficControl::Undrain:
                return runtime->undrain(regionId, wanted.reason, actor);
            case TrafficControl::Failover:
                return runtime->failover(regionId, wanted.target, wanted.reason, actor);
            case TrafficControl::SetWeights:
                break;
            }
            return makeError(ErrorCode::Internal, QStringLiteral("not a region control"));
        },
        [this, request, control, regionId, before](const Status &done) {
            if (!done)
                return answerControlFailure(request, control, done.error(), before);
            const std::optional<routing::RegionTrafficStatus> status =
                regionStatus(*deps.traffic, regionId);
            if (!status)
                return finish(request, problemAnswer(internalError()));
            finish(request, jsonAnswer(regionTrafficJson(*status)));
        });
}

// ---- GET /api/v1/regions/{id}/what-if ----

void ApiServer::Private::regionWhatIf(const RequestPtr &request)
{
    if (!trafficAvailable(request))
        return;
    const QString regionId = request->parameter;
    if (!isRegionIdSyntax(regionId) || deps.traffic->policy()->regionIndex(regionId) < 0)
        return finish(request, problemAnswer(regionNotFound(regionId)));
    auto parameters = collectParameters(QUrlQuery(request->url), {});
    if (const QueryError *error = std::get_if<QueryError>(&parameters))
        return finish(request, problemAnswer(queryProblem(*error)));
    routing::TrafficRuntime *runtime = deps.traffic;
    // Blocking: the tenants' residency comes from the registry.
    blocking(
        request, [runtime, regionId] { return runtime->whatIf(regionId); },
        [this, request](const Result<routing::WhatIf> &whatIf) {
            if (!whatIf)
                return finish(request,
                              problemAnswer(whatIf.error().code == ErrorCode::Unavailable
                                                ? trafficUnavailable(whatIf.error().message)
                                                : internalError()));
            finish(request, jsonAnswer(whatIfJson(whatIf.value())));
        });
}

// ---- PUT /api/v1/traffic/weights/{rule} ----

void ApiServer::Private::setTrafficWeights(const RequestPtr &request)
{
    if (!trafficAvailable(request))
        return;
    const QString rule = request->parameter;
    if (!isRuleNameSyntax(rule) || !deps.traffic->policy()->rule(rule))
        return finishFailed(request, ruleNotFound(rule));
    auto parsed = parseWeightsRequest(request->contentType, request->body);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishFailed(request, *problem);
    const WeightsRequest wanted = std::get<WeightsRequest>(parsed);
    routing::TrafficRuntime *runtime = deps.traffic;
    const compliance::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [runtime, rule, wanted, actor] {
            return runtime->setWeights(rule, wanted.weights, wanted.reason, actor);
        },
        [this, request, rule, wanted](const Status &done) {
            if (!done)
                return answerControlFailure(request, TrafficControl::SetWeights, done.error(),
                                            std::nullopt);
            QJsonObject weights;
            for (const auto &[region, weight] : wanted.weights)
                weights.insert(region, qint64(weight));
            finish(request, jsonAnswer(QJsonObject{{QStringLiteral("rule"), rule},
                                                   {QStringLiteral("weights"), weights},
                                                   {QStringLiteral("reason"), wanted.reason}}));
        });
}

void ApiServer::Private::answerControlFailure(
    const RequestPtr &request, TrafficControl control, const Error &error,
    const std::optional<routing::RegionOverride> &overrideBefore)
{
    const Problem problem = trafficControlFailure(control, error, overrideBefore);
    if (problem.status >= 500)
        qCWarning(lcApi).noquote() << request->route->pattern << "failed:" << error.message;
    if (problem.status >= 400 && problem.status < 500 && !recordedByRuntime(error))
        return finishFailed(request, problem);
    finish(request, problemAnswer(problem));
}

} // namespace upcoach::api
