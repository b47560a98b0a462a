// The pure parts of the API token routes, unit-tested directly: the body of POST /api/v1/tokens
// and the answer that shows a new token once.
#pragma once

#include "httpsupport.h"
#include "upcoach/identity/apitokens.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <optional>
#include <variant>

namespace upcoach::api::detail {

struct TokenRequest
{
    QString role;
    std::optional<QDateTime> expiresAt;
    identity::ApiTokenKind kind = identity::ApiTokenKind::Operator;
};

// {"role": "ops-viewer" | "ops-admin" | "ops-auditor", "expiresAt": RFC 3339 in the future | null
// (optional), "kind": "operator" (default: a person, MFA always) | "service" (automation; the
// store refuses one without expiresAt or beyond 90 days)},
// sent as application/json. Problems name the field, never repeat a value: 413 beyond
// `maxBytes`, 415 for another media type, 400 otherwise.
std::variant<TokenRequest, Problem> parseTokenRequest(const QByteArray &contentType,
                                                      const QByteArray &body, const QDateTime &now,
                                                      qint64 maxBytes);

// {"id", "role", "kind", "token", "expiresAt": "...Z" | null}: the only place the secret is ever
// shown.
QByteArray issuedTokenJson(const identity::IssuedApiToken &token);

} // namespace upcoach::api::detail
