// Active health checks (HTTP, HTTPS, TCP) of the regions' endpoints, with thresholds and
// hysteresis. The checker probes on its own worker thread; the router learns of a verdict change
// through the transition handler, called synchronously at the moment a threshold is crossed.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QThread>
#include <chrono>
#include <functional>
#include <mutex>
#include <vector>

namespace upcoach::routing {

enum class CheckKind
{
    Http,
    Https,
    Tcp
};

QString checkKindName(CheckKind kind); // "http", "https", "tcp"

// The most of a response body a check reads; bodyContains is looked for in this prefix only.
inline constexpr qsizetype kHealthCheckBodyCap = 64 * 1024;

struct HealthCheckSpec
{
    QString name;     // unique among the checks, e.g. "eu-central-1-api"
    QString regionId; // the region this check speaks for
    CheckKind kind = CheckKind::Http;
    QString host;
    quint16 port = 0; // 0: the scheme's default (80, 443); required for TCP
    QString path = QStringLiteral("/healthz"); // HTTP(S): path and optional query
    QString hostHeader;                        // HTTP(S): overrides the Host header when set
    std::chrono::milliseconds interval{10000};
    std::chrono::milliseconds timeout{2000}; // whole probe: connect, TLS, request, response
    int healthyThreshold = 3;
    int unhealthyThreshold = 3;
    int expectedStatusMin = 200;
    int expectedStatusMax = 399; // redirects are not followed: a 3xx is judged as it is
    QByteArray bodyContains;     // empty: not checked; else looked for in the first 64 KiB
    // HTTPS only.
    bool verifyCertificate = true;
    QString caFile;     // PEM; trusted in addition to the system CAs, for this check only
    QString serverName; // SNI and the name the certificate must match (default: host)
};

// Every field in range; the error names the field ("interval must be 50ms..1h").
// Reads caFile to make sure it holds a certificate.
Result<void> validate(const HealthCheckSpec &spec);
// validate() for each spec, and the names unique. The error names the check.
Result<void> validate(const std::vector<HealthCheckSpec> &specs);

struct HealthTransition
{
    QString checkName;
    QString regionId;
    bool healthy = false;
    QString reason; // "3 consecutive failures; last: connection refused"
    QDateTime at;
};

struct CheckStatus
{
    enum State
    {
        Unknown,
        Healthy,
        Unhealthy
    };

    HealthCheckSpec spec;
    State state = Unknown;
    int consecutiveSuccesses = 0;
    int consecutiveFailures = 0;
    double lastLatencyMs = -1; // -1 when the last probe failed or none ran yet
    QString lastError;         // empty after a success; never a secret (no query strings)
    QDateTime lastCheckedAt;
    QDateTime stateSince;
    quint64 checks = 0;
    quint64 failures = 0;
};

QString checkStateName(CheckStatus::State state); // "unknown", "healthy", "unhealthy"

namespace detail {
class HealthCheckWorker;
}

class HealthChecker final : public QObject
{
    Q_OBJECT
public:
    // A spec that does not validate (or repeats an earlier name) is never probed: its status
    // stays Unknown with lastError saying why, and a warning is logged. Call validate(specs)
    // first to turn that into an error for the user.
    HealthChecker(std::vector<HealthCheckSpec> specs, const Clock &clock = Clock::system(),
                  QObject *parent = nullptr);
    ~HealthChecker() override;

    // Starts the worker thread; every check probes at once and then on its own interval, with
    // at most one probe in flight per check (a tick that finds the last probe still running is
    // skipped). Idempotent.
    void start();
    // Stops the thread and waits for it; probes in flight are abandoned, not counted.
    // Not from the transition handler (it runs on the thread being stopped).
    void stop();
    bool isRunning() const;

    std::vector<CheckStatus> statuses() const; // thread-safe copy, in the order of the specs

    // Called on the checker's thread, synchronously, at the moment a threshold is crossed (so
    // the router can publish a new snapshot at once). Set before start(); keep it short.
    void setTransitionHandler(std::function<void(const HealthTransition &)> handler);

    // Unhealthy when any check of the region is Unhealthy; Healthy when all are Healthy;
    // Unknown otherwise (until thresholds are first reached, or when the region has no valid
    // check). The router treats Unknown as usable.
    CheckStatus::State regionState(const QString &regionId) const;

Q_SIGNALS:
    // Emitted from the checker's thread after the handler ran; queued to receivers elsewhere.
    void transitioned(upcoach::routing::HealthTransition transition);

private:
    friend class detail::HealthCheckWorker;

    // One probe's outcome, from the worker thread.
    void record(std::size_t index, bool success, double latencyMs, const QString &error);

    std::vector<HealthCheckSpec> m_specs;
    std::vector<bool> m_probed; // false for specs that did not validate
    const Clock &m_clock;
    std::function<void(const HealthTransition &)> m_handler;
    QThread m_thread;
    detail::HealthCheckWorker *m_worker = nullptr; // lives in m_thread
    mutable std::mutex m_mutex;
    std::vector<CheckStatus> m_statuses;
};

} // namespace upcoach::routing

Q_DECLARE_METATYPE(upcoach::routing::HealthTransition)
