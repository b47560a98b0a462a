#include "trafficsetup.h"

#include "upcoach/tenancy/registry.h"

#include <QUrl>
#include <libpq-fe.h>
#include <memory>

namespace upcoach::app {

routing::TenantResidencySource tenantResidencySource(tenancy::TenantRegistry &registry)
{
    return [&registry]() -> Result<std::vector<routing::TenantResidency>> {
        std::vector<routing::TenantResidency> result;
        tenancy::TenantQuery query;
        query.limit = 1000;
        for (;;) {
            auto page = registry.list(query);
            if (!page)
                return page.error();
            for (const tenancy::Tenant &tenant : page->tenants)
                result.push_back(
                    {tenant.slug, tenant.displayName, tenant.homeRegion, tenant.allowedRegions});
            query.offset += static_cast<int>(page->tenants.size());
            if (page->tenants.empty() || query.offset >= page->total)
                break;
        }
        return result;
    };
}

namespace {

// host and port of a libpq connection string (the embedded clusters' key=value form).
std::pair<QString, quint16> hostAndPort(const QString &dsn)
{
    char *error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(dsn.toUtf8().constData(), &error), PQconninfoFree);
    PQfreemem(error);
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 5432;
    for (PQconninfoOption *option = options.get(); option && option->keyword; ++option) {
        if (!option->val || !*option->val)
            continue;
        if (qstrcmp(option->keyword, "host") == 0 || qstrcmp(option->keyword, "hostaddr") == 0)
            host = QString::fromUtf8(option->val);
        else if (qstrcmp(option->keyword, "port") == 0)
            port = static_cast<quint16>(QByteArray(option->val).toUShort());
    }
    return {host, port};
}

} // namespace

routing::RoutingSettings embeddedRoutingSettings(const std::vector<RegionEndpoint> &regions)
{
    routing::RoutingSettings settings;
    for (const RegionEndpoint &region : regions) {
        const auto [host, port] = hostAndPort(region.dsn);
        routing::HealthCheckSpec check;
        check.name = region.regionId + QStringLiteral("-database");
        check.regionId = region.regionId;
        check.kind = routing::CheckKind::Tcp;
        // A Unix socket directory: the cluster listens on loopback with the same port.
        check.host = host.startsWith(u'/') ? QStringLiteral("127.0.0.1") : host;
        check.port = port;
        check.interval = std::chrono::seconds(2);
        check.timeout = std::chrono::seconds(1);
        check.healthyThreshold = 2;
        check.unhealthyThreshold = 2;
        settings.healthChecks.push_back(check);
    }
    settings.syntheticTraffic = true;
    settings.syntheticRequestsPerSecond = 150;
    return settings;
}

} // namespace upcoach::app
