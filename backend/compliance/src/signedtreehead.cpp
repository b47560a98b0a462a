#include "upcoach/compliance/signedtreehead.h"

#include <climits>
#include <cstring>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace upcoach::compliance {

namespace {

constexpr char kDomain[] = "upcoach-audit-th"; // 16 bytes without the terminator
constexpr unsigned char kVersion = 0x01;
constexpr qsizetype kSigningBytesSize = 16 + 1 + 8 + 8 + 32;
static_assert(sizeof kDomain - 1 == 16);

struct BioDeleter
{
    void operator()(BIO *bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

struct MdCtxDeleter
{
    void operator()(EVP_MD_CTX *ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

struct PkeyDeleter
{
    void operator()(EVP_PKEY *key) const { EVP_PKEY_free(key); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// The first queued OpenSSL error as text (never key material), and the queue cleared.
QString opensslError()
{
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return QStringLiteral("no OpenSSL error detail");
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return QString::fromLatin1(buffer);
}

void putBigEndian(char *out, uint64_t value)
{
    for (int i = 7; i >= 0; --i) {
        out[i] = static_cast<char>(value & 0xff);
        value >>= 8;
    }
}

// Never prompts: an encrypted PEM simply fails to decode.
int noPassphrase(char *, int, int, void *)
{
    return -1;
}

BioPtr memoryBio(QByteArrayView data)
{
    if (data.size() > INT_MAX)
        return nullptr;
    return BioPtr(BIO_new_mem_buf(data.data(), int(data.size())));
}

Result<QByteArray> bioContents(BIO *bio)
{
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    if (length <= 0 || !data)
        return makeError(ErrorCode::Internal, QStringLiteral("empty PEM output"));
    return QByteArray(data, qsizetype(length));
}

} // namespace

Result<QByteArray> treeHeadSigningBytes(const TreeHead &head)
{
    if (!head.timestamp.isValid())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("tree head timestamp is invalid"));
    const qint64 ms = head.timestamp.toMSecsSinceEpoch();
    if (ms < 0)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("tree head timestamp is before 1970-01-01T00:00:00Z"));
    QByteArray out(kSigningBytesSize, Qt::Uninitialized);
    char *p = out.data();
    std::memcpy(p, kDomain, 16);
    p[16] = static_cast<char>(kVersion);
    putBigEndian(p + 17, head.treeSize);
    putBigEndian(p + 25, uint64_t(ms));
    std::memcpy(p + 33, head.rootHash.data(), 32);
    return out;
}

void Ed25519Signer::KeyDeleter::operator()(EVP_PKEY *key) const
{
    EVP_PKEY_free(key);
}

Ed25519Signer::Ed25519Signer(EVP_PKEY *key)
    : m_key(key)
{}
Ed25519Signer::Ed25519Signer(Ed25519Signer &&) noexcept = default;
Ed25519Signer &Ed25519Signer::operator=(Ed25519Signer &&) noexcept = default;
Ed25519Signer::~Ed25519Signer() = default;

Result<Ed25519Signer> Ed25519Signer::generate()
{
    EVP_PKEY *key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!key)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("Ed25519 key generation failed: ") + opensslError());
    return Ed25519Signer(key);
}

Result<Ed25519Signer> Ed25519Signer::fromPrivateKeyPem(QByteArrayView pem)
{
    BioPtr bio = memoryBio(pem);
    if (!bio)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("private key PEM is too large"));
    EVP_PKEY *raw =
        PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, noPassphrase, nullptr, nullptr, nullptr);
    if (!raw)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("not an unencrypted PKCS#8 private key PEM: ") +
                             opensslError());
    PkeyPtr key(raw);
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the private key PEM holds a key that is not Ed25519"));
    return Ed25519Signer(key.release());
}

Result<QByteArray> Ed25519Signer::privateKeyPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr,
                                              nullptr) != 1)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("writing the private key PEM failed: ") + opensslError());
    return bioContents(bio.get());
}

QByteArray Ed25519Signer::publicKeyRaw() const
{
    QByteArray out(kEd25519PublicKeySize, Qt::Uninitialized);
    size_t length = size_t(out.size());
    if (!m_key ||
        EVP_PKEY_get_raw_public_key(m_key.get(), reinterpret_cast<unsigned char *>(out.data()),
                                    &length) != 1 ||
        length != size_t(kEd25519PublicKeySize)) {
        ERR_clear_error();
        return {};
    }
    return out;
}

Result<QByteArray> Ed25519Signer::publicKeyPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_PUBKEY(bio.get(), m_key.get()) != 1)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("writing the public key PEM failed: ") + opensslError());
    return bioContents(bio.get());
}

Result<QByteArray> Ed25519Signer::sign(const TreeHead &head) const
{
    Result<QByteArray> message = treeHeadSigningBytes(head);
    if (!message)
        return message.error();
    if (!m_key)
        return makeError(ErrorCode::Internal, QStringLiteral("signer has no key (moved from)"));
    MdCtxPtr ctx(EVP_MD_CTX_new());
    QByteArray signature(kEd25519SignatureSize, Qt::Uninitialized);
    size_t length = size_t(signature.size());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(message->constData()),
                       size_t(message->size())) != 1 ||
        length != size_t(kEd25519SignatureSize))
        return makeError(ErrorCode::Internal,
                         QStringLiteral("Ed25519 signing failed: ") + opensslError());
    return signature;
}

Result<QByteArray> ed25519PublicKeyFromPem(QByteArrayView pem)
{
    BioPtr bio = memoryBio(pem);
    if (!bio)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("public key PEM is too large"));
    PkeyPtr key(
        PEM_read_bio_PUBKEY_ex(bio.get(), nullptr, noPassphrase, nullptr, nullptr, nullptr));
    if (!key)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("not a public key PEM: ") + opensslError());
    if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the public key PEM holds a key that is not Ed25519"));
    QByteArray out(kEd25519PublicKeySize, Qt::Uninitialized);
    size_t length = size_t(out.size());
    if (EVP_PKEY_get_raw_public_key(key.get(), reinterpret_cast<unsigned char *>(out.data()),
                                    &length) != 1 ||
        length != size_t(kEd25519PublicKeySize))
        return makeError(ErrorCode::Internal,
                         QStringLiteral("reading the raw public key failed: ") + opensslError());
    return out;
}

Status verifyTreeHead(const TreeHead &head, QByteArrayView signature, QByteArrayView publicKeyRaw32)
{
    if (publicKeyRaw32.size() != kEd25519PublicKeySize)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("an Ed25519 public key is 32 bytes, got %1").arg(publicKeyRaw32.size()));
    if (signature.size() != kEd25519SignatureSize)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("an Ed25519 signature is 64 bytes, got %1").arg(signature.size()));
    Result<QByteArray> message = treeHeadSigningBytes(head);
    if (!message)
        return message.error();
    PkeyPtr key(EVP_PKEY_new_raw_public_key(
        EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char *>(publicKeyRaw32.data()),
        size_t(publicKeyRaw32.size())));
    if (!key)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("not a usable Ed25519 public key: ") + opensslError());
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("Ed25519 verification setup failed: ") + opensslError());
    const int verdict = EVP_DigestVerify(
        ctx.get(), reinterpret_cast<const unsigned char *>(signature.data()),
        size_t(signature.size()), reinterpret_cast<const unsigned char *>(message->constData()),
        size_t(message->size()));
    ERR_clear_error();
    if (verdict != 1)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("signature mismatch: the tree head of size %1 is not "
                                        "signed by this key")
                             .arg(head.treeSize));
    return {};
}

} // namespace upcoach::compliance
