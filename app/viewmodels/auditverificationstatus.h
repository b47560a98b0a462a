// The Audit page's banner: what the source says about the integrity of the events, as plain
// properties. Filled from AuditEventStore::verification() by AuditLogModel.
#pragma once

#include "auditeventstore.h"

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace upcoach::viewmodels {

class AuditVerificationStatus final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by AuditLogModel")

    Q_PROPERTY(State state READ state NOTIFY changed)
    // Failed: the verifier's message, verbatim (it names the first bad file, line and sequence).
    Q_PROPERTY(QString message READ message NOTIFY changed)
    // Verified: what was proven. Unknown numbers are -1, unknown texts empty. Counts and
    // sequences are doubles for QML (exact up to 2^53, the limit of a sequence).
    Q_PROPERTY(double eventCount READ eventCount NOTIFY changed)
    Q_PROPERTY(double firstSequence READ firstSequence NOTIFY changed)
    Q_PROPERTY(double lastSequence READ lastSequence NOTIFY changed)
    Q_PROPERTY(QString firstTimeText READ firstTimeText NOTIFY changed)
    Q_PROPERTY(QString lastTimeText READ lastTimeText NOTIFY changed)
    Q_PROPERTY(bool complete READ complete NOTIFY changed)
    Q_PROPERTY(bool hasTenantScope READ hasTenantScope NOTIFY changed)
    Q_PROPERTY(QString scopeTenant READ scopeTenant NOTIFY changed) // "" = platform events
    Q_PROPERTY(QString scopeFromText READ scopeFromText NOTIFY changed)
    Q_PROPERTY(QString scopeToText READ scopeToText NOTIFY changed)
    Q_PROPERTY(int treeHeadCount READ treeHeadCount NOTIFY changed)
    Q_PROPERTY(double finalTreeSize READ finalTreeSize NOTIFY changed)
    Q_PROPERTY(QString finalRoot READ finalRoot NOTIFY changed)
    Q_PROPERTY(QString finalTreeHeadTimeText READ finalTreeHeadTimeText NOTIFY changed)
    Q_PROPERTY(QString keyFingerprint READ keyFingerprint NOTIFY changed)
    Q_PROPERTY(bool keyPinned READ keyPinned NOTIFY changed)
    Q_PROPERTY(QString createdText READ createdText NOTIFY changed)

public:
    enum State
    {
        Unknown,
        Verifying,
        Verified,
        Failed,
    };
    Q_ENUM(State)

    explicit AuditVerificationStatus(QObject *parent);

    void apply(const AuditVerification &verification);

    State state() const { return m_state; }
    QString message() const { return m_message; }
    double eventCount() const;
    double firstSequence() const;
    double lastSequence() const;
    QString firstTimeText() const;
    QString lastTimeText() const;
    bool complete() const { return m_state == Verified && m_report.complete; }
    bool hasTenantScope() const { return m_state == Verified && m_report.filter.tenant; }
    QString scopeTenant() const { return m_report.filter.tenant.value_or(QString()); }
    QString scopeFromText() const;
    QString scopeToText() const;
    int treeHeadCount() const { return m_state == Verified ? m_report.treeHeadCount : -1; }
    double finalTreeSize() const;
    QString finalRoot() const;
    QString finalTreeHeadTimeText() const;
    QString keyFingerprint() const
    {
        return m_state == Verified ? m_report.keyFingerprint : QString();
    }
    bool keyPinned() const { return m_state == Verified && m_report.keyPinned; }
    QString createdText() const;

Q_SIGNALS:
    void changed();

private:
    QString timeText(const QDateTime &time) const;

    State m_state = Unknown;
    QString m_message;
    compliance::VerifyReport m_report;
};

} // namespace upcoach::viewmodels
