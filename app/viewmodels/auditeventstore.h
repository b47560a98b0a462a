// The Audit page's source-agnostic event store: audit events in sequence order, kept compactly
// (integers, interned strings, the raw JSON line as bytes), plus what is known about their
// verification. Sources — the bundle loader today, a database tail later — build
// AuditEventBatch objects on worker threads, hand them to the GUI thread with a queued call and
// append them there with appendEvents(); they report verification with setVerification() and
// offer inclusion proofs through an AuditProofSource.
//
// Threads: the store lives on the GUI thread and is only changed there. Worker threads (filter
// passes, CSV export) read an AuditStoreSnapshot: chunks and the string table are immutable once
// a snapshot has seen them (the store copies on write), so no locks are needed.
#pragma once

#include "upcoach/compliance/auditbundle.h"
#include "upcoach/compliance/auditevent.h"
#include "upcoach/compliance/merkle.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QObject>
#include <QString>
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

namespace upcoach::viewmodels {

// The low-cardinality string fields, interned to ids of the store's string table.
enum class AuditField : uint8_t
{
    Actor,
    Impersonator,
    Tenant,
    Action,
    Outcome,
    Classification,
};
inline constexpr int kAuditInternedFields = 6;

// Bytes inside an AuditChunk's text.
struct AuditTextSpan
{
    uint32_t offset = 0;
    uint32_t length = 0;
};

// One event in 88 bytes plus its line: what the table, the filters, search and CSV need without
// parsing JSON. The line is parsed again (strictly) only for the detail pane.
struct AuditRow
{
    uint64_t sequence = 0;
    int64_t timeMs = 0; // milliseconds since 1970-01-01T00:00:00Z
    std::array<uint32_t, kAuditInternedFields> strings{};
    AuditTextSpan line;      // the JSON line as the source delivered it
    AuditTextSpan id;        // the remaining string fields as UTF-8 values (not JSON text) ...
    AuditTextSpan target;    // ... usually inside `line`; copied after it when the JSON
    AuditTextSpan sourceIp;  // string had escapes
    AuditTextSpan requestId; //
    AuditTextSpan details;   // canonical details JSON (canonicalDetailsJson)

    uint32_t string(AuditField field) const { return strings[static_cast<size_t>(field)]; }
};

// Rows and the bytes their spans point into.
struct AuditChunk
{
    std::vector<AuditRow> rows;
    QByteArray text;

    QByteArrayView bytes(AuditTextSpan span) const
    {
        return QByteArrayView(text.constData() + span.offset, qsizetype(span.length));
    }
    QString string(AuditTextSpan span) const { return QString::fromUtf8(bytes(span)); }
};

// Every chunk but the last holds exactly this many rows, so a row index maps to its chunk with a
// shift and a mask.
inline constexpr int kAuditChunkShift = 12;
inline constexpr qsizetype kAuditChunkRows = qsizetype(1) << kAuditChunkShift;

// The store at one moment, for reading on any thread. Never changes after it is taken.
struct AuditStoreSnapshot
{
    std::vector<std::shared_ptr<const AuditChunk>> chunks;
    std::shared_ptr<const std::vector<QString>> strings;
    qsizetype count = 0;

    const AuditChunk &chunkOf(qsizetype index) const
    {
        return *chunks[size_t(index >> kAuditChunkShift)];
    }
    const AuditRow &row(qsizetype index) const
    {
        return chunkOf(index).rows[size_t(index & (kAuditChunkRows - 1))];
    }
    const QString &string(uint32_t id) const { return (*strings)[id]; }
};

// Events on their way into a store. Built on any thread (one thread at a time), then moved to
// the GUI thread and appended with AuditEventStore::appendEvents. Sequences must increase.
class AuditEventBatch
{
public:
    AuditEventBatch() = default;
    AuditEventBatch(AuditEventBatch &&) noexcept = default;
    AuditEventBatch &operator=(AuditEventBatch &&) noexcept = default;

    // Parses `line` strictly (compliance::eventFromJson) and keeps it. The error is the parser's.
    Status addJsonLine(QByteArrayView line);
    // An event already parsed from `line` (which must be its JSON form); with an empty line the
    // line is made with compliance::eventToJson.
    Status addEvent(const compliance::AuditEvent &event, QByteArrayView line = {});
    // A whole list, in sequence order (for database sources).
    static Result<AuditEventBatch> fromEvents(const std::vector<compliance::AuditEvent> &events);

    // Gives back the slack of growing (before handing a finished batch over).
    void squeeze();

    qsizetype size() const { return qsizetype(m_chunk.rows.size()); }
    bool isEmpty() const { return m_chunk.rows.empty(); }
    uint64_t firstSequence() const { return m_chunk.rows.front().sequence; }
    uint64_t lastSequence() const { return m_chunk.rows.back().sequence; }

private:
    friend class AuditEventStore;

    uint32_t intern(const QString &value, AuditField field);
    AuditTextSpan textSpan(QByteArrayView lineJson, uint32_t lineOffset, QByteArrayView key,
                           const QString &value);

    AuditChunk m_chunk; // strings hold ids of m_strings until the store re-maps them
    std::vector<QString> m_strings;
    std::vector<uint8_t> m_fieldMasks; // per local string: bit per AuditField it was used in
    QHash<QString, uint32_t> m_index;
};

// What a source knows about the integrity of its events, shown as the page's banner.
struct AuditVerification
{
    enum class State
    {
        Unknown,   // no source, or it cannot tell (nothing to show)
        Verifying, // running
        Verified,  // `report` holds what was proven
        Failed,    // `message` says what failed, as the verifier said it
    };
    State state = State::Unknown;
    QString message;
    compliance::VerifyReport report;
};

// Where the detail pane gets an event's inclusion proof. Called on worker threads, possibly
// several at once: implementations synchronise themselves.
class AuditProofSource
{
public:
    virtual ~AuditProofSource() = default;
    // The RFC 9162 audit path (deepest first) of leaf `leafIndex` in the tree of the first
    // `treeSize` leaves.
    virtual Result<std::vector<compliance::Hash>> inclusionProof(uint64_t leafIndex,
                                                                 uint64_t treeSize) = 0;
};

// How far a source got reading its events.
struct AuditLoadStatus
{
    enum class State
    {
        Idle,    // no source yet
        Loading, // events are arriving
        Ready,   // all events are in (message may report skipped lines)
        Failed,  // the source could not be read at all; message says why
    };
    State state = State::Idle;
    double progress = 0; // 0..1 while loading
    QString message;
    QString sourceName; // shown to the user: the bundle directory, the database
};

class AuditEventStore final : public QObject
{
    Q_OBJECT

public:
    explicit AuditEventStore(QObject *parent = nullptr);
    ~AuditEventStore() override;

    // GUI thread. Appends the batch when its sequences all follow the last stored one; otherwise
    // InvalidInput and nothing is appended. Emits eventsAppended.
    Status appendEvents(AuditEventBatch batch);
    // Drops every event, the verification, the proof source and the load status.
    void clear();

    void setVerification(AuditVerification verification);
    const AuditVerification &verification() const { return m_verification; }
    void setProofSource(std::shared_ptr<AuditProofSource> source);
    std::shared_ptr<AuditProofSource> proofSource() const { return m_proofSource; }
    void setLoadStatus(AuditLoadStatus status);
    const AuditLoadStatus &loadStatus() const { return m_loadStatus; }

    qsizetype count() const { return m_count; }
    const AuditChunk &chunkOf(qsizetype index) const
    {
        return *m_chunks[size_t(index >> kAuditChunkShift)];
    }
    const AuditRow &row(qsizetype index) const
    {
        return chunkOf(index).rows[size_t(index & (kAuditChunkRows - 1))];
    }
    const QString &string(uint32_t id) const { return (*m_strings)[id]; }
    const std::vector<QString> &strings() const { return *m_strings; }
    // The index of the event with this sequence, or -1 (binary search).
    qsizetype indexOfSequence(uint64_t sequence) const;
    // The string ids seen in a field, in order of first appearance.
    const std::vector<uint32_t> &distinctValues(AuditField field) const
    {
        return m_distinct[static_cast<size_t>(field)];
    }
    // Heap bytes held for events (rows, text, strings), for the benchmark and the docs.
    qint64 memoryBytes() const;

    // For worker threads: the events as they are now. Cheap (copies chunk pointers).
    AuditStoreSnapshot snapshot();

Q_SIGNALS:
    void eventsAppended(qsizetype first, qsizetype count);
    void aboutToClear();
    void cleared();
    void verificationChanged();
    void loadStatusChanged();
    void distinctValuesChanged();

private:
    AuditChunk &writableLastChunk();

    std::vector<std::shared_ptr<AuditChunk>> m_chunks;
    std::shared_ptr<std::vector<QString>> m_strings;
    QHash<QString, uint32_t> m_stringIndex;
    std::vector<uint8_t> m_fieldMasks; // per string id: bit per AuditField it was seen in
    std::array<std::vector<uint32_t>, kAuditInternedFields> m_distinct;
    qsizetype m_count = 0;
    // A snapshot holds the last chunk / the string table: copy before writing.
    bool m_lastChunkShared = false;
    bool m_stringsShared = false;

    AuditVerification m_verification;
    std::shared_ptr<AuditProofSource> m_proofSource;
    AuditLoadStatus m_loadStatus;
};

} // namespace upcoach::viewmodels
