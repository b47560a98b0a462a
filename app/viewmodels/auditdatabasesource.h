// The live audit log as a source of the Audit page (console --config, demo): tails the
// control-plane database on a worker thread — new events every poll interval, oldest first, in
// batches — and re-checks the stored log (AuditStore::verifyStored: every row, tree node and
// signed head) at start and then every `verifyEvery` polls. Inclusion proofs come from the
// stored tree nodes.
#pragma once

#include "auditeventstore.h"
#include "upcoach/compliance/auditstore.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>
#include <chrono>
#include <memory>
#include <optional>

namespace upcoach::viewmodels {

class AuditDatabaseSource final : public QObject
{
    Q_OBJECT

public:
    // `pool` must outlive the source. GUI thread.
    AuditDatabaseSource(AuditEventStore &store, storage::ConnectionPool &pool,
                        std::chrono::milliseconds pollInterval = std::chrono::seconds(2),
                        int verifyEvery = 15, QObject *parent = nullptr);
    ~AuditDatabaseSource() override; // waits for a running poll

    void start();
    // The number of completed polls (for tests).
    int polls() const { return m_polls; }

Q_SIGNALS:
    void polled();

private:
    struct Poll
    {
        std::vector<AuditEventBatch> batches;
        std::optional<AuditVerification> verification;
        std::optional<QString> error;
    };
    void poll();
    void apply(std::shared_ptr<Poll> result);

    AuditEventStore &m_store;
    storage::ConnectionPool &m_pool;
    QThreadPool m_threads;
    QTimer m_timer;
    int m_verifyEvery;
    int m_polls = 0;
    bool m_busy = false;
    std::optional<uint64_t> m_lastSequence; // GUI thread: the newest event in the store
};

// Inclusion proofs from the database's stored nodes. Thread-safe (one pooled connection per
// call).
class AuditDatabaseProofSource final : public AuditProofSource
{
public:
    explicit AuditDatabaseProofSource(storage::ConnectionPool &pool)
        : m_pool(pool)
    {}
    Result<std::vector<compliance::Hash>> inclusionProof(uint64_t leafIndex,
                                                         uint64_t treeSize) override;

private:
    storage::ConnectionPool &m_pool;
};

} // namespace upcoach::viewmodels
