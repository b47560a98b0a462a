#include "upcoach/core/clock.h"

namespace upcoach {

const Clock &Clock::system()
{
    static const SystemClock clock;
    return clock;
}

} // namespace upcoach
