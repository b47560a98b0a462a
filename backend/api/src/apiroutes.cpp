// The API token routes, the audit log routes, the tenant routes, and how state-changing
// requests are recorded.
//
// Recording rule (README.md, "Audit recording"): a state-changing request is recorded before
// its change is made, and the change is made only once the event is durable. If it then fails,
// a second event (same request id, outcome failure, details.correctsEvent) says so. The log may
// thus over-report a change that failed, never under-report one that happened. Tenant changes
// are recorded by the TenantRegistry itself (README.md, "Tenant routes").
#include "auditquery.h"
#include "requestparsing.h"
#include "serverprivate.h"
#include "tenantroutes.h"
#include "tokenroutes.h"
#include "upcoach/compliance/auditstore.h"
#include "upcoach/core/crypto.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/tenantexport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <chrono>

namespace upcoach::api {

using namespace detail;

namespace {

Problem auditNotConfigured()
{
    return auditUnavailable(QStringLiteral("this server has no audit log configured; changes "
                                           "cannot be made without one"));
}

Problem auditStoreNotConfigured()
{
    return auditUnavailable(QStringLiteral("this server has no audit store configured"));
}

Problem notRecorded()
{
    return auditUnavailable(QStringLiteral("the audit log did not record the request, so nothing "
                                           "was changed; retry shortly"));
}

Problem tokenStoreUnavailable()
{
    return Problem{503,
                   QStringLiteral("token-store-unavailable"),
                   QStringLiteral("Token store unavailable"),
                   QStringLiteral("the token store did not answer; retry shortly"),
                   {}};
}

Problem tokenNotFound()
{
    return Problem{404,
                   QStringLiteral("not-found"),
                   QStringLiteral("Not found"),
                   QStringLiteral("there is no active API token with this id"),
                   {}};
}

QJsonObject failureDetails(const Problem &problem)
{
    return QJsonObject{{QStringLiteral("status"), problem.status},
                       {QStringLiteral("problem"), problem.slug}};
}

} // namespace

compliance::AuditRecord ApiServer::Private::auditRecordFor(const Request &request,
                                                           const QString &outcome) const
{
    compliance::AuditRecord record;
    record.actor = request.principal ? request.principal->actor() : QStringLiteral("anonymous");
    const Endpoint *endpoint = request.route ? request.route->find(request.method) : nullptr;
    record.action = endpoint && !endpoint->auditAction.isEmpty()
                        ? endpoint->auditAction
                        : QStringLiteral("api.unknown-route");
    if (request.route && request.route->targetKind == QLatin1String("tenant")) {
        if (tenancy::validateSlug(request.parameter))
            record.target = QStringLiteral("tenant:") + request.parameter;
    } else if (request.route && request.route->targetKind == QLatin1String("region")) {
        // As TrafficControls names its targets (region:<id>, rule:<name>).
        if (isRegionIdSyntax(request.parameter))
            record.target = QStringLiteral("region:") + request.parameter;
    } else if (request.route && request.route->targetKind == QLatin1String("rule")) {
        if (isRuleNameSyntax(request.parameter))
            record.target = QStringLiteral("rule:") + request.parameter;
    } else if (request.route && !request.route->targetKind.isEmpty()) {
        if (const std::optional<QString> id = parseUuid(request.parameter))
            record.target = request.route->targetKind + QLatin1Char(':') + *id;
    }
    record.outcome = outcome;
    record.sourceIp = sourceAddressText(request.peer);
    record.requestId = request.requestId;
    record.classification = QStringLiteral("security");
    return record;
}

void ApiServer::Private::recordEvent(compliance::AuditRecord record, AfterRecord next)
{
    if (!deps.audit) {
        ++auditRecordFailures;
        return next(Receipt(
            makeError(ErrorCode::Unavailable, QStringLiteral("no audit log is configured"))));
    }
    const QString outcome = record.outcome;
    const QString action = record.action;
    QFuture<Receipt> future;
    try {
        future = deps.audit->record(std::move(record));
    } catch (const std::exception &e) {
        ++auditRecordFailures;
        qCWarning(lcApi) << "the audit log threw:" << e.what();
        return next(Receipt(makeError(ErrorCode::Internal, QStringLiteral("the audit log threw"))));
    }
    whenFinished<Receipt>(q, future, [this, outcome, action, next](std::optional<Receipt> receipt) {
        if (!receipt)
            receipt.emplace(makeError(ErrorCode::Unavailable,
                                      QStringLiteral("the audit log dropped the event")));
        if (receipt->ok()) {
            ++auditEventsRecorded[outcome];
        } else {
            ++auditRecordFailures;
            qCWarning(lcApi).noquote()
                << QStringLiteral("audit event %1 (%2) not recorded:").arg(action, outcome)
                << receipt->error().message;
        }
        next(*receipt);
    });
}

void ApiServer::Private::finishRecorded(const RequestPtr &request, compliance::AuditRecord record,
                                        const Answer &answer)
{
    recordEvent(std::move(record), [this, request, answer](const Receipt &receipt) {
        finish(request, receipt.ok() ? answer : problemAnswer(notRecorded()));
    });
}

void ApiServer::Private::finishFailed(const RequestPtr &request, const Problem &problem)
{
    compliance::AuditRecord record = auditRecordFor(*request, QStringLiteral("failure"));
    record.details = failureDetails(problem);
    finishRecorded(request, std::move(record), problemAnswer(problem));
}

// ---- GET /api/v1/audit ----

void ApiServer::Private::listAudit(const RequestPtr &request)
{
    if (!deps.auditStore)
        return finish(request, problemAnswer(auditStoreNotConfigured()));
    auto parsed = parseAuditListQuery(QUrlQuery(request->url));
    if (const QueryError *error = std::get_if<QueryError>(&parsed)) {
        Problem problem = badRequest(error->detail);
        problem.extensions.insert(QStringLiteral("parameters"),
                                  QJsonArray::fromStringList(error->parameters));
        return finish(request, problemAnswer(problem));
    }
    const compliance::AuditQuery query = std::get<compliance::AuditQuery>(parsed);
    compliance::AuditStore *store = deps.auditStore;
    blocking(
        request, [store, query] { return store->list(query); },
        [this, request, query](const Result<compliance::AuditPage> &page) {
            if (!page) {
                qCWarning(lcApi).noquote() << "audit listing failed:" << page.error().message;
                return finish(request, problemAnswer(auditUnavailable(QStringLiteral(
                                           "the audit store did not answer; retry shortly"))));
            }
            const Result<QByteArray> body =
                auditPageJson(page.value(), query, limits.maxAuditPageBytes);
            if (!body) {
                qCCritical(lcApi).noquote() << "audit listing:" << body.error().message;
                return finish(request, problemAnswer(internalError()));
            }
            finish(request, rawJsonAnswer(body.value()));
        });
}

// ---- GET /api/v1/audit/{id}/proof ----

namespace {

struct ProofLookup
{
    Result<compliance::EventProof> proof;
    bool awaitingTreeHead = false; // the store answers; no signed head covers the event yet
};

} // namespace

void ApiServer::Private::auditProof(const RequestPtr &request)
{
    if (!deps.auditStore)
        return finish(request, problemAnswer(auditStoreNotConfigured()));
    const std::optional<QString> id = parseUuid(request->parameter);
    if (!id)
        return finish(request, problemAnswer(badRequest(
                                   QStringLiteral("the event id in the path is not a UUID "
                                                  "(8-4-4-4-12 hexadecimal digits)"))));
    compliance::AuditStore *store = deps.auditStore;
    const QString eventId = *id;
    blocking(
        request,
        [store, eventId] {
            ProofLookup lookup{store->proof(eventId), false};
            // AuditStore answers Unavailable both when no signed head covers the event yet and
            // when the database does not answer; a second question tells them apart.
            if (!lookup.proof && lookup.proof.error().code == ErrorCode::Unavailable)
                lookup.awaitingTreeHead = store->latestTreeHead().ok();
            return lookup;
        },
        [this, request](const ProofLookup &lookup) {
            if (lookup.proof) {
                const Result<QByteArray> body = auditProofJson(lookup.proof.value());
                if (!body) {
                    qCCritical(lcApi).noquote() << "audit proof:" << body.error().message;
                    return finish(request, problemAnswer(internalError()));
                }
                return finish(request, rawJsonAnswer(body.value()));
            }
            const Error &error = lookup.proof.error();
            if (error.code == ErrorCode::NotFound)
                return finish(request,
                              problemAnswer(Problem{404,
                                                    QStringLiteral("not-found"),
                                                    QStringLiteral("Not found"),
                                                    QStringLiteral("no audit event has this id "
                                                                   "(unknown, or purged by "
                                                                   "retention)"),
                                                    {}}));
            if (error.code == ErrorCode::InvalidInput)
                return finish(request, problemAnswer(badRequest(QStringLiteral(
                                           "the event id in the path is not a UUID"))));
            if (lookup.awaitingTreeHead)
                return finish(request,
                              problemAnswer(Problem{503,
                                                    QStringLiteral("proof-not-yet-available"),
                                                    QStringLiteral("Proof not yet available"),
                                                    QStringLiteral("no signed tree head covers "
                                                                   "this event yet; retry after "
                                                                   "the next one is signed"),
                                                    {}}));
            qCWarning(lcApi).noquote() << "audit proof failed:" << error.message;
            finish(request, problemAnswer(auditUnavailable(
                                QStringLiteral("the audit store did not answer; retry shortly"))));
        });
}

// ---- POST /api/v1/tokens ----

void ApiServer::Private::issueToken(const RequestPtr &request)
{
    if (!deps.audit)
        return finish(request, problemAnswer(auditNotConfigured()));
    auto parsed = parseTokenRequest(request->contentType, request->body, deps.clock->now(),
                                    limits.maxTokenRequestBytes);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishFailed(request, *problem);
    const TokenRequest wanted = std::get<TokenRequest>(parsed);

    // The token exists only in memory until its issuance is durable in the audit log.
    Result<identity::IssuedApiToken> generated =
        deps.tokens->generate(wanted.role, wanted.expiresAt, wanted.kind);
    if (!generated) {
        // The store's rules (a service token must expire within 90 days) are the caller's to fix.
        if (generated.error().code == ErrorCode::InvalidInput)
            return finishFailed(request, badRequest(generated.error().message));
        qCWarning(lcApi).noquote() << "cannot generate an API token:" << generated.error().message;
        return finishFailed(request, internalError());
    }
    const identity::IssuedApiToken token = generated.value();
    compliance::AuditRecord record = auditRecordFor(*request, QStringLiteral("success"));
    record.target = QStringLiteral("api-token:") + token.id;
    record.details = QJsonObject{
        {QStringLiteral("role"), token.role},
        {QStringLiteral("kind"), identity::apiTokenKindName(token.kind)},
        {QStringLiteral("tokenId"), token.id},
        {QStringLiteral("expiresAt"),
         token.expiresAt.isValid() ? QJsonValue(compliance::auditTimeToString(token.expiresAt))
                                   : QJsonValue(QJsonValue::Null)},
    };
    const compliance::AuditRecord issued = record;
    recordEvent(std::move(record), [this, request, token, issued](const Receipt &receipt) {
        if (!receipt)
            return finish(request, problemAnswer(notRecorded()));
        identity::ApiTokenStore *tokens = deps.tokens;
        const QString eventId = receipt->id;
        blocking(
            request, [tokens, token] { return tokens->store(token); },
            [this, request, token, issued, eventId](const Status &stored) {
                if (stored)
                    return finish(request, rawJsonAnswer(issuedTokenJson(token), 201));
                qCWarning(lcApi).noquote()
                    << "API token" << token.id << "not stored:" << stored.error().message;
                // Recorded as issued, but it was not: say so in the log.
                compliance::AuditRecord correction = issued;
                correction.outcome = QStringLiteral("failure");
                const Problem problem = stored.error().code == ErrorCode::Unavailable
                                            ? tokenStoreUnavailable()
                                            : internalError();
                correction.details = failureDetails(problem);
                correction.details.insert(QStringLiteral("tokenId"), token.id);
                correction.details.insert(QStringLiteral("correctsEvent"), eventId);
                recordEvent(std::move(correction), [this, request, problem](const Receipt &) {
                    finish(request, problemAnswer(problem));
                });
            });
    });
}

// ---- DELETE /api/v1/tokens/{id} ----

void ApiServer::Private::revokeToken(const RequestPtr &request)
{
    if (!deps.audit)
        return finish(request, problemAnswer(auditNotConfigured()));
    const std::optional<QString> id = parseUuid(request->parameter);
    if (!id)
        return finishFailed(request,
                            badRequest(QStringLiteral("the token id in the path is not a UUID "
                                                      "(8-4-4-4-12 hexadecimal digits)")));
    identity::ApiTokenStore *tokens = deps.tokens;
    const QString tokenId = *id;
    blocking(
        request, [tokens, tokenId] { return tokens->find(tokenId); },
        [this, request, tokens, tokenId](const Result<identity::ApiTokenInfo> &found) {
            if (!found) {
                if (found.error().code == ErrorCode::NotFound)
                    return finishFailed(request, tokenNotFound());
                qCWarning(lcApi).noquote() << "token lookup failed:" << found.error().message;
                return finishFailed(request, tokenStoreUnavailable());
            }
            if (found->revokedAt.isValid())
                return finishFailed(request, tokenNotFound());

            compliance::AuditRecord record = auditRecordFor(*request, QStringLiteral("success"));
            record.details = QJsonObject{{QStringLiteral("tokenId"), tokenId},
                                         {QStringLiteral("role"), found->role}};
            const compliance::AuditRecord revoked = record;
            recordEvent(std::move(record), [this, request, tokens, tokenId,
                                            revoked](const Receipt &receipt) {
                if (!receipt)
                    return finish(request, problemAnswer(notRecorded()));
                const QString eventId = receipt->id;
                blocking(
                    request, [tokens, tokenId] { return tokens->revoke(tokenId); },
                    [this, request, revoked, eventId](const Status &done) {
                        if (done)
                            return finish(request, Answer{204, {}, {}, {}});
                        // Recorded as revoked, but this request did not revoke it (revoked
                        // meanwhile by another, or the store failed): say so in the log.
                        const Problem problem =
                            done.error().code == ErrorCode::NotFound      ? tokenNotFound()
                            : done.error().code == ErrorCode::Unavailable ? tokenStoreUnavailable()
                                                                          : internalError();
                        qCWarning(lcApi).noquote()
                            << "API token revocation failed:" << done.error().message;
                        compliance::AuditRecord correction = revoked;
                        correction.outcome = QStringLiteral("failure");
                        correction.details = failureDetails(problem);
                        correction.details.insert(QStringLiteral("tokenId"),
                                                  revoked.details.value(QStringLiteral("tokenId")));
                        correction.details.insert(QStringLiteral("correctsEvent"), eventId);
                        recordEvent(std::move(correction),
                                    [this, request, problem](const Receipt &) {
                                        finish(request, problemAnswer(problem));
                                    });
                    });
            });
        });
}

// ---- /api/v1/tenants ----
//
// The registry records the domain events of every change itself (tenant.create,
// tenant.provision, tenant.<action>, tenant.update, tenant.move, tenant.delete,
// tenant.delete-canceled; tenancy::exportTenant records tenant.export), with the request's token,
// source address and request id; the API adds a failure event only for requests the registry
// refused before recording anything (README.md, "Tenant routes").

namespace {

struct TenantListOutcome
{
    std::vector<std::pair<tenancy::Tenant, QString>> tenants; // with their parent's slug
    qint64 total = 0;
    std::optional<Error> error;
};

// The registry fills parentId only; the parent's slug is looked up once per id.
Result<QString> parentSlugOf(tenancy::TenantRegistry &registry, const tenancy::Tenant &tenant,
                             QHash<QUuid, QString> &cache)
{
    if (tenant.parentId.isNull())
        return QString();
    if (const auto it = cache.constFind(tenant.parentId); it != cache.constEnd())
        return *it;
    Result<tenancy::Tenant> parent = registry.getById(tenant.parentId);
    if (!parent)
        return parent.error();
    cache.insert(tenant.parentId, parent->slug);
    return parent->slug;
}

// The answer to a change that was made names the parent too; should that lookup fail, the
// parent is left null rather than failing a change that happened.
TenantOutcome changed(tenancy::TenantRegistry &registry, const tenancy::Tenant &tenant)
{
    TenantOutcome outcome;
    outcome.tenant = tenant;
    QHash<QUuid, QString> cache;
    const Result<QString> parent = parentSlugOf(registry, tenant, cache);
    if (parent)
        outcome.parentSlug = parent.value();
    else
        qCWarning(lcApi).noquote()
            << "tenant" << tenant.slug
            << "changed, but its parent could not be read:" << parent.error().message;
    return outcome;
}

TenantOutcome failed(const Error &error)
{
    TenantOutcome outcome;
    outcome.error = error;
    return outcome;
}

// What an export on a worker produced, for the event loop to answer.
struct TenantExportOutcome
{
    std::optional<tenancy::ExportReport> report; // success
    QJsonObject manifest;                        // manifest.json of `report`
    std::optional<Error> error;
};

// Exports the tenant into a new directory `directory` (inside `parent`): created here, owner-only,
// so the export never lands in a directory someone else made; removed again if the export fails
// (it would hold partial tenant data). The masking key exists only for this call.
TenantExportOutcome runExport(tenancy::TenantRegistry &registry, tenancy::TenantSessions &sessions,
                              compliance::AuditLog &audit, const QString &slug,
                              const QString &parent, const QString &directory, bool mask,
                              const tenancy::ActorContext &actor)
{
    TenantExportOutcome outcome;
    if (!QDir().mkpath(parent) ||
        !QDir().mkdir(directory, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner)) {
        outcome.error =
            makeError(ErrorCode::Unavailable,
                      QStringLiteral("cannot create the export directory %1").arg(directory));
        return outcome;
    }
    tenancy::ExportOptions options;
    options.mask = mask;
    if (mask) {
        Result<QByteArray> key = crypto::randomBytes(32);
        if (!key) {
            QDir(directory).removeRecursively();
            outcome.error = key.error();
            return outcome;
        }
        options.maskKey = std::move(key).value(); // the only owner of the key's bytes
    }
    Result<tenancy::ExportReport> report =
        tenancy::exportTenant(registry, sessions, audit, slug, directory, options, actor);
    crypto::secureWipe(options.maskKey);
    if (!report) {
        QDir(directory).removeRecursively();
        outcome.error = report.error();
        return outcome;
    }
    QFile file(QDir(report->directory).filePath(QStringLiteral("manifest.json")));
    QJsonParseError parseError;
    const QJsonDocument manifest = file.open(QIODevice::ReadOnly)
                                       ? QJsonDocument::fromJson(file.readAll(), &parseError)
                                       : QJsonDocument();
    if (!manifest.isObject()) {
        // Exported and recorded; only the answer cannot show the manifest.
        outcome.error =
            makeError(ErrorCode::Internal, QStringLiteral("the export in %1 was written, but its "
                                                          "manifest.json cannot be read back")
                                               .arg(report->directory));
        return outcome;
    }
    outcome.report = report.value();
    outcome.manifest = manifest.object();
    return outcome;
}

Problem staleIfMatch(const QString &slug, qint64 version)
{
    return preconditionFailed(QStringLiteral("tenant %1 is at version %2, which If-Match does not "
                                             "name; read it again and retry")
                                  .arg(slug)
                                  .arg(version));
}

} // namespace

bool ApiServer::Private::tenantsAvailable(const RequestPtr &request)
{
    if (!deps.tenants) {
        finish(request, problemAnswer(tenancyUnavailable(
                            QStringLiteral("this server has no tenant registry configured"))));
        return false;
    }
    if (isStateChanging(request->method) && !deps.audit) {
        finish(request, problemAnswer(auditNotConfigured()));
        return false;
    }
    return true;
}

std::optional<QString> ApiServer::Private::pathSlug(const RequestPtr &request)
{
    if (tenancy::validateSlug(request->parameter))
        return request->parameter;
    if (isStateChanging(request->method))
        finishTenantFailed(request, invalidSlugInPath());
    else
        finish(request, problemAnswer(invalidSlugInPath()));
    return std::nullopt;
}

tenancy::ActorContext ApiServer::Private::tenantActor(const Request &request) const
{
    tenancy::ActorContext actor;
    actor.actor = request.principal ? request.principal->actor() : QStringLiteral("anonymous");
    actor.sourceIp = sourceAddressText(request.peer);
    actor.requestId = request.requestId;
    return actor;
}

void ApiServer::Private::finishTenantFailed(const RequestPtr &request, const Problem &problem,
                                            const QString &slug)
{
    compliance::AuditRecord record = auditRecordFor(*request, QStringLiteral("failure"));
    record.details = failureDetails(problem);
    const bool inPath = request->route && request->route->targetKind == QLatin1String("tenant") &&
                        tenancy::validateSlug(request->parameter);
    const QString about = inPath ? request->parameter : slug;
    if (!about.isEmpty()) {
        record.target = QStringLiteral("tenant:") + about;
        // Filed under the tenant (GET /api/v1/audit?tenant=) unless the tenant is unknown.
        if (problem.status != 404 && (inPath || problem.slug == QLatin1String("tenant-exists")))
            record.tenant = about;
    }
    finishRecorded(request, std::move(record), problemAnswer(problem));
}

void ApiServer::Private::answerTenant(const RequestPtr &request, TenantOperation operation,
                                      const TenantOutcome &outcome, int successStatus,
                                      bool preconditionGiven, const QString &slug)
{
    if (outcome.tenant) {
        QJsonObject body = tenantJson(*outcome.tenant, outcome.parentSlug);
        if (outcome.settings)
            body.insert(QStringLiteral("effectiveSettings"),
                        effectiveSettingsJson(*outcome.settings));
        Answer answer = jsonAnswer(body, successStatus);
        answer.headers.emplace_back(QByteArrayLiteral("ETag"),
                                    versionETag(outcome.tenant->version));
        if (successStatus == 201)
            answer.headers.emplace_back(QByteArrayLiteral("Location"),
                                        "/api/v1/tenants/" + outcome.tenant->slug.toLatin1());
        return finish(request, answer);
    }
    Problem problem = internalError();
    bool recordedByRegistry = true;
    if (outcome.problem) {
        problem = *outcome.problem;
        recordedByRegistry = outcome.problemRecordedByRegistry;
    } else if (outcome.error) {
        const RegistryFailure failure =
            registryFailure(operation, *outcome.error, preconditionGiven);
        problem = failure.problem;
        recordedByRegistry = failure.recordedByRegistry;
        if (problem.status >= 500)
            qCWarning(lcApi).noquote()
                << request->route->pattern << "failed:" << outcome.error->message;
    }
    if (isStateChanging(request->method) && !recordedByRegistry && problem.status >= 400 &&
        problem.status < 500)
        return finishTenantFailed(request, problem, slug);
    finish(request, problemAnswer(problem));
}

// ---- POST /api/v1/tenants ----

void ApiServer::Private::createTenant(const RequestPtr &request)
{
    if (!tenantsAvailable(request))
        return;
    auto parsed = parseNewTenant(request->contentType, request->body, limits.maxTenantRequestBytes);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishTenantFailed(request, *problem);
    const tenancy::NewTenant input = std::get<tenancy::NewTenant>(parsed);
    tenancy::TenantRegistry *registry = deps.tenants;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [registry, input, actor] {
            Result<tenancy::Tenant> created = registry->create(input, actor);
            if (created) {
                TenantOutcome outcome;
                outcome.tenant = created.value();
                outcome.parentSlug = input.parentSlug; // checked by the registry
                return outcome;
            }
            TenantOutcome outcome = failed(created.error());
            const ErrorCode code = created.error().code;
            if (code != ErrorCode::InvalidInput && code != ErrorCode::NotFound &&
                code != ErrorCode::Conflict) {
                // Registered, then its placement failed: the registry recorded tenant.create and
                // the failed tenant.provision, and the same request resumes it.
                const Result<tenancy::Tenant> now = registry->get(input.slug);
                if (now && now->provisioning == tenancy::Provisioning::Failed) {
                    outcome.problem = provisioningFailed(input.slug);
                    outcome.problemRecordedByRegistry = true;
                }
            }
            return outcome;
        },
        [this, request, slug = input.slug](const TenantOutcome &outcome) {
            answerTenant(request, TenantOperation::Create, outcome, 201, false, slug);
        },
        &tenantWorkers);
}

// ---- GET /api/v1/tenants ----

void ApiServer::Private::listTenants(const RequestPtr &request)
{
    if (!tenantsAvailable(request))
        return;
    auto parsed = parseTenantListQuery(QUrlQuery(request->url));
    if (const QueryError *error = std::get_if<QueryError>(&parsed)) {
        Problem problem = badRequest(error->detail);
        problem.extensions.insert(QStringLiteral("parameters"),
                                  QJsonArray::fromStringList(error->parameters));
        return finish(request, problemAnswer(problem));
    }
    const tenancy::TenantQuery query = std::get<tenancy::TenantQuery>(parsed);
    tenancy::TenantRegistry *registry = deps.tenants;
    blocking(
        request,
        [registry, query] {
            TenantListOutcome outcome;
            Result<tenancy::TenantPage> page = registry->list(query);
            if (!page) {
                outcome.error = page.error();
                return outcome;
            }
            outcome.total = page->total;
            QHash<QUuid, QString> parents;
            for (const tenancy::Tenant &tenant : page->tenants) {
                Result<QString> parent = parentSlugOf(*registry, tenant, parents);
                if (!parent) {
                    outcome.error = parent.error();
                    return outcome;
                }
                outcome.tenants.emplace_back(tenant, parent.value());
            }
            return outcome;
        },
        [this, request, query](const TenantListOutcome &outcome) {
            if (outcome.error) {
                const RegistryFailure failure =
                    registryFailure(TenantOperation::Read, *outcome.error, false);
                if (failure.problem.status >= 500)
                    qCWarning(lcApi).noquote()
                        << "tenant listing failed:" << outcome.error->message;
                return finish(request, problemAnswer(failure.problem));
            }
            QJsonArray tenants;
            for (const auto &[tenant, parent] : outcome.tenants)
                tenants.append(tenantJson(tenant, parent));
            finish(request, jsonAnswer(QJsonObject{{QStringLiteral("tenants"), tenants},
                                                   {QStringLiteral("total"), outcome.total},
                                                   {QStringLiteral("offset"), query.offset},
                                                   {QStringLiteral("limit"), query.limit}}));
        });
}

// ---- GET /api/v1/tenants/{slug} ----

void ApiServer::Private::getTenant(const RequestPtr &request)
{
    if (!tenantsAvailable(request))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    tenancy::TenantRegistry *registry = deps.tenants;
    blocking(
        request,
        [registry, slug = *slug] {
            Result<tenancy::Tenant> found = registry->get(slug);
            if (!found)
                return failed(found.error());
            Result<tenancy::EffectiveSettings> settings = registry->settingsFor(slug);
            if (!settings)
                return failed(settings.error());
            QHash<QUuid, QString> cache;
            Result<QString> parent = parentSlugOf(*registry, found.value(), cache);
            if (!parent)
                return failed(parent.error());
            TenantOutcome outcome;
            outcome.tenant = found.value();
            outcome.settings = settings.value();
            outcome.parentSlug = parent.value();
            return outcome;
        },
        [this, request, slug = *slug](const TenantOutcome &outcome) {
            answerTenant(request, TenantOperation::Read, outcome, 200, false, slug);
        });
}

// ---- PATCH /api/v1/tenants/{slug} ----

void ApiServer::Private::updateTenant(const RequestPtr &request)
{
    if (!tenantsAvailable(request))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto match = parseIfMatch(request->ifMatch);
    if (const Problem *problem = std::get_if<Problem>(&match))
        return finishTenantFailed(request, *problem);
    auto parsed =
        parseTenantUpdate(request->contentType, request->body, limits.maxTenantRequestBytes);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishTenantFailed(request, *problem);
    const IfMatch ifMatch = std::get<IfMatch>(match);
    const TenantUpdate update = std::get<TenantUpdate>(parsed);
    const bool strict = ifMatch.present && !ifMatch.any;
    tenancy::TenantRegistry *registry = deps.tenants;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [registry, slug = *slug, ifMatch, update, actor, strict] {
            constexpr int kAttempts = 3;
            for (int attempt = 1;; ++attempt) {
                Result<tenancy::Tenant> current = registry->get(slug);
                if (!current)
                    return failed(current.error());
                if (!ifMatch.matches(current->version)) {
                    TenantOutcome outcome;
                    outcome.problem = staleIfMatch(slug, current->version);
                    return outcome;
                }
                // The version read is passed on, so a merge is never applied to a tenant that
                // changed after it was read.
                Result<tenancy::Tenant> updated = registry->update(
                    slug, resolveUpdate(update, current.value()), actor, current->version);
                if (updated)
                    return changed(*registry, updated.value());
                // Changed by someone else between the read and the update (nothing recorded):
                // without a version of the caller's to insist on, read again and re-apply.
                if (!strict && attempt < kAttempts && isUnrecordedStaleVersion(updated.error()))
                    continue;
                return failed(updated.error());
            }
        },
        [this, request, slug = *slug, strict](const TenantOutcome &outcome) {
            answerTenant(request, TenantOperation::Update, outcome, 200, strict, slug);
        },
        &tenantWorkers);
}

// ---- POST /api/v1/tenants/{slug}/activate|suspend|cancel|reactivate ----

void ApiServer::Private::tenantAction(const RequestPtr &request, tenancy::LifecycleAction action)
{
    if (!tenantsAvailable(request))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto match = parseIfMatch(request->ifMatch);
    if (const Problem *problem = std::get_if<Problem>(&match))
        return finishTenantFailed(request, *problem);
    if (const std::optional<Problem> problem = checkNoBody(request->contentType, request->body))
        return finishTenantFailed(request, *problem);
    const IfMatch ifMatch = std::get<IfMatch>(match);
    const bool strict = ifMatch.present && !ifMatch.any;
    tenancy::TenantRegistry *registry = deps.tenants;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [registry, slug = *slug, action, actor, ifMatch, strict] {
            std::optional<qint64> expected;
            if (strict) {
                Result<tenancy::Tenant> current = registry->get(slug);
                if (!current)
                    return failed(current.error());
                if (!ifMatch.matches(current->version)) {
                    TenantOutcome outcome;
                    outcome.problem = staleIfMatch(slug, current->version);
                    return outcome;
                }
                expected = current->version;
            }
            Result<tenancy::Tenant> done = registry->transition(slug, action, actor, expected);
            if (!done)
                return failed(done.error());
            return changed(*registry, done.value());
        },
        [this, request, slug = *slug, strict](const TenantOutcome &outcome) {
            answerTenant(request, TenantOperation::Transition, outcome, 200, strict, slug);
        },
        &tenantWorkers);
}

// ---- POST /api/v1/tenants/{slug}/move ----

void ApiServer::Private::moveTenant(const RequestPtr &request)
{
    if (!tenantsAvailable(request))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto parsed =
        parseTenantMove(request->contentType, request->body, limits.maxTenantRequestBytes);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishTenantFailed(request, *problem);
    const TenantMoveRequest wanted = std::get<TenantMoveRequest>(parsed);
    tenancy::TenantRegistry *registry = deps.tenants;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [registry, slug = *slug, wanted, actor] {
            Result<tenancy::Tenant> current = registry->get(slug);
            if (!current)
                return failed(current.error());
            Result<tenancy::Tenant> moved =
                registry->move(slug, wanted.isolation.value_or(current->isolation),
                               wanted.homeRegion.value_or(current->homeRegion), actor);
            if (!moved)
                return failed(moved.error());
            return changed(*registry, moved.value());
        },
        [this, request, slug = *slug](const TenantOutcome &outcome) {
            answerTenant(request, TenantOperation::Move, outcome, 200, false, slug);
        },
        &tenantWorkers);
}

// ---- DELETE /api/v1/tenants/{slug} ----

void ApiServer::Private::deleteTenant(const RequestPtr &request)
{
    if (!tenantsAvailable(request))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto parsed = parseDeletionQuery(QUrlQuery(request->url));
    if (const QueryError *error = std::get_if<QueryError>(&parsed))
        return finishTenantFailed(request, queryProblem(*error));
    if (const std::optional<Problem> problem = checkNoBody(request->contentType, request->body))
        return finishTenantFailed(request, *problem);
    const std::chrono::hours retention(24 * std::get<int>(parsed));
    tenancy::TenantRegistry *registry = deps.tenants;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [registry, slug = *slug, retention, actor] {
            Result<tenancy::Tenant> scheduled = registry->requestDeletion(slug, retention, actor);
            if (!scheduled)
                return failed(scheduled.error());
            return changed(*registry, scheduled.value());
        },
        [this, request, slug = *slug](const TenantOutcome &outcome) {
            answerTenant(request, TenantOperation::Delete, outcome, 202, false, slug);
        },
        &tenantWorkers);
}

// ---- POST /api/v1/tenants/{slug}/restore ----

void ApiServer::Private::restoreTenant(const RequestPtr &request)
{
    if (!tenantsAvailable(request))
        return;
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    if (const std::optional<Problem> problem = checkNoBody(request->contentType, request->body))
        return finishTenantFailed(request, *problem);
    tenancy::TenantRegistry *registry = deps.tenants;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [registry, slug = *slug, actor] {
            Result<tenancy::Tenant> restored = registry->cancelDeletion(slug, actor);
            if (!restored)
                return failed(restored.error());
            return changed(*registry, restored.value());
        },
        [this, request, slug = *slug](const TenantOutcome &outcome) {
            answerTenant(request, TenantOperation::Restore, outcome, 200, false, slug);
        },
        &tenantWorkers);
}

// ---- POST /api/v1/tenants/{slug}/export ----

void ApiServer::Private::exportTenantData(const RequestPtr &request)
{
    if (!tenantsAvailable(request))
        return;
    if (!deps.tenantSessions || deps.tenantExportDir.isEmpty())
        return finish(request, problemAnswer(tenantExportUnavailable()));
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    auto parsed =
        parseTenantExport(request->contentType, request->body, kMaxTenantExportRequestBytes);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return finishTenantFailed(request, *problem);
    const bool mask = std::get<TenantExportRequest>(parsed).mask;
    const Result<QByteArray> suffix = crypto::randomBytes(4);
    if (!suffix) {
        qCWarning(lcApi).noquote() << "tenant export:" << suffix.error().message;
        return finish(request, problemAnswer(internalError()));
    }
    const QString parent = deps.tenantExportDir;
    const QString directory =
        QDir(parent).filePath(exportDirectoryName(*slug, deps.clock->now(), suffix.value()));
    tenancy::TenantRegistry *registry = deps.tenants;
    tenancy::TenantSessions *tenantSessions = deps.tenantSessions;
    compliance::AuditLog *audit = deps.audit;
    const tenancy::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [registry, tenantSessions, audit, slug = *slug, parent, directory, mask, actor] {
            return runExport(*registry, *tenantSessions, *audit, slug, parent, directory, mask,
                             actor);
        },
        [this, request, slug = *slug](const TenantExportOutcome &outcome) {
            if (outcome.report)
                return finish(request,
                              jsonAnswer(tenantExportJson(*outcome.report, outcome.manifest), 201));
            answerTenant(request, TenantOperation::Export,
                         failed(outcome.error.value_or(
                             makeError(ErrorCode::Internal, QStringLiteral("no outcome")))),
                         201, false, slug);
        },
        &tenantWorkers);
}

} // namespace upcoach::api
