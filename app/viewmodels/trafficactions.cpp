#include "trafficactions.h"

#include "upcoach/routing/trafficcontrols.h"
#include "upcoach/routing/trafficruntime.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>
#include <exception>
#include <map>

namespace upcoach::viewmodels {

TrafficActions::TrafficActions(QObject *parent)
    : QObject(parent)
{
    m_threads.setMaxThreadCount(1);
}

TrafficActions::~TrafficActions()
{
    m_threads.waitForDone();
}

void TrafficActions::setRuntime(routing::TrafficRuntime *runtime, const QString &actor)
{
    m_runtime = runtime;
    m_actor = actor;
    Q_EMIT readyChanged();
}

int TrafficActions::reasonMinimum() const
{
    return routing::kMinControlReasonLength;
}

int TrafficActions::reasonMaximum() const
{
    return routing::kMaxControlReasonLength;
}

int TrafficActions::reasonLength(const QString &reason) const
{
    return int(reason.trimmed().size());
}

QString TrafficActions::reasonProblem(const QString &reason) const
{
    if (routing::validateControlReason(reason))
        return {};
    const int length = reasonLength(reason);
    if (length < reasonMinimum())
        return QStringLiteral("short");
    if (length > reasonMaximum())
        return QStringLiteral("long");
    return QStringLiteral("control");
}

template<typename Work>
bool TrafficActions::start(const QString &action, const QString &target, const QString &reason,
                           Work work)
{
    if (m_busy || !ready())
        return false;
    if (const Status valid = routing::validateControlReason(reason); !valid) {
        apply(action, target, valid.error().message);
        return false;
    }
    m_busy = true;
    Q_EMIT busyChanged();
    routing::TrafficRuntime *runtime = m_runtime;
    const compliance::ActorContext actor{m_actor, {}, {}, {}};
    QtConcurrent::run(&m_threads, [runtime, actor, work]() -> QString {
        try {
            const Status status = work(*runtime, actor);
            return status ? QString() : status.error().message;
        } catch (const std::exception &e) {
            return QString::fromUtf8(e.what());
        }
    }).then(this, [this, action, target](const QString &error) {
        m_busy = false;
        Q_EMIT busyChanged();
        apply(action, target, error);
    });
    return true;
}

void TrafficActions::apply(const QString &action, const QString &target, const QString &error)
{
    m_lastAction = action;
    m_lastTarget = target;
    m_lastSucceeded = error.isEmpty();
    m_lastError = error;
    Q_EMIT resultChanged();
    Q_EMIT finished(action, target, error.isEmpty(), error);
}

bool TrafficActions::drain(const QString &regionId, const QString &reason)
{
    return start(QStringLiteral("drain"), regionId, reason,
                 [regionId, reason](routing::TrafficRuntime &runtime,
                                    const compliance::ActorContext &actor) {
                     return runtime.drain(regionId, reason, actor);
                 });
}

bool TrafficActions::undrain(const QString &regionId, const QString &reason)
{
    return start(QStringLiteral("undrain"), regionId, reason,
                 [regionId, reason](routing::TrafficRuntime &runtime,
                                    const compliance::ActorContext &actor) {
                     return runtime.undrain(regionId, reason, actor);
                 });
}

bool TrafficActions::failover(const QString &regionId, const QString &target, const QString &reason)
{
    return start(QStringLiteral("failover"), regionId, reason,
                 [regionId, target, reason](routing::TrafficRuntime &runtime,
                                            const compliance::ActorContext &actor) {
                     return runtime.failover(regionId, target, reason, actor);
                 });
}

bool TrafficActions::setWeights(const QString &rule, const QVariantMap &weights,
                                const QString &reason)
{
    std::map<QString, std::uint32_t> values;
    for (auto it = weights.begin(); it != weights.end(); ++it) {
        bool ok = false;
        const double weight = it.value().toDouble(&ok);
        if (!ok || weight < 0 || weight > 4294967295.0 || weight != double(qint64(weight))) {
            apply(QStringLiteral("weights"), rule,
                  QStringLiteral("weights.%1: a whole number of at least 0").arg(it.key()));
            return false;
        }
        values.emplace(it.key(), std::uint32_t(weight));
    }
    return start(QStringLiteral("weights"), rule, reason,
                 [rule, values, reason](routing::TrafficRuntime &runtime,
                                        const compliance::ActorContext &actor) {
                     return runtime.setWeights(rule, values, reason, actor);
                 });
}

void TrafficActions::clearResult()
{
    if (m_lastAction.isEmpty())
        return;
    m_lastAction.clear();
    m_lastTarget.clear();
    m_lastSucceeded = false;
    m_lastError.clear();
    Q_EMIT resultChanged();
}

} // namespace upcoach::viewmodels
