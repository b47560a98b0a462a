// Prometheus text exposition format 0.0.4, and the process metrics every exporter publishes
// (read from /proc/self on Linux).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <optional>
#include <utility>
#include <vector>

namespace upcoach::api::detail {

using Labels = std::vector<std::pair<QByteArray, QString>>;

class PrometheusWriter
{
public:
    // Starts a metric family: its # HELP and # TYPE lines.
    void family(QByteArrayView name, QByteArrayView type, QByteArrayView help);
    void sample(QByteArrayView name, const Labels &labels, double value);
    void sample(QByteArrayView name, const Labels &labels, qint64 value);
    void sample(QByteArrayView name, const Labels &labels, quint64 value);

    const QByteArray &text() const { return m_text; }

    // Label values escape backslash, double quote and line feed; HELP text escapes backslash
    // and line feed. Values are Go-style floats: NaN, +Inf, -Inf, shortest round-trip digits.
    static QByteArray escapeLabelValue(const QString &value);
    static QByteArray escapeHelp(QByteArrayView help);
    static QByteArray formatValue(double value);

private:
    void beginSample(QByteArrayView name, const Labels &labels);

    QByteArray m_text;
};

struct ProcessStats
{
    double cpuSeconds = 0;
    qint64 residentBytes = 0;
    qint64 virtualBytes = 0;
    double startTimeSeconds = 0; // since the Unix epoch
    int openFds = -1;
    qint64 maxFds = -1;
};

// Parses /proc/self/stat (see proc(5)); the command name may contain spaces and parentheses.
std::optional<ProcessStats> parseProcStat(QByteArrayView stat, qint64 ticksPerSecond,
                                          qint64 pageSize, qint64 bootTimeSeconds);
// The current process, or nullopt where /proc is not available.
std::optional<ProcessStats> readProcessStats();

} // namespace upcoach::api::detail
