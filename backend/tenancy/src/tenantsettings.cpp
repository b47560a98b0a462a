#include "upcoach/tenancy/tenantsettings.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTimeZone>
#include <cmath>

namespace upcoach::tenancy {

namespace {

Error invalid(const QString &path, const QString &what)
{
    return makeError(ErrorCode::InvalidInput, path + QStringLiteral(": ") + what);
}

// An integer-valued JSON number in [low, high].
Status checkInteger(const QString &path, const QJsonValue &value, double low, double high)
{
    if (!value.isDouble() || std::floor(value.toDouble()) != value.toDouble())
        return invalid(path, QStringLiteral("must be a whole number"));
    if (value.toDouble() < low || value.toDouble() > high)
        return invalid(
            path, QStringLiteral("must be between %1 and %2").arg(qint64(low)).arg(qint64(high)));
    return {};
}

Status checkBool(const QString &path, const QJsonValue &value)
{
    if (!value.isBool())
        return invalid(path, QStringLiteral("must be true or false"));
    return {};
}

Status checkPattern(const QString &path, const QJsonValue &value, const QRegularExpression &re,
                    const QString &what)
{
    if (!value.isString() || value.toString().size() > 256 ||
        !re.match(value.toString()).hasMatch())
        return invalid(path, what);
    return {};
}

struct LimitKey
{
    const char *key;
    double low;
    double high;
};
constexpr LimitKey limitKeys[] = {
    {"seats", 1, 1'000'000},
    {"storageBytes", 0, 1e15},
    {"apiRequestsPerMinute", 1, 1'000'000},
};

QJsonObject defaultConfig()
{
    return QJsonObject{
        {QStringLiteral("locale"), QStringLiteral("en-US")},
        {QStringLiteral("timezone"), QStringLiteral("UTC")},
        {QStringLiteral("weekStartsOn"), QStringLiteral("monday")},
        {QStringLiteral("sessionLengthMinutes"), 60},
        {QStringLiteral("dataRetentionDays"), 730},
        {QStringLiteral("mfaRequired"), false},
        {QStringLiteral("ssoRequired"), false},
        {QStringLiteral("allowedEmailDomains"), QJsonArray()},
        {QStringLiteral("brandColor"), QStringLiteral("#2F6FEB")},
    };
}

} // namespace

Status validateConfig(const QJsonObject &config, const Plan &plan, const QJsonObject &features)
{
    static const QRegularExpression locale(QStringLiteral("^[a-z]{2,3}(-[A-Z]{2})?$"));
    static const QRegularExpression color(QStringLiteral("^#[0-9A-Fa-f]{6}$"));
    static const QRegularExpression domain(QStringLiteral(
        "^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]"
        "{0,61}[a-z0-9])?)+$"));
    const QJsonObject defaults = defaultConfig();
    for (auto it = config.begin(); it != config.end(); ++it) {
        const QString key = it.key();
        const QString path = QStringLiteral("config.") + key;
        const QJsonValue value = it.value();
        Status s;
        if (!defaults.contains(key)) {
            s = invalid(path, QStringLiteral("unknown setting; known: %1")
                                  .arg(defaults.keys().join(QStringLiteral(", "))));
        } else if (key == QLatin1String("locale")) {
            s = checkPattern(path, value, locale,
                             QStringLiteral("must look like en or en-US (language[-REGION])"));
        } else if (key == QLatin1String("timezone")) {
            if (!value.isString() || value.toString().size() > 64 ||
                !QTimeZone::isTimeZoneIdAvailable(value.toString().toUtf8()))
                s = invalid(path,
                            QStringLiteral("must be an IANA time zone such as Europe/Berlin"));
        } else if (key == QLatin1String("weekStartsOn")) {
            if (value != QJsonValue(QStringLiteral("monday")) &&
                value != QJsonValue(QStringLiteral("sunday")))
                s = invalid(path, QStringLiteral("must be monday or sunday"));
        } else if (key == QLatin1String("sessionLengthMinutes")) {
            s = checkInteger(path, value, 15, 240);
        } else if (key == QLatin1String("dataRetentionDays")) {
            s = checkInteger(path, value, 30, 3650);
        } else if (key == QLatin1String("mfaRequired")) {
            s = checkBool(path, value);
        } else if (key == QLatin1String("ssoRequired")) {
            s = checkBool(path, value);
            if (s && value.toBool()) {
                const bool sso = features.contains(QLatin1String("sso"))
                                     ? features.value(QLatin1String("sso")).toBool()
                                     : plan.features.value(QStringLiteral("sso"), false);
                if (!sso)
                    s = invalid(path, QStringLiteral("needs the sso feature, which plan %1 does "
                                                     "not include")
                                          .arg(plan.plan));
            }
        } else if (key == QLatin1String("allowedEmailDomains")) {
            if (!value.isArray() || value.toArray().size() > 50) {
                s = invalid(path, QStringLiteral("must be a list of at most 50 domain names"));
            } else {
                const QJsonArray domains = value.toArray();
                for (qsizetype i = 0; i < domains.size() && s; ++i)
                    s = checkPattern(path + QStringLiteral("[%1]").arg(i), domains.at(i), domain,
                                     QStringLiteral("must be a lower-case domain name"));
            }
        } else if (key == QLatin1String("brandColor")) {
            s = checkPattern(path, value, color, QStringLiteral("must be a colour like #2F6FEB"));
        }
        if (!s)
            return s;
    }
    return {};
}

Status validateLimitOverrides(const QJsonObject &limits)
{
    for (auto it = limits.begin(); it != limits.end(); ++it) {
        const QString path = QStringLiteral("limits.") + it.key();
        const LimitKey *found = nullptr;
        for (const LimitKey &key : limitKeys) {
            if (it.key() == QLatin1String(key.key))
                found = &key;
        }
        if (!found)
            return invalid(path, QStringLiteral("unknown limit; known: seats, storageBytes, "
                                                "apiRequestsPerMinute"));
        Status s = checkInteger(path, it.value(), found->low, found->high);
        if (!s)
            return s;
    }
    return {};
}

Status validateFeatureOverrides(const QJsonObject &features, const Plan &plan)
{
    for (auto it = features.begin(); it != features.end(); ++it) {
        const QString path = QStringLiteral("features.") + it.key();
        if (!plan.features.contains(it.key()))
            return invalid(path, QStringLiteral("unknown feature; known: %1")
                                     .arg(plan.features.keys().join(QStringLiteral(", "))));
        Status s = checkBool(path, it.value());
        if (!s)
            return s;
    }
    return {};
}

EffectiveSettings effectiveSettings(const Plan &plan, const Tenant &tenant)
{
    EffectiveSettings settings;
    settings.slug = tenant.slug;
    settings.plan = plan.plan;
    settings.state = tenant.state;
    settings.limits = plan.limits;
    auto limit = [&](const char *key, qint64 fallback) {
        const QJsonValue value = tenant.limits.value(QLatin1String(key));
        return value.isDouble() ? qint64(value.toDouble()) : fallback;
    };
    settings.limits.seats = limit("seats", plan.limits.seats);
    settings.limits.storageBytes = limit("storageBytes", plan.limits.storageBytes);
    settings.limits.apiRequestsPerMinute =
        limit("apiRequestsPerMinute", plan.limits.apiRequestsPerMinute);
    settings.features = plan.features;
    for (auto it = tenant.features.begin(); it != tenant.features.end(); ++it) {
        if (it.value().isBool() && settings.features.contains(it.key()))
            settings.features[it.key()] = it.value().toBool();
    }
    settings.config = defaultConfig();
    for (auto it = tenant.config.begin(); it != tenant.config.end(); ++it)
        settings.config.insert(it.key(), it.value());
    return settings;
}

} // namespace upcoach::tenancy
