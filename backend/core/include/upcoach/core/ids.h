// Identifiers. UUIDv7 (RFC 9562): time-ordered, so ids sort by creation and index well.
#pragma once

#include "upcoach/core/clock.h"

#include <QUuid>

namespace upcoach::ids {

QUuid uuid7(const Clock &clock = Clock::system());

} // namespace upcoach::ids
