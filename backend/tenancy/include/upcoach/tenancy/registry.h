// The tenant registry in the control-plane database: creation (with provisioning in the home
// region), lookup and listing, lifecycle transitions, settings, moves between strategies and
// regions. Every change is recorded in the audit log first and made only once its event is
// durable (README.md, "Audit"); a change that then fails gets a correcting event. Blocking:
// call from worker threads.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/tenancy/provisioner.h"
#include "upcoach/tenancy/tenant.h"
#include "upcoach/tenancy/tenantsettings.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace upcoach::storage {
class RegionPools;
}
namespace upcoach::compliance {
class AuditLog;
struct AuditRecord;
} // namespace upcoach::compliance

namespace upcoach::tenancy {

class TenantKeyStore;

struct NewTenant
{
    QString slug;
    QString displayName;
    QString parentSlug; // empty: an organization
    TenantKind kind = TenantKind::Organization;
    QString plan;
    QString homeRegion;
    QStringList allowedRegions; // empty: the home region only
    IsolationStrategy isolation = IsolationStrategy::RowLevelSecurity;
    QString ownerName;
    QString ownerEmail;
    QJsonObject config;
    QJsonObject limits;
    QJsonObject features;
    bool trial = true; // false: starts active
};

// Which fields of a tenant to change (unset = unchanged). config/limits/features replace the
// tenant's whole object.
struct TenantPatch
{
    std::optional<QString> displayName;
    std::optional<QString> plan;
    std::optional<QStringList> allowedRegions;
    std::optional<QString> ownerName;
    std::optional<QString> ownerEmail;
    std::optional<QJsonObject> config;
    std::optional<QJsonObject> limits;
    std::optional<QJsonObject> features;
    bool isEmpty() const;
};

enum class TenantSort
{
    Slug,
    Name,
    Created,
    State,
    Plan,
    Region,
    Isolation,
};
std::optional<TenantSort> parseSort(const QString &name);

struct TenantQuery
{
    QString search; // substring of slug or display name, case-insensitive
    std::optional<TenantState> state;
    QString plan;
    QString region;
    std::optional<IsolationStrategy> isolation;
    QString parentSlug;
    TenantSort sort = TenantSort::Slug;
    bool descending = false;
    int offset = 0;
    int limit = 100; // 1..1000
    bool includeDeleted = false;
};

struct TenantPage
{
    std::vector<Tenant> tenants;
    qint64 total = 0; // matching tenants, ignoring offset and limit
};

// Counts of tenants by state, strategy and region (the console's summary).
struct TenantCounts
{
    QMap<QString, qint64> byState;
    QMap<QString, qint64> byIsolation;
    QMap<QString, qint64> byRegion;
    qint64 total = 0;
};

class TenantRegistry final : public TenantSettingsSource
{
public:
    TenantRegistry(storage::RegionPools &pools, QString controlPlaneRegion,
                   compliance::AuditLog &audit, const Clock &clock = Clock::system());
    ~TenantRegistry() override;

    // Validates (every error names its field), records "tenant.create", registers the tenant
    // and provisions its placement. A failed provisioning leaves the tenant "failed" (never
    // usable) and returns the error; calling create again with the same slug and the same
    // strategy and region resumes it. Conflict when the slug is taken by a different tenant.
    Result<Tenant> create(const NewTenant &tenant, const ActorContext &actor);
    // Finishes provisioning of every pending or failed tenant (at start and from a timer).
    Result<int> resumeProvisioning(const ActorContext &actor);
    // Brings every ready placement up to the binary's tenant migrations (at start, after an
    // upgrade; TenantProvisioner::migratePlacement). Returns how many migrations ran in all.
    // A placement that fails (its region is down or not configured here) is skipped with a
    // warning and retried at the next start; only a control plane that does not answer fails.
    Result<int> migratePlacements();

    Result<Tenant> get(const QString &slug);
    Result<Tenant> getById(const QUuid &id);
    Result<TenantPage> list(const TenantQuery &query);
    Result<TenantCounts> counts();
    Result<std::vector<Plan>> plans();
    Result<Plan> plan(const QString &name);

    // A lifecycle action; Conflict (with the reason) when the state machine forbids it, and the
    // refused attempt is recorded as a failure. `expectedVersion`: Conflict when the tenant
    // changed since the caller read it.
    Result<Tenant> transition(const QString &slug, LifecycleAction action,
                              const ActorContext &actor,
                              std::optional<qint64> expectedVersion = std::nullopt);
    // Moves every trial whose end has passed to suspended; returns how many.
    Result<int> expireTrials(const ActorContext &actor);

    Result<Tenant> update(const QString &slug, const TenantPatch &patch, const ActorContext &actor,
                          std::optional<qint64> expectedVersion = std::nullopt);

    // Moves the tenant to another strategy and/or region (which must be in its allowed
    // regions): provisions the new placement, copies every row, checks the counts, switches
    // the registry, then removes the old placement. Sessions are refused while it runs.
    Result<Tenant> move(const QString &slug, IsolationStrategy isolation, const QString &homeRegion,
                        const ActorContext &actor);

    // Soft deletion: the tenant is canceled (if it was not) and marked for purge after
    // `retention` (1 to 365 days); reversible with cancelDeletion until then. Recorded.
    Result<Tenant> requestDeletion(const QString &slug, std::chrono::hours retention,
                                   const ActorContext &actor);
    Result<Tenant> cancelDeletion(const QString &slug, const ActorContext &actor);
    // Hard deletion of every tenant whose retention has passed: records "tenant.purge", removes
    // the placement (rows, schema and role, or database), destroys the tenant's keys (when a key
    // store is set) and leaves a tombstone (state deleted; contact and settings cleared).
    // Returns how many were purged.
    Result<int> purgeDeleted(const ActorContext &actor);

    // Per-tenant data keys: created with the placement, destroyed on purge. Optional (null:
    // tenants have no data keys). Must outlive the registry.
    void setKeyStore(TenantKeyStore *keys);

    // TenantSettingsSource
    Result<EffectiveSettings> settingsFor(const QString &slug) override;

    TenantProvisioner &provisioner() { return m_provisioner; }
    // How long move() waits after marking a tenant "moving" before copying its rows: at least
    // the TenantSessions cache lifetime of every instance (default 2.5 s).
    void setMoveQuiesce(std::chrono::milliseconds wait);
    // Called after every change this registry makes (TenantSessions invalidates its cache).
    void onChanged(std::function<void(const QString &slug)> callback);

private:
    class Impl;
    std::unique_ptr<Impl> d;
    TenantProvisioner m_provisioner;
};

} // namespace upcoach::tenancy
