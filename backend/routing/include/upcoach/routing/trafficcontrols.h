// Manual traffic controls — drain, undrain, forced failover, weight overrides — kept in the
// control plane (migration control/0007) so every `serve` instance and the console see the same
// state, and recorded in the audit log before they take effect. Blocking: worker threads only.
#pragma once

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/routing/trafficpolicy.h"

#include <QDateTime>
#include <QString>
#include <map>
#include <vector>

namespace upcoach::storage {
class ConnectionPool;
}

namespace upcoach::routing {

inline constexpr int kMinControlReasonLength = 10;
inline constexpr int kMaxControlReasonLength = 500;

struct RegionOverride
{
    QString regionId;
    bool failedOver = false; // false: drained
    QString failoverTarget;  // forced failover: the region that takes over first (may be empty)
    QString reason;
    QString changedBy;
    QDateTime changedAt;
    friend bool operator==(const RegionOverride &, const RegionOverride &) = default;
};

struct WeightOverride
{
    QString rule;
    std::map<QString, std::uint32_t> weights; // region id → weight
    QString reason;
    QString changedBy;
    QDateTime changedAt;
    friend bool operator==(const WeightOverride &, const WeightOverride &) = default;
};

struct TrafficOverrides
{
    std::vector<RegionOverride> regions;
    std::vector<WeightOverride> weights;
    friend bool operator==(const TrafficOverrides &, const TrafficOverrides &) = default;
};

// Field rules shared by the API and the console (errors name the field).
Status validateControlReason(const QString &reason);
Status validateWeights(const TrafficPolicy &policy, const QString &rule,
                       const std::map<QString, std::uint32_t> &weights);

class TrafficControls
{
public:
    TrafficControls(storage::ConnectionPool &control, compliance::AuditLog &audit,
                    const Clock &clock = Clock::system());

    Result<TrafficOverrides> load() const;

    // The affinity tokens' HMAC key shared by every instance on this control plane: `candidate`
    // (32 random bytes) is stored if no instance stored one before; the stored key is returned.
    Result<QByteArray> sharedAffinityKey(const QByteArray &candidate) const;

    // Each records its audit event (traffic.region.drain, .undrain, .failover,
    // traffic.weights.set, .reset; classification config-change) and then changes the row; a
    // change that then fails gets a correcting event. Conflict when the region is already in the
    // requested state (drain twice, undrain a region in service).
    Result<RegionOverride> drain(const TrafficPolicy &policy, const QString &regionId,
                                 const QString &reason, const compliance::ActorContext &actor);
    Result<RegionOverride> failover(const TrafficPolicy &policy, const QString &regionId,
                                    const QString &target, const QString &reason,
                                    const compliance::ActorContext &actor);
    Status undrain(const TrafficPolicy &policy, const QString &regionId, const QString &reason,
                   const compliance::ActorContext &actor);
    Result<WeightOverride> setWeights(const TrafficPolicy &policy, const QString &rule,
                                      const std::map<QString, std::uint32_t> &weights,
                                      const QString &reason, const compliance::ActorContext &actor);
    Status resetWeights(const TrafficPolicy &policy, const QString &rule, const QString &reason,
                        const compliance::ActorContext &actor);

private:
    storage::ConnectionPool &m_control;
    compliance::AuditLog &m_audit;
    const Clock &m_clock;
};

} // namespace upcoach::routing
