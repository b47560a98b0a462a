// Signed tree heads of the audit log: (size, time, root) signed with Ed25519 (RFC 8032) through
// OpenSSL 3. The signed bytes are treeHeadSigningBytes() — see README.md for the layout.
#pragma once

#include "upcoach/compliance/merkle.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <cstdint>
#include <memory>

// OpenSSL's key type, kept out of this header.
typedef struct evp_pkey_st EVP_PKEY;

namespace upcoach::compliance {

struct TreeHead
{
    uint64_t treeSize = 0;
    QDateTime timestamp; // UTC, millisecond precision; must be valid and not before 1970
    Hash rootHash{};

    bool operator==(const TreeHead &other) const = default;
};

// The 65 bytes that are signed:
//   16 bytes  ASCII "upcoach-audit-th" (domain separation)
//    1 byte   version 0x01
//    8 bytes  tree size, uint64 big-endian
//    8 bytes  timestamp, milliseconds since 1970-01-01T00:00:00Z, uint64 big-endian
//   32 bytes  root hash
// InvalidInput for an invalid or pre-1970 timestamp.
Result<QByteArray> treeHeadSigningBytes(const TreeHead &head);

inline constexpr int kEd25519PublicKeySize = 32;
inline constexpr int kEd25519SignatureSize = 64;

// Owns one Ed25519 private key. Move-only. The PEM it writes is unencrypted PKCS#8: protecting it
// at rest (file mode, secret store, tenant key wrapping) is the caller's job.
class Ed25519Signer
{
public:
    static Result<Ed25519Signer> generate();
    // PKCS#8 "PRIVATE KEY" PEM of an Ed25519 key. Garbage, another key type or an encrypted PEM
    // give InvalidInput (never a passphrase prompt).
    static Result<Ed25519Signer> fromPrivateKeyPem(QByteArrayView pem);

    Ed25519Signer(Ed25519Signer &&) noexcept;
    Ed25519Signer &operator=(Ed25519Signer &&) noexcept;
    ~Ed25519Signer();

    Result<QByteArray> privateKeyPem() const; // PKCS#8 PEM
    QByteArray publicKeyRaw() const;          // 32 bytes
    Result<QByteArray> publicKeyPem() const;  // SubjectPublicKeyInfo "PUBLIC KEY" PEM

    // The 64-byte Ed25519 signature over treeHeadSigningBytes(head).
    Result<QByteArray> sign(const TreeHead &head) const;

private:
    struct KeyDeleter
    {
        void operator()(EVP_PKEY *key) const;
    };
    explicit Ed25519Signer(EVP_PKEY *key);
    std::unique_ptr<EVP_PKEY, KeyDeleter> m_key;
};

// The raw 32-byte key from an SPKI "PUBLIC KEY" PEM of an Ed25519 key; InvalidInput otherwise.
Result<QByteArray> ed25519PublicKeyFromPem(QByteArrayView pem);

// OK only when `signature` is a valid Ed25519 signature by `publicKeyRaw32` over
// treeHeadSigningBytes(head). Wrong lengths and bad signatures give InvalidInput.
Status verifyTreeHead(const TreeHead &head, QByteArrayView signature,
                      QByteArrayView publicKeyRaw32);

} // namespace upcoach::compliance
