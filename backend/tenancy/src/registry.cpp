#include "upcoach/tenancy/registry.h"

#include "tenancylogging.h"
#include "tenantaudit.h"
#include "upcoach/compliance/auditlog.h"
#include "upcoach/compliance/recordedchange.h"
#include "upcoach/core/ids.h"
#include "upcoach/core/regioncatalog.h"
#include "upcoach/storage/regionpools.h"
#include "upcoach/tenancy/keys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QThread>
#include <mutex>
#include <pqxx/pqxx>

namespace upcoach::tenancy {

Q_LOGGING_CATEGORY(lcTenancy, "upcoach.tenancy", QtInfoMsg)

namespace {

// Timestamps travel as epoch milliseconds, arrays and JSON as text: no parsing of PostgreSQL's
// display formats.
constexpr const char *tenantColumns =
    "t.id, t.slug, t.display_name, t.kind, p.slug, t.plan, t.state,"
    " (extract(epoch FROM t.trial_ends_at) * 1000)::bigint, t.home_region,"
    " array_to_json(t.allowed_regions)::text, t.isolation, t.provisioning,"
    " coalesce(t.provisioning_error, ''), t.config::text, t.limits::text, t.features::text,"
    " t.owner_name, t.owner_email,"
    " (extract(epoch FROM t.created_at) * 1000)::bigint,"
    " (extract(epoch FROM t.updated_at) * 1000)::bigint,"
    " (extract(epoch FROM t.suspended_at) * 1000)::bigint,"
    " (extract(epoch FROM t.canceled_at) * 1000)::bigint,"
    " (extract(epoch FROM t.deletion_requested_at) * 1000)::bigint,"
    " (extract(epoch FROM t.purge_after) * 1000)::bigint,"
    " (extract(epoch FROM t.deleted_at) * 1000)::bigint, t.version, t.parent_id";
constexpr const char *tenantFrom = " FROM tenants t LEFT JOIN tenants p ON p.id = t.parent_id";

QString text(const pqxx::field &field)
{
    return field.is_null() ? QString() : QString::fromStdString(field.as<std::string>());
}

QDateTime time(const pqxx::field &field)
{
    return field.is_null() ? QDateTime()
                           : QDateTime::fromMSecsSinceEpoch(field.as<qint64>(), Qt::UTC);
}

QJsonObject object(const pqxx::field &field)
{
    return QJsonDocument::fromJson(QByteArray::fromStdString(field.as<std::string>())).object();
}

Tenant tenantFromRow(const pqxx::row &row)
{
    Tenant t;
    t.id = QUuid::fromString(text(row[0]));
    t.slug = text(row[1]);
    t.displayName = text(row[2]);
    t.kind = parseKind(text(row[3])).value_or(TenantKind::Organization);
    t.parentSlug = text(row[4]);
    t.plan = text(row[5]);
    t.state = parseState(text(row[6])).value_or(TenantState::Suspended);
    t.trialEndsAt = time(row[7]);
    t.homeRegion = text(row[8]);
    for (const QJsonValue &region :
         QJsonDocument::fromJson(QByteArray::fromStdString(row[9].as<std::string>())).array())
        t.allowedRegions << region.toString();
    t.isolation = parseIsolation(text(row[10])).value_or(IsolationStrategy::RowLevelSecurity);
    t.provisioning = parseProvisioning(text(row[11])).value_or(Provisioning::Failed);
    t.provisioningError = text(row[12]);
    t.config = object(row[13]);
    t.limits = object(row[14]);
    t.features = object(row[15]);
    t.ownerName = text(row[16]);
    t.ownerEmail = text(row[17]);
    t.createdAt = time(row[18]);
    t.updatedAt = time(row[19]);
    t.suspendedAt = time(row[20]);
    t.canceledAt = time(row[21]);
    t.deletionRequestedAt = time(row[22]);
    t.purgeAfter = time(row[23]);
    t.deletedAt = time(row[24]);
    t.version = row[25].as<qint64>();
    t.parentId = row[26].is_null() ? QUuid() : QUuid::fromString(text(row[26]));
    return t;
}

std::string uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

std::string json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact).toStdString();
}

std::string regionsArray(const QStringList &regions)
{
    // A PostgreSQL array literal of region ids, which are [a-z0-9-] only (checked by callers).
    return QString(QLatin1Char('{') + regions.join(QLatin1Char(',')) + QLatin1Char('}'))
        .toStdString();
}

compliance::AuditRecord auditRecord(const ActorContext &actor, const QString &action,
                                    const QString &slug, QJsonObject details)
{
    return tenantAuditRecord(actor, slug, action, QStringLiteral("tenant:") + slug,
                             QStringLiteral("config-change"), std::move(details));
}

Status validateRegions(const QString &home, const QStringList &allowed,
                       const storage::RegionPools &pools)
{
    const RegionCatalog &catalog = RegionCatalog::builtin();
    if (!catalog.find(home))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("homeRegion: %1 is not a region").arg(home));
    if (!pools.endpoint(home))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("homeRegion: region %1 is not configured here").arg(home));
    if (allowed.size() > 16)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("allowedRegions: at most 16 regions"));
    for (const QString &region : allowed) {
        if (!catalog.find(region))
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("allowedRegions: %1 is not a region").arg(region));
    }
    if (!allowed.contains(home))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("allowedRegions: must include the home region %1 (data "
                                        "residency)")
                             .arg(home));
    return {};
}

QString likePattern(const QString &search)
{
    QString escaped = search;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

} // namespace

bool TenantPatch::isEmpty() const
{
    return !displayName && !plan && !allowedRegions && !ownerName && !ownerEmail && !config &&
           !limits && !features;
}

std::optional<TenantSort> parseSort(const QString &name)
{
    static const std::pair<const char *, TenantSort> sorts[] = {
        {"slug", TenantSort::Slug},           {"name", TenantSort::Name},
        {"created", TenantSort::Created},     {"state", TenantSort::State},
        {"plan", TenantSort::Plan},           {"region", TenantSort::Region},
        {"isolation", TenantSort::Isolation},
    };
    for (const auto &[text, sort] : sorts) {
        if (name == QLatin1String(text))
            return sort;
    }
    return std::nullopt;
}

class TenantRegistry::Impl
{
public:
    Impl(storage::RegionPools &regionPools, QString controlPlaneRegion,
         compliance::AuditLog &auditLog, const Clock &wallClock)
        : pools(regionPools)
        , controlRegion(std::move(controlPlaneRegion))
        , audit(auditLog)
        , clock(wallClock)
    {}

    Result<storage::ConnectionPool *> control() { return pools.app(controlRegion); }

    template<typename Fn>
    auto withControl(Fn &&fn) -> Result<std::invoke_result_t<Fn, pqxx::connection &>>
    {
        auto pool = control();
        if (!pool)
            return pool.error();
        return (*pool)->withConnection(std::forward<Fn>(fn));
    }

    void changed(const QString &slug)
    {
        std::vector<std::function<void(const QString &)>> copy;
        {
            std::lock_guard lock(mutex);
            copy = callbacks;
        }
        for (const auto &callback : copy)
            callback(slug);
    }

    Result<Tenant> setProvisioning(const Tenant &tenant, Provisioning state, const QString &error)
    {
        auto updated = withControl([&](pqxx::connection &connection) {
            pqxx::work work(connection);
            work.exec_params("UPDATE tenants SET provisioning = $2, provisioning_error = $3,"
                             " updated_at = now(), version = version + 1 WHERE id = $1",
                             uuidText(tenant.id), provisioningName(state).toStdString(),
                             error.isEmpty() ? std::string() : error.toStdString());
            work.commit();
        });
        changed(tenant.slug);
        if (!updated)
            return updated.error();
        Tenant copy = tenant;
        copy.provisioning = state;
        copy.provisioningError = error;
        copy.version += 1;
        return copy;
    }

    storage::RegionPools &pools;
    QString controlRegion;
    compliance::AuditLog &audit;
    const Clock &clock;
    std::mutex mutex;
    std::vector<std::function<void(const QString &)>> callbacks;
    std::chrono::milliseconds moveQuiesce{2500};
    TenantKeyStore *keys = nullptr;

    // The tenant's first data key, once its placement exists (idempotent).
    Status ensureDataKey(const Tenant &tenant)
    {
        if (!keys)
            return {};
        auto created = keys->createFirstKey(tenant.id);
        if (!created && created.error().code != ErrorCode::Conflict)
            return created.error().context(QStringLiteral("data key of ") + tenant.slug);
        return {};
    }
};

TenantRegistry::TenantRegistry(storage::RegionPools &pools, QString controlPlaneRegion,
                               compliance::AuditLog &audit, const Clock &clock)
    : d(std::make_unique<Impl>(pools, std::move(controlPlaneRegion), audit, clock))
    , m_provisioner(pools)
{}

TenantRegistry::~TenantRegistry() = default;

void TenantRegistry::onChanged(std::function<void(const QString &)> callback)
{
    std::lock_guard lock(d->mutex);
    d->callbacks.push_back(std::move(callback));
}

void TenantRegistry::setMoveQuiesce(std::chrono::milliseconds wait)
{
    d->moveQuiesce = wait;
}

Result<std::vector<Plan>> TenantRegistry::plans()
{
    return d->withControl([](pqxx::connection &connection) {
        pqxx::work work(connection);
        std::vector<Plan> plans;
        for (const auto &row :
             work.exec("SELECT plan, display_name, trial_days, limits::text,"
                       " features::text, monthly_price_per_seat_cents"
                       " FROM tenant_plans ORDER BY monthly_price_per_seat_cents")) {
            Plan plan;
            plan.plan = text(row[0]);
            plan.displayName = text(row[1]);
            plan.trialDays = row[2].as<int>();
            const QJsonObject limits = object(row[3]);
            plan.limits.seats = qint64(limits.value(QLatin1String("seats")).toDouble());
            plan.limits.storageBytes =
                qint64(limits.value(QLatin1String("storageBytes")).toDouble());
            plan.limits.apiRequestsPerMinute =
                qint64(limits.value(QLatin1String("apiRequestsPerMinute")).toDouble());
            const QJsonObject features = object(row[4]);
            for (auto it = features.begin(); it != features.end(); ++it)
                plan.features.insert(it.key(), it.value().toBool());
            plan.monthlyPricePerSeatCents = row[5].as<qint64>();
            plans.push_back(std::move(plan));
        }
        return plans;
    });
}

Result<Plan> TenantRegistry::plan(const QString &name)
{
    auto all = plans();
    if (!all)
        return all.error();
    QStringList names;
    for (const Plan &plan : all.value()) {
        if (plan.plan == name)
            return plan;
        names << plan.plan;
    }
    return makeError(ErrorCode::InvalidInput,
                     QStringLiteral("plan: %1 is not a plan; plans: %2")
                         .arg(name.left(40), names.join(QStringLiteral(", "))));
}

Result<Tenant> TenantRegistry::get(const QString &slug)
{
    auto found = d->withControl([&](pqxx::connection &connection) -> std::optional<Tenant> {
        pqxx::work work(connection);
        auto rows = work.exec_params(std::string("SELECT ") + tenantColumns + tenantFrom +
                                         " WHERE t.slug = $1",
                                     slug.toStdString());
        if (rows.empty())
            return std::nullopt;
        return tenantFromRow(rows[0]);
    });
    if (!found)
        return found.error();
    if (!found.value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no tenant %1").arg(slug.left(63)));
    return *found.value();
}

Result<Tenant> TenantRegistry::getById(const QUuid &id)
{
    auto found = d->withControl([&](pqxx::connection &connection) -> std::optional<Tenant> {
        pqxx::work work(connection);
        auto rows = work.exec_params(
            std::string("SELECT ") + tenantColumns + tenantFrom + " WHERE t.id = $1", uuidText(id));
        if (rows.empty())
            return std::nullopt;
        return tenantFromRow(rows[0]);
    });
    if (!found)
        return found.error();
    if (!found.value())
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("no tenant with id %1").arg(id.toString(QUuid::WithoutBraces)));
    return *found.value();
}

Result<TenantPage> TenantRegistry::list(const TenantQuery &query)
{
    if (query.limit < 1 || query.limit > 1000)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("limit: 1 to 1000"));
    if (query.offset < 0)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("offset: 0 or more"));
    if (query.search.size() > 200)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("search: at most 200 characters"));
    const char *order = "t.slug";
    switch (query.sort) {
    case TenantSort::Slug:
        order = "t.slug";
        break;
    case TenantSort::Name:
        order = "lower(t.display_name)";
        break;
    case TenantSort::Created:
        order = "t.created_at";
        break;
    case TenantSort::State:
        order = "t.state";
        break;
    case TenantSort::Plan:
        order = "t.plan";
        break;
    case TenantSort::Region:
        order = "t.home_region";
        break;
    case TenantSort::Isolation:
        order = "t.isolation";
        break;
    }
    // One filter, used by the page query and by the count past the last page.
    constexpr const char *filter =
        " WHERE ($1 = '' OR t.slug ILIKE $1 OR t.display_name ILIKE $1)"
        " AND ($2 = '' OR t.state = $2) AND ($3 = '' OR t.plan = $3)"
        " AND ($4 = '' OR t.home_region = $4) AND ($5 = '' OR t.isolation = $5)"
        " AND ($6 = '' OR p.slug = $6) AND ($7 OR t.state <> 'deleted')";
    const char *direction = query.descending ? " DESC" : " ASC";
    const std::string sql = std::string("SELECT ") + tenantColumns + ", count(*) OVER ()" +
                            tenantFrom + filter + " ORDER BY " + order + direction + ", t.slug" +
                            direction + " LIMIT $8 OFFSET $9";
    const std::string search =
        query.search.isEmpty() ? std::string() : likePattern(query.search).toStdString();
    const std::string state = query.state ? stateName(*query.state).toStdString() : std::string();
    const std::string plan = query.plan.toStdString();
    const std::string region = query.region.toStdString();
    const std::string isolation =
        query.isolation ? isolationName(*query.isolation).toStdString() : std::string();
    const std::string parent = query.parentSlug.toStdString();
    return d->withControl([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        TenantPage page;
        const auto rows = work.exec_params(sql, search, state, plan, region, isolation, parent,
                                           query.includeDeleted, query.limit, query.offset);
        for (const auto &row : rows) {
            page.tenants.push_back(tenantFromRow(row));
            page.total = row[27].as<qint64>();
        }
        if (rows.empty() && query.offset > 0) {
            // Past the end: still say how many match.
            page.total =
                work.exec_params(std::string("SELECT count(*)") + tenantFrom + filter, search,
                                 state, plan, region, isolation, parent, query.includeDeleted)[0][0]
                    .as<qint64>();
        }
        return page;
    });
}

Result<TenantCounts> TenantRegistry::counts()
{
    return d->withControl([](pqxx::connection &connection) {
        pqxx::work work(connection);
        TenantCounts counts;
        for (const auto &row : work.exec("SELECT state, isolation, home_region, count(*)"
                                         " FROM tenants WHERE state <> 'deleted'"
                                         " GROUP BY state, isolation, home_region")) {
            const qint64 n = row[3].as<qint64>();
            counts.byState[text(row[0])] += n;
            counts.byIsolation[text(row[1])] += n;
            counts.byRegion[text(row[2])] += n;
            counts.total += n;
        }
        return counts;
    });
}

Result<Tenant> TenantRegistry::create(const NewTenant &input, const ActorContext &actor)
{
    // Validation first, each error naming its field.
    if (Status s = validateSlug(input.slug); !s)
        return s.error();
    if (Status s = validateDisplayName(input.displayName); !s)
        return s.error();
    if (Status s = validateOwnerEmail(input.ownerEmail); !s)
        return s.error();
    if (input.ownerName.size() > 200)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("ownerName: at most 200 characters"));
    const QStringList allowed =
        input.allowedRegions.isEmpty() ? QStringList{input.homeRegion} : input.allowedRegions;
    if (Status s = validateRegions(input.homeRegion, allowed, d->pools); !s)
        return s.error();
    auto plan = this->plan(input.plan);
    if (!plan)
        return plan.error();
    if (Status s = validateLimitOverrides(input.limits); !s)
        return s.error();
    if (Status s = validateFeatureOverrides(input.features, plan.value()); !s)
        return s.error();
    if (Status s = validateConfig(input.config, plan.value(), input.features); !s)
        return s.error();
    QUuid parentId;
    if (input.kind == TenantKind::Organization) {
        if (!input.parentSlug.isEmpty())
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("parent: an organization has no parent"));
    } else {
        if (input.parentSlug.isEmpty())
            return makeError(
                ErrorCode::InvalidInput,
                QStringLiteral("parent: a %1 needs a parent").arg(kindName(input.kind)));
        auto parent = get(input.parentSlug);
        if (!parent) {
            if (parent.error().code == ErrorCode::NotFound)
                return makeError(
                    ErrorCode::InvalidInput,
                    QStringLiteral("parent: no tenant %1").arg(input.parentSlug.left(63)));
            return parent.error();
        }
        const bool fits = input.kind == TenantKind::SubOrganization
                              ? parent->kind == TenantKind::Organization
                              : parent->kind != TenantKind::Team;
        if (!fits)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("parent: a %1 cannot belong to a %2")
                                 .arg(kindName(input.kind), kindName(parent->kind)));
        if (parent->state == TenantState::Deleted || parent->state == TenantState::Canceled)
            return makeError(ErrorCode::Conflict, QStringLiteral("parent: tenant %1 is %2")
                                                      .arg(parent->slug, stateName(parent->state)));
        parentId = parent->id;
    }

    // The same request again after a failed or interrupted provisioning resumes it.
    auto existing = get(input.slug);
    if (existing) {
        const Tenant &t = existing.value();
        const bool sameRequest = t.isolation == input.isolation &&
                                 t.homeRegion == input.homeRegion && t.plan == input.plan;
        if (sameRequest &&
            (t.provisioning == Provisioning::Pending || t.provisioning == Provisioning::Failed)) {
            Status s = m_provisioner.provision(t);
            if (s)
                s = d->ensureDataKey(t);
            compliance::AuditRecord outcome =
                auditRecord(actor, QStringLiteral("tenant.provision"), t.slug,
                            {{QStringLiteral("isolation"), isolationName(t.isolation)},
                             {QStringLiteral("homeRegion"), t.homeRegion},
                             {QStringLiteral("resumed"), true}});
            if (!s) {
                outcome.outcome = QStringLiteral("failure");
                outcome.details.insert(QStringLiteral("error"), errorCodeName(s.error().code));
                (void)compliance::recordAndWait(d->audit, outcome);
                (void)d->setProvisioning(t, Provisioning::Failed, s.error().message);
                return s.error();
            }
            (void)compliance::recordAndWait(d->audit, outcome);
            return d->setProvisioning(t, Provisioning::Ready, {});
        }
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("slug: tenant %1 already exists").arg(input.slug));
    }
    if (existing.error().code != ErrorCode::NotFound)
        return existing.error();

    Tenant tenant;
    tenant.id = ids::uuid7(d->clock);
    tenant.slug = input.slug;
    tenant.displayName = input.displayName.trimmed();
    tenant.kind = input.kind;
    tenant.parentId = parentId;
    tenant.parentSlug = input.parentSlug;
    tenant.plan = input.plan;
    tenant.state = input.trial ? TenantState::Trial : TenantState::Active;
    if (input.trial)
        tenant.trialEndsAt = d->clock.now().addDays(plan->trialDays);
    tenant.homeRegion = input.homeRegion;
    tenant.allowedRegions = allowed;
    tenant.isolation = input.isolation;
    tenant.provisioning = Provisioning::Pending;
    tenant.config = input.config;
    tenant.limits = input.limits;
    tenant.features = input.features;
    tenant.ownerName = input.ownerName;
    tenant.ownerEmail = input.ownerEmail;

    const QJsonObject details{
        {QStringLiteral("tenantId"), tenant.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("kind"), kindName(tenant.kind)},
        {QStringLiteral("parent"), input.parentSlug},
        {QStringLiteral("plan"), tenant.plan},
        {QStringLiteral("state"), stateName(tenant.state)},
        {QStringLiteral("homeRegion"), tenant.homeRegion},
        {QStringLiteral("allowedRegions"), QJsonArray::fromStringList(allowed)},
        {QStringLiteral("isolation"), isolationName(tenant.isolation)},
    };
    auto inserted = compliance::recordThenChange<Tenant>(
        d->audit, auditRecord(actor, QStringLiteral("tenant.create"), tenant.slug, details),
        [&]() -> Result<Tenant> {
            auto row = d->withControl([&](pqxx::connection &connection) {
                pqxx::work work(connection);
                auto rows = work.exec_params(
                    "INSERT INTO tenants (id, slug, display_name, kind, parent_id, plan, state,"
                    " trial_ends_at, home_region, allowed_regions, isolation, provisioning,"
                    " config, limits, features, owner_name, owner_email)"
                    " VALUES ($1, $2, $3, $4, NULLIF($5, '')::uuid, $6, $7,"
                    " to_timestamp(NULLIF($8::bigint, 0) / 1000.0), $9, $10::text[], $11, "
                    "'pending',"
                    " $12::jsonb, $13::jsonb, $14::jsonb, $15, $16)"
                    " RETURNING (extract(epoch FROM created_at) * 1000)::bigint, version",
                    uuidText(tenant.id), tenant.slug.toStdString(),
                    tenant.displayName.toStdString(), kindName(tenant.kind).toStdString(),
                    parentId.isNull() ? std::string() : uuidText(parentId),
                    tenant.plan.toStdString(), stateName(tenant.state).toStdString(),
                    tenant.trialEndsAt.isValid() ? tenant.trialEndsAt.toMSecsSinceEpoch() : 0,
                    tenant.homeRegion.toStdString(), regionsArray(allowed),
                    isolationName(tenant.isolation).toStdString(), json(tenant.config),
                    json(tenant.limits), json(tenant.features), tenant.ownerName.toStdString(),
                    tenant.ownerEmail.toStdString());
                work.commit();
                Tenant created = tenant;
                created.createdAt = time(rows[0][0]);
                created.updatedAt = created.createdAt;
                created.version = rows[0][1].as<qint64>();
                return created;
            });
            if (!row && row.error().code == ErrorCode::Conflict)
                return makeError(ErrorCode::Conflict,
                                 QStringLiteral("slug: tenant %1 already exists").arg(tenant.slug));
            return row;
        });
    if (!inserted)
        return inserted.error();
    d->changed(tenant.slug);

    Status provisioned = m_provisioner.provision(inserted.value());
    if (provisioned)
        provisioned = d->ensureDataKey(inserted.value());
    compliance::AuditRecord outcome =
        auditRecord(actor, QStringLiteral("tenant.provision"), tenant.slug,
                    {{QStringLiteral("isolation"), isolationName(tenant.isolation)},
                     {QStringLiteral("homeRegion"), tenant.homeRegion}});
    if (!provisioned) {
        qCWarning(lcTenancy).noquote() << provisioned.error().message;
        outcome.outcome = QStringLiteral("failure");
        outcome.details.insert(QStringLiteral("error"), errorCodeName(provisioned.error().code));
        (void)compliance::recordAndWait(d->audit, outcome);
        (void)d->setProvisioning(inserted.value(), Provisioning::Failed,
                                 provisioned.error().message);
        return provisioned.error();
    }
    (void)compliance::recordAndWait(d->audit, outcome);
    return d->setProvisioning(inserted.value(), Provisioning::Ready, {});
}

Result<int> TenantRegistry::migratePlacements()
{
    auto ready = d->withControl([](pqxx::connection &connection) {
        pqxx::work work(connection);
        QStringList slugs;
        for (const auto &row : work.exec("SELECT slug FROM tenants WHERE provisioning = 'ready'"
                                         " AND state <> 'deleted' AND isolation <> 'rls'"))
            slugs << text(row[0]);
        return slugs;
    });
    if (!ready)
        return ready.error();
    int applied = 0;
    for (const QString &slug : ready.value()) {
        auto tenant = get(slug);
        Result<int> migrated = tenant ? m_provisioner.migratePlacement(*tenant) : tenant.error();
        if (migrated)
            applied += *migrated;
        else // a region this process does not run, or one that is down: next start
            qCWarning(lcTenancy).noquote()
                << "migrating the placement of" << slug << "failed:" << migrated.error().message;
    }
    return applied;
}

Result<int> TenantRegistry::resumeProvisioning(const ActorContext &actor)
{
    auto pending = d->withControl([](pqxx::connection &connection) {
        pqxx::work work(connection);
        QStringList slugs;
        for (const auto &row : work.exec("SELECT slug FROM tenants WHERE provisioning IN"
                                         " ('pending', 'failed') AND state <> 'deleted'"))
            slugs << text(row[0]);
        return slugs;
    });
    if (!pending)
        return pending.error();
    int done = 0;
    for (const QString &slug : pending.value()) {
        auto tenant = get(slug);
        if (!tenant)
            continue;
        Status provisioned = m_provisioner.provision(tenant.value());
        if (provisioned)
            provisioned = d->ensureDataKey(tenant.value());
        compliance::AuditRecord outcome =
            auditRecord(actor, QStringLiteral("tenant.provision"), slug,
                        {{QStringLiteral("isolation"), isolationName(tenant->isolation)},
                         {QStringLiteral("homeRegion"), tenant->homeRegion},
                         {QStringLiteral("resumed"), true}});
        if (!provisioned) {
            outcome.outcome = QStringLiteral("failure");
            outcome.details.insert(QStringLiteral("error"),
                                   errorCodeName(provisioned.error().code));
            (void)compliance::recordAndWait(d->audit, outcome);
            (void)d->setProvisioning(tenant.value(), Provisioning::Failed,
                                     provisioned.error().message);
            continue;
        }
        (void)compliance::recordAndWait(d->audit, outcome);
        if (d->setProvisioning(tenant.value(), Provisioning::Ready, {}))
            ++done;
    }
    return done;
}

Result<Tenant> TenantRegistry::transition(const QString &slug, LifecycleAction action,
                                          const ActorContext &actor,
                                          std::optional<qint64> expectedVersion)
{
    const QString actionText = QStringLiteral("tenant.") + actionName(action);
    std::optional<Error> refused;
    auto result = d->withControl([&](pqxx::connection &connection) -> std::optional<Tenant> {
        pqxx::work work(connection);
        auto rows = work.exec_params(std::string("SELECT ") + tenantColumns + tenantFrom +
                                         " WHERE t.slug = $1 FOR UPDATE OF t",
                                     slug.toStdString());
        if (rows.empty()) {
            refused =
                makeError(ErrorCode::NotFound, QStringLiteral("no tenant %1").arg(slug.left(63)));
            return std::nullopt;
        }
        Tenant tenant = tenantFromRow(rows[0]);
        if (expectedVersion && *expectedVersion != tenant.version) {
            refused = makeError(ErrorCode::Conflict,
                                QStringLiteral("tenant %1 changed since version %2 (now %3); "
                                               "reload and retry")
                                    .arg(slug)
                                    .arg(*expectedVersion)
                                    .arg(tenant.version));
            return std::nullopt;
        }
        const bool trialEnded =
            tenant.trialEndsAt.isValid() && tenant.trialEndsAt <= d->clock.now();
        auto next = nextState(slug, tenant.state, action, trialEnded);
        if (next && tenant.deletionRequestedAt.isValid())
            next = makeError(ErrorCode::Conflict,
                             QStringLiteral("tenant %1 cannot %2: it is scheduled for deletion; "
                                            "cancel the deletion first")
                                 .arg(slug, actionName(action)));
        QJsonObject details{{QStringLiteral("from"), stateName(tenant.state)}};
        if (!next) {
            // The attempt is recorded too: auditors see refused lifecycle changes.
            compliance::AuditRecord attempt = auditRecord(actor, actionText, slug, details);
            attempt.outcome = QStringLiteral("failure");
            attempt.details.insert(QStringLiteral("reason"), next.error().message);
            (void)compliance::recordAndWait(d->audit, attempt);
            refused = next.error();
            return std::nullopt;
        }
        details.insert(QStringLiteral("to"), stateName(next.value()));
        const compliance::AuditRecord record = auditRecord(actor, actionText, slug, details);
        auto receipt = compliance::recordAndWait(d->audit, record);
        if (!receipt) {
            refused = makeError(ErrorCode::Unavailable,
                                QStringLiteral("the audit log could not record %1, so nothing "
                                               "was changed: %2")
                                    .arg(actionText, receipt.error().message));
            return std::nullopt;
        }
        try {
            auto updated = work.exec_params(
                "UPDATE tenants SET state = $2, updated_at = now(), version = version + 1,"
                " suspended_at = CASE WHEN $2 = 'suspended' THEN now() ELSE NULL END,"
                " canceled_at = CASE WHEN $2 = 'canceled' THEN now() ELSE NULL END"
                " WHERE id = $1 RETURNING version, (extract(epoch FROM updated_at) * 1000)::bigint",
                uuidText(tenant.id), stateName(next.value()).toStdString());
            work.commit();
            tenant.state = next.value();
            tenant.version = updated[0][0].as<qint64>();
            tenant.updatedAt = time(updated[0][1]);
            tenant.suspendedAt =
                next.value() == TenantState::Suspended ? tenant.updatedAt : QDateTime();
            tenant.canceledAt =
                next.value() == TenantState::Canceled ? tenant.updatedAt : QDateTime();
            return tenant;
        } catch (const std::exception &e) {
            compliance::recordCorrection(d->audit, record, receipt.value(),
                                         storage::databaseError(e));
            throw;
        }
    });
    d->changed(slug);
    if (!result)
        return result.error();
    if (refused)
        return *refused;
    return *result.value();
}

Result<int> TenantRegistry::expireTrials(const ActorContext &actor)
{
    auto due = d->withControl([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        QStringList slugs;
        for (const auto &row :
             work.exec_params("SELECT slug FROM tenants WHERE state = 'trial' AND trial_ends_at <="
                              " to_timestamp($1 / 1000.0) ORDER BY trial_ends_at",
                              d->clock.now().toMSecsSinceEpoch()))
            slugs << text(row[0]);
        return slugs;
    });
    if (!due)
        return due.error();
    int expired = 0;
    for (const QString &slug : due.value()) {
        if (transition(slug, LifecycleAction::ExpireTrial, actor))
            ++expired;
    }
    return expired;
}

Result<Tenant> TenantRegistry::update(const QString &slug, const TenantPatch &patch,
                                      const ActorContext &actor,
                                      std::optional<qint64> expectedVersion)
{
    if (patch.isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("nothing to change"));
    auto current = get(slug);
    if (!current)
        return current.error();
    Tenant tenant = current.value();
    if (tenant.state == TenantState::Deleted)
        return makeError(ErrorCode::Conflict, QStringLiteral("tenant %1 was deleted").arg(slug));
    if (expectedVersion && *expectedVersion != tenant.version)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("tenant %1 changed since version %2 (now %3); reload "
                                        "and retry")
                             .arg(slug)
                             .arg(*expectedVersion)
                             .arg(tenant.version));
    QStringList changedFields;
    if (patch.displayName) {
        if (Status s = validateDisplayName(*patch.displayName); !s)
            return s.error();
        tenant.displayName = patch.displayName->trimmed();
        changedFields << QStringLiteral("name");
    }
    if (patch.ownerEmail) {
        if (Status s = validateOwnerEmail(*patch.ownerEmail); !s)
            return s.error();
        tenant.ownerEmail = *patch.ownerEmail;
        changedFields << QStringLiteral("ownerEmail");
    }
    if (patch.ownerName) {
        if (patch.ownerName->size() > 200)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("ownerName: at most 200 characters"));
        tenant.ownerName = *patch.ownerName;
        changedFields << QStringLiteral("ownerName");
    }
    if (patch.allowedRegions) {
        if (Status s = validateRegions(tenant.homeRegion, *patch.allowedRegions, d->pools); !s)
            return s.error();
        tenant.allowedRegions = *patch.allowedRegions;
        changedFields << QStringLiteral("allowedRegions");
    }
    QJsonObject details;
    if (patch.plan) {
        details.insert(QStringLiteral("planFrom"), tenant.plan);
        details.insert(QStringLiteral("planTo"), *patch.plan);
        tenant.plan = *patch.plan;
        changedFields << QStringLiteral("plan");
    }
    if (patch.limits) {
        tenant.limits = *patch.limits;
        changedFields << QStringLiteral("limits");
    }
    if (patch.features) {
        tenant.features = *patch.features;
        changedFields << QStringLiteral("features");
    }
    if (patch.config) {
        tenant.config = *patch.config;
        changedFields << QStringLiteral("config");
    }
    // Settings are checked together against the (possibly new) plan.
    auto plan = this->plan(tenant.plan);
    if (!plan)
        return plan.error();
    if (Status s = validateLimitOverrides(tenant.limits); !s)
        return s.error();
    if (Status s = validateFeatureOverrides(tenant.features, plan.value()); !s)
        return s.error();
    if (Status s = validateConfig(tenant.config, plan.value(), tenant.features); !s)
        return s.error();
    details.insert(QStringLiteral("changed"), QJsonArray::fromStringList(changedFields));
    if (patch.features)
        details.insert(QStringLiteral("features"), tenant.features);
    if (patch.limits)
        details.insert(QStringLiteral("limits"), tenant.limits);
    auto updated = compliance::recordThenChange<Tenant>(
        d->audit, auditRecord(actor, QStringLiteral("tenant.update"), slug, details),
        [&]() -> Result<Tenant> {
            auto row = d->withControl([&](pqxx::connection &connection) -> std::optional<Tenant> {
                pqxx::work work(connection);
                auto rows = work.exec_params(
                    "UPDATE tenants SET display_name = $3, plan = $4, allowed_regions = $5::text[],"
                    " owner_name = $6, owner_email = $7, config = $8::jsonb, limits = $9::jsonb,"
                    " features = $10::jsonb, updated_at = now(), version = version + 1"
                    " WHERE id = $1 AND version = $2"
                    " RETURNING version, (extract(epoch FROM updated_at) * 1000)::bigint",
                    uuidText(tenant.id), tenant.version, tenant.displayName.toStdString(),
                    tenant.plan.toStdString(), regionsArray(tenant.allowedRegions),
                    tenant.ownerName.toStdString(), tenant.ownerEmail.toStdString(),
                    json(tenant.config), json(tenant.limits), json(tenant.features));
                if (rows.empty())
                    return std::nullopt;
                work.commit();
                Tenant result = tenant;
                result.version = rows[0][0].as<qint64>();
                result.updatedAt = time(rows[0][1]);
                return result;
            });
            if (!row)
                return row.error();
            if (!row.value())
                return makeError(
                    ErrorCode::Conflict,
                    QStringLiteral("tenant %1 changed meanwhile; reload and retry").arg(slug));
            return *row.value();
        });
    d->changed(slug);
    return updated;
}

Result<Tenant> TenantRegistry::move(const QString &slug, IsolationStrategy isolation,
                                    const QString &homeRegion, const ActorContext &actor)
{
    auto current = get(slug);
    if (!current)
        return current.error();
    const Tenant source = current.value();
    if (source.state == TenantState::Deleted)
        return makeError(ErrorCode::Conflict, QStringLiteral("tenant %1 was deleted").arg(slug));
    if (source.provisioning != Provisioning::Ready && source.provisioning != Provisioning::Moving)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("tenant %1 is %2; only a provisioned tenant can move")
                             .arg(slug, provisioningName(source.provisioning)));
    if (source.isolation == isolation && source.homeRegion == homeRegion)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("tenant %1 already uses %2 in %3")
                             .arg(slug, isolationName(isolation), homeRegion));
    if (!source.allowedRegions.contains(homeRegion))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("homeRegion: %1 is not among the tenant's allowed regions "
                                        "(%2); data residency forbids the move")
                             .arg(homeRegion, source.allowedRegions.join(QStringLiteral(", "))));
    if (Status s = validateRegions(homeRegion, source.allowedRegions, d->pools); !s)
        return s.error();
    Tenant target = source;
    target.isolation = isolation;
    target.homeRegion = homeRegion;

    const QJsonObject details{
        {QStringLiteral("fromIsolation"), isolationName(source.isolation)},
        {QStringLiteral("toIsolation"), isolationName(isolation)},
        {QStringLiteral("fromRegion"), source.homeRegion},
        {QStringLiteral("toRegion"), homeRegion},
    };
    const compliance::AuditRecord record =
        auditRecord(actor, QStringLiteral("tenant.move"), slug, details);
    auto receipt = compliance::recordAndWait(d->audit, record);
    if (!receipt)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the audit log could not record tenant.move, so nothing "
                                        "was changed: %1")
                             .arg(receipt.error().message));
    auto fail = [&](const Error &error) -> Result<Tenant> {
        compliance::recordCorrection(d->audit, record, receipt.value(), error);
        (void)d->setProvisioning(source, Provisioning::Ready, {});
        return error;
    };
    auto moving = d->setProvisioning(source, Provisioning::Moving, {});
    if (!moving)
        return fail(moving.error());
    // Sessions of other instances may hold the "ready" record for their cache's lifetime.
    QThread::msleep(static_cast<unsigned long>(d->moveQuiesce.count()));
    if (Status s = m_provisioner.provision(target); !s)
        return fail(s.error());
    auto copied = m_provisioner.copyRows(source, target);
    if (!copied) {
        (void)m_provisioner.removePlacement(target);
        return fail(copied.error());
    }
    auto switched = d->withControl([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        auto rows = work.exec_params(
            "UPDATE tenants SET isolation = $2, home_region = $3, provisioning = 'ready',"
            " provisioning_error = NULL, updated_at = now(), version = version + 1 WHERE id = $1"
            " RETURNING version, (extract(epoch FROM updated_at) * 1000)::bigint",
            uuidText(source.id), isolationName(isolation).toStdString(), homeRegion.toStdString());
        work.commit();
        return std::make_pair(rows[0][0].as<qint64>(), time(rows[0][1]));
    });
    if (!switched) {
        (void)m_provisioner.removePlacement(target);
        return fail(switched.error());
    }
    d->changed(slug);
    target.provisioning = Provisioning::Ready;
    target.version = switched->first;
    target.updatedAt = switched->second;
    if (Status s = m_provisioner.removePlacement(source); !s) {
        // The tenant already lives in its new placement; the old one is left for cleanup.
        qCWarning(lcTenancy).noquote()
            << QStringLiteral("tenant %1 moved, but its old placement remains: %2")
                   .arg(slug, s.error().message);
    }
    QJsonObject rows;
    for (auto it = copied->begin(); it != copied->end(); ++it)
        rows.insert(it.key(), it.value());
    compliance::AuditRecord done =
        auditRecord(actor, QStringLiteral("tenant.move-completed"), slug, details);
    done.details.insert(QStringLiteral("rows"), rows);
    (void)compliance::recordAndWait(d->audit, done);
    return target;
}

void TenantRegistry::setKeyStore(TenantKeyStore *keys)
{
    d->keys = keys;
}

Result<Tenant> TenantRegistry::requestDeletion(const QString &slug, std::chrono::hours retention,
                                               const ActorContext &actor)
{
    if (retention < std::chrono::hours(24) || retention > std::chrono::hours(24 * 365))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("retention: 1 to 365 days before the tenant is purged"));
    auto current = get(slug);
    if (!current)
        return current.error();
    if (current->state == TenantState::Deleted)
        return makeError(ErrorCode::Conflict, QStringLiteral("tenant %1 was deleted").arg(slug));
    if (current->deletionRequestedAt.isValid())
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("tenant %1 is already scheduled for deletion on %2")
                             .arg(slug, current->purgeAfter.toString(Qt::ISODate)));
    const QDateTime purgeAfter =
        d->clock.now().addSecs(std::chrono::duration_cast<std::chrono::seconds>(retention).count());
    const QJsonObject details{
        {QStringLiteral("from"), stateName(current->state)},
        {QStringLiteral("purgeAfter"), purgeAfter.toUTC().toString(Qt::ISODateWithMs)}};
    auto changed = compliance::recordThenChange<Tenant>(
        d->audit, auditRecord(actor, QStringLiteral("tenant.delete"), slug, details),
        [&]() -> Result<Tenant> {
            auto row = d->withControl([&](pqxx::connection &connection) {
                pqxx::work work(connection);
                auto rows = work.exec_params(
                    "UPDATE tenants SET state = 'canceled', canceled_at = coalesce(canceled_at,"
                    " now()), deletion_requested_at = now(), purge_after = to_timestamp($2::bigint"
                    " / 1000.0), updated_at = now(), version = version + 1 WHERE id = $1 AND"
                    " version = $3 RETURNING version",
                    uuidText(current->id), purgeAfter.toMSecsSinceEpoch(), current->version);
                work.commit();
                return !rows.empty();
            });
            if (!row)
                return row.error();
            if (!row.value())
                return makeError(ErrorCode::Conflict,
                                 QStringLiteral("tenant %1 changed meanwhile; retry").arg(slug));
            return get(slug);
        });
    d->changed(slug);
    return changed;
}

Result<Tenant> TenantRegistry::cancelDeletion(const QString &slug, const ActorContext &actor)
{
    auto current = get(slug);
    if (!current)
        return current.error();
    if (current->state == TenantState::Deleted)
        return makeError(
            ErrorCode::Conflict,
            QStringLiteral("tenant %1 was already purged; it cannot be restored").arg(slug));
    if (!current->deletionRequestedAt.isValid())
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("tenant %1 is not scheduled for deletion").arg(slug));
    auto changed = compliance::recordThenChange<Tenant>(
        d->audit, auditRecord(actor, QStringLiteral("tenant.delete-canceled"), slug, {}),
        [&]() -> Result<Tenant> {
            auto row = d->withControl([&](pqxx::connection &connection) {
                pqxx::work work(connection);
                // Still canceled: reactivate is a separate, deliberate step.
                work.exec_params("UPDATE tenants SET deletion_requested_at = NULL, purge_after ="
                                 " NULL, updated_at = now(), version = version + 1 WHERE id = $1"
                                 " AND state <> 'deleted'",
                                 uuidText(current->id));
                work.commit();
            });
            if (!row)
                return row.error();
            return get(slug);
        });
    d->changed(slug);
    return changed;
}

Result<int> TenantRegistry::purgeDeleted(const ActorContext &actor)
{
    auto due = d->withControl([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        QStringList slugs;
        for (const auto &row :
             work.exec_params("SELECT slug FROM tenants WHERE state <> 'deleted' AND purge_after <="
                              " to_timestamp($1::bigint / 1000.0) ORDER BY purge_after",
                              d->clock.now().toMSecsSinceEpoch()))
            slugs << text(row[0]);
        return slugs;
    });
    if (!due)
        return due.error();
    int purged = 0;
    std::optional<Error> firstError;
    for (const QString &slug : due.value()) {
        auto tenant = get(slug);
        if (!tenant)
            continue;
        auto done = compliance::recordThenChange<bool>(
            d->audit,
            auditRecord(actor, QStringLiteral("tenant.purge"), slug,
                        {{QStringLiteral("isolation"), isolationName(tenant->isolation)},
                         {QStringLiteral("homeRegion"), tenant->homeRegion},
                         {QStringLiteral("keysDestroyed"), d->keys != nullptr}}),
            [&]() -> Result<bool> {
                if (Status s = m_provisioner.removePlacement(tenant.value()); !s)
                    return s.error();
                if (d->keys) {
                    auto destroyed = d->keys->destroyTenantKeys(tenant->id);
                    if (!destroyed && destroyed.error().code != ErrorCode::NotFound)
                        return destroyed.error();
                }
                auto marked = d->withControl([&](pqxx::connection &connection) {
                    pqxx::work work(connection);
                    work.exec_params(
                        "UPDATE tenants SET state = 'deleted', provisioning = 'removed',"
                        " deleted_at = now(), owner_name = '', owner_email = '', config = '{}',"
                        " limits = '{}', features = '{}', updated_at = now(),"
                        " version = version + 1 WHERE id = $1",
                        uuidText(tenant->id));
                    work.commit();
                });
                if (!marked)
                    return marked.error();
                return true;
            });
        d->changed(slug);
        if (done) {
            ++purged;
        } else {
            qCWarning(lcTenancy).noquote()
                << QStringLiteral("purging %1: %2").arg(slug, done.error().message);
            if (!firstError)
                firstError = done.error();
        }
    }
    if (purged == 0 && firstError)
        return *firstError;
    return purged;
}

Result<EffectiveSettings> TenantRegistry::settingsFor(const QString &slug)
{
    auto tenant = get(slug);
    if (!tenant)
        return tenant.error();
    auto plan = this->plan(tenant->plan);
    if (!plan)
        return plan.error();
    return effectiveSettings(plan.value(), tenant.value());
}

} // namespace upcoach::tenancy
