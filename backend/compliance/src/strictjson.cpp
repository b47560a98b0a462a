#include "strictjson.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace upcoach::compliance {

Result<QJsonObject> parseJsonObject(QByteArrayView text)
{
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(text.data(), text.size()), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("not valid JSON (%1 at offset %2)")
                                                      .arg(parseError.errorString())
                                                      .arg(parseError.offset));
    if (!document.isObject())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("not a JSON object"));
    return document.object();
}

} // namespace upcoach::compliance
