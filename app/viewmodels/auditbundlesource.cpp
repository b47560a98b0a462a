#include "auditbundlesource.h"

#include "upcoach/compliance/auditbundle.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>
#include <cstring>
#include <deque>

namespace upcoach::viewmodels {

using compliance::Hash;

namespace {

constexpr qsizetype kReadBlockBytes = 4 << 20;
// Groups being parsed while the next is cut: enough to keep every core of the pool busy.
constexpr qsizetype kParseTasksInFlight = 4;
constexpr qsizetype kMaxProofLineBytes = 16 * 1024;

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool hashFromHexBytes(QByteArrayView hex, Hash &out)
{
    if (hex.size() != 64)
        return false;
    for (size_t i = 0; i < out.size(); ++i) {
        const int high = hexValue(hex[qsizetype(2 * i)]);
        const int low = hexValue(hex[qsizetype(2 * i + 1)]);
        if (high < 0 || low < 0)
            return false;
        out[i] = static_cast<unsigned char>(high * 16 + low);
    }
    return true;
}

// Why the bundle directory cannot be read at all, or empty.
QString unreadableReason(const QString &dir)
{
    const QFileInfo info(dir);
    if (!info.exists())
        return QStringLiteral("%1 does not exist").arg(dir);
    if (!info.isDir())
        return QStringLiteral("%1 is not a directory").arg(dir);
    if (!info.isReadable() || !info.isExecutable())
        return QStringLiteral("%1 cannot be read (permission denied)").arg(dir);
    return {};
}

} // namespace

struct AuditBundleSource::Job
{
    QString dir;
    std::atomic<bool> cancelled{false};
};

AuditBundleSource::AuditBundleSource(AuditEventStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    // The verification, the reader and a parse task per core; one more for a verification of an
    // earlier bundle that may still be finishing after load().
    m_pool.setMaxThreadCount(std::max(4, QThread::idealThreadCount() + 2));
}

AuditBundleSource::~AuditBundleSource()
{
    cancel();
    m_pool.waitForDone();
}

void AuditBundleSource::cancel()
{
    if (m_job)
        m_job->cancelled = true;
    m_reading.waitForFinished();
    m_job.reset();
    m_pending = 0;
}

void AuditBundleSource::load(const QString &dir)
{
    cancel();
    m_store.clear();
    auto job = std::make_shared<Job>();
    job->dir = dir;
    m_job = job;
    m_pending = 2;

    AuditLoadStatus status;
    status.state = AuditLoadStatus::State::Loading;
    status.sourceName = dir;
    m_store.setLoadStatus(status);
    AuditVerification verifying;
    verifying.state = AuditVerification::State::Verifying;
    m_store.setVerification(verifying);
    m_store.setProofSource(std::make_shared<AuditBundleProofSource>(dir));

    using Verified = Result<compliance::VerifyReport>;
    auto *watcher = new QFutureWatcher<Verified>(this);
    connect(watcher, &QFutureWatcher<Verified>::finished, this, [this, watcher, job] {
        watcher->deleteLater();
        if (job != m_job)
            return; // another bundle was loaded meanwhile
        const Verified report = watcher->result();
        AuditVerification verification;
        if (report) {
            verification.state = AuditVerification::State::Verified;
            verification.report = report.value();
        } else {
            verification.state = AuditVerification::State::Failed;
            verification.message = report.error().message;
        }
        m_store.setVerification(verification);
        partFinished();
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, [dir]() -> Verified {
        if (const QString reason = unreadableReason(dir); !reason.isEmpty())
            return makeError(ErrorCode::NotFound, reason);
        return compliance::verifyBundle(dir);
    }));

    m_reading = QtConcurrent::run(&m_pool, [this, job] { readEvents(job); });
}

void AuditBundleSource::postBatch(const std::shared_ptr<Job> &job, AuditEventBatch batch,
                                  double progress)
{
    auto shared = std::make_shared<AuditEventBatch>(std::move(batch));
    QMetaObject::invokeMethod(
        this,
        [this, job, shared, progress] {
            if (job != m_job)
                return;
            if (!shared->isEmpty()) {
                // The reader only hands over increasing sequences; a failure here is a bug.
                if (Status appended = m_store.appendEvents(std::move(*shared)); !appended)
                    qWarning("audit bundle: %s", qPrintable(appended.error().message));
            }
            AuditLoadStatus status = m_store.loadStatus();
            status.progress = progress;
            m_store.setLoadStatus(status);
        },
        Qt::QueuedConnection);
}

namespace {

// Up to kAuditChunkRows whole lines of events.jsonl (without their '\n'), parsed as one batch.
struct LineGroup
{
    QByteArray bytes;               // the lines, each followed by '\n'
    qint64 firstLine = 1;           // 1-based number of the first line
    std::vector<qsizetype> tooLong; // indexes (in this group) of lines over the limit, dropped
};

struct ParsedGroup
{
    AuditEventBatch batch;
    qint64 skipped = 0;
    QString firstProblem;
};

// Parses a group strictly, line by line. Sequences must increase, and follow `after` when set.
ParsedGroup parseGroup(const LineGroup &group, std::optional<uint64_t> after,
                       const std::atomic<bool> &cancelled)
{
    ParsedGroup parsed;
    std::optional<uint64_t> last = after;
    size_t nextTooLong = 0;
    qsizetype start = 0;
    for (qsizetype index = 0; start < group.bytes.size(); ++index) {
        if (cancelled.load(std::memory_order_relaxed))
            break;
        const qsizetype end = group.bytes.indexOf('\n', start);
        const QByteArrayView line(group.bytes.constData() + start, end - start);
        start = end + 1;
        const auto skip = [&](const QString &why) {
            ++parsed.skipped;
            if (parsed.firstProblem.isEmpty())
                parsed.firstProblem = QStringLiteral("events.jsonl line %1: %2")
                                          .arg(group.firstLine + index)
                                          .arg(why);
        };
        if (nextTooLong < group.tooLong.size() && group.tooLong[nextTooLong] == index) {
            ++nextTooLong;
            skip(QStringLiteral("longer than %1 bytes").arg(compliance::kMaxEventLineBytes));
            continue;
        }
        if (line.isEmpty()) {
            skip(QStringLiteral("empty line"));
            continue;
        }
        Result<compliance::AuditEvent> event = compliance::eventFromJson(line);
        if (!event) {
            skip(event.error().message);
            continue;
        }
        if (last && event->sequence <= *last) {
            skip(QStringLiteral("sequence %1 does not follow %2").arg(event->sequence).arg(*last));
            continue;
        }
        if (Status added = parsed.batch.addEvent(*event, line); !added) {
            skip(added.error().message);
            continue;
        }
        last = event->sequence;
    }
    parsed.batch.squeeze();
    return parsed;
}

} // namespace

// Worker thread. Cuts events.jsonl into groups of lines, parses the groups strictly on the pool's
// other threads (in parallel, a few at a time) and posts their batches in file order; unreadable
// lines are skipped and counted (the verification reports the first one as well).
void AuditBundleSource::readEvents(const std::shared_ptr<Job> &job)
{
    const auto finish = [this, job](AuditLoadStatus::State state, QString message) {
        QMetaObject::invokeMethod(
            this,
            [this, job, state, message] {
                if (job != m_job)
                    return;
                AuditLoadStatus status = m_store.loadStatus();
                status.state = state;
                status.progress = 1;
                status.message = message;
                m_store.setLoadStatus(status);
                partFinished();
            },
            Qt::QueuedConnection);
    };
    if (const QString reason = unreadableReason(job->dir); !reason.isEmpty()) {
        finish(AuditLoadStatus::State::Failed, reason);
        return;
    }
    QFile file(QDir(job->dir).filePath(QStringLiteral("events.jsonl")));
    if (!file.open(QIODevice::ReadOnly)) {
        finish(AuditLoadStatus::State::Failed,
               QStringLiteral("events.jsonl: %1")
                   .arg(file.exists() ? file.errorString() : QStringLiteral("no such file")));
        return;
    }
    const qint64 total = std::max<qint64>(1, file.size());
    qint64 consumed = 0;
    qint64 skipped = 0;
    QString firstProblem;
    std::optional<uint64_t> lastSequence;

    struct InFlight
    {
        LineGroup group;
        QFuture<ParsedGroup> parsed;
        qint64 consumedAfter = 0;
    };
    std::deque<InFlight> inFlight;
    // Hands the oldest group's batch to the GUI thread, in file order.
    const auto deliverOldest = [&] {
        InFlight oldest = std::move(inFlight.front());
        inFlight.pop_front();
        ParsedGroup parsed = oldest.parsed.takeResult();
        if (!parsed.batch.isEmpty() && lastSequence &&
            parsed.batch.firstSequence() <= *lastSequence) // out of order across groups: rare
            parsed = parseGroup(oldest.group, lastSequence, job->cancelled);
        skipped += parsed.skipped;
        if (firstProblem.isEmpty())
            firstProblem = parsed.firstProblem;
        if (!parsed.batch.isEmpty()) {
            lastSequence = parsed.batch.lastSequence();
            postBatch(job, std::move(parsed.batch), double(oldest.consumedAfter) / double(total));
        }
    };
    LineGroup group;
    qsizetype groupLines = 0;
    const auto submit = [&] {
        if (groupLines == 0)
            return;
        InFlight next;
        next.group = std::exchange(group, LineGroup());
        group.firstLine = next.group.firstLine + groupLines;
        groupLines = 0;
        next.consumedAfter = consumed;
        next.parsed = QtConcurrent::run(&m_pool, [lines = next.group, job] {
            return parseGroup(lines, std::nullopt, job->cancelled);
        });
        inFlight.push_back(std::move(next));
        if (qsizetype(inFlight.size()) > kParseTasksInFlight)
            deliverOldest();
    };

    QByteArray pending; // an unfinished line from the previous block
    bool discardingLongLine = false;
    while (!job->cancelled.load(std::memory_order_relaxed)) {
        const QByteArray block = file.read(kReadBlockBytes);
        if (block.isEmpty())
            break;
        qsizetype start = 0;
        while (start < block.size()) {
            const char *newline = static_cast<const char *>(
                std::memchr(block.constData() + start, '\n', size_t(block.size() - start)));
            const qsizetype end = newline ? qsizetype(newline - block.constData()) : block.size();
            if (!newline) {
                if (!discardingLongLine)
                    pending.append(block.constData() + start, end - start);
                if (pending.size() > compliance::kMaxEventLineBytes) {
                    pending.clear();
                    discardingLongLine = true;
                }
                consumed += end - start;
                break;
            }
            consumed += end - start + 1;
            if (discardingLongLine || (!pending.isEmpty() && pending.size() + (end - start) >
                                                                 compliance::kMaxEventLineBytes)) {
                group.tooLong.push_back(groupLines);
                discardingLongLine = false;
                pending.clear();
            } else {
                group.bytes.append(pending);
                group.bytes.append(block.constData() + start, end - start);
                pending.clear();
            }
            group.bytes.append('\n');
            if (++groupLines == kAuditChunkRows)
                submit();
            start = end + 1;
        }
    }
    if (!job->cancelled.load(std::memory_order_relaxed)) {
        if (discardingLongLine) {
            group.tooLong.push_back(groupLines);
            group.bytes.append('\n');
            ++groupLines;
        } else if (!pending.isEmpty()) { // the last line had no '\n'
            group.bytes.append(pending);
            group.bytes.append('\n');
            ++groupLines;
        }
        submit();
    }
    while (!inFlight.empty()) {
        if (job->cancelled.load(std::memory_order_relaxed)) {
            inFlight.front().parsed.waitForFinished();
            inFlight.pop_front();
            continue;
        }
        deliverOldest();
    }
    if (job->cancelled.load(std::memory_order_relaxed))
        return;
    if (file.error() != QFileDevice::NoError) {
        finish(AuditLoadStatus::State::Failed,
               QStringLiteral("events.jsonl: %1").arg(file.errorString()));
        return;
    }
    QString message;
    if (skipped > 0)
        message = QStringLiteral("%1 line(s) of events.jsonl could not be read and are not "
                                 "shown; the first: %2")
                      .arg(skipped)
                      .arg(firstProblem);
    finish(AuditLoadStatus::State::Ready, message);
}

void AuditBundleSource::partFinished()
{
    if (m_pending > 0 && --m_pending == 0)
        Q_EMIT finished();
}

// --- AuditBundleProofSource ---

AuditBundleProofSource::AuditBundleProofSource(QString dir)
    : m_dir(std::move(dir))
{}

Result<std::shared_ptr<const std::vector<Hash>>> AuditBundleProofSource::leaves()
{
    std::lock_guard lock(m_mutex);
    if (m_leaves)
        return m_leaves;
    QFile file(QDir(m_dir).filePath(QStringLiteral("leaves.txt")));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("leaves.txt: %1").arg(file.errorString()));
    auto hashes = std::make_shared<std::vector<Hash>>();
    hashes->reserve(size_t(file.size() / 65));
    QByteArray pending;
    qint64 lineNumber = 0;
    while (true) {
        const QByteArray block = file.read(kReadBlockBytes);
        if (block.isEmpty())
            break;
        pending.append(block);
        qsizetype start = 0;
        while (true) {
            const qsizetype newline = pending.indexOf('\n', start);
            if (newline < 0)
                break;
            ++lineNumber;
            Hash hash;
            if (!hashFromHexBytes(QByteArrayView(pending).sliced(start, newline - start), hash))
                return makeError(ErrorCode::InvalidInput,
                                 QStringLiteral("leaves.txt line %1: not a hash").arg(lineNumber));
            hashes->push_back(hash);
            start = newline + 1;
        }
        pending.remove(0, start);
    }
    if (!pending.isEmpty())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("leaves.txt line %1: no line end").arg(lineNumber + 1));
    m_leaves = std::move(hashes);
    return m_leaves;
}

Result<std::vector<Hash>> AuditBundleProofSource::proofFromLines(uint64_t leafIndex,
                                                                 uint64_t treeSize)
{
    QFile file(QDir(m_dir).filePath(QStringLiteral("proofs.jsonl")));
    if (!file.open(QIODevice::ReadOnly))
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("proofs.jsonl: %1").arg(file.errorString()));
    std::vector<qint64> starts;
    {
        std::lock_guard lock(m_mutex);
        if (!m_proofLineStarts) {
            std::vector<qint64> index{0};
            qint64 offset = 0;
            while (true) {
                const QByteArray block = file.read(kReadBlockBytes);
                if (block.isEmpty())
                    break;
                for (qsizetype at = block.indexOf('\n'); at >= 0; at = block.indexOf('\n', at + 1))
                    index.push_back(offset + at + 1);
                offset += block.size();
            }
            if (index.back() != offset)
                index.push_back(offset + 1); // a last line without '\n'
            m_proofLineStarts = std::move(index);
        }
        starts = *m_proofLineStarts; // copied: the search below reads the file unlocked
    }
    const qsizetype lines = qsizetype(starts.size()) - 1;
    struct Line
    {
        QJsonObject object;
        qint64 sequence = -1;
    };
    const auto readLine = [&](qsizetype k) -> Result<Line> {
        const qint64 length = starts[size_t(k + 1)] - starts[size_t(k)] - 1;
        if (length <= 0 || length > kMaxProofLineBytes || !file.seek(starts[size_t(k)]))
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("proofs.jsonl line %1: unreadable").arg(k + 1));
        const QByteArray bytes = file.read(length);
        const QJsonDocument document = QJsonDocument::fromJson(bytes);
        if (!document.isObject())
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("proofs.jsonl line %1: not a JSON object").arg(k + 1));
        Line line{document.object(), -1};
        line.sequence = line.object.value(QLatin1String("sequence")).toInteger(-1);
        return line;
    };
    // Lines are in increasing sequence order (they follow events.jsonl).
    qsizetype low = 0;
    qsizetype high = lines;
    while (low < high) {
        const qsizetype mid = low + (high - low) / 2;
        Result<Line> line = readLine(mid);
        if (!line)
            return line.error();
        if (line->sequence < qint64(leafIndex))
            low = mid + 1;
        else
            high = mid;
    }
    if (low >= lines)
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("proofs.jsonl has no proof for sequence %1").arg(leafIndex));
    Result<Line> line = readLine(low);
    if (!line)
        return line.error();
    const QString where = QStringLiteral("proofs.jsonl line %1").arg(low + 1);
    if (line->sequence != qint64(leafIndex))
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("proofs.jsonl has no proof for sequence %1").arg(leafIndex));
    if (line->object.value(QLatin1String("leafIndex")).toInteger(-1) != qint64(leafIndex))
        return makeError(ErrorCode::InvalidInput, where + QStringLiteral(": wrong leafIndex"));
    if (line->object.value(QLatin1String("treeSize")).toInteger(-1) != qint64(treeSize))
        return makeError(ErrorCode::InvalidInput,
                         where + QStringLiteral(": treeSize is not the final tree head's"));
    const QJsonArray array = line->object.value(QLatin1String("proof")).toArray();
    std::vector<Hash> proof;
    proof.reserve(size_t(array.size()));
    for (const QJsonValue &value : array) {
        Result<Hash> hash = compliance::hashFromHex(value.toString());
        if (!hash)
            return makeError(ErrorCode::InvalidInput, where + QStringLiteral(": not a hash"));
        proof.push_back(*hash);
    }
    return proof;
}

Result<std::vector<Hash>> AuditBundleProofSource::inclusionProof(uint64_t leafIndex,
                                                                 uint64_t treeSize)
{
    if (!QFileInfo::exists(QDir(m_dir).filePath(QStringLiteral("leaves.txt"))))
        return proofFromLines(leafIndex, treeSize);
    Result<std::shared_ptr<const std::vector<Hash>>> all = leaves();
    if (!all)
        return all.error();
    const std::vector<Hash> &hashes = **all;
    if (treeSize > hashes.size())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("leaves.txt has %1 leaves, fewer than the tree size %2")
                             .arg(hashes.size())
                             .arg(treeSize));
    return compliance::inclusionProof(std::span<const Hash>(hashes).first(size_t(treeSize)),
                                      leafIndex);
}

} // namespace upcoach::viewmodels
