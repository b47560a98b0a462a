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
#include <optional>

namespace upcoach::identity {

// Roles an API token can carry: the platform roles of rbac.h.
QStringList apiTokenRoles(); // "ops-admin", "ops-viewer", "ops-auditor"

struct IssuedApiToken
{
    QString id; // public id, safe to log
    QString role;
    QByteArray secret;   // the bearer token itself: shown to the operator once, never logged
    QDateTime expiresAt; // invalid when it does not expire
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
    bool mfaPending = false; // signed in, second factor not yet given: MFA routes only

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
};

class ApiTokenStore
{
public:
    explicit ApiTokenStore(storage::ConnectionPool &controlPlane,
                           const Clock &clock = Clock::system());

    // A new token in memory only: id and secret, nothing stored yet. InvalidInput for an unknown
    // role. Does not block. Lets a caller record the issuance (by id) before it takes effect.
    Result<IssuedApiToken> generate(const QString &role,
                                    std::optional<QDateTime> expiresAt = {}) const;

    // Blocking (database); worker threads or CLI only.
    // generate() + store().
    Result<IssuedApiToken> issue(const QString &role, std::optional<QDateTime> expiresAt = {});
    // Stores a generated token (its hash); from here on it verifies.
    Status store(const IssuedApiToken &token);
    // NotFound for an unknown id, InvalidInput for something that is not a token id.
    Result<ApiTokenInfo> find(const QString &tokenId);
    // Unauthorized for unknown, revoked, expired or malformed tokens — one message for all, so
    // the answer reveals nothing about which.
    Result<ApiPrincipal> verify(const QByteArray &presented);
    Status revoke(const QString &tokenId);

private:
    storage::ConnectionPool &m_pool;
    const Clock &m_clock;
};

} // namespace upcoach::identity
