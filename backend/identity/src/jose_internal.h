// Private to the JOSE sources: key data, OpenSSL handles, the strict JSON parser.
#pragma once

#include "upcoach/identity/jose.h"

#include <QJsonObject>
#include <memory>
#include <openssl/evp.h>

namespace upcoach::identity {

namespace detail {

struct PkeyFree
{
    void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

struct KeyData
{
    KeyType type = KeyType::Rsa;
    PkeyPtr pkey;      // RSA, EC, OKP (public or key pair)
    QByteArray secret; // Oct only; wiped in the destructor
    QString kid;
    QString alg;
    QString curve; // "P-256", "P-384", "P-521", "Ed25519"
    int bits = 0;
    bool hasPrivate = false;

    KeyData() = default;
    KeyData(const KeyData &) = delete;
    KeyData &operator=(const KeyData &) = delete;
    ~KeyData();
};

// Strict JSON (RFC 8259) into a QJsonObject: the top level must be an object, duplicate member
// names and nesting deeper than 32 are refused. The error names what is wrong, never the input.
Result<QJsonObject> parseJsonObject(QByteArrayView json);

// Bytes of a JSON value's compact serialisation for signing (sorted members).
QByteArray compactJson(const QJsonObject &object);

// Hash output bytes of the algorithm's SHA-2 (EdDSA: 0) and OpenSSL's digest name (EdDSA: null).
int hashBytes(JwsAlgorithm algorithm);
const char *digestName(JwsAlgorithm algorithm);

// The signature primitives. The key must support the algorithm (callers check Jwk::supports).
Result<QByteArray> signRaw(const KeyData &key, JwsAlgorithm algorithm, QByteArrayView input);
bool verifyRaw(const KeyData &key, JwsAlgorithm algorithm, QByteArrayView input,
               QByteArrayView signature);

} // namespace detail

struct JoseAccess
{
    static const detail::KeyData *data(const Jwk &key) { return key.m_d.get(); }
    static Jwk make(std::shared_ptr<const detail::KeyData> d) { return Jwk(std::move(d)); }
};

} // namespace upcoach::identity
