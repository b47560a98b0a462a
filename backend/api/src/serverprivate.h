// ApiServer's internals, shared by apiserver.cpp (connections, dispatch, probes, metrics, event
// stream, drain) and apiroutes.cpp (the API token, audit log and tenant routes, audit recording).
#pragma once

#include "httpconnection.h"
#include "httpsupport.h"
#include "requestaudit.h"
#include "tenantopsroutes.h"
#include "tenantroutes.h"
#include "trafficroutes.h"
#include "upcoach/api/apiserver.h"
#include "upcoach/api/eventhub.h"
#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/logging.h"
#include "upcoach/identity/apitokens.h"
#include "upcoach/identity/operatormfa.h"
#include "upcoach/identity/rbac.h"
#include "upcoach/storage/regionmonitor.h"
#include "upcoach/tenancy/tenant.h"

#include <QFuture>
#include <QHash>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QPointer>
#include <QSet>
#include <QThreadPool>
#include <QTimer>
#include <QUrl>
#include <QUuid>
#include <QWebSocket>
#include <QtConcurrent/QtConcurrentRun>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <type_traits>
#include <vector>

namespace upcoach::identity {
struct SessionTokens;
struct NewSsoConnection;
class SsoService;
} // namespace upcoach::identity

namespace upcoach::api {

namespace detail {

inline constexpr std::array<double, 11> kDurationBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                         0.5,   1,    2.5,   5,    10};

// A response as handlers produce it: a plain value (QHttpServerResponse is move-only, and the
// audit flow needs the status before the response is written).
struct Answer
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    std::vector<std::pair<QByteArray, QByteArray>> headers;
};

Answer jsonAnswer(const QJsonObject &body, int status = 200);
Answer rawJsonAnswer(QByteArray body, int status = 200);
// application/problem+json; 401 gets WWW-Authenticate, 503 gets Retry-After.
Answer problemAnswer(const Problem &problem);
QHttpServerResponse toResponse(const Answer &answer);
// {sessionId, accessToken, tokenType, accessTokenExpiresAt, sessionExpiresAt, mfa, mfaPending,
// refreshToken (when issued)}: what a sign-in, refresh or second factor answers.
QJsonObject sessionTokensJson(const identity::SessionTokens &tokens);

QByteArray methodName(QHttpServerRequest::Method method);
bool isStateChanging(QHttpServerRequest::Method method);

struct AuthOutcome
{
    enum class Kind
    {
        Accepted,
        Rejected,
        Unavailable
    };
    Kind kind = Kind::Rejected;
    identity::ApiPrincipal principal;
};

struct DurationHistogram
{
    std::array<quint64, kDurationBuckets.size()> buckets{}; // not cumulative
    quint64 count = 0;
    double sum = 0;

    void observe(double seconds);
};

class EventSession;

// Calls `done` on `context`'s thread with the future's result, or with nullopt when the future
// was canceled, holds an exception or has no result — exactly once, unless `context` is
// destroyed first.
template<typename T>
void whenFinished(QObject *context, QFuture<T> future, std::function<void(std::optional<T>)> done)
{
    auto callback = std::make_shared<std::function<void(std::optional<T>)>>(std::move(done));
    future
        .then(context,
              [callback](QFuture<T> finished) {
                  std::optional<T> value;
                  try {
                      if (finished.resultCount() > 0)
                          value.emplace(finished.result());
                  } catch (const std::exception &e) {
                      qCWarning(lcApi) << "a background task failed:" << e.what();
                  } catch (...) {
                      qCWarning(lcApi) << "a background task failed with an unknown exception";
                  }
                  (*callback)(std::move(value));
              })
        .onCanceled(context, [callback] { (*callback)(std::nullopt); });
}

} // namespace detail

class ApiServer::Private
{
public:
    // What a route needs (identity/rbac.h): nothing, any valid principal, or a permission its
    // role grants — within its own tenant for a session, and not while a session owes its
    // second factor (except SelfMfa).
    enum class Access
    {
        Public,        // no token (probes, metrics, SSO)
        Authenticated, // any valid token or session, even one that owes its second factor
        PlatformRead,
        PlatformManage,
        AuditRead,
        TenantRead,
        TenantManage,
        TenantIdentity,
        TenantOperate,
        Self,    // one's own session (sessions only)
        SelfMfa, // Self, also while the session owes its second factor
    };

    // The rbac permission of a permission-checked Access (Self for the others).
    static identity::Permission permissionFor(Access access);

    struct Request;
    using RequestPtr = std::shared_ptr<Request>;
    using Handler = std::function<void(const RequestPtr &)>;

    struct Endpoint
    {
        QHttpServerRequest::Method method;
        Access access = Access::Authenticated;
        QString auditAction; // set for state-changing endpoints: what their events are called
        Handler handler;
    };

    struct Route
    {
        QString pattern;      // "/api/v1/tokens/{id}": also the metrics label
        QStringList segments; // the pattern split at '/'; "{...}" matches one non-empty segment
        QString targetKind;   // audit target prefix for the first {...} ("api-token" →
                              // api-token:<id>; "tenant" → tenant:<slug>)
        bool quiet = false;   // probes and scrapes log at debug level when they succeed
        std::vector<Endpoint> endpoints;

        const Endpoint *find(QHttpServerRequest::Method method) const;
    };

    // One request from dispatch to its answer. Copies what it needs: QtHttpServer reuses the
    // QHttpServerRequest.
    struct Request
    {
        QPointer<detail::HttpConnection> connection;
        quint64 ticket = 0;
        QString requestId;
        QHttpServerRequest::Method method = QHttpServerRequest::Method::Unknown;
        QString path; // percent-encoded
        QUrl url;
        QByteArray body;
        QByteArray contentType;
        QList<QByteArray> ifMatch; // the If-Match header(s)
        // Every header but Authorization (the route lookup reads the affinity cookie or header).
        QList<QPair<QByteArray, QByteArray>> headers;
        QHostAddress peer;
        const Route *route = nullptr;
        QString parameter;      // the first {id} / {slug} path segment as sent (percent-encoded)
        QStringList parameters; // every {...} segment in order: {slug}, then e.g. {id}
        std::optional<identity::ApiPrincipal> principal;
        // /scim/ only: the SCIM bearer token (verified by ScimService, never logged).
        QByteArray scimToken;
        // /api/ only: the bearer the principal was verified from (never logged). Operator MFA
        // derives the key that seals the credential's TOTP secret from it.
        QByteArray bearer;
        bool finished = false;
    };

    using Receipt = Result<compliance::AuditReceipt>;
    using AfterRecord = std::function<void(const Receipt &)>;

    Private(ApiServer *owner, ServerDeps dependencies);
    ~Private();

    void addRoute(const QString &pattern, std::vector<Endpoint> endpoints, bool quiet = false,
                  const QString &targetKind = {});
    // The route and its "{...}" path segments, in order (percent-encoded).
    std::pair<const Route *, QStringList> matchRoute(const QString &path) const;

    bool adopt(QTcpSocket *socket);
    void dispatch(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    void refuseHandshake(const QHttpServerRequest &request, QHttpServerResponder &&responder);
    bool acceptsHandshake(const QHttpServerRequest &request) const;
    QFuture<detail::AuthOutcome> verify(const QByteArray &token);
    void recordFinished(const detail::RequestRecord &record, int status);

    // The request's route, method and role, then its handler.
    void proceed(const RequestPtr &request);
    // Answers (once); the request is no longer in flight.
    void finish(const RequestPtr &request, const detail::Answer &answer);
    // 401/403: recorded as `denied` for state-changing requests, within the denied-event cap.
    void refuse(const RequestPtr &request, const detail::Problem &problem);
    // 404/405: recorded as a failure for state-changing requests under /api/.
    void unmatched(const RequestPtr &request, const detail::Answer &answer);

    // ---- audit recording (apiroutes.cpp) ----
    // An event for this request: actor, source, request id, action and target filled in.
    compliance::AuditRecord auditRecordFor(const Request &request, const QString &outcome) const;
    // Records, then calls `next` on the event loop with the receipt or the error.
    void recordEvent(compliance::AuditRecord record, AfterRecord next);
    // Records, then answers `answer` — or 503 when the event could not be recorded.
    void finishRecorded(const RequestPtr &request, compliance::AuditRecord record,
                        const detail::Answer &answer);
    // A failure event for a request refused before it changed anything, then `problem`.
    void finishFailed(const RequestPtr &request, const detail::Problem &problem);
    // Runs `work` (blocking) on `pool` (default: the worker pool), then `next(result)` on the
    // event loop; an exception in `work` answers 500.
    template<typename Work, typename Next>
    void blocking(const RequestPtr &request, Work work, Next next, QThreadPool *pool = nullptr);

    // ---- routes ----
    void regions(const RequestPtr &request);
    void listAudit(const RequestPtr &request);
    void auditProof(const RequestPtr &request);
    void issueToken(const RequestPtr &request);
    void revokeToken(const RequestPtr &request);
    void createTenant(const RequestPtr &request);
    void listTenants(const RequestPtr &request);
    void getTenant(const RequestPtr &request);
    void updateTenant(const RequestPtr &request);
    void tenantAction(const RequestPtr &request, tenancy::LifecycleAction action);
    void moveTenant(const RequestPtr &request);
    void deleteTenant(const RequestPtr &request);
    void restoreTenant(const RequestPtr &request);
    void exportTenantData(const RequestPtr &request);
    // Tenant operations (tenantopsapi.cpp): users, usage, impersonations, data keys.
    void tenantUsage(const RequestPtr &request);
    void listTenantUsers(const RequestPtr &request);
    void addTenantUser(const RequestPtr &request);
    void startImpersonation(const RequestPtr &request);
    void listImpersonations(const RequestPtr &request);
    void getImpersonation(const RequestPtr &request);
    void endImpersonation(const RequestPtr &request);
    void impersonationOverview(const RequestPtr &request);
    void tenantKeyStatus(const RequestPtr &request);
    void rotateTenantKey(const RequestPtr &request);
    // The service is configured (and, for changes, the audit log); else answers 503.
    bool operationsAvailable(const RequestPtr &request, const void *service);
    // The {id} after the {slug} when it is a UUID; else answers 400 (recorded for changes).
    std::optional<QUuid> pathImpersonationId(const RequestPtr &request);
    // Answers a tenant operation that failed: `problem` when the API decided it, else the domain
    // error mapped by tenantOpsFailure — recorded as a failure by the API only when the domain
    // recorded nothing and it is a 4xx of a change.
    void answerOperationFailure(const RequestPtr &request, detail::TenantOpsOperation operation,
                                const std::optional<Error> &error,
                                const std::optional<detail::Problem> &problem, const QString &slug);
    // The registry is configured (and, for changes, the audit log); else answers 503.
    bool tenantsAvailable(const RequestPtr &request);
    // The {slug} of the path when it is one; else answers 400 (recorded for changes).
    std::optional<QString> pathSlug(const RequestPtr &request);
    // Who the registry records as acting: the request's token, source address and request id.
    tenancy::ActorContext tenantActor(const Request &request) const;
    // A failure event for a tenant request the registry refused or never saw (it recorded
    // nothing), then `problem`. `slug`: the tenant it was about, when known.
    void finishTenantFailed(const RequestPtr &request, const detail::Problem &problem,
                            const QString &slug = {});
    // Answers a tenant request from what its registry call produced: the tenant (with ETag, and
    // Location for a 201), or the problem — recorded as a failure by the API only when the
    // registry recorded nothing and it is a 4xx of a change.
    void answerTenant(const RequestPtr &request, detail::TenantOperation operation,
                      const detail::TenantOutcome &outcome, int successStatus,
                      bool preconditionGiven, const QString &slug);
    // Routing and traffic controls (trafficapi.cpp) over deps.traffic.
    void routeClient(const RequestPtr &request);
    void trafficReport(const RequestPtr &request);
    void trafficPolicy(const RequestPtr &request);
    void regionControl(const RequestPtr &request, detail::TrafficControl control);
    void regionWhatIf(const RequestPtr &request);
    void setTrafficWeights(const RequestPtr &request);
    // The runtime is configured and started (and, for changes, the audit log); else answers 503.
    bool trafficAvailable(const RequestPtr &request);
    // Answers a control the runtime refused or failed: a 4xx is recorded as a failure by the API
    // unless the runtime had already recorded its event (TrafficControls, record-then-change).
    void answerControlFailure(const RequestPtr &request, detail::TrafficControl control,
                              const Error &error,
                              const std::optional<routing::RegionOverride> &overrideBefore);
    // SAML SSO (ssoapi.cpp) over deps.sso: public routes, the service records its own events.
    void samlMetadata(const RequestPtr &request);
    void samlLogin(const RequestPtr &request);
    void samlAcs(const RequestPtr &request);
    void oidcLogin(const RequestPtr &request);
    void oidcCallback(const RequestPtr &request);
    void oidcJwks(const RequestPtr &request);
    void scimEndpoint(const RequestPtr &request);
    // Sessions, MFA and roles (sessionapi.cpp) over deps.sessions.
    void refreshSession(const RequestPtr &request);
    void whoAmI(const RequestPtr &request);
    void listRoles(const RequestPtr &request);
    void logout(const RequestPtr &request);
    void mfaStatus(const RequestPtr &request);
    void beginTotpEnrolment(const RequestPtr &request);
    void confirmTotp(const RequestPtr &request);
    void verifySecondFactor(const RequestPtr &request);
    void getMfaPolicy(const RequestPtr &request);
    void setMfaPolicy(const RequestPtr &request);
    void listSessions(const RequestPtr &request);
    void revokeSession(const RequestPtr &request);
    // The {"code": ...} body of the MFA routes; else answers 400/413/415 (recorded).
    std::optional<QString> secondFactorCode(const RequestPtr &request);
    // deps.sessions is configured (and, for changes, the audit log); else answers 503.
    bool sessionsAvailable(const RequestPtr &request);
    // Runs `work` on a worker with the operator MFA service, the principal, its bearer and the
    // audit actor; then `answer` (or the error's problem). 503 without an audit log.
    template<typename T>
    void
    withOperatorMfa(const RequestPtr &request,
                    std::function<Result<T>(identity::OperatorMfa &, const identity::ApiPrincipal &,
                                            const QByteArray &, const compliance::ActorContext &)>
                        work,
                    std::function<void(const T &)> answer);
    // The tenant of a /api/v1/tenants/{slug}/... route: the session's own, or looked up
    // (blocking, worker); then `next(id, slug)` or the problem.
    void withTenantId(const RequestPtr &request,
                      std::function<void(const QUuid &, const QString &)> next);
    void scimTokenStatus(const RequestPtr &request);
    // SSO connection management (ssoapi.cpp): presets, list, create from pasted metadata or an
    // issuer, enable/disable, and the role-mapping preview of unsaved rules.
    void listSsoPresets(const RequestPtr &request);
    void listSsoConnections(const RequestPtr &request);
    void createSsoConnection(const RequestPtr &request);
    void updateSsoConnection(const RequestPtr &request);
    void deleteSsoConnection(const RequestPtr &request);
    // A body-less change of /sso/connections/{id}: the slug and id checked, `change` run on a
    // worker, then `done` (or the error's problem).
    using SsoConnectionChange = std::function<Status(
        identity::SsoService &, const QString &, const QUuid &, const compliance::ActorContext &)>;
    void changeSsoConnection(const RequestPtr &request, const SsoConnectionChange &change,
                             const detail::Answer &done);
    // A connection's body (POST and PUT): parsed, checked, preset and metadata applied; or the
    // request is answered and nullopt returned.
    std::optional<identity::NewSsoConnection> ssoConnectionInput(const RequestPtr &request);
    // The {id} of /sso/connections/{id}...; or the request is answered (400) and nullopt.
    std::optional<QUuid> ssoConnectionId(const RequestPtr &request);
    void setSsoConnectionEnabled(const RequestPtr &request, bool enabled);
    void previewSsoRole(const RequestPtr &request);
    void rotateScimToken(const RequestPtr &request);
    QString scimBaseUrl(const QString &slug) const;
    // The {tenant} of an /sso/ path when it is a slug and SSO is configured; else answers.
    std::optional<QString> ssoTenant(const RequestPtr &request);
    detail::Answer readiness();
    detail::Answer metrics();

    void acceptWebSockets();
    void openSession(std::unique_ptr<QWebSocket> owned);
    void onSessionAuthenticated(detail::EventSession *session, const detail::AuthOutcome &outcome);
    void onSessionClosed(detail::EventSession *session);

    void onSnapshot(const storage::HealthSnapshotPtr &snapshot);
    QByteArray regionHealthEvent(const storage::HealthSnapshot *snapshot) const;

    void checkDrained();
    void finishDrain(bool graceExpired);

    ApiServer *q;
    ServerDeps deps;
    const ServerLimits limits;
    EventHub hub;
    QThreadPool workers;
    QThreadPool tenantWorkers; // tenant changes (slow: provisioning, moves)
    QHttpServer http;
    std::vector<std::unique_ptr<Route>> routes;
    std::vector<QPointer<detail::GuardedTcpServer>> listeners;
    QHash<QTcpSocket *, QPointer<detail::HttpConnection>> connections;
    detail::ConnectionHooks hooks;
    QSet<detail::EventSession *> sessions;

    std::map<std::pair<QString, int>, quint64> requestCounts;
    std::map<QString, detail::DurationHistogram> requestDurations;

    std::unique_ptr<identity::OperatorMfa> operatorMfa; // with an audit log only
    detail::DeniedEventLimiter deniedEvents;
    std::map<QString, quint64> auditEventsRecorded; // by outcome
    quint64 auditRecordFailures = 0;

    storage::HealthSnapshotPtr lastPublished;
    std::chrono::steady_clock::time_point lastPublishedAt;

    int inFlight = 0;
    bool draining = false;
    bool drainFinished = false;
    QTimer graceTimer;
};

template<typename Work, typename Next>
void ApiServer::Private::blocking(const RequestPtr &request, Work work, Next next,
                                  QThreadPool *pool)
{
    using T = std::invoke_result_t<Work>;
    QFuture<std::optional<T>> future =
        QtConcurrent::run(pool ? pool : &workers, [work = std::move(work)]() -> std::optional<T> {
            try {
                return std::optional<T>(work());
            } catch (const std::exception &e) {
                qCWarning(lcApi) << "a blocking task threw:" << e.what();
                return std::nullopt;
            }
        });
    detail::whenFinished<std::optional<T>>(
        q, future,
        [this, request, next = std::move(next)](std::optional<std::optional<T>> value) mutable {
            if (!value || !*value)
                return finish(request, detail::problemAnswer(detail::internalError()));
            next(std::move(**value));
        });
}

} // namespace upcoach::api
