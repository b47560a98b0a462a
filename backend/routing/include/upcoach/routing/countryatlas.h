// Countries as the router and the map see them, from Natural Earth (resources/world/, compiled
// in): ISO code, name, and a representative point inside the country's main landmass (the pole
// of inaccessibility of its largest polygon — not a centroid dragged off by overseas territories).
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/routing/ipaddress.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace upcoach::routing {

struct CountryPoint
{
    CountryCode code;
    QString name;        // Natural Earth's short English name
    double latitude = 0; // WGS 84 degrees
    double longitude = 0;
};

class CountryAtlas
{
public:
    // The atlas compiled into the binary (parsed once, thread-safe).
    static const CountryAtlas &builtin();
    // Parses and validates the countries.json format (at most 1 MiB): an array of
    // {code, numeric, name, latitude, longitude}; errors name the entry and the field.
    static Result<CountryAtlas> fromJson(const QByteArray &json);

    // nullptr for an unknown code. O(1), no allocation.
    const CountryPoint *find(CountryCode code) const noexcept;
    const std::vector<CountryPoint> &countries() const noexcept { return m_countries; }

private:
    std::vector<CountryPoint> m_countries; // sorted by code
    std::vector<int> m_byIndex;            // CountryCode::index() → position or -1
};

// Great-circle distance in kilometres (haversine, mean Earth radius 6371.0088 km).
double greatCircleKm(double lat1, double lon1, double lat2, double lon2) noexcept;

} // namespace upcoach::routing
