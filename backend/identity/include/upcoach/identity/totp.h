// Time-based one-time passwords: RFC 4226 HOTP, RFC 6238 TOTP, the RFC 4648 base32 that secrets
// travel in, and the otpauth:// URI (Google Authenticator "Key Uri Format") an authenticator app
// scans at enrolment. Pure functions: thread-safe, no state, no database. The caller stores the
// secret (encrypted) and the last used time step per user.
#pragma once

#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>
#include <optional>

namespace upcoach::identity {

enum class TotpAlgorithm
{
    Sha1, // what every authenticator app supports; the default
    Sha256,
    Sha512,
};

struct TotpParameters
{
    TotpAlgorithm algorithm = TotpAlgorithm::Sha1;
    int digits = 6;  // 6 or 8
    int period = 30; // seconds per time step, 10..300; T0 is always the Unix epoch
};

// Secrets: at least 128 bits (RFC 4226 §4 R6), at most 128 bytes.
constexpr int kTotpMinSecretBytes = 16;
constexpr int kTotpMaxSecretBytes = 128;
// verifyTotp accepts at most this many steps on each side of the current one.
constexpr int kTotpMaxWindow = 10;
constexpr int kOtpauthMaxIssuerLength = 64;   // UTF-16 code units
constexpr int kOtpauthMaxAccountLength = 320; // UTF-16 code units

// RFC 4648 §6 base32, uppercase, without padding.
QString base32Encode(QByteArrayView data);
// Strict decoding: case-insensitive; spaces and hyphens (as users type grouped secrets) are
// ignored; trailing '=' padding is optional but, if present, must be complete. Any other
// character, an impossible length, non-zero trailing bits or more than 1024 characters is
// InvalidInput.
Result<QByteArray> base32Decode(QStringView text);

// A fresh random secret of the hash's block-matching size: 20 bytes (SHA-1), 32 (SHA-256),
// 64 (SHA-512), as RFC 6238 Appendix B uses.
Result<QByteArray> generateTotpSecret(TotpAlgorithm algorithm = TotpAlgorithm::Sha1);

// RFC 4226 §5.3: HMAC over the 8-byte big-endian counter, dynamic truncation, `digits` decimal
// digits with leading zeros. InvalidInput for a short/long secret or digits other than 6..8.
Result<QString> hotp(QByteArrayView secret, quint64 counter,
                     TotpAlgorithm algorithm = TotpAlgorithm::Sha1, int digits = 6);

// The time step of Unix time `unixSeconds` (floor(t / period), T0 = 0). -1 for invalid input.
qint64 totpStep(qint64 unixSeconds, int period = 30);

// RFC 6238: the code for Unix time `unixSeconds` (>= 0).
Result<QString> totp(QByteArrayView secret, qint64 unixSeconds, const TotpParameters &params = {});

// Checks a user-typed code against every step in [step(now) - window, step(now) + window] and
// returns the step that matched. The caller stores it and passes it back as lastUsedStep, so a
// code for that step or any earlier one is refused (RFC 6238 §5.2: one-time use).
// - InvalidInput: the code is not exactly params.digits ASCII digits once ASCII spaces are
//   stripped (other digits, e.g. Arabic-Indic, are refused, not normalised), or the secret,
//   params, window or time are out of range.
// - Unauthorized ("the code is not valid"): a wrong code, one outside the window, or a replay;
//   the three are indistinguishable.
// Every step of the window is computed and compared in constant time; no early exit.
Result<qint64> verifyTotp(QByteArrayView secret, QStringView code, const TotpParameters &params,
                          qint64 nowUnixSeconds, int window = 1,
                          std::optional<qint64> lastUsedStep = std::nullopt);

// otpauth://totp/<Issuer>:<account>?secret=<base32>&issuer=<Issuer>&algorithm=SHA1&digits=6&period=30
// Issuer and account are UTF-8 percent-encoded (everything but RFC 3986 unreserved characters
// and '@'; a space is %20, '+' is %2B). InvalidInput for an empty, over-long (issuer > 64,
// account > 320) or colon- or control-character-containing issuer or account, a bad secret or
// bad params. The URI carries the secret: never log it.
Result<QString> otpauthUri(const QString &issuer, const QString &account, QByteArrayView secret,
                           const TotpParameters &params = {});

// "SHA1", "SHA256", "SHA512", as the otpauth URI spells them.
QString totpAlgorithmName(TotpAlgorithm algorithm);

} // namespace upcoach::identity
