#include "tenantdetails.h"

#include "upcoach/compliance/auditstore.h"
#include "upcoach/tenancy/impersonation.h"
#include "upcoach/tenancy/keyrotation.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/usage.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

namespace upcoach::viewmodels {

namespace {

// The configuration keys in the order an operator reads them (tenantsettings.h).
const char *const configOrder[] = {
    "locale",
    "timezone",
    "weekStartsOn",
    "sessionLengthMinutes",
    "dataRetentionDays",
    "mfaRequired",
    "ssoRequired",
    "allowedEmailDomains",
    "brandColor",
};

struct LimitSpec
{
    const char *key;
    const char *unit;
    qint64 tenancy::TenantLimits::*field;
};
constexpr LimitSpec limitSpecs[] = {
    {"seats", "count", &tenancy::TenantLimits::seats},
    {"storageBytes", "bytes", &tenancy::TenantLimits::storageBytes},
    {"apiRequestsPerMinute", "perMinute", &tenancy::TenantLimits::apiRequestsPerMinute},
};

QVariant dateValue(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toUTC()) : QVariant();
}

QString configType(const QJsonValue &value)
{
    if (value.isBool())
        return QStringLiteral("boolean");
    if (value.isDouble())
        return QStringLiteral("integer");
    if (value.isArray())
        return QStringLiteral("list");
    return QStringLiteral("text");
}

// The editable text of a setting: what TenantActions::saveSettings reads back.
QString configText(const QJsonValue &value)
{
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(qint64(value.toDouble()));
    if (value.isArray()) {
        QStringList items;
        for (const QJsonValue &item : value.toArray())
            items << item.toString();
        return items.join(QStringLiteral(", "));
    }
    return value.toString();
}

QString limitText(const char *unit, qint64 value)
{
    const QLocale locale;
    if (qstrcmp(unit, "bytes") == 0)
        return locale.formattedDataSize(value, 0);
    return locale.toString(value);
}

// Measured sizes: one decimal from KiB up ("3.2 MiB"), exact bytes below.
QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, bytes < 1024 ? 0 : 1);
}

// TenantQuota's measurement and report side by side, as the pane shows them.
TenantDetails::Usage readUsage(tenancy::TenantQuota &quota, const QString &slug, bool fresh)
{
    TenantDetails::Usage usage;
    auto measured = quota.usage(slug, fresh);
    if (!measured) {
        usage.error = measured.error().message;
        return usage;
    }
    // The report reads the measurement just taken (cached) with the effective limits.
    auto report = quota.report(slug);
    if (!report) {
        usage.error = report.error().message;
        return usage;
    }
    const QJsonObject seats = report->value(QStringLiteral("seats")).toObject();
    const QJsonObject storage = report->value(QStringLiteral("storageBytes")).toObject();
    usage.rows = double(measured->rows);
    usage.seatsUsed = seats.value(QStringLiteral("used")).toDouble(-1);
    usage.seatLimit = seats.value(QStringLiteral("limit")).toDouble(-1);
    usage.storageUsed = storage.value(QStringLiteral("used")).toDouble(-1);
    usage.storageLimit = storage.value(QStringLiteral("limit")).toDouble(-1);
    if (usage.storageUsed >= 0)
        usage.storageUsedText = sizeText(qint64(usage.storageUsed));
    if (usage.storageLimit >= 0)
        usage.storageLimitText = limitText("bytes", qint64(usage.storageLimit));
    usage.measuredAt = QDateTime::fromString(report->value(QStringLiteral("measuredAt")).toString(),
                                             Qt::ISODateWithMs);
    if (!usage.measuredAt.isValid())
        usage.measuredAt = measured->measuredAt.toUTC();
    for (const tenancy::TableUsage &table : measured->tables) {
        usage.tables.append(QVariantMap{
            {QStringLiteral("table"), table.table},
            {QStringLiteral("rows"), double(table.rows)},
            {QStringLiteral("bytes"), double(table.bytes)},
            {QStringLiteral("bytesText"), sizeText(table.bytes)},
            {QStringLiteral("share"),
             measured->bytes > 0 ? double(table.bytes) / double(measured->bytes) : 0.0},
        });
    }
    return usage;
}

TenantDetails::Keys readKeys(tenancy::TenantKeyRotation &rotation, const QString &slug)
{
    TenantDetails::Keys keys;
    auto status = rotation.status(slug);
    if (!status) {
        keys.error = status.error().message;
        return keys;
    }
    keys.currentVersion = status->currentVersion;
    keys.currentCreatedAt = status->currentCreatedAt.toUTC();
    keys.nextRotationDue =
        status->nextRotationDue.isValid() ? status->nextRotationDue.toUTC() : QDateTime();
    keys.pending = double(status->pendingReencryption);
    qint64 values = 0;
    for (auto it = status->encryptedValues.cbegin(); it != status->encryptedValues.cend(); ++it)
        values += it.value();
    keys.values = double(values);
    for (auto it = status->keys.crbegin(); it != status->keys.crend(); ++it) {
        keys.versions.append(QVariantMap{
            {QStringLiteral("version"), it->version},
            {QStringLiteral("createdAt"), dateValue(it->createdAt)},
            {QStringLiteral("kekId"), it->kekId},
            {QStringLiteral("kekVersion"), it->kekVersion},
            {QStringLiteral("rewrappedAt"), dateValue(it->rewrappedAt)},
            {QStringLiteral("current"), it->version == status->currentVersion},
            {QStringLiteral("values"), double(status->encryptedValues.value(it->version, 0))},
        });
    }
    return keys;
}

// A one-line digest of an event's details: "from: trial, to: active".
QString detailsSummary(const QJsonObject &details)
{
    QStringList parts;
    for (auto it = details.begin(); it != details.end(); ++it) {
        const QJsonValue value = it.value();
        QString text;
        if (value.isString())
            text = value.toString();
        else if (value.isBool())
            text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        else if (value.isDouble())
            text = QString::number(qint64(value.toDouble()));
        else if (value.isArray() || value.isObject())
            text = QString::fromUtf8(
                value.isArray() ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                                : QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
        if (text.isEmpty())
            continue;
        parts << it.key() + QStringLiteral(": ") + text;
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

struct TenantDetails::Snapshot
{
    quint64 generation = 0;
    QString error;
    QVariantMap overview;
    QVariantList configuration;
    QVariantList limits;
    QVariantList features;
    Usage usage;
    Keys keys;
    QVariantList impersonations;
    int openImpersonations = 0;
    QString impersonationsError;
    QVariantList history;
    QString historyError;
};

TenantDetails::TenantDetails(QObject *parent)
    : QObject(parent)
{
    m_threads.setMaxThreadCount(1);
}

TenantDetails::~TenantDetails()
{
    m_generation->fetch_add(1);
    m_threads.waitForDone();
}

void TenantDetails::setBackend(const TenantBackend &backend)
{
    m_backend = backend;
    if (!m_slug.isEmpty())
        start();
}

void TenantDetails::load(const QString &slug)
{
    if (slug != m_slug) {
        m_slug = slug;
        Q_EMIT slugChanged();
    }
    if (slug.isEmpty()) {
        m_generation->fetch_add(1);
        m_overview.clear();
        m_configuration.clear();
        m_limits.clear();
        m_features.clear();
        m_usage = {};
        m_keys = {};
        m_impersonations.clear();
        m_openImpersonations = 0;
        m_impersonationsError.clear();
        m_history.clear();
        m_error.clear();
        m_historyError.clear();
        setLoading(false);
        Q_EMIT changed();
        return;
    }
    start();
}

void TenantDetails::reload()
{
    if (!m_slug.isEmpty())
        start();
}

void TenantDetails::measureUsage()
{
    if (!m_slug.isEmpty())
        start(true);
}

void TenantDetails::start(bool freshUsage)
{
    // Without a backend the pane waits ("loading") until setBackend() starts the read.
    setLoading(true);
    if (!m_backend.isComplete())
        return;
    const quint64 generation = m_generation->fetch_add(1) + 1;
    auto generations = m_generation;
    const TenantBackend backend = m_backend;
    const QString slug = m_slug;
    auto work = [=]() -> std::shared_ptr<Snapshot> {
        auto snapshot = std::make_shared<Snapshot>();
        snapshot->generation = generation;
        if (generations->load() != generation)
            return snapshot;
        tenancy::TenantRegistry &registry = *backend.registry;
        auto tenant = registry.get(slug);
        if (!tenant) {
            snapshot->error = tenant.error().message;
            return snapshot;
        }
        const tenancy::Tenant &t = tenant.value();
        auto plan = registry.plan(t.plan);
        if (!plan) {
            snapshot->error = plan.error().message;
            return snapshot;
        }
        auto settings = registry.settingsFor(slug);
        if (!settings) {
            snapshot->error = settings.error().message;
            return snapshot;
        }
        QString parent;
        if (!t.parentId.isNull()) {
            if (auto found = registry.getById(t.parentId); found)
                parent = found->slug;
        }
        QString placement = t.schemaName();
        if (t.isolation == tenancy::IsolationStrategy::Database)
            placement = t.databaseName() + QLatin1Char('.') + t.schemaName();

        snapshot->overview = {
            {QStringLiteral("slug"), t.slug},
            {QStringLiteral("name"), t.displayName},
            {QStringLiteral("id"), t.id.toString(QUuid::WithoutBraces)},
            {QStringLiteral("kind"), tenancy::kindName(t.kind)},
            {QStringLiteral("parent"), parent},
            {QStringLiteral("plan"), t.plan},
            {QStringLiteral("planName"), plan->displayName},
            {QStringLiteral("state"), tenancy::stateName(t.state)},
            {QStringLiteral("trialEndsAt"), dateValue(t.trialEndsAt)},
            {QStringLiteral("homeRegion"), t.homeRegion},
            {QStringLiteral("allowedRegions"), t.allowedRegions},
            {QStringLiteral("isolation"), tenancy::isolationName(t.isolation)},
            {QStringLiteral("provisioning"), tenancy::provisioningName(t.provisioning)},
            {QStringLiteral("provisioningError"), t.provisioningError},
            {QStringLiteral("placement"), placement},
            {QStringLiteral("ownerName"), t.ownerName},
            {QStringLiteral("ownerEmail"), t.ownerEmail},
            {QStringLiteral("createdAt"), dateValue(t.createdAt)},
            {QStringLiteral("updatedAt"), dateValue(t.updatedAt)},
            {QStringLiteral("suspendedAt"), dateValue(t.suspendedAt)},
            {QStringLiteral("canceledAt"), dateValue(t.canceledAt)},
            {QStringLiteral("deletionRequestedAt"), dateValue(t.deletionRequestedAt)},
            {QStringLiteral("purgeAfter"), dateValue(t.purgeAfter)},
            {QStringLiteral("version"), double(t.version)},
        };

        // Configuration: every key with its effective value; the tenant's own where it has one.
        const QJsonObject defaults =
            tenancy::effectiveSettings(plan.value(), tenancy::Tenant{}).config;
        for (const char *key : configOrder) {
            const QString name = QLatin1String(key);
            const QJsonValue effective = settings->config.value(name);
            const bool overridden = t.config.contains(name);
            snapshot->configuration.append(QVariantMap{
                {QStringLiteral("key"), name},
                {QStringLiteral("type"), configType(defaults.value(name))},
                {QStringLiteral("value"), effective.toVariant()},
                {QStringLiteral("valueText"), configText(effective)},
                {QStringLiteral("overridden"), overridden},
                {QStringLiteral("overrideText"),
                 overridden ? configText(t.config.value(name)) : QString()},
                {QStringLiteral("defaultText"), configText(defaults.value(name))},
            });
        }

        for (const LimitSpec &spec : limitSpecs) {
            const QString name = QLatin1String(spec.key);
            const qint64 planValue = plan->limits.*spec.field;
            const qint64 effective = settings->limits.*spec.field;
            const bool overridden = t.limits.value(name).isDouble();
            const qint64 own = overridden ? qint64(t.limits.value(name).toDouble()) : -1;
            snapshot->limits.append(QVariantMap{
                {QStringLiteral("key"), name},
                {QStringLiteral("unit"), QLatin1String(spec.unit)},
                {QStringLiteral("planValue"), double(planValue)},
                {QStringLiteral("overrideValue"), double(own)},
                {QStringLiteral("effective"), double(effective)},
                {QStringLiteral("overridden"), overridden},
                {QStringLiteral("planText"), limitText(spec.unit, planValue)},
                {QStringLiteral("effectiveText"), limitText(spec.unit, effective)},
                {QStringLiteral("overrideText"), overridden ? QString::number(own) : QString()},
            });
        }

        for (auto it = plan->features.begin(); it != plan->features.end(); ++it) {
            const bool overridden = t.features.value(it.key()).isBool();
            snapshot->features.append(QVariantMap{
                {QStringLiteral("key"), it.key()},
                {QStringLiteral("planValue"), it.value()},
                {QStringLiteral("overridden"), overridden},
                {QStringLiteral("overrideValue"),
                 overridden ? t.features.value(it.key()).toBool() : it.value()},
                {QStringLiteral("effective"), settings->features.value(it.key(), it.value())},
            });
        }

        // Usage against the limits, measured in the tenant's own placement by TenantQuota.
        snapshot->usage = readUsage(*backend.quota, slug, freshUsage);
        snapshot->keys = readKeys(*backend.keyRotation, slug);

        // Impersonations: open ones first (the service's order), then newest first.
        auto impersonations =
            backend.impersonations->list(slug, false, TenantDetails::impersonationLimit);
        if (impersonations) {
            const QDateTime now = backend.now();
            for (const tenancy::Impersonation &i : impersonations.value()) {
                const bool open = i.activeAt(now);
                snapshot->openImpersonations += open ? 1 : 0;
                snapshot->impersonations.append(QVariantMap{
                    {QStringLiteral("id"), i.id.toString(QUuid::WithoutBraces)},
                    {QStringLiteral("operator"), i.operatorActor},
                    {QStringLiteral("subject"), i.subject},
                    {QStringLiteral("ticket"), i.ticket},
                    {QStringLiteral("reason"), i.reason},
                    {QStringLiteral("startedAt"), dateValue(i.startedAt)},
                    {QStringLiteral("expiresAt"), dateValue(i.expiresAt)},
                    {QStringLiteral("endedAt"), dateValue(i.endedAt)},
                    {QStringLiteral("endedBy"), i.endedBy},
                    {QStringLiteral("status"), open                  ? QStringLiteral("open")
                                               : i.endedAt.isValid() ? QStringLiteral("ended")
                                                                     : QStringLiteral("expired")},
                });
            }
        } else {
            snapshot->impersonationsError = impersonations.error().message;
        }

        compliance::AuditQuery query;
        query.tenant = slug;
        query.limit = historyLimit;
        auto events = backend.audit->list(query);
        if (events) {
            for (const compliance::AuditEvent &event : events->events) {
                snapshot->history.append(QVariantMap{
                    {QStringLiteral("sequence"), double(event.sequence)},
                    {QStringLiteral("time"), dateValue(event.time)},
                    {QStringLiteral("actor"), event.actor},
                    {QStringLiteral("impersonator"), event.impersonator},
                    {QStringLiteral("action"), event.action},
                    {QStringLiteral("outcome"), event.outcome},
                    {QStringLiteral("summary"), detailsSummary(event.details)},
                });
            }
        } else {
            snapshot->historyError = events.error().message;
        }
        return snapshot;
    };
    QtConcurrent::run(&m_threads, work).then(this, [this](std::shared_ptr<Snapshot> snapshot) {
        apply(snapshot);
    });
}

void TenantDetails::apply(const std::shared_ptr<Snapshot> &snapshot)
{
    if (snapshot->generation != m_generation->load())
        return;
    m_error = snapshot->error;
    m_overview = snapshot->overview;
    m_configuration = snapshot->configuration;
    m_limits = snapshot->limits;
    m_features = snapshot->features;
    m_usage = snapshot->usage;
    m_keys = snapshot->keys;
    m_impersonations = snapshot->impersonations;
    m_openImpersonations = snapshot->openImpersonations;
    m_impersonationsError = snapshot->impersonationsError;
    m_history = snapshot->history;
    m_historyError = snapshot->historyError;
    m_loadedAt = QDateTime::currentDateTimeUtc();
    Q_EMIT changed();
    setLoading(false);
}

void TenantDetails::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}

} // namespace upcoach::viewmodels
