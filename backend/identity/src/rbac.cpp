#include "upcoach/identity/rbac.h"

namespace upcoach::identity {

const std::vector<RoleDefinition> &roleDefinitions()
{
    using P = Permission;
    static const std::vector<RoleDefinition> roles{
        {QStringLiteral("ops-admin"),
         QStringLiteral("Platform operator"),
         RoleScope::Platform,
         {P::PlatformRead, P::PlatformManage, P::AuditRead, P::TenantRead, P::TenantManage,
          P::TenantIdentity, P::TenantOperate, P::Self}},
        {QStringLiteral("ops-viewer"),
         QStringLiteral("Platform viewer"),
         RoleScope::Platform,
         {P::PlatformRead, P::AuditRead, P::TenantRead, P::Self}},
        {QStringLiteral("ops-auditor"),
         QStringLiteral("Auditor"),
         RoleScope::Platform,
         {P::AuditRead, P::TenantRead, P::Self}},
        {QStringLiteral("admin"),
         QStringLiteral("Tenant admin"),
         RoleScope::Tenant,
         {P::TenantRead, P::TenantManage, P::TenantIdentity, P::Self}},
        {QStringLiteral("coach"), QStringLiteral("Coach"), RoleScope::Tenant, {P::Self}},
        {QStringLiteral("coachee"), QStringLiteral("Member"), RoleScope::Tenant, {P::Self}},
    };
    return roles;
}

const RoleDefinition *roleDefinition(const QString &name)
{
    for (const RoleDefinition &role : roleDefinitions())
        if (role.name == name)
            return &role;
    return nullptr;
}

QString permissionName(Permission permission)
{
    switch (permission) {
    case Permission::PlatformRead:
        return QStringLiteral("platform.read");
    case Permission::PlatformManage:
        return QStringLiteral("platform.manage");
    case Permission::AuditRead:
        return QStringLiteral("audit.read");
    case Permission::TenantRead:
        return QStringLiteral("tenant.read");
    case Permission::TenantManage:
        return QStringLiteral("tenant.manage");
    case Permission::TenantIdentity:
        return QStringLiteral("tenant.identity");
    case Permission::TenantOperate:
        return QStringLiteral("tenant.operate");
    case Permission::Self:
        return QStringLiteral("self");
    }
    return {};
}

std::vector<Permission> allPermissions()
{
    return {Permission::PlatformRead,  Permission::PlatformManage,
            Permission::AuditRead,     Permission::TenantRead,
            Permission::TenantManage,  Permission::TenantIdentity,
            Permission::TenantOperate, Permission::Self};
}

bool roleGrants(const QString &role, Permission permission)
{
    const RoleDefinition *definition = roleDefinition(role);
    if (!definition)
        return false;
    for (const Permission granted : definition->permissions)
        if (granted == permission)
            return true;
    return false;
}

AccessDecision decideAccess(const ApiPrincipal &principal, Permission permission,
                            const QString &tenantSlug, bool allowedWhileMfaPending)
{
    const RoleDefinition *definition = roleDefinition(principal.role);
    if (!definition)
        return AccessDecision::Forbidden;
    // A role is bound to its kind of credential: a session never carries a platform role and a
    // token never a tenant role, whatever the stores hold.
    if ((definition->scope == RoleScope::Platform) == principal.isSession())
        return AccessDecision::Forbidden;
    if (principal.isSession() && !tenantSlug.isEmpty() && tenantSlug != principal.tenantSlug)
        return AccessDecision::OtherTenant;
    // A session that owes its second factor, or an operator credential (which always does: it
    // opens operator sessions with one), reaches only the MFA routes.
    if (principal.mfaPending && !(permission == Permission::Self && allowedWhileMfaPending))
        return AccessDecision::MfaPending;
    return roleGrants(principal.role, permission) ? AccessDecision::Allowed
                                                  : AccessDecision::Forbidden;
}

} // namespace upcoach::identity
