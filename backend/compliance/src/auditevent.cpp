#include "upcoach/compliance/auditevent.h"

#include "strictjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <algorithm>
#include <limits>
#include <vector>

namespace upcoach::compliance {

namespace {

constexpr char kMagic[] = "ua1";

Error invalid(const QString &message)
{
    return makeError(ErrorCode::InvalidInput, message);
}

// No lone surrogates: such a QString has no UTF-8 form and would not round-trip.
bool isValidUnicode(QStringView text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c.isHighSurrogate()) {
            if (i + 1 >= text.size() || !text[i + 1].isLowSurrogate())
                return false;
            ++i;
        } else if (c.isLowSurrogate()) {
            return false;
        }
    }
    return true;
}

bool isWordChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
           (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

// [a-z0-9][a-z0-9._:-]*
bool isActionName(QStringView text)
{
    if (text.isEmpty() || !isWordChar(text.front()))
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return isWordChar(c) || c == QLatin1Char('.') || c == QLatin1Char('_') ||
               c == QLatin1Char(':') || c == QLatin1Char('-');
    });
}

// [a-z0-9] or [a-z0-9][a-z0-9-]{0,61}[a-z0-9]
bool isSlug(QStringView text)
{
    if (text.isEmpty() || text.size() > 63 || !isWordChar(text.front()) || !isWordChar(text.back()))
        return false;
    return std::all_of(text.begin(), text.end(),
                       [](QChar c) { return isWordChar(c) || c == QLatin1Char('-'); });
}

// What QUuid::fromString(text).toString(QUuid::WithoutBraces) == text and !isNull() accept:
// lowercase hex in 8-4-4-4-12, not the nil UUID. Checked directly (no allocation).
bool isCanonicalUuid(const QString &text)
{
    if (text.size() != 36)
        return false;
    bool nonZero = false;
    for (qsizetype i = 0; i < 36; ++i) {
        const char16_t c = text[i].unicode();
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != u'-')
                return false;
        } else if ((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')) {
            nonZero = nonZero || c != u'0';
        } else {
            return false;
        }
    }
    return nonZero;
}

// The UTF-8 length of valid Unicode text, without converting it.
qsizetype utf8Length(QStringView text)
{
    qsizetype length = 0;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        length += u < 0x80 ? 1 : u < 0x800 ? 2 : c.isSurrogate() ? 2 : 3; // a pair: 2 + 2
    }
    return length;
}

Status checkString(const QString &value, const char *field, bool required)
{
    if (required && value.isEmpty())
        return invalid(QLatin1String(field) + QStringLiteral(": required"));
    if (!isValidUnicode(value))
        return invalid(QLatin1String(field) + QStringLiteral(": invalid Unicode"));
    if (utf8Length(value) > kMaxEventFieldBytes)
        return invalid(QLatin1String(field) +
                       QStringLiteral(": longer than %1 bytes").arg(kMaxEventFieldBytes));
    return {};
}

void appendUint64(QByteArray &out, uint64_t value)
{
    for (int shift = 56; shift >= 0; shift -= 8)
        out.append(char((value >> shift) & 0xff));
}

void appendField(QByteArray &out, const QByteArray &bytes)
{
    const auto size = uint32_t(bytes.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        out.append(char((size >> shift) & 0xff));
    out.append(bytes);
}

void appendJsonString(QByteArray &out, const QByteArray &utf8)
{
    static const char hexDigits[] = "0123456789abcdef";
    out.append('"');
    for (const char c : utf8) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.append('\\');
            out.append(c);
        } else if (byte < 0x20) {
            out.append("\\u00");
            out.append(hexDigits[byte >> 4]);
            out.append(hexDigits[byte & 0xf]);
        } else {
            out.append(c);
        }
    }
    out.append('"');
}

// Where a value sits inside details ("details.nested.x[1]"), as a chain of segments on the stack:
// the text is only built for an error message.
struct DetailsPath
{
    const DetailsPath *parent = nullptr;
    QStringView key;      // a member name, or
    qsizetype index = -1; // an array index (key empty)

    QString text() const
    {
        if (!parent)
            return QStringLiteral("details");
        QString out = parent->text();
        if (index >= 0)
            out += QStringLiteral("[%1]").arg(index);
        else
            out += QLatin1Char('.') + key;
        return out;
    }
};

Status appendCanonical(QByteArray &out, const QJsonValue &value, const DetailsPath &path,
                       int depth);

Status appendCanonicalObject(QByteArray &out, const QJsonObject &object, const DetailsPath &path,
                             int depth)
{
    if (depth > kMaxDetailsDepth)
        return invalid(path.text() +
                       QStringLiteral(": nested deeper than %1").arg(kMaxDetailsDepth));
    // Sorted by UTF-8 bytes (= code point order), not QJsonObject's UTF-16 order.
    std::vector<std::pair<QByteArray, QJsonObject::const_iterator>> keys;
    keys.reserve(size_t(object.size()));
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!isValidUnicode(it.key()))
            return invalid(path.text() + QStringLiteral(": a key is not valid Unicode"));
        keys.emplace_back(it.key().toUtf8(), it);
    }
    std::sort(keys.begin(), keys.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    out.append('{');
    bool first = true;
    for (const auto &[utf8, it] : keys) {
        if (!first)
            out.append(',');
        first = false;
        appendJsonString(out, utf8);
        out.append(':');
        const QString key = it.key();
        const DetailsPath member{&path, key};
        if (Status status = appendCanonical(out, it.value(), member, depth); !status)
            return status;
    }
    out.append('}');
    return {};
}

Status appendCanonical(QByteArray &out, const QJsonValue &value, const DetailsPath &path, int depth)
{
    if (out.size() > kMaxDetailsBytes)
        return invalid(QStringLiteral("details: longer than %1 bytes").arg(kMaxDetailsBytes));
    switch (value.type()) {
    case QJsonValue::Null:
        out.append("null");
        return {};
    case QJsonValue::Bool:
        out.append(value.toBool() ? "true" : "false");
        return {};
    case QJsonValue::Double: {
        constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
        const qint64 number = value.toInteger(notWhole);
        if (number == notWhole)
            return invalid(path.text() +
                           QStringLiteral(": not an integer (numbers in details must be "
                                          "integers; put decimals in a string)"));
        if (number > kMaxSafeJsonInteger || number < -kMaxSafeJsonInteger)
            return invalid(path.text() + QStringLiteral(": integer outside +-(2^53-1)"));
        out.append(QByteArray::number(number));
        return {};
    }
    case QJsonValue::String: {
        const QString text = value.toString();
        if (!isValidUnicode(text))
            return invalid(path.text() + QStringLiteral(": invalid Unicode"));
        appendJsonString(out, text.toUtf8());
        return {};
    }
    case QJsonValue::Array: {
        if (depth + 1 > kMaxDetailsDepth)
            return invalid(path.text() +
                           QStringLiteral(": nested deeper than %1").arg(kMaxDetailsDepth));
        out.append('[');
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i > 0)
                out.append(',');
            const DetailsPath element{&path, {}, i};
            if (Status status = appendCanonical(out, array.at(i), element, depth + 1); !status)
                return status;
        }
        out.append(']');
        return {};
    }
    case QJsonValue::Object:
        return appendCanonicalObject(out, value.toObject(), path, depth + 1);
    case QJsonValue::Undefined:
        break;
    }
    return invalid(path.text() + QStringLiteral(": unsupported JSON value"));
}

} // namespace

QString auditTimeToString(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

Result<QDateTime> auditTimeFromString(QStringView text)
{
    // yyyy-MM-ddTHH:mm:ss.zzzZ
    if (text.size() != 24 || !text.endsWith(QLatin1Char('Z')))
        return invalid(QStringLiteral("not a UTC time of the form 2026-03-14T15:09:26.535Z"));
    const QDateTime time = QDateTime::fromString(text.toString(), Qt::ISODateWithMs);
    if (!time.isValid() || auditTimeToString(time) != text)
        return invalid(QStringLiteral("not a UTC time of the form 2026-03-14T15:09:26.535Z"));
    return time.toUTC();
}

namespace {

// What the log assigns: id, sequence, time.
Status validateAssigned(const AuditEvent &event)
{
    if (!isCanonicalUuid(event.id))
        return invalid(QStringLiteral("id: not a lowercase UUID (8-4-4-4-12)"));
    if (event.sequence > kMaxSequence)
        return invalid(QStringLiteral("sequence: larger than 2^53-1"));
    if (!event.time.isValid())
        return invalid(QStringLiteral("time: invalid"));
    const QDate date = event.time.toUTC().date();
    if (date.year() < 1970 || date.year() > 9999)
        return invalid(QStringLiteral("time: outside the years 1970..9999"));
    return {};
}

// The caller's text fields (everything else but details, which encoding them validates).
Status validateCallerFields(const AuditEvent &event)
{
    struct Field
    {
        const QString &value;
        const char *name;
        bool required;
    };
    const Field fields[] = {
        {event.actor, "actor", true},
        {event.impersonator, "impersonator", false},
        {event.tenant, "tenant", false},
        {event.action, "action", true},
        {event.target, "target", false},
        {event.outcome, "outcome", true},
        {event.sourceIp, "sourceIp", false},
        {event.requestId, "requestId", false},
        {event.classification, "classification", true},
    };
    for (const Field &field : fields)
        if (Status status = checkString(field.value, field.name, field.required); !status)
            return status;
    if (!event.tenant.isEmpty() && !isSlug(event.tenant))
        return invalid(QStringLiteral("tenant: not a slug ([a-z0-9-], at most 63)"));
    if (!isActionName(event.action))
        return invalid(QStringLiteral("action: not of the form [a-z0-9][a-z0-9._:-]*"));
    if (!isActionName(event.classification))
        return invalid(QStringLiteral("classification: not of the form [a-z0-9][a-z0-9._:-]*"));
    if (event.outcome != QLatin1String("success") && event.outcome != QLatin1String("failure") &&
        event.outcome != QLatin1String("denied"))
        return invalid(QStringLiteral("outcome: not one of success, failure, denied"));
    return {};
}

} // namespace

Status validateEvent(const AuditEvent &event)
{
    if (Status status = validateAssigned(event); !status)
        return status;
    if (Result<QByteArray> tail = canonicalTail(event); !tail)
        return tail.error();
    return {};
}

Result<QByteArray> canonicalDetailsJson(const QJsonObject &details)
{
    QByteArray out;
    out.reserve(256);
    if (Status status = appendCanonicalObject(out, details, DetailsPath{}, 1); !status)
        return status.error();
    if (out.size() > kMaxDetailsBytes)
        return invalid(QStringLiteral("details: longer than %1 bytes").arg(kMaxDetailsBytes));
    return out;
}

QByteArray canonicalHead(QStringView id, uint64_t sequence, const QDateTime &time)
{
    QByteArray out;
    out.reserve(3 + 4 + 36 + 16);
    out.append(kMagic, 3);
    appendField(out, id.toUtf8());
    appendUint64(out, sequence);
    appendUint64(out, uint64_t(time.toMSecsSinceEpoch()));
    return out;
}

Result<QByteArray> canonicalTail(const AuditEvent &event)
{
    if (Status status = validateCallerFields(event); !status)
        return status.error();
    Result<QByteArray> details = canonicalDetailsJson(event.details);
    if (!details)
        return details.error();
    QByteArray out;
    out.reserve(details->size() + 16 * 12);
    for (const QString *field :
         {&event.actor, &event.impersonator, &event.tenant, &event.action, &event.target,
          &event.outcome, &event.sourceIp, &event.requestId, &event.classification})
        appendField(out, field->toUtf8());
    appendField(out, *details);
    return out;
}

Result<QByteArray> canonicalBytes(const AuditEvent &event)
{
    // validateEvent, with the tail encoded once (validating it is encoding it).
    if (Status status = validateAssigned(event); !status)
        return status.error();
    Result<QByteArray> tail = canonicalTail(event);
    if (!tail)
        return tail.error();
    return QByteArray(canonicalHead(event.id, event.sequence, event.time) + *tail);
}

Result<Hash> leafHashOf(const AuditEvent &event)
{
    Result<QByteArray> bytes = canonicalBytes(event);
    if (!bytes)
        return bytes.error();
    return leafHash(*bytes);
}

Result<QByteArray> eventToJson(const AuditEvent &event)
{
    if (Status status = validateEvent(event); !status)
        return status.error();
    QJsonObject object;
    object.insert(QStringLiteral("id"), event.id);
    object.insert(QStringLiteral("sequence"), qint64(event.sequence));
    object.insert(QStringLiteral("time"), auditTimeToString(event.time));
    object.insert(QStringLiteral("actor"), event.actor);
    object.insert(QStringLiteral("impersonator"), event.impersonator);
    object.insert(QStringLiteral("tenant"), event.tenant);
    object.insert(QStringLiteral("action"), event.action);
    object.insert(QStringLiteral("target"), event.target);
    object.insert(QStringLiteral("outcome"), event.outcome);
    object.insert(QStringLiteral("sourceIp"), event.sourceIp);
    object.insert(QStringLiteral("requestId"), event.requestId);
    object.insert(QStringLiteral("classification"), event.classification);
    object.insert(QStringLiteral("details"), event.details);
    QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    if (line.size() > kMaxEventLineBytes)
        return invalid(
            QStringLiteral("event: JSON line longer than %1 bytes").arg(kMaxEventLineBytes));
    return line;
}

Result<AuditEvent> eventFromJson(QByteArrayView line)
{
    if (line.size() > kMaxEventLineBytes)
        return invalid(QStringLiteral("longer than %1 bytes").arg(kMaxEventLineBytes));
    auto parsed = parseJsonObject(line);
    if (!parsed)
        return parsed.error();
    const QJsonObject object = parsed.value();

    static const char *const stringFields[] = {
        "id",     "time",    "actor",    "impersonator", "tenant",        "action",
        "target", "outcome", "sourceIp", "requestId",    "classification"};
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString &key = it.key();
        const bool known =
            key == QLatin1String("sequence") || key == QLatin1String("details") ||
            std::any_of(std::begin(stringFields), std::end(stringFields),
                        [&](const char *name) { return key == QLatin1String(name); });
        if (!known)
            return invalid(QStringLiteral("unknown field '%1'").arg(key.left(64)));
    }
    AuditEvent event;
    QString *targets[] = {
        &event.id,       nullptr,          &event.actor,         &event.impersonator,
        &event.tenant,   &event.action,    &event.target,        &event.outcome,
        &event.sourceIp, &event.requestId, &event.classification};
    static_assert(std::size(stringFields) == std::size(targets));
    QString timeText;
    targets[1] = &timeText;
    for (size_t i = 0; i < std::size(stringFields); ++i) {
        const QJsonValue value = object.value(QLatin1String(stringFields[i]));
        if (value.isUndefined())
            return invalid(QLatin1String(stringFields[i]) + QStringLiteral(": missing"));
        if (!value.isString())
            return invalid(QLatin1String(stringFields[i]) + QStringLiteral(": not a string"));
        *targets[i] = value.toString();
    }
    const QJsonValue sequence = object.value(QLatin1String("sequence"));
    if (sequence.isUndefined())
        return invalid(QStringLiteral("sequence: missing"));
    constexpr qint64 notWhole = std::numeric_limits<qint64>::min();
    const qint64 sequenceNumber = sequence.isDouble() ? sequence.toInteger(notWhole) : notWhole;
    if (sequenceNumber < 0 || uint64_t(sequenceNumber) > kMaxSequence)
        return invalid(QStringLiteral("sequence: not an integer in 0..2^53-1"));
    event.sequence = uint64_t(sequenceNumber);
    Result<QDateTime> time = auditTimeFromString(timeText);
    if (!time)
        return time.error().context(QStringLiteral("time"));
    event.time = *time;
    const QJsonValue details = object.value(QLatin1String("details"));
    if (details.isUndefined())
        return invalid(QStringLiteral("details: missing"));
    if (!details.isObject())
        return invalid(QStringLiteral("details: not an object"));
    event.details = details.toObject();
    if (Status status = validateEvent(event); !status)
        return status.error();
    return event;
}

} // namespace upcoach::compliance
