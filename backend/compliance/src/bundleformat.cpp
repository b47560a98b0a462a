#include "bundleformat.h"

#include "upcoach/compliance/auditevent.h"

#include <QJsonArray>
#include <QJsonValue>
#include <algorithm>
#include <limits>

namespace upcoach::compliance::bundle {

Error invalid(const QString &message)
{
    return makeError(ErrorCode::InvalidInput, message);
}

Status requireExactKeys(const QJsonObject &object, std::initializer_list<const char *> names)
{
    for (const char *name : names)
        if (!object.contains(QLatin1String(name)))
            return invalid(QLatin1String(name) + QStringLiteral(": missing"));
    if (object.size() != qsizetype(names.size())) {
        for (auto it = object.begin(); it != object.end(); ++it)
            if (std::none_of(names.begin(), names.end(),
                             [&](const char *name) { return it.key() == QLatin1String(name); }))
                return invalid(QStringLiteral("unknown field '%1'").arg(it.key().left(64)));
    }
    return {};
}

Result<uint64_t> uintField(const QJsonObject &object, const char *name, uint64_t max)
{
    const QJsonValue value = object.value(QLatin1String(name));
    constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
    const qint64 number = value.isDouble() ? value.toInteger(notWhole) : notWhole;
    if (number < 0 || uint64_t(number) > max)
        return invalid(QLatin1String(name) + QStringLiteral(": not an integer in 0..%1").arg(max));
    return uint64_t(number);
}

Result<QString> stringField(const QJsonObject &object, const char *name)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (!value.isString())
        return invalid(QLatin1String(name) + QStringLiteral(": not a string"));
    return value.toString();
}

Result<QDateTime> optionalTimeField(const QJsonObject &object, const char *name)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (value.isNull())
        return QDateTime();
    if (!value.isString())
        return invalid(QLatin1String(name) + QStringLiteral(": not a time or null"));
    Result<QDateTime> time = auditTimeFromString(value.toString());
    if (!time)
        return time.error().context(QLatin1String(name));
    return time;
}

Result<Hash> hashField(const QJsonObject &object, const char *name)
{
    Result<QString> text = stringField(object, name);
    if (!text)
        return text.error();
    Result<Hash> hash = hashFromHex(*text);
    if (!hash)
        return invalid(QLatin1String(name) + QStringLiteral(": not 64 hex digits"));
    return hash;
}

Result<std::vector<Hash>> hashListField(const QJsonObject &object, const char *name)
{
    const QJsonValue value = object.value(QLatin1String(name));
    if (!value.isArray())
        return invalid(QLatin1String(name) + QStringLiteral(": not an array"));
    const QJsonArray array = value.toArray();
    if (array.size() > kMaxProofHashes)
        return invalid(QLatin1String(name) +
                       QStringLiteral(": more than %1 hashes").arg(kMaxProofHashes));
    std::vector<Hash> hashes;
    hashes.reserve(size_t(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i) {
        Result<Hash> hash = array.at(i).isString() ? hashFromHex(array.at(i).toString())
                                                   : Result<Hash>(invalid(QString()));
        if (!hash)
            return invalid(QLatin1String(name) + QStringLiteral("[%1]: not 64 hex digits").arg(i));
        hashes.push_back(*hash);
    }
    return hashes;
}

Result<QByteArray> base64Field(const QJsonObject &object, const char *name, qsizetype size)
{
    Result<QString> text = stringField(object, name);
    if (!text)
        return text.error();
    auto decoded =
        QByteArray::fromBase64Encoding(text->toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() != size ||
        decoded.decoded.toBase64() != text->toLatin1())
        return invalid(QLatin1String(name) + QStringLiteral(": not %1 bytes of base64").arg(size));
    return decoded.decoded;
}

} // namespace upcoach::compliance::bundle
