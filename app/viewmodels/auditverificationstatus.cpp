#include "auditverificationstatus.h"

#include "auditfilter.h"

namespace upcoach::viewmodels {

AuditVerificationStatus::AuditVerificationStatus(QObject *parent)
    : QObject(parent)
{}

void AuditVerificationStatus::apply(const AuditVerification &verification)
{
    switch (verification.state) {
    case AuditVerification::State::Unknown:
        m_state = Unknown;
        break;
    case AuditVerification::State::Verifying:
        m_state = Verifying;
        break;
    case AuditVerification::State::Verified:
        m_state = Verified;
        break;
    case AuditVerification::State::Failed:
        m_state = Failed;
        break;
    }
    m_message = verification.message;
    m_report = verification.report;
    Q_EMIT changed();
}

QString AuditVerificationStatus::timeText(const QDateTime &time) const
{
    return m_state == Verified && time.isValid() ? formatAuditTime(time.toMSecsSinceEpoch())
                                                 : QString();
}

double AuditVerificationStatus::eventCount() const
{
    return m_state == Verified ? double(m_report.eventCount) : -1;
}

double AuditVerificationStatus::firstSequence() const
{
    return m_state == Verified && m_report.firstSequence ? double(*m_report.firstSequence) : -1;
}

double AuditVerificationStatus::lastSequence() const
{
    return m_state == Verified && m_report.lastSequence ? double(*m_report.lastSequence) : -1;
}

QString AuditVerificationStatus::firstTimeText() const
{
    return timeText(m_report.firstTime);
}

QString AuditVerificationStatus::lastTimeText() const
{
    return timeText(m_report.lastTime);
}

QString AuditVerificationStatus::scopeFromText() const
{
    return timeText(m_report.filter.from);
}

QString AuditVerificationStatus::scopeToText() const
{
    return timeText(m_report.filter.to);
}

double AuditVerificationStatus::finalTreeSize() const
{
    return m_state == Verified ? double(m_report.finalTreeSize) : -1;
}

QString AuditVerificationStatus::finalRoot() const
{
    return m_state == Verified ? compliance::toHex(m_report.finalRoot) : QString();
}

QString AuditVerificationStatus::finalTreeHeadTimeText() const
{
    return timeText(m_report.finalTreeHeadTime);
}

QString AuditVerificationStatus::createdText() const
{
    return timeText(m_report.created);
}

} // namespace upcoach::viewmodels
