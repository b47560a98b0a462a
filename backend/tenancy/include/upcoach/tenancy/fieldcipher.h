// Field-level encryption of tenant data columns with the tenant's data keys (KEYS.md, "Field
// values").
//
// A value is text: "ucf1.<key version>.<base64url(nonce || ciphertext || tag)>". The associated
// data binds the tenant id, table, column, row id and key version, so a value copied to another
// row, column, table or tenant does not decrypt. Blocking (the key store may hit the database).
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/tenancy/keys.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QUuid>

namespace upcoach::tenancy {

// Where a value lives. table and column are SQL identifiers ([a-z_][a-z0-9_]*, at most 63
// characters); rowId is the row's primary key as text (1..256 bytes of UTF-8).
struct FieldLocation
{
    QUuid tenantId;
    QString table;
    QString column;
    QString rowId;
};

class FieldCipher
{
public:
    static constexpr qsizetype kMaxPlaintextBytes = qsizetype(1) << 20; // 1 MiB per value
    // The longest encrypted value decrypt() accepts (prefix, version and base64url of
    // nonce + 1 MiB + tag).
    static constexpr qsizetype kMaxValueChars = 32 + (kMaxPlaintextBytes + 28 + 2) / 3 * 4;

    explicit FieldCipher(TenantKeyStore &keys);

    // Encrypts under the tenant's current data key.
    Result<QString> encrypt(const FieldLocation &where, QByteArrayView plaintext);
    // Decrypts with the key version the value names. Errors say whether the value is malformed
    // (InvalidInput), its key is gone (NotFound) or it does not belong here / was changed
    // (Unauthorized).
    Result<QByteArray> decrypt(const FieldLocation &where, const QString &value);
    // The value under the tenant's current key version (the step of a re-encryption job). A
    // value already under the current version is returned unchanged.
    Result<QString> reencrypt(const FieldLocation &where, const QString &value);

    // The key version a value names, without decrypting (InvalidInput when malformed).
    static Result<int> keyVersionOf(const QString &value);
    // The associated data of a value (exposed for tests and other readers of the format).
    static Result<QByteArray> associatedData(const FieldLocation &where, int keyVersion);

private:
    TenantKeyStore &m_keys;
};

} // namespace upcoach::tenancy
