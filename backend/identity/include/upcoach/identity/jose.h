// JOSE for the OpenID Connect relying party: JWK/JWKS parsing (RFC 7517, 7518 §6, 8037), compact
// JWS signing and verification (RFC 7515) with the algorithm pinned by the caller, JWT claims and
// OIDC ID token validation (OpenID Connect Core 1.0 §3.1.3.7), private_key_jwt client assertions
// (RFC 7523), PKCE (RFC 7636), JWK thumbprints (RFC 7638). Over OpenSSL 3 only.
//
// Thread safety: Jwk, JwkSet and SigningKey are immutable after construction and cheap to copy
// (shared, reference-counted key data); one instance may be used from any number of threads. No
// function here keeps mutable global state. Nothing here does I/O: keys come only from the set
// the caller passes (jku, x5u, x5c and jwk headers are ignored, never fetched or trusted).
#pragma once

#include "upcoach/core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QStringView>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace upcoach::identity {

// Limits on untrusted input.
constexpr qsizetype kJwsMaxTokenBytes = 16 * 1024;
constexpr qsizetype kJwksMaxDocumentBytes = 256 * 1024;
constexpr int kJwksMaxKeys = 100;
constexpr int kRsaMinBits = 2048;
constexpr int kRsaMaxBits = 16384;
// HMAC secrets must be at least as long as the hash output (RFC 7518 §3.2); 32 bytes at least.
constexpr int kHmacMinSecretBytes = 32;

enum class JwsAlgorithm
{
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    ES512,
    EdDSA, // Ed25519 only (RFC 8037)
    HS256,
    HS384,
    HS512,
};

// The registered name ("RS256"). Exact, case-sensitive lookup; "none" has no enumerator and is
// never accepted anywhere.
QString jwsAlgorithmName(JwsAlgorithm algorithm);
std::optional<JwsAlgorithm> jwsAlgorithmFromName(QStringView name);

enum class KeyType
{
    Rsa, // kty "RSA", >= 2048 bits
    Ec,  // kty "EC", crv P-256 / P-384 / P-521
    Okp, // kty "OKP", crv Ed25519
    Oct, // a symmetric HMAC secret; never read from a JWKS and never exported
};

namespace detail {
struct KeyData;
}

// One verification key: public (RSA, EC, OKP) or an explicitly symmetric secret (Oct).
class Jwk
{
public:
    Jwk() = default;

    // Parses one public JWK object. Private members ("d", "p", ...) are ignored: only the public
    // part is imported. InvalidInput names what is wrong (RSA under 2048 bits, EC point not on the
    // curve or coordinates of the wrong length, bad base64url, ...). kty "oct" is refused: use
    // fromSecret. Unknown kty or curve: InvalidInput too (JwkSet::parse skips those instead).
    static Result<Jwk> fromJson(const QJsonObject &jwk);
    // An HMAC secret (kHmacMinSecretBytes or more) for HS256/384/512. The bytes are wiped when the
    // last copy of the key goes away.
    static Result<Jwk> fromSecret(QByteArrayView secret, const QString &kid = {},
                                  const QString &algorithm = {});

    bool isNull() const { return !m_d; }
    KeyType type() const;
    QString kid() const;
    QString algorithm() const; // the JWK "alg" member, empty when absent
    QString curve() const;     // "P-256", "Ed25519", ...; empty for RSA and Oct
    int bits() const;          // RSA modulus bits, curve field bits, HMAC secret bits
    bool hasPrivatePart() const;
    // Whether this key may verify (and, holding the private part, sign) with `algorithm`: the
    // family matches the key type (RS/PS: RSA; ES256/384/512: P-256/384/521; EdDSA: Ed25519;
    // HS: Oct long enough for the hash) and the key's own "alg", if any, is exactly `algorithm`.
    bool supports(JwsAlgorithm algorithm) const;

    // The public JWK (kty and key members, plus kid and alg when set, and use "sig"). Empty for
    // Oct keys: secrets are never exported.
    QJsonObject toPublicJson() const;
    // RFC 7638 thumbprint: base64url SHA-256 of the required members in lexicographic order.
    QByteArray thumbprint() const;

private:
    friend class SigningKey;
    friend struct JoseAccess;
    explicit Jwk(std::shared_ptr<const detail::KeyData> d)
        : m_d(std::move(d))
    {}
    std::shared_ptr<const detail::KeyData> m_d;
};

// An immutable set of verification keys, shared across threads.
class JwkSet
{
public:
    JwkSet() = default;
    explicit JwkSet(std::vector<Jwk> keys);

    // Parses a JWKS document ({"keys": [...]}): at most kJwksMaxDocumentBytes and kJwksMaxKeys
    // entries, strict JSON (duplicate member names refused). Entries whose "use" is present and not
    // "sig", whose "key_ops" lacks "verify", or whose kty/crv we do not support (RFC 7517 §5) are
    // skipped. A supported key that is invalid or weak fails the whole document (InvalidInput
    // naming the entry index and what is wrong), as does a symmetric ("oct") key.
    static Result<JwkSet> parse(QByteArrayView json);

    const std::vector<Jwk> &keys() const;
    qsizetype size() const { return qsizetype(keys().size()); }
    bool isEmpty() const { return keys().empty(); }
    // {"keys":[...]} of the public parts (Oct keys left out), compact JSON, for publishing.
    QByteArray toJson() const;

private:
    std::shared_ptr<const std::vector<Jwk>> m_keys;
};

// Our own private key (or HMAC secret) bound to one algorithm.
class SigningKey
{
public:
    SigningKey() = default;

    // A fresh key: RSA-2048 for RS*/PS*, the matching NIST curve for ES*, Ed25519 for EdDSA.
    // HS* is InvalidInput (use fromSecret). kid defaults to the RFC 7638 thumbprint.
    static Result<SigningKey> generate(JwsAlgorithm algorithm, const QString &kid = {});
    // A PEM private key (PKCS#8 or traditional; encrypted PEM is refused, we never prompt).
    static Result<SigningKey> fromPem(QByteArrayView pem, JwsAlgorithm algorithm,
                                      const QString &kid = {});
    // A private JWK (RSA with n,e,d,p,q,dp,dq,qi; EC with d; OKP with d). The JWK's "alg", if
    // present, must equal `algorithm`; kid is taken from the JWK unless one is given.
    static Result<SigningKey> fromJwk(const QJsonObject &jwk, JwsAlgorithm algorithm,
                                      const QString &kid = {});
    static Result<SigningKey> fromSecret(QByteArrayView secret, JwsAlgorithm algorithm,
                                         const QString &kid = {});

    bool isNull() const { return m_key.isNull(); }
    JwsAlgorithm algorithm() const { return m_algorithm; }
    QString kid() const { return m_key.kid(); }
    // The verification key: public part only (with kid and alg), or the secret for HS*.
    Jwk verificationKey() const { return m_public; }
    // The public JWK to publish in our JWKS (empty for HS*).
    QJsonObject publicJwk() const { return verificationKey().toPublicJson(); }
    QByteArray thumbprint() const { return m_key.thumbprint(); }
    // Unencrypted PKCS#8 PEM, for the caller to encrypt at rest. Never log it. InvalidInput for
    // HS*.
    Result<QByteArray> privateKeyPem() const;
    // The raw JWS signature of `signingInput` (ES*: R||S, RFC 7518 §3.4).
    Result<QByteArray> sign(QByteArrayView signingInput) const;

private:
    static Result<SigningKey> bind(Jwk key, JwsAlgorithm algorithm, const QString &kid);
    Jwk m_key;    // with the private part
    Jwk m_public; // the public part only (or the secret for HS*)
    JwsAlgorithm m_algorithm = JwsAlgorithm::RS256;
};

// A verified compact JWS.
struct VerifiedJws
{
    QJsonObject header;
    QByteArray payload; // decoded bytes; not necessarily JSON
    Jwk key;            // the key whose signature matched
};

// Compact serialisation with header {"alg", "kid" (when the key has one)} plus `extraHeader`
// (which cannot override alg or kid). Header members in sorted order, compact JSON.
Result<QByteArray> signJws(QByteArrayView payload, const SigningKey &key,
                           const QJsonObject &extraHeader = {});
// signJws of the compact JSON of `claims`, with typ "JWT" unless extraHeader sets typ.
Result<QByteArray> signJwt(const QJsonObject &claims, const SigningKey &key,
                           const QJsonObject &extraHeader = {});

// Verifies a compact JWS against `keys` with the caller's pinned algorithm.
// - InvalidInput: over kJwsMaxTokenBytes, not exactly 3 segments, non-strict base64url (padding,
//   whitespace, '+', '/', other characters, non-zero trailing bits), header not a JSON object,
//   duplicate header members, alg not a string.
// - Unauthorized: alg "none" in any case; alg not exactly `pinned`; any "crit" (we implement no
//   extensions) or "b64" other than true; the kid's key not usable with `pinned`; no candidate key;
//   a signature that does not verify.
// - NotFound: the token names a kid the set does not hold (the caller may refresh the JWKS once
//   and retry).
// Key choice: with a kid, only keys with that kid; without one, every key that supports `pinned`
// is tried in order (at most kJwksMaxKeys signature checks). MACs are compared in constant time.
Result<VerifiedJws> verifyJws(QByteArrayView token, const JwkSet &keys, JwsAlgorithm pinned);

struct VerifiedJwt
{
    QJsonObject header;
    QJsonObject claims;
    Jwk key;
};

// verifyJws plus: the payload must be a strict JSON object (duplicate members refused), and a
// "typ" header, when present, must be "JWT" (case-insensitive) — so, for example, an at+jwt
// access token is not accepted where an ID token is expected.
Result<VerifiedJwt> verifyJwt(QByteArrayView token, const JwkSet &keys, JwsAlgorithm pinned);

struct IdTokenExpectations
{
    QString issuer;   // exact, case-sensitive match (no trailing-slash normalisation)
    QString clientId; // must be in aud; azp, when present or with several audiences, must equal it
    JwsAlgorithm algorithm = JwsAlgorithm::RS256; // pinned per connection
    std::optional<QString> nonce;                 // when set, the token must carry exactly it
    std::chrono::seconds allowedSkew{60};
    std::optional<std::chrono::seconds> maxAge; // when set, auth_time is required and checked
    QDateTime now;                              // invalid = the current time
};

struct IdTokenClaims
{
    QString subject;
    QString issuer;
    QStringList audiences;
    QString authorizedParty; // azp, empty when absent
    QDateTime expiresAt;     // UTC
    QDateTime issuedAt;      // UTC
    std::optional<QString> nonce;
    std::optional<QDateTime> authTime;
    QStringList amr;
    QString acr;
    QString email;
    std::optional<bool> emailVerified;
    QString name;
    QString givenName;
    QString familyName;
    QStringList groups;  // the "groups" claim (an array of strings, or one string)
    QJsonObject payload; // every claim, for role-mapping rules
};

// OpenID Connect Core 1.0 §3.1.3.7 on top of verifyJwt. Failures of the claim checks are
// Unauthorized with a message naming the check ("exp", "aud", "nonce", ...), never a claim value
// other than the configured issuer or client id. Signature-level errors are as in verifyJws
// (including NotFound for an unknown kid).
Result<IdTokenClaims> validateIdToken(QByteArrayView token, const JwkSet &keys,
                                      const IdTokenExpectations &expect);

// RFC 7523 §2.2 client assertion for private_key_jwt: iss = sub = clientId, aud = tokenEndpoint,
// a random jti (128 bits), iat = now, exp = iat + lifetime; signed with `key` and its algorithm
// (typ "JWT", kid when the key has one). `now` invalid = the current time.
Result<QByteArray> buildClientAssertion(const SigningKey &key, const QString &clientId,
                                        const QString &tokenEndpoint, const QDateTime &now = {},
                                        std::chrono::seconds lifetime = std::chrono::seconds(60));

// RFC 7636 PKCE. A verifier of `length` characters (43..128; InvalidInput otherwise) from the
// base64url alphabet (a subset of the unreserved characters), each carrying 6 random bits.
Result<QByteArray> pkceVerifier(int length = 64);
// S256: base64url(SHA-256(ASCII(verifier))).
QByteArray pkceChallengeS256(QByteArrayView verifier);
// A state or nonce value: base64url of `bytes` random bytes (16..64; default 32 = 256 bits).
Result<QByteArray> randomState(int bytes = 32);

// Strict base64url (RFC 4648 §5, no padding, no whitespace, zero trailing bits), exposed for the
// OIDC flow's other parsers. InvalidInput on any deviation.
Result<QByteArray> base64UrlDecodeStrict(QByteArrayView text);

} // namespace upcoach::identity
