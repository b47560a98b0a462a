#include "upcoach/core/crypto.h"

#include <memory>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

namespace upcoach::crypto {

Result<QByteArray> randomBytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1)
        return makeError(ErrorCode::Internal, QStringLiteral("the system random generator failed"));
    return out;
}

QByteArray sha256(const QByteArray &data)
{
    QByteArray digest(32, Qt::Uninitialized);
    unsigned int length = 0;
    EVP_Digest(data.constData(), size_t(data.size()),
               reinterpret_cast<unsigned char *>(digest.data()), &length, EVP_sha256(), nullptr);
    return digest;
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

namespace {

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

const unsigned char *u8(QByteArrayView view)
{
    return reinterpret_cast<const unsigned char *>(view.data());
}

// Fetched once: OpenSSL 3 would otherwise look the implementation up on every init (implicit
// fetch through EVP_aes_256_gcm()), which costs more than sealing a short field.
const EVP_CIPHER *aes256Gcm()
{
    static EVP_CIPHER *const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return cipher ? cipher : EVP_aes_256_gcm();
}

Error gcmInputError(QByteArrayView key, QByteArrayView nonce)
{
    if (key.size() != kAesGcmKeyBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("AES-256-GCM needs a %1-byte key, not %2 bytes")
                             .arg(kAesGcmKeyBytes)
                             .arg(key.size()));
    return makeError(ErrorCode::InvalidInput,
                     QStringLiteral("AES-256-GCM needs a %1-byte nonce, not %2 bytes")
                         .arg(kAesGcmNonceBytes)
                         .arg(nonce.size()));
}

Error sizeError(const char *what, qsizetype size)
{
    return makeError(ErrorCode::InvalidInput,
                     QStringLiteral("AES-256-GCM %1 of %2 bytes is larger than the %3-byte limit")
                         .arg(QLatin1String(what))
                         .arg(size)
                         .arg(kAesGcmMaxBytes));
}

Error opensslFailure(const char *step)
{
    return makeError(ErrorCode::Internal,
                     QStringLiteral("AES-256-GCM: OpenSSL failed at %1").arg(QLatin1String(step)));
}

} // namespace

Result<AesGcmSealed> aesGcmEncrypt(QByteArrayView key, QByteArrayView plaintext, QByteArrayView aad)
{
    auto nonce = randomBytes(kAesGcmNonceBytes);
    if (!nonce)
        return nonce.error();
    return aesGcmEncrypt(key, nonce.value(), plaintext, aad);
}

Result<AesGcmSealed> aesGcmEncrypt(QByteArrayView key, QByteArrayView nonce,
                                   QByteArrayView plaintext, QByteArrayView aad)
{
    if (key.size() != kAesGcmKeyBytes || nonce.size() != kAesGcmNonceBytes)
        return gcmInputError(key, nonce);
    if (plaintext.size() > kAesGcmMaxBytes)
        return sizeError("plaintext", plaintext.size());
    if (aad.size() > kAesGcmMaxBytes)
        return sizeError("associated data", aad.size());
    CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    if (!ctx)
        return opensslFailure("EVP_CIPHER_CTX_new");
    if (EVP_EncryptInit_ex2(ctx.get(), aes256Gcm(), u8(key), u8(nonce), nullptr) != 1)
        return opensslFailure("EVP_EncryptInit_ex2");
    int length = 0;
    if (!aad.isEmpty() &&
        EVP_EncryptUpdate(ctx.get(), nullptr, &length, u8(aad), int(aad.size())) != 1)
        return opensslFailure("EVP_EncryptUpdate (aad)");
    AesGcmSealed sealed;
    sealed.nonce = nonce.toByteArray();
    sealed.ciphertext.resize(plaintext.size());
    auto *out = reinterpret_cast<unsigned char *>(sealed.ciphertext.data());
    int written = 0;
    if (!plaintext.isEmpty()) {
        if (EVP_EncryptUpdate(ctx.get(), out, &length, u8(plaintext), int(plaintext.size())) != 1)
            return opensslFailure("EVP_EncryptUpdate");
        written = length;
    }
    if (EVP_EncryptFinal_ex(ctx.get(), out + written, &length) != 1)
        return opensslFailure("EVP_EncryptFinal_ex");
    sealed.tag.resize(kAesGcmTagBytes);
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAesGcmTagBytes, sealed.tag.data()) !=
        1)
        return opensslFailure("EVP_CTRL_GCM_GET_TAG");
    return sealed;
}

Result<QByteArray> aesGcmDecrypt(QByteArrayView key, QByteArrayView nonce,
                                 QByteArrayView ciphertext, QByteArrayView tag, QByteArrayView aad)
{
    if (key.size() != kAesGcmKeyBytes || nonce.size() != kAesGcmNonceBytes)
        return gcmInputError(key, nonce);
    if (tag.size() != kAesGcmTagBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("AES-256-GCM needs a %1-byte tag, not %2 bytes")
                             .arg(kAesGcmTagBytes)
                             .arg(tag.size()));
    if (ciphertext.size() > kAesGcmMaxBytes)
        return sizeError("ciphertext", ciphertext.size());
    if (aad.size() > kAesGcmMaxBytes)
        return sizeError("associated data", aad.size());
    CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    if (!ctx)
        return opensslFailure("EVP_CIPHER_CTX_new");
    if (EVP_DecryptInit_ex2(ctx.get(), aes256Gcm(), u8(key), u8(nonce), nullptr) != 1)
        return opensslFailure("EVP_DecryptInit_ex2");
    int length = 0;
    if (!aad.isEmpty() &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &length, u8(aad), int(aad.size())) != 1)
        return opensslFailure("EVP_DecryptUpdate (aad)");
    QByteArray plaintext(ciphertext.size(), Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(plaintext.data());
    int written = 0;
    if (!ciphertext.isEmpty()) {
        if (EVP_DecryptUpdate(ctx.get(), out, &length, u8(ciphertext), int(ciphertext.size())) !=
            1) {
            secureWipe(plaintext);
            return opensslFailure("EVP_DecryptUpdate");
        }
        written = length;
    }
    // OpenSSL only reads the expected tag here; the comparison happens in EVP_DecryptFinal_ex
    // (CRYPTO_memcmp, constant time).
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAesGcmTagBytes,
                            const_cast<char *>(tag.data())) != 1) {
        secureWipe(plaintext);
        return opensslFailure("EVP_CTRL_GCM_SET_TAG");
    }
    if (EVP_DecryptFinal_ex(ctx.get(), out + written, &length) != 1) {
        // Unauthenticated output is never released, not even partially.
        secureWipe(plaintext);
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("AES-256-GCM authentication failed: the key, nonce, "
                                        "ciphertext, tag or associated data is not the one "
                                        "that was sealed"));
    }
    return plaintext;
}

void secureWipe(QByteArray &bytes)
{
    if (bytes.isDetached() && bytes.capacity() > 0)
        OPENSSL_cleanse(bytes.data(), size_t(bytes.capacity()));
    bytes.clear();
}

} // namespace upcoach::crypto
