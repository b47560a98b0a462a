#include "upcoach/core/regioncatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <algorithm>
#include <set>

namespace upcoach {

namespace {

constexpr qsizetype maxCatalogBytes = 1 << 20;

Result<QString> requiredString(const QJsonObject &object, const QString &where, const char *field)
{
    const QJsonValue value = object.value(QLatin1String(field));
    if (!value.isString() || value.toString().trimmed().isEmpty())
        return makeError(ErrorCode::InvalidInput,
                         where + QStringLiteral(".") + QLatin1String(field) +
                             QStringLiteral(": a non-empty string is required"));
    return value.toString();
}

Result<double> requiredNumber(const QJsonObject &object, const QString &where, const char *field,
                              double min, double max)
{
    const QJsonValue value = object.value(QLatin1String(field));
    if (!value.isDouble() || value.toDouble() < min || value.toDouble() > max)
        return makeError(
            ErrorCode::InvalidInput,
            where + QStringLiteral(".") + QLatin1String(field) +
                QStringLiteral(": a number between %1 and %2 is required").arg(min).arg(max));
    return value.toDouble();
}

} // namespace

const RegionCatalog &RegionCatalog::builtin()
{
    static const RegionCatalog catalog = [] {
        QFile file(QStringLiteral(":/upcoach/regions.json"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("the built-in region catalog is missing from the binary's resources");
        auto parsed = fromJson(file.readAll());
        if (!parsed)
            qFatal("the built-in region catalog is invalid: %s",
                   qUtf8Printable(parsed.error().message));
        return parsed.value();
    }();
    return catalog;
}

Result<RegionCatalog> RegionCatalog::fromJson(const QByteArray &json)
{
    if (json.size() > maxCatalogBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("region catalog: larger than 1 MiB"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (document.isNull())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("region catalog: ") + parseError.errorString() +
                             QStringLiteral(" at offset %1").arg(parseError.offset));
    const QJsonValue list = document.object().value(QStringLiteral("regions"));
    if (!list.isArray() || list.toArray().isEmpty())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("region catalog: \"regions\" must be a non-empty array"));

    static const QRegularExpression idPattern(QStringLiteral("^[a-z]{2}-[a-z]+-[0-9]+$"));
    RegionCatalog catalog;
    std::set<QString> seen;
    const QJsonArray array = list.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = QStringLiteral("regions[%1]").arg(i);
        const QJsonObject object = array.at(i).toObject();
        Region region;
        auto id = requiredString(object, where, "id");
        if (!id)
            return id.error();
        if (!idPattern.match(id.value()).hasMatch())
            return makeError(ErrorCode::InvalidInput,
                             where + QStringLiteral(".id: \"") + id.value() +
                                 QStringLiteral("\" is not a region id like \"eu-west-1\""));
        if (!seen.insert(id.value()).second)
            return makeError(ErrorCode::InvalidInput, where + QStringLiteral(".id: \"") +
                                                          id.value() +
                                                          QStringLiteral("\" appears twice"));
        region.id = id.value();
        for (auto [field, target] :
             {std::pair{"displayName", &region.displayName}, std::pair{"city", &region.city},
              std::pair{"country", &region.country}, std::pair{"continent", &region.continent}}) {
            auto value = requiredString(object, where, field);
            if (!value)
                return value.error();
            *target = value.value();
        }
        auto latitude = requiredNumber(object, where, "latitude", -90, 90);
        if (!latitude)
            return latitude.error();
        auto longitude = requiredNumber(object, where, "longitude", -180, 180);
        if (!longitude)
            return longitude.error();
        region.latitude = latitude.value();
        region.longitude = longitude.value();
        catalog.m_regions.push_back(std::move(region));
    }
    return catalog;
}

const Region *RegionCatalog::find(const QString &id) const
{
    auto it = std::find_if(m_regions.begin(), m_regions.end(),
                           [&](const Region &r) { return r.id == id; });
    return it == m_regions.end() ? nullptr : &*it;
}

std::vector<Region> RegionCatalog::firstN(int n) const
{
    const auto count = size_t(std::clamp(n, 1, int(m_regions.size())));
    return {m_regions.begin(), m_regions.begin() + qsizetype(count)};
}

} // namespace upcoach
