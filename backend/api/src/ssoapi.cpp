// SAML single sign-on routes (backend/api/README.md, "SSO routes"): the tenant's SP metadata,
// SP-initiated login (a 302 to the IdP) and the HTTP-POST ACS. Public — browsers and IdPs call
// them — and blocking (PostgreSQL, RSA), so they run on the worker pool. SsoService records
// every login attempt in the audit log itself.
#include "serverprivate.h"
#include "upcoach/identity/ssoservice.h"
#include "upcoach/tenancy/tenant.h"

#include <QUrlQuery>

namespace upcoach::api {

using namespace detail;

namespace {

constexpr qsizetype kMaxRelayState = 80; // SAML Bindings §3.4.3 / §3.5.3

Problem ssoUnavailable()
{
    return Problem{503,
                   QStringLiteral("sso-unavailable"),
                   QStringLiteral("SSO is not available"),
                   QStringLiteral("this server has no SSO service configured"),
                   {}};
}

Problem ssoProblem(const Error &error)
{
    switch (error.code) {
    case ErrorCode::NotFound:
        return Problem{
            404, QStringLiteral("not-found"), QStringLiteral("Not found"), error.message, {}};
    case ErrorCode::InvalidInput:
        return Problem{400,
                       QStringLiteral("invalid-saml-message"),
                       QStringLiteral("Malformed SAML message"),
                       error.message,
                       {}};
    case ErrorCode::Unauthorized:
        return Problem{401,
                       QStringLiteral("sso-refused"),
                       QStringLiteral("Sign-in refused"),
                       error.message,
                       {}};
    case ErrorCode::Forbidden:
    case ErrorCode::Conflict:
        return Problem{403,
                       QStringLiteral("sso-forbidden"),
                       QStringLiteral("Sign-in not allowed"),
                       error.message,
                       {}};
    case ErrorCode::Config:
        return Problem{503,
                       QStringLiteral("sso-misconfigured"),
                       QStringLiteral("The SSO connection is misconfigured"),
                       error.message,
                       {}};
    case ErrorCode::Unavailable:
        return Problem{503,
                       QStringLiteral("sso-unavailable"),
                       QStringLiteral("SSO is not available"),
                       error.message,
                       {}};
    case ErrorCode::Internal:
        break;
    }
    return internalError();
}

// application/x-www-form-urlencoded (HTML forms): '+' is a space, %XX a byte. Repeated names
// keep the first. QUrlQuery leaves '+' alone, which would corrupt base64 values.
std::optional<QHash<QString, QByteArray>> parseForm(const QByteArray &body)
{
    QHash<QString, QByteArray> fields;
    for (const QByteArray &pair : body.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        QByteArray name = eq < 0 ? pair : pair.left(eq);
        QByteArray value = eq < 0 ? QByteArray() : pair.mid(eq + 1);
        name.replace('+', ' ');
        value.replace('+', ' ');
        const QString key = QString::fromUtf8(QByteArray::fromPercentEncoding(name));
        if (key.size() > 64)
            return std::nullopt;
        if (!fields.contains(key))
            fields.insert(key, QByteArray::fromPercentEncoding(value));
    }
    return fields;
}

compliance::ActorContext anonymousActor(const QHostAddress &peer, const QString &requestId)
{
    compliance::ActorContext actor;
    actor.actor = QStringLiteral("anonymous");
    actor.sourceIp = sourceAddressText(peer);
    actor.requestId = requestId;
    return actor;
}

} // namespace

std::optional<QString> ApiServer::Private::ssoTenant(const RequestPtr &request)
{
    if (!deps.sso) {
        finish(request, problemAnswer(ssoUnavailable()));
        return std::nullopt;
    }
    if (!tenancy::validateSlug(request->parameter)) {
        finish(request, problemAnswer(notFound()));
        return std::nullopt;
    }
    return request->parameter;
}

void ApiServer::Private::samlMetadata(const RequestPtr &request)
{
    const std::optional<QString> slug = ssoTenant(request);
    if (!slug)
        return;
    identity::SsoService *sso = deps.sso;
    blocking(
        request, [sso, slug = *slug] { return sso->spMetadata(slug); },
        [this, request](Result<QByteArray> metadata) {
            if (!metadata)
                return finish(request, problemAnswer(ssoProblem(metadata.error())));
            Answer answer;
            answer.contentType = QByteArrayLiteral("application/samlmetadata+xml");
            answer.body = std::move(*metadata);
            finish(request, answer);
        });
}

void ApiServer::Private::samlLogin(const RequestPtr &request)
{
    const std::optional<QString> slug = ssoTenant(request);
    if (!slug)
        return;
    const QUrlQuery query(request->url);
    const QString connection =
        query.queryItemValue(QStringLiteral("connection"), QUrl::FullyDecoded);
    const QString relayState =
        query.queryItemValue(QStringLiteral("RelayState"), QUrl::FullyDecoded);
    if (connection.size() > 100 || relayState.toUtf8().size() > kMaxRelayState)
        return finish(request, problemAnswer(badRequest(QStringLiteral(
                                   "connection is at most 100 characters and RelayState at most "
                                   "80 bytes"))));
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = anonymousActor(request->peer, request->requestId);
    blocking(
        request,
        [sso, slug = *slug, connection, relayState, actor] {
            return sso->beginSamlLogin(slug, connection, relayState, actor);
        },
        [this, request](Result<QUrl> redirect) {
            if (!redirect)
                return finish(request, problemAnswer(ssoProblem(redirect.error())));
            Answer answer;
            answer.status = 302;
            answer.contentType = QByteArrayLiteral("text/plain");
            answer.headers.emplace_back(QByteArrayLiteral("Location"), redirect->toEncoded());
            finish(request, answer);
        });
}

void ApiServer::Private::samlAcs(const RequestPtr &request)
{
    const std::optional<QString> slug = ssoTenant(request);
    if (!slug)
        return;
    if (!request->contentType.toLower().startsWith("application/x-www-form-urlencoded"))
        return finish(request, problemAnswer(unsupportedMediaType()));
    const auto form = parseForm(request->body);
    if (!form || !form->contains(QStringLiteral("SAMLResponse")))
        return finish(
            request, problemAnswer(badRequest(QStringLiteral("the form must carry SAMLResponse"))));
    const QByteArray response = form->value(QStringLiteral("SAMLResponse"));
    const QString relayState =
        QString::fromUtf8(form->value(QStringLiteral("RelayState"))).left(int(kMaxRelayState));
    identity::SsoService *sso = deps.sso;
    const compliance::ActorContext actor = anonymousActor(request->peer, request->requestId);
    blocking(
        request,
        [sso, slug = *slug, response, relayState, actor] {
            return sso->completeSamlLogin(slug, response, relayState, actor);
        },
        [this, request](Result<identity::SsoLogin> login) {
            if (!login)
                return finish(request, problemAnswer(ssoProblem(login.error())));
            // No browser session yet: the answer says who signed in (session tokens are the
            // next step of backend/identity, see its README).
            finish(request,
                   jsonAnswer(QJsonObject{
                       {QStringLiteral("tenant"), login->tenant},
                       {QStringLiteral("connection"), login->connectionName},
                       {QStringLiteral("user"),
                        QJsonObject{{QStringLiteral("id"), login->user.id},
                                    {QStringLiteral("email"), login->user.email},
                                    {QStringLiteral("displayName"), login->user.displayName},
                                    {QStringLiteral("role"), login->user.role}}},
                       {QStringLiteral("provisioned"), login->created},
                       {QStringLiteral("mfa"), login->mfaSatisfied},
                       {QStringLiteral("idpInitiated"), login->idpInitiated},
                       {QStringLiteral("relayState"), login->relayState},
                   }));
        });
}

} // namespace upcoach::api
