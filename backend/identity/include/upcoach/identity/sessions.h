// Sessions after SSO, and the second factor. A sign-in (SsoService) starts a session: a
// short-lived access token — a JWT signed with the tenant's own Ed25519 key — and a refresh token
// that rotates at every use (an old one presented again revokes the session: it was stolen).
// Revocation takes effect at once: every access token is checked against its session row.
// The tenant's MFA policy decides whether the session owes a second factor (TOTP or a recovery
// code) before it may do anything but give it; an MFA the IdP asserted satisfies the policy when
// the tenant allows. Every start, refresh, revocation and MFA event is recorded in the audit log.
// Blocking (PostgreSQL): worker threads only.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/identity/apitokens.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <chrono>
#include <mutex>
#include <optional>
#include <vector>

namespace upcoach::storage {
class ConnectionPool;
}
namespace upcoach::tenancy {
class FieldCipher;
}

namespace upcoach::identity {

class Jwk;
class SigningKey;

struct SessionLimits
{
    std::chrono::seconds accessLifetime{600};         // access tokens: 10 minutes
    std::chrono::seconds idleTimeout{2 * 3600};       // no refresh for 2 hours: the session ends
    std::chrono::seconds absoluteLifetime{12 * 3600}; // a session lasts 12 hours at most
    int maxMfaFailures = 5; // wrong second factors before the session is revoked
};

struct NewSession
{
    QUuid tenantId;
    QString tenantSlug;
    QString userId;
    QString role; // admin | coach | coachee
    QUuid connectionId;
    bool idpMfa = false; // the IdP asserted MFA and the connection recognises it
};

struct SessionTokens
{
    QString sessionId;
    QByteArray accessToken; // never log
    QDateTime accessExpiresAt;
    QByteArray refreshToken; // never log
    QDateTime expiresAt;     // the session's absolute end
    bool mfaPending = false;
    QString mfa; // none | idp | totp | recovery | pending
};

struct SessionInfo
{
    QString id;
    QString userId;
    QString role;
    QString mfa;
    bool mfaPending = false;
    QDateTime createdAt;
    QDateTime refreshedAt;
    QDateTime expiresAt;
    QDateTime revokedAt; // invalid while active
    QString revokeReason;
};

struct MfaPolicy
{
    bool requiredForAll = false;
    QStringList requiredRoles; // tenant roles that must give a second factor
    bool acceptIdpMfa = true;  // an IdP-asserted MFA satisfies the requirement
    int version = 0;           // 0: never set (the defaults)
};

// Whether a user of `role` must give a second factor under `policy`.
bool mfaRequired(const MfaPolicy &policy, const QString &role);

struct TotpEnrolment
{
    QString secretBase32; // for manual entry; shown once, never log
    QString otpauthUri;
    QString qrSvg;
};

// What an authenticator app is shown for `secret`: base32, otpauth URI and QR code (issuer and
// account cut to the otpauth limits). Pure; used for users' and operators' enrolments.
Result<TotpEnrolment> totpEnrolmentFor(const QString &issuer, const QString &account,
                                       const QByteArray &secret);

struct MfaStatus
{
    bool totpEnrolled = false; // confirmed
    bool totpPending = false;  // begun, not confirmed
    int recoveryCodesLeft = 0;
    bool sessionMfaPending = false;
    QString sessionMfa;
    bool required = false; // by the tenant's policy for this user's role
};

struct ConfirmedTotp
{
    QStringList recoveryCodes;            // shown once, never log
    std::optional<SessionTokens> session; // a new access token when the session owed MFA
};

class SessionService
{
public:
    // `issuer`: the iss of access tokens (the server's public URL).
    SessionService(storage::ConnectionPool &controlPlane, tenancy::FieldCipher &cipher,
                   compliance::AuditLog &audit, QString issuer,
                   const Clock &clock = Clock::system(), SessionLimits limits = {});
    ~SessionService();

    const SessionLimits &limits() const { return m_limits; }
    // Before the first request only (not synchronised): serve learns its URL after binding.
    void setIssuer(const QString &issuer) { m_issuer = issuer; }

    // A sign-in: the session, owing MFA when the tenant's policy requires it for the role and
    // no IdP MFA satisfies it. Recorded as session.start.
    Result<SessionTokens> start(const NewSession &session, const compliance::ActorContext &actor);

    // The principal of an access token: signature (the tenant's key, EdDSA pinned), iss, aud,
    // exp, the tenant the key belongs to, then the session row (not revoked, not ended; role
    // and MFA state from there). Unauthorized, one message, for every refusal.
    Result<ApiPrincipal> verifyAccessToken(QByteArrayView token);
    // Whether a bearer token has the shape of an access token (a JWT), not an API token.
    static bool looksLikeAccessToken(QByteArrayView token);

    // A new access token and a new refresh token; the presented one stops working. An older
    // refresh token of the session revokes it (recorded as denied). Recorded as session.refresh.
    Result<SessionTokens> refresh(QByteArrayView refreshToken,
                                  const compliance::ActorContext &actor);

    // Ends one session (NotFound when it is not the tenant's or already ended).
    Status revoke(const QUuid &tenantId, const QString &tenantSlug, const QString &sessionId,
                  const QString &reason, const compliance::ActorContext &actor);
    // Ends every active session of a user (deprovisioning); how many were ended.
    Result<int> revokeUser(const QUuid &tenantId, const QString &tenantSlug, const QString &userId,
                           const QString &reason, const compliance::ActorContext &actor);
    Result<std::vector<SessionInfo>> sessions(const QUuid &tenantId, bool activeOnly = true);

    // ---- MFA ----
    Result<MfaPolicy> mfaPolicy(const QUuid &tenantId);
    // Replaces the policy (roles checked); Conflict when `expectedVersion` is given and stale.
    // Recorded as mfa.policy.set.
    Result<MfaPolicy> setMfaPolicy(const QUuid &tenantId, const QString &tenantSlug,
                                   const MfaPolicy &policy, std::optional<int> expectedVersion,
                                   const compliance::ActorContext &actor);
    Result<MfaStatus> mfaStatus(const ApiPrincipal &principal);
    // A new TOTP secret for the principal (replacing one not yet confirmed). Conflict when one is
    // confirmed already. Recorded as mfa.totp.enrol-start.
    Result<TotpEnrolment> beginTotpEnrolment(const ApiPrincipal &principal, const QString &issuer,
                                             const QString &account,
                                             const compliance::ActorContext &actor);
    // The first code proves the authenticator: TOTP is on, ten recovery codes replace any
    // earlier ones, and a session that owed MFA has it. Wrong codes count as MFA failures.
    Result<ConfirmedTotp> confirmTotp(const ApiPrincipal &principal, const QString &code,
                                      const compliance::ActorContext &actor);
    // The second factor of a session that owes it: a TOTP code (each usable once) or a recovery
    // code (used up). Unauthorized for a wrong one; the session is revoked after
    // limits().maxMfaFailures of them. Recorded as mfa.verify.
    Result<SessionTokens> verifySecondFactor(const ApiPrincipal &principal, const QString &code,
                                             const compliance::ActorContext &actor);

private:
    struct TenantKey;
    Result<std::shared_ptr<const TenantKey>> signingKey(const QUuid &tenantId);
    Result<std::shared_ptr<const TenantKey>> verificationKey(const QString &kid);
    Result<SessionTokens> accessTokenFor(const QString &sessionId, const QUuid &tenantId,
                                         const QString &tenantSlug, const QString &userId,
                                         const QString &role, const QString &mfa, bool mfaPending,
                                         const QDateTime &expiresAt);
    // Counts a wrong second factor; revokes the session at the limit. Returns `refusal`.
    Error mfaFailure(const ApiPrincipal &principal, const QString &action, const Error &refusal,
                     const compliance::ActorContext &actor);
    // Marks the session's MFA as given and returns its new access token.
    Result<SessionTokens> satisfyMfa(const ApiPrincipal &principal, const QString &method);
    compliance::AuditRecord recordFor(const QString &action, const QString &tenantSlug,
                                      const QString &target,
                                      const compliance::ActorContext &actor) const;

    storage::ConnectionPool &m_pool;
    tenancy::FieldCipher &m_cipher;
    compliance::AuditLog &m_audit;
    QString m_issuer;
    const Clock &m_clock;
    SessionLimits m_limits;
    std::mutex m_keysMutex;
    QHash<QUuid, std::shared_ptr<const TenantKey>> m_signingKeys;
    QHash<QString, std::shared_ptr<const TenantKey>> m_verificationKeys;
};

} // namespace upcoach::identity
