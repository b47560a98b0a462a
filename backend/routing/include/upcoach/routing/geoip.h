// Country of an IP address from a MaxMind DB file (libmaxminddb): the CC0 geo-whois-asn-country
// database that scripts/setup.sh fetches, or any MaxMind GeoIP2/GeoLite2 City or Country file.
#pragma once

#include "upcoach/core/result.h"
#include "upcoach/routing/ipaddress.h"

#include <QString>
#include <memory>

namespace upcoach::routing {

class GeoIpDatabase
{
public:
    ~GeoIpDatabase();
    GeoIpDatabase(const GeoIpDatabase &) = delete;
    GeoIpDatabase &operator=(const GeoIpDatabase &) = delete;

    // Opens (memory-maps) the file. A missing, unreadable or non-MMDB file, or one with no
    // country data (an ASN-only database), is an Error naming the path and what to do.
    static Result<std::unique_ptr<GeoIpDatabase>> open(const QString &path);

    // Where scripts/setup.sh puts the CC0 database (compiled in); routing.geoip_database in the
    // config overrides it.
    static QString defaultPath();

    // The country of the address; an unknown CountryCode when the database has none (private,
    // reserved or unallocated space). Thread-safe, lock-free, no allocation.
    CountryCode country(const IpAddress &address) const noexcept;

    // libmaxminddb's lookup alone, for the routing benchmark's reference: true when the
    // address has an entry. Does not decode the record.
    bool rawLookup(const IpAddress &address) const noexcept;

    QString databaseType() const; // metadata database_type
    QString buildDate() const;    // metadata build_epoch as an ISO date
    QString path() const;

private:
    GeoIpDatabase();
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace upcoach::routing
