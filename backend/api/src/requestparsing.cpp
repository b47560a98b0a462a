#include "requestparsing.h"

#include "upcoach/compliance/auditevent.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUrl>

namespace upcoach::api::detail {

namespace {

constexpr qsizetype kMaxListedNames = 10;
constexpr qsizetype kMaxNameLength = 64;
constexpr qsizetype kMaxDetailLength = 500;

} // namespace

QByteArray mediaType(const QByteArray &contentType)
{
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().toLower();
}

Problem unsupported(const QString &accepted)
{
    Problem problem = unsupportedMediaType();
    problem.detail = QStringLiteral("Content-Type: send the request body as %1").arg(accepted);
    problem.extensions.insert(QStringLiteral("field"), QStringLiteral("Content-Type"));
    return problem;
}

// A 400 whose detail starts with the field it is about, and names it in "field" too.
Problem invalidField(const QString &field, const QString &what)
{
    Problem problem = badRequest(field + QStringLiteral(": ") + what);
    problem.extensions.insert(QStringLiteral("field"), field);
    return problem;
}

// A name fit to repeat in a problem detail: percent-encoded, bounded.
QString printableName(const QString &name)
{
    QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(name.left(kMaxNameLength)));
    if (name.size() > kMaxNameLength)
        encoded += QStringLiteral("...");
    return encoded.isEmpty() ? QStringLiteral("(empty name)") : encoded;
}

// Refuses fields not in `known`, naming them.
std::optional<Problem> refuseUnknownFields(const QJsonObject &object, const QStringList &known)
{
    QStringList unknown;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!known.contains(it.key()) && unknown.size() < kMaxListedNames)
            unknown.append(printableName(it.key()));
    }
    if (unknown.isEmpty())
        return std::nullopt;
    Problem problem =
        badRequest(QStringLiteral("unknown field(s): %1 (known: %2)")
                       .arg(unknown.join(QStringLiteral(", ")), known.join(QStringLiteral(", "))));
    problem.extensions.insert(QStringLiteral("fields"), QJsonArray::fromStringList(unknown));
    return problem;
}

std::variant<QJsonObject, Problem> jsonObjectBody(const QByteArray &body, const QString &example)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return badRequest(QStringLiteral("the body is not a JSON object; send %1").arg(example));
    return document.object();
}

std::optional<Problem> readString(const QJsonObject &object, const QString &field, QString *out)
{
    const QJsonValue value = object.value(field);
    if (!value.isString())
        return invalidField(field, QStringLiteral("expected a string"));
    *out = value.toString();
    return std::nullopt;
}

bool present(const QJsonObject &object, const QString &field)
{
    return object.contains(field);
}

bool givenNotNull(const QJsonObject &object, const QString &field)
{
    return object.contains(field) && !object.value(field).isNull();
}

QString boundedDetail(const QString &message)
{
    QString out;
    out.reserve(std::min(message.size(), kMaxDetailLength + 3));
    for (const QChar c : message) {
        if (out.size() >= kMaxDetailLength) {
            out += QStringLiteral("...");
            break;
        }
        out += (c.unicode() < 0x20 || c.unicode() == 0x7f) ? QLatin1Char(' ') : c;
    }
    return out;
}

QJsonValue timeOrNull(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(compliance::auditTimeToString(time))
                          : QJsonValue(QJsonValue::Null);
}

int digitsValue(const QString &text, int maxDigits)
{
    if (text.isEmpty() || text.size() > maxDigits)
        return -1;
    int value = 0;
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return -1;
        value = value * 10 + (c.unicode() - '0');
    }
    return value;
}

QueryError refuseParameter(const QString &parameter, const QString &detail)
{
    return QueryError{{parameter}, parameter + QStringLiteral(": ") + detail};
}

std::optional<QueryError> readPaging(const QHash<QString, QString> &values, int maxLimit,
                                     int maxOffset, int &limit, int &offset)
{
    const auto digits = [](int max) { return int(QString::number(max).size()); };
    if (values.contains(QStringLiteral("limit"))) {
        const int value = digitsValue(values.value(QStringLiteral("limit")), digits(maxLimit));
        if (value < 1 || value > maxLimit)
            return refuseParameter(
                QStringLiteral("limit"),
                QStringLiteral("expected a whole number from 1 to %1").arg(maxLimit));
        limit = value;
    }
    if (values.contains(QStringLiteral("offset"))) {
        const int value = digitsValue(values.value(QStringLiteral("offset")), digits(maxOffset));
        if (value < 0 || value > maxOffset)
            return refuseParameter(
                QStringLiteral("offset"),
                QStringLiteral("expected a whole number from 0 to %1").arg(maxOffset));
        offset = value;
    }
    return std::nullopt;
}

// The query's parameters by name when each is one of `known` and given at most once; else the
// refusal naming the unknown (first) or repeated ones.
std::variant<QHash<QString, QString>, QueryError> collectParameters(const QUrlQuery &urlQuery,
                                                                    const QStringList &known)
{
    QHash<QString, QString> values;
    QStringList unknown;
    QStringList repeated;
    for (const auto &[name, value] : urlQuery.queryItems(QUrl::FullyDecoded)) {
        if (!known.contains(name)) {
            const QString printable = printableName(name);
            if (!unknown.contains(printable) && unknown.size() < kMaxListedNames)
                unknown.append(printable);
            continue;
        }
        if (values.contains(name)) {
            if (!repeated.contains(name))
                repeated.append(name);
            continue;
        }
        values.insert(name, value);
    }
    if (!unknown.isEmpty())
        return QueryError{unknown, QStringLiteral("unknown query parameter(s): %1 (known: %2)")
                                       .arg(unknown.join(QStringLiteral(", ")),
                                            known.join(QStringLiteral(", ")))};
    if (!repeated.isEmpty())
        return QueryError{repeated, QStringLiteral("query parameter(s) given more than once: %1")
                                        .arg(repeated.join(QStringLiteral(", ")))};
    return values;
}

Problem conflict(const char *slug, const char *title, const QString &detail)
{
    return Problem{409, QString::fromLatin1(slug), QString::fromLatin1(title), detail, {}};
}

Problem queryProblem(const QueryError &error)
{
    Problem problem = badRequest(error.detail);
    problem.extensions.insert(QStringLiteral("parameters"),
                              QJsonArray::fromStringList(error.parameters));
    return problem;
}

} // namespace upcoach::api::detail
