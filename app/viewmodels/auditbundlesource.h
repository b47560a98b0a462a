// The offline audit bundle as a source of the Audit page (`console --audit DIR`): verifies the
// bundle with compliance::verifyBundle and reads events.jsonl into an AuditEventStore, both on
// worker threads of the source's own pool (lines are parsed strictly, several groups of lines in
// parallel); events arrive on the GUI thread in file order, in batches of kAuditChunkRows.
#pragma once

#include "auditeventstore.h"

#include <QFuture>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace upcoach::viewmodels {

class AuditBundleSource final : public QObject
{
    Q_OBJECT

public:
    explicit AuditBundleSource(AuditEventStore &store, QObject *parent = nullptr);
    // Stops reading events at once. A running verification cannot be interrupted
    // (verifyBundle has no cancellation): destruction waits for it.
    ~AuditBundleSource() override;

    // GUI thread. Clears the store, then verifies and reads the bundle in `dir`. A directory
    // that does not exist or cannot be read puts the store's load status into Failed.
    void load(const QString &dir);
    bool isLoading() const { return m_pending > 0; }

Q_SIGNALS:
    // Both the verification and the events are in (or failed).
    void finished();

private:
    struct Job;
    void readEvents(const std::shared_ptr<Job> &job);
    void postBatch(const std::shared_ptr<Job> &job, AuditEventBatch batch, double progress);
    void partFinished();
    void cancel();

    AuditEventStore &m_store;
    // Its own threads (verification, the reader, parse tasks): a long load must not hold up the
    // global pool's filter passes and proofs.
    QThreadPool m_pool;
    std::shared_ptr<Job> m_job;
    QFuture<void> m_reading;
    int m_pending = 0;
};

// Inclusion proofs for the events of a bundle directory: read from proofs.jsonl (filtered
// bundles, line k belongs to events.jsonl line k) or computed from leaves.txt (complete bundles,
// O(n) per proof; the leaf hashes are read once and kept). Thread-safe.
class AuditBundleProofSource final : public AuditProofSource
{
public:
    explicit AuditBundleProofSource(QString dir);

    Result<std::vector<compliance::Hash>> inclusionProof(uint64_t leafIndex,
                                                         uint64_t treeSize) override;

private:
    Result<std::shared_ptr<const std::vector<compliance::Hash>>> leaves();
    Result<std::vector<compliance::Hash>> proofFromLines(uint64_t leafIndex, uint64_t treeSize);

    const QString m_dir;
    std::mutex m_mutex;
    std::shared_ptr<const std::vector<compliance::Hash>> m_leaves;
    std::optional<std::vector<qint64>> m_proofLineStarts; // plus the file size at the end
};

} // namespace upcoach::viewmodels
