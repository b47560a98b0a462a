#pragma once

#include <QLoggingCategory>

namespace upcoach::tenancy {
// upcoach.tenancy: never a tenant owner's name or email, never a key.
Q_DECLARE_LOGGING_CATEGORY(lcTenancy)
} // namespace upcoach::tenancy
