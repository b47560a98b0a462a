// Crypto primitives over OpenSSL 3. Callers never hand-roll these.
#pragma once

#include "upcoach/core/result.h"

#include <QByteArray>

namespace upcoach::crypto {

// Bytes from OpenSSL's CSPRNG. Fails only if the RNG cannot be seeded.
Result<QByteArray> randomBytes(int count);

QByteArray sha256(const QByteArray &data);

// Compares two byte strings in time that depends only on their lengths.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

// base64url without padding (RFC 4648 §5), the form tokens travel in.
QByteArray base64Url(const QByteArray &data);

} // namespace upcoach::crypto
