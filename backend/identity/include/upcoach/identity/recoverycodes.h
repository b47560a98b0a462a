// MFA recovery codes: one-time fallbacks for a lost authenticator. Shown to the user once at
// generation; the caller stores only the salted hashes and removes (or blanks) an entry when
// matchRecoveryCode reports it used. Pure functions: thread-safe, no database.
#pragma once

#include "upcoach/core/result.h"

#include <QString>
#include <QStringList>
#include <QStringView>

namespace upcoach::identity {

// 31 symbols without 0/O/1/I/L: ten of them carry 10 * log2(31) ~ 49.5 bits.
inline constexpr char kRecoveryCodeAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr int kRecoveryCodeLength = 10;
constexpr int kRecoveryCodeDefaultCount = 10;
constexpr int kRecoveryCodeMaxCount = 50;
// PBKDF2-HMAC-SHA256 iterations for new hashes, and the most a stored hash may ask for.
constexpr int kRecoveryCodeIterations = 10000;
constexpr int kRecoveryCodeMaxIterations = 1000000;

struct RecoveryCodes
{
    QStringList codes;  // "XXXXX-XXXXX", to show once; never store or log
    QStringList hashes; // the same order: "pbkdf2-sha256$10000$<salt b64url>$<hash b64url>"
};

// `count` distinct codes (1..50) and their hashes.
Result<RecoveryCodes> generateRecoveryCodes(int count = kRecoveryCodeDefaultCount);

// Upper-cases ASCII letters and drops ASCII spaces and hyphens; InvalidInput unless exactly ten
// alphabet symbols remain (the result has no hyphen).
Result<QString> normaliseRecoveryCode(QStringView input);

// The stored form of one code (normalised first) under a fresh 16-byte salt.
Result<QString> hashRecoveryCode(QStringView code);

// The index in storedHashes of the entry that `input` matches. Every well-formed entry is hashed
// and compared in constant time (no early exit); empty or malformed entries (wrong prefix, bad
// base64url, wrong sizes, iterations outside 1000..1,000,000) are skipped and never match.
// InvalidInput for input that is not a recovery code or more than 100 stored entries;
// Unauthorized ("the recovery code is not valid") when nothing matches.
Result<int> matchRecoveryCode(QStringView input, const QStringList &storedHashes);

} // namespace upcoach::identity
