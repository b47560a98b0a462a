#include "auditeventstore.h"

#include <QThread>
#include <algorithm>
#include <limits>

namespace upcoach::viewmodels {

using compliance::AuditEvent;

namespace {

constexpr uint32_t kMaxChunkTextBytes = std::numeric_limits<uint32_t>::max();

struct MemberSpan
{
    QByteArrayView key;       // raw key text between the quotes
    qsizetype valueStart = 0; // the value's JSON text: [valueStart, valueEnd)
    qsizetype valueEnd = 0;
    bool isString = false;
    bool escaped = false; // a string value containing a backslash
};

bool isJsonSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Moves `i` past a JSON string starting at the quote at `i`; false when it does not end.
bool skipString(QByteArrayView json, qsizetype &i, bool *escaped)
{
    ++i;
    while (i < json.size()) {
        const char c = json[i];
        if (c == '"') {
            ++i;
            return true;
        }
        if (c == '\\') {
            if (escaped)
                *escaped = true;
            i += 2;
            continue;
        }
        ++i;
    }
    return false;
}

// Moves `i` past an object or array starting at `i`.
bool skipContainer(QByteArrayView json, qsizetype &i)
{
    int depth = 0;
    while (i < json.size()) {
        const char c = json[i];
        if (c == '"') {
            if (!skipString(json, i, nullptr))
                return false;
            continue;
        }
        if (c == '{' || c == '[')
            ++depth;
        else if (c == '}' || c == ']') {
            if (--depth == 0) {
                ++i;
                return true;
            }
        }
        ++i;
    }
    return false;
}

// The top-level members of a JSON object that has already been parsed successfully; used only
// to find where values sit in the line. Returns false on anything unexpected (the caller then
// copies the values instead of pointing into the line).
template<typename Visit> bool scanMembers(QByteArrayView json, Visit visit)
{
    qsizetype i = 0;
    const auto skipSpace = [&] {
        while (i < json.size() && isJsonSpace(json[i]))
            ++i;
    };
    skipSpace();
    if (i >= json.size() || json[i] != '{')
        return false;
    ++i;
    skipSpace();
    if (i < json.size() && json[i] == '}')
        return true;
    while (i < json.size()) {
        if (json[i] != '"')
            return false;
        const qsizetype keyStart = i + 1;
        if (!skipString(json, i, nullptr))
            return false;
        MemberSpan member;
        member.key = json.sliced(keyStart, i - 1 - keyStart);
        skipSpace();
        if (i >= json.size() || json[i] != ':')
            return false;
        ++i;
        skipSpace();
        if (i >= json.size())
            return false;
        member.valueStart = i;
        const char first = json[i];
        if (first == '"') {
            member.isString = true;
            if (!skipString(json, i, &member.escaped))
                return false;
        } else if (first == '{' || first == '[') {
            if (!skipContainer(json, i))
                return false;
        } else {
            while (i < json.size() && json[i] != ',' && json[i] != '}' && !isJsonSpace(json[i]))
                ++i;
        }
        member.valueEnd = i;
        visit(member);
        skipSpace();
        if (i >= json.size())
            return false;
        if (json[i] == '}')
            return true;
        if (json[i] != ',')
            return false;
        ++i;
        skipSpace();
    }
    return false;
}

} // namespace

// --- AuditEventBatch ---

uint32_t AuditEventBatch::intern(const QString &value, AuditField field)
{
    auto it = m_index.constFind(value);
    uint32_t id;
    if (it == m_index.constEnd()) {
        id = uint32_t(m_strings.size());
        m_strings.push_back(value);
        m_fieldMasks.push_back(0);
        m_index.insert(value, id);
    } else {
        id = it.value();
    }
    m_fieldMasks[id] |= uint8_t(1u << static_cast<unsigned>(field));
    return id;
}

Status AuditEventBatch::addJsonLine(QByteArrayView line)
{
    Result<AuditEvent> event = compliance::eventFromJson(line);
    if (!event)
        return event.error();
    return addEvent(*event, line);
}

Status AuditEventBatch::addEvent(const AuditEvent &event, QByteArrayView line)
{
    if (!m_chunk.rows.empty() && event.sequence <= m_chunk.rows.back().sequence)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("sequence %1 does not follow %2")
                                                      .arg(event.sequence)
                                                      .arg(m_chunk.rows.back().sequence));
    QByteArray made;
    if (line.isEmpty()) {
        Result<QByteArray> json = compliance::eventToJson(event);
        if (!json)
            return json.error();
        made = std::move(json).value();
        line = made;
    }
    Result<QByteArray> details = compliance::canonicalDetailsJson(event.details);
    if (!details)
        return details.error();
    // Worst case: the line plus copies of every value (each at most 1 KiB) and the details.
    const qint64 worst = qint64(m_chunk.text.size()) + line.size() + 4 * 4096 + details->size();
    if (worst > qint64(kMaxChunkTextBytes))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("batch too large: split it into smaller batches"));

    AuditRow row;
    row.sequence = event.sequence;
    row.timeMs = event.time.toMSecsSinceEpoch();
    row.strings[size_t(AuditField::Actor)] = intern(event.actor, AuditField::Actor);
    row.strings[size_t(AuditField::Impersonator)] =
        intern(event.impersonator, AuditField::Impersonator);
    row.strings[size_t(AuditField::Tenant)] = intern(event.tenant, AuditField::Tenant);
    row.strings[size_t(AuditField::Action)] = intern(event.action, AuditField::Action);
    row.strings[size_t(AuditField::Outcome)] = intern(event.outcome, AuditField::Outcome);
    row.strings[size_t(AuditField::Classification)] =
        intern(event.classification, AuditField::Classification);

    const uint32_t lineOffset = uint32_t(m_chunk.text.size());
    m_chunk.text.append(line.data(), line.size());
    row.line = {lineOffset, uint32_t(line.size())};

    // Where the values sit in the line; a key seen twice is not trusted.
    struct Found
    {
        const char *key;
        MemberSpan span;
        int seen = 0;
    };
    Found found[] = {
        {"id", {}}, {"target", {}}, {"sourceIp", {}}, {"requestId", {}}, {"details", {}}};
    const bool scanned = scanMembers(line, [&](const MemberSpan &member) {
        for (Found &f : found) {
            if (member.key == QByteArrayView(f.key)) {
                f.span = member;
                ++f.seen;
            }
        }
    });
    const auto spanFor = [&](const Found &f, const QString &value) -> AuditTextSpan {
        if (scanned && f.seen == 1 && f.span.isString && !f.span.escaped) {
            const QByteArrayView raw =
                line.sliced(f.span.valueStart + 1, f.span.valueEnd - f.span.valueStart - 2);
            if (raw.isValidUtf8())
                return {lineOffset + uint32_t(f.span.valueStart + 1), uint32_t(raw.size())};
        }
        const QByteArray utf8 = value.toUtf8();
        const AuditTextSpan copy{uint32_t(m_chunk.text.size()), uint32_t(utf8.size())};
        m_chunk.text.append(utf8);
        return copy;
    };
    row.id = spanFor(found[0], event.id);
    row.target = spanFor(found[1], event.target);
    row.sourceIp = spanFor(found[2], event.sourceIp);
    row.requestId = spanFor(found[3], event.requestId);
    const Found &detailsFound = found[4];
    if (scanned && detailsFound.seen == 1 && !detailsFound.span.isString &&
        line.sliced(detailsFound.span.valueStart,
                    detailsFound.span.valueEnd - detailsFound.span.valueStart) ==
            QByteArrayView(*details)) {
        row.details = {lineOffset + uint32_t(detailsFound.span.valueStart),
                       uint32_t(details->size())};
    } else {
        row.details = {uint32_t(m_chunk.text.size()), uint32_t(details->size())};
        m_chunk.text.append(*details);
    }
    m_chunk.rows.push_back(row);
    return {};
}

void AuditEventBatch::squeeze()
{
    m_chunk.rows.shrink_to_fit();
    m_chunk.text.squeeze();
}

Result<AuditEventBatch> AuditEventBatch::fromEvents(const std::vector<AuditEvent> &events)
{
    AuditEventBatch batch;
    for (const AuditEvent &event : events) {
        if (Status added = batch.addEvent(event); !added)
            return added.error().context(QStringLiteral("sequence %1").arg(event.sequence));
    }
    return batch;
}

// --- AuditEventStore ---

AuditEventStore::AuditEventStore(QObject *parent)
    : QObject(parent)
    , m_strings(std::make_shared<std::vector<QString>>())
{}

AuditEventStore::~AuditEventStore() = default;

AuditChunk &AuditEventStore::writableLastChunk()
{
    if (m_chunks.empty() || m_chunks.back()->rows.size() >= size_t(kAuditChunkRows)) {
        m_chunks.push_back(std::make_shared<AuditChunk>());
        m_chunks.back()->rows.reserve(size_t(kAuditChunkRows));
        m_lastChunkShared = false;
    } else if (m_lastChunkShared) {
        m_chunks.back() = std::make_shared<AuditChunk>(*m_chunks.back());
        m_lastChunkShared = false;
    }
    return *m_chunks.back();
}

Status AuditEventStore::appendEvents(AuditEventBatch batch)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (batch.isEmpty())
        return {};
    if (m_count > 0 && batch.firstSequence() <= row(m_count - 1).sequence)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("events must arrive in sequence order: %1 does not "
                                        "follow %2")
                             .arg(batch.firstSequence())
                             .arg(row(m_count - 1).sequence));

    // Local string ids to the store's.
    std::vector<uint32_t> globalId(batch.m_strings.size());
    bool newDistinct = false;
    for (size_t local = 0; local < batch.m_strings.size(); ++local) {
        const QString &value = batch.m_strings[local];
        auto it = m_stringIndex.constFind(value);
        uint32_t id;
        if (it == m_stringIndex.constEnd()) {
            if (m_stringsShared) {
                m_strings = std::make_shared<std::vector<QString>>(*m_strings);
                m_stringsShared = false;
            }
            id = uint32_t(m_strings->size());
            m_strings->push_back(value);
            m_fieldMasks.push_back(0);
            m_stringIndex.insert(value, id);
        } else {
            id = it.value();
        }
        globalId[local] = id;
        const uint8_t added = batch.m_fieldMasks[local] & uint8_t(~m_fieldMasks[id]);
        if (added) {
            for (int field = 0; field < kAuditInternedFields; ++field) {
                if (added & (1u << field))
                    m_distinct[size_t(field)].push_back(id);
            }
            m_fieldMasks[id] |= added;
            newDistinct = true;
        }
    }
    std::vector<AuditRow> &rows = batch.m_chunk.rows;
    for (AuditRow &r : rows) {
        for (uint32_t &id : r.strings)
            id = globalId[id];
    }

    const qsizetype first = m_count;
    const qsizetype total = qsizetype(rows.size());
    if (m_count % kAuditChunkRows == 0 && total <= kAuditChunkRows) {
        // The common case of a loader delivering whole chunks: no copy.
        m_chunks.push_back(std::make_shared<AuditChunk>(std::move(batch.m_chunk)));
        m_lastChunkShared = false;
    } else {
        // Rows are appended with the bytes they own: row k's bytes run from its line to the
        // next row's line (its copied values follow its line).
        const QByteArray &text = batch.m_chunk.text;
        qsizetype done = 0;
        while (done < total) {
            AuditChunk &chunk = writableLastChunk();
            const qsizetype room = kAuditChunkRows - qsizetype(chunk.rows.size());
            const qsizetype take = std::min(room, total - done);
            const uint32_t from = rows[size_t(done)].line.offset;
            const uint32_t to =
                done + take < total ? rows[size_t(done + take)].line.offset : uint32_t(text.size());
            const int64_t shift = int64_t(chunk.text.size()) - int64_t(from);
            chunk.text.append(text.constData() + from, qsizetype(to - from));
            for (qsizetype k = done; k < done + take; ++k) {
                AuditRow r = rows[size_t(k)];
                for (AuditTextSpan *span :
                     {&r.line, &r.id, &r.target, &r.sourceIp, &r.requestId, &r.details})
                    span->offset = uint32_t(int64_t(span->offset) + shift);
                chunk.rows.push_back(r);
            }
            done += take;
        }
    }
    m_count += total;
    Q_EMIT eventsAppended(first, total);
    if (newDistinct)
        Q_EMIT distinctValuesChanged();
    return {};
}

void AuditEventStore::clear()
{
    Q_EMIT aboutToClear();
    m_chunks.clear();
    m_strings = std::make_shared<std::vector<QString>>();
    m_stringIndex.clear();
    m_fieldMasks.clear();
    for (auto &values : m_distinct)
        values.clear();
    m_count = 0;
    m_lastChunkShared = false;
    m_stringsShared = false;
    m_verification = {};
    m_proofSource.reset();
    m_loadStatus = {};
    Q_EMIT cleared();
    Q_EMIT verificationChanged();
    Q_EMIT loadStatusChanged();
    Q_EMIT distinctValuesChanged();
}

void AuditEventStore::setVerification(AuditVerification verification)
{
    m_verification = std::move(verification);
    Q_EMIT verificationChanged();
}

void AuditEventStore::setProofSource(std::shared_ptr<AuditProofSource> source)
{
    m_proofSource = std::move(source);
}

void AuditEventStore::setLoadStatus(AuditLoadStatus status)
{
    m_loadStatus = std::move(status);
    Q_EMIT loadStatusChanged();
}

qsizetype AuditEventStore::indexOfSequence(uint64_t sequence) const
{
    qsizetype low = 0;
    qsizetype high = m_count;
    while (low < high) {
        const qsizetype mid = low + (high - low) / 2;
        if (row(mid).sequence < sequence)
            low = mid + 1;
        else
            high = mid;
    }
    return low < m_count && row(low).sequence == sequence ? low : -1;
}

qint64 AuditEventStore::memoryBytes() const
{
    qint64 bytes = 0;
    for (const auto &chunk : m_chunks)
        bytes += qint64(chunk->rows.capacity() * sizeof(AuditRow)) + chunk->text.capacity();
    for (const QString &s : *m_strings)
        bytes += qint64(sizeof(QString)) + 2 * s.capacity();
    return bytes;
}

AuditStoreSnapshot AuditEventStore::snapshot()
{
    AuditStoreSnapshot snap;
    snap.chunks.assign(m_chunks.begin(), m_chunks.end());
    snap.strings = m_strings;
    snap.count = m_count;
    m_lastChunkShared = true;
    m_stringsShared = true;
    return snap;
}

} // namespace upcoach::viewmodels
