#include "keyslogging.h"

Q_LOGGING_CATEGORY(lcTenancyKeys, "upcoach.tenancy.keys", QtInfoMsg)
