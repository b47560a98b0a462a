// Bearer tokens for the /api/ routes. A token is shown once when issued; the control-plane
// database stores only its SHA-256 hash (tokens are 256-bit random, so a plain hash is enough).
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/storage/connectionpool.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <chrono>
#include <optional>

namespace upcoach::identity {

// Roles an API token can carry: the platform roles of rbac.h.
QStringList apiTokenRoles(); // "ops-admin", "ops-viewer", "ops-auditor"

// What a token stands for (operator MFA: backend/identity/README.md, "Operator MFA").
enum class ApiTokenKind
{
    Operator,        // a person's credential: alone it only enrols TOTP and opens sessions
    OperatorSession, // opened by an operator credential plus a TOTP code: short-lived
    Service,         // automation: no second factor, so it must expire
};
QString apiTokenKindName(ApiTokenKind kind); // "operator", "operator-session", "service"
std::optional<ApiTokenKind> apiTokenKindFromName(QStringView name);

// Service tokens live at most this long; operator sessions at most 12 hours, and end after
// 2 hours without a request.
constexpr std::chrono::hours kMaxServiceTokenLifetime{24 * 90};
constexpr std::chrono::hours kOperatorSessionLifetime{12};
constexpr std::chrono::hours kOperatorSessionIdleTimeout{2};

struct IssuedApiToken
{
    QString id; // public id, safe to log
    QString role;
    QByteArray secret;   // the bearer token itself: shown to the operator once, never logged
    QDateTime expiresAt; // invalid when it does not expire
    ApiTokenKind kind = ApiTokenKind::Operator;
    QString parentId; // operator sessions: the credential that opened them
};

// Who a request to /api/ acts as: an operator's API token, or a tenant user's session (an
// access token from SessionService, after SSO). What the role may do: rbac.h.
struct ApiPrincipal
{
    QString tokenId; // the API token's id, or the session's id
    QString role;    // a platform role (tokens) or a tenant role (sessions)
    // Sessions only (empty for API tokens).
    QString sessionId;
    QUuid tenantId;
    QString tenantSlug;
    QString userId;
    bool mfaPending = false; // second factor not yet given: MFA routes only
    // API tokens only: "operator", "operator-session" or "service", and for an operator
    // session the id of the operator credential that opened it.
    QString tokenKind;
    QString credentialId;

    bool isSession() const { return !sessionId.isEmpty(); }
    // The audit actor: "token:<id>" or "user:<id>" (as SsoService records sign-ins).
    QString actor() const
    {
        return isSession() ? QStringLiteral("user:") + userId : QStringLiteral("token:") + tokenId;
    }
};

// What the store knows about a token (never its secret or hash).
struct ApiTokenInfo
{
    QString id;
    QString role;
    QDateTime createdAt;
    QDateTime expiresAt; // invalid when it does not expire
    QDateTime revokedAt; // invalid while not revoked
    ApiTokenKind kind = ApiTokenKind::Operator;
    QString parentId;
};

class ApiTokenStore
{
public:
    explicit ApiTokenStore(storage::ConnectionPool &controlPlane,
                           const Clock &clock = Clock::system());

    // A new token in memory only: id and secret, nothing stored yet. InvalidInput for an unknown
    // role, a service token without an expiry (or one past kMaxServiceTokenLifetime), and an
    // operator session (only OperatorMfa opens those). Does not block. Lets a caller record the
    // issuance (by id) before it takes effect.
    Result<IssuedApiToken> generate(const QString &role, std::optional<QDateTime> expiresAt = {},
                                    ApiTokenKind kind = ApiTokenKind::Operator) const;

    // Blocking (database); worker threads or CLI only.
    // generate() + store().
    Result<IssuedApiToken> issue(const QString &role, std::optional<QDateTime> expiresAt = {},
                                 ApiTokenKind kind = ApiTokenKind::Operator);
    // An operator session of the credential `credentialId` (kOperatorSessionLifetime), in
    // memory only like generate(): for OperatorMfa, which store()s it once the second factor is
    // checked and recorded.
    Result<IssuedApiToken> generateOperatorSession(const QString &credentialId,
                                                   const QString &role) const;
    // Stores a generated token (its hash); from here on it verifies.
    Status store(const IssuedApiToken &token);
    // NotFound for an unknown id, InvalidInput for something that is not a token id.
    Result<ApiTokenInfo> find(const QString &tokenId);
    // Unauthorized for unknown, revoked, expired or malformed tokens — one message for all, so
    // the answer reveals nothing about which. An operator session also fails once its
    // credential is revoked or expired, or after kOperatorSessionIdleTimeout without use. An
    // operator credential verifies with mfaPending set.
    Result<ApiPrincipal> verify(const QByteArray &presented);
    // Revokes the token and, for an operator credential, every session it opened.
    Status revoke(const QString &tokenId);

    storage::ConnectionPool &controlPlane() const { return m_pool; }

private:
    storage::ConnectionPool &m_pool;
    const Clock &m_clock;
};

} // namespace upcoach::identity
