// Byte layouts shared by the key providers, the key store and the field cipher.
#pragma once

#include "upcoach/core/crypto.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <cstdint>

namespace upcoach::tenancy::wire {

constexpr int kMinDataKeyBytes = 16;
constexpr int kMaxDataKeyBytes = 64;
constexpr int kMaxWrapAadBytes = 1024;

QByteArray uint32BigEndian(uint32_t value);

// Appends a uint32 big-endian length and then the bytes (the injective encoding AAD uses).
void appendLengthPrefixed(QByteArray &out, QByteArrayView bytes);

// A data key and its aad are within what the providers accept.
Status checkWrapInput(QByteArrayView dataKey, QByteArrayView aad);

struct SealedParts
{
    QByteArray nonce;
    QByteArray ciphertext;
    QByteArray tag;
};

// Splits a wrapped-key blob "format byte || nonce (12) || ciphertext || tag (16)", checking the
// format byte and that the ciphertext is a plausible data key length.
Result<SealedParts> splitBlob(const QByteArray &blob, char format);

} // namespace upcoach::tenancy::wire
