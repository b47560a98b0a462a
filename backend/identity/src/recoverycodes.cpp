#include "upcoach/identity/recoverycodes.h"

#include "upcoach/core/crypto.h"

#include <QByteArray>
#include <QList>
#include <QSet>
#include <openssl/evp.h>

namespace upcoach::identity {

namespace {

constexpr int kAlphabetSize = int(sizeof kRecoveryCodeAlphabet) - 1; // 31
constexpr int kSaltBytes = 16;
constexpr int kMinSaltBytes = 16;
constexpr int kMaxSaltBytes = 64;
constexpr int kHashBytes = 32;
constexpr int kMinIterations = 1000;
constexpr int kMaxStoredEntries = 100;
constexpr qsizetype kMaxInput = 64;
constexpr qsizetype kMaxStoredEntryLength = 256;

const QByteArray &hashPrefix()
{
    static const QByteArray prefix = QByteArrayLiteral("pbkdf2-sha256");
    return prefix;
}

bool inAlphabet(char c)
{
    for (int i = 0; i < kAlphabetSize; ++i) {
        if (kRecoveryCodeAlphabet[i] == c)
            return true;
    }
    return false;
}

// Ten alphabet symbols, uppercase, no hyphen; empty on malformed input.
QByteArray normalised(QStringView input)
{
    QByteArray out;
    if (input.size() > kMaxInput)
        return out;
    out.reserve(kRecoveryCodeLength);
    for (const QChar c : input) {
        char16_t u = c.unicode();
        if (u == u' ' || u == u'-')
            continue;
        if (u >= u'a' && u <= u'z')
            u = char16_t(u - u'a' + u'A');
        if (u > 0x7f || !inAlphabet(char(u)) || out.size() >= kRecoveryCodeLength) {
            crypto::secureWipe(out);
            return QByteArray();
        }
        out.append(char(u));
    }
    if (out.size() != kRecoveryCodeLength)
        crypto::secureWipe(out);
    return out;
}

Error notARecoveryCode()
{
    return makeError(
        ErrorCode::InvalidInput,
        QStringLiteral("a recovery code has %1 letters and digits").arg(kRecoveryCodeLength));
}

bool pbkdf2(const QByteArray &code, const QByteArray &salt, int iterations, QByteArray &out)
{
    out = QByteArray(kHashBytes, Qt::Uninitialized);
    return PKCS5_PBKDF2_HMAC(code.constData(), int(code.size()),
                             reinterpret_cast<const unsigned char *>(salt.constData()),
                             int(salt.size()), iterations, EVP_sha256(), kHashBytes,
                             reinterpret_cast<unsigned char *>(out.data())) == 1;
}

// Strict base64url without padding: decoding must succeed and re-encode to the same text.
bool decodeBase64Url(const QByteArray &text, QByteArray &out)
{
    auto decoded = QByteArray::fromBase64Encoding(
        text, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || crypto::base64Url(*decoded) != text)
        return false;
    out = *decoded;
    return true;
}

struct StoredHash
{
    int iterations = 0;
    QByteArray salt;
    QByteArray hash;
};

bool parseStored(const QString &entry, StoredHash &parsed)
{
    if (entry.isEmpty() || entry.size() > kMaxStoredEntryLength)
        return false;
    const QByteArray utf8 = entry.toUtf8();
    const QList<QByteArray> parts = utf8.split('$');
    if (parts.size() != 4 || parts[0] != hashPrefix())
        return false;
    const QByteArray &count = parts[1];
    if (count.isEmpty() || count.size() > 7 || count.startsWith('0'))
        return false;
    for (const char c : count) {
        if (c < '0' || c > '9')
            return false;
    }
    const int iterations = count.toInt();
    if (iterations < kMinIterations || iterations > kRecoveryCodeMaxIterations)
        return false;
    if (!decodeBase64Url(parts[2], parsed.salt) || parsed.salt.size() < kMinSaltBytes ||
        parsed.salt.size() > kMaxSaltBytes)
        return false;
    if (!decodeBase64Url(parts[3], parsed.hash) || parsed.hash.size() != kHashBytes)
        return false;
    parsed.iterations = iterations;
    return true;
}

Result<QString> hashNormalised(const QByteArray &code)
{
    auto salt = crypto::randomBytes(kSaltBytes);
    if (!salt)
        return salt.error();
    QByteArray hash;
    if (!pbkdf2(code, *salt, kRecoveryCodeIterations, hash))
        return makeError(ErrorCode::Internal, QStringLiteral("PBKDF2 failed"));
    return QString(QString::fromLatin1(hashPrefix()) + u'$' +
                   QString::number(kRecoveryCodeIterations) + u'$' +
                   QString::fromLatin1(crypto::base64Url(*salt)) + u'$' +
                   QString::fromLatin1(crypto::base64Url(hash)));
}

} // namespace

Result<QString> normaliseRecoveryCode(QStringView input)
{
    QByteArray code = normalised(input);
    if (code.isEmpty())
        return notARecoveryCode();
    const QString out = QString::fromLatin1(code);
    crypto::secureWipe(code);
    return out;
}

Result<QString> hashRecoveryCode(QStringView code)
{
    QByteArray normal = normalised(code);
    if (normal.isEmpty())
        return notARecoveryCode();
    auto hashed = hashNormalised(normal);
    crypto::secureWipe(normal);
    return hashed;
}

Result<RecoveryCodes> generateRecoveryCodes(int count)
{
    if (count < 1 || count > kRecoveryCodeMaxCount)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("between 1 and %1 recovery codes, not %2")
                             .arg(kRecoveryCodeMaxCount)
                             .arg(count));
    RecoveryCodes result;
    QSet<QByteArray> seen;
    // Rejection sampling keeps the symbols uniform: bytes >= 248 (8 * 31) are dropped.
    constexpr int kAcceptBelow = (256 / kAlphabetSize) * kAlphabetSize;
    QByteArray pool;
    qsizetype used = 0;
    while (result.codes.size() < count) {
        QByteArray code;
        code.reserve(kRecoveryCodeLength);
        while (code.size() < kRecoveryCodeLength) {
            if (used >= pool.size()) {
                crypto::secureWipe(pool);
                auto fresh = crypto::randomBytes(64);
                if (!fresh)
                    return fresh.error();
                pool = std::move(*fresh);
                used = 0;
            }
            const int byte = static_cast<unsigned char>(pool[used++]);
            if (byte < kAcceptBelow)
                code.append(kRecoveryCodeAlphabet[byte % kAlphabetSize]);
        }
        if (seen.contains(code))
            continue; // ~2^-50 per pair; retried rather than shown twice
        seen.insert(code);
        auto hashed = hashNormalised(code);
        if (!hashed)
            return hashed.error();
        result.codes.append(QString::fromLatin1(code.left(5)) + u'-' +
                            QString::fromLatin1(code.mid(5)));
        result.hashes.append(std::move(*hashed));
        crypto::secureWipe(code);
    }
    crypto::secureWipe(pool);
    return result;
}

Result<int> matchRecoveryCode(QStringView input, const QStringList &storedHashes)
{
    if (storedHashes.size() > kMaxStoredEntries)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("more than %1 stored recovery codes").arg(kMaxStoredEntries));
    QByteArray code = normalised(input);
    if (code.isEmpty())
        return notARecoveryCode();

    int matched = -1;
    bool failed = false;
    // Every well-formed entry is hashed and compared; the first match is kept but the loop
    // goes on, so the time does not tell which entry matched.
    for (qsizetype i = 0; i < storedHashes.size(); ++i) {
        StoredHash stored;
        if (!parseStored(storedHashes[i], stored))
            continue;
        QByteArray candidate;
        if (!pbkdf2(code, stored.salt, stored.iterations, candidate)) {
            failed = true;
            continue;
        }
        const bool equal = crypto::constantTimeEquals(candidate, stored.hash);
        if (equal & (matched < 0))
            matched = int(i);
        crypto::secureWipe(candidate);
    }
    crypto::secureWipe(code);
    if (matched >= 0)
        return matched;
    if (failed)
        return makeError(ErrorCode::Internal, QStringLiteral("PBKDF2 failed"));
    return makeError(ErrorCode::Unauthorized, QStringLiteral("the recovery code is not valid"));
}

} // namespace upcoach::identity
