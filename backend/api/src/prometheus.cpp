#include "prometheus.h"

#include <QFile>
#include <QLocale>
#include <cmath>
#include <dirent.h>
#include <unistd.h>

namespace upcoach::api::detail {

void PrometheusWriter::family(QByteArrayView name, QByteArrayView type, QByteArrayView help)
{
    m_text += "# HELP " + name.toByteArray() + ' ' + escapeHelp(help) + '\n';
    m_text += "# TYPE " + name.toByteArray() + ' ' + type.toByteArray() + '\n';
}

void PrometheusWriter::beginSample(QByteArrayView name, const Labels &labels)
{
    m_text += name.toByteArray();
    if (!labels.empty()) {
        m_text += '{';
        bool first = true;
        for (const auto &[label, value] : labels) {
            if (!first)
                m_text += ',';
            first = false;
            m_text += label + "=\"" + escapeLabelValue(value) + '"';
        }
        m_text += '}';
    }
    m_text += ' ';
}

void PrometheusWriter::sample(QByteArrayView name, const Labels &labels, double value)
{
    beginSample(name, labels);
    m_text += formatValue(value) + '\n';
}

void PrometheusWriter::sample(QByteArrayView name, const Labels &labels, qint64 value)
{
    beginSample(name, labels);
    m_text += QByteArray::number(value) + '\n';
}

void PrometheusWriter::sample(QByteArrayView name, const Labels &labels, quint64 value)
{
    beginSample(name, labels);
    m_text += QByteArray::number(value) + '\n';
}

namespace {

// The text format escapes backslash and newline everywhere, and the double quote only inside
// label values.
QByteArray escapeText(QByteArrayView text, bool escapeQuote)
{
    QByteArray escaped;
    escaped.reserve(text.size());
    for (const char c : text) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '\n')
            escaped += "\\n";
        else if (c == '"' && escapeQuote)
            escaped += "\\\"";
        else
            escaped += c;
    }
    return escaped;
}

} // namespace

QByteArray PrometheusWriter::escapeLabelValue(const QString &value)
{
    return escapeText(value.toUtf8(), true);
}

QByteArray PrometheusWriter::escapeHelp(QByteArrayView help)
{
    return escapeText(help, false);
}

QByteArray PrometheusWriter::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    return QByteArray::number(value, 'g', QLocale::FloatingPointShortest);
}

std::optional<ProcessStats> parseProcStat(QByteArrayView stat, qint64 ticksPerSecond,
                                          qint64 pageSize, qint64 bootTimeSeconds)
{
    // "pid (comm) state ppid ..." — fields after the last ')' start with field 3 (state).
    const qsizetype close = QByteArray(stat.data(), stat.size()).lastIndexOf(')');
    if (close < 0 || ticksPerSecond <= 0)
        return std::nullopt;
    const QList<QByteArray> fields =
        QByteArray(stat.data() + close + 1, stat.size() - close - 1).simplified().split(' ');
    // fields[0] is field 3 of proc(5); field N is fields[N - 3].
    constexpr int kUtime = 14, kStime = 15, kStartTime = 22, kVsize = 23, kRss = 24;
    if (fields.size() < kRss - 2)
        return std::nullopt;
    const auto field = [&](int n) { return fields.at(n - 3).toLongLong(); };
    ProcessStats stats;
    stats.cpuSeconds = double(field(kUtime) + field(kStime)) / double(ticksPerSecond);
    stats.startTimeSeconds =
        double(bootTimeSeconds) + double(field(kStartTime)) / double(ticksPerSecond);
    stats.virtualBytes = field(kVsize);
    stats.residentBytes = field(kRss) * pageSize;
    return stats;
}

namespace {

QByteArray readSmallFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll(); // procfs files report size 0; readAll reads until EOF
}

qint64 bootTimeSeconds()
{
    for (const QByteArray &line : readSmallFile(QStringLiteral("/proc/stat")).split('\n')) {
        if (line.startsWith("btime "))
            return line.mid(6).trimmed().toLongLong();
    }
    return 0;
}

qint64 maxOpenFiles()
{
    for (const QByteArray &line : readSmallFile(QStringLiteral("/proc/self/limits")).split('\n')) {
        if (line.startsWith("Max open files")) {
            const QList<QByteArray> parts = line.mid(14).simplified().split(' ');
            bool ok = false;
            const qint64 soft = parts.value(0).toLongLong(&ok);
            return ok ? soft : -1;
        }
    }
    return -1;
}

} // namespace

std::optional<ProcessStats> readProcessStats()
{
    const QByteArray stat = readSmallFile(QStringLiteral("/proc/self/stat"));
    if (stat.isEmpty())
        return std::nullopt;
    static const qint64 bootTime = bootTimeSeconds();
    auto stats = parseProcStat(stat, sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE), bootTime);
    if (!stats)
        return std::nullopt;
    if (DIR *fds = ::opendir("/proc/self/fd")) {
        int entries = 0;
        while (const dirent *entry = ::readdir(fds)) {
            if (entry->d_name[0] != '.')
                ++entries;
        }
        ::closedir(fds);
        stats->openFds = entries - 1; // not counting the descriptor that listed the directory
    }
    stats->maxFds = maxOpenFiles();
    return stats;
}

} // namespace upcoach::api::detail
