#include "auditeventdetails.h"

#include "auditfilter.h"

#include <QJsonDocument>

namespace upcoach::viewmodels {

AuditEventDetails::AuditEventDetails(QObject *parent)
    : QObject(parent)
{}

void AuditEventDetails::clear()
{
    m_hasEvent = false;
    m_error.clear();
    m_event = {};
    m_timeText.clear();
    m_detailsJson.clear();
    m_leafHash.clear();
    Q_EMIT eventChanged();
    setProof(ProofNone);
}

void AuditEventDetails::setError(const QString &message)
{
    clear();
    m_error = message;
    Q_EMIT eventChanged();
}

void AuditEventDetails::setEvent(const compliance::AuditEvent &event, const compliance::Hash &leaf)
{
    m_hasEvent = true;
    m_error.clear();
    m_event = event;
    m_timeText = formatAuditTime(event.time.toMSecsSinceEpoch());
    m_detailsJson =
        QString::fromUtf8(QJsonDocument(event.details).toJson(QJsonDocument::Indented)).trimmed();
    m_leafHash = compliance::toHex(leaf);
    Q_EMIT eventChanged();
}

void AuditEventDetails::setProof(ProofState state, const QString &message,
                                 const std::vector<compliance::Hash> &proof, qint64 treeSize,
                                 const QString &rootHash)
{
    m_proofState = state;
    m_proofMessage = message;
    m_proofHashes.clear();
    m_proofHashes.reserve(qsizetype(proof.size()));
    for (const compliance::Hash &hash : proof)
        m_proofHashes.append(compliance::toHex(hash));
    m_treeSize = treeSize;
    m_rootHash = rootHash;
    Q_EMIT proofChanged();
}

} // namespace upcoach::viewmodels
