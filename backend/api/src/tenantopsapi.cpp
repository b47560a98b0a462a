// The tenant operations routes below /api/v1/tenants/{slug}: usage against limits, users,
// impersonations and data keys (README.md, "Tenant operations routes").
//
// Like the tenant routes, the domain records its own events, record first and then change, with
// the request's token, source address and request id (tenant.user.add, tenant.impersonation.start
// and .end, tenant.impersonation.view for the overview, tenant.key.rotate); the API adds a
// failure event only for changes the domain refused before recording anything. Every domain call
// blocks, so it runs on the tenant worker threads.
#include "auditquery.h"
#include "requestparsing.h"
#include "serverprivate.h"
#include "tenantopsroutes.h"
#include "upcoach/tenancy/impersonation.h"
#include "upcoach/tenancy/keyrotation.h"
#include "upcoach/tenancy/tenantusers.h"
#include "upcoach/tenancy/usage.h"

#include <QJsonArray>
#include <QUrlQuery>

namespace upcoach::api {

using namespace detail;

namespace {

// What a domain call on a worker produced, for the event loop to answer.
template<typename T> struct OpsOutcome
{
    std::optional<T> value;         // success
    std::optional<Error> error;     // the domain refused or failed (tenantOpsFailure)
    std::optional<Problem> problem; // decided on the worker, before any domain change
};

template<typename T> OpsOutcome<T> outcomeOf(Result<T> result)
{
    OpsOutcome<T> outcome;
    if (result)
        outcome.value = std::move(result).value();
    else
        outcome.error = result.error();
    return outcome;
}

template<typename T> OpsOutcome<T> refusedWith(const Problem &problem)
{
    OpsOutcome<T> outcome;
    outcome.problem = problem;
    return outcome;
}

// The impersonation when it belongs to the tenant in the path. Another tenant's id gets the
// same 404 as an unknown one, so a tenant's routes reveal nothing about other tenants.
OpsOutcome<tenancy::Impersonation> impersonationOf(tenancy::ImpersonationService &service,
                                                   const QString &slug, const QUuid &id)
{
    Result<tenancy::Impersonation> found = service.get(id);
    if (!found && found.error().code == ErrorCode::NotFound)
        return refusedWith<tenancy::Impersonation>(impersonationNotFound());
    if (found && found->tenantSlug != slug)
        return refusedWith<tenancy::Impersonation>(impersonationNotFound());
    return outcomeOf(std::move(found));
}

Problem operationsNotConfigured()
{
    return tenancyUnavailable(QStringLiteral("this server has no tenant operations (users, usage, "
                                             "impersonation, keys) configured"));
}

Problem auditLogNotConfigured()
{
    return auditUnavailable(QStringLiteral("this server has no audit log configured; changes "
                                           "cannot be made without one"));
}

} // namespace

bool ApiServer::Private::operationsAvailable(const RequestPtr &request, const void *service)
{
    if (!service) {
        finish(request, problemAnswer(operationsNotConfigured()));
        return false;
    }
    if (isStateChanging(request->method) && !deps.audit) {
        finish(request, problemAnswer(auditLogNotConfigured()));
        return false;
    }
    return true;
}

std::optional<QUuid> ApiServer::Private::pathImpersonationId(const RequestPtr &request)
{
    if (const std::optional<QString> id = parseUuid(request->parameters.value(1)))
        return QUuid::fromString(*id);
    if (isStateChanging(request->method))
        finishTenantFailed(request, invalidImpersonationIdInPath());
    else
        finish(request, problemAnswer(invalidImpersonationIdInPath()));
    return std::nullopt;
}

void ApiServer::Private::answerOperationFailure(const RequestPtr &request,
                                                TenantOpsOperation operation,
                                                const std::optional<Error> &error,
                                                const std::optional<Problem> &problem,
                                                const QString &slug)
{
    Problem answer = internalError();
    bool recordedByDomain = true;
    if (problem) {
        answer = *problem;
        recordedByDomain = false;
    } else if (error) {
        const RegistryFailure failure = tenantOpsFailure(operation, *error);
        answer = failure.problem;
        recordedByDomain = failure.recordedByRegistry;
        if (answer.status >= 500)
            qCWarning(lcApi).noquote() << request->route->pattern << "failed:" << error->message;
    }
    if (isStateChanging(request->method) && !recordedByDomain && answer.status >= 400 &&
        answer.status < 500)
        return finishTenantFailed(request, answer, slug);
    finish(request, problemAnswer(answer));
}

// ---- GET /api/v1/tenants/{slug}/usage ----

void ApiServer::Private::tenantUsage(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.tenantQuota))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto parsed = parseUsageQuery(QUrlQuery(request->url));
    if (const QueryError *error = std::get_if<QueryError>(&parsed))
        return finish(request, problemAnswer(queryProblem(*error)));
    const bool fresh = std::get<bool>(parsed);
    tenancy::TenantQuota *quota = deps.tenantQuota;
    blocking(
        request, [quota, slug = *slug, fresh] { return outcomeOf(quota->report(slug, fresh)); },
        [this, request, slug = *slug](const OpsOutcome<QJsonObject> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::Read, outcome.error,
                                              outcome.problem, slug);
            finish(request, jsonAnswer(*outcome.value));
        },
        &tenantWorkers);
}

// ---- GET /api/v1/tenants/{slug}/users ----

void ApiServer::Private::listTenantUsers(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.tenantUsers))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto parsed = parseTenantUserQuery(QUrlQuery(request->url));
    if (const QueryError *error = std::get_if<QueryError>(&parsed))
        return finish(request, problemAnswer(queryProblem(*error)));
    const tenancy::TenantUserQuery query = std::get<tenancy::TenantUserQuery>(parsed);
    tenancy::TenantUsers *users = deps.tenantUsers;
    blocking(
        request, [users, slug = *slug, query] { return outcomeOf(users->list(slug, query)); },
        [this, request, slug = *slug, query](const OpsOutcome<tenancy::TenantUserPage> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::Read, outcome.error,
                                              outcome.problem, slug);
            QJsonArray list;
            for (const tenancy::TenantUser &user : outcome.value->users)
                list.append(tenantUserJson(user));
            finish(request, jsonAnswer(QJsonObject{{QStringLiteral("users"), list},
                                                   {QStringLiteral("total"), outcome.value->total},
                                                   {QStringLiteral("offset"), query.offset},
                                                   {QStringLiteral("limit"), query.limit}}));
        },
        &tenantWorkers);
}

// ---- POST /api/v1/tenants/{slug}/users ----

void ApiServer::Private::addTenantUser(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.tenantUsers))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto parsed = parseNewTenantUser(request->contentType, request->body,
                                     limits.maxTenantOperationRequestBytes);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishTenantFailed(request, *problem);
    const tenancy::NewTenantUser user = std::get<tenancy::NewTenantUser>(parsed);
    tenancy::TenantUsers *users = deps.tenantUsers;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [users, slug = *slug, user, actor] { return outcomeOf(users->add(slug, user, actor)); },
        [this, request, slug = *slug](const OpsOutcome<tenancy::TenantUser> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::AddUser, outcome.error,
                                              outcome.problem, slug);
            finish(request, jsonAnswer(tenantUserJson(*outcome.value), 201));
        },
        &tenantWorkers);
}

// ---- POST /api/v1/tenants/{slug}/impersonations ----

void ApiServer::Private::startImpersonation(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.impersonations))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto parsed = parseImpersonationRequest(request->contentType, request->body,
                                            limits.maxTenantOperationRequestBytes);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishTenantFailed(request, *problem);
    tenancy::ImpersonationRequest wanted = std::get<tenancy::ImpersonationRequest>(parsed);
    wanted.tenantSlug = *slug;
    tenancy::ImpersonationService *service = deps.impersonations;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request, [service, wanted, actor] { return outcomeOf(service->start(wanted, actor)); },
        [this, request, slug = *slug](const OpsOutcome<tenancy::Impersonation> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::StartImpersonation,
                                              outcome.error, outcome.problem, slug);
            Answer answer = jsonAnswer(impersonationJson(*outcome.value, deps.clock->now()), 201);
            answer.headers.emplace_back(
                QByteArrayLiteral("Location"),
                QStringLiteral("/api/v1/tenants/%1/impersonations/%2")
                    .arg(slug, outcome.value->id.toString(QUuid::WithoutBraces))
                    .toLatin1());
            finish(request, answer);
        },
        &tenantWorkers);
}

// ---- GET /api/v1/tenants/{slug}/impersonations ----

void ApiServer::Private::listImpersonations(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.impersonations))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto parsed = parseImpersonationListQuery(QUrlQuery(request->url));
    if (const QueryError *error = std::get_if<QueryError>(&parsed))
        return finish(request, problemAnswer(queryProblem(*error)));
    const ImpersonationListQuery query = std::get<ImpersonationListQuery>(parsed);
    tenancy::ImpersonationService *service = deps.impersonations;
    blocking(
        request,
        [service, slug = *slug, query] {
            return outcomeOf(service->list(slug, query.openOnly, query.limit));
        },
        [this, request, slug = *slug,
         query](const OpsOutcome<std::vector<tenancy::Impersonation>> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::Read, outcome.error,
                                              outcome.problem, slug);
            const QDateTime now = deps.clock->now();
            QJsonArray list;
            for (const tenancy::Impersonation &impersonation : *outcome.value)
                list.append(impersonationJson(impersonation, now));
            finish(request, jsonAnswer(QJsonObject{{QStringLiteral("impersonations"), list},
                                                   {QStringLiteral("open"), query.openOnly},
                                                   {QStringLiteral("limit"), query.limit}}));
        },
        &tenantWorkers);
}

// ---- GET /api/v1/tenants/{slug}/impersonations/{id} ----

void ApiServer::Private::getImpersonation(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.impersonations))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    const std::optional<QUuid> id = pathImpersonationId(request);
    if (!id)
        return;
    tenancy::ImpersonationService *service = deps.impersonations;
    blocking(
        request, [service, slug = *slug, id = *id] { return impersonationOf(*service, slug, id); },
        [this, request, slug = *slug](const OpsOutcome<tenancy::Impersonation> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::Read, outcome.error,
                                              outcome.problem, slug);
            finish(request, jsonAnswer(impersonationJson(*outcome.value, deps.clock->now())));
        },
        &tenantWorkers);
}

// ---- POST /api/v1/tenants/{slug}/impersonations/{id}/end ----

void ApiServer::Private::endImpersonation(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.impersonations))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    const std::optional<QUuid> id = pathImpersonationId(request);
    if (!id)
        return;
    if (const std::optional<Problem> problem = checkNoBody(request->contentType, request->body))
        return finishTenantFailed(request, *problem);
    tenancy::ImpersonationService *service = deps.impersonations;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [service, slug = *slug, id = *id, actor] {
            OpsOutcome<tenancy::Impersonation> found = impersonationOf(*service, slug, id);
            if (!found.value)
                return found;
            return outcomeOf(service->end(id, actor));
        },
        [this, request, slug = *slug](const OpsOutcome<tenancy::Impersonation> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::EndImpersonation,
                                              outcome.error, outcome.problem, slug);
            finish(request, jsonAnswer(impersonationJson(*outcome.value, deps.clock->now())));
        },
        &tenantWorkers);
}

// ---- GET /api/v1/tenants/{slug}/impersonations/{id}/overview ----

void ApiServer::Private::impersonationOverview(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.impersonations))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    const std::optional<QUuid> id = pathImpersonationId(request);
    if (!id)
        return;
    tenancy::ImpersonationService *service = deps.impersonations;
    const tenancy::ActorContext caller = tenantActor(*request);
    struct Overview
    {
        tenancy::Impersonation impersonation;
        QJsonObject view;
    };
    blocking(
        request,
        [service, slug = *slug, id = *id, caller] {
            OpsOutcome<tenancy::Impersonation> found = impersonationOf(*service, slug, id);
            if (!found.value)
                return OpsOutcome<Overview>{std::nullopt, found.error, found.problem};
            // Only the operator who started it may act under it (the domain refuses others too;
            // this answers with the specific problem type).
            if (found.value->operatorActor != caller.actor)
                return refusedWith<Overview>(impersonationNotYours());
            Result<QJsonObject> view = service->overview(id, caller);
            if (!view)
                return OpsOutcome<Overview>{std::nullopt, view.error(), std::nullopt};
            return OpsOutcome<Overview>{Overview{*found.value, view.value()}, std::nullopt,
                                        std::nullopt};
        },
        [this, request, slug = *slug](const OpsOutcome<Overview> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::Overview, outcome.error,
                                              outcome.problem, slug);
            QJsonObject body = outcome.value->view;
            body.insert(QStringLiteral("impersonation"),
                        impersonationJson(outcome.value->impersonation, deps.clock->now()));
            finish(request, jsonAnswer(body));
        },
        &tenantWorkers);
}

// ---- GET /api/v1/tenants/{slug}/keys ----

void ApiServer::Private::tenantKeyStatus(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.keyRotation))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    // No parameters: any is refused, named.
    auto parameters = collectParameters(QUrlQuery(request->url), {});
    if (const QueryError *error = std::get_if<QueryError>(&parameters))
        return finish(request, problemAnswer(queryProblem(*error)));
    tenancy::TenantKeyRotation *rotation = deps.keyRotation;
    blocking(
        request, [rotation, slug = *slug] { return outcomeOf(rotation->status(slug)); },
        [this, request, slug = *slug](const OpsOutcome<tenancy::TenantKeyStatus> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::Read, outcome.error,
                                              outcome.problem, slug);
            finish(request, jsonAnswer(keyStatusJson(*outcome.value)));
        },
        &tenantWorkers);
}

// ---- POST /api/v1/tenants/{slug}/keys/rotate ----

void ApiServer::Private::rotateTenantKey(const RequestPtr &request)
{
    if (!operationsAvailable(request, deps.keyRotation))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    if (const std::optional<Problem> problem = checkNoBody(request->contentType, request->body))
        return finishTenantFailed(request, *problem);
    tenancy::TenantKeyRotation *rotation = deps.keyRotation;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [rotation, slug = *slug, actor] { return outcomeOf(rotation->rotate(slug, actor)); },
        [this, request, slug = *slug](const OpsOutcome<tenancy::TenantKeyStatus> &outcome) {
            if (!outcome.value)
                return answerOperationFailure(request, TenantOpsOperation::RotateKey, outcome.error,
                                              outcome.problem, slug);
            finish(request, jsonAnswer(keyStatusJson(*outcome.value)));
        },
        &tenantWorkers);
}

} // namespace upcoach::api
