// The API token routes, the audit log routes, and how state-changing requests are recorded.
//
// Recording rule (README.md, "Audit recording"): a state-changing request is recorded before
// its change is made, and the change is made only once the event is durable. If it then fails,
// a second event (same request id, outcome failure, details.correctsEvent) says so. The log may
// thus over-report a change that failed, never under-report one that happened.
#include "auditquery.h"
#include "serverprivate.h"
#include "tokenroutes.h"
#include "upcoach/compliance/auditstore.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUrlQuery>

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
    record.actor = request.principal ? QStringLiteral("token:") + request.principal->tokenId
                                     : QStringLiteral("anonymous");
    const Endpoint *endpoint = request.route ? request.route->find(request.method) : nullptr;
    record.action = endpoint && !endpoint->auditAction.isEmpty()
                        ? endpoint->auditAction
                        : QStringLiteral("api.unknown-route");
    if (request.route && !request.route->targetKind.isEmpty()) {
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
        deps.tokens->generate(wanted.role, wanted.expiresAt);
    if (!generated) {
        qCWarning(lcApi).noquote() << "cannot generate an API token:" << generated.error().message;
        return finishFailed(request, internalError());
    }
    const identity::IssuedApiToken token = generated.value();
    compliance::AuditRecord record = auditRecordFor(*request, QStringLiteral("success"));
    record.target = QStringLiteral("api-token:") + token.id;
    record.details = QJsonObject{
        {QStringLiteral("role"), token.role},
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

} // namespace upcoach::api
