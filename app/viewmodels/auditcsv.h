// Audit events as CSV (RFC 4180): UTF-8 without a byte-order mark, CRLF line ends, a header row
// with the 13 event fields in their canonical order, one record per event; the details column is
// the canonical details JSON. Cells that a spreadsheet would run as a formula (starting with =,
// +, -, @, tab or carriage return) get a leading single quote.
#pragma once

#include "auditeventstore.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

class QIODevice;

namespace upcoach::viewmodels {

// "id,sequence,time,...,details\r\n"
QByteArray auditCsvHeader();
// One cell: formula protection, then quoting when it holds a comma, quote, CR or LF.
void appendCsvCell(QByteArray &out, QByteArrayView utf8);
// One event of the snapshot as a record, with the line end.
void appendAuditCsvRecord(QByteArray &out, const AuditStoreSnapshot &snapshot, qsizetype index);

// Writes the header and the events at `indices` (in that order). `progress` is called now and
// then with the number written; `cancelled` stops the export with an error. Any thread.
Result<qsizetype> writeAuditCsv(QIODevice &device, const AuditStoreSnapshot &snapshot,
                                const std::vector<uint32_t> &indices,
                                const std::function<void(qsizetype written)> &progress = {},
                                const std::atomic<bool> *cancelled = nullptr);

} // namespace upcoach::viewmodels
