#include "tokenroutes.h"

#include "auditquery.h"
#include "upcoach/compliance/auditevent.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>

namespace upcoach::api::detail {

namespace {

bool isJsonMediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    const QByteArray type =
        (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
    return type == "application/json";
}

} // namespace

std::variant<TokenRequest, Problem> parseTokenRequest(const QByteArray &contentType,
                                                      const QByteArray &body, const QDateTime &now,
                                                      qint64 maxBytes)
{
    if (body.size() > maxBytes)
        return payloadTooLarge(maxBytes);
    if (!isJsonMediaType(contentType))
        return unsupportedMediaType();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return badRequest(QStringLiteral("the body is not a JSON object; send "
                                         "{\"role\": \"ops-viewer\", \"expiresAt\": "
                                         "\"2026-12-31T00:00:00Z\"} (expiresAt optional)"));
    const QJsonObject object = document.object();
    QStringList unknown;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key() != QLatin1String("role") && it.key() != QLatin1String("expiresAt") &&
            it.key() != QLatin1String("kind") && unknown.size() < 10)
            unknown.append(QString::fromLatin1(QUrl::toPercentEncoding(it.key().left(64))));
    }
    if (!unknown.isEmpty())
        return badRequest(QStringLiteral("unknown field(s): %1 (known: role, expiresAt, kind)")
                              .arg(unknown.join(QStringLiteral(", "))));

    TokenRequest request;
    const QJsonValue role = object.value(QStringLiteral("role"));
    const QStringList roles = identity::apiTokenRoles();
    if (!role.isString() || !roles.contains(role.toString()))
        return badRequest(
            QStringLiteral("role: required, one of %1").arg(roles.join(QStringLiteral(", "))));
    request.role = role.toString();

    const QJsonValue expires = object.value(QStringLiteral("expiresAt"));
    if (expires.isString()) {
        const std::optional<QDateTime> at = parseRfc3339(expires.toString());
        if (!at)
            return badRequest(QStringLiteral("expiresAt: expected an RFC 3339 time such as "
                                             "2026-12-31T00:00:00Z, or null"));
        if (*at <= now)
            return badRequest(QStringLiteral("expiresAt: must be in the future"));
        if (at->date().year() > 9999)
            return badRequest(QStringLiteral("expiresAt: must be before the year 10000"));
        request.expiresAt = *at;
    } else if (!expires.isUndefined() && !expires.isNull()) {
        return badRequest(QStringLiteral("expiresAt: expected an RFC 3339 time string, or null"));
    }

    const QJsonValue kind = object.value(QStringLiteral("kind"));
    // The lifetime a service token may have is ApiTokenStore::generate's rule.
    if (kind.isString() && kind.toString() == QLatin1String("service")) {
        request.kind = identity::ApiTokenKind::Service;
    } else if (!kind.isUndefined() &&
               !(kind.isString() && kind.toString() == QLatin1String("operator"))) {
        return badRequest(QStringLiteral("kind: \"operator\" (a person: every use needs a TOTP "
                                         "code) or \"service\" (automation, must expire)"));
    }
    return request;
}

QByteArray issuedTokenJson(const identity::IssuedApiToken &token)
{
    QJsonObject object{{QStringLiteral("id"), token.id},
                       {QStringLiteral("role"), token.role},
                       {QStringLiteral("kind"), identity::apiTokenKindName(token.kind)},
                       {QStringLiteral("token"), QString::fromLatin1(token.secret)}};
    object.insert(QStringLiteral("expiresAt"),
                  token.expiresAt.isValid()
                      ? QJsonValue(compliance::auditTimeToString(token.expiresAt))
                      : QJsonValue(QJsonValue::Null));
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

} // namespace upcoach::api::detail
