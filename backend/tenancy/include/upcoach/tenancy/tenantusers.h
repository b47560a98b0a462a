// A tenant's users (the coaching model's `users` table) as operators manage them: listing for
// support and impersonation, and adding a user within the tenant's seat and storage limits.
// Every addition is recorded in the audit log (the email is personal data: never in the record).
// SCIM provisioning (identity) adds users through the same function. Blocking.
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/tenancy/tenant.h"

#include <QDateTime>
#include <QString>
#include <vector>

namespace upcoach::compliance {
class AuditLog;
}

namespace upcoach::tenancy {

class TenantSessions;
class TenantQuota;

struct TenantUser
{
    QString id; // uuid
    QString email;
    QString displayName;
    QString role; // coach | coachee | admin
    QDateTime createdAt;
    bool active = true; // false: may not sign in (deactivated over SCIM)
    QString managedBy;  // local | jit | scim (tenant migration 0002)
};

struct NewTenantUser
{
    QString email;       // 3..320 characters, one @, no spaces; unique per tenant (any case)
    QString displayName; // 1..200 characters
    QString role;        // coach | coachee | admin
    // local (operators) or jit (a first SSO login); SCIM creates its users itself
    // (identity::ScimService) and JIT never touches those.
    QString managedBy = QStringLiteral("local");
};

struct TenantUserQuery
{
    QString search; // case-insensitive substring of email or display name (at most 200 chars)
    QString role;   // empty: any
    int limit = 50; // 1..500
    int offset = 0;
};

struct TenantUserPage
{
    std::vector<TenantUser> users;
    qint64 total = 0; // matching users
};

class TenantUsers
{
public:
    TenantUsers(TenantSessions &sessions, TenantQuota &quota, compliance::AuditLog &audit);

    // Current users only: a user deprovisioned over SCIM (SCIM DELETE) is never listed, found
    // or counted as a seat again.
    //
    // Operator access (also suspended tenants, for support), ordered by display name (case
    // insensitive), then id. Errors name the field.
    Result<TenantUserPage> list(const QString &slug, const TenantUserQuery &query);
    // By email, case-insensitively; NotFound when the tenant has no such user.
    Result<TenantUser> findByEmail(const QString &slug, const QString &email);
    // Member access (trial and active tenants only). InvalidInput naming the field; Conflict
    // when the email exists ("email: already a user of <slug>") or a limit would be exceeded.
    // Recorded first as "tenant.user.add" (target user:<id>, details: role).
    Result<TenantUser> add(const QString &slug, const NewTenantUser &user,
                           const ActorContext &actor);
    // The role a just-in-time provisioned user's IdP now asserts (SsoService, at every sign-in,
    // from the connection's role rules). Only managed_by "jit" users change — local and
    // SCIM-managed users keep their role (NotFound for them, as for unknown ids). Recorded first
    // as "tenant.user.role" (target user:<id>, details: role, previousRole).
    Result<TenantUser> syncJitRole(const QString &slug, const TenantUser &user, const QString &role,
                                   const ActorContext &actor);

private:
    TenantSessions &m_sessions;
    TenantQuota &m_quota;
    compliance::AuditLog &m_audit;
};

} // namespace upcoach::tenancy
