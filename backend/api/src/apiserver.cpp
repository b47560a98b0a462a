#include "upcoach/api/apiserver.h"

#include "healthjson.h"
#include "prometheus.h"
#include "serverprivate.h"
#include "upcoach/identity/rbac.h"
#include "upcoach/identity/sessions.h"

#include <QHttpServerRouterRule>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QUrlQuery>

namespace upcoach::api {

using namespace detail;
using StatusCode = QHttpServerResponder::StatusCode;

namespace {

const char kEventsPath[] = "/api/v1/events";
const char kRegionHealthTopic[] = "region-health";
constexpr std::chrono::milliseconds kWebSocketCloseTimeout{5000};
constexpr quint64 kMaxIncomingWebSocketMessage = 4096;

// A router rule decided by a predicate over the whole request (method, path and headers), which
// QtHttpServer 6.4's pattern rules cannot express.
class PredicateRule final : public QHttpServerRouterRule
{
public:
    using Predicate = std::function<bool(const QHttpServerRequest &)>;
    PredicateRule(const QString &pattern, Predicate predicate, RouterHandler handler)
        : QHttpServerRouterRule(pattern, std::move(handler))
        , m_predicate(std::move(predicate))
    {}

protected:
    bool matches(const QHttpServerRequest &request, QRegularExpressionMatch *) const override
    {
        return m_predicate(request);
    }

private:
    Predicate m_predicate;
};

// The path as routed and logged: percent-encoded (so a log line cannot be forged with an
// encoded line break), never the query string (which may carry access_token).
QString requestPath(const QUrl &url)
{
    const QString path = url.path(QUrl::FullyEncoded);
    return path.isEmpty() ? QStringLiteral("/") : path;
}

QString loggable(const QString &path)
{
    constexpr qsizetype kMaxLoggedPath = 200;
    return path.size() > kMaxLoggedPath ? path.left(kMaxLoggedPath) + QStringLiteral("...") : path;
}

} // namespace

namespace detail {

QByteArray methodName(QHttpServerRequest::Method method)
{
    using M = QHttpServerRequest::Method;
    switch (method) {
    case M::Get:
        return "GET";
    case M::Put:
        return "PUT";
    case M::Delete:
        return "DELETE";
    case M::Post:
        return "POST";
    case M::Head:
        return "HEAD";
    case M::Options:
        return "OPTIONS";
    case M::Patch:
        return "PATCH";
    case M::Connect:
        return "CONNECT";
    case M::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

bool isStateChanging(QHttpServerRequest::Method method)
{
    using M = QHttpServerRequest::Method;
    return method == M::Post || method == M::Put || method == M::Patch || method == M::Delete;
}

Answer jsonAnswer(const QJsonObject &body, int status)
{
    return rawJsonAnswer(QJsonDocument(body).toJson(QJsonDocument::Compact), status);
}

Answer rawJsonAnswer(QByteArray body, int status)
{
    return Answer{status, QByteArrayLiteral("application/json"), std::move(body), {}};
}

Answer problemAnswer(const Problem &problem)
{
    Answer answer{
        problem.status, QByteArrayLiteral("application/problem+json"), problemJson(problem), {}};
    if (problem.status == 401)
        answer.headers.emplace_back(QByteArrayLiteral("WWW-Authenticate"),
                                    QByteArrayLiteral("Bearer realm=\"upcoach-ops\""));
    if (problem.status == 503)
        answer.headers.emplace_back(QByteArrayLiteral("Retry-After"), QByteArrayLiteral("5"));
    return answer;
}

QHttpServerResponse toResponse(const Answer &answer)
{
    QHttpServerResponse response =
        answer.contentType.isEmpty() && answer.body.isEmpty()
            ? QHttpServerResponse(StatusCode(answer.status))
            : QHttpServerResponse(answer.contentType, answer.body, StatusCode(answer.status));
    for (const auto &[name, value] : answer.headers)
        response.setHeader(name, value);
    return response;
}

void DurationHistogram::observe(double seconds)
{
    for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
        if (seconds <= kDurationBuckets[i]) {
            ++buckets[i];
            break;
        }
    }
    ++count;
    sum += seconds;
}

// One /api/v1/events client.
class EventSession final : public QObject
{
public:
    enum class State
    {
        Authenticating,
        Streaming,
        Closing
    };

    using QObject::QObject;

    QWebSocket *socket = nullptr;
    State state = State::Authenticating;
    QString tokenId;
    std::chrono::steady_clock::time_point opened;
    QTimer closeDeadline;

    void closeWith(QWebSocketProtocol::CloseCode code, const QString &reason)
    {
        if (state == State::Closing)
            return;
        state = State::Closing;
        socket->close(code, reason);
        // A peer that never answers the close handshake is cut off.
        closeDeadline.setSingleShot(true);
        connect(&closeDeadline, &QTimer::timeout, socket, &QWebSocket::abort);
        closeDeadline.start(kWebSocketCloseTimeout);
    }
};

} // namespace detail

identity::Permission ApiServer::Private::permissionFor(Access access)
{
    switch (access) {
    case Access::PlatformRead:
        return identity::Permission::PlatformRead;
    case Access::PlatformManage:
        return identity::Permission::PlatformManage;
    case Access::AuditRead:
        return identity::Permission::AuditRead;
    case Access::TenantRead:
        return identity::Permission::TenantRead;
    case Access::TenantManage:
        return identity::Permission::TenantManage;
    case Access::TenantIdentity:
        return identity::Permission::TenantIdentity;
    case Access::TenantOperate:
        return identity::Permission::TenantOperate;
    case Access::Public:
    case Access::Authenticated:
    case Access::Self:
    case Access::SelfMfa:
        break;
    }
    return identity::Permission::Self;
}

namespace {

// An API token, or (JWT-shaped, when sessions are configured) a session's access token.
AuthOutcome verifyBlocking(identity::ApiTokenStore *tokens, identity::SessionService *sessions,
                           const QByteArray &token)
{
    AuthOutcome outcome;
    try {
        const Result<identity::ApiPrincipal> verified =
            sessions && identity::SessionService::looksLikeAccessToken(token)
                ? sessions->verifyAccessToken(token)
                : tokens->verify(token);
        if (verified) {
            outcome.kind = AuthOutcome::Kind::Accepted;
            outcome.principal = verified.value();
            return outcome;
        }
        switch (verified.error().code) {
        case ErrorCode::Unauthorized:
        case ErrorCode::Forbidden:
        case ErrorCode::InvalidInput:
        case ErrorCode::NotFound:
            outcome.kind = AuthOutcome::Kind::Rejected;
            break;
        default:
            outcome.kind = AuthOutcome::Kind::Unavailable;
            qCWarning(lcApi).noquote() << "token verification failed:" << verified.error().message;
        }
    } catch (const std::exception &e) {
        outcome.kind = AuthOutcome::Kind::Unavailable;
        qCWarning(lcApi) << "token verification threw:" << e.what();
    }
    return outcome;
}

} // namespace

ApiServer::Private::Private(ApiServer *owner, ServerDeps dependencies)
    : q(owner)
    , deps(std::move(dependencies))
    , limits(deps.limits)
    , deniedEvents(limits.deniedAuditEventsPerSource, limits.deniedAuditEventsTotal,
                   limits.deniedAuditWindow)
{
    Q_ASSERT(deps.catalog && deps.monitor && deps.tokens && deps.clock);
    workers.setMaxThreadCount(std::max(1, limits.workerThreads));
    workers.setObjectName(QStringLiteral("api-workers"));
    if (deps.audit)
        operatorMfa = std::make_unique<identity::OperatorMfa>(
            deps.tokens->controlPlane(), *deps.tokens, *deps.audit, *deps.clock);
    tenantWorkers.setMaxThreadCount(std::max(1, limits.tenantWorkerThreads));
    tenantWorkers.setObjectName(QStringLiteral("api-tenant-workers"));

    using Method = QHttpServerRequest::Method;
    addRoute(QStringLiteral("/healthz"),
             {{Method::Get,
               Access::Public,
               {},
               [this](const RequestPtr &request) {
                   finish(request, jsonAnswer({{QStringLiteral("status"), QStringLiteral("ok")}}));
               }}},
             true);
    addRoute(QStringLiteral("/readyz"),
             {{Method::Get,
               Access::Public,
               {},
               [this](const RequestPtr &request) { finish(request, readiness()); }}},
             true);
    addRoute(QStringLiteral("/metrics"),
             {{Method::Get,
               Access::Public,
               {},
               [this](const RequestPtr &request) { finish(request, metrics()); }}},
             true);
    addRoute(QStringLiteral("/api/v1/regions"),
             {{Method::Get, Access::PlatformRead, {}, [this](const RequestPtr &request) {
                   regions(request);
               }}});
    addRoute(QString::fromLatin1(kEventsPath),
             {{Method::Get, Access::PlatformRead, {}, [this](const RequestPtr &request) {
                   Answer answer = problemAnswer(upgradeRequired());
                   answer.headers.emplace_back(QByteArrayLiteral("Upgrade"),
                                               QByteArrayLiteral("websocket"));
                   finish(request, answer);
               }}});
    addRoute(QStringLiteral("/api/v1/audit"),
             {{Method::Get, Access::AuditRead, {}, [this](const RequestPtr &request) {
                   listAudit(request);
               }}});
    addRoute(QStringLiteral("/api/v1/audit/{id}/proof"),
             {{Method::Get,
               Access::AuditRead,
               {},
               [this](const RequestPtr &request) { auditProof(request); }}},
             false, QStringLiteral("audit-event"));
    addRoute(QStringLiteral("/api/v1/tokens"),
             {{Method::Post, Access::PlatformManage, QStringLiteral("api-token.issue"),
               [this](const RequestPtr &request) { issueToken(request); }}});
    addRoute(QStringLiteral("/api/v1/tokens/{id}"),
             {{Method::Delete, Access::PlatformManage, QStringLiteral("api-token.revoke"),
               [this](const RequestPtr &request) { revokeToken(request); }}},
             false, QStringLiteral("api-token"));
    addRoute(QStringLiteral("/api/v1/tenants"),
             {{Method::Get,
               Access::PlatformRead,
               {},
               [this](const RequestPtr &request) { listTenants(request); }},
              {Method::Post, Access::PlatformManage, QStringLiteral("tenant.create"),
               [this](const RequestPtr &request) { createTenant(request); }}});
    addRoute(QStringLiteral("/api/v1/tenants/{slug}"),
             {{Method::Get,
               Access::TenantRead,
               {},
               [this](const RequestPtr &request) { getTenant(request); }},
              {Method::Patch, Access::PlatformManage, QStringLiteral("tenant.update"),
               [this](const RequestPtr &request) { updateTenant(request); }},
              {Method::Delete, Access::PlatformManage, QStringLiteral("tenant.delete"),
               [this](const RequestPtr &request) { deleteTenant(request); }}},
             false, QStringLiteral("tenant"));
    for (const tenancy::LifecycleAction action :
         {tenancy::LifecycleAction::Activate, tenancy::LifecycleAction::Suspend,
          tenancy::LifecycleAction::Cancel, tenancy::LifecycleAction::Reactivate}) {
        const QString name = tenancy::actionName(action);
        addRoute(QStringLiteral("/api/v1/tenants/{slug}/") + name,
                 {{Method::Post, Access::PlatformManage, QStringLiteral("tenant.") + name,
                   [this, action](const RequestPtr &request) { tenantAction(request, action); }}},
                 false, QStringLiteral("tenant"));
    }
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/move"),
             {{Method::Post, Access::PlatformManage, QStringLiteral("tenant.move"),
               [this](const RequestPtr &request) { moveTenant(request); }}},
             false, QStringLiteral("tenant"));
    // The actions are named after the registry's events, so a refused request and a done one
    // share one action in the audit log.
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/restore"),
             {{Method::Post, Access::PlatformManage, QStringLiteral("tenant.delete-canceled"),
               [this](const RequestPtr &request) { restoreTenant(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/export"),
             {{Method::Post, Access::PlatformManage, QStringLiteral("tenant.export"),
               [this](const RequestPtr &request) { exportTenantData(request); }}},
             false, QStringLiteral("tenant"));
    // Tenant operations. Changes are named after the domain's events, like the tenant routes.
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/usage"),
             {{Method::Get,
               Access::TenantRead,
               {},
               [this](const RequestPtr &request) { tenantUsage(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/users"),
             {{Method::Get,
               Access::TenantRead,
               {},
               [this](const RequestPtr &request) { listTenantUsers(request); }},
              {Method::Post, Access::TenantManage, QStringLiteral("tenant.user.add"),
               [this](const RequestPtr &request) { addTenantUser(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/impersonations"),
             {{Method::Get,
               Access::TenantRead,
               {},
               [this](const RequestPtr &request) { listImpersonations(request); }},
              {Method::Post, Access::TenantOperate, QStringLiteral("tenant.impersonation.start"),
               [this](const RequestPtr &request) { startImpersonation(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/impersonations/{id}"),
             {{Method::Get,
               Access::TenantRead,
               {},
               [this](const RequestPtr &request) { getImpersonation(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/impersonations/{id}/end"),
             {{Method::Post, Access::TenantOperate, QStringLiteral("tenant.impersonation.end"),
               [this](const RequestPtr &request) { endImpersonation(request); }}},
             false, QStringLiteral("tenant"));
    // Acting as the subject: an operator's act, recorded by the domain with both identities.
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/impersonations/{id}/overview"),
             {{Method::Get,
               Access::TenantOperate,
               {},
               [this](const RequestPtr &request) { impersonationOverview(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/keys"),
             {{Method::Get,
               Access::TenantRead,
               {},
               [this](const RequestPtr &request) { tenantKeyStatus(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/keys/rotate"),
             {{Method::Post, Access::TenantOperate, QStringLiteral("tenant.key.rotate"),
               [this](const RequestPtr &request) { rotateTenantKey(request); }}},
             false, QStringLiteral("tenant"));

    // Routing and traffic controls. Controls are named after the events TrafficControls
    // records, so a refused request and a done one share one action in the audit log.
    addRoute(QStringLiteral("/api/v1/route"),
             {{Method::Get, Access::PlatformRead, {}, [this](const RequestPtr &request) {
                   routeClient(request);
               }}});
    addRoute(QStringLiteral("/api/v1/traffic"),
             {{Method::Get, Access::PlatformRead, {}, [this](const RequestPtr &request) {
                   trafficReport(request);
               }}});
    addRoute(QStringLiteral("/api/v1/traffic/policy"),
             {{Method::Get, Access::PlatformRead, {}, [this](const RequestPtr &request) {
                   trafficPolicy(request);
               }}});
    for (const auto &[name, control] :
         {std::pair{QStringLiteral("drain"), TrafficControl::Drain},
          std::pair{QStringLiteral("undrain"), TrafficControl::Undrain},
          std::pair{QStringLiteral("failover"), TrafficControl::Failover}}) {
        addRoute(QStringLiteral("/api/v1/regions/{id}/") + name,
                 {{Method::Post, Access::PlatformManage, QStringLiteral("traffic.region.") + name,
                   [this, control = control](const RequestPtr &request) {
                       regionControl(request, control);
                   }}},
                 false, QStringLiteral("region"));
    }
    addRoute(QStringLiteral("/api/v1/regions/{id}/what-if"),
             {{Method::Get,
               Access::PlatformRead,
               {},
               [this](const RequestPtr &request) { regionWhatIf(request); }}},
             false, QStringLiteral("region"));
    addRoute(QStringLiteral("/api/v1/traffic/weights/{rule}"),
             {{Method::Put, Access::PlatformManage, QStringLiteral("traffic.weights.set"),
               [this](const RequestPtr &request) { setTrafficWeights(request); }}},
             false, QStringLiteral("rule"));

    // SAML SSO: public (browsers and IdPs); SsoService records every login attempt itself.
    addRoute(QStringLiteral("/sso/saml/{tenant}/metadata"),
             {{Method::Get,
               Access::Public,
               {},
               [this](const RequestPtr &request) { samlMetadata(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/sso/saml/{tenant}/login"),
             {{Method::Get,
               Access::Public,
               {},
               [this](const RequestPtr &request) { samlLogin(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/sso/saml/{tenant}/acs"),
             {{Method::Post,
               Access::Public,
               {},
               [this](const RequestPtr &request) { samlAcs(request); }}},
             false, QStringLiteral("tenant"));

    // OpenID Connect: public as well (browsers follow the redirects; the provider may fetch
    // the client's keys).
    addRoute(QStringLiteral("/sso/oidc/{tenant}/login"),
             {{Method::Get,
               Access::Public,
               {},
               [this](const RequestPtr &request) { oidcLogin(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/sso/oidc/{tenant}/callback"),
             {{Method::Get,
               Access::Public,
               {},
               [this](const RequestPtr &request) { oidcCallback(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/sso/oidc/{tenant}/jwks"),
             {{Method::Get,
               Access::Public,
               {},
               [this](const RequestPtr &request) { oidcJwks(request); }}},
             false, QStringLiteral("tenant"));

    // SCIM 2.0 (RFC 7644): the tenant's SCIM token, checked by ScimService, which records
    // every change itself. One handler per shape; the service dispatches by endpoint.
    for (const QString &pattern : {QStringLiteral("/scim/v2/{tenant}/{endpoint}"),
                                   QStringLiteral("/scim/v2/{tenant}/{endpoint}/{id}")}) {
        std::vector<Endpoint> endpoints;
        for (const Method method :
             {Method::Get, Method::Post, Method::Put, Method::Patch, Method::Delete})
            endpoints.push_back({method, Access::Public, {}, [this](const RequestPtr &request) {
                                     scimEndpoint(request);
                                 }});
        addRoute(pattern, std::move(endpoints), false, QStringLiteral("tenant"));
    }
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/scim-token"),
             {{Method::Get,
               Access::TenantRead,
               {},
               [this](const RequestPtr &request) { scimTokenStatus(request); }},
              {Method::Post, Access::TenantIdentity, QStringLiteral("sso.scim.token-rotate"),
               [this](const RequestPtr &request) { rotateScimToken(request); }}},
             false, QStringLiteral("tenant"));

    // SSO connections: presets (any principal), the tenant's connections (read: tenant.read;
    // changes: tenant.identity, recorded by SsoService), and the role-mapping preview.
    addRoute(QStringLiteral("/api/v1/sso/presets"),
             {{Method::Get, Access::Authenticated, {}, [this](const RequestPtr &request) {
                   listSsoPresets(request);
               }}});
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/sso/connections"),
             {{Method::Get,
               Access::TenantRead,
               {},
               [this](const RequestPtr &request) { listSsoConnections(request); }},
              {Method::Post, Access::TenantIdentity, QStringLiteral("sso.connection.create"),
               [this](const RequestPtr &request) { createSsoConnection(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/sso/connections/{id}"),
             {{Method::Put, Access::TenantIdentity, QStringLiteral("sso.connection.update"),
               [this](const RequestPtr &request) { updateSsoConnection(request); }},
              {Method::Delete, Access::TenantIdentity, QStringLiteral("sso.connection.delete"),
               [this](const RequestPtr &request) { deleteSsoConnection(request); }}},
             false, QStringLiteral("tenant"));
    for (const bool enable : {true, false})
        addRoute(QStringLiteral("/api/v1/tenants/{slug}/sso/connections/{id}/") +
                     (enable ? QStringLiteral("enable") : QStringLiteral("disable")),
                 {{Method::Post, Access::TenantIdentity,
                   enable ? QStringLiteral("sso.connection.enable")
                          : QStringLiteral("sso.connection.disable"),
                   [this, enable](const RequestPtr &request) {
                       setSsoConnectionEnabled(request, enable);
                   }}},
                 false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/sso/role-preview"),
             {{Method::Post, Access::TenantRead, QStringLiteral("sso.role-preview"),
               [this](const RequestPtr &request) { previewSsoRole(request); }}},
             false, QStringLiteral("tenant"));

    // Sessions (after SSO), MFA and roles. The refresh token is its own credential, so the
    // refresh route is public; the service records every session and MFA event itself.
    addRoute(QStringLiteral("/sso/session/refresh"),
             {{Method::Post, Access::Public, {}, [this](const RequestPtr &request) {
                   refreshSession(request);
               }}});
    addRoute(QStringLiteral("/api/v1/me"),
             {{Method::Get, Access::Authenticated, {}, [this](const RequestPtr &request) {
                   whoAmI(request);
               }}});
    addRoute(QStringLiteral("/api/v1/roles"),
             {{Method::Get, Access::Authenticated, {}, [this](const RequestPtr &request) {
                   listRoles(request);
               }}});
    addRoute(QStringLiteral("/api/v1/me/logout"),
             {{Method::Post, Access::SelfMfa, QStringLiteral("session.revoke"),
               [this](const RequestPtr &request) { logout(request); }}});
    addRoute(QStringLiteral("/api/v1/me/mfa"),
             {{Method::Get, Access::SelfMfa, {}, [this](const RequestPtr &request) {
                   mfaStatus(request);
               }}});
    addRoute(QStringLiteral("/api/v1/me/mfa/totp"),
             {{Method::Post, Access::SelfMfa, QStringLiteral("mfa.totp.enrol-start"),
               [this](const RequestPtr &request) { beginTotpEnrolment(request); }}});
    addRoute(QStringLiteral("/api/v1/me/mfa/totp/confirm"),
             {{Method::Post, Access::SelfMfa, QStringLiteral("mfa.totp.enrol"),
               [this](const RequestPtr &request) { confirmTotp(request); }}});
    addRoute(QStringLiteral("/api/v1/me/mfa/verify"),
             {{Method::Post, Access::SelfMfa, QStringLiteral("mfa.verify"),
               [this](const RequestPtr &request) { verifySecondFactor(request); }}});
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/mfa-policy"),
             {{Method::Get,
               Access::TenantRead,
               {},
               [this](const RequestPtr &request) { getMfaPolicy(request); }},
              {Method::Put, Access::TenantIdentity, QStringLiteral("mfa.policy.set"),
               [this](const RequestPtr &request) { setMfaPolicy(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/sessions"),
             {{Method::Get,
               Access::TenantIdentity,
               {},
               [this](const RequestPtr &request) { listSessions(request); }}},
             false, QStringLiteral("tenant"));
    addRoute(QStringLiteral("/api/v1/tenants/{slug}/sessions/{id}"),
             {{Method::Delete, Access::TenantIdentity, QStringLiteral("session.revoke"),
               [this](const RequestPtr &request) { revokeSession(request); }}},
             false, QStringLiteral("tenant"));

    // The WebSocket handshake: QtHttpServer 6.4 upgrades only requests a rule accepts, which
    // lets the cheap checks (path, draining, capacity, a credential at all) refuse with a
    // proper HTTP answer; the token itself is verified after the upgrade (database → worker).
    http.route<PredicateRule>(
        QString::fromLatin1(kEventsPath),
        [this](const QHttpServerRequest &request) { return acceptsHandshake(request); },
        [](const QHttpServerRequest &, QHttpServerResponder &&) {});
    // Everything else goes through one dispatcher: QtHttpServer 6.4's router cannot tell 404
    // from 405, nor keep a connection's responses in order.
    http.route<PredicateRule>(
        QStringLiteral("/"),
        [](const QHttpServerRequest &request) { return !isWebSocketUpgrade(request.headers()); },
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            dispatch(request, std::move(responder));
        });
    http.setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            if (isWebSocketUpgrade(request.headers()))
                refuseHandshake(request, std::move(responder));
            else
                dispatch(request, std::move(responder));
        });
    QObject::connect(&http, &QAbstractHttpServer::newWebSocketConnection, q,
                     [this] { acceptWebSockets(); });

    hooks.finished = [this](const RequestRecord &record, int status) {
        recordFinished(record, status);
    };
    hooks.gone = [this](HttpConnection *connection) {
        connections.remove(connection->socket());
        checkDrained();
    };

    lastPublished = deps.monitor->latest();
    lastPublishedAt = deps.clock->steadyNow();
    hub.publish(QString::fromLatin1(kRegionHealthTopic), regionHealthEvent(lastPublished.get()));
    QObject::connect(deps.monitor, &storage::RegionMonitor::snapshotPublished, q,
                     [this](const storage::HealthSnapshotPtr &snapshot) { onSnapshot(snapshot); });

    graceTimer.setSingleShot(true);
    QObject::connect(&graceTimer, &QTimer::timeout, q, [this] { finishDrain(true); });
}

ApiServer::Private::~Private()
{
    for (const QPointer<HttpConnection> &connection : std::as_const(connections)) {
        if (connection)
            connection->detach();
    }
    const QSet<EventSession *> open = std::exchange(sessions, {});
    for (EventSession *session : open)
        delete session; // its connections go first, so no slot sees a half-destroyed server
    workers.waitForDone();
    tenantWorkers.waitForDone();
}

bool ApiServer::Private::adopt(QTcpSocket *socket)
{
    if (connections.size() >= limits.maxConnections) {
        qCWarning(lcApi) << "refusing a connection: already" << connections.size() << "open";
        Problem busy{503,
                     QStringLiteral("too-many-connections"),
                     QStringLiteral("Too many connections"),
                     QStringLiteral("the server has too many open connections; retry shortly"),
                     {}};
        socket->write(rawProblemResponse(busy, newRequestId().toLatin1()));
        socket->disconnectFromHost();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return false;
    }
    auto *connection = new HttpConnection(socket, &http, limits, &hooks);
    connections.insert(socket, connection);
    return true;
}

void ApiServer::Private::addRoute(const QString &pattern, std::vector<Endpoint> endpoints,
                                  bool quiet, const QString &targetKind)
{
    auto route = std::make_unique<Route>();
    route->pattern = pattern;
    route->segments = pattern.split(QLatin1Char('/'));
    route->targetKind = targetKind;
    route->quiet = quiet;
    route->endpoints = std::move(endpoints);
    routes.push_back(std::move(route));
}

const ApiServer::Private::Endpoint *
ApiServer::Private::Route::find(QHttpServerRequest::Method method) const
{
    for (const Endpoint &endpoint : endpoints) {
        if (endpoint.method == method)
            return &endpoint;
    }
    return nullptr;
}

std::pair<const ApiServer::Private::Route *, QStringList>
ApiServer::Private::matchRoute(const QString &path) const
{
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const std::unique_ptr<Route> &route : routes) {
        if (route->segments.size() != parts.size())
            continue;
        QStringList parameters;
        bool matches = true;
        for (qsizetype i = 0; i < parts.size() && matches; ++i) {
            const QString &segment = route->segments.at(i);
            if (segment.startsWith(QLatin1Char('{')) && segment.endsWith(QLatin1Char('}'))) {
                parameters.append(parts.at(i));
                matches = !parts.at(i).isEmpty();
            } else {
                matches = route->segments.at(i) == parts.at(i);
            }
        }
        if (matches)
            return {route.get(), parameters};
    }
    return {nullptr, {}};
}

void ApiServer::Private::dispatch(const QHttpServerRequest &request,
                                  QHttpServerResponder &&responder)
{
    const QUrl url = request.url();
    const QString path = requestPath(url);
    const auto [route, parameters] = matchRoute(path);
    const QHttpServerRequest::Method method = request.method();
    const QList<QPair<QByteArray, QByteArray>> headers = request.headers();
    const QList<QByteArray> incomingIds = headerValues(headers, "x-request-id");
    const QString requestId = incomingIds.size() == 1 && isWellFormedRequestId(incomingIds.first())
                                  ? QString::fromLatin1(incomingIds.first())
                                  : newRequestId();
    RequestRecord record{methodName(method),
                         loggable(path),
                         route ? route->pattern : QStringLiteral("unmatched"),
                         deps.clock->steadyNow(),
                         route && route->quiet,
                         requestId};

    HttpConnection *connection = connections.value(responder.socket());
    if (!connection) {
        // Every accepted socket is adopted; this is reached only if QtHttpServer changes that.
        QHttpServerResponse response = toResponse(problemAnswer(shuttingDown()));
        response.setHeader(QByteArrayLiteral("X-Request-Id"), requestId.toLatin1());
        const int status = int(response.statusCode());
        response.write(std::move(responder));
        recordFinished(record, status);
        return;
    }
    auto pending = std::make_shared<Request>();
    pending->ticket =
        connection->enqueue(std::make_unique<QHttpServerResponder>(std::move(responder)), record);
    pending->connection = connection;
    pending->requestId = requestId;
    pending->method = method;
    pending->path = path;
    pending->url = url;
    pending->body = request.body();
    pending->contentType = headerValues(headers, "content-type").join(", ");
    pending->ifMatch = headerValues(headers, "if-match");
    for (const auto &header : headers) {
        if (header.first.compare("authorization", Qt::CaseInsensitive) != 0)
            pending->headers.append(header);
    }
    pending->peer = connection->socket()->peerAddress();
    pending->route = route;
    pending->parameters = parameters;
    pending->parameter = parameters.value(0);
    ++inFlight;

    // Backstops for what the connection scanner refuses earlier in all but odd cases.
    if (path.size() + url.query(QUrl::FullyEncoded).size() > limits.maxUrlBytes)
        return finish(pending, problemAnswer(uriTooLong(limits.maxUrlBytes)));
    if (pending->body.size() > limits.maxBodyBytes) {
        if (!path.startsWith(QLatin1String("/scim/")))
            return finish(pending, problemAnswer(payloadTooLarge(limits.maxBodyBytes)));
        Answer tooLarge = rawJsonAnswer(scimErrorJson(payloadTooLarge(limits.maxBodyBytes)), 413);
        tooLarge.contentType = QByteArrayLiteral("application/scim+json");
        return finish(pending, tooLarge);
    }
    if (draining)
        return finish(pending, problemAnswer(shuttingDown()));
    if (path.startsWith(QLatin1String("/scim/"))) {
        // SCIM clients authenticate with the tenant's SCIM token, which ScimService checks.
        const Credential credential = bearerFromHeaders(headers);
        if (credential.state == CredentialState::Present)
            pending->scimToken = credential.token;
        return proceed(pending);
    }
    if (!path.startsWith(QLatin1String("/api/")))
        return proceed(pending);

    // Everything under /api/ needs a bearer token, even paths that do not exist (so the
    // answer does not reveal which do). One answer for every kind of failure.
    const Credential credential = bearerFromHeaders(headers);
    if (credential.state != CredentialState::Present)
        return refuse(pending, unauthorized());
    verify(credential.token)
        .then(q, [this, pending, bearer = credential.token](const AuthOutcome &outcome) {
            switch (outcome.kind) {
            case AuthOutcome::Kind::Accepted:
                pending->principal = outcome.principal;
                pending->bearer = bearer;
                proceed(pending);
                break;
            case AuthOutcome::Kind::Rejected:
                refuse(pending, unauthorized());
                break;
            case AuthOutcome::Kind::Unavailable:
                finish(pending, problemAnswer(authUnavailable()));
                break;
            }
        });
}

void ApiServer::Private::proceed(const RequestPtr &request)
{
    const Route *route = request->route;
    if (!route)
        return unmatched(request, problemAnswer(notFound()));
    const Endpoint *endpoint = route->find(request->method);
    if (!endpoint) {
        Answer answer = problemAnswer(methodNotAllowed());
        QByteArrayList allowed;
        for (const Endpoint &candidate : route->endpoints)
            allowed.append(methodName(candidate.method));
        answer.headers.emplace_back(QByteArrayLiteral("Allow"), allowed.join(", "));
        return unmatched(request, answer);
    }
    if (endpoint->access != Access::Public && !request->principal) {
        // Only reachable by a route outside /api/ declared as needing a token: a bug.
        qCCritical(lcApi).noquote() << "route" << route->pattern << "needs a token but is public";
        return finish(request, problemAnswer(internalError()));
    }
    if (endpoint->access == Access::Public || endpoint->access == Access::Authenticated)
        return endpoint->handler(request);
    const identity::Permission permission = permissionFor(endpoint->access);
    const QString slug = route->targetKind == QLatin1String("tenant")
                             ? QUrl::fromPercentEncoding(request->parameter.toUtf8())
                             : QString();
    switch (identity::decideAccess(*request->principal, permission, slug,
                                   endpoint->access == Access::SelfMfa)) {
    case identity::AccessDecision::Allowed:
        return endpoint->handler(request);
    case identity::AccessDecision::OtherTenant:
        // Another tenant's routes do not exist for a tenant's user.
        return refuse(request, notFound());
    case identity::AccessDecision::MfaPending:
        if (!request->principal->isSession())
            return refuse(request,
                          forbidden(QStringLiteral(
                              "an operator credential needs its second factor: exchange a TOTP "
                              "code for an operator session at POST /api/v1/me/mfa/verify (enrol "
                              "an authenticator first at POST /api/v1/me/mfa/totp)")));
        return refuse(request,
                      forbidden(QStringLiteral("this session owes its second factor: give it at "
                                               "POST /api/v1/me/mfa/verify (or enrol at POST "
                                               "/api/v1/me/mfa/totp)")));
    case identity::AccessDecision::Forbidden:
        break;
    }
    const identity::RoleDefinition *role = identity::roleDefinition(request->principal->role);
    return refuse(request,
                  forbidden(QStringLiteral("this operation needs the %1 permission, which the role "
                                           "%2 does not grant")
                                .arg(identity::permissionName(permission),
                                     role ? role->name : QStringLiteral("(unknown)"))));
}

void ApiServer::Private::finish(const RequestPtr &request, const Answer &answer)
{
    if (request->finished)
        return;
    request->finished = true;
    --inFlight;
    if (request->connection) { // else the client left; counted as 499 when it did
        QHttpServerResponse response = toResponse(answer);
        response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
        response.setHeader(QByteArrayLiteral("X-Content-Type-Options"),
                           QByteArrayLiteral("nosniff"));
        response.setHeader(QByteArrayLiteral("X-Request-Id"), request->requestId.toLatin1());
        request->connection->complete(request->ticket, std::move(response));
    }
    checkDrained();
}

void ApiServer::Private::refuse(const RequestPtr &request, const Problem &problem)
{
    const Answer answer = problemAnswer(problem);
    if (!isStateChanging(request->method) || !deps.audit)
        return finish(request, answer);
    if (!deniedEvents.admit(request->peer, deps.clock->steadyNow()))
        return finish(request, answer); // counted in upcoach_audit_denied_events_dropped_total
    compliance::AuditRecord record = auditRecordFor(*request, QStringLiteral("denied"));
    record.details =
        QJsonObject{{QStringLiteral("status"), problem.status},
                    {QStringLiteral("method"), QString::fromLatin1(methodName(request->method))}};
    // A refusal changed nothing: it is answered as such even when its event is not recorded.
    recordEvent(std::move(record),
                [this, request, answer](const Receipt &) { finish(request, answer); });
}

void ApiServer::Private::unmatched(const RequestPtr &request, const Answer &answer)
{
    if (!isStateChanging(request->method) || !deps.audit ||
        !request->path.startsWith(QLatin1String("/api/")))
        return finish(request, answer);
    compliance::AuditRecord record = auditRecordFor(*request, QStringLiteral("failure"));
    record.details =
        QJsonObject{{QStringLiteral("status"), answer.status},
                    {QStringLiteral("method"), QString::fromLatin1(methodName(request->method))},
                    {QStringLiteral("path"), loggable(request->path)}};
    finishRecorded(request, std::move(record), answer);
}

QFuture<AuthOutcome> ApiServer::Private::verify(const QByteArray &token)
{
    identity::ApiTokenStore *tokens = deps.tokens;
    identity::SessionService *sessions = deps.sessions;
    return QtConcurrent::run(
        &workers, [tokens, sessions, token] { return verifyBlocking(tokens, sessions, token); });
}

void ApiServer::Private::recordFinished(const RequestRecord &record, int status)
{
    ++requestCounts[{record.route, status}];
    const double seconds =
        std::chrono::duration<double>(deps.clock->steadyNow() - record.started).count();
    if (record.route == QLatin1String("rejected"))
        return; // logged where it was refused; no meaningful duration
    requestDurations[record.route].observe(seconds);
    QString line = QStringLiteral("%1 %2 %3 %4 ms")
                       .arg(QString::fromLatin1(record.method), record.path)
                       .arg(status)
                       .arg(seconds * 1000.0, 0, 'f', 1);
    if (!record.requestId.isEmpty())
        line += QStringLiteral(" rid=") + record.requestId;
    if (record.quiet && status < 400)
        qCDebug(lcApi).noquote() << line;
    else
        qCInfo(lcApi).noquote() << line;
}

bool ApiServer::Private::acceptsHandshake(const QHttpServerRequest &request) const
{
    const QList<QPair<QByteArray, QByteArray>> headers = request.headers();
    if (!isWebSocketUpgrade(headers) || requestPath(request.url()) != QLatin1String(kEventsPath))
        return false;
    if (draining || sessions.size() >= limits.maxWebSocketClients)
        return false;
    const Credential credential = bearerFromHeaders(headers);
    if (credential.state == CredentialState::Present)
        return true;
    return credential.state == CredentialState::Absent &&
           isWellFormedToken(request.query()
                                 .queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded)
                                 .toUtf8());
}

void ApiServer::Private::refuseHandshake(const QHttpServerRequest &request,
                                         QHttpServerResponder &&responder)
{
    // QtHttpServer closes the connection after this answer.
    const QString path = requestPath(request.url());
    const Route *route = matchRoute(path).first;
    const QString requestId = newRequestId();
    RequestRecord record{methodName(request.method()),
                         loggable(path),
                         route ? route->pattern : QStringLiteral("unmatched"),
                         deps.clock->steadyNow(),
                         false,
                         requestId};
    Problem problem;
    if (path != QLatin1String(kEventsPath))
        problem = path.startsWith(QLatin1String("/api/")) ? unauthorized() : notFound();
    else if (draining)
        problem = shuttingDown();
    else if (sessions.size() >= limits.maxWebSocketClients)
        problem =
            Problem{503,
                    QStringLiteral("too-many-streams"),
                    QStringLiteral("Too many event streams"),
                    QStringLiteral("the server has too many open event streams; retry shortly"),
                    {}};
    else
        problem = unauthorized();
    QHttpServerResponse response = toResponse(problemAnswer(problem));
    response.setHeader(QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-store"));
    response.setHeader(QByteArrayLiteral("Connection"), QByteArrayLiteral("close"));
    response.setHeader(QByteArrayLiteral("X-Request-Id"), requestId.toLatin1());
    const int status = int(response.statusCode());
    response.write(std::move(responder));
    recordFinished(record, status);
}

Answer ApiServer::Private::readiness()
{
    const storage::HealthSnapshotPtr snapshot = deps.monitor->latest();
    auto notReady = [](const QString &detail, const QStringList &regionIds) {
        Problem problem{503, QStringLiteral("not-ready"), QStringLiteral("Not ready"), detail, {}};
        problem.extensions.insert(QStringLiteral("regions"), QJsonArray::fromStringList(regionIds));
        return problemAnswer(problem);
    };
    if (!snapshot)
        return notReady(QStringLiteral("no health probe has completed yet"), {});

    // Results older than a few rounds mean the monitor itself is stuck: not ready either.
    const MonitorSettings &settings = deps.monitor->settings();
    const qint64 staleAfterMs = 3 * settings.interval.count() + settings.timeout.count();
    const qint64 ageMs = snapshot->takenAt.msecsTo(deps.clock->now());
    if (ageMs > staleAfterMs)
        return notReady(
            QStringLiteral("health results are stale: the last probe round finished %1 s ago")
                .arg(ageMs / 1000),
            {});

    QStringList down;
    QStringList all;
    for (const storage::RegionHealth &health : snapshot->regions) {
        all.append(health.regionId);
        if (health.status != storage::HealthStatus::Up)
            down.append(health.regionId);
    }
    if (!down.isEmpty())
        return notReady(QStringLiteral("regions not answering: ") + down.join(QStringLiteral(", ")),
                        down);
    return jsonAnswer({{QStringLiteral("status"), QStringLiteral("ready")},
                       {QStringLiteral("generation"), qint64(snapshot->generation)},
                       {QStringLiteral("regions"), QJsonArray::fromStringList(all)}});
}

void ApiServer::Private::regions(const RequestPtr &request)
{
    const storage::HealthSnapshotPtr snapshot = deps.monitor->latest();
    finish(request, jsonAnswer(regionHealthDocument(snapshot.get(), *deps.catalog)));
}

Answer ApiServer::Private::metrics()
{
    PrometheusWriter out;
    out.family("upcoach_build_info", "gauge", "Build of this upcoach-ops process (always 1).");
    out.sample("upcoach_build_info",
               {{"version", deps.build.version}, {"commit", deps.build.commit}}, qint64(1));

    const storage::HealthSnapshotPtr snapshot = deps.monitor->latest();
    const std::vector<storage::RegionHealth> noRegions;
    const std::vector<storage::RegionHealth> &health = snapshot ? snapshot->regions : noRegions;
    auto perRegion = [&](const char *name, const char *help, auto value) {
        out.family(name, "gauge", help);
        for (const storage::RegionHealth &region : health) {
            const std::optional<double> sample = value(region);
            if (sample)
                out.sample(name, {{"region", region.regionId}}, *sample);
        }
    };
    perRegion("upcoach_region_up",
              "Whether the region's database answered its last health probe (1) or not (0).",
              [](const storage::RegionHealth &r) -> std::optional<double> {
                  return r.status == storage::HealthStatus::Up ? 1.0 : 0.0;
              });
    perRegion("upcoach_region_probe_latency_seconds",
              "Round trip of a trivial query on an open connection.",
              [](const storage::RegionHealth &r) -> std::optional<double> {
                  return r.latencyMs < 0 ? std::nullopt
                                         : std::optional<double>(r.latencyMs / 1000.0);
              });
    perRegion(
        "upcoach_region_connect_seconds", "Time to open a connection to the region's database.",
        [](const storage::RegionHealth &r) -> std::optional<double> {
            return r.connectMs < 0 ? std::nullopt : std::optional<double>(r.connectMs / 1000.0);
        });
    perRegion("upcoach_region_database_size_bytes", "Size of the region's database.",
              [](const storage::RegionHealth &r) -> std::optional<double> {
                  return r.databaseSizeBytes < 0
                             ? std::nullopt
                             : std::optional<double>(double(r.databaseSizeBytes));
              });
    perRegion("upcoach_region_connections",
              "Client backends connected to the region's database cluster.",
              [](const storage::RegionHealth &r) -> std::optional<double> {
                  return r.connections < 0 ? std::nullopt : std::optional<double>(r.connections);
              });
    out.family("upcoach_region_health_generation", "gauge",
               "Generation of the latest region health snapshot.");
    out.sample("upcoach_region_health_generation", {},
               snapshot ? qint64(snapshot->generation) : qint64(0));
    if (snapshot && snapshot->takenAt.isValid()) {
        out.family("upcoach_region_health_timestamp_seconds", "gauge",
                   "When the latest region health snapshot was taken (Unix time).");
        out.sample("upcoach_region_health_timestamp_seconds", {},
                   snapshot->takenAt.toMSecsSinceEpoch() / 1000.0);
    }

    if (deps.traffic && deps.traffic->policy()) {
        const routing::Router::HedgeCounters routed = deps.traffic->hedgeCounters();
        out.family("upcoach_routing_decisions_total", "counter",
                   "Decisions of the router's hot path since start (in the demo: the synthetic "
                   "clients); API lookups are counted in upcoach_http_requests_total.");
        out.sample("upcoach_routing_decisions_total", {}, quint64(routed.decisions));
        out.family("upcoach_routing_hedges_sent_total", "counter",
                   "Routing decisions that suggested a hedged copy to a second region.");
        out.sample("upcoach_routing_hedges_sent_total", {}, quint64(routed.hedgesSent));
        out.family("upcoach_routing_region_available", "gauge",
                   "Whether the router sends clients to the region (1), or not because it is "
                   "unhealthy, drained or failed over (0).");
        for (const routing::RegionTrafficStatus &region : deps.traffic->regions())
            out.sample("upcoach_routing_region_available", {{"region", region.regionId}},
                       qint64(region.unavailable == routing::Unavailability::None ? 1 : 0));
    }

    out.family("upcoach_http_requests_total", "counter",
               "HTTP requests answered, by route and status (499: the client left first).");
    for (const auto &[key, count] : requestCounts)
        out.sample("upcoach_http_requests_total",
                   {{"route", key.first}, {"code", QString::number(key.second)}}, count);
    out.family("upcoach_http_request_duration_seconds", "histogram",
               "Time from request to response, by route.");
    for (const auto &[route, histogram] : requestDurations) {
        quint64 cumulative = 0;
        for (size_t i = 0; i < kDurationBuckets.size(); ++i) {
            cumulative += histogram.buckets[i];
            out.sample(
                "upcoach_http_request_duration_seconds_bucket",
                {{"route", route},
                 {"le", QString::fromLatin1(PrometheusWriter::formatValue(kDurationBuckets[i]))}},
                cumulative);
        }
        out.sample("upcoach_http_request_duration_seconds_bucket",
                   {{"route", route}, {"le", QStringLiteral("+Inf")}}, histogram.count);
        out.sample("upcoach_http_request_duration_seconds_sum", {{"route", route}}, histogram.sum);
        out.sample("upcoach_http_request_duration_seconds_count", {{"route", route}},
                   histogram.count);
    }
    out.family("upcoach_audit_events_recorded_total", "counter",
               "Audit events the API recorded (durable), by outcome.");
    for (const char *outcome : {"success", "failure", "denied"})
        out.sample("upcoach_audit_events_recorded_total",
                   {{"outcome", QString::fromLatin1(outcome)}},
                   auditEventsRecorded[QString::fromLatin1(outcome)]);
    out.family("upcoach_audit_record_failures_total", "counter",
               "Audit events the API could not record (the request was answered 503, or a "
               "refusal went unrecorded).");
    out.sample("upcoach_audit_record_failures_total", {}, auditRecordFailures);
    out.family("upcoach_audit_denied_events_dropped_total", "counter",
               "Refused state-changing requests not recorded because of the denied-event cap.");
    out.sample("upcoach_audit_denied_events_dropped_total", {}, deniedEvents.dropped());
    out.family("upcoach_http_open_connections", "gauge", "Open HTTP connections.");
    out.sample("upcoach_http_open_connections", {}, qint64(connections.size()));
    qint64 streaming = 0;
    for (const EventSession *session : std::as_const(sessions))
        streaming += session->state == EventSession::State::Streaming ? 1 : 0;
    out.family("upcoach_websocket_clients", "gauge", "Authenticated /api/v1/events clients.");
    out.sample("upcoach_websocket_clients", {}, streaming);

    if (const std::optional<ProcessStats> process = readProcessStats()) {
        out.family("process_cpu_seconds_total", "counter",
                   "Total user and system CPU time spent in seconds.");
        out.sample("process_cpu_seconds_total", {}, process->cpuSeconds);
        out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
        out.sample("process_resident_memory_bytes", {}, process->residentBytes);
        out.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
        out.sample("process_virtual_memory_bytes", {}, process->virtualBytes);
        out.family("process_start_time_seconds", "gauge",
                   "Start time of the process since unix epoch in seconds.");
        out.sample("process_start_time_seconds", {}, process->startTimeSeconds);
        if (process->openFds >= 0) {
            out.family("process_open_fds", "gauge", "Number of open file descriptors.");
            out.sample("process_open_fds", {}, qint64(process->openFds));
        }
        if (process->maxFds >= 0) {
            out.family("process_max_fds", "gauge", "Maximum number of open file descriptors.");
            out.sample("process_max_fds", {}, process->maxFds);
        }
    }
    return Answer{
        200, QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"), out.text(), {}};
}

void ApiServer::Private::acceptWebSockets()
{
    while (http.hasPendingWebSocketConnections()) {
        std::unique_ptr<QWebSocket> socket = http.nextPendingWebSocketConnection();
        if (!socket)
            break;
        openSession(std::move(socket));
    }
}

void ApiServer::Private::openSession(std::unique_ptr<QWebSocket> owned)
{
    auto *session = new EventSession(q);
    session->socket = owned.release();
    session->socket->setParent(session);
    session->opened = deps.clock->steadyNow();
    sessions.insert(session);
    QWebSocket *socket = session->socket;
    socket->setMaxAllowedIncomingFrameSize(kMaxIncomingWebSocketMessage);
    socket->setMaxAllowedIncomingMessageSize(kMaxIncomingWebSocketMessage);
    QObject::connect(socket, &QWebSocket::disconnected, session,
                     [this, session] { onSessionClosed(session); });

    const QString path = requestPath(socket->requestUrl());
    RequestRecord record{"GET",           loggable(path), QString::fromLatin1(kEventsPath),
                         session->opened, false,          {}};
    recordFinished(record, 101);

    if (draining)
        return session->closeWith(QWebSocketProtocol::CloseCodeGoingAway,
                                  QStringLiteral("server is shutting down"));
    if (path != QLatin1String(kEventsPath))
        return session->closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                                  QStringLiteral("unknown endpoint"));

    // The handshake's headers, then the access_token query parameter (browsers cannot set
    // headers on a WebSocket).
    const QNetworkRequest handshake = socket->request();
    QList<QPair<QByteArray, QByteArray>> headers;
    for (const QByteArray &name : handshake.rawHeaderList())
        headers.append({name, handshake.rawHeader(name)});
    Credential credential = bearerFromHeaders(headers);
    if (credential.state == CredentialState::Absent) {
        const QByteArray token =
            QUrlQuery(socket->requestUrl())
                .queryItemValue(QStringLiteral("access_token"), QUrl::FullyDecoded)
                .toUtf8();
        if (isWellFormedToken(token))
            credential = {CredentialState::Present, token};
    }
    if (credential.state != CredentialState::Present)
        return session->closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                                  QStringLiteral("authentication failed"));

    // Nothing is sent and nothing read is acted on until the token is verified.
    verify(credential.token).then(session, [this, session](const AuthOutcome &outcome) {
        onSessionAuthenticated(session, outcome);
    });
}

void ApiServer::Private::onSessionAuthenticated(EventSession *session, const AuthOutcome &outcome)
{
    if (session->state != EventSession::State::Authenticating)
        return; // closed meanwhile (drain)
    switch (outcome.kind) {
    case AuthOutcome::Kind::Rejected:
        qCInfo(lcApi) << "event stream refused: authentication failed";
        return session->closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                                  QStringLiteral("authentication failed"));
    case AuthOutcome::Kind::Unavailable:
        return session->closeWith(QWebSocketProtocol::CloseCodeBadOperation,
                                  QStringLiteral("authentication unavailable; retry shortly"));
    case AuthOutcome::Kind::Accepted:
        break;
    }
    if (identity::decideAccess(outcome.principal, identity::Permission::PlatformRead, {}) !=
        identity::AccessDecision::Allowed) {
        qCInfo(lcApi) << "event stream refused: the role does not grant platform.read";
        return session->closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                                  QStringLiteral("the role does not grant platform.read"));
    }
    session->state = EventSession::State::Streaming;
    session->tokenId = outcome.principal.tokenId;
    qCInfo(lcApi).noquote() << "event stream opened for token" << session->tokenId
                            << QStringLiteral("(%1)").arg(outcome.principal.role);
    const qint64 maxBacklog = limits.maxWebSocketBacklogBytes;
    hub.subscribe(QString::fromLatin1(kRegionHealthTopic), session,
                  [session, maxBacklog](const QString &, const QByteArray &message) {
                      if (session->state != EventSession::State::Streaming)
                          return;
                      if (session->socket->bytesToWrite() > maxBacklog) {
                          qCWarning(lcApi).noquote() << "event stream for token" << session->tokenId
                                                     << "dropped: the client does not keep up";
                          return session->closeWith(QWebSocketProtocol::CloseCodePolicyViolated,
                                                    QStringLiteral("client too slow"));
                      }
                      session->socket->sendTextMessage(QString::fromUtf8(message));
                  });
}

void ApiServer::Private::onSessionClosed(EventSession *session)
{
    if (!sessions.remove(session))
        return;
    if (!session->tokenId.isEmpty())
        qCInfo(lcApi).noquote() << QStringLiteral(
                                       "event stream closed for token %1 (close code %2)")
                                       .arg(session->tokenId)
                                       .arg(int(session->socket->closeCode()));
    session->state = EventSession::State::Closing;
    session->deleteLater();
    checkDrained();
}

QByteArray ApiServer::Private::regionHealthEvent(const storage::HealthSnapshot *snapshot) const
{
    QJsonObject document = regionHealthDocument(snapshot, *deps.catalog);
    document.insert(QStringLiteral("type"), QString::fromLatin1(kRegionHealthTopic));
    return QJsonDocument(document).toJson(QJsonDocument::Compact);
}

void ApiServer::Private::onSnapshot(const storage::HealthSnapshotPtr &snapshot)
{
    if (!snapshot)
        return;
    const SnapshotChange change = classifyChange(lastPublished.get(), *snapshot);
    const auto now = deps.clock->steadyNow();
    if (change == SnapshotChange::None)
        return;
    if (change == SnapshotChange::Measurements &&
        now - lastPublishedAt < limits.liveMeasurementInterval)
        return; // compared again with the next snapshot, so the change is not lost
    lastPublished = snapshot;
    lastPublishedAt = now;
    hub.publish(QString::fromLatin1(kRegionHealthTopic), regionHealthEvent(snapshot.get()));
}

void ApiServer::Private::checkDrained()
{
    if (!draining || drainFinished)
        return;
    if (inFlight == 0 && connections.isEmpty() && sessions.isEmpty())
        finishDrain(false);
}

void ApiServer::Private::finishDrain(bool graceExpired)
{
    if (drainFinished)
        return;
    drainFinished = true;
    graceTimer.stop();
    if (graceExpired) {
        qCWarning(lcApi) << "drain grace period over: aborting" << connections.size()
                         << "connection(s)," << sessions.size() << "event stream(s)," << inFlight
                         << "request(s) in flight";
        const auto open = connections.values();
        for (const QPointer<HttpConnection> &connection : open) {
            if (connection)
                connection->socket()->abort();
        }
        const QSet<EventSession *> streams = sessions;
        for (EventSession *session : streams)
            session->socket->abort();
    } else {
        qCInfo(lcApi) << "drained";
    }
    QMetaObject::invokeMethod(
        q,
        [server = QPointer<ApiServer>(q)] {
            if (server)
                Q_EMIT server->drained();
        },
        Qt::QueuedConnection);
}

ApiServer::ApiServer(ServerDeps deps, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, std::move(deps)))
{}

ApiServer::~ApiServer() = default;

Result<quint16> ApiServer::listen(const ListenAddress &address)
{
    const QString where = address.toString();
    if (d->draining)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("cannot listen on %1: the server is draining").arg(where));
    if (address.address.isNull())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("cannot listen on %1: not an IP address").arg(where));
    auto *server =
        new GuardedTcpServer([this](QTcpSocket *socket) { return d->adopt(socket); }, &d->http);
    if (!server->listen(address.address, address.port)) {
        QString message =
            QStringLiteral("cannot listen on %1: %2").arg(where, server->errorString());
        if (server->serverError() == QAbstractSocket::AddressInUseError)
            message += QStringLiteral(
                " (another process is using the port; stop it or configure another server.listen)");
        delete server;
        return makeError(ErrorCode::Unavailable, message);
    }
    d->http.bind(server);
    d->listeners.emplace_back(server);
    const quint16 port = server->serverPort();
    ListenAddress bound = address;
    bound.port = port;
    qCInfo(lcApi).noquote() << "listening on" << bound.toString();
    return port;
}

void ApiServer::drain(std::chrono::milliseconds grace)
{
    if (d->draining)
        return;
    d->draining = true;
    for (const QPointer<GuardedTcpServer> &listener : d->listeners) {
        if (listener)
            listener->close();
    }
    qCInfo(lcApi) << "draining:" << d->connections.size() << "connection(s)," << d->inFlight
                  << "request(s) in flight," << d->sessions.size() << "event stream(s); grace"
                  << grace.count() << "ms";
    const QSet<EventSession *> streams = d->sessions;
    for (EventSession *session : streams)
        session->closeWith(QWebSocketProtocol::CloseCodeGoingAway,
                           QStringLiteral("server is shutting down"));
    const auto open = d->connections.values();
    for (const QPointer<HttpConnection> &connection : open) {
        if (connection)
            connection->closeWhenIdle();
    }
    d->graceTimer.start(grace);
    d->checkDrained();
}

bool ApiServer::isDraining() const
{
    return d->draining;
}

EventHub &ApiServer::events()
{
    return d->hub;
}

} // namespace upcoach::api
