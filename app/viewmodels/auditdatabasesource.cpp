#include "auditdatabasesource.h"

#include <QtConcurrent/QtConcurrentRun>

namespace upcoach::viewmodels {

namespace {

constexpr int kPageSize = 1000;
constexpr int kMaxPagesPerPoll = 200; // 200,000 events per poll at most; the rest next poll

} // namespace

AuditDatabaseSource::AuditDatabaseSource(AuditEventStore &store, storage::ConnectionPool &pool,
                                         std::chrono::milliseconds pollInterval, int verifyEvery,
                                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_pool(pool)
    , m_verifyEvery(std::max(1, verifyEvery))
{
    m_threads.setMaxThreadCount(1);
    m_timer.setInterval(pollInterval);
    connect(&m_timer, &QTimer::timeout, this, &AuditDatabaseSource::poll);
}

AuditDatabaseSource::~AuditDatabaseSource()
{
    m_timer.stop();
    m_threads.waitForDone();
}

void AuditDatabaseSource::start()
{
    m_store.clear();
    m_store.setProofSource(std::make_shared<AuditDatabaseProofSource>(m_pool));
    AuditLoadStatus status;
    status.state = AuditLoadStatus::State::Loading;
    status.sourceName = tr("live audit log (control-plane database)");
    m_store.setLoadStatus(status);
    AuditVerification verifying;
    verifying.state = AuditVerification::State::Verifying;
    m_store.setVerification(verifying);
    poll();
    m_timer.start();
}

void AuditDatabaseSource::poll()
{
    if (m_busy)
        return; // the previous poll is still running; skip this tick
    m_busy = true;
    const std::optional<uint64_t> after = m_lastSequence;
    const bool verify = m_polls % m_verifyEvery == 0;
    (void)QtConcurrent::run(&m_threads, [this, after, verify] {
        auto result = std::make_shared<Poll>();
        compliance::AuditStore store(m_pool);
        compliance::AuditQuery query;
        query.limit = kPageSize;
        // Oldest first after the newest one we have; the very first poll starts at sequence 0.
        query.oldestFirst = true;
        query.afterSequence = after;
        for (int page = 0; page < kMaxPagesPerPoll; ++page) {
            auto listed = store.list(query);
            if (!listed) {
                result->error = listed.error().message;
                break;
            }
            std::vector<compliance::AuditEvent> events = std::move(listed->events);
            if (events.empty())
                break;
            query.afterSequence = events.back().sequence;
            auto batch = AuditEventBatch::fromEvents(events);
            if (!batch) {
                result->error = batch.error().message;
                break;
            }
            result->batches.push_back(std::move(batch.value()));
            if (int(events.size()) < kPageSize)
                break;
        }
        if (verify) {
            AuditVerification verification;
            auto checked = store.verifyStored();
            auto head = store.latestTreeHead();
            if (!checked) {
                verification.state = AuditVerification::State::Failed;
                verification.message = checked.error().message;
            } else {
                verification.state = AuditVerification::State::Verified;
                compliance::VerifyReport &report = verification.report;
                report.complete = true;
                report.eventCount = checked->events;
                report.treeHeadCount = checked->treeHeads;
                if (head && head->has_value()) {
                    const compliance::StoredTreeHead &h = **head;
                    report.finalTreeSize = h.signedHead.head.treeSize;
                    report.finalRoot = h.signedHead.head.rootHash;
                    report.finalTreeHeadTime = h.signedHead.head.timestamp;
                    report.keyFingerprint = compliance::keyFingerprint(h.publicKeyRaw);
                }
                if (checked->treeSize > 0) {
                    report.firstSequence = checked->purgedEvents;
                    report.lastSequence = checked->treeSize - 1;
                }
                report.created = QDateTime::currentDateTimeUtc();
            }
            result->verification = std::move(verification);
        }
        QMetaObject::invokeMethod(
            this, [this, result] { apply(result); }, Qt::QueuedConnection);
    });
}

void AuditDatabaseSource::apply(std::shared_ptr<Poll> result)
{
    m_busy = false;
    ++m_polls;
    for (AuditEventBatch &batch : result->batches) {
        const uint64_t last = batch.lastSequence();
        if (m_store.appendEvents(std::move(batch)))
            m_lastSequence = last;
    }
    if (result->verification)
        m_store.setVerification(*result->verification);
    AuditLoadStatus status = m_store.loadStatus();
    if (result->error) {
        status.state = AuditLoadStatus::State::Failed;
        status.message = *result->error;
    } else {
        status.state = AuditLoadStatus::State::Ready;
        status.message.clear();
        status.progress = 1;
    }
    m_store.setLoadStatus(status);
    Q_EMIT polled();
}

Result<std::vector<compliance::Hash>> AuditDatabaseProofSource::inclusionProof(uint64_t leafIndex,
                                                                               uint64_t treeSize)
{
    compliance::AuditStore store(m_pool);
    return store.inclusionProof(leafIndex, treeSize);
}

} // namespace upcoach::viewmodels
