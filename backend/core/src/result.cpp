#include "upcoach/core/result.h"

namespace upcoach {

QString errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidInput:
        return QStringLiteral("invalid-input");
    case ErrorCode::NotFound:
        return QStringLiteral("not-found");
    case ErrorCode::Conflict:
        return QStringLiteral("conflict");
    case ErrorCode::Unavailable:
        return QStringLiteral("unavailable");
    case ErrorCode::Unauthorized:
        return QStringLiteral("unauthorized");
    case ErrorCode::Forbidden:
        return QStringLiteral("forbidden");
    case ErrorCode::Config:
        return QStringLiteral("config");
    case ErrorCode::Internal:
        return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

} // namespace upcoach
