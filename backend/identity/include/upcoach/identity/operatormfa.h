// Operator MFA: operator access always takes a second factor. An operator credential (an API
// token of kind "operator") alone reaches only /api/v1/me and the MFA routes; with it the
// operator enrols a TOTP authenticator once, then exchanges a code for an operator session — a
// short-lived token (12 h, 2 h idle) carrying the credential's role. Revoking the credential ends
// its sessions. The TOTP secret is sealed under a key derived from the credential itself, which
// the database never holds. Five wrong codes in a row revoke the credential. Service tokens
// (automation) have no second factor and must expire (apitokens.h). Every enrolment, session
// and refusal is recorded in the audit log. Blocking (PostgreSQL): worker threads only.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/identity/apitokens.h"
#include "upcoach/identity/sessions.h"

namespace upcoach::storage {
class ConnectionPool;
}

namespace upcoach::identity {

struct OperatorMfaStatus
{
    QString credentialId;
    bool totpEnrolled = false; // confirmed
    bool totpPending = false;  // begun, not confirmed
    int failures = 0;          // wrong codes in a row
};

class OperatorMfa
{
public:
    static constexpr int kMaxFailures = 5;

    OperatorMfa(storage::ConnectionPool &controlPlane, ApiTokenStore &tokens,
                compliance::AuditLog &audit, const Clock &clock = Clock::system());

    // For an operator credential or one of its sessions; Forbidden for service tokens and
    // tenant sessions.
    Result<OperatorMfaStatus> status(const ApiPrincipal &principal);
    // A new TOTP secret for the credential `presented` (the bearer the principal was verified
    // from). Conflict once an authenticator is confirmed. Recorded as operator-mfa.enrol-start.
    Result<TotpEnrolment> beginTotpEnrolment(const ApiPrincipal &principal,
                                             const QByteArray &presented,
                                             const compliance::ActorContext &actor);
    // Confirms the enrolment with a first code and opens the first operator session.
    // Recorded as operator-mfa.enrol (denied on a wrong code).
    Result<IssuedApiToken> confirmTotp(const ApiPrincipal &principal, const QByteArray &presented,
                                       const QString &code, const compliance::ActorContext &actor);
    // A TOTP code (each step once) → an operator session. Recorded as operator-session.start
    // (denied on a wrong code; the fifth in a row revokes the credential).
    Result<IssuedApiToken> openSession(const ApiPrincipal &principal, const QByteArray &presented,
                                       const QString &code, const compliance::ActorContext &actor);
    // Ends the operator session the principal is. Recorded as operator-session.end.
    Status endSession(const ApiPrincipal &principal, const compliance::ActorContext &actor);

private:
    Result<QByteArray> sealingKey(const ApiPrincipal &principal, const QByteArray &presented) const;
    Result<qint64> checkCode(const ApiPrincipal &principal, const QByteArray &presented,
                             const QString &code, bool confirming, const QString &action,
                             const compliance::ActorContext &actor);
    Error refuse(const ApiPrincipal &principal, const QString &action, const Error &refusal,
                 const compliance::ActorContext &actor);

    storage::ConnectionPool &m_pool;
    ApiTokenStore &m_tokens;
    compliance::AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace upcoach::identity
