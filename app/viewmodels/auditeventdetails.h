// The Audit page's detail pane: every field of the selected event (parsed again, strictly, from
// the line the source delivered), its details JSON pretty-printed, its Merkle leaf hash and its
// inclusion proof against the final verified tree head. Filled by AuditLogModel.
#pragma once

#include "upcoach/compliance/auditevent.h"
#include "upcoach/compliance/merkle.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QtQml/qqmlregistration.h>
#include <vector>

namespace upcoach::viewmodels {

class AuditEventDetails final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by AuditLogModel")

    Q_PROPERTY(bool hasEvent READ hasEvent NOTIFY eventChanged)
    // The selected line could not be parsed again (it was when it was loaded: a bug, or memory
    // corruption); the message says why.
    Q_PROPERTY(QString error READ error NOTIFY eventChanged)
    Q_PROPERTY(double sequence READ sequence NOTIFY eventChanged)
    Q_PROPERTY(QString eventId READ eventId NOTIFY eventChanged)
    Q_PROPERTY(QString timeText READ timeText NOTIFY eventChanged)
    Q_PROPERTY(QString actor READ actor NOTIFY eventChanged)
    Q_PROPERTY(QString impersonator READ impersonator NOTIFY eventChanged)
    Q_PROPERTY(QString tenant READ tenant NOTIFY eventChanged)
    Q_PROPERTY(QString action READ action NOTIFY eventChanged)
    Q_PROPERTY(QString target READ target NOTIFY eventChanged)
    Q_PROPERTY(QString outcome READ outcome NOTIFY eventChanged)
    Q_PROPERTY(QString sourceIp READ sourceIp NOTIFY eventChanged)
    Q_PROPERTY(QString requestId READ requestId NOTIFY eventChanged)
    Q_PROPERTY(QString classification READ classification NOTIFY eventChanged)
    Q_PROPERTY(QString detailsJson READ detailsJson NOTIFY eventChanged)
    Q_PROPERTY(QString leafHash READ leafHash NOTIFY eventChanged)
    Q_PROPERTY(double leafIndex READ leafIndex NOTIFY eventChanged)

    Q_PROPERTY(ProofState proofState READ proofState NOTIFY proofChanged)
    // Failed / Unavailable: what went wrong, as the proof source or verifier said it.
    Q_PROPERTY(QString proofMessage READ proofMessage NOTIFY proofChanged)
    Q_PROPERTY(QStringList proofHashes READ proofHashes NOTIFY proofChanged)
    // The final signed tree head the proof is checked against (-1 / empty when none).
    Q_PROPERTY(double treeSize READ treeSize NOTIFY proofChanged)
    Q_PROPERTY(QString rootHash READ rootHash NOTIFY proofChanged)

public:
    enum ProofState
    {
        ProofNone,        // no event selected
        ProofWaiting,     // the verification is still running
        ProofComputing,   // a worker is fetching or computing the proof
        ProofVerified,    // verifyInclusion accepted it against the final verified head
        ProofFailed,      // the proof did not verify (proofMessage says why)
        ProofUntrusted,   // the source failed verification: no tree head can be trusted
        ProofNotCovered,  // the event is newer than the final tree head
        ProofUnavailable, // no proof source, or it could not produce one (proofMessage)
    };
    Q_ENUM(ProofState)

    explicit AuditEventDetails(QObject *parent);

    void clear();
    void setError(const QString &message);
    void setEvent(const compliance::AuditEvent &event, const compliance::Hash &leaf);
    void setProof(ProofState state, const QString &message = {},
                  const std::vector<compliance::Hash> &proof = {}, qint64 treeSize = -1,
                  const QString &rootHash = {});

    bool hasEvent() const { return m_hasEvent; }
    QString error() const { return m_error; }
    // Numbers are doubles for QML: exact up to 2^53, the limit of a sequence; -1 when unknown.
    double sequence() const { return m_hasEvent ? double(m_event.sequence) : -1; }
    QString eventId() const { return m_event.id; }
    QString timeText() const { return m_timeText; }
    QString actor() const { return m_event.actor; }
    QString impersonator() const { return m_event.impersonator; }
    QString tenant() const { return m_event.tenant; }
    QString action() const { return m_event.action; }
    QString target() const { return m_event.target; }
    QString outcome() const { return m_event.outcome; }
    QString sourceIp() const { return m_event.sourceIp; }
    QString requestId() const { return m_event.requestId; }
    QString classification() const { return m_event.classification; }
    QString detailsJson() const { return m_detailsJson; }
    QString leafHash() const { return m_leafHash; }
    double leafIndex() const { return sequence(); }

    ProofState proofState() const { return m_proofState; }
    QString proofMessage() const { return m_proofMessage; }
    QStringList proofHashes() const { return m_proofHashes; }
    double treeSize() const { return double(m_treeSize); }
    QString rootHash() const { return m_rootHash; }

Q_SIGNALS:
    void eventChanged();
    void proofChanged();

private:
    bool m_hasEvent = false;
    QString m_error;
    compliance::AuditEvent m_event;
    QString m_timeText;
    QString m_detailsJson;
    QString m_leafHash;
    ProofState m_proofState = ProofNone;
    QString m_proofMessage;
    QStringList m_proofHashes;
    qint64 m_treeSize = -1;
    QString m_rootHash;
};

} // namespace upcoach::viewmodels
