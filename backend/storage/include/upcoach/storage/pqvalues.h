// Small conversions between Qt values and libpqxx parameters/fields, shared by the stores that
// write parameterised SQL (never values spliced into SQL text). Header-only.
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QUuid>
#include <pqxx/pqxx>
#include <string>

namespace upcoach::storage::pq {

inline std::string text(const QString &value)
{
    return value.toStdString();
}

inline std::string uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

// A bytea parameter.
inline pqxx::binarystring bytes(const QByteArray &data)
{
    return pqxx::binarystring(data.constData(), size_t(data.size()));
}

// A timestamp selected as to_char(... AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
// invalid for NULL.
inline QDateTime instant(const pqxx::field &field)
{
    if (field.is_null())
        return {};
    return QDateTime::fromString(QString::fromStdString(field.as<std::string>()), Qt::ISODateWithMs)
        .toUTC();
}

// A text[] literal for a "$n::text[]" parameter: every element double-quoted, '"' and '\'
// escaped, so any string round-trips.
inline std::string textArray(const QStringList &values)
{
    std::string out = "{";
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i)
            out += ',';
        out += '"';
        for (const char c : values.at(i).toStdString()) {
            if (c == '"' || c == '\\')
                out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

// A text[] field, parsed with libpqxx's array parser (quoting and NULLs handled; NULL elements
// are skipped).
inline QStringList stringArray(const pqxx::field &field)
{
    QStringList out;
    if (field.is_null())
        return out;
    pqxx::array_parser parser = field.as_array();
    for (auto item = parser.get_next(); item.first != pqxx::array_parser::juncture::done;
         item = parser.get_next()) {
        if (item.first == pqxx::array_parser::juncture::string_value)
            out.append(QString::fromStdString(item.second));
    }
    return out;
}

} // namespace upcoach::storage::pq
