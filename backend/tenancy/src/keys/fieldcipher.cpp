#include "upcoach/tenancy/fieldcipher.h"

#include "upcoach/core/crypto.h"
#include "wireformat.h"

namespace upcoach::tenancy {

namespace {

const QLatin1String kPrefix("ucf1.");
const QByteArray kAadMagic = QByteArrayLiteral("ucf1");
constexpr qsizetype kMaxRowIdBytes = 256;
constexpr qsizetype kMinPayloadBytes = crypto::kAesGcmNonceBytes + crypto::kAesGcmTagBytes;
constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

Error malformed(const QString &problem)
{
    return makeError(ErrorCode::InvalidInput,
                     QStringLiteral("not a valid encrypted field value (ucf1.<key "
                                    "version>.<base64url data>): %1")
                         .arg(problem));
}

// [a-z_][a-z0-9_]{0,62}: a plain SQL identifier (checked by hand: this is on every call).
bool isIdentifier(const QString &name)
{
    if (name.isEmpty() || name.size() > 63)
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        const char16_t c = name.at(i).unicode();
        const bool letter = (c >= 'a' && c <= 'z') || c == '_';
        if (!letter && (i == 0 || c < '0' || c > '9'))
            return false;
    }
    return true;
}

Status checkLocation(const FieldLocation &where)
{
    if (where.tenantId.isNull())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("the tenant id is empty"));
    if (!isIdentifier(where.table))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("table \"%1\" is not an SQL identifier ([a-z_][a-z0-9_]*, "
                                        "at most 63 characters)")
                             .arg(where.table.left(80)));
    if (!isIdentifier(where.column))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("column \"%1\" is not an SQL identifier ([a-z_][a-z0-9_]*, "
                                        "at most 63 characters)")
                             .arg(where.column.left(80)));
    const qsizetype rowBytes = where.rowId.toUtf8().size();
    if (rowBytes == 0 || rowBytes > kMaxRowIdBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the row id must be 1 to %1 bytes of UTF-8, not %2")
                             .arg(kMaxRowIdBytes)
                             .arg(rowBytes));
    return {};
}

struct ParsedValue
{
    int version = 0;
    QByteArray nonce;
    QByteArray ciphertext;
    QByteArray tag;
};

Result<ParsedValue> parseValue(const QString &value)
{
    if (value.size() > FieldCipher::kMaxValueChars)
        return malformed(QStringLiteral("%1 characters, more than the %2 an encrypted field can "
                                        "be")
                             .arg(value.size())
                             .arg(FieldCipher::kMaxValueChars));
    if (!value.startsWith(kPrefix))
        return malformed(value.isEmpty() ? QStringLiteral("the value is empty")
                                         : QStringLiteral("it does not start with \"ucf1.\""));
    const qsizetype dot = value.indexOf(QLatin1Char('.'), kPrefix.size());
    if (dot < 0)
        return malformed(QStringLiteral("truncated after the key version"));
    const QStringView versionText = QStringView(value).sliced(kPrefix.size(), dot - kPrefix.size());
    bool numeric = !versionText.isEmpty() && versionText.size() <= 9 &&
                   versionText.front() != QLatin1Char('0');
    for (const QChar c : versionText)
        numeric = numeric && c >= QLatin1Char('0') && c <= QLatin1Char('9');
    if (!numeric)
        return malformed(QStringLiteral("the key version must be a whole number from 1"));
    ParsedValue parsed;
    parsed.version = versionText.toInt();
    const QStringView data = QStringView(value).sliced(dot + 1);
    for (const QChar c : data) {
        const char16_t u = c.unicode();
        const bool alphabet = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
                              (u >= '0' && u <= '9') || u == '-' || u == '_';
        if (!alphabet)
            return malformed(QStringLiteral("the data is not base64url"));
    }
    const QByteArray encoded = data.toLatin1();
    auto decoded = QByteArray::fromBase64Encoding(
        encoded, kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.toBase64(kBase64Url) != encoded)
        return malformed(QStringLiteral("the data is not canonical base64url"));
    const QByteArray &bytes = decoded.decoded;
    if (bytes.size() < kMinPayloadBytes)
        return malformed(QStringLiteral("truncated: %1 bytes of data, a value has at least %2 "
                                        "(nonce and tag)")
                             .arg(bytes.size())
                             .arg(kMinPayloadBytes));
    parsed.nonce = bytes.first(crypto::kAesGcmNonceBytes);
    parsed.ciphertext = bytes.sliced(crypto::kAesGcmNonceBytes, bytes.size() - kMinPayloadBytes);
    parsed.tag = bytes.last(crypto::kAesGcmTagBytes);
    return parsed;
}

QString format(int version, const crypto::AesGcmSealed &sealed)
{
    const QByteArray payload = sealed.nonce + sealed.ciphertext + sealed.tag;
    return kPrefix + QString::number(version) + QLatin1Char('.') +
           QString::fromLatin1(payload.toBase64(kBase64Url));
}

Result<QString> sealWith(const DataKey &key, const FieldLocation &where, QByteArrayView plaintext)
{
    auto aad = FieldCipher::associatedData(where, key.version());
    if (!aad)
        return aad.error();
    auto sealed = key.seal(plaintext, aad.value());
    if (!sealed)
        return sealed.error();
    return format(key.version(), sealed.value());
}

} // namespace

FieldCipher::FieldCipher(TenantKeyStore &keys)
    : m_keys(keys)
{}

Result<QByteArray> FieldCipher::associatedData(const FieldLocation &where, int keyVersion)
{
    if (auto checked = checkLocation(where); !checked)
        return checked.error();
    if (keyVersion < 1)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("key versions start at 1, not %1").arg(keyVersion));
    QByteArray aad = kAadMagic;
    wire::appendLengthPrefixed(aad, where.tenantId.toRfc4122());
    wire::appendLengthPrefixed(aad, where.table.toUtf8());
    wire::appendLengthPrefixed(aad, where.column.toUtf8());
    wire::appendLengthPrefixed(aad, where.rowId.toUtf8());
    aad.append(wire::uint32BigEndian(uint32_t(keyVersion)));
    return aad;
}

Result<int> FieldCipher::keyVersionOf(const QString &value)
{
    auto parsed = parseValue(value);
    if (!parsed)
        return parsed.error();
    return parsed->version;
}

Result<QString> FieldCipher::encrypt(const FieldLocation &where, QByteArrayView plaintext)
{
    if (auto checked = checkLocation(where); !checked)
        return checked.error();
    if (plaintext.size() > kMaxPlaintextBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a field value is at most %1 bytes, not %2")
                             .arg(kMaxPlaintextBytes)
                             .arg(plaintext.size()));
    auto key = m_keys.currentKey(where.tenantId);
    if (!key)
        return key.error();
    return sealWith(*key.value(), where, plaintext);
}

Result<QByteArray> FieldCipher::decrypt(const FieldLocation &where, const QString &value)
{
    if (auto checked = checkLocation(where); !checked)
        return checked.error();
    auto parsed = parseValue(value);
    if (!parsed)
        return parsed.error();
    auto aad = associatedData(where, parsed->version);
    if (!aad)
        return aad.error();
    auto key = m_keys.keyByVersion(where.tenantId, parsed->version);
    if (!key)
        return key.error();
    auto plain = key.value()->open(parsed->nonce, parsed->ciphertext, parsed->tag, aad.value());
    if (!plain && plain.error().code == ErrorCode::Unauthorized)
        return makeError(ErrorCode::Unauthorized,
                         QStringLiteral("the encrypted value of %1.%2 does not decrypt here: it "
                                        "was changed, or it belongs to another row, column, table "
                                        "or tenant")
                             .arg(where.table, where.column));
    return plain;
}

Result<QString> FieldCipher::reencrypt(const FieldLocation &where, const QString &value)
{
    auto version = keyVersionOf(value);
    if (!version)
        return version.error();
    auto current = m_keys.currentKey(where.tenantId);
    if (!current)
        return current.error();
    if (version.value() == current.value()->version()) {
        // Still authenticate it, so a re-encryption job never blesses a foreign value.
        auto plain = decrypt(where, value);
        if (!plain)
            return plain.error();
        crypto::secureWipe(plain.value());
        return value;
    }
    auto plain = decrypt(where, value);
    if (!plain)
        return plain.error();
    auto sealed = sealWith(*current.value(), where, plain.value());
    crypto::secureWipe(plain.value());
    return sealed;
}

} // namespace upcoach::tenancy
