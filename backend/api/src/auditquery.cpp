#include "auditquery.h"

#include "requestparsing.h"
#include "upcoach/compliance/auditbundle.h"
#include "upcoach/compliance/auditevent.h"
#include "upcoach/core/crypto.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <algorithm>
#include <array>

namespace upcoach::api::detail {

namespace {

const char kCursorDomain[] = "upcoach-audit-cursor";
constexpr char kCursorVersion = 1;
constexpr int kCursorCheckBytes = 16;
constexpr qsizetype kCursorBytes = 1 + 8 + kCursorCheckBytes;

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

bool isWordChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || isDigit(c);
}

// [a-z0-9][a-z0-9._:-]* — the action and classification alphabet of audit events.
bool isActionName(QStringView text)
{
    if (text.isEmpty() || !isWordChar(text.front()))
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return isWordChar(c) || c == QLatin1Char('.') || c == QLatin1Char('_') ||
               c == QLatin1Char(':') || c == QLatin1Char('-');
    });
}

// A tenant slug as audit events carry it: [a-z0-9] or [a-z0-9][a-z0-9-]{0,61}[a-z0-9].
bool isSlug(QStringView text)
{
    if (text.isEmpty() || text.size() > 63 || !isWordChar(text.front()) || !isWordChar(text.back()))
        return false;
    return std::all_of(text.begin(), text.end(),
                       [](QChar c) { return isWordChar(c) || c == QLatin1Char('-'); });
}

// Digits at [from, from + count) as a number, or -1.
int digitsAt(QStringView text, qsizetype from, qsizetype count)
{
    if (from + count > text.size())
        return -1;
    int value = 0;
    for (qsizetype i = from; i < from + count; ++i) {
        if (!isDigit(text[i]))
            return -1;
        value = value * 10 + (text[i].unicode() - '0');
    }
    return value;
}

bool charAt(QStringView text, qsizetype at, char expected)
{
    return at < text.size() && text[at] == QLatin1Char(expected);
}

void appendUint64(QByteArray &out, uint64_t value)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        out.append(char((value >> shift) & 0xff));
}

void appendText(QByteArray &out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    appendUint64(out, uint64_t(utf8.size()));
    out.append(utf8);
}

void appendTime(QByteArray &out, const QDateTime &time)
{
    out.append(time.isValid() ? '\1' : '\0');
    appendUint64(out, time.isValid() ? uint64_t(time.toMSecsSinceEpoch()) : 0);
}

// The check value: binds the cursor to its sequence and to every filter of the query.
QByteArray cursorCheck(uint64_t sequence, const compliance::AuditQuery &filters)
{
    QByteArray input(kCursorDomain);
    input.append('\0');
    input.append(kCursorVersion);
    appendUint64(input, sequence);
    input.append(filters.tenant ? '\1' : '\0');
    appendText(input, filters.tenant.value_or(QString()));
    appendText(input, filters.actor);
    appendText(input, filters.action);
    appendText(input, filters.outcome);
    appendText(input, filters.classification);
    appendTime(input, filters.from);
    appendTime(input, filters.to);
    return crypto::sha256(input).left(kCursorCheckBytes);
}

bool hasControlCharacter(const QString &text)
{
    return std::any_of(text.begin(), text.end(), [](QChar c) {
        return c.unicode() < 0x20 || c.unicode() == 0x7f || c == QChar::ReplacementCharacter;
    });
}

} // namespace

std::optional<QDateTime> parseRfc3339(QStringView text)
{
    // 2026-03-14T15:09:26[.fraction](Z|+hh:mm|-hh:mm)
    if (text.size() < 20 || text.size() > 40)
        return std::nullopt;
    const int year = digitsAt(text, 0, 4);
    const int month = digitsAt(text, 5, 2);
    const int day = digitsAt(text, 8, 2);
    const int hour = digitsAt(text, 11, 2);
    const int minute = digitsAt(text, 14, 2);
    const int second = digitsAt(text, 17, 2);
    if (year < 1 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 ||
        !charAt(text, 4, '-') || !charAt(text, 7, '-') ||
        !(charAt(text, 10, 'T') || charAt(text, 10, 't')) || !charAt(text, 13, ':') ||
        !charAt(text, 16, ':'))
        return std::nullopt;
    const QDate date(year, month, day);
    if (!date.isValid() || hour > 23 || minute > 59 || second > 59)
        return std::nullopt;

    qsizetype at = 19;
    qint64 milliseconds = 0;
    if (charAt(text, at, '.')) {
        ++at;
        const qsizetype first = at;
        bool roundUp = false;
        while (at < text.size() && isDigit(text[at])) {
            const int digit = text[at].unicode() - '0';
            const qsizetype position = at - first;
            if (position < 3)
                milliseconds = milliseconds * 10 + digit;
            else if (digit != 0)
                roundUp = true;
            ++at;
        }
        const qsizetype digits = at - first;
        if (digits < 1 || digits > 9)
            return std::nullopt;
        for (qsizetype i = digits; i < 3; ++i)
            milliseconds *= 10;
        if (roundUp)
            ++milliseconds;
    }

    int offsetSeconds = 0;
    if (charAt(text, at, 'Z') || charAt(text, at, 'z')) {
        ++at;
    } else if (charAt(text, at, '+') || charAt(text, at, '-')) {
        const bool negative = text[at] == QLatin1Char('-');
        const int offsetHours = digitsAt(text, at + 1, 2);
        const int offsetMinutes = digitsAt(text, at + 4, 2);
        if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59 ||
            !charAt(text, at + 3, ':'))
            return std::nullopt;
        offsetSeconds = (offsetHours * 60 + offsetMinutes) * 60 * (negative ? -1 : 1);
        at += 6;
    } else {
        return std::nullopt;
    }
    if (at != text.size())
        return std::nullopt;
    // Local time = UTC + offset.
    return QDateTime(date, QTime(hour, minute, second), Qt::UTC)
        .addMSecs(milliseconds)
        .addSecs(-offsetSeconds);
}

std::optional<QString> parseUuid(QStringView text)
{
    if (text.size() != 36)
        return std::nullopt;
    QString out;
    out.reserve(36);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != QLatin1Char('-'))
                return std::nullopt;
            out.append(c);
            continue;
        }
        if (isDigit(c) || (c >= QLatin1Char('a') && c <= QLatin1Char('f')))
            out.append(c);
        else if (c >= QLatin1Char('A') && c <= QLatin1Char('F'))
            out.append(c.toLower());
        else
            return std::nullopt;
    }
    return out;
}

std::variant<compliance::AuditQuery, QueryError> parseAuditListQuery(const QUrlQuery &urlQuery)
{
    static const QStringList known = {
        QStringLiteral("tenant"),  QStringLiteral("actor"),          QStringLiteral("action"),
        QStringLiteral("outcome"), QStringLiteral("classification"), QStringLiteral("from"),
        QStringLiteral("to"),      QStringLiteral("limit"),          QStringLiteral("cursor")};

    auto collected = collectParameters(urlQuery, known);
    if (auto *refused = std::get_if<QueryError>(&collected))
        return *refused;
    const QHash<QString, QString> &values = std::get<QHash<QString, QString>>(collected);

    compliance::AuditQuery query;
    auto fieldTooLong = [](const QString &value) {
        return value.toUtf8().size() > compliance::kMaxEventFieldBytes;
    };

    if (values.contains(QStringLiteral("tenant"))) {
        const QString tenant = values.value(QStringLiteral("tenant"));
        if (!tenant.isEmpty() && !isSlug(tenant))
            return refuseParameter(
                QStringLiteral("tenant"),
                QStringLiteral("not a tenant slug ([a-z0-9-], at most 63 characters); "
                               "an empty value selects the platform's own events"));
        query.tenant = tenant;
    }
    if (values.contains(QStringLiteral("actor"))) {
        query.actor = values.value(QStringLiteral("actor"));
        if (query.actor.isEmpty())
            return refuseParameter(QStringLiteral("actor"), QStringLiteral("must not be empty"));
        if (fieldTooLong(query.actor))
            return refuseParameter(
                QStringLiteral("actor"),
                QStringLiteral("longer than %1 bytes").arg(compliance::kMaxEventFieldBytes));
        if (hasControlCharacter(query.actor))
            return refuseParameter(QStringLiteral("actor"),
                                   QStringLiteral("contains control characters or invalid UTF-8"));
    }
    if (values.contains(QStringLiteral("action"))) {
        query.action = values.value(QStringLiteral("action"));
        const bool prefix = query.action.endsWith(QLatin1Char('*'));
        const QString name = prefix ? query.action.chopped(1) : query.action;
        if (fieldTooLong(query.action) || (!isActionName(name) && !(prefix && name.isEmpty())))
            return refuseParameter(
                QStringLiteral("action"),
                QStringLiteral("expected an action name [a-z0-9][a-z0-9._:-]*, or a "
                               "prefix of one followed by *"));
    }
    if (values.contains(QStringLiteral("outcome"))) {
        query.outcome = values.value(QStringLiteral("outcome"));
        if (query.outcome != QLatin1String("success") &&
            query.outcome != QLatin1String("failure") && query.outcome != QLatin1String("denied"))
            return refuseParameter(QStringLiteral("outcome"),
                                   QStringLiteral("expected success, failure or denied"));
    }
    if (values.contains(QStringLiteral("classification"))) {
        query.classification = values.value(QStringLiteral("classification"));
        if (fieldTooLong(query.classification) || !isActionName(query.classification))
            return refuseParameter(
                QStringLiteral("classification"),
                QStringLiteral("expected a classification [a-z0-9][a-z0-9._:-]*, "
                               "such as security"));
    }
    for (const char *bound : {"from", "to"}) {
        const QString name = QString::fromLatin1(bound);
        if (!values.contains(name))
            continue;
        const std::optional<QDateTime> time = parseRfc3339(values.value(name));
        if (!time)
            return refuseParameter(name, QStringLiteral("expected an RFC 3339 time such as "
                                                        "2026-03-14T15:09:26.535Z or "
                                                        "2026-03-14T16:09:26+01:00"));
        (name == QLatin1String("from") ? query.from : query.to) = *time;
    }
    if (query.from.isValid() && query.to.isValid() && query.from >= query.to)
        return QueryError{{QStringLiteral("from"), QStringLiteral("to")},
                          QStringLiteral("from: must be before to (from is inclusive, to is "
                                         "exclusive)")};
    query.limit = kDefaultAuditPageSize;
    if (values.contains(QStringLiteral("limit"))) {
        const QString limit = values.value(QStringLiteral("limit"));
        const int parsed = limit.size() <= 4 ? digitsAt(limit, 0, limit.size()) : -1;
        if (limit.isEmpty() || parsed < 1 || parsed > kMaxAuditPageSize)
            return refuseParameter(
                QStringLiteral("limit"),
                QStringLiteral("expected a whole number from 1 to %1").arg(kMaxAuditPageSize));
        query.limit = parsed;
    }
    if (values.contains(QStringLiteral("cursor"))) {
        const std::optional<uint64_t> sequence =
            decodeAuditCursor(values.value(QStringLiteral("cursor")), query);
        if (!sequence)
            return refuseParameter(
                QStringLiteral("cursor"),
                QStringLiteral("not a cursor of this listing (malformed, modified, or "
                               "from a query with other filters); start again without "
                               "a cursor"));
        query.beforeSequence = *sequence;
    }
    return query;
}

QString encodeAuditCursor(uint64_t sequence, const compliance::AuditQuery &filters)
{
    QByteArray raw;
    raw.append(kCursorVersion);
    appendUint64(raw, sequence);
    raw.append(cursorCheck(sequence, filters));
    return QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

std::optional<uint64_t> decodeAuditCursor(QStringView cursor, const compliance::AuditQuery &filters)
{
    constexpr qsizetype kEncodedLength = (kCursorBytes * 4 + 2) / 3;
    if (cursor.size() != kEncodedLength)
        return std::nullopt;
    const bool alphabet = std::all_of(cursor.begin(), cursor.end(), [](QChar c) {
        return isDigit(c) || (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
               (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) || c == QLatin1Char('-') ||
               c == QLatin1Char('_');
    });
    if (!alphabet)
        return std::nullopt;
    const QByteArray encoded = cursor.toLatin1();
    const QByteArray::FromBase64Result decoded = QByteArray::fromBase64Encoding(
        encoded, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok ||
        decoded.decoded.size() != kCursorBytes || decoded.decoded.at(0) != kCursorVersion ||
        decoded.decoded.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) !=
            encoded)
        return std::nullopt;
    uint64_t sequence = 0;
    for (int i = 1; i <= 8; ++i)
        sequence = (sequence << 8) | uint8_t(decoded.decoded.at(i));
    if (sequence > compliance::kMaxSequence)
        return std::nullopt;
    if (!crypto::constantTimeEquals(decoded.decoded.sliced(9), cursorCheck(sequence, filters)))
        return std::nullopt;
    return sequence;
}

Result<QByteArray> auditPageJson(const compliance::AuditPage &page,
                                 const compliance::AuditQuery &filters, qsizetype maxBytes)
{
    QByteArray out = QByteArrayLiteral("{\"events\":[");
    std::optional<uint64_t> next = page.nextCursor;
    bool first = true;
    for (size_t i = 0; i < page.events.size(); ++i) {
        const compliance::AuditEvent &event = page.events[i];
        Result<QByteArray> line = compliance::eventToJson(event);
        if (!line)
            return line.error().context(QStringLiteral("audit event %1").arg(event.sequence));
        if (!first && out.size() + line->size() + 1 > maxBytes) {
            next = page.events[i - 1].sequence; // continue below the last event sent
            break;
        }
        if (!first)
            out.append(',');
        first = false;
        out.append(line.value());
    }
    out.append("],\"nextCursor\":");
    if (next) {
        out.append('"');
        out.append(encodeAuditCursor(*next, filters).toLatin1());
        out.append('"');
    } else {
        out.append("null");
    }
    out.append('}');
    return out;
}

Result<QByteArray> auditProofJson(const compliance::EventProof &proof)
{
    Result<QByteArray> event = compliance::eventToJson(proof.event);
    if (!event)
        return event.error().context(QStringLiteral("audit event %1").arg(proof.event.sequence));
    QJsonArray path;
    for (const compliance::Hash &hash : proof.proof)
        path.append(compliance::toHex(hash));
    const compliance::TreeHead &head = proof.treeHead.signedHead.head;
    const QJsonObject treeHead{
        {QStringLiteral("treeSize"), qint64(head.treeSize)},
        {QStringLiteral("timestamp"), compliance::auditTimeToString(head.timestamp)},
        {QStringLiteral("rootHash"), compliance::toHex(head.rootHash)},
        {QStringLiteral("signature"),
         QString::fromLatin1(proof.treeHead.signedHead.signature.toBase64())},
        {QStringLiteral("signatureAlgorithm"), QStringLiteral("Ed25519")},
        {QStringLiteral("publicKey"), QString::fromLatin1(proof.treeHead.publicKeyRaw.toBase64())},
        {QStringLiteral("publicKeyFingerprint"),
         compliance::keyFingerprint(proof.treeHead.publicKeyRaw)},
    };
    const QJsonObject rest{
        {QStringLiteral("leafIndex"), qint64(proof.event.sequence)},
        {QStringLiteral("leafHash"), compliance::toHex(proof.leafHash)},
        {QStringLiteral("proof"), path},
        {QStringLiteral("treeHead"), treeHead},
    };
    // The event exactly as eventToJson writes it (its own field order), then the rest.
    const QByteArray tail = QJsonDocument(rest).toJson(QJsonDocument::Compact);
    QByteArray out = QByteArrayLiteral("{\"event\":");
    out.append(event.value());
    out.append(',');
    out.append(tail.sliced(1));
    return out;
}

} // namespace upcoach::api::detail
