// Sessions, MFA and roles (backend/api/README.md, "Sessions and roles"): the refresh route
// (public: the refresh token is the credential), /api/v1/me (who the bearer is, its session,
// logout, TOTP enrolment and the second factor), the roles table, and per tenant the MFA policy
// and the users' sessions. SessionService records every session and MFA event itself; the API
// records only what it refuses before calling it.
#include "requestparsing.h"
#include "serverprivate.h"
#include "tenantroutes.h"
#include "upcoach/identity/rbac.h"
#include "upcoach/identity/sessions.h"
#include "upcoach/tenancy/registry.h"

#include <QJsonArray>

namespace upcoach::api {

using namespace detail;

namespace {

constexpr qsizetype kMaxSessionBodyBytes = 4096;

Problem sessionsUnavailable()
{
    return Problem{503,
                   QStringLiteral("sessions-unavailable"),
                   QStringLiteral("Sessions are not available"),
                   QStringLiteral("this server has no session service configured"),
                   {}};
}

} // namespace

QJsonObject detail::sessionTokensJson(const identity::SessionTokens &tokens)
{
    QJsonObject json{{QStringLiteral("sessionId"), tokens.sessionId},
                     {QStringLiteral("accessToken"), QString::fromLatin1(tokens.accessToken)},
                     {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
                     {QStringLiteral("accessTokenExpiresAt"), timeOrNull(tokens.accessExpiresAt)},
                     {QStringLiteral("sessionExpiresAt"), timeOrNull(tokens.expiresAt)},
                     {QStringLiteral("mfa"), tokens.mfa},
                     {QStringLiteral("mfaPending"), tokens.mfaPending}};
    if (!tokens.refreshToken.isEmpty())
        json.insert(QStringLiteral("refreshToken"), QString::fromLatin1(tokens.refreshToken));
    return json;
}

namespace {

QJsonObject policyJson(const QString &slug, const identity::MfaPolicy &policy)
{
    return QJsonObject{
        {QStringLiteral("tenant"), slug},
        {QStringLiteral("requiredForAll"), policy.requiredForAll},
        {QStringLiteral("requiredRoles"), QJsonArray::fromStringList(policy.requiredRoles)},
        {QStringLiteral("acceptIdpMfa"), policy.acceptIdpMfa},
        {QStringLiteral("version"), policy.version}};
}

QJsonObject sessionJson(const identity::SessionInfo &session)
{
    return QJsonObject{{QStringLiteral("id"), session.id},
                       {QStringLiteral("userId"), session.userId},
                       {QStringLiteral("role"), session.role},
                       {QStringLiteral("mfa"), session.mfa},
                       {QStringLiteral("mfaPending"), session.mfaPending},
                       {QStringLiteral("createdAt"), timeOrNull(session.createdAt)},
                       {QStringLiteral("refreshedAt"), timeOrNull(session.refreshedAt)},
                       {QStringLiteral("expiresAt"), timeOrNull(session.expiresAt)},
                       {QStringLiteral("revokedAt"), timeOrNull(session.revokedAt)},
                       {QStringLiteral("revokeReason"), session.revokeReason}};
}

QJsonArray permissionsJson(const QString &role)
{
    QJsonArray out;
    if (const identity::RoleDefinition *definition = identity::roleDefinition(role))
        for (const identity::Permission permission : definition->permissions)
            out.append(identity::permissionName(permission));
    return out;
}

// A JSON object body of at most kMaxSessionBodyBytes with only `fields`; else the problem.
std::variant<QJsonObject, Problem> smallJsonBody(const QByteArray &contentType,
                                                 const QByteArray &body, const QStringList &fields,
                                                 const QString &example)
{
    if (mediaType(contentType) != "application/json")
        return unsupported(QStringLiteral("application/json"));
    if (body.size() > kMaxSessionBodyBytes)
        return payloadTooLarge(kMaxSessionBodyBytes);
    auto parsed = jsonObjectBody(body, example);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    if (std::optional<Problem> unknown = refuseUnknownFields(object, fields))
        return *unknown;
    return object;
}

// The "code" field (1..64 characters).
std::variant<QString, Problem> codeField(const QJsonObject &object)
{
    QString code;
    if (std::optional<Problem> problem = readString(object, QStringLiteral("code"), &code))
        return *problem;
    if (code.isEmpty() || code.size() > 64)
        return invalidField(QStringLiteral("code"),
                            QStringLiteral("a 6-digit code from the authenticator or a recovery "
                                           "code"));
    return code;
}

} // namespace

bool ApiServer::Private::sessionsAvailable(const RequestPtr &request)
{
    if (!deps.sessions) {
        finish(request, problemAnswer(sessionsUnavailable()));
        return false;
    }
    if (isStateChanging(request->method) && !deps.audit) {
        finish(request, problemAnswer(auditUnavailable(
                            QStringLiteral("no audit log is configured, so nothing may change"))));
        return false;
    }
    return true;
}

void ApiServer::Private::withTenantId(const RequestPtr &request,
                                      std::function<void(const QUuid &, const QString &)> next)
{
    const std::optional<QString> slug = pathSlug(request);
    if (!slug)
        return;
    // A session reaches here only for its own tenant (proceed): its tenant id is known.
    if (request->principal && request->principal->isSession())
        return next(request->principal->tenantId, *slug);
    if (!deps.tenants)
        return finish(request, problemAnswer(tenancyUnavailable(
                                   QStringLiteral("this server has no tenant registry"))));
    tenancy::TenantRegistry *registry = deps.tenants;
    blocking(
        request, [registry, slug = *slug] { return registry->get(slug); },
        [this, request, slug = *slug,
         next = std::move(next)](const Result<tenancy::Tenant> &tenant) {
            if (!tenant) {
                const Problem problem = tenant.error().code == ErrorCode::NotFound
                                            ? tenantNotFound(slug)
                                            : domainProblem(tenant.error());
                if (isStateChanging(request->method) && problem.status < 500)
                    return finishFailed(request, problem);
                return finish(request, problemAnswer(problem));
            }
            next(tenant->id, slug);
        });
}

std::optional<QString> ApiServer::Private::secondFactorCode(const RequestPtr &request)
{
    auto body = smallJsonBody(request->contentType, request->body, {QStringLiteral("code")},
                              QStringLiteral("{\"code\": \"123456\"}"));
    if (const Problem *problem = std::get_if<Problem>(&body)) {
        finishFailed(request, *problem);
        return std::nullopt;
    }
    auto code = codeField(std::get<QJsonObject>(body));
    if (const Problem *problem = std::get_if<Problem>(&code)) {
        finishFailed(request, *problem);
        return std::nullopt;
    }
    return std::get<QString>(code);
}

// ---- operator MFA: the same /api/v1/me routes for API tokens ----

namespace {

QJsonObject operatorSessionJson(const identity::IssuedApiToken &token)
{
    return QJsonObject{{QStringLiteral("kind"), identity::apiTokenKindName(token.kind)},
                       {QStringLiteral("token"), QString::fromLatin1(token.secret)},
                       {QStringLiteral("tokenId"), token.id},
                       {QStringLiteral("tokenType"), QStringLiteral("Bearer")},
                       {QStringLiteral("role"), token.role},
                       {QStringLiteral("credentialId"), token.parentId},
                       {QStringLiteral("expiresAt"), timeOrNull(token.expiresAt)},
                       {QStringLiteral("idleTimeoutSeconds"),
                        qint64(std::chrono::duration_cast<std::chrono::seconds>(
                                   identity::kOperatorSessionIdleTimeout)
                                   .count())}};
}

} // namespace

template<typename T>
void ApiServer::Private::withOperatorMfa(
    const RequestPtr &request,
    std::function<Result<T>(identity::OperatorMfa &, const identity::ApiPrincipal &,
                            const QByteArray &, const compliance::ActorContext &)>
        work,
    std::function<void(const T &)> answer)
{
    if (!operatorMfa)
        return finish(request,
                      problemAnswer(auditUnavailable(QStringLiteral(
                          "no audit log is configured, so operator MFA is not available"))));
    identity::OperatorMfa *mfa = operatorMfa.get();
    blocking(
        request,
        [mfa, work = std::move(work), principal = *request->principal, bearer = request->bearer,
         actor = compliance::ActorContext(tenantActor(*request))] {
            return work(*mfa, principal, bearer, actor);
        },
        [this, request, answer = std::move(answer)](const Result<T> &done) {
            if (!done)
                return finish(request, problemAnswer(domainProblem(done.error())));
            answer(*done);
        });
}

// ---- POST /sso/session/refresh ----

void ApiServer::Private::refreshSession(const RequestPtr &request)
{
    if (!deps.sessions)
        return finish(request, problemAnswer(sessionsUnavailable()));
    auto body = smallJsonBody(request->contentType, request->body, {QStringLiteral("refreshToken")},
                              QStringLiteral("{\"refreshToken\": \"rt....\"}"));
    if (const Problem *problem = std::get_if<Problem>(&body))
        return finish(request, problemAnswer(*problem));
    QString token;
    if (std::optional<Problem> problem =
            readString(std::get<QJsonObject>(body), QStringLiteral("refreshToken"), &token))
        return finish(request, problemAnswer(*problem));
    identity::SessionService *sessions = deps.sessions;
    compliance::ActorContext actor;
    actor.actor = QStringLiteral("anonymous");
    actor.sourceIp = sourceAddressText(request->peer);
    actor.requestId = request->requestId;
    blocking(
        request,
        [sessions, token = token.toLatin1(), actor] { return sessions->refresh(token, actor); },
        [this, request](const Result<identity::SessionTokens> &tokens) {
            if (!tokens)
                return finish(request, problemAnswer(domainProblem(tokens.error())));
            finish(request, jsonAnswer(sessionTokensJson(*tokens)));
        });
}

// ---- /api/v1/me, /api/v1/roles ----

void ApiServer::Private::whoAmI(const RequestPtr &request)
{
    const identity::ApiPrincipal &principal = *request->principal;
    const identity::RoleDefinition *role = identity::roleDefinition(principal.role);
    QJsonObject json{{QStringLiteral("kind"), principal.isSession() ? QStringLiteral("session")
                                                                    : QStringLiteral("api-token")},
                     {QStringLiteral("role"), principal.role},
                     {QStringLiteral("roleTitle"), role ? role->title : QString()},
                     {QStringLiteral("permissions"), permissionsJson(principal.role)}};
    if (!principal.isSession()) {
        json.insert(QStringLiteral("tokenId"), principal.tokenId);
        json.insert(QStringLiteral("tokenKind"), principal.tokenKind);
        json.insert(QStringLiteral("mfaPending"), principal.mfaPending);
        if (!principal.credentialId.isEmpty())
            json.insert(QStringLiteral("credentialId"), principal.credentialId);
        return finish(request, jsonAnswer(json));
    }
    json.insert(QStringLiteral("sessionId"), principal.sessionId);
    json.insert(QStringLiteral("tenant"), principal.tenantSlug);
    json.insert(QStringLiteral("userId"), principal.userId);
    json.insert(QStringLiteral("mfaPending"), principal.mfaPending);
    finish(request, jsonAnswer(json));
}

void ApiServer::Private::listRoles(const RequestPtr &request)
{
    QJsonArray roles;
    for (const identity::RoleDefinition &role : identity::roleDefinitions())
        roles.append(
            QJsonObject{{QStringLiteral("name"), role.name},
                        {QStringLiteral("title"), role.title},
                        {QStringLiteral("scope"), role.scope == identity::RoleScope::Platform
                                                      ? QStringLiteral("platform")
                                                      : QStringLiteral("tenant")},
                        {QStringLiteral("permissions"), permissionsJson(role.name)}});
    QJsonArray permissions;
    for (const identity::Permission permission : identity::allPermissions())
        permissions.append(identity::permissionName(permission));
    finish(request, jsonAnswer(QJsonObject{{QStringLiteral("roles"), roles},
                                           {QStringLiteral("permissions"), permissions}}));
}

void ApiServer::Private::logout(const RequestPtr &request)
{
    if (const std::optional<Problem> problem = checkNoBody(request->contentType, request->body))
        return finishFailed(request, *problem);
    if (!request->principal->isSession())
        return withOperatorMfa<bool>(
            request,
            [](identity::OperatorMfa &mfa, const identity::ApiPrincipal &principal,
               const QByteArray &, const compliance::ActorContext &actor) -> Result<bool> {
                if (auto ended = mfa.endSession(principal, actor); !ended)
                    return ended.error();
                return true;
            },
            [this, request](const bool &) {
                finish(request, Answer{204, {}, {}, {}});
            });
    if (!sessionsAvailable(request))
        return;
    identity::SessionService *sessions = deps.sessions;
    const identity::ApiPrincipal principal = *request->principal;
    const compliance::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [sessions, principal, actor] {
            return sessions->revoke(principal.tenantId, principal.tenantSlug, principal.sessionId,
                                    QStringLiteral("logout"), actor);
        },
        [this, request](const Status &done) {
            if (!done)
                return finish(request, problemAnswer(domainProblem(done.error())));
            finish(request, Answer{204, {}, {}, {}});
        });
}

// ---- MFA: /api/v1/me/mfa[...] ----

void ApiServer::Private::mfaStatus(const RequestPtr &request)
{
    if (!request->principal->isSession())
        return withOperatorMfa<identity::OperatorMfaStatus>(
            request,
            [](identity::OperatorMfa &mfa, const identity::ApiPrincipal &principal,
               const QByteArray &,
               const compliance::ActorContext &) { return mfa.status(principal); },
            [this, request](const identity::OperatorMfaStatus &status) {
                const identity::ApiPrincipal &principal = *request->principal;
                finish(request, jsonAnswer(QJsonObject{
                                    {QStringLiteral("required"), true},
                                    {QStringLiteral("credentialId"), status.credentialId},
                                    {QStringLiteral("tokenKind"), principal.tokenKind},
                                    {QStringLiteral("totpEnrolled"), status.totpEnrolled},
                                    {QStringLiteral("totpEnrolmentPending"), status.totpPending},
                                    {QStringLiteral("failures"), status.failures},
                                    {QStringLiteral("mfaPending"), principal.mfaPending}}));
            });
    if (!sessionsAvailable(request))
        return;
    identity::SessionService *sessions = deps.sessions;
    const identity::ApiPrincipal principal = *request->principal;
    blocking(
        request, [sessions, principal] { return sessions->mfaStatus(principal); },
        [this, request](const Result<identity::MfaStatus> &status) {
            if (!status)
                return finish(request, problemAnswer(domainProblem(status.error())));
            finish(request, jsonAnswer(QJsonObject{
                                {QStringLiteral("required"), status->required},
                                {QStringLiteral("totpEnrolled"), status->totpEnrolled},
                                {QStringLiteral("totpEnrolmentPending"), status->totpPending},
                                {QStringLiteral("recoveryCodesLeft"), status->recoveryCodesLeft},
                                {QStringLiteral("sessionMfa"), status->sessionMfa},
                                {QStringLiteral("sessionMfaPending"), status->sessionMfaPending}}));
        });
}

namespace {

QJsonObject enrolmentJson(const identity::TotpEnrolment &enrolment)
{
    return QJsonObject{
        {QStringLiteral("secret"), enrolment.secretBase32},
        {QStringLiteral("otpauthUri"), enrolment.otpauthUri},
        {QStringLiteral("qrSvg"), enrolment.qrSvg},
        {QStringLiteral("confirmAt"), QStringLiteral("/api/v1/me/mfa/totp/confirm")}};
}

} // namespace

void ApiServer::Private::beginTotpEnrolment(const RequestPtr &request)
{
    if (const std::optional<Problem> problem = checkNoBody(request->contentType, request->body))
        return finishFailed(request, *problem);
    if (!request->principal->isSession())
        return withOperatorMfa<identity::TotpEnrolment>(
            request,
            [](identity::OperatorMfa &mfa, const identity::ApiPrincipal &principal,
               const QByteArray &bearer, const compliance::ActorContext &actor) {
                return mfa.beginTotpEnrolment(principal, bearer, actor);
            },
            [this, request](const identity::TotpEnrolment &enrolment) {
                finish(request, jsonAnswer(enrolmentJson(enrolment), 201));
            });
    if (!sessionsAvailable(request))
        return;
    identity::SessionService *sessions = deps.sessions;
    const identity::ApiPrincipal principal = *request->principal;
    const compliance::ActorContext actor = tenantActor(*request);
    // The authenticator shows "UpCoach (<tenant>)" and the account; the account is the user id,
    // not the e-mail, so the QR code carries no personal data.
    const QString issuer = QStringLiteral("UpCoach (%1)").arg(principal.tenantSlug);
    blocking(
        request,
        [sessions, principal, actor, issuer] {
            return sessions->beginTotpEnrolment(principal, issuer, principal.userId, actor);
        },
        [this, request](const Result<identity::TotpEnrolment> &enrolment) {
            if (!enrolment)
                return finish(request, problemAnswer(domainProblem(enrolment.error())));
            finish(request, jsonAnswer(enrolmentJson(*enrolment), 201));
        });
}

void ApiServer::Private::confirmTotp(const RequestPtr &request)
{
    const std::optional<QString> code = secondFactorCode(request);
    if (!code)
        return;
    if (!request->principal->isSession())
        return withOperatorMfa<identity::IssuedApiToken>(
            request,
            [code = *code](identity::OperatorMfa &mfa, const identity::ApiPrincipal &principal,
                           const QByteArray &bearer, const compliance::ActorContext &actor) {
                return mfa.confirmTotp(principal, bearer, code, actor);
            },
            [this, request](const identity::IssuedApiToken &session) {
                finish(request, jsonAnswer(QJsonObject{{QStringLiteral("totpEnrolled"), true},
                                                       {QStringLiteral("operatorSession"),
                                                        operatorSessionJson(session)}}));
            });
    if (!sessionsAvailable(request))
        return;
    identity::SessionService *sessions = deps.sessions;
    const identity::ApiPrincipal principal = *request->principal;
    const compliance::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [sessions, principal, actor, code = *code] {
            return sessions->confirmTotp(principal, code, actor);
        },
        [this, request](const Result<identity::ConfirmedTotp> &confirmed) {
            if (!confirmed)
                return finish(request, problemAnswer(domainProblem(confirmed.error())));
            QJsonObject json{{QStringLiteral("totpEnrolled"), true},
                             {QStringLiteral("recoveryCodes"),
                              QJsonArray::fromStringList(confirmed->recoveryCodes)}};
            if (confirmed->session)
                json.insert(QStringLiteral("session"), sessionTokensJson(*confirmed->session));
            finish(request, jsonAnswer(json));
        });
}

void ApiServer::Private::verifySecondFactor(const RequestPtr &request)
{
    const std::optional<QString> code = secondFactorCode(request);
    if (!code)
        return;
    if (!request->principal->isSession())
        return withOperatorMfa<identity::IssuedApiToken>(
            request,
            [code = *code](identity::OperatorMfa &mfa, const identity::ApiPrincipal &principal,
                           const QByteArray &bearer, const compliance::ActorContext &actor) {
                return mfa.openSession(principal, bearer, code, actor);
            },
            [this, request](const identity::IssuedApiToken &session) {
                finish(request, jsonAnswer(operatorSessionJson(session), 201));
            });
    if (!sessionsAvailable(request))
        return;
    identity::SessionService *sessions = deps.sessions;
    const identity::ApiPrincipal principal = *request->principal;
    const compliance::ActorContext actor = tenantActor(*request);
    blocking(
        request,
        [sessions, principal, actor, code = *code] {
            return sessions->verifySecondFactor(principal, code, actor);
        },
        [this, request](const Result<identity::SessionTokens> &tokens) {
            if (!tokens)
                return finish(request, problemAnswer(domainProblem(tokens.error())));
            finish(request, jsonAnswer(sessionTokensJson(*tokens)));
        });
}

// ---- /api/v1/tenants/{slug}/mfa-policy ----

void ApiServer::Private::getMfaPolicy(const RequestPtr &request)
{
    if (!sessionsAvailable(request))
        return;
    identity::SessionService *sessions = deps.sessions;
    withTenantId(request, [this, request, sessions](const QUuid &tenantId, const QString &slug) {
        blocking(
            request, [sessions, tenantId] { return sessions->mfaPolicy(tenantId); },
            [this, request, slug](const Result<identity::MfaPolicy> &policy) {
                if (!policy)
                    return finish(request, problemAnswer(domainProblem(policy.error())));
                Answer answer = jsonAnswer(policyJson(slug, *policy));
                answer.headers.emplace_back(QByteArrayLiteral("ETag"),
                                            QByteArray("\"") + QByteArray::number(policy->version) +
                                                '"');
                finish(request, answer);
            });
    });
}

void ApiServer::Private::setMfaPolicy(const RequestPtr &request)
{
    if (!sessionsAvailable(request))
        return;
    auto body = smallJsonBody(request->contentType, request->body,
                              {QStringLiteral("requiredForAll"), QStringLiteral("requiredRoles"),
                               QStringLiteral("acceptIdpMfa")},
                              QStringLiteral("{\"requiredForAll\": false, \"requiredRoles\": "
                                             "[\"admin\"], \"acceptIdpMfa\": true}"));
    if (const Problem *problem = std::get_if<Problem>(&body))
        return finishFailed(request, *problem);
    const QJsonObject object = std::get<QJsonObject>(body);
    identity::MfaPolicy policy;
    for (const QString &field : {QStringLiteral("requiredForAll"), QStringLiteral("acceptIdpMfa")})
        if (!object.value(field).isBool())
            return finishFailed(request, invalidField(field, QStringLiteral("true or false")));
    policy.requiredForAll = object.value(QStringLiteral("requiredForAll")).toBool();
    policy.acceptIdpMfa = object.value(QStringLiteral("acceptIdpMfa")).toBool();
    const QJsonValue roles = object.value(QStringLiteral("requiredRoles"));
    if (!roles.isArray() || roles.toArray().size() > 10)
        return finishFailed(request, invalidField(QStringLiteral("requiredRoles"),
                                                  QStringLiteral("an array of tenant roles")));
    for (const QJsonValue &role : roles.toArray()) {
        if (!role.isString())
            return finishFailed(request, invalidField(QStringLiteral("requiredRoles"),
                                                      QStringLiteral("an array of tenant roles")));
        policy.requiredRoles.append(role.toString());
    }
    std::optional<int> expected;
    if (request->ifMatch.size() == 1) {
        QByteArray tag = request->ifMatch.first().trimmed();
        if (tag.size() < 3 || !tag.startsWith('"') || !tag.endsWith('"'))
            return finishFailed(request, badRequest(QStringLiteral("If-Match: an ETag from GET")));
        const int version = digitsValue(QString::fromLatin1(tag.mid(1, tag.size() - 2)), 9);
        if (version < 0)
            return finishFailed(request, badRequest(QStringLiteral("If-Match: an ETag from GET")));
        expected = version;
    }
    identity::SessionService *sessions = deps.sessions;
    const compliance::ActorContext actor = tenantActor(*request);
    withTenantId(request, [this, request, sessions, policy, expected, actor](const QUuid &tenantId,
                                                                             const QString &slug) {
        blocking(
            request,
            [sessions, tenantId, slug, policy, expected, actor] {
                return sessions->setMfaPolicy(tenantId, slug, policy, expected, actor);
            },
            [this, request, slug](const Result<identity::MfaPolicy> &stored) {
                if (!stored) {
                    Problem problem = domainProblem(stored.error());
                    if (stored.error().code == ErrorCode::Conflict)
                        problem = preconditionFailed(stored.error().message);
                    // Refused before anything was recorded (bad roles): the API records it.
                    if (stored.error().code == ErrorCode::InvalidInput)
                        return finishFailed(request, problem);
                    return finish(request, problemAnswer(problem));
                }
                Answer answer = jsonAnswer(policyJson(slug, *stored));
                answer.headers.emplace_back(QByteArrayLiteral("ETag"),
                                            QByteArray("\"") + QByteArray::number(stored->version) +
                                                '"');
                finish(request, answer);
            });
    });
}

// ---- /api/v1/tenants/{slug}/sessions[/{id}] ----

void ApiServer::Private::listSessions(const RequestPtr &request)
{
    if (!sessionsAvailable(request))
        return;
    identity::SessionService *sessions = deps.sessions;
    const bool all =
        QUrlQuery(request->url).queryItemValue(QStringLiteral("all")) == QLatin1String("true");
    withTenantId(
        request, [this, request, sessions, all](const QUuid &tenantId, const QString &slug) {
            blocking(
                request, [sessions, tenantId, all] { return sessions->sessions(tenantId, !all); },
                [this, request, slug](const Result<std::vector<identity::SessionInfo>> &list) {
                    if (!list)
                        return finish(request, problemAnswer(domainProblem(list.error())));
                    QJsonArray items;
                    for (const identity::SessionInfo &session : *list)
                        items.append(sessionJson(session));
                    finish(request, jsonAnswer(QJsonObject{{QStringLiteral("tenant"), slug},
                                                           {QStringLiteral("sessions"), items}}));
                });
        });
}

void ApiServer::Private::revokeSession(const RequestPtr &request)
{
    if (!sessionsAvailable(request))
        return;
    const QString id = QUrl::fromPercentEncoding(request->parameters.value(1).toUtf8());
    if (QUuid::fromString(id).isNull())
        return finishFailed(request, badRequest(QStringLiteral("the session id is a UUID")));
    identity::SessionService *sessions = deps.sessions;
    const compliance::ActorContext actor = tenantActor(*request);
    withTenantId(request,
                 [this, request, sessions, id, actor](const QUuid &tenantId, const QString &slug) {
                     blocking(
                         request,
                         [sessions, tenantId, slug, id, actor] {
                             return sessions->revoke(tenantId, slug, id,
                                                     QStringLiteral("revoked-by-admin"), actor);
                         },
                         [this, request](const Status &done) {
                             // The service recorded the attempt (and its correction).
                             if (!done)
                                 return finish(request, problemAnswer(domainProblem(done.error())));
                             finish(request, Answer{204, {}, {}, {}});
                         });
                 });
}

} // namespace upcoach::api
