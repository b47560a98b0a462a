#include "upcoach/core/ids.h"

#include "upcoach/core/crypto.h"

#include <array>

namespace upcoach::ids {

QUuid uuid7(const Clock &clock)
{
    // RFC 9562 §5.7: 48-bit big-endian Unix milliseconds, version 7, 74 random bits, variant 10.
    const quint64 ms = quint64(clock.now().toMSecsSinceEpoch());
    auto random = crypto::randomBytes(10);
    // The CSPRNG failing is not an input error; there is no sensible way on without it.
    Q_ASSERT(random.ok());
    const QByteArray &r = random.value();
    std::array<uchar, 16> b{};
    for (int i = 0; i < 6; ++i)
        b[size_t(i)] = uchar(ms >> (8 * (5 - i)));
    b[6] = uchar(0x70 | (uchar(r[0]) & 0x0f));
    b[7] = uchar(r[1]);
    b[8] = uchar(0x80 | (uchar(r[2]) & 0x3f));
    for (int i = 9; i < 16; ++i)
        b[size_t(i)] = uchar(r[i - 6]);
    return QUuid::fromRfc4122(QByteArrayView(reinterpret_cast<const char *>(b.data()), 16));
}

} // namespace upcoach::ids
