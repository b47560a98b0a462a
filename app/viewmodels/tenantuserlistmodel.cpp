#include "tenantuserlistmodel.h"

#include "upcoach/tenancy/tenantusers.h"

#include <QtConcurrent/QtConcurrentRun>

namespace upcoach::viewmodels {

struct TenantUserListModel::Page
{
    quint64 generation = 0;
    bool append = false;
    bool stale = false;
    std::vector<Row> rows;
    qint64 total = 0;
    QString error;
};

TenantUserListModel::TenantUserListModel(QObject *parent)
    : QAbstractListModel(parent)
{
    m_threads.setMaxThreadCount(1);
    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(searchDebounceMs);
    connect(&m_searchTimer, &QTimer::timeout, this, [this] { query(false); });
}

TenantUserListModel::~TenantUserListModel()
{
    m_generation->fetch_add(1);
    m_threads.waitForDone();
}

void TenantUserListModel::setBackend(const TenantBackend &backend)
{
    m_backend = backend;
    if (!m_slug.isEmpty())
        query(false);
}

int TenantUserListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant TenantUserListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
    case DisplayNameRole:
        return row.displayName;
    case UserIdRole:
        return row.id;
    case EmailRole:
        return row.email;
    case UserRoleRole:
        return row.role;
    case CreatedAtRole:
        return row.createdAt;
    case SubjectRole:
        return QString(QStringLiteral("user:") + row.email);
    case ChosenRole:
        return !m_chosenId.isEmpty() && row.id == m_chosenId;
    default:
        return {};
    }
}

QHash<int, QByteArray> TenantUserListModel::roleNames() const
{
    return {
        {UserIdRole, "userId"},     {EmailRole, "email"},         {DisplayNameRole, "displayName"},
        {UserRoleRole, "userRole"}, {CreatedAtRole, "createdAt"}, {SubjectRole, "subject"},
        {ChosenRole, "chosen"},
    };
}

bool TenantUserListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_backend.users && !m_slug.isEmpty() && !m_loading &&
           m_error.isEmpty() && qint64(m_rows.size()) < m_total;
}

void TenantUserListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent) || m_fetching)
        return;
    query(true);
}

void TenantUserListModel::setTenantSlug(const QString &slug)
{
    if (slug == m_slug)
        return;
    m_slug = slug;
    Q_EMIT tenantChanged();
    clearChoice();
    // Another tenant's users must never show under this one's name: empty at once.
    clearRows();
    query(false);
}

void TenantUserListModel::setSearchText(const QString &text)
{
    if (text == m_search)
        return;
    m_search = text;
    Q_EMIT searchTextChanged();
    m_searchTimer.start();
}

QVariantMap TenantUserListModel::get(int row) const
{
    if (row < 0 || row >= count())
        return {};
    const Row &r = m_rows[size_t(row)];
    return {{QStringLiteral("userId"), r.id},
            {QStringLiteral("email"), r.email},
            {QStringLiteral("displayName"), r.displayName},
            {QStringLiteral("userRole"), r.role},
            {QStringLiteral("subject"), QString(QStringLiteral("user:") + r.email)}};
}

void TenantUserListModel::refresh()
{
    query(false);
}

bool TenantUserListModel::choose(int row)
{
    if (row < 0 || row >= count())
        return false;
    const QString before = m_chosenId;
    m_chosenId = m_rows[size_t(row)].id;
    if (before != m_chosenId) {
        emitChosenRow(before);
        emitChosenRow(m_chosenId);
        Q_EMIT chosenChanged();
    }
    Q_EMIT userChosen(get(row));
    return true;
}

void TenantUserListModel::clearChoice()
{
    if (m_chosenId.isEmpty())
        return;
    const QString before = m_chosenId;
    m_chosenId.clear();
    emitChosenRow(before);
    Q_EMIT chosenChanged();
}

int TenantUserListModel::rowOfId(const QString &id) const
{
    if (id.isEmpty() || !m_ids.contains(id))
        return -1;
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id == id)
            return int(i);
    }
    return -1;
}

void TenantUserListModel::emitChosenRow(const QString &id)
{
    const int row = rowOfId(id);
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row), {ChosenRole});
}

void TenantUserListModel::query(bool append)
{
    m_searchTimer.stop();
    if (m_slug.isEmpty()) {
        m_generation->fetch_add(1);
        setLoading(false);
        setFetching(false);
        return;
    }
    quint64 generation = 0;
    if (append) {
        generation = m_generation->load();
        setFetching(true);
    } else {
        generation = m_generation->fetch_add(1) + 1;
        setFetching(false);
        setLoading(true);
    }
    // Without a backend the model waits ("loading") until setBackend() asks again.
    if (!m_backend.users)
        return;

    tenancy::TenantUserQuery request;
    request.search = m_search.trimmed().left(200);
    request.limit = pageSize;
    request.offset = append ? count() : 0;
    const QString slug = m_slug;
    tenancy::TenantUsers *users = m_backend.users;
    auto generations = m_generation;
    auto work = [=]() -> std::shared_ptr<Page> {
        auto page = std::make_shared<Page>();
        page->generation = generation;
        page->append = append;
        if (generations->load() != generation) {
            page->stale = true;
            return page;
        }
        auto listed = users->list(slug, request);
        if (!listed) {
            page->error = listed.error().message;
            return page;
        }
        page->total = listed->total;
        for (const tenancy::TenantUser &user : listed->users)
            page->rows.push_back(
                Row{user.id, user.email, user.displayName, user.role, user.createdAt.toUTC()});
        return page;
    };
    QtConcurrent::run(&m_threads, work).then(this, [this](std::shared_ptr<Page> page) {
        apply(page);
    });
}

void TenantUserListModel::apply(const std::shared_ptr<Page> &page)
{
    if (page->stale || page->generation != m_generation->load())
        return;
    const int before = count();
    if (!page->error.isEmpty()) {
        setError(page->error);
    } else {
        setError({});
        if (page->append) {
            // Users added meanwhile shift the offsets; never list one twice.
            std::vector<Row> fresh;
            for (Row &row : page->rows) {
                if (!m_ids.contains(row.id))
                    fresh.push_back(std::move(row));
            }
            if (!fresh.empty()) {
                beginInsertRows({}, count(), count() + int(fresh.size()) - 1);
                for (Row &row : fresh) {
                    m_ids.insert(row.id);
                    m_rows.push_back(std::move(row));
                }
                endInsertRows();
            }
        } else {
            beginResetModel();
            m_rows = std::move(page->rows);
            m_ids.clear();
            for (const Row &row : m_rows)
                m_ids.insert(row.id);
            endResetModel();
        }
        setTotal(std::max<qint64>(page->total, count()));
    }
    if (count() != before)
        Q_EMIT countChanged();
    if (page->append)
        setFetching(false);
    else
        setLoading(false);
    Q_EMIT queryFinished();
}

void TenantUserListModel::clearRows()
{
    setError({});
    if (m_rows.empty()) {
        setTotal(0);
        return;
    }
    beginResetModel();
    m_rows.clear();
    m_ids.clear();
    endResetModel();
    setTotal(0);
    Q_EMIT countChanged();
}

void TenantUserListModel::setLoading(bool loading)
{
    if (loading == m_loading)
        return;
    m_loading = loading;
    Q_EMIT loadingChanged();
}

void TenantUserListModel::setFetching(bool fetching)
{
    if (fetching == m_fetching)
        return;
    m_fetching = fetching;
    Q_EMIT fetchingChanged();
}

void TenantUserListModel::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

void TenantUserListModel::setTotal(qint64 total)
{
    if (total == m_total)
        return;
    m_total = total;
    Q_EMIT totalChanged();
}

} // namespace upcoach::viewmodels
