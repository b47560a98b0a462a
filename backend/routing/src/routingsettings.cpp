// RoutingSettings::fromYaml: the `routing:` section of the configuration.
#include "upcoach/core/config.h"
#include "upcoach/routing/trafficruntime.h"

#include <QDir>
#include <QHostAddress>
#include <algorithm>
#include <yaml-cpp/yaml.h>

namespace upcoach::routing {

namespace {

Error settingsError(const QString &key, const QString &problem)
{
    return Error{ErrorCode::Config,
                 QStringLiteral("routing.") + key + QStringLiteral(": ") + problem};
}

QString str(const YAML::Node &node)
{
    return QString::fromStdString(node.as<std::string>());
}

Status onlyKnown(const YAML::Node &map, const QString &where,
                 std::initializer_list<const char *> known)
{
    for (const auto &entry : map) {
        const std::string key = entry.first.as<std::string>();
        if (std::none_of(known.begin(), known.end(), [&](const char *k) { return key == k; })) {
            QStringList names;
            for (const char *k : known)
                names << QLatin1String(k);
            return settingsError(
                where.isEmpty() ? QString::fromStdString(key)
                                : where + u'.' + QString::fromStdString(key),
                QStringLiteral("unknown key (expected one of: %1)").arg(names.join(u", ")));
        }
    }
    return {};
}

Result<QString> text(const YAML::Node &node, const QString &key)
{
    if (!node || !node.IsScalar() || node.as<std::string>().empty())
        return settingsError(key, QStringLiteral("a non-empty string is required"));
    return str(node);
}

Result<int> number(const YAML::Node &node, const QString &key, int low, int high)
{
    bool ok = false;
    const int value = node && node.IsScalar() ? str(node).toInt(&ok) : 0;
    if (!ok || value < low || value > high)
        return settingsError(key,
                             QStringLiteral("a whole number from %1 to %2").arg(low).arg(high));
    return value;
}

Result<bool> boolean(const YAML::Node &node, const QString &key)
{
    const QString value = node && node.IsScalar() ? str(node) : QString();
    if (value != u"true" && value != u"false")
        return settingsError(key, QStringLiteral("true or false"));
    return value == u"true";
}

Result<std::chrono::milliseconds> duration(const YAML::Node &node, const QString &key)
{
    auto value = text(node, key);
    if (!value)
        return value.error();
    auto parsed = parseDuration(value.value());
    if (!parsed)
        return settingsError(key, parsed.error().message);
    return parsed.value();
}

QString resolve(const QString &path, const QString &baseDir)
{
    return QDir::isAbsolutePath(path) || baseDir.isEmpty() ? path : QDir(baseDir).filePath(path);
}

Result<HealthCheckSpec> parseCheck(const YAML::Node &node, const QString &key,
                                   const QString &baseDir, const RegionCatalog &catalog)
{
    if (!node.IsMap())
        return settingsError(key, QStringLiteral("must be a mapping"));
    if (auto s =
            onlyKnown(node, key,
                      {"name", "region", "kind", "host", "port", "path", "host_header", "interval",
                       "timeout", "healthy_threshold", "unhealthy_threshold", "expected_status",
                       "body_contains", "verify_certificate", "ca_file", "server_name"});
        !s)
        return s.error();
    HealthCheckSpec spec;
    auto name = text(node["name"], key + QStringLiteral(".name"));
    if (!name)
        return name.error();
    spec.name = name.value();
    auto region = text(node["region"], key + QStringLiteral(".region"));
    if (!region)
        return region.error();
    if (!catalog.find(region.value()))
        return settingsError(key + QStringLiteral(".region"),
                             QStringLiteral("unknown region \"%1\"").arg(region.value()));
    spec.regionId = region.value();
    auto kind = text(node["kind"], key + QStringLiteral(".kind"));
    if (!kind)
        return kind.error();
    if (kind.value() == u"http")
        spec.kind = CheckKind::Http;
    else if (kind.value() == u"https")
        spec.kind = CheckKind::Https;
    else if (kind.value() == u"tcp")
        spec.kind = CheckKind::Tcp;
    else
        return settingsError(key + QStringLiteral(".kind"), QStringLiteral("http, https or tcp"));
    auto host = text(node["host"], key + QStringLiteral(".host"));
    if (!host)
        return host.error();
    spec.host = host.value();
    if (node["port"]) {
        auto port = number(node["port"], key + QStringLiteral(".port"), 1, 65535);
        if (!port)
            return port.error();
        spec.port = static_cast<quint16>(port.value());
    }
    const auto optionalText = [&](const char *field, QString &target) -> Status {
        if (!node[field])
            return {};
        auto value = text(node[field], key + u'.' + QLatin1String(field));
        if (!value)
            return value.error();
        target = value.value();
        return {};
    };
    if (auto s = optionalText("path", spec.path); !s)
        return s.error();
    if (auto s = optionalText("host_header", spec.hostHeader); !s)
        return s.error();
    if (auto s = optionalText("server_name", spec.serverName); !s)
        return s.error();
    if (auto s = optionalText("ca_file", spec.caFile); !s)
        return s.error();
    if (!spec.caFile.isEmpty())
        spec.caFile = resolve(spec.caFile, baseDir);
    QString body;
    if (auto s = optionalText("body_contains", body); !s)
        return s.error();
    spec.bodyContains = body.toUtf8();
    if (node["interval"]) {
        auto value = duration(node["interval"], key + QStringLiteral(".interval"));
        if (!value)
            return value.error();
        spec.interval = value.value();
    }
    if (node["timeout"]) {
        auto value = duration(node["timeout"], key + QStringLiteral(".timeout"));
        if (!value)
            return value.error();
        spec.timeout = value.value();
    }
    if (node["healthy_threshold"]) {
        auto value =
            number(node["healthy_threshold"], key + QStringLiteral(".healthy_threshold"), 1, 10);
        if (!value)
            return value.error();
        spec.healthyThreshold = value.value();
    }
    if (node["unhealthy_threshold"]) {
        auto value = number(node["unhealthy_threshold"],
                            key + QStringLiteral(".unhealthy_threshold"), 1, 10);
        if (!value)
            return value.error();
        spec.unhealthyThreshold = value.value();
    }
    if (node["expected_status"]) {
        auto value = text(node["expected_status"], key + QStringLiteral(".expected_status"));
        if (!value)
            return value.error();
        const QStringList parts = value->split(u'-');
        bool okLow = false;
        bool okHigh = false;
        const int low = parts.value(0).toInt(&okLow);
        const int high = parts.size() == 2 ? parts.value(1).toInt(&okHigh) : low;
        if (!okLow || (parts.size() == 2 && !okHigh) || parts.size() > 2 || low < 100 ||
            high > 599 || low > high)
            return settingsError(key + QStringLiteral(".expected_status"),
                                 QStringLiteral("a status (200) or a range (200-399)"));
        spec.expectedStatusMin = low;
        spec.expectedStatusMax = high;
    }
    if (node["verify_certificate"]) {
        auto value =
            boolean(node["verify_certificate"], key + QStringLiteral(".verify_certificate"));
        if (!value)
            return value.error();
        spec.verifyCertificate = value.value();
    }
    if (auto valid = validate(spec); !valid)
        return settingsError(key, valid.error().message);
    return spec;
}

Result<DnsPublicationSettings> parseDns(const YAML::Node &node, const QString &baseDir,
                                        const RegionCatalog &catalog)
{
    const QString key = QStringLiteral("dns");
    if (!node.IsMap())
        return settingsError(key, QStringLiteral("must be a mapping"));
    if (auto s = onlyKnown(node, key,
                           {"server", "port", "zone", "key_name", "key_algorithm",
                            "key_secret_file", "ttl", "hostnames"});
        !s)
        return s.error();
    DnsPublicationSettings dns;
    if (node["server"]) {
        auto server = text(node["server"], key + QStringLiteral(".server"));
        if (!server)
            return server.error();
        dns.server = server.value();
    }
    if (node["port"]) {
        auto port = number(node["port"], key + QStringLiteral(".port"), 1, 65535);
        if (!port)
            return port.error();
        dns.port = static_cast<quint16>(port.value());
    }
    auto zone = text(node["zone"], key + QStringLiteral(".zone"));
    if (!zone)
        return zone.error();
    dns.zone = zone.value();
    auto keyName = text(node["key_name"], key + QStringLiteral(".key_name"));
    if (!keyName)
        return keyName.error();
    dns.keyName = keyName.value();
    if (node["key_algorithm"]) {
        auto algorithm = text(node["key_algorithm"], key + QStringLiteral(".key_algorithm"));
        if (!algorithm)
            return algorithm.error();
        dns.keyAlgorithm = algorithm.value();
    }
    auto secretFile = text(node["key_secret_file"], key + QStringLiteral(".key_secret_file"));
    if (!secretFile)
        return secretFile.error();
    dns.keySecretFile = resolve(secretFile.value(), baseDir);
    if (node["ttl"]) {
        auto ttl = number(node["ttl"], key + QStringLiteral(".ttl"), 0, 86400);
        if (!ttl)
            return ttl.error();
        dns.ttl = ttl.value();
    }
    const YAML::Node hostnames = node["hostnames"];
    if (!hostnames || !hostnames.IsSequence() || hostnames.size() == 0 || hostnames.size() > 64)
        return settingsError(key + QStringLiteral(".hostnames"),
                             QStringLiteral("a list of 1 to 64 hostnames is required"));
    for (std::size_t i = 0; i < hostnames.size(); ++i) {
        const QString at = QStringLiteral("%1.hostnames[%2]").arg(key).arg(i);
        const YAML::Node entry = hostnames[i];
        if (!entry.IsMap())
            return settingsError(at, QStringLiteral("must be a mapping of name and regions"));
        if (auto s = onlyKnown(entry, at, {"name", "regions"}); !s)
            return s.error();
        DnsHostname hostname;
        auto name = text(entry["name"], at + QStringLiteral(".name"));
        if (!name)
            return name.error();
        hostname.name = name.value();
        const YAML::Node regions = entry["regions"];
        if (!regions || !regions.IsMap() || regions.size() == 0)
            return settingsError(at + QStringLiteral(".regions"),
                                 QStringLiteral("a mapping of region → addresses is required"));
        for (const auto &region : regions) {
            const QString regionId = str(region.first);
            const QString regionKey = at + QStringLiteral(".regions.") + regionId;
            if (!catalog.find(regionId))
                return settingsError(regionKey, QStringLiteral("unknown region"));
            if (!region.second.IsSequence() || region.second.size() == 0)
                return settingsError(regionKey, QStringLiteral("a list of addresses is required"));
            QStringList addresses;
            for (const auto &address : region.second) {
                const QString value = address.IsScalar() ? str(address) : QString();
                if (QHostAddress(value).isNull())
                    return settingsError(
                        regionKey, QStringLiteral("'%1' is not an IP address").arg(value.left(64)));
                addresses << value;
            }
            hostname.regionAddresses[regionId] = addresses;
        }
        dns.hostnames.push_back(std::move(hostname));
    }
    return dns;
}

} // namespace

Result<RoutingSettings> RoutingSettings::fromYaml(const QByteArray &yaml, const QString &baseDir,
                                                  const RegionCatalog &catalog)
{
    RoutingSettings settings;
    if (yaml.trimmed().isEmpty())
        return settings;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (!root.IsMap())
            return Error{ErrorCode::Config, QStringLiteral("routing: must be a mapping")};
        if (auto s = onlyKnown(root, {},
                               {"policy_file", "geoip_database", "health_checks", "dns",
                                "synthetic_traffic", "synthetic_requests_per_second"});
            !s)
            return s.error();
        if (root["policy_file"]) {
            auto file = text(root["policy_file"], QStringLiteral("policy_file"));
            if (!file)
                return file.error();
            settings.policyFile = resolve(file.value(), baseDir);
        }
        if (root["geoip_database"]) {
            auto file = text(root["geoip_database"], QStringLiteral("geoip_database"));
            if (!file)
                return file.error();
            settings.geoipDatabase = resolve(file.value(), baseDir);
        }
        if (const YAML::Node checks = root["health_checks"]) {
            if (!checks.IsSequence() || checks.size() > 256)
                return settingsError(QStringLiteral("health_checks"),
                                     QStringLiteral("a list of at most 256 checks"));
            for (std::size_t i = 0; i < checks.size(); ++i) {
                auto check = parseCheck(checks[i], QStringLiteral("health_checks[%1]").arg(i),
                                        baseDir, catalog);
                if (!check)
                    return check.error();
                settings.healthChecks.push_back(check.value());
            }
            if (auto valid = validate(settings.healthChecks); !valid)
                return settingsError(QStringLiteral("health_checks"), valid.error().message);
        }
        if (root["dns"]) {
            auto dns = parseDns(root["dns"], baseDir, catalog);
            if (!dns)
                return dns.error();
            settings.dns = dns.value();
        }
        if (root["synthetic_traffic"]) {
            auto on = boolean(root["synthetic_traffic"], QStringLiteral("synthetic_traffic"));
            if (!on)
                return on.error();
            settings.syntheticTraffic = on.value();
        }
        if (root["synthetic_requests_per_second"]) {
            auto rate = number(root["synthetic_requests_per_second"],
                               QStringLiteral("synthetic_requests_per_second"), 1, 100000);
            if (!rate)
                return rate.error();
            settings.syntheticRequestsPerSecond = rate.value();
        }
    } catch (const YAML::Exception &e) {
        return Error{ErrorCode::Config,
                     QStringLiteral("routing: %1").arg(QString::fromStdString(e.msg))};
    }
    return settings;
}

} // namespace upcoach::routing
