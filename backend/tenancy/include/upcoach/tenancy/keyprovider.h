// Key-encryption keys (KEKs) for per-tenant envelope encryption (backend/tenancy/KEYS.md).
//
// A KeyProvider holds versioned KEKs and wraps/unwraps tenants' data keys with associated data.
// The KEK bytes never leave the provider: the local keyring keeps them in a 0600 file, the
// PKCS#11 provider keeps them on the token as non-extractable keys and asks the token to
// encrypt. Rotation adds a KEK version that wraps from then on; older versions still unwrap.
// Providers are thread-safe.
#pragma once

#include "upcoach/core/config.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <memory>
#include <mutex>

namespace upcoach::tenancy {

// Secret bytes with one owner: move-only, overwritten (OPENSSL_cleanse) when destroyed, wiped
// or assigned over. The bytes are never logged or copied into a QByteArray nobody wipes.
class SecretBytes
{
public:
    SecretBytes() = default;
    // Takes ownership of the buffer (detaches it first, so no other QByteArray shares it).
    explicit SecretBytes(QByteArray &&bytes);
    ~SecretBytes();
    SecretBytes(SecretBytes &&other) noexcept;
    SecretBytes &operator=(SecretBytes &&other) noexcept;
    SecretBytes(const SecretBytes &) = delete;
    SecretBytes &operator=(const SecretBytes &) = delete;

    static Result<SecretBytes> random(int size);

    QByteArrayView view() const { return QByteArrayView(m_bytes); }
    qsizetype size() const { return m_bytes.size(); }
    bool isEmpty() const { return m_bytes.isEmpty(); }
    void wipe();

private:
    QByteArray m_bytes;
};

// A data key as stored: the provider's ciphertext and the KEK (id, version) that made it.
struct WrappedKey
{
    QString kekId;
    int kekVersion = 0;
    QByteArray blob;
};

class KeyProvider
{
public:
    virtual ~KeyProvider() = default;

    // "keyring" or "pkcs11".
    virtual QString kind() const = 0;
    // A stable identifier of this provider's KEK family, stored next to every wrapped key:
    // "keyring:<uuid of the keyring>", "pkcs11:<token label>/<key label>".
    virtual QString kekId() const = 0;
    // The KEK version new wraps use (1, 2, ...).
    virtual int currentKekVersion() const = 0;

    // Wraps a data key (16..64 bytes) under the current KEK version. aad (at most 1 KiB) is
    // bound to the result: unwrap must present the same bytes.
    virtual Result<WrappedKey> wrap(QByteArrayView dataKey, QByteArrayView aad) = 0;
    // Unwraps with the KEK version the key names. A wrong aad, a changed blob, another KEK family
    // or a version the provider does not have are errors; no partial key is ever returned.
    virtual Result<SecretBytes> unwrap(const WrappedKey &wrapped, QByteArrayView aad) = 0;
    // Adds a KEK version and makes it current; returns it. Older versions keep unwrapping.
    virtual Result<int> rotate() = 0;
};

// The local keyring: a JSON file holding versioned 256-bit KEKs (format in KEYS.md).
//
// Created on first use (mode 0600, parent directory 0700 when it has to be created; written
// to a temporary file and renamed). Refused, with the path, what was found and what to do:
// a symlink, not a regular file, owned by another user, group/other permission bits set, larger
// than 1 MiB, malformed, more than 1000 versions.
class LocalKeyringProvider final : public KeyProvider
{
public:
    static constexpr qsizetype kMaxFileBytes = 1 << 20;
    static constexpr int kMaxVersions = 1000;

    // Opens the keyring at path, creating it (with KEK version 1) when it does not exist.
    static Result<std::unique_ptr<LocalKeyringProvider>> open(const QString &path);
    ~LocalKeyringProvider() override;

    QString kind() const override { return QStringLiteral("keyring"); }
    QString kekId() const override;
    int currentKekVersion() const override;
    Result<WrappedKey> wrap(QByteArrayView dataKey, QByteArrayView aad) override;
    Result<SecretBytes> unwrap(const WrappedKey &wrapped, QByteArrayView aad) override;
    // Serialized across processes by an flock on "<path>.lock"; re-reads the file first so a
    // rotation by another process is never lost.
    Result<int> rotate() override;

    const QString &path() const { return m_path; }

private:
    struct State;
    explicit LocalKeyringProvider(QString path);
    // Re-reads the file (a rotation by another process added versions).
    Status reload();

    QString m_path;
    mutable std::mutex m_mutex;
    std::unique_ptr<State> m_state;
};

// KEKs on a PKCS#11 token (tested with SoftHSM2). The module is loaded with dlopen; the token
// is found by label and logged in with the user PIN (read from pin_env / pin_file, wiped after
// login, never logged). KEK version N is the token's AES-256 secret key labelled
// "<keyLabel>.v<N>" (CKA_SENSITIVE, not CKA_EXTRACTABLE, CKA_TOKEN); wrapping is the token's
// CKM_AES_GCM C_Encrypt with a random 96-bit IV and the aad, so the KEK never leaves the token.
// Keys found extractable or not sensitive are refused. Rotation generates "<keyLabel>.v<N+1>".
class Pkcs11KeyProvider final : public KeyProvider
{
public:
    static Result<std::unique_ptr<Pkcs11KeyProvider>> open(const Pkcs11KeysConfig &config);
    ~Pkcs11KeyProvider() override;

    QString kind() const override { return QStringLiteral("pkcs11"); }
    QString kekId() const override;
    int currentKekVersion() const override;
    Result<WrappedKey> wrap(QByteArrayView dataKey, QByteArrayView aad) override;
    Result<SecretBytes> unwrap(const WrappedKey &wrapped, QByteArrayView aad) override;
    Result<int> rotate() override;

    // The token object label of a KEK version ("<keyLabel>.v<N>").
    QString labelOf(int version) const;

private:
    struct Session;
    explicit Pkcs11KeyProvider(std::unique_ptr<Session> session);

    mutable std::mutex m_mutex;
    std::unique_ptr<Session> m_session;
};

// The provider the configuration asks for. defaultKeyringPath is used when provider is keyring
// and keyring_file is not set (embedded default: <state dir>/secrets/tenant-keyring).
Result<std::unique_ptr<KeyProvider>> openKeyProvider(const KeysConfig &config,
                                                     const QString &defaultKeyringPath);

} // namespace upcoach::tenancy
