#include "upcoach/core/config.h"

#include "upcoach/core/logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <algorithm>
#include <libpq-fe.h>
#include <memory>
#include <set>
#include <yaml-cpp/yaml.h>

namespace upcoach {

namespace {

constexpr qsizetype maxConfigBytes = 1 << 20;
constexpr qsizetype maxSecretFileBytes = 64 * 1024;

Error configError(const QString &key, const QString &problem)
{
    return makeError(ErrorCode::Config, key + QStringLiteral(": ") + problem);
}

QString str(const YAML::Node &node)
{
    return QString::fromStdString(node.as<std::string>());
}

// Rejects keys the schema does not know, so a typo is an error and not a silent default.
Status onlyKnownKeys(const YAML::Node &map, const QString &path,
                     std::initializer_list<const char *> known)
{
    for (const auto &entry : map) {
        const std::string key = entry.first.as<std::string>();
        if (std::none_of(known.begin(), known.end(), [&](const char *k) { return key == k; })) {
            QStringList names;
            for (const char *k : known)
                names << QLatin1String(k);
            return configError(path.isEmpty()
                                   ? QString::fromStdString(key)
                                   : path + QStringLiteral(".") + QString::fromStdString(key),
                               QStringLiteral("unknown key (expected one of: %1)")
                                   .arg(names.join(QStringLiteral(", "))));
        }
    }
    return {};
}

Result<QString> scalarString(const YAML::Node &node, const QString &key)
{
    if (!node || !node.IsScalar() || node.as<std::string>().empty())
        return configError(key, QStringLiteral("a non-empty string is required"));
    return str(node);
}

using ConninfoPairs = QList<std::pair<QString, QString>>;

// The keyword/value pairs a libpq connection string (key=value or URI form) sets. The error is
// libpq's reason, which never quotes a password.
Result<ConninfoPairs> parseConninfo(const QString &dsn)
{
    char *errorMessage = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(dsn.toUtf8().constData(), &errorMessage), PQconninfoFree);
    if (!options) {
        const QString reason = errorMessage ? QString::fromUtf8(errorMessage).trimmed()
                                            : QStringLiteral("cannot be parsed");
        PQfreemem(errorMessage);
        return makeError(ErrorCode::Config, reason);
    }
    ConninfoPairs pairs;
    for (PQconninfoOption *option = options.get(); option->keyword; ++option) {
        if (option->val && *option->val)
            pairs.append({QString::fromUtf8(option->keyword), QString::fromUtf8(option->val)});
    }
    return pairs;
}

// Checks a libpq connection string, refusing an inline password.
Status validateDsn(const QString &dsn, const QString &key)
{
    auto pairs = parseConninfo(dsn);
    if (!pairs)
        return configError(
            key,
            QStringLiteral("not a valid libpq connection string (%1)").arg(pairs.error().message));
    for (const auto &[keyword, value] : pairs.value()) {
        if (keyword == QLatin1String("password"))
            return configError(key, QStringLiteral("contains an inline password; put it in an "
                                                   "environment variable (password_env) or a "
                                                   "file (password_file) instead"));
    }
    return {};
}

namespace {

// password_env or password_file (at most one) of a mapping at `path`.
Status parsePasswordSource(const YAML::Node &node, const QString &path, QString &env, QString &file)
{
    if (node["password_env"] && node["password_file"])
        return configError(path, QStringLiteral("set password_env or password_file, not both"));
    if (node["password_env"]) {
        auto name = scalarString(node["password_env"], path + QStringLiteral(".password_env"));
        if (!name)
            return name.error();
        static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (!envName.match(name.value()).hasMatch())
            return configError(path + QStringLiteral(".password_env"),
                               QStringLiteral("not an environment variable name"));
        env = name.value();
    }
    if (node["password_file"]) {
        auto name = scalarString(node["password_file"], path + QStringLiteral(".password_file"));
        if (!name)
            return name.error();
        file = name.value();
    }
    return {};
}

// The keys: block (KeysConfig).
Status parseKeys(const YAML::Node &keys, KeysConfig &out)
{
    const QString path = QStringLiteral("keys");
    if (!keys.IsMap())
        return configError(path, QStringLiteral("must be a mapping"));
    if (auto s = onlyKnownKeys(keys, path, {"provider", "keyring_file", "pkcs11", "rotation_days"});
        !s)
        return s.error();
    if (keys["rotation_days"]) {
        bool ok = false;
        const int days =
            keys["rotation_days"].IsScalar()
                ? QString::fromStdString(keys["rotation_days"].as<std::string>()).toInt(&ok)
                : 0;
        if (!ok || days < 0 || days > 3650)
            return configError(QStringLiteral("keys.rotation_days"),
                               QStringLiteral("must be a whole number of days from 0 (never) to "
                                              "3650"));
        out.rotationDays = days;
    }
    if (keys["provider"]) {
        auto provider = scalarString(keys["provider"], QStringLiteral("keys.provider"));
        if (!provider)
            return provider.error();
        if (provider.value() == QLatin1String("keyring"))
            out.provider = KeysConfig::Provider::Keyring;
        else if (provider.value() == QLatin1String("pkcs11"))
            out.provider = KeysConfig::Provider::Pkcs11;
        else
            return configError(QStringLiteral("keys.provider"),
                               QStringLiteral("must be \"keyring\" or \"pkcs11\", not \"%1\"")
                                   .arg(provider.value()));
    }
    const bool pkcs11 = out.provider == KeysConfig::Provider::Pkcs11;
    if (keys["keyring_file"]) {
        if (pkcs11)
            return configError(QStringLiteral("keys.keyring_file"),
                               QStringLiteral("only applies to provider: keyring"));
        auto file = scalarString(keys["keyring_file"], QStringLiteral("keys.keyring_file"));
        if (!file)
            return file.error();
        out.keyringFile = file.value();
    }
    const YAML::Node block = keys["pkcs11"];
    if (!pkcs11) {
        if (block)
            return configError(QStringLiteral("keys.pkcs11"),
                               QStringLiteral("only applies to provider: pkcs11"));
        return {};
    }
    const QString p11 = QStringLiteral("keys.pkcs11");
    if (!block || !block.IsMap())
        return configError(p11, QStringLiteral("provider pkcs11 needs a mapping with module, "
                                               "token_label, pin_env or pin_file, key_label"));
    if (auto s = onlyKnownKeys(
            block, p11,
            {"module", "token_label", "pin_env", "pin_file", "key_label", "create_key"});
        !s)
        return s.error();
    auto module = scalarString(block["module"], p11 + QStringLiteral(".module"));
    if (!module)
        return module.error();
    if (!QFileInfo(module.value()).isAbsolute())
        return configError(p11 + QStringLiteral(".module"),
                           QStringLiteral("must be an absolute path to the PKCS#11 module (for "
                                          "SoftHSM2: /usr/lib/softhsm/libsofthsm2.so)"));
    out.pkcs11.module = module.value();
    auto token = scalarString(block["token_label"], p11 + QStringLiteral(".token_label"));
    if (!token)
        return token.error();
    if (token.value().toUtf8().size() > 32)
        return configError(p11 + QStringLiteral(".token_label"),
                           QStringLiteral("a PKCS#11 token label is at most 32 bytes"));
    out.pkcs11.tokenLabel = token.value();
    auto label = scalarString(block["key_label"], p11 + QStringLiteral(".key_label"));
    if (!label)
        return label.error();
    static const QRegularExpression labelPattern(
        QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$"));
    if (!labelPattern.match(label.value()).hasMatch())
        return configError(p11 + QStringLiteral(".key_label"),
                           QStringLiteral("1 to 48 characters from A-Z a-z 0-9 . _ - (versions "
                                          "are stored as <key_label>.v<N>)"));
    out.pkcs11.keyLabel = label.value();
    if (block["pin_env"] && block["pin_file"])
        return configError(p11, QStringLiteral("set pin_env or pin_file, not both"));
    if (!block["pin_env"] && !block["pin_file"])
        return configError(p11, QStringLiteral("the token's user PIN is needed: set pin_env "
                                               "(an environment variable) or pin_file"));
    if (block["pin_env"]) {
        auto name = scalarString(block["pin_env"], p11 + QStringLiteral(".pin_env"));
        if (!name)
            return name.error();
        static const QRegularExpression envName(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (!envName.match(name.value()).hasMatch())
            return configError(p11 + QStringLiteral(".pin_env"),
                               QStringLiteral("not an environment variable name"));
        out.pkcs11.pinEnv = name.value();
    } else {
        auto file = scalarString(block["pin_file"], p11 + QStringLiteral(".pin_file"));
        if (!file)
            return file.error();
        out.pkcs11.pinFile = file.value();
    }
    if (block["create_key"]) {
        const YAML::Node flag = block["create_key"];
        const QString text = flag.IsScalar() ? str(flag) : QString();
        if (text != QLatin1String("true") && text != QLatin1String("false"))
            return configError(p11 + QStringLiteral(".create_key"),
                               QStringLiteral("must be true or false"));
        out.pkcs11.createKey = text == QLatin1String("true");
    }
    return {};
}

} // namespace

Result<AppConfig> parse(const YAML::Node &root, const RegionCatalog &catalog)
{
    AppConfig config;
    if (!root.IsMap())
        return configError(QStringLiteral("(document)"), QStringLiteral("must be a mapping"));
    if (auto s = onlyKnownKeys(
            root, {},
            {"control_plane", "regions", "monitor", "server", "log", "audit", "keys", "routing"});
        !s)
        return s.error();

    const YAML::Node regions = root["regions"];
    if (!regions || !regions.IsSequence() || regions.size() == 0)
        return configError(QStringLiteral("regions"),
                           QStringLiteral("a non-empty list of regions is required"));
    std::set<QString> seen;
    for (std::size_t i = 0; i < regions.size(); ++i) {
        const QString path = QStringLiteral("regions[%1]").arg(i);
        const YAML::Node node = regions[i];
        if (!node.IsMap())
            return configError(path, QStringLiteral("must be a mapping with id and dsn"));
        if (auto s =
                onlyKnownKeys(node, path, {"id", "dsn", "password_env", "password_file", "owner"});
            !s)
            return s.error();
        RegionEndpoint endpoint;
        auto id = scalarString(node["id"], path + QStringLiteral(".id"));
        if (!id)
            return id.error();
        if (!catalog.find(id.value())) {
            QStringList known;
            for (const Region &r : catalog.regions())
                known << r.id;
            return configError(path + QStringLiteral(".id"),
                               QStringLiteral("unknown region \"%1\" (known: %2)")
                                   .arg(id.value(), known.join(QStringLiteral(", "))));
        }
        if (!seen.insert(id.value()).second)
            return configError(path + QStringLiteral(".id"),
                               QStringLiteral("region \"%1\" is listed twice").arg(id.value()));
        endpoint.regionId = id.value();
        auto dsn = scalarString(node["dsn"], path + QStringLiteral(".dsn"));
        if (!dsn)
            return dsn.error();
        if (auto s = validateDsn(dsn.value(), path + QStringLiteral(".dsn")); !s)
            return s.error();
        endpoint.dsn = dsn.value();
        if (auto s = parsePasswordSource(node, path, endpoint.passwordEnv, endpoint.passwordFile);
            !s)
            return s.error();
        if (const YAML::Node owner = node["owner"]) {
            const QString ownerPath = path + QStringLiteral(".owner");
            if (!owner.IsMap())
                return configError(ownerPath,
                                   QStringLiteral("must be a mapping with user and password_env "
                                                  "or password_file"));
            if (auto s = onlyKnownKeys(owner, ownerPath, {"user", "password_env", "password_file"});
                !s)
                return s.error();
            auto user = scalarString(owner["user"], ownerPath + QStringLiteral(".user"));
            if (!user)
                return user.error();
            if (user.value().isEmpty())
                return configError(ownerPath + QStringLiteral(".user"),
                                   QStringLiteral("must not be empty"));
            endpoint.owner.user = user.value();
            if (auto s = parsePasswordSource(owner, ownerPath, endpoint.owner.passwordEnv,
                                             endpoint.owner.passwordFile);
                !s)
                return s.error();
        }
        config.regions.push_back(std::move(endpoint));
    }

    config.controlPlaneRegion = config.regions.front().regionId;
    if (const YAML::Node cp = root["control_plane"]) {
        if (!cp.IsMap())
            return configError(QStringLiteral("control_plane"),
                               QStringLiteral("must be a mapping"));
        if (auto s = onlyKnownKeys(cp, QStringLiteral("control_plane"), {"region"}); !s)
            return s.error();
        auto region = scalarString(cp["region"], QStringLiteral("control_plane.region"));
        if (!region)
            return region.error();
        if (!config.endpoint(region.value()))
            return configError(
                QStringLiteral("control_plane.region"),
                QStringLiteral("\"%1\" is not one of the configured regions").arg(region.value()));
        config.controlPlaneRegion = region.value();
    }

    if (const YAML::Node monitor = root["monitor"]) {
        if (!monitor.IsMap())
            return configError(QStringLiteral("monitor"), QStringLiteral("must be a mapping"));
        if (auto s = onlyKnownKeys(monitor, QStringLiteral("monitor"),
                                   {"interval", "timeout", "failures_before_down"});
            !s)
            return s.error();
        for (auto [key, target] : {std::pair{"interval", &config.monitor.interval},
                                   std::pair{"timeout", &config.monitor.timeout}}) {
            if (!monitor[key])
                continue;
            const QString path = QStringLiteral("monitor.") + QLatin1String(key);
            auto text = scalarString(monitor[key], path);
            if (!text)
                return text.error();
            auto duration = parseDuration(text.value());
            if (!duration)
                return configError(path, duration.error().message);
            if (duration.value() < std::chrono::milliseconds(100) ||
                duration.value() > std::chrono::hours(1))
                return configError(path, QStringLiteral("must be between 100ms and 1h"));
            *target = duration.value();
        }
        if (monitor["failures_before_down"]) {
            const QString path = QStringLiteral("monitor.failures_before_down");
            bool ok = false;
            const int n = str(monitor["failures_before_down"]).toInt(&ok);
            if (!ok || n < 1 || n > 100)
                return configError(path, QStringLiteral("must be a whole number from 1 to 100"));
            config.monitor.failuresBeforeDown = n;
        }
    }

    if (const YAML::Node audit = root["audit"]) {
        if (!audit.IsMap())
            return configError(QStringLiteral("audit"), QStringLiteral("must be a mapping"));
        if (auto s = onlyKnownKeys(audit, QStringLiteral("audit"),
                                   {"signing_key_file", "tree_head_every", "tree_head_interval"});
            !s)
            return s.error();
        if (audit["signing_key_file"]) {
            auto file =
                scalarString(audit["signing_key_file"], QStringLiteral("audit.signing_key_file"));
            if (!file)
                return file.error();
            config.audit.signingKeyFile = file.value();
        }
        if (audit["tree_head_every"]) {
            bool ok = false;
            const qlonglong n = str(audit["tree_head_every"]).toLongLong(&ok);
            if (!ok || n < 1 || n > 1'000'000)
                return configError(QStringLiteral("audit.tree_head_every"),
                                   QStringLiteral("must be a whole number from 1 to 1000000"));
            config.audit.treeHeadEvery = uint64_t(n);
        }
        if (audit["tree_head_interval"]) {
            const QString path = QStringLiteral("audit.tree_head_interval");
            auto text = scalarString(audit["tree_head_interval"], path);
            if (!text)
                return text.error();
            auto duration = parseDuration(text.value());
            if (!duration)
                return configError(path, duration.error().message);
            if (duration.value() < std::chrono::milliseconds(100) ||
                duration.value() > std::chrono::hours(24))
                return configError(path, QStringLiteral("must be between 100ms and 24h"));
            config.audit.treeHeadInterval = duration.value();
        }
    }

    if (const YAML::Node keys = root["keys"]) {
        if (auto s = parseKeys(keys, config.keys); !s)
            return s.error();
    }

    // The traffic layer parses its own section (backend/routing: RoutingSettings::fromYaml).
    if (const YAML::Node routing = root["routing"]) {
        if (!routing.IsMap())
            return configError(QStringLiteral("routing"), QStringLiteral("must be a mapping"));
        YAML::Emitter out;
        out << routing;
        config.routingYaml = QByteArray(out.c_str());
    }

    if (const YAML::Node server = root["server"]) {
        if (!server.IsMap())
            return configError(QStringLiteral("server"), QStringLiteral("must be a mapping"));
        if (auto s = onlyKnownKeys(server, QStringLiteral("server"), {"listen", "export_dir"}); !s)
            return s.error();
        if (server["export_dir"]) {
            auto text = scalarString(server["export_dir"], QStringLiteral("server.export_dir"));
            if (!text)
                return text.error();
            if (!QDir::isAbsolutePath(text.value()))
                return configError(QStringLiteral("server.export_dir"),
                                   QStringLiteral("must be an absolute path"));
            config.exportDir = text.value();
        }
        if (server["listen"]) {
            auto text = scalarString(server["listen"], QStringLiteral("server.listen"));
            if (!text)
                return text.error();
            auto listen = ListenAddress::parse(text.value());
            if (!listen)
                return configError(QStringLiteral("server.listen"), listen.error().message);
            config.listen = listen.value();
        }
    }

    if (const YAML::Node log = root["log"]) {
        if (!log.IsMap())
            return configError(QStringLiteral("log"), QStringLiteral("must be a mapping"));
        if (auto s = onlyKnownKeys(log, QStringLiteral("log"), {"format"}); !s)
            return s.error();
        if (log["format"]) {
            auto format = scalarString(log["format"], QStringLiteral("log.format"));
            if (!format)
                return format.error();
            if (format.value() != QLatin1String("json") && format.value() != QLatin1String("text"))
                return configError(QStringLiteral("log.format"),
                                   QStringLiteral("must be \"json\" or \"text\""));
            config.jsonLogs = format.value() == QLatin1String("json");
        }
    }
    return config;
}

} // namespace

Result<std::chrono::milliseconds> parseDuration(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,9})\\s*(ms|s|m|h|d)\\s*$"));
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("\"%1\" is not a duration like 500ms, 5s, 2m, 1h or 30d").arg(text));
    const qint64 n = match.captured(1).toLongLong();
    const QString unit = match.captured(2);
    const qint64 factor = unit == QLatin1String("ms")  ? 1
                          : unit == QLatin1String("s") ? 1000
                          : unit == QLatin1String("m") ? 60'000
                          : unit == QLatin1String("h") ? 3'600'000
                                                       : 86'400'000;
    return std::chrono::milliseconds(n * factor);
}

Result<ListenAddress> ListenAddress::parse(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return makeError(
            ErrorCode::InvalidInput,
            QStringLiteral("\"%1\" is not ADDRESS:PORT (for example 127.0.0.1:8080)").arg(text));
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (!ok || port > 65535)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("\"%1\": the port must be 0–65535").arg(text));
    ListenAddress result;
    if (host == QLatin1String("localhost"))
        result.address = QHostAddress::LocalHost;
    else if (!result.address.setAddress(host))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("\"%1\": \"%2\" is not an IP address").arg(text, host));
    result.port = quint16(port);
    return result;
}

QString ListenAddress::toString() const
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                             : address.toString();
    return host + QLatin1Char(':') + QString::number(port);
}

namespace {

QString quoteConninfoValue(const QString &value)
{
    // libpq: single quotes around the value, backslash-escape ' and \.
    QString quoted = value;
    quoted.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

} // namespace

Result<QString>
RegionEndpoint::connectionString(const QList<std::pair<QString, QString>> &extra) const
{
    QString secret = password;
    if (!passwordEnv.isEmpty()) {
        if (!qEnvironmentVariableIsSet(passwordEnv.toLocal8Bit().constData()))
            return makeError(
                ErrorCode::Config,
                QStringLiteral("region %1: environment variable %2 (password_env) is not set")
                    .arg(regionId, passwordEnv));
        secret = qEnvironmentVariable(passwordEnv.toLocal8Bit().constData());
    } else if (!passwordFile.isEmpty()) {
        QFile file(passwordFile);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Config,
                             QStringLiteral("region %1: cannot read password_file %2: %3")
                                 .arg(regionId, passwordFile, file.errorString()));
        if (file.size() > maxSecretFileBytes)
            return makeError(ErrorCode::Config,
                             QStringLiteral("region %1: password_file %2 is larger than 64 KiB")
                                 .arg(regionId, passwordFile));
        secret = QString::fromUtf8(file.readAll()).trimmed();
    }

    auto parsed = parseConninfo(dsn);
    if (!parsed)
        return makeError(ErrorCode::Config,
                         QStringLiteral("region %1: the DSN is not a valid libpq connection string")
                             .arg(regionId));
    ConninfoPairs pairs = parsed.value();
    auto set = [&pairs](const QString &key, const QString &value) {
        for (auto &pair : pairs) {
            if (pair.first == key) {
                pair.second = value;
                return;
            }
        }
        pairs.append({key, value});
    };
    if (!userOverride.isEmpty())
        set(QStringLiteral("user"), userOverride);
    if (!secret.isEmpty())
        set(QStringLiteral("password"), secret);
    for (const auto &[key, value] : extra)
        set(key, value);
    QStringList parts;
    for (const auto &[key, value] : pairs)
        parts << key + QLatin1Char('=') + quoteConninfoValue(value);
    return parts.join(QLatin1Char(' '));
}

RegionEndpoint RegionEndpoint::asOwner() const
{
    if (owner.user.isEmpty())
        return *this;
    RegionEndpoint result = *this;
    result.userOverride = owner.user;
    result.passwordEnv = owner.passwordEnv;
    result.passwordFile = owner.passwordFile;
    result.password = owner.password;
    result.owner = {};
    return result;
}

const RegionEndpoint *AppConfig::endpoint(const QString &regionId) const
{
    auto it = std::find_if(regions.begin(), regions.end(),
                           [&](const RegionEndpoint &e) { return e.regionId == regionId; });
    return it == regions.end() ? nullptr : &*it;
}

Result<AppConfig> AppConfig::fromYaml(const QByteArray &yaml, const RegionCatalog &catalog)
{
    if (yaml.size() > maxConfigBytes)
        return configError(QStringLiteral("(document)"), QStringLiteral("larger than 1 MiB"));
    try {
        return parse(YAML::Load(yaml.toStdString()), catalog);
    } catch (const YAML::Exception &e) {
        // yaml-cpp reports line/column from 0.
        return configError(
            QStringLiteral("line %1, column %2").arg(e.mark.line + 1).arg(e.mark.column + 1),
            QString::fromStdString(e.msg));
    }
}

Result<AppConfig> AppConfig::load(const QString &path, const RegionCatalog &catalog)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(
            ErrorCode::Config,
            QStringLiteral("cannot read configuration %1: %2").arg(path, file.errorString()));
    if (file.size() > maxConfigBytes)
        return makeError(ErrorCode::Config,
                         QStringLiteral("configuration %1 is larger than 1 MiB").arg(path));
    auto config = fromYaml(file.readAll(), catalog);
    if (!config)
        return config.error().context(QFileInfo(path).fileName());
    config->baseDir = QFileInfo(path).absolutePath();
    return config;
}

} // namespace upcoach
