// SCIM 2.0 errors (RFC 7644 §3.12) as values: an HTTP status, the `scimType` keyword and a
// detail message. ScimResult<T> is upcoach::Result<T> carrying a ScimError, because a
// SCIM endpoint must answer with the status and scimType, which upcoach::Error cannot hold;
// toError() converts at the boundary to the rest of the backend.
#pragma once

#include "upcoach/core/result.h"

#include <QJsonObject>
#include <QString>
#include <utility>
#include <variant>

namespace upcoach::identity::scim {

// The scimType keywords of RFC 7644 §3.12, Table 9.
namespace scimtype {
inline QString invalidFilter()
{
    return QStringLiteral("invalidFilter");
}
inline QString tooMany()
{
    return QStringLiteral("tooMany");
}
inline QString uniqueness()
{
    return QStringLiteral("uniqueness");
}
inline QString mutability()
{
    return QStringLiteral("mutability");
}
inline QString invalidSyntax()
{
    return QStringLiteral("invalidSyntax");
}
inline QString invalidPath()
{
    return QStringLiteral("invalidPath");
}
inline QString noTarget()
{
    return QStringLiteral("noTarget");
}
inline QString invalidValue()
{
    return QStringLiteral("invalidValue");
}
inline QString invalidVers()
{
    return QStringLiteral("invalidVers");
}
inline QString sensitive()
{
    return QStringLiteral("sensitive");
}
} // namespace scimtype

struct ScimError
{
    int status = 400;
    QString scimType; // empty for errors without a keyword (404, 500)
    // Names the attribute path or the filter position; never echoes a whole attribute value.
    QString detail;

    static ScimError badRequest(QString type, QString message)
    {
        return {400, std::move(type), std::move(message)};
    }
    // The RFC 7644 §3.12 error body: schemas, status (a string), scimType, detail.
    QJsonObject toJson() const;
    // For logs and the rest of the backend: 400 → InvalidInput, 404 → NotFound,
    // 409/412 → Conflict, 413 and others 4xx → InvalidInput, 5xx → Internal.
    Error toError() const;
};

template<typename T> using ScimResult = Result<T, ScimError>;
using ScimStatus = Result<void, ScimError>;

} // namespace upcoach::identity::scim
