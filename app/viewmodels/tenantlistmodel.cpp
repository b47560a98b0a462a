#include "tenantlistmodel.h"

#include "upcoach/tenancy/registry.h"

#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>
#include <optional>

namespace upcoach::viewmodels {

namespace {

// TenantRegistry::list answers at most this many rows per call.
constexpr int registryPageLimit = 1000;

QVariantMap countsMap(const QMap<QString, qint64> &counts)
{
    QVariantMap map;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        map.insert(it.key(), double(it.value()));
    return map;
}

QVariantMap planMap(const tenancy::Plan &plan)
{
    QVariantMap features;
    for (auto it = plan.features.begin(); it != plan.features.end(); ++it)
        features.insert(it.key(), it.value());
    return {
        {QStringLiteral("plan"), plan.plan},
        {QStringLiteral("displayName"), plan.displayName},
        {QStringLiteral("trialDays"), plan.trialDays},
        {QStringLiteral("seats"), double(plan.limits.seats)},
        {QStringLiteral("storageBytes"), double(plan.limits.storageBytes)},
        {QStringLiteral("apiRequestsPerMinute"), double(plan.limits.apiRequestsPerMinute)},
        {QStringLiteral("monthlyPricePerSeatCents"), double(plan.monthlyPricePerSeatCents)},
        {QStringLiteral("features"), features},
    };
}

} // namespace

struct TenantListModel::Result
{
    quint64 generation = 0;
    Purpose purpose = Purpose::Replace;
    bool stale = false;
    std::vector<Row> rows;
    qint64 total = 0;
    std::optional<tenancy::TenantCounts> counts;
    std::optional<std::vector<tenancy::Plan>> plans;
    QString error;
};

TenantListModel::TenantListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    // One query at a time, in the order they were asked for; stale ones return at once.
    m_threads.setMaxThreadCount(1);
    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(searchDebounceMs);
    connect(&m_searchTimer, &QTimer::timeout, this, [this] { scheduleQuery(Purpose::Replace); });
}

TenantListModel::~TenantListModel()
{
    m_generation->fetch_add(1);
    m_threads.waitForDone();
}

void TenantListModel::setBackend(const TenantBackend &backend)
{
    const bool wasReady = ready();
    m_backend = backend;
    if (ready() != wasReady)
        Q_EMIT readyChanged();
    Q_EMIT choicesChanged();
    m_plans.clear();
    scheduleQuery(Purpose::Replace);
}

void TenantListModel::setBackendError(const QString &message)
{
    setError(message);
    setLoading(false);
    Q_EMIT queryFinished();
}

int TenantListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant TenantListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case SlugRole:
        return row.slug;
    case NameRole:
        return row.name;
    case KindRole:
        return row.kind;
    case StateRole:
        return row.state;
    case PlanRole:
        return row.plan;
    case HomeRegionRole:
        return row.homeRegion;
    case AllowedRegionsRole:
        return row.allowedRegions;
    case IsolationRole:
        return row.isolation;
    case ProvisioningRole:
        return row.provisioning;
    case CreatedAtRole:
        return row.createdAt;
    case VersionRole:
        return double(row.version);
    case CheckedRole:
        return m_checked.contains(row.slug);
    case CurrentRole:
        return row.slug == m_currentSlug;
    default:
        return {};
    }
}

bool TenantListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != CheckedRole || !index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    setChecked(index.row(), value.toBool());
    return true;
}

Qt::ItemFlags TenantListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable |
           Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> TenantListModel::roleNames() const
{
    return {
        {SlugRole, "slug"},
        {NameRole, "name"},
        {KindRole, "kind"},
        {StateRole, "tenantState"},
        {PlanRole, "plan"},
        {HomeRegionRole, "homeRegion"},
        {AllowedRegionsRole, "allowedRegions"},
        {IsolationRole, "isolation"},
        {ProvisioningRole, "provisioning"},
        {CreatedAtRole, "createdAt"},
        {VersionRole, "version"},
        {CheckedRole, "checked"},
        {CurrentRole, "current"},
    };
}

bool TenantListModel::canFetchMore(const QModelIndex &parent) const
{
    // While a page is on its way this still says yes; fetchMore() then does nothing, so a view
    // that asks again is harmless.
    return !parent.isValid() && ready() && !m_loading && m_error.isEmpty() &&
           qint64(m_rows.size()) < m_total;
}

void TenantListModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || !canFetchMore(parent) || m_fetching)
        return;
    scheduleQuery(Purpose::Append);
}

bool TenantListModel::hasFilter() const
{
    return !m_search.isEmpty() || !m_state.isEmpty() || !m_plan.isEmpty() || !m_region.isEmpty() ||
           !m_isolation.isEmpty();
}

void TenantListModel::setSearchText(const QString &text)
{
    if (text == m_search)
        return;
    m_search = text;
    Q_EMIT filterChanged();
    // Typing goes on: one query for the text the operator paused at.
    m_searchTimer.start();
}

void TenantListModel::setStateFilter(const QString &state)
{
    if (state == m_state)
        return;
    m_state = state;
    Q_EMIT filterChanged();
    scheduleQuery(Purpose::Replace);
}

void TenantListModel::setPlanFilter(const QString &plan)
{
    if (plan == m_plan)
        return;
    m_plan = plan;
    Q_EMIT filterChanged();
    scheduleQuery(Purpose::Replace);
}

void TenantListModel::setRegionFilter(const QString &region)
{
    if (region == m_region)
        return;
    m_region = region;
    Q_EMIT filterChanged();
    scheduleQuery(Purpose::Replace);
}

void TenantListModel::setIsolationFilter(const QString &isolation)
{
    if (isolation == m_isolation)
        return;
    m_isolation = isolation;
    Q_EMIT filterChanged();
    scheduleQuery(Purpose::Replace);
}

void TenantListModel::setSortKey(const QString &key)
{
    if (key == m_sortKey || !tenancy::parseSort(key))
        return;
    m_sortKey = key;
    Q_EMIT sortChanged();
    scheduleQuery(Purpose::Replace);
}

void TenantListModel::setDescending(bool descending)
{
    if (descending == m_descending)
        return;
    m_descending = descending;
    Q_EMIT sortChanged();
    scheduleQuery(Purpose::Replace);
}

void TenantListModel::sortBy(const QString &key)
{
    if (!tenancy::parseSort(key))
        return;
    if (key == m_sortKey) {
        setDescending(!m_descending);
        return;
    }
    // One query for both changes.
    m_sortKey = key;
    m_descending = false;
    Q_EMIT sortChanged();
    scheduleQuery(Purpose::Replace);
}

void TenantListModel::clearFilters()
{
    if (!hasFilter())
        return;
    m_search.clear();
    m_state.clear();
    m_plan.clear();
    m_region.clear();
    m_isolation.clear();
    Q_EMIT filterChanged();
    scheduleQuery(Purpose::Replace);
}

QStringList TenantListModel::planChoices() const
{
    QStringList names;
    for (const QVariant &plan : m_plans)
        names << plan.toMap().value(QStringLiteral("plan")).toString();
    return names;
}

QStringList TenantListModel::regionChoices() const
{
    QStringList regions = m_backend.regions;
    for (auto it = m_regionCounts.begin(); it != m_regionCounts.end(); ++it) {
        if (!regions.contains(it.key()))
            regions << it.key();
    }
    regions.sort();
    return regions;
}

void TenantListModel::setCurrentSlug(const QString &slug)
{
    if (slug == m_currentSlug)
        return;
    const int before = rowOf(m_currentSlug);
    m_currentSlug = slug;
    m_currentRow = rowOf(slug);
    if (before >= 0)
        emitRowChanged(before, {CurrentRole});
    if (m_currentRow >= 0)
        emitRowChanged(m_currentRow, {CurrentRole});
    Q_EMIT currentChanged();
}

void TenantListModel::notifyCurrentRow()
{
    const int row = rowOf(m_currentSlug);
    if (row == m_currentRow)
        return;
    m_currentRow = row;
    Q_EMIT currentChanged();
}

int TenantListModel::rowOf(const QString &slug) const
{
    return m_rowOf.value(slug, -1);
}

QString TenantListModel::slugAt(int row) const
{
    return row >= 0 && row < count() ? m_rows[size_t(row)].slug : QString();
}

void TenantListModel::refresh()
{
    if (m_searchTimer.isActive()) {
        m_searchTimer.stop();
        scheduleQuery(Purpose::Replace);
        return;
    }
    // Before the first page of the current query arrived there is nothing to reload in place.
    scheduleQuery(m_loading ? Purpose::Replace : Purpose::Reload);
}

void TenantListModel::setChecked(int row, bool checked)
{
    if (row < 0 || row >= count())
        return;
    const QString &slug = m_rows[size_t(row)].slug;
    if (checked == m_checked.contains(slug))
        return;
    if (checked)
        m_checked.insert(slug);
    else
        m_checked.remove(slug);
    emitRowChanged(row, {CheckedRole});
    Q_EMIT checkedChanged();
}

void TenantListModel::toggleChecked(int row)
{
    if (row >= 0 && row < count())
        setChecked(row, !m_checked.contains(m_rows[size_t(row)].slug));
}

void TenantListModel::setAllChecked(bool checked)
{
    const qsizetype before = m_checked.size();
    if (checked) {
        for (const Row &row : m_rows)
            m_checked.insert(row.slug);
    } else {
        m_checked.clear();
    }
    if (m_checked.size() == before && (checked || before == 0))
        return;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0), index(count() - 1), {CheckedRole});
    Q_EMIT checkedChanged();
}

void TenantListModel::clearChecked()
{
    setAllChecked(false);
}

QVariantList TenantListModel::checkedTenants() const
{
    QVariantList tenants;
    for (const Row &row : m_rows) {
        if (m_checked.contains(row.slug))
            tenants.append(QVariantMap{{QStringLiteral("slug"), row.slug},
                                       {QStringLiteral("state"), row.state},
                                       {QStringLiteral("version"), double(row.version)}});
    }
    return tenants;
}

void TenantListModel::scheduleQuery(Purpose purpose)
{
    if (!ready())
        return;
    quint64 generation = 0;
    if (purpose == Purpose::Append) {
        generation = m_generation->load();
        setFetching(true);
    } else {
        m_searchTimer.stop();
        generation = m_generation->fetch_add(1) + 1;
        setFetching(false);
        if (purpose == Purpose::Replace)
            setLoading(true);
    }

    tenancy::TenantQuery query;
    query.search = m_search.trimmed().left(200);
    query.state = tenancy::parseState(m_state);
    query.plan = m_plan;
    query.region = m_region;
    query.isolation = tenancy::parseIsolation(m_isolation);
    query.sort = tenancy::parseSort(m_sortKey).value_or(tenancy::TenantSort::Slug);
    query.descending = m_descending;
    const int offset = purpose == Purpose::Append ? count() : 0;
    const int wanted = purpose == Purpose::Reload ? std::max(count(), pageSize) : pageSize;
    const bool withPlans = m_plans.isEmpty();

    tenancy::TenantRegistry *registry = m_backend.registry;
    auto generations = m_generation;
    auto work = [=]() -> std::shared_ptr<Result> {
        auto result = std::make_shared<Result>();
        result->generation = generation;
        result->purpose = purpose;
        if (generations->load() != generation) {
            result->stale = true;
            return result;
        }
        tenancy::TenantQuery page = query;
        for (int loaded = 0; loaded < wanted;) {
            page.offset = offset + loaded;
            page.limit = std::min(registryPageLimit, wanted - loaded);
            auto tenants = registry->list(page);
            if (!tenants) {
                result->error = tenants.error().message;
                return result;
            }
            result->total = tenants->total;
            for (const tenancy::Tenant &tenant : tenants->tenants) {
                result->rows.push_back(
                    Row{tenant.slug, tenant.displayName, tenancy::kindName(tenant.kind),
                        tenancy::stateName(tenant.state), tenant.plan, tenant.homeRegion,
                        tenant.allowedRegions, tenancy::isolationName(tenant.isolation),
                        tenancy::provisioningName(tenant.provisioning), tenant.createdAt.toUTC(),
                        tenant.version});
            }
            if (int(tenants->tenants.size()) < page.limit)
                break;
            loaded += page.limit;
        }
        if (purpose != Purpose::Append) {
            auto counts = registry->counts();
            if (!counts) {
                result->error = counts.error().message;
                return result;
            }
            result->counts = std::move(counts).value();
        }
        if (withPlans) {
            if (auto plans = registry->plans(); plans)
                result->plans = std::move(plans).value();
        }
        return result;
    };
    QtConcurrent::run(&m_threads, work).then(this, [this](std::shared_ptr<Result> result) {
        apply(result);
    });
}

void TenantListModel::apply(const std::shared_ptr<Result> &result)
{
    if (result->stale || result->generation != m_generation->load())
        return;
    const int countBefore = count();
    if (!result->error.isEmpty()) {
        setError(result->error);
        if (result->purpose == Purpose::Append)
            setFetching(false);
        else
            setLoading(false);
        Q_EMIT queryFinished();
        return;
    }
    setError({});

    switch (result->purpose) {
    case Purpose::Replace: {
        beginResetModel();
        m_rows = std::move(result->rows);
        rebuildIndex();
        const bool hadChecked = !m_checked.isEmpty();
        // Bulk actions act on what the operator sees: a new filter starts a new selection.
        m_checked.clear();
        endResetModel();
        if (hadChecked)
            Q_EMIT checkedChanged();
        break;
    }
    case Purpose::Append: {
        std::vector<Row> fresh;
        for (Row &row : result->rows) {
            // Offsets shift when tenants are created meanwhile; never show one twice.
            if (!m_rowOf.contains(row.slug))
                fresh.push_back(std::move(row));
        }
        if (!fresh.empty()) {
            beginInsertRows({}, count(), count() + int(fresh.size()) - 1);
            for (Row &row : fresh) {
                m_rowOf.insert(row.slug, int(m_rows.size()));
                m_rows.push_back(std::move(row));
            }
            endInsertRows();
        }
        break;
    }
    case Purpose::Reload:
        applyReload(std::move(result->rows));
        break;
    }
    setTotal(std::max<qint64>(result->total, count()));
    if (result->counts) {
        m_allCount = result->counts->total;
        m_stateCounts = countsMap(result->counts->byState);
        m_isolationCounts = countsMap(result->counts->byIsolation);
        m_regionCounts = countsMap(result->counts->byRegion);
        m_lastUpdated = QDateTime::currentDateTimeUtc();
        Q_EMIT summaryChanged();
        Q_EMIT choicesChanged();
    }
    if (result->plans) {
        m_plans.clear();
        for (const tenancy::Plan &plan : *result->plans)
            m_plans.append(planMap(plan));
        Q_EMIT choicesChanged();
    }
    if (count() != countBefore)
        Q_EMIT countChanged();
    if (result->purpose != Purpose::Append) {
        // The detail pane opens on the first tenant until the operator picks one.
        if (!m_loadedOnce && m_currentSlug.isEmpty() && !m_rows.empty())
            setCurrentSlug(m_rows.front().slug);
        m_loadedOnce = true;
        setLoading(false);
    } else {
        setFetching(false);
    }
    notifyCurrentRow();
    Q_EMIT queryFinished();
}

void TenantListModel::applyReload(std::vector<Row> rows)
{
    const size_t shared = std::min(rows.size(), m_rows.size());
    bool sameOrder = true;
    for (size_t i = 0; i < shared && sameOrder; ++i)
        sameOrder = rows[i].slug == m_rows[i].slug;
    if (!sameOrder) {
        // The order changed (a sort by state after a suspension, say): start over.
        beginResetModel();
        m_rows = std::move(rows);
        rebuildIndex();
        endResetModel();
    } else {
        for (size_t i = 0; i < shared; ++i) {
            if (!(rows[i] == m_rows[i])) {
                m_rows[i] = std::move(rows[i]);
                const QModelIndex changed = index(int(i));
                Q_EMIT dataChanged(changed, changed);
            }
        }
        if (rows.size() > m_rows.size()) {
            beginInsertRows({}, count(), int(rows.size()) - 1);
            for (size_t i = m_rows.size(); i < rows.size(); ++i)
                m_rows.push_back(std::move(rows[i]));
            rebuildIndex();
            endInsertRows();
        } else if (rows.size() < m_rows.size()) {
            beginRemoveRows({}, int(rows.size()), count() - 1);
            m_rows.resize(rows.size());
            rebuildIndex();
            endRemoveRows();
        }
    }
    // Checks stay on tenants that are still listed.
    const qsizetype before = m_checked.size();
    m_checked.removeIf([this](const QString &slug) { return !m_rowOf.contains(slug); });
    if (m_checked.size() != before)
        Q_EMIT checkedChanged();
}

void TenantListModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}

void TenantListModel::setFetching(bool fetching)
{
    if (fetching == m_fetching)
        return;
    m_fetching = fetching;
    Q_EMIT fetchingChanged();
}

void TenantListModel::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void TenantListModel::setTotal(qint64 total)
{
    if (total == m_total)
        return;
    m_total = total;
    Q_EMIT totalChanged();
}

void TenantListModel::rebuildIndex()
{
    m_rowOf.clear();
    m_rowOf.reserve(qsizetype(m_rows.size()));
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_rowOf.insert(m_rows[i].slug, int(i));
}

void TenantListModel::emitRowChanged(int row, const QList<int> &roles)
{
    const QModelIndex changed = index(row);
    Q_EMIT dataChanged(changed, changed, roles);
}

} // namespace upcoach::viewmodels
