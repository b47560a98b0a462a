#include "upcoach/routing/countryatlas.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <cmath>
#include <numbers>

namespace upcoach::routing {

namespace {

constexpr qsizetype kMaxAtlasBytes = 1 << 20;
constexpr qsizetype kMaxNameLength = 100;
constexpr double kEarthRadiusKm = 6371.0088; // IUGG mean radius

Error atlasError(const QString &where, const QString &what)
{
    return makeError(ErrorCode::InvalidInput, QStringLiteral("country atlas: ") + where + what);
}

} // namespace

const CountryAtlas &CountryAtlas::builtin()
{
    static const CountryAtlas atlas = [] {
        QFile file(QStringLiteral(":/upcoach/world/countries.json"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("the built-in country atlas (:/upcoach/world/countries.json) is missing from "
                   "the binary's resources: link upcoach_routing");
        auto parsed = fromJson(file.read(kMaxAtlasBytes + 1));
        if (!parsed)
            qFatal("the built-in country atlas is invalid: %s",
                   qUtf8Printable(parsed.error().message));
        return std::move(parsed).value();
    }();
    return atlas;
}

Result<CountryAtlas> CountryAtlas::fromJson(const QByteArray &json)
{
    if (json.size() > kMaxAtlasBytes)
        return atlasError(QString(), QStringLiteral("larger than 1 MiB"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (document.isNull())
        return atlasError(QString(), parseError.errorString() +
                                         QStringLiteral(" at offset %1").arg(parseError.offset));
    if (!document.isArray() || document.array().isEmpty())
        return atlasError(QString(), QStringLiteral("a non-empty array of countries is expected"));
    const QJsonArray array = document.array();
    if (array.size() > CountryCode::kTableSize)
        return atlasError(QString(), QStringLiteral("more entries (%1) than there are two-letter "
                                                    "codes")
                                         .arg(array.size()));

    CountryAtlas atlas;
    atlas.m_byIndex.assign(CountryCode::kTableSize, -1);
    atlas.m_countries.reserve(static_cast<std::size_t>(array.size()));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString where = QStringLiteral("[%1].").arg(i);
        if (!array.at(i).isObject())
            return atlasError(QStringLiteral("[%1]").arg(i),
                              QStringLiteral(": an object is expected"));
        const QJsonObject object = array.at(i).toObject();
        CountryPoint point;
        const QJsonValue code = object.value(QLatin1String("code"));
        point.code = CountryCode::fromString(code.toString());
        if (!code.isString() || !point.code.valid() || code.toString() != point.code.toString())
            return atlasError(where + QStringLiteral("code"),
                              QStringLiteral(": two upper-case letters (ISO 3166-1 alpha-2) "
                                             "are required"));
        const QJsonValue name = object.value(QLatin1String("name"));
        if (!name.isString() || name.toString().trimmed().isEmpty() ||
            name.toString().size() > kMaxNameLength)
            return atlasError(where + QStringLiteral("name"),
                              QStringLiteral(": a non-empty string of at most %1 characters is "
                                             "required")
                                  .arg(kMaxNameLength));
        point.name = name.toString();
        const QJsonValue latitude = object.value(QLatin1String("latitude"));
        const QJsonValue longitude = object.value(QLatin1String("longitude"));
        if (!latitude.isDouble() || std::abs(latitude.toDouble()) > 90)
            return atlasError(where + QStringLiteral("latitude"),
                              QStringLiteral(": a number between -90 and 90 is required"));
        if (!longitude.isDouble() || std::abs(longitude.toDouble()) > 180)
            return atlasError(where + QStringLiteral("longitude"),
                              QStringLiteral(": a number between -180 and 180 is required"));
        point.latitude = latitude.toDouble();
        point.longitude = longitude.toDouble();
        if (!atlas.m_countries.empty() &&
            !(atlas.m_countries.back().code.toString() < point.code.toString()))
            return atlasError(where + QStringLiteral("code"),
                              QStringLiteral(": %1 is a duplicate or out of order (entries are "
                                             "sorted by code)")
                                  .arg(point.code.toString()));
        atlas.m_byIndex[static_cast<std::size_t>(point.code.index())] =
            static_cast<int>(atlas.m_countries.size());
        atlas.m_countries.push_back(std::move(point));
    }
    return atlas;
}

const CountryPoint *CountryAtlas::find(CountryCode code) const noexcept
{
    const int index = code.index();
    if (!code.valid() || index < 0 || index >= CountryCode::kTableSize || m_byIndex.empty())
        return nullptr;
    const int position = m_byIndex[static_cast<std::size_t>(index)];
    return position < 0 ? nullptr : &m_countries[static_cast<std::size_t>(position)];
}

double greatCircleKm(double lat1, double lon1, double lat2, double lon2) noexcept
{
    constexpr double radians = std::numbers::pi / 180.0;
    const double phi1 = lat1 * radians;
    const double phi2 = lat2 * radians;
    const double sinHalfDeltaPhi = std::sin((lat2 - lat1) * radians / 2);
    const double sinHalfDeltaLambda = std::sin((lon2 - lon1) * radians / 2);
    const double h = sinHalfDeltaPhi * sinHalfDeltaPhi +
                     std::cos(phi1) * std::cos(phi2) * sinHalfDeltaLambda * sinHalfDeltaLambda;
    return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::min(1.0, h)));
}

} // namespace upcoach::routing
