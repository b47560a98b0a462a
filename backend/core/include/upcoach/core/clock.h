// An injectable clock: production code asks a Clock, tests move a ManualClock.
#pragma once

#include <QDateTime>
#include <atomic>
#include <chrono>

namespace upcoach {

class Clock
{
public:
    virtual ~Clock() = default;
    // Wall-clock time in UTC, for timestamps shown to people and stored.
    virtual QDateTime now() const = 0;
    // Monotonic time, for measuring durations and scheduling; never goes backwards.
    virtual std::chrono::steady_clock::time_point steadyNow() const = 0;

    // The process-wide system clock.
    static const Clock &system();
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
    std::chrono::steady_clock::time_point steadyNow() const override
    {
        return std::chrono::steady_clock::now();
    }
};

class ManualClock final : public Clock
{
public:
    explicit ManualClock(QDateTime start)
        : m_epochMs(start.toMSecsSinceEpoch())
    {}
    QDateTime now() const override
    {
        return QDateTime::fromMSecsSinceEpoch(m_epochMs.load(), Qt::UTC);
    }
    std::chrono::steady_clock::time_point steadyNow() const override
    {
        return std::chrono::steady_clock::time_point(std::chrono::milliseconds(m_steadyMs.load()));
    }
    void advance(std::chrono::milliseconds by)
    {
        m_epochMs += by.count();
        m_steadyMs += by.count();
    }

private:
    std::atomic<qint64> m_epochMs;
    std::atomic<qint64> m_steadyMs{0};
};

} // namespace upcoach
