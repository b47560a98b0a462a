#include "requestaudit.h"

#include "upcoach/core/ids.h"

#include <algorithm>

namespace upcoach::api::detail {

bool isWellFormedRequestId(QByteArrayView id)
{
    if (id.isEmpty() || id.size() > kMaxRequestIdLength)
        return false;
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

QString newRequestId()
{
    return ids::uuid7().toString(QUuid::WithoutBraces);
}

QString sourceAddressText(const QHostAddress &address)
{
    bool isIPv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIPv4);
    if (isIPv4)
        return QHostAddress(ipv4).toString();
    QHostAddress plain = address;
    plain.setScopeId(QString());
    return plain.toString();
}

DeniedEventLimiter::DeniedEventLimiter(int perSource, int total, std::chrono::milliseconds window)
    : m_perSource(std::max(0, perSource))
    , m_total(std::max(0, total))
    , m_window(window)
{}

QString DeniedEventLimiter::sourceKey(const QHostAddress &source)
{
    bool isIPv4 = false;
    const quint32 ipv4 = source.toIPv4Address(&isIPv4);
    if (isIPv4)
        return QHostAddress(ipv4).toString();
    if (source.protocol() == QAbstractSocket::IPv6Protocol) {
        Q_IPV6ADDR bytes = source.toIPv6Address();
        std::fill(std::begin(bytes.c) + 8, std::end(bytes.c), quint8(0));
        return QHostAddress(bytes).toString() + QStringLiteral("/64");
    }
    return source.toString();
}

bool DeniedEventLimiter::admit(const QHostAddress &source,
                               std::chrono::steady_clock::time_point now)
{
    if (!m_started || now - m_windowStart >= m_window) {
        m_started = true;
        m_windowStart = now;
        m_admitted = 0;
        m_perSourceCounts.clear();
    }
    const QString key = sourceKey(source);
    const auto found = m_perSourceCounts.constFind(key);
    const int fromSource = found == m_perSourceCounts.constEnd() ? 0 : found.value();
    if (fromSource >= m_perSource || m_admitted >= m_total) {
        ++m_dropped;
        return false;
    }
    m_perSourceCounts.insert(key, fromSource + 1);
    ++m_admitted;
    return true;
}

} // namespace upcoach::api::detail
