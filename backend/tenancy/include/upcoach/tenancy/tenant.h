// What a tenant is: its registry record, the lifecycle state machine and the rules its fields
// follow. Pure values and functions (no database), so every rule is unit-tested on its own.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/regioncatalog.h"
#include "upcoach/core/result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <optional>

namespace upcoach::tenancy {

enum class TenantState
{
    Trial,
    Active,
    Suspended,
    Canceled,
    Deleted, // hard-deleted: rows removed and keys destroyed; the registry row is a tombstone
};

enum class IsolationStrategy
{
    RowLevelSecurity, // "rls": shared tables in tenant_shared, policies on tenant_id
    Schema,           // "schema": schema t_<id> reachable only through role upcoach_t_<id>
    Database,         // "database": database upcoach_t_<id> created from a migrated template
};

enum class TenantKind
{
    Organization,    // top level; no parent
    SubOrganization, // parent is an organization
    Team,            // parent is an organization or a sub-organization
};

enum class Provisioning
{
    Pending, // registered; placement not complete yet
    Ready,   // placement complete; TenantSession may open it
    Failed,  // a step failed; provisioning resumes where it stopped
    Moving,  // rows are being copied to a new placement; sessions refused meanwhile
    Removed, // the placement was destroyed (hard delete)
};

enum class LifecycleAction
{
    Activate,    // trial | suspended → active
    Suspend,     // trial | active → suspended
    Cancel,      // trial | active | suspended → canceled
    Reactivate,  // canceled → active
    ExpireTrial, // trial whose trial end has passed → suspended
};

QString stateName(TenantState state);
std::optional<TenantState> parseState(const QString &name);
QString isolationName(IsolationStrategy strategy);
std::optional<IsolationStrategy> parseIsolation(const QString &name);
QString kindName(TenantKind kind);
std::optional<TenantKind> parseKind(const QString &name);
QString provisioningName(Provisioning provisioning);
std::optional<Provisioning> parseProvisioning(const QString &name);
QString actionName(LifecycleAction action); // "activate", ...
std::optional<LifecycleAction> parseAction(const QString &name);

// The state an action leads to, or Conflict saying why it is not allowed from `from`
// ("tenant acme is already suspended"). `trialEnded` matters only for ExpireTrial.
Result<TenantState> nextState(const QString &slug, TenantState from, LifecycleAction action,
                              bool trialEnded = true);

struct Tenant
{
    QUuid id;
    QString slug;
    QString displayName;
    TenantKind kind = TenantKind::Organization;
    QUuid parentId;     // null for organizations
    QString parentSlug; // empty for organizations
    QString plan;
    TenantState state = TenantState::Trial;
    QDateTime trialEndsAt;
    QString homeRegion;
    QStringList allowedRegions;
    IsolationStrategy isolation = IsolationStrategy::RowLevelSecurity;
    Provisioning provisioning = Provisioning::Pending;
    QString provisioningError;
    QJsonObject config;   // validated by tenantsettings.h
    QJsonObject limits;   // overrides of the plan's limits
    QJsonObject features; // overrides of the plan's feature flags
    QString ownerName;    // PII: never logged, never in an audit event
    QString ownerEmail;   // PII
    QDateTime createdAt;
    QDateTime updatedAt;
    QDateTime suspendedAt;
    QDateTime canceledAt;
    QDateTime deletionRequestedAt;
    QDateTime purgeAfter;
    QDateTime deletedAt;
    qint64 version = 0;

    // Where the rows live: "tenant_shared" (rls), "t_<32 hex>" (schema) or "tenant_data"
    // inside databaseName() (database).
    QString schemaName() const;
    QString databaseName() const; // "upcoach_t_<32 hex>"; empty unless isolation is database
    QString roleName() const;     // "upcoach_t_<32 hex>"; empty unless isolation is schema
};

// The name of a tenant-specific schema, role or database for tenant `id` and `strategy`.
QString placementSchema(const QUuid &id, IsolationStrategy strategy);
QString placementDatabase(const QUuid &id, IsolationStrategy strategy);
QString placementRole(const QUuid &id, IsolationStrategy strategy);

// Input rules; each error names the field ("slug: ...").
Status validateSlug(const QString &slug);
Status validateDisplayName(const QString &name);
Status validateOwnerEmail(const QString &email);

// Who does something, for the audit log (compliance/auditlog.h).
using ActorContext = compliance::ActorContext;

} // namespace upcoach::tenancy
