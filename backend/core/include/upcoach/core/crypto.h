// Crypto primitives over OpenSSL 3. Callers never hand-roll these.
#pragma once

#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace upcoach::crypto {

// Bytes from OpenSSL's CSPRNG. Fails only if the RNG cannot be seeded.
Result<QByteArray> randomBytes(int count);

QByteArray sha256(const QByteArray &data);

// Compares two byte strings in time that depends only on their lengths.
bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

// base64url without padding (RFC 4648 §5), the form tokens travel in.
QByteArray base64Url(const QByteArray &data);

// AES-256-GCM (NIST SP 800-38D) over OpenSSL's EVP interface: 256-bit key, 96-bit nonce,
// 128-bit tag. Inputs are views so key bytes are never copied into a buffer nobody wipes.
constexpr int kAesGcmKeyBytes = 32;
constexpr int kAesGcmNonceBytes = 12;
constexpr int kAesGcmTagBytes = 16;
// Larger plaintexts are refused (InvalidInput); callers with bigger data chunk it.
constexpr qsizetype kAesGcmMaxBytes = qsizetype(64) * 1024 * 1024;

struct AesGcmSealed
{
    QByteArray nonce;      // 12 bytes
    QByteArray ciphertext; // as long as the plaintext
    QByteArray tag;        // 16 bytes
};

// Encrypts under a fresh random nonce. Never reuse a key for more than 2^32 random nonces.
Result<AesGcmSealed> aesGcmEncrypt(QByteArrayView key, QByteArrayView plaintext,
                                   QByteArrayView aad);
// The same with a caller-chosen nonce: for known-answer tests and protocols that derive nonces
// themselves. A nonce must never repeat under one key.
Result<AesGcmSealed> aesGcmEncrypt(QByteArrayView key, QByteArrayView nonce,
                                   QByteArrayView plaintext, QByteArrayView aad);
// Decrypts and authenticates. Any change to key, nonce, ciphertext, tag or aad is an
// Unauthorized error and no plaintext at all is returned (OpenSSL compares the tag in constant
// time).
Result<QByteArray> aesGcmDecrypt(QByteArrayView key, QByteArrayView nonce,
                                 QByteArrayView ciphertext, QByteArrayView tag, QByteArrayView aad);

// Overwrites the bytes this QByteArray owns with zeros (OPENSSL_cleanse, which the compiler
// cannot elide) and empties it. Copies that shared the buffer before a detach are not reached:
// keep secrets in one owner (see tenancy's SecretBytes).
void secureWipe(QByteArray &bytes);

} // namespace upcoach::crypto
