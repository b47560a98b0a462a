#include "wireformat.h"

namespace upcoach::tenancy::wire {

QByteArray uint32BigEndian(uint32_t value)
{
    QByteArray out(4, Qt::Uninitialized);
    out[0] = char((value >> 24) & 0xff);
    out[1] = char((value >> 16) & 0xff);
    out[2] = char((value >> 8) & 0xff);
    out[3] = char(value & 0xff);
    return out;
}

void appendLengthPrefixed(QByteArray &out, QByteArrayView bytes)
{
    out.append(uint32BigEndian(uint32_t(bytes.size())));
    out.append(bytes);
}

Status checkWrapInput(QByteArrayView dataKey, QByteArrayView aad)
{
    if (dataKey.size() < kMinDataKeyBytes || dataKey.size() > kMaxDataKeyBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a data key to wrap must be %1 to %2 bytes, not %3")
                             .arg(kMinDataKeyBytes)
                             .arg(kMaxDataKeyBytes)
                             .arg(dataKey.size()));
    if (aad.size() > kMaxWrapAadBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the associated data of a wrapped key is at most %1 bytes")
                             .arg(kMaxWrapAadBytes));
    return {};
}

Result<SealedParts> splitBlob(const QByteArray &blob, char format)
{
    constexpr qsizetype overhead = 1 + crypto::kAesGcmNonceBytes + crypto::kAesGcmTagBytes;
    if (blob.size() < overhead + kMinDataKeyBytes || blob.size() > overhead + kMaxDataKeyBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the wrapped data key is %1 bytes; a wrapped key is %2 "
                                        "to %3 bytes (truncated or not a wrapped key)")
                             .arg(blob.size())
                             .arg(overhead + kMinDataKeyBytes)
                             .arg(overhead + kMaxDataKeyBytes));
    if (blob.at(0) != format)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the wrapped data key has format byte %1, expected %2")
                             .arg(uint(uchar(blob.at(0))))
                             .arg(uint(uchar(format))));
    SealedParts parts;
    parts.nonce = blob.mid(1, crypto::kAesGcmNonceBytes);
    parts.ciphertext = blob.mid(1 + crypto::kAesGcmNonceBytes, blob.size() - overhead);
    parts.tag = blob.right(crypto::kAesGcmTagBytes);
    return parts;
}

} // namespace upcoach::tenancy::wire
