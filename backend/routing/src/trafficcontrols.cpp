#include "upcoach/routing/trafficcontrols.h"

#include "upcoach/compliance/recordedchange.h"
#include "upcoach/storage/connectionpool.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <pqxx/pqxx>

namespace upcoach::routing {

namespace {

compliance::AuditRecord controlRecord(const compliance::ActorContext &actor, const QString &action,
                                      const QString &target, QJsonObject details)
{
    compliance::AuditRecord record = compliance::auditRecordOf(actor, {}, action, target);
    record.classification = QStringLiteral("config-change");
    record.details = std::move(details);
    return record;
}

Status knownRegion(const TrafficPolicy &policy, const QString &regionId, const QString &field)
{
    if (policy.regionIndex(regionId) < 0)
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("%1: the traffic policy has no region '%2'")
                             .arg(field, regionId.left(64)));
    return {};
}

std::optional<RegionOverride> findRegion(const TrafficOverrides &overrides, const QString &id)
{
    for (const RegionOverride &o : overrides.regions) {
        if (o.regionId == id)
            return o;
    }
    return std::nullopt;
}

} // namespace

Status validateControlReason(const QString &reason)
{
    const QString trimmed = reason.trimmed();
    if (trimmed.size() < kMinControlReasonLength)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("reason: say why in at least %1 characters")
                             .arg(kMinControlReasonLength));
    if (trimmed.size() > kMaxControlReasonLength)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("reason: at most %1 characters").arg(kMaxControlReasonLength));
    for (const QChar c : trimmed) {
        if (c.category() == QChar::Other_Control)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("reason: control characters are not allowed"));
    }
    return {};
}

Status validateWeights(const TrafficPolicy &policy, const QString &rule,
                       const std::map<QString, std::uint32_t> &weights)
{
    const PolicyRule *found = policy.rule(rule);
    if (!found)
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("rule: the traffic policy has no rule '%1'").arg(rule.left(64)));
    if (found->kind != RuleKind::Weighted)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("rule: '%1' is a %2 rule; only weighted rules have weights")
                             .arg(rule, ruleKindName(found->kind)));
    if (weights.empty())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("weights: give a weight for at least one region"));
    std::uint64_t total = 0;
    for (const auto &[regionId, weight] : weights) {
        if (policy.regionIndex(regionId) < 0)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("weights.%1: unknown region").arg(regionId.left(64)));
        if (weight > 1000000)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("weights.%1: at most 1000000").arg(regionId));
        total += weight;
    }
    if (total == 0)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("weights: at least one weight must be above 0"));
    return {};
}

TrafficControls::TrafficControls(storage::ConnectionPool &control, compliance::AuditLog &audit,
                                 const Clock &clock)
    : m_control(control)
    , m_audit(audit)
    , m_clock(clock)
{}

Result<QByteArray> TrafficControls::sharedAffinityKey(const QByteArray &candidate) const
{
    if (candidate.size() != 32)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("an affinity key has 32 bytes"));
    auto stored = m_control.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        work.exec_params("INSERT INTO traffic_secrets (name, secret) VALUES ('affinity', $1)"
                         " ON CONFLICT (name) DO NOTHING",
                         candidate.toHex().toStdString());
        const auto rows = work.exec("SELECT secret FROM traffic_secrets WHERE name = 'affinity'");
        work.commit();
        return QByteArray::fromStdString(rows.at(0).at(0).as<std::string>());
    });
    if (!stored)
        return stored.error();
    const QByteArray key = QByteArray::fromHex(stored.value());
    if (key.size() != 32)
        return makeError(
            ErrorCode::Internal,
            QStringLiteral("traffic_secrets: the stored affinity key is not 32 bytes"));
    return key;
}

Result<TrafficOverrides> TrafficControls::load() const
{
    return m_control.withConnection([](pqxx::connection &connection) {
        pqxx::read_transaction work(connection);
        TrafficOverrides overrides;
        for (const auto &row :
             work.exec("SELECT region_id, state, coalesce(failover_target, ''), reason, changed_by,"
                       " (extract(epoch FROM changed_at) * 1000)::bigint"
                       " FROM traffic_region_overrides ORDER BY region_id")) {
            RegionOverride o;
            o.regionId = QString::fromStdString(row[0].as<std::string>());
            o.failedOver = row[1].as<std::string>() == "failed-over";
            o.failoverTarget = QString::fromStdString(row[2].as<std::string>());
            o.reason = QString::fromStdString(row[3].as<std::string>());
            o.changedBy = QString::fromStdString(row[4].as<std::string>());
            o.changedAt = QDateTime::fromMSecsSinceEpoch(row[5].as<qint64>(), Qt::UTC);
            overrides.regions.push_back(std::move(o));
        }
        for (const auto &row : work.exec("SELECT rule_name, weights::text, reason, changed_by,"
                                         " (extract(epoch FROM changed_at) * 1000)::bigint"
                                         " FROM traffic_weight_overrides ORDER BY rule_name")) {
            WeightOverride o;
            o.rule = QString::fromStdString(row[0].as<std::string>());
            const QJsonObject weights =
                QJsonDocument::fromJson(QByteArray::fromStdString(row[1].as<std::string>()))
                    .object();
            for (auto it = weights.begin(); it != weights.end(); ++it)
                o.weights[it.key()] = static_cast<std::uint32_t>(it.value().toInteger());
            o.reason = QString::fromStdString(row[2].as<std::string>());
            o.changedBy = QString::fromStdString(row[3].as<std::string>());
            o.changedAt = QDateTime::fromMSecsSinceEpoch(row[4].as<qint64>(), Qt::UTC);
            overrides.weights.push_back(std::move(o));
        }
        return overrides;
    });
}

namespace {

Result<RegionOverride> setRegionState(storage::ConnectionPool &control, compliance::AuditLog &audit,
                                      const Clock &clock, const RegionOverride &wanted,
                                      const compliance::ActorContext &actor)
{
    QJsonObject details{{QStringLiteral("reason"), wanted.reason}};
    if (!wanted.failoverTarget.isEmpty())
        details.insert(QStringLiteral("target"), wanted.failoverTarget);
    const QString action = wanted.failedOver ? QStringLiteral("traffic.region.failover")
                                             : QStringLiteral("traffic.region.drain");
    const auto record =
        controlRecord(actor, action, QStringLiteral("region:") + wanted.regionId, details);
    return compliance::recordThenChange<
        RegionOverride>(audit, record, [&]() -> Result<RegionOverride> {
        RegionOverride stored = wanted;
        stored.changedBy = actor.actor;
        stored.changedAt = clock.now();
        auto inserted = control.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            // Only from "in service": a drained region must be undrained before failing over,
            // so that each change is one reversible step.
            const auto rows = work.exec_params(
                "INSERT INTO traffic_region_overrides (region_id, state, failover_target, reason,"
                " changed_by, changed_at) VALUES ($1, $2, nullif($3, ''), $4, $5,"
                " to_timestamp($6::bigint / 1000.0)) ON CONFLICT (region_id) DO NOTHING"
                " RETURNING region_id",
                stored.regionId.toStdString(),
                std::string(stored.failedOver ? "failed-over" : "drained"),
                stored.failoverTarget.toStdString(), stored.reason.toStdString(),
                stored.changedBy.toStdString(), stored.changedAt.toMSecsSinceEpoch());
            work.commit();
            return !rows.empty();
        });
        if (!inserted)
            return inserted.error();
        if (!inserted.value())
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("region %1 is already drained or failed over; undrain "
                                            "it first")
                                 .arg(stored.regionId));
        return stored;
    });
}

} // namespace

Result<RegionOverride> TrafficControls::drain(const TrafficPolicy &policy, const QString &regionId,
                                              const QString &reason,
                                              const compliance::ActorContext &actor)
{
    if (auto s = knownRegion(policy, regionId, QStringLiteral("region")); !s)
        return s.error();
    if (auto s = validateControlReason(reason); !s)
        return s.error();
    auto current = load();
    if (!current)
        return current.error();
    if (findRegion(current.value(), regionId))
        return makeError(
            ErrorCode::Conflict,
            QStringLiteral("region %1 is already drained or failed over").arg(regionId));
    RegionOverride wanted;
    wanted.regionId = regionId;
    wanted.reason = reason.trimmed();
    return setRegionState(m_control, m_audit, m_clock, wanted, actor);
}

Result<RegionOverride> TrafficControls::failover(const TrafficPolicy &policy,
                                                 const QString &regionId, const QString &target,
                                                 const QString &reason,
                                                 const compliance::ActorContext &actor)
{
    if (auto s = knownRegion(policy, regionId, QStringLiteral("region")); !s)
        return s.error();
    if (!target.isEmpty()) {
        if (auto s = knownRegion(policy, target, QStringLiteral("target")); !s)
            return Error{ErrorCode::InvalidInput, s.error().message};
        if (target == regionId)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("target: a region cannot take over from itself"));
    }
    if (auto s = validateControlReason(reason); !s)
        return s.error();
    auto current = load();
    if (!current)
        return current.error();
    if (findRegion(current.value(), regionId))
        return makeError(
            ErrorCode::Conflict,
            QStringLiteral("region %1 is already drained or failed over").arg(regionId));
    RegionOverride wanted;
    wanted.regionId = regionId;
    wanted.failedOver = true;
    wanted.failoverTarget = target;
    wanted.reason = reason.trimmed();
    return setRegionState(m_control, m_audit, m_clock, wanted, actor);
}

Status TrafficControls::undrain(const TrafficPolicy &policy, const QString &regionId,
                                const QString &reason, const compliance::ActorContext &actor)
{
    if (auto s = knownRegion(policy, regionId, QStringLiteral("region")); !s)
        return s;
    if (auto s = validateControlReason(reason); !s)
        return s;
    auto current = load();
    if (!current)
        return current.error();
    const auto existing = findRegion(current.value(), regionId);
    if (!existing)
        return makeError(
            ErrorCode::Conflict,
            QStringLiteral("region %1 is neither drained nor failed over").arg(regionId));
    QJsonObject details{{QStringLiteral("reason"), reason.trimmed()},
                        {QStringLiteral("was"), existing->failedOver ? QStringLiteral("failed-over")
                                                                     : QStringLiteral("drained")}};
    const auto record = controlRecord(actor, QStringLiteral("traffic.region.undrain"),
                                      QStringLiteral("region:") + regionId, details);
    return compliance::recordThenChange<void>(m_audit, record, [&]() -> Status {
        auto deleted = m_control.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            const auto rows = work.exec_params(
                "DELETE FROM traffic_region_overrides WHERE region_id = $1 RETURNING region_id",
                regionId.toStdString());
            work.commit();
            return !rows.empty();
        });
        if (!deleted)
            return deleted.error();
        if (!deleted.value())
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("region %1 was undrained meanwhile").arg(regionId));
        return {};
    });
}

Result<WeightOverride> TrafficControls::setWeights(const TrafficPolicy &policy, const QString &rule,
                                                   const std::map<QString, std::uint32_t> &weights,
                                                   const QString &reason,
                                                   const compliance::ActorContext &actor)
{
    if (auto s = validateWeights(policy, rule, weights); !s)
        return s.error();
    if (auto s = validateControlReason(reason); !s)
        return s.error();
    QJsonObject weightJson;
    for (const auto &[regionId, weight] : weights)
        weightJson.insert(regionId, static_cast<qint64>(weight));
    const auto record = controlRecord(
        actor, QStringLiteral("traffic.weights.set"), QStringLiteral("rule:") + rule,
        {{QStringLiteral("reason"), reason.trimmed()}, {QStringLiteral("weights"), weightJson}});
    return compliance::recordThenChange<WeightOverride>(
        m_audit, record, [&]() -> Result<WeightOverride> {
            WeightOverride stored;
            stored.rule = rule;
            stored.weights = weights;
            stored.reason = reason.trimmed();
            stored.changedBy = actor.actor;
            stored.changedAt = m_clock.now();
            auto written = m_control.withConnection([&](pqxx::connection &connection) {
                pqxx::work work(connection);
                work.exec_params(
                    "INSERT INTO traffic_weight_overrides (rule_name, weights, reason, changed_by,"
                    " changed_at) VALUES ($1, $2::jsonb, $3, $4, to_timestamp($5::bigint / 1000.0))"
                    " ON CONFLICT (rule_name) DO UPDATE SET weights = excluded.weights,"
                    " reason = excluded.reason, changed_by = excluded.changed_by,"
                    " changed_at = excluded.changed_at",
                    rule.toStdString(),
                    QJsonDocument(weightJson).toJson(QJsonDocument::Compact).toStdString(),
                    stored.reason.toStdString(), stored.changedBy.toStdString(),
                    stored.changedAt.toMSecsSinceEpoch());
                work.commit();
                return true;
            });
            if (!written)
                return written.error();
            return stored;
        });
}

Status TrafficControls::resetWeights(const TrafficPolicy &policy, const QString &rule,
                                     const QString &reason, const compliance::ActorContext &actor)
{
    const PolicyRule *found = policy.rule(rule);
    if (!found)
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("rule: the traffic policy has no rule '%1'").arg(rule.left(64)));
    if (auto s = validateControlReason(reason); !s)
        return s;
    const auto record = controlRecord(actor, QStringLiteral("traffic.weights.reset"),
                                      QStringLiteral("rule:") + rule,
                                      {{QStringLiteral("reason"), reason.trimmed()}});
    return compliance::recordThenChange<void>(m_audit, record, [&]() -> Status {
        auto deleted = m_control.withConnection([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            const auto rows = work.exec_params(
                "DELETE FROM traffic_weight_overrides WHERE rule_name = $1 RETURNING rule_name",
                rule.toStdString());
            work.commit();
            return !rows.empty();
        });
        if (!deleted)
            return deleted.error();
        if (!deleted.value())
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("rule %1 has no weight override").arg(rule));
        return {};
    });
}

} // namespace upcoach::routing
