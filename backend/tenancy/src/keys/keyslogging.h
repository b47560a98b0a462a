// The logging category of per-tenant keys. Log tenant ids, key versions, KEK ids and paths;
// never key bytes, PINs or plaintext.
#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcTenancyKeys)
