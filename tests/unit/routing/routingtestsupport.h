// Helpers shared by the routing suites: policies from lines of YAML, snapshots with the built-in
// region catalog's coordinates and country atlas, region indices by id.
#pragma once

#include "upcoach/core/regioncatalog.h"
#include "upcoach/routing/countryatlas.h"
#include "upcoach/routing/geoip.h"
#include "upcoach/routing/router.h"
#include "upcoach/routing/trafficpolicy.h"

#include <QByteArray>
#include <QString>
#include <functional>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>

namespace upcoach::routing::testing {

// A document from lines (no raw string literals in files moc reads).
inline QByteArray yamlLines(std::initializer_list<const char *> lines)
{
    QByteArray out;
    for (const char *line : lines) {
        out += line;
        out += '\n';
    }
    return out;
}

// A policy that must parse; a parse error throws (the test then fails loudly with its message).
inline std::shared_ptr<const TrafficPolicy> policyFrom(const QByteArray &yaml)
{
    auto policy = parseTrafficPolicy(yaml, RegionCatalog::builtin());
    if (!policy)
        throw std::runtime_error(policy.error().message.toStdString());
    return std::make_shared<const TrafficPolicy>(std::move(policy).value());
}

inline std::shared_ptr<const TrafficPolicy> defaultPolicy()
{
    auto policy = defaultTrafficPolicy(RegionCatalog::builtin());
    if (!policy)
        throw std::runtime_error(policy.error().message.toStdString());
    return std::make_shared<const TrafficPolicy>(std::move(policy).value());
}

inline QByteArray testAffinityKey()
{
    return QByteArray(32, '\x5a');
}

// Inputs with the catalog's coordinates for the policy's regions, the built-in atlas and a
// fixed affinity key; `adjust` changes anything else.
inline RouteSnapshotInputs inputsFor(std::shared_ptr<const TrafficPolicy> policy)
{
    RouteSnapshotInputs inputs;
    inputs.atlas = &CountryAtlas::builtin();
    for (const QString &id : policy->regions) {
        const Region *region = RegionCatalog::builtin().find(id);
        inputs.regionLatitude.push_back(region ? region->latitude : 0.0);
        inputs.regionLongitude.push_back(region ? region->longitude : 0.0);
    }
    inputs.affinityKey = testAffinityKey();
    inputs.policy = std::move(policy);
    return inputs;
}

inline std::shared_ptr<const RouteSnapshot>
snapshotFor(std::shared_ptr<const TrafficPolicy> policy,
            const std::function<void(RouteSnapshotInputs &)> &adjust = {})
{
    RouteSnapshotInputs inputs = inputsFor(std::move(policy));
    if (adjust)
        adjust(inputs);
    return buildSnapshot(std::move(inputs));
}

inline int regionOf(const TrafficPolicy &policy, const char *id)
{
    const int index = policy.regionIndex(QString::fromLatin1(id));
    if (index < 0)
        throw std::runtime_error(std::string("no region ") + id + " in the policy");
    return index;
}

inline QString regionName(const TrafficPolicy &policy, int index)
{
    return index >= 0 && index < static_cast<int>(policy.regions.size())
               ? policy.regions[static_cast<std::size_t>(index)]
               : QStringLiteral("(none)");
}

inline IpAddress address(const char *text)
{
    const auto parsed = IpAddress::parse(std::string_view(text));
    if (!parsed)
        throw std::runtime_error(std::string("bad address in a test: ") + text);
    return *parsed;
}

inline CountryCode country(const char *code)
{
    return CountryCode::fromString(std::string_view(code));
}

} // namespace upcoach::routing::testing
