#include "upcoach/identity/totp.h"

#include "upcoach/core/crypto.h"

#include <QUrl>
#include <climits>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace upcoach::identity {

namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr qsizetype kBase32MaxInput = 1024;
// A code with more characters than this is refused before any other work.
constexpr qsizetype kMaxCodeInput = 64;

const EVP_MD *digestFor(TotpAlgorithm algorithm)
{
    switch (algorithm) {
    case TotpAlgorithm::Sha1:
        return EVP_sha1();
    case TotpAlgorithm::Sha256:
        return EVP_sha256();
    case TotpAlgorithm::Sha512:
        return EVP_sha512();
    }
    return nullptr;
}

Status checkSecret(QByteArrayView secret)
{
    if (secret.size() < kTotpMinSecretBytes || secret.size() > kTotpMaxSecretBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("an OTP secret must have %1 to %2 bytes, not %3")
                             .arg(kTotpMinSecretBytes)
                             .arg(kTotpMaxSecretBytes)
                             .arg(secret.size()));
    return {};
}

Status checkDigits(int digits)
{
    if (digits < 6 || digits > 8)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("an OTP has 6 to 8 digits, not %1").arg(digits));
    return {};
}

Status checkParams(const TotpParameters &params)
{
    if (!digestFor(params.algorithm))
        return makeError(ErrorCode::InvalidInput, QStringLiteral("unknown TOTP algorithm"));
    if (params.digits != 6 && params.digits != 8)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("a TOTP code has 6 or 8 digits, not %1").arg(params.digits));
    if (params.period < 10 || params.period > 300)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("a TOTP period is 10 to 300 seconds, not %1").arg(params.period));
    return {};
}

// RFC 4226 §5.3 into `out` (exactly `digits` ASCII digits). Inputs are already checked.
bool hotpInto(QByteArrayView secret, quint64 counter, TotpAlgorithm algorithm, int digits,
              char *out)
{
    unsigned char message[8];
    for (int i = 7; i >= 0; --i) {
        message[i] = static_cast<unsigned char>(counter & 0xffU);
        counter >>= 8;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int macLength = 0;
    if (!HMAC(digestFor(algorithm), secret.data(), int(secret.size()), message, sizeof message, mac,
              &macLength) ||
        macLength < 20) {
        OPENSSL_cleanse(mac, sizeof mac);
        return false;
    }
    const unsigned offset = mac[macLength - 1] & 0x0fU;
    quint32 binary = (quint32(mac[offset] & 0x7fU) << 24) | (quint32(mac[offset + 1]) << 16) |
                     (quint32(mac[offset + 2]) << 8) | quint32(mac[offset + 3]);
    OPENSSL_cleanse(mac, sizeof mac);
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = char('0' + binary % 10);
        binary /= 10;
    }
    return true;
}

Error hmacFailed()
{
    return makeError(ErrorCode::Internal, QStringLiteral("HMAC computation failed"));
}

Error codeNotValid()
{
    return makeError(ErrorCode::Unauthorized, QStringLiteral("the code is not valid"));
}

// Rejects control and format characters (bidirectional overrides would let an issuer spoof
// another in the authenticator's list) and broken UTF-16.
bool hasForbiddenCharacters(const QString &text)
{
    if (!text.isValidUtf16())
        return true;
    for (const QChar c : text) {
        if (c == u':')
            return true;
        const QChar::Category category = c.category();
        if (category == QChar::Other_Control || category == QChar::Other_Format)
            return true;
    }
    return false;
}

QString percentEncoded(const QString &text)
{
    // Everything except RFC 3986 unreserved characters and '@' (a pchar, kept so e-mail
    // addresses read as such); a space becomes %20, never '+'.
    return QString::fromLatin1(QUrl::toPercentEncoding(text, QByteArrayLiteral("@")));
}

} // namespace

QString totpAlgorithmName(TotpAlgorithm algorithm)
{
    switch (algorithm) {
    case TotpAlgorithm::Sha1:
        return QStringLiteral("SHA1");
    case TotpAlgorithm::Sha256:
        return QStringLiteral("SHA256");
    case TotpAlgorithm::Sha512:
        return QStringLiteral("SHA512");
    }
    return QString();
}

QString base32Encode(QByteArrayView data)
{
    QString out;
    out.reserve((data.size() * 8 + 4) / 5);
    quint32 buffer = 0;
    int bits = 0;
    for (const char byte : data) {
        buffer = (buffer << 8) | quint32(static_cast<unsigned char>(byte));
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.append(QLatin1Char(kBase32Alphabet[(buffer >> bits) & 0x1fU]));
        }
        buffer &= (1U << bits) - 1U;
    }
    if (bits > 0)
        out.append(QLatin1Char(kBase32Alphabet[(buffer << (5 - bits)) & 0x1fU]));
    return out;
}

Result<QByteArray> base32Decode(QStringView text)
{
    if (text.size() > kBase32MaxInput)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("base32 text is longer than %1 characters").arg(kBase32MaxInput));
    QByteArray out;
    out.reserve(text.size() * 5 / 8 + 1);
    quint32 buffer = 0;
    int bits = 0;
    qsizetype symbols = 0;
    qsizetype padding = 0;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u' ' || u == u'-')
            continue;
        if (u == u'=') {
            ++padding;
            continue;
        }
        if (padding > 0)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("base32 text has characters after its padding"));
        quint32 value = 0;
        if (u >= u'A' && u <= u'Z')
            value = u - u'A';
        else if (u >= u'a' && u <= u'z')
            value = u - u'a';
        else if (u >= u'2' && u <= u'7')
            value = 26 + (u - u'2');
        else
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("base32 text has a character outside A-Z and 2-7"));
        ++symbols;
        buffer = (buffer << 5) | value;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.append(char((buffer >> bits) & 0xffU));
            buffer &= (1U << bits) - 1U;
        }
    }
    // Legal final groups: 0, 2, 4, 5 or 7 symbols (8, 16, 24, 32 bits of data), padded to 8.
    const qsizetype remainder = symbols % 8;
    if (remainder == 1 || remainder == 3 || remainder == 6)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("base32 text has a bad length"));
    if (padding > 0 && (remainder == 0 || (symbols + padding) % 8 != 0))
        return makeError(ErrorCode::InvalidInput, QStringLiteral("base32 padding is wrong"));
    if (buffer != 0) // non-canonical: the unused trailing bits must be zero
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("base32 text has non-zero trailing bits"));
    return out;
}

Result<QByteArray> generateTotpSecret(TotpAlgorithm algorithm)
{
    switch (algorithm) {
    case TotpAlgorithm::Sha1:
        return crypto::randomBytes(20);
    case TotpAlgorithm::Sha256:
        return crypto::randomBytes(32);
    case TotpAlgorithm::Sha512:
        return crypto::randomBytes(64);
    }
    return makeError(ErrorCode::InvalidInput, QStringLiteral("unknown TOTP algorithm"));
}

Result<QString> hotp(QByteArrayView secret, quint64 counter, TotpAlgorithm algorithm, int digits)
{
    if (Status status = checkSecret(secret); !status)
        return status.error();
    if (Status status = checkDigits(digits); !status)
        return status.error();
    if (!digestFor(algorithm))
        return makeError(ErrorCode::InvalidInput, QStringLiteral("unknown OTP algorithm"));
    char code[8];
    if (!hotpInto(secret, counter, algorithm, digits, code))
        return hmacFailed();
    return QString::fromLatin1(code, digits);
}

qint64 totpStep(qint64 unixSeconds, int period)
{
    if (unixSeconds < 0 || period <= 0)
        return -1;
    return unixSeconds / period;
}

Result<QString> totp(QByteArrayView secret, qint64 unixSeconds, const TotpParameters &params)
{
    if (Status status = checkParams(params); !status)
        return status.error();
    if (unixSeconds < 0)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("the time is before 1970"));
    return hotp(secret, quint64(totpStep(unixSeconds, params.period)), params.algorithm,
                params.digits);
}

Result<qint64> verifyTotp(QByteArrayView secret, QStringView code, const TotpParameters &params,
                          qint64 nowUnixSeconds, int window, std::optional<qint64> lastUsedStep)
{
    if (code.size() > kMaxCodeInput)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("the code is too long"));
    if (Status status = checkParams(params); !status)
        return status.error();
    if (Status status = checkSecret(secret); !status)
        return status.error();
    if (window < 0 || window > kTotpMaxWindow)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a TOTP window is 0 to %1 steps").arg(kTotpMaxWindow));
    if (nowUnixSeconds < 0)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("the time is before 1970"));

    // Exactly `digits` ASCII digits once ASCII spaces are gone; QChar::isDigit() would let
    // Arabic-Indic or full-width digits through, so compare code units.
    QByteArray typed;
    typed.reserve(params.digits);
    for (const QChar c : code) {
        const char16_t u = c.unicode();
        if (u == u' ')
            continue;
        if (u < u'0' || u > u'9' || typed.size() >= params.digits) {
            crypto::secureWipe(typed);
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("the code must be %1 digits").arg(params.digits));
        }
        typed.append(char(u));
    }
    if (typed.size() != params.digits) {
        crypto::secureWipe(typed);
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the code must be %1 digits").arg(params.digits));
    }

    const qint64 current = totpStep(nowUnixSeconds, params.period);
    qint64 matched = -1;
    int matchedDistance = INT_MAX;
    bool failed = false;
    QByteArray expected(params.digits, '0');
    // Every step of the window is computed and compared: the time taken does not depend on
    // which step (if any) matched. Among several matches the one nearest now wins, the earlier
    // on a tie.
    for (int offset = -window; offset <= window; ++offset) {
        const qint64 step = current + offset;
        if (step < 0)
            continue;
        if (!hotpInto(secret, quint64(step), params.algorithm, params.digits, expected.data())) {
            failed = true;
            continue;
        }
        const bool equal = crypto::constantTimeEquals(expected, typed);
        const bool unused = !lastUsedStep || step > *lastUsedStep;
        const int distance = offset < 0 ? -offset : offset;
        if (equal & unused & (distance < matchedDistance)) {
            matched = step;
            matchedDistance = distance;
        }
    }
    crypto::secureWipe(expected);
    crypto::secureWipe(typed);
    if (matched >= 0)
        return matched;
    if (failed)
        return hmacFailed();
    return codeNotValid();
}

Result<QString> otpauthUri(const QString &issuer, const QString &account, QByteArrayView secret,
                           const TotpParameters &params)
{
    if (issuer.trimmed().isEmpty() || issuer.size() > kOtpauthMaxIssuerLength)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("an issuer has 1 to %1 characters").arg(kOtpauthMaxIssuerLength));
    if (account.trimmed().isEmpty() || account.size() > kOtpauthMaxAccountLength)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("an account name has 1 to %1 characters").arg(kOtpauthMaxAccountLength));
    if (hasForbiddenCharacters(issuer))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("an issuer may not contain a colon or control characters"));
    if (hasForbiddenCharacters(account))
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("an account name may not contain a colon or control characters"));
    if (Status status = checkSecret(secret); !status)
        return status.error();
    if (Status status = checkParams(params); !status)
        return status.error();

    const QString encodedIssuer = percentEncoded(issuer);
    return QString(QStringLiteral("otpauth://totp/") + encodedIssuer + u':' +
                   percentEncoded(account) + QStringLiteral("?secret=") + base32Encode(secret) +
                   QStringLiteral("&issuer=") + encodedIssuer + QStringLiteral("&algorithm=") +
                   totpAlgorithmName(params.algorithm) + QStringLiteral("&digits=") +
                   QString::number(params.digits) + QStringLiteral("&period=") +
                   QString::number(params.period));
}

} // namespace upcoach::identity
