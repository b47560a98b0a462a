// Request-parsing helpers shared by the tenant routes and the tenant operations routes: media
// types, JSON object bodies with known fields, typed fields, query parameters given at most once.
// Every refusal names the field or parameter and never repeats a raw value.
#pragma once

#include "auditquery.h"
#include "httpsupport.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>
#include <QUrlQuery>
#include <optional>
#include <variant>

namespace upcoach::api::detail {

// "application/json; charset=utf-8" → "application/json".
QByteArray mediaType(const QByteArray &contentType);
// 415 naming Content-Type: "send the request body as <accepted>".
Problem unsupported(const QString &accepted);
// A 400 whose detail starts with the field it is about ("reason: ..."), named in "field" too.
Problem invalidField(const QString &field, const QString &what);
// A name fit to repeat in a problem detail: percent-encoded, bounded.
QString printableName(const QString &name);
// Refuses fields not in `known`, naming them (detail and "fields").
std::optional<Problem> refuseUnknownFields(const QJsonObject &object, const QStringList &known);
// The body as a JSON object; else 400 suggesting `example`.
std::variant<QJsonObject, Problem> jsonObjectBody(const QByteArray &body, const QString &example);
// A string field; else 400 naming it.
std::optional<Problem> readString(const QJsonObject &object, const QString &field, QString *out);
bool present(const QJsonObject &object, const QString &field);
bool givenNotNull(const QJsonObject &object, const QString &field);
// A domain message fit for a problem detail: control characters blanked, at most 500 characters.
QString boundedDetail(const QString &message);
// RFC 3339 UTC with milliseconds, or null for an invalid time.
QJsonValue timeOrNull(const QDateTime &time);
// Decimal digits only, at most `maxDigits` of them; -1 otherwise.
int digitsValue(const QString &text, int maxDigits);
// "<parameter>: <detail>", naming the parameter.
QueryError refuseParameter(const QString &parameter, const QString &detail);
// Reads "limit" (1..maxLimit) and "offset" (0..maxOffset) into the given fields when present;
// the refusal naming the first bad one otherwise.
std::optional<QueryError> readPaging(const QHash<QString, QString> &values, int maxLimit,
                                     int maxOffset, int &limit, int &offset);
// The query's parameters by name when each is one of `known` and given at most once; else the
// refusal naming the unknown (first) or repeated ones.
std::variant<QHash<QString, QString>, QueryError> collectParameters(const QUrlQuery &urlQuery,
                                                                    const QStringList &known);
// 400 with the refusal's detail and its parameters in "parameters".
Problem queryProblem(const QueryError &error);
// 409 of type `slug`.
Problem conflict(const char *slug, const char *title, const QString &detail);

} // namespace upcoach::api::detail
