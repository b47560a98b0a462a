#include "auditfilter.h"

#include <QDate>
#include <QTime>
#include <chrono>
#include <cstdio>

namespace upcoach::viewmodels {

namespace {

enum StringBit : uint8_t
{
    ActorBit = 1,
    TenantBit = 2,
    ActionBit = 4,
    OutcomeBit = 8,
    ClassificationBit = 16,
    SearchBit = 32,
};

constexpr char foldAscii(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

constexpr char upperAscii(char c)
{
    return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c;
}

bool isAscii(const QString &text)
{
    for (QChar c : text) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

} // namespace

bool AuditFilter::isEmpty() const
{
    return !fromMs && !toMs && actor.isEmpty() && !tenant && action.isEmpty() &&
           outcome.isEmpty() && classification.isEmpty() && search.isEmpty();
}

AuditFilterMatcher::AuditFilterMatcher(AuditFilter filter)
    : m_filter(std::move(filter))
    , m_search(m_filter.search.toLower())
{
    m_searchIsAscii = isAscii(m_search);
    if (m_searchIsAscii) {
        m_searchAscii = m_search.toLatin1();
        const qsizetype length = m_searchAscii.size();
        m_skip.fill(uint32_t(length));
        for (qsizetype i = 0; i + 1 < length; ++i) {
            const char c = m_searchAscii[i];
            m_skip[uint8_t(c)] = uint32_t(length - 1 - i);
            m_skip[uint8_t(upperAscii(c))] = uint32_t(length - 1 - i);
        }
    }
}

void AuditFilterMatcher::prepare(const std::vector<QString> &strings)
{
    const size_t from = m_stringBits.size();
    if (strings.size() <= from)
        return;
    m_stringBits.resize(strings.size(), 0);
    for (size_t id = from; id < strings.size(); ++id) {
        const QString &value = strings[id];
        uint8_t bits = 0;
        if (!m_filter.actor.isEmpty() && value.contains(m_filter.actor, Qt::CaseInsensitive))
            bits |= ActorBit;
        if (m_filter.tenant && value == *m_filter.tenant)
            bits |= TenantBit;
        if (!m_filter.action.isEmpty() && value == m_filter.action)
            bits |= ActionBit;
        if (!m_filter.outcome.isEmpty() && value == m_filter.outcome)
            bits |= OutcomeBit;
        if (!m_filter.classification.isEmpty() && value == m_filter.classification)
            bits |= ClassificationBit;
        if (!m_search.isEmpty() && value.contains(m_search, Qt::CaseInsensitive))
            bits |= SearchBit;
        m_stringBits[id] = bits;
    }
}

bool AuditFilterMatcher::textMatches(QByteArrayView utf8) const
{
    if (!m_searchIsAscii)
        return QString::fromUtf8(utf8).contains(m_search, Qt::CaseInsensitive);
    // Horspool over bytes, folding ASCII letters only: an ASCII needle can only match ASCII
    // bytes, and multi-byte UTF-8 sequences never contain bytes below 0x80.
    const qsizetype needleLength = m_searchAscii.size();
    const qsizetype haystackLength = utf8.size();
    if (needleLength > haystackLength)
        return false;
    const char *haystack = utf8.data();
    const char *needle = m_searchAscii.constData();
    qsizetype pos = 0;
    while (pos <= haystackLength - needleLength) {
        qsizetype j = needleLength - 1;
        while (foldAscii(haystack[pos + j]) == needle[j]) {
            if (j == 0)
                return true;
            --j;
        }
        pos += qsizetype(m_skip[uint8_t(haystack[pos + needleLength - 1])]);
    }
    return false;
}

bool AuditFilterMatcher::matches(const AuditRow &row, const AuditChunk &chunk) const
{
    if (m_filter.fromMs && row.timeMs < *m_filter.fromMs)
        return false;
    if (m_filter.toMs && row.timeMs >= *m_filter.toMs)
        return false;
    const auto bits = [&](AuditField field) { return m_stringBits[row.string(field)]; };
    if (!m_filter.actor.isEmpty() && !(bits(AuditField::Actor) & ActorBit))
        return false;
    if (m_filter.tenant && !(bits(AuditField::Tenant) & TenantBit))
        return false;
    if (!m_filter.action.isEmpty() && !(bits(AuditField::Action) & ActionBit))
        return false;
    if (!m_filter.outcome.isEmpty() && !(bits(AuditField::Outcome) & OutcomeBit))
        return false;
    if (!m_filter.classification.isEmpty() &&
        !(bits(AuditField::Classification) & ClassificationBit))
        return false;
    if (m_search.isEmpty())
        return true;
    for (uint32_t id : row.strings) {
        if (m_stringBits[id] & SearchBit)
            return true;
    }
    for (AuditTextSpan span : {row.id, row.target, row.sourceIp, row.requestId, row.details}) {
        if (textMatches(chunk.bytes(span)))
            return true;
    }
    return false;
}

std::vector<uint32_t> filterRows(const AuditStoreSnapshot &snapshot,
                                 const AuditFilterMatcher &matcher, qsizetype begin, qsizetype end,
                                 const std::atomic<bool> *cancelled)
{
    std::vector<uint32_t> matches;
    for (qsizetype index = begin; index < end; ++index) {
        if (cancelled && (index & (kAuditChunkRows - 1)) == 0 &&
            cancelled->load(std::memory_order_relaxed))
            break;
        const AuditChunk &chunk = snapshot.chunkOf(index);
        if (matcher.matches(chunk.rows[size_t(index & (kAuditChunkRows - 1))], chunk))
            matches.push_back(uint32_t(index));
    }
    return matches;
}

QDateTime parseAuditFilterTime(const QString &input)
{
    QString text = input.trimmed();
    if (text.endsWith(QLatin1Char('Z')))
        text.chop(1);
    text.replace(QLatin1Char('T'), QLatin1Char(' '));
    const QString datePart = text.section(QLatin1Char(' '), 0, 0);
    const QString timePart = text.section(QLatin1Char(' '), 1);
    const QDate date = QDate::fromString(datePart, QStringLiteral("yyyy-MM-dd"));
    if (!date.isValid())
        return {};
    QTime time(0, 0);
    if (!timePart.isEmpty()) {
        time = QTime();
        for (const QString &format : {QStringLiteral("HH:mm"), QStringLiteral("HH:mm:ss"),
                                      QStringLiteral("HH:mm:ss.zzz")}) {
            time = QTime::fromString(timePart, format);
            if (time.isValid())
                break;
        }
        if (!time.isValid())
            return {};
    }
    return QDateTime(date, time, Qt::UTC);
}

QString formatAuditTime(int64_t msSinceEpoch)
{
    using namespace std::chrono;
    const sys_time<milliseconds> point{milliseconds(msSinceEpoch)};
    const sys_days day = floor<days>(point);
    const year_month_day date{day};
    const hh_mm_ss<milliseconds> time{point - day};
    char text[40];
    const int length = std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d:%02d.%03d",
                                     int(date.year()), unsigned(date.month()), unsigned(date.day()),
                                     int(time.hours().count()), int(time.minutes().count()),
                                     int(time.seconds().count()), int(time.subseconds().count()));
    return QString::fromLatin1(text, length);
}

} // namespace upcoach::viewmodels
