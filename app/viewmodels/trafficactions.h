// The Regions page's traffic controls: drain, undrain, forced failover (to a chosen region or the
// policy's chain) and weight overrides, each with the operator's reason, run through
// TrafficRuntime on a worker thread (they block on the control-plane database and the audit
// log). One at a time; finished() reports it, and the runtime's stateChanged brings the new
// routing state to the page.
#pragma once

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace upcoach::routing {
class TrafficRuntime;
}

namespace upcoach::viewmodels {

class TrafficActions final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("part of TrafficWorkspace")

    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY busyChanged)
    // Who the audit log names for the console's changes ("user:alice").
    Q_PROPERTY(QString actor READ actor NOTIFY readyChanged)
    // The last action ("drain", "undrain", "failover", "weights"; "" before the first), its
    // region (the rule for "weights"), whether it succeeded and the backend's error.
    Q_PROPERTY(QString lastAction READ lastAction NOTIFY resultChanged)
    Q_PROPERTY(QString lastTarget READ lastTarget NOTIFY resultChanged)
    Q_PROPERTY(bool lastSucceeded READ lastSucceeded NOTIFY resultChanged)
    Q_PROPERTY(QString lastError READ lastError NOTIFY resultChanged)
    // The reason rules of routing::validateControlReason.
    Q_PROPERTY(int reasonMinimum READ reasonMinimum CONSTANT)
    Q_PROPERTY(int reasonMaximum READ reasonMaximum CONSTANT)

public:
    explicit TrafficActions(QObject *parent);
    ~TrafficActions() override; // waits for a running action

    // GUI thread. The runtime must outlive this object.
    void setRuntime(routing::TrafficRuntime *runtime, const QString &actor);

    bool ready() const { return m_runtime && !m_actor.isEmpty(); }
    bool busy() const { return m_busy; }
    QString actor() const { return m_actor; }
    QString lastAction() const { return m_lastAction; }
    QString lastTarget() const { return m_lastTarget; }
    bool lastSucceeded() const { return m_lastSucceeded; }
    QString lastError() const { return m_lastError; }
    int reasonMinimum() const;
    int reasonMaximum() const;

    // The reason's length as the backend counts it (trimmed).
    Q_INVOKABLE int reasonLength(const QString &reason) const;
    // What is wrong with a reason by the backend's rules: "" (fine), "short", "long" or
    // "control" (control characters).
    Q_INVOKABLE QString reasonProblem(const QString &reason) const;

    // Each starts the control on the worker thread and returns true; false (nothing started)
    // when busy, without a runtime, or when the reason is refused (lastError says why).
    Q_INVOKABLE bool drain(const QString &regionId, const QString &reason);
    Q_INVOKABLE bool undrain(const QString &regionId, const QString &reason);
    // `target` empty: the policy's failover chain decides.
    Q_INVOKABLE bool failover(const QString &regionId, const QString &target,
                              const QString &reason);
    // `weights`: region id → weight (a number ≥ 0).
    Q_INVOKABLE bool setWeights(const QString &rule, const QVariantMap &weights,
                                const QString &reason);
    Q_INVOKABLE void clearResult();

Q_SIGNALS:
    void readyChanged();
    void busyChanged();
    void resultChanged();
    void finished(const QString &action, const QString &target, bool ok, const QString &error);

private:
    template<typename Work>
    bool start(const QString &action, const QString &target, const QString &reason, Work work);
    void apply(const QString &action, const QString &target, const QString &error);

    routing::TrafficRuntime *m_runtime = nullptr;
    QString m_actor;
    QThreadPool m_threads;
    bool m_busy = false;
    QString m_lastAction;
    QString m_lastTarget;
    bool m_lastSucceeded = false;
    QString m_lastError;
};

} // namespace upcoach::viewmodels
