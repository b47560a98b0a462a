// The regions UpCoach serves from, as data (resources/regions.json, compiled in).
#pragma once

#include "upcoach/core/result.h"

#include <QString>
#include <vector>

namespace upcoach {

struct Region
{
    QString id;          // "eu-west-1"
    QString displayName; // "Europe (Ireland)"
    QString city;        // "Dublin"
    QString country;     // ISO 3166-1 alpha-2, "IE"
    QString continent;   // "Europe"
    double latitude = 0;
    double longitude = 0;
};

class RegionCatalog
{
public:
    // The catalog compiled into the binary.
    static const RegionCatalog &builtin();
    // Parses a catalog document; every field is validated and errors name the entry and field.
    static Result<RegionCatalog> fromJson(const QByteArray &json);

    const std::vector<Region> &regions() const { return m_regions; }
    const Region *find(const QString &id) const;
    // The first n regions in catalog order (n is clamped to [1, size]).
    std::vector<Region> firstN(int n) const;

private:
    std::vector<Region> m_regions;
};

} // namespace upcoach
