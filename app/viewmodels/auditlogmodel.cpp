#include "auditlogmodel.h"

#include "auditcsv.h"

#include <QSaveFile>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <numeric>

namespace upcoach::viewmodels {

namespace {

constexpr int kExportTickMs = 100;

std::optional<int64_t> boundFromText(const QString &text)
{
    if (text.trimmed().isEmpty())
        return std::nullopt;
    const QDateTime time = parseAuditFilterTime(text);
    if (!time.isValid())
        return std::nullopt;
    return time.toMSecsSinceEpoch();
}

} // namespace

AuditLogModel::AuditLogModel(AuditEventStore &store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
    , m_verification(new AuditVerificationStatus(this))
    , m_selection(new AuditEventDetails(this))
    , m_viewCount(store.count())
{
    connect(&m_store, &AuditEventStore::eventsAppended, this, &AuditLogModel::onEventsAppended);
    connect(&m_store, &AuditEventStore::aboutToClear, this, &AuditLogModel::onAboutToClear);
    connect(&m_store, &AuditEventStore::cleared, this, &AuditLogModel::onCleared);
    connect(&m_store, &AuditEventStore::verificationChanged, this,
            &AuditLogModel::onVerificationChanged);
    connect(&m_store, &AuditEventStore::loadStatusChanged, this, [this] {
        Q_EMIT loadStatusChanged();
        Q_EMIT loadingChanged();
    });
    connect(&m_store, &AuditEventStore::distinctValuesChanged, this, [this] {
        for (auto &cached : m_choiceCache)
            cached.reset();
        Q_EMIT choicesChanged();
    });
    connect(&m_passWatcher, &QFutureWatcher<PassResult>::finished, this,
            &AuditLogModel::onPassFinished);
    connect(&m_proofWatcher, &QFutureWatcher<ProofResult>::finished, this,
            &AuditLogModel::onProofFinished);
    connect(&m_exportWatcher, &QFutureWatcher<Result<qsizetype>>::finished, this,
            &AuditLogModel::onExportFinished);
    m_exportTicker.setInterval(kExportTickMs);
    connect(&m_exportTicker, &QTimer::timeout, this, &AuditLogModel::exportChanged);
    m_verification->apply(m_store.verification());
}

AuditLogModel::~AuditLogModel()
{
    // Workers only hold snapshots and shared state, never the model; wait so that none outlives
    // the objects the application is about to destroy.
    if (m_passCancel)
        m_passCancel->store(true);
    m_passWatcher.waitForFinished();
    m_proofWatcher.waitForFinished();
    m_exportWatcher.waitForFinished();
}

int AuditLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_viewCount);
}

qsizetype AuditLogModel::storeIndexOf(int row) const
{
    const qsizetype position = m_newestFirst ? m_viewCount - 1 - row : row;
    return m_showAll ? position : qsizetype(m_matches[size_t(position)]);
}

QVariant AuditLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qsizetype at = storeIndexOf(index.row());
    const AuditChunk &chunk = m_store.chunkOf(at);
    const AuditRow &row = chunk.rows[size_t(at & (kAuditChunkRows - 1))];
    switch (role) {
    case SequenceRole:
        return qint64(row.sequence);
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(row.timeMs, Qt::UTC);
    case TimeTextRole:
        return formatAuditTime(row.timeMs);
    case EventIdRole:
        return chunk.string(row.id);
    case Qt::DisplayRole:
    case ActorRole:
        return m_store.string(row.string(AuditField::Actor));
    case ImpersonatorRole:
        return m_store.string(row.string(AuditField::Impersonator));
    case TenantRole:
        return m_store.string(row.string(AuditField::Tenant));
    case ActionRole:
        return m_store.string(row.string(AuditField::Action));
    case TargetRole:
        return chunk.string(row.target);
    case OutcomeRole:
        return m_store.string(row.string(AuditField::Outcome));
    case SourceIpRole:
        return chunk.string(row.sourceIp);
    case RequestIdRole:
        return chunk.string(row.requestId);
    case ClassificationRole:
        return m_store.string(row.string(AuditField::Classification));
    case SelectedRole:
        return index.row() == m_selectedRow;
    default:
        return {};
    }
}

QHash<int, QByteArray> AuditLogModel::roleNames() const
{
    return {
        {SequenceRole, "sequence"},
        {TimeRole, "time"},
        {TimeTextRole, "timeText"},
        {EventIdRole, "eventId"},
        {ActorRole, "actor"},
        {ImpersonatorRole, "impersonator"},
        {TenantRole, "tenant"},
        {ActionRole, "action"},
        {TargetRole, "target"},
        {OutcomeRole, "outcome"},
        {SourceIpRole, "sourceIp"},
        {RequestIdRole, "requestId"},
        {ClassificationRole, "classification"},
        {SelectedRole, "selected"},
    };
}

bool AuditLogModel::loading() const
{
    return m_store.loadStatus().state == AuditLoadStatus::State::Loading ||
           m_store.verification().state == AuditVerification::State::Verifying || m_passRunning;
}

AuditLogModel::LoadState AuditLogModel::loadState() const
{
    switch (m_store.loadStatus().state) {
    case AuditLoadStatus::State::Idle:
        return Idle;
    case AuditLoadStatus::State::Loading:
        return Loading;
    case AuditLoadStatus::State::Ready:
        return Ready;
    case AuditLoadStatus::State::Failed:
        return Failed;
    }
    return Idle;
}

// --- Appends from the source ---

void AuditLogModel::onEventsAppended(qsizetype first, qsizetype added)
{
    Q_ASSERT(QThread::currentThread() == thread());
    std::vector<uint32_t> newMatches;
    if (!m_showAll) {
        m_shown.prepare(m_store.strings());
        for (qsizetype index = first; index < first + added; ++index) {
            const AuditChunk &chunk = m_store.chunkOf(index);
            if (m_shown.matches(chunk.rows[size_t(index & (kAuditChunkRows - 1))], chunk))
                newMatches.push_back(uint32_t(index));
        }
    }
    const qsizetype inserted = m_showAll ? added : qsizetype(newMatches.size());
    if (inserted > 0) {
        const int at = m_newestFirst ? 0 : int(m_viewCount);
        beginInsertRows({}, at, at + int(inserted) - 1);
        if (!m_showAll)
            m_matches.insert(m_matches.end(), newMatches.begin(), newMatches.end());
        m_viewCount += inserted;
        // Newest first: the selected event moves down with the rows inserted above it.
        const bool shifted = m_newestFirst && m_selectedRow >= 0;
        if (shifted)
            m_selectedRow += int(inserted);
        endInsertRows();
        Q_EMIT countChanged();
        if (shifted)
            Q_EMIT selectedRowChanged();
    }
    Q_EMIT totalCountChanged();
}

void AuditLogModel::onAboutToClear()
{
    beginResetModel();
}

void AuditLogModel::onCleared()
{
    if (m_passCancel)
        m_passCancel->store(true);
    m_passStale = m_passRunning;
    m_showAll = true;
    m_matches.clear();
    m_viewCount = 0;
    m_shown = AuditFilterMatcher();
    m_selectedSequence.reset();
    const bool selectionMoved = recomputeSelectedRow();
    endResetModel();
    m_selection->clear();
    ++m_proofGeneration;
    if (selectionMoved)
        Q_EMIT selectedRowChanged();
    Q_EMIT countChanged();
    Q_EMIT totalCountChanged();
    // The filters stay: they apply to the events that come next.
    if (!m_wanted.isEmpty() && !m_passRunning)
        startPass();
}

void AuditLogModel::onVerificationChanged()
{
    m_verification->apply(m_store.verification());
    Q_EMIT loadingChanged();
    if (m_selectedSequence && m_selection->proofState() == AuditEventDetails::ProofWaiting)
        requestProof();
}

// --- Filters ---

void AuditLogModel::setFromText(const QString &text)
{
    if (text == m_fromText)
        return;
    m_fromText = text;
    m_wanted.fromMs = boundFromText(text);
    filterEdited();
}

void AuditLogModel::setToText(const QString &text)
{
    if (text == m_toText)
        return;
    m_toText = text;
    m_wanted.toMs = boundFromText(text);
    filterEdited();
}

bool AuditLogModel::fromTextValid() const
{
    return m_fromText.trimmed().isEmpty() || m_wanted.fromMs.has_value();
}

bool AuditLogModel::toTextValid() const
{
    return m_toText.trimmed().isEmpty() || m_wanted.toMs.has_value();
}

void AuditLogModel::setActorFilter(const QString &actor)
{
    if (actor == m_wanted.actor)
        return;
    m_wanted.actor = actor;
    filterEdited();
}

QVariant AuditLogModel::tenantFilter() const
{
    return m_wanted.tenant ? QVariant(*m_wanted.tenant) : QVariant();
}

void AuditLogModel::setTenantFilter(const QVariant &tenant)
{
    std::optional<QString> wanted;
    if (tenant.isValid() && !tenant.isNull())
        wanted = tenant.toString();
    if (wanted == m_wanted.tenant)
        return;
    m_wanted.tenant = wanted;
    filterEdited();
}

void AuditLogModel::setActionFilter(const QString &action)
{
    if (action == m_wanted.action)
        return;
    m_wanted.action = action;
    filterEdited();
}

void AuditLogModel::setOutcomeFilter(const QString &outcome)
{
    if (outcome == m_wanted.outcome)
        return;
    m_wanted.outcome = outcome;
    filterEdited();
}

void AuditLogModel::setClassificationFilter(const QString &classification)
{
    if (classification == m_wanted.classification)
        return;
    m_wanted.classification = classification;
    filterEdited();
}

void AuditLogModel::setSearchText(const QString &text)
{
    if (text == m_wanted.search)
        return;
    m_wanted.search = text;
    filterEdited();
}

void AuditLogModel::setFilter(const AuditFilter &filter)
{
    m_wanted = filter;
    m_fromText = filter.fromMs ? formatAuditTime(*filter.fromMs) : QString();
    m_toText = filter.toMs ? formatAuditTime(*filter.toMs) : QString();
    filterEdited();
}

void AuditLogModel::clearFilters()
{
    m_fromText.clear();
    m_toText.clear();
    setFilter(AuditFilter());
}

void AuditLogModel::filterEdited()
{
    Q_EMIT filterChanged();
    if (m_passRunning) {
        // Coalesce: the running pass is dropped and one for the latest filter follows.
        m_passStale = true;
        m_passCancel->store(true);
        return;
    }
    if (m_wanted == m_shown.filter() && !(m_wanted.isEmpty() && !m_showAll))
        return;
    if (m_wanted.isEmpty())
        showAll();
    else
        startPass();
}

void AuditLogModel::showAll()
{
    beginResetModel();
    m_showAll = true;
    m_matches = {};
    m_viewCount = m_store.count();
    m_shown = AuditFilterMatcher();
    const bool selectionMoved = recomputeSelectedRow();
    endResetModel();
    Q_EMIT countChanged();
    if (selectionMoved)
        Q_EMIT selectedRowChanged();
}

void AuditLogModel::startPass()
{
    m_passRunning = true;
    m_passStale = false;
    m_passCancel = std::make_shared<std::atomic<bool>>(false);
    Q_EMIT loadingChanged();
    m_passWatcher.setFuture(
        QtConcurrent::run([snapshot = m_store.snapshot(), matcher = AuditFilterMatcher(m_wanted),
                           cancel = m_passCancel]() mutable {
            PassResult result;
            matcher.prepare(*snapshot.strings);
            result.rows = filterRows(snapshot, matcher, 0, snapshot.count, cancel.get());
            result.scanned = snapshot.count;
            result.cancelled = cancel->load();
            result.matcher = std::move(matcher);
            return result;
        }));
}

void AuditLogModel::onPassFinished()
{
    m_passRunning = false;
    PassResult result = m_passWatcher.result();
    if (m_passStale || result.cancelled || !(result.matcher.filter() == m_wanted)) {
        m_passStale = false;
        if (m_wanted.isEmpty()) {
            Q_EMIT loadingChanged();
            if (!m_showAll || !m_shown.filter().isEmpty())
                showAll();
        } else {
            startPass();
        }
        return;
    }
    // Events appended since the snapshot are matched here; there are few.
    result.matcher.prepare(m_store.strings());
    for (qsizetype index = result.scanned; index < m_store.count(); ++index) {
        const AuditChunk &chunk = m_store.chunkOf(index);
        if (result.matcher.matches(chunk.rows[size_t(index & (kAuditChunkRows - 1))], chunk))
            result.rows.push_back(uint32_t(index));
    }
    beginResetModel();
    m_shown = std::move(result.matcher);
    m_matches = std::move(result.rows);
    m_showAll = false;
    m_viewCount = qsizetype(m_matches.size());
    const bool selectionMoved = recomputeSelectedRow();
    endResetModel();
    Q_EMIT countChanged();
    Q_EMIT loadingChanged();
    if (selectionMoved)
        Q_EMIT selectedRowChanged();
}

void AuditLogModel::setNewestFirst(bool newestFirst)
{
    if (newestFirst == m_newestFirst)
        return;
    beginResetModel();
    m_newestFirst = newestFirst;
    const bool selectionMoved = recomputeSelectedRow();
    endResetModel();
    Q_EMIT newestFirstChanged();
    if (selectionMoved)
        Q_EMIT selectedRowChanged();
}

QStringList AuditLogModel::choices(AuditField field) const
{
    std::optional<QStringList> &cached = m_choiceCache[size_t(field)];
    if (!cached) {
        const std::vector<uint32_t> &ids = m_store.distinctValues(field);
        QStringList values;
        if (ids.size() <= size_t(maxChoices)) {
            values.reserve(qsizetype(ids.size()));
            for (uint32_t id : ids)
                values.append(m_store.string(id));
            values.sort();
        }
        cached = values;
    }
    return *cached;
}

// --- Selection, details and proof ---

int AuditLogModel::viewRowOfStoreIndex(qsizetype index) const
{
    if (index < 0)
        return -1;
    qsizetype position = -1;
    if (m_showAll) {
        position = index < m_viewCount ? index : -1;
    } else {
        const auto it = std::lower_bound(m_matches.begin(), m_matches.end(), uint32_t(index));
        if (it != m_matches.end() && *it == uint32_t(index))
            position = qsizetype(it - m_matches.begin());
    }
    if (position < 0)
        return -1;
    return int(m_newestFirst ? m_viewCount - 1 - position : position);
}

bool AuditLogModel::recomputeSelectedRow()
{
    const int row =
        m_selectedSequence ? viewRowOfStoreIndex(m_store.indexOfSequence(*m_selectedSequence)) : -1;
    if (row == m_selectedRow)
        return false;
    m_selectedRow = row;
    return true;
}

void AuditLogModel::updateSelectedRow()
{
    const int previous = m_selectedRow;
    if (!recomputeSelectedRow())
        return;
    for (int changed : {previous, m_selectedRow}) {
        if (changed >= 0 && changed < m_viewCount)
            Q_EMIT dataChanged(index(changed), index(changed), {SelectedRole});
    }
    Q_EMIT selectedRowChanged();
}

void AuditLogModel::select(int row)
{
    ++m_proofGeneration;
    if (row < 0 || row >= m_viewCount) {
        m_selectedSequence.reset();
        m_selection->clear();
        updateSelectedRow();
        return;
    }
    const qsizetype index = storeIndexOf(row);
    const AuditChunk &chunk = m_store.chunkOf(index);
    const AuditRow &stored = chunk.rows[size_t(index & (kAuditChunkRows - 1))];
    m_selectedSequence = stored.sequence;
    updateSelectedRow();
    // One line of at most 64 KiB, already in memory: parsing it here is cheaper than a thread.
    Result<compliance::AuditEvent> event = compliance::eventFromJson(chunk.bytes(stored.line));
    Result<compliance::Hash> leaf =
        event ? compliance::leafHashOf(*event) : Result<compliance::Hash>(event.error());
    if (!event || !leaf) {
        m_selection->setError(event ? leaf.error().message : event.error().message);
        return;
    }
    m_selectedLeaf = *leaf;
    m_selection->setEvent(*event, *leaf);
    requestProof();
}

void AuditLogModel::requestProof()
{
    const quint64 generation = ++m_proofGeneration;
    const AuditVerification &verification = m_store.verification();
    const uint64_t sequence = *m_selectedSequence;
    switch (verification.state) {
    case AuditVerification::State::Unknown:
        m_selection->setProof(AuditEventDetails::ProofUnavailable);
        return;
    case AuditVerification::State::Verifying:
        m_selection->setProof(AuditEventDetails::ProofWaiting);
        return;
    case AuditVerification::State::Failed:
        m_selection->setProof(AuditEventDetails::ProofUntrusted, verification.message);
        return;
    case AuditVerification::State::Verified:
        break;
    }
    const uint64_t treeSize = verification.report.finalTreeSize;
    const QString root = compliance::toHex(verification.report.finalRoot);
    if (sequence >= treeSize) {
        m_selection->setProof(AuditEventDetails::ProofNotCovered, {}, {}, qint64(treeSize), root);
        return;
    }
    std::shared_ptr<AuditProofSource> source = m_store.proofSource();
    if (!source) {
        m_selection->setProof(AuditEventDetails::ProofUnavailable, {}, {}, qint64(treeSize), root);
        return;
    }
    m_selection->setProof(AuditEventDetails::ProofComputing, {}, {}, qint64(treeSize), root);
    m_proofWatcher.setFuture(
        QtConcurrent::run([source, sequence, treeSize, generation, root, leaf = m_selectedLeaf,
                           finalRoot = verification.report.finalRoot] {
            ProofResult result;
            result.generation = generation;
            result.treeSize = qint64(treeSize);
            result.root = root;
            result.proof = source->inclusionProof(sequence, treeSize);
            if (result.proof)
                result.verified =
                    compliance::verifyInclusion(leaf, sequence, treeSize, *result.proof, finalRoot);
            return result;
        }));
}

void AuditLogModel::onProofFinished()
{
    const ProofResult result = m_proofWatcher.result();
    if (result.generation != m_proofGeneration)
        return; // another event was selected meanwhile
    if (!result.proof) {
        m_selection->setProof(AuditEventDetails::ProofUnavailable, result.proof.error().message, {},
                              result.treeSize, result.root);
        return;
    }
    if (!result.verified) {
        m_selection->setProof(AuditEventDetails::ProofFailed, result.verified.error().message,
                              *result.proof, result.treeSize, result.root);
        return;
    }
    m_selection->setProof(AuditEventDetails::ProofVerified, {}, *result.proof, result.treeSize,
                          result.root);
}

// --- CSV export ---

double AuditLogModel::exportProgress() const
{
    if (m_exportState != ExportRunning)
        return m_exportState == ExportDone ? 1.0 : 0.0;
    if (m_exportTotal == 0)
        return 0.0;
    return double(m_exportWritten->load(std::memory_order_relaxed)) / double(m_exportTotal);
}

bool AuditLogModel::exportCsv(const QUrl &file)
{
    if (m_exportState == ExportRunning)
        return false;
    if (!file.isLocalFile()) {
        m_exportState = ExportFailed;
        m_exportError = QStringLiteral("%1 is not a local file").arg(file.toString());
        Q_EMIT exportChanged();
        Q_EMIT exportFinished(false);
        return false;
    }
    std::vector<uint32_t> rows;
    if (m_showAll) {
        rows.resize(size_t(m_viewCount));
        std::iota(rows.begin(), rows.end(), uint32_t(0));
    } else {
        rows = m_matches;
    }
    if (m_newestFirst)
        std::reverse(rows.begin(), rows.end());
    m_exportState = ExportRunning;
    m_exportPath = file.toLocalFile();
    m_exportTotal = qsizetype(rows.size());
    m_exportedCount = 0;
    m_exportError.clear();
    m_exportWritten = std::make_shared<std::atomic<qsizetype>>(0);
    m_exportWatcher.setFuture(QtConcurrent::run([snapshot = m_store.snapshot(),
                                                 rows = std::move(rows), path = m_exportPath,
                                                 written = m_exportWritten]() -> Result<qsizetype> {
        QSaveFile out(path);
        if (!out.open(QIODevice::WriteOnly))
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("cannot write %1: %2").arg(path, out.errorString()));
        Result<qsizetype> count =
            writeAuditCsv(out, snapshot, rows, [&](qsizetype n) { written->store(n); });
        if (!count) {
            out.cancelWriting();
            return count.error();
        }
        if (!out.commit())
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("cannot write %1: %2").arg(path, out.errorString()));
        return count;
    }));
    m_exportTicker.start();
    Q_EMIT exportChanged();
    return true;
}

void AuditLogModel::onExportFinished()
{
    m_exportTicker.stop();
    const Result<qsizetype> result = m_exportWatcher.result();
    if (result) {
        m_exportState = ExportDone;
        m_exportedCount = *result;
    } else {
        m_exportState = ExportFailed;
        m_exportError = result.error().message;
    }
    Q_EMIT exportChanged();
    Q_EMIT exportFinished(result.ok());
}

} // namespace upcoach::viewmodels
