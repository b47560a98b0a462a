// What the server needs to record requests in the audit log, kept free of QtHttpServer so it is
// unit-tested directly: request ids, the source address of a peer, and the cap on events for
// refused (denied) requests.
#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QHostAddress>
#include <QString>
#include <chrono>

namespace upcoach::api::detail {

inline constexpr qsizetype kMaxRequestIdLength = 128;

// An incoming X-Request-Id is used when it is 1..128 characters of [A-Za-z0-9._-].
bool isWellFormedRequestId(QByteArrayView id);
// A fresh request id: a UUIDv7 (time-ordered, 36 characters).
QString newRequestId();

// The peer address as audit events and limits see it: IPv4-mapped IPv6 addresses in their IPv4
// form, no scope id.
QString sourceAddressText(const QHostAddress &address);

// Caps the audit events recorded for refused requests (401/403 on state-changing routes), so an
// unauthenticated flood cannot fill the log without bound: at most `perSource` per source per
// window (an IPv4 address, or an IPv6 /64 — one host usually owns a whole /64) and at most
// `total` for all sources. Windows are fixed: the first event after a window ends starts the
// next. Not thread-safe (the server's event loop owns it).
class DeniedEventLimiter
{
public:
    DeniedEventLimiter(int perSource, int total, std::chrono::milliseconds window);

    // True when an event for a request from `source` may be recorded now (and counts it).
    bool admit(const QHostAddress &source, std::chrono::steady_clock::time_point now);
    quint64 dropped() const { return m_dropped; }

    static QString sourceKey(const QHostAddress &source);

private:
    int m_perSource;
    int m_total;
    std::chrono::milliseconds m_window;
    std::chrono::steady_clock::time_point m_windowStart;
    bool m_started = false;
    int m_admitted = 0;
    QHash<QString, int> m_perSourceCounts; // at most m_total entries
    quint64 m_dropped = 0;
};

} // namespace upcoach::api::detail
