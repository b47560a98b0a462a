// Private to upcoach_compliance: the one JSON-object parser the event and bundle readers share.
#pragma once

#include "upcoach/core/result.h"

#include <QByteArrayView>
#include <QJsonObject>

namespace upcoach::compliance {

// A JSON document that must be an object; the error says where the text stopped being JSON.
Result<QJsonObject> parseJsonObject(QByteArrayView text);

} // namespace upcoach::compliance
