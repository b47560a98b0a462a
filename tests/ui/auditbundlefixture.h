// Audit bundles for the Audit page's tests: a deterministic log of events with awkward values
// (quotes, commas, line breaks, non-ASCII, spreadsheet formulas), signed with a fresh Ed25519
// key and written with compliance::writeBundle.
#pragma once

#include "upcoach/compliance/auditbundle.h"
#include "upcoach/compliance/auditevent.h"
#include "upcoach/compliance/merkle.h"
#include "upcoach/core/result.h"

#include <QString>
#include <optional>
#include <vector>

namespace upcoach::testing {

struct AuditLog
{
    std::vector<compliance::AuditEvent> events;
    std::vector<compliance::Hash> leaves;
    std::vector<compliance::SignedTreeHead> heads;
    QByteArray publicKey;
};

// `count` events (sequence 0..count-1) with a signed tree head every `headEvery` events (the
// last at `count`). Event i: see auditbundlefixture.cpp for the special cases.
Result<AuditLog> makeAuditLog(int count, int headEvery);

// Writes a complete bundle (no filter) or one filtered to a tenant into `dir`.
Status writeAuditBundle(const AuditLog &log, const QString &dir,
                        std::optional<QString> tenant = std::nullopt);

} // namespace upcoach::testing
