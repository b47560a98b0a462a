// Roles and permissions. Every /api/ route names the permission it needs (backend/api,
// "Roles and permissions"); a principal's role grants a fixed set of them. Platform roles belong
// to operators' API tokens and act on every tenant; tenant roles belong to users signed in
// through their tenant's SSO and act only on their own tenant. Pure data: thread-safe.
#pragma once

#include "upcoach/identity/apitokens.h"

#include <QString>
#include <QStringList>
#include <vector>

namespace upcoach::identity {

enum class Permission
{
    PlatformRead,   // regions, traffic, the tenant list, health events
    PlatformManage, // API tokens, tenant lifecycle, traffic controls
    AuditRead,      // the audit log and its proofs
    TenantRead,     // a tenant's record, usage, users, key status
    TenantManage,   // a tenant's users
    TenantIdentity, // a tenant's SSO connections, SCIM token, MFA policy, users' sessions
    TenantOperate,  // impersonation and key rotation: operators only
    Self,           // one's own session or operator session, and one's MFA enrolment
};

enum class RoleScope
{
    Platform, // API tokens: every tenant
    Tenant,   // sessions: their own tenant only
};

struct RoleDefinition
{
    QString name;  // "ops-admin", "admin", ...
    QString title; // "Platform operator", "Tenant admin", ...
    RoleScope scope;
    std::vector<Permission> permissions;
};

// Every role, platform roles first.
const std::vector<RoleDefinition> &roleDefinitions();
const RoleDefinition *roleDefinition(const QString &name);
QString permissionName(Permission permission); // "tenant.identity", ...
std::vector<Permission> allPermissions();

// Whether the role grants the permission (false for unknown roles).
bool roleGrants(const QString &role, Permission permission);

enum class AccessDecision
{
    Allowed,
    Forbidden,   // the role lacks the permission
    OtherTenant, // a tenant principal asking about another tenant (answered as not found)
    MfaPending,  // signed in but the second factor is still owed
};

// The whole check of one request: the principal's role grants `permission`; a session acts only
// on its own tenant (`tenantSlug`: the tenant the route is about, empty when none); a principal
// that owes its second factor — a session before MFA, or an operator credential, which opens
// operator sessions with a TOTP code — may use Self routes that allow it
// (`allowedWhileMfaPending`) and nothing else.
AccessDecision decideAccess(const ApiPrincipal &principal, Permission permission,
                            const QString &tenantSlug, bool allowedWhileMfaPending = false);

} // namespace upcoach::identity
