#include "auditcsv.h"

#include "upcoach/compliance/auditevent.h"

#include <QDateTime>
#include <QIODevice>

namespace upcoach::viewmodels {

namespace {

constexpr qsizetype kFlushBytes = 1 << 20;
constexpr qsizetype kProgressEvery = 16384;

bool startsFormula(QByteArrayView cell)
{
    if (cell.isEmpty())
        return false;
    const char first = cell.front();
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
           first == '\r';
}

bool needsQuotes(QByteArrayView cell)
{
    for (char c : cell) {
        if (c == ',' || c == '"' || c == '\r' || c == '\n')
            return true;
    }
    return false;
}

} // namespace

QByteArray auditCsvHeader()
{
    return QByteArrayLiteral("id,sequence,time,actor,impersonator,tenant,action,target,outcome,"
                             "sourceIp,requestId,classification,details\r\n");
}

void appendCsvCell(QByteArray &out, QByteArrayView utf8)
{
    const bool formula = startsFormula(utf8);
    if (!needsQuotes(utf8)) {
        if (formula)
            out.append('\'');
        out.append(utf8.data(), utf8.size());
        return;
    }
    out.append('"');
    if (formula)
        out.append('\'');
    for (char c : utf8) {
        if (c == '"')
            out.append('"');
        out.append(c);
    }
    out.append('"');
}

void appendAuditCsvRecord(QByteArray &out, const AuditStoreSnapshot &snapshot, qsizetype index)
{
    const AuditChunk &chunk = snapshot.chunkOf(index);
    const AuditRow &row = chunk.rows[size_t(index & (kAuditChunkRows - 1))];
    const auto text = [&](AuditField field) {
        appendCsvCell(out, snapshot.string(row.string(field)).toUtf8());
        out.append(',');
    };
    appendCsvCell(out, chunk.bytes(row.id));
    out.append(',');
    out.append(QByteArray::number(qulonglong(row.sequence)));
    out.append(',');
    appendCsvCell(out,
                  compliance::auditTimeToString(QDateTime::fromMSecsSinceEpoch(row.timeMs, Qt::UTC))
                      .toLatin1());
    out.append(',');
    text(AuditField::Actor);
    text(AuditField::Impersonator);
    text(AuditField::Tenant);
    text(AuditField::Action);
    appendCsvCell(out, chunk.bytes(row.target));
    out.append(',');
    text(AuditField::Outcome);
    appendCsvCell(out, chunk.bytes(row.sourceIp));
    out.append(',');
    appendCsvCell(out, chunk.bytes(row.requestId));
    out.append(',');
    text(AuditField::Classification);
    appendCsvCell(out, chunk.bytes(row.details));
    out.append("\r\n");
}

Result<qsizetype> writeAuditCsv(QIODevice &device, const AuditStoreSnapshot &snapshot,
                                const std::vector<uint32_t> &indices,
                                const std::function<void(qsizetype)> &progress,
                                const std::atomic<bool> *cancelled)
{
    QByteArray buffer = auditCsvHeader();
    buffer.reserve(kFlushBytes + 128 * 1024);
    const auto flush = [&]() -> Status {
        if (device.write(buffer) != buffer.size())
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("could not write: %1").arg(device.errorString()));
        buffer.clear();
        return {};
    };
    qsizetype written = 0;
    for (uint32_t index : indices) {
        if (qsizetype(index) >= snapshot.count)
            return makeError(ErrorCode::Internal,
                             QStringLiteral("row %1 is not in the snapshot").arg(index));
        appendAuditCsvRecord(buffer, snapshot, qsizetype(index));
        ++written;
        if (buffer.size() >= kFlushBytes) {
            if (Status flushed = flush(); !flushed)
                return flushed.error();
        }
        if (written % kProgressEvery == 0) {
            if (cancelled && cancelled->load(std::memory_order_relaxed))
                return makeError(ErrorCode::Conflict, QStringLiteral("export cancelled"));
            if (progress)
                progress(written);
        }
    }
    if (Status flushed = flush(); !flushed)
        return flushed.error();
    if (progress)
        progress(written);
    return written;
}

} // namespace upcoach::viewmodels
