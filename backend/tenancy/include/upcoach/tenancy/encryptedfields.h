// The field-encrypted columns of the coaching model, and the jobs over them. Today: the bodies
// of session notes marked phi (protected health information), stored as FieldCipher values
// bound to (tenant, "session_notes", "body", note id).
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/tenancy/fieldcipher.h"
#include "upcoach/tenancy/tenantsession.h"

#include <QMap>

namespace upcoach::tenancy {

// Writes a PHI note (body encrypted under the tenant's current data key); returns its id.
Result<QString> writePhiNote(TenantSessions &sessions, FieldCipher &cipher, const Tenant &tenant,
                             const QString &sessionId, const QString &authorId,
                             const QString &body);
// Reads a note's body, decrypting it when it is a PHI note.
Result<QString> readNoteBody(TenantSessions &sessions, FieldCipher &cipher, const Tenant &tenant,
                             const QString &noteId);

// How many of the tenant's encrypted values each key version encrypts (one snapshot, operator
// access).
Result<QMap<int, qint64>> encryptedValuesByKeyVersion(TenantSessions &sessions,
                                                      const Tenant &tenant);

struct ReencryptReport
{
    qint64 examined = 0;
    qint64 reencrypted = 0; // values moved to the current key version
};

// The re-encryption job after a data-key rotation: every encrypted value of the tenant not under
// its current key version is re-encrypted, in batches of `batch` rows per transaction, so it can
// stop anywhere and run again. Old key versions stay until the tenant's keys are destroyed.
Result<ReencryptReport> reencryptTenantFields(TenantSessions &sessions, FieldCipher &cipher,
                                              const Tenant &tenant, int batch = 500);

} // namespace upcoach::tenancy
