// The Tenants table as a list model over TenantRegistry::list: the tenants that pass the
// filters, in the chosen order, paged in on demand (canFetchMore/fetchMore, pageSize rows per
// query), so 10,000 tenants cost what the visible ones do. Every query runs on the model's own
// worker thread; results come back to the GUI thread by queued continuations, and one that a
// newer query has overtaken is dropped. A filter or sort change resets the model once its first
// page is there; refresh() reloads the rows already shown and updates them in place.
//
// Also the page's summary (TenantRegistry::counts: by state, strategy and region, unfiltered),
// the plans and regions to filter by, the current tenant (the detail pane's) and the checked
// tenants (bulk actions).
#pragma once

#include "tenantbackend.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QSet>
#include <QStringList>
#include <QThreadPool>
#include <QTimer>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>
#include <atomic>
#include <memory>
#include <vector>

namespace upcoach::viewmodels {

class TenantListModel final : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Tenants matching the filters (rows not loaded yet included).
    Q_PROPERTY(int total READ total NOTIFY totalChanged)
    // No backend yet, or the first page of the current query has not arrived.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    // A further page is being read (fetchMore).
    Q_PROPERTY(bool fetching READ fetching NOTIFY fetchingChanged)
    Q_PROPERTY(bool ready READ ready NOTIFY readyChanged)
    // Why the last query failed (the rows shown are from before it); empty after a success.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(QDateTime lastUpdated READ lastUpdated NOTIFY summaryChanged)

    // Filters: "" means any. The search (slug or name, case-insensitive substring) is applied
    // searchDebounceMs after the last keystroke; the others at once.
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY filterChanged)
    // trial | active | suspended | canceled
    Q_PROPERTY(QString stateFilter READ stateFilter WRITE setStateFilter NOTIFY filterChanged)
    Q_PROPERTY(QString planFilter READ planFilter WRITE setPlanFilter NOTIFY filterChanged)
    Q_PROPERTY(QString regionFilter READ regionFilter WRITE setRegionFilter NOTIFY filterChanged)
    // rls | schema | database
    Q_PROPERTY(
        QString isolationFilter READ isolationFilter WRITE setIsolationFilter NOTIFY filterChanged)
    Q_PROPERTY(bool hasFilter READ hasFilter NOTIFY filterChanged)
    // slug | name | created | state | plan | region | isolation
    Q_PROPERTY(QString sortKey READ sortKey WRITE setSortKey NOTIFY sortChanged)
    Q_PROPERTY(bool descending READ descending WRITE setDescending NOTIFY sortChanged)

    // Summary over every tenant (not deleted), whatever the filters: name → count.
    Q_PROPERTY(int allCount READ allCount NOTIFY summaryChanged)
    Q_PROPERTY(QVariantMap stateCounts READ stateCounts NOTIFY summaryChanged)
    Q_PROPERTY(QVariantMap isolationCounts READ isolationCounts NOTIFY summaryChanged)
    Q_PROPERTY(QVariantMap regionCounts READ regionCounts NOTIFY summaryChanged)
    // The plans: [{plan, displayName, trialDays, seats, storageBytes, apiRequestsPerMinute,
    // monthlyPricePerSeatCents, features: {name: bool}}], by name.
    Q_PROPERTY(QVariantList plans READ plans NOTIFY choicesChanged)
    Q_PROPERTY(QStringList planChoices READ planChoices NOTIFY choicesChanged)
    // The configured regions and every region that has tenants, sorted.
    Q_PROPERTY(QStringList regionChoices READ regionChoices NOTIFY choicesChanged)

    // The tenant the detail pane shows ("" = none); currentRow is -1 when it is not loaded.
    Q_PROPERTY(QString currentSlug READ currentSlug WRITE setCurrentSlug NOTIFY currentChanged)
    Q_PROPERTY(int currentRow READ currentRow NOTIFY currentChanged)
    Q_PROPERTY(int checkedCount READ checkedCount NOTIFY checkedChanged)

public:
    enum Role
    {
        SlugRole = Qt::UserRole + 1,
        NameRole,
        KindRole,  // organization | sub-organization | team
        StateRole, // "tenantState": trial | active | suspended | canceled | deleted
        PlanRole,
        HomeRegionRole,
        AllowedRegionsRole, // QStringList
        IsolationRole,      // rls | schema | database
        ProvisioningRole,   // pending | ready | failed | moving | removed
        CreatedAtRole,      // QDateTime (UTC)
        VersionRole,        // double (optimistic concurrency)
        CheckedRole,        // bool: picked for a bulk action
        CurrentRole,        // bool: shown in the detail pane
    };
    Q_ENUM(Role)

    static constexpr int pageSize = 200;
    static constexpr int searchDebounceMs = 250;

    // No default argument: Qt 6.4 instantiates QML element wrappers for default-constructible
    // types even when QML_UNCREATABLE, and a final class cannot be wrapped.
    explicit TenantListModel(QObject *parent);
    ~TenantListModel() override; // waits for a running query

    // GUI thread. The backend must outlive the model. Loads the first page and the summary.
    void setBackend(const TenantBackend &backend);
    // GUI thread: there will be no backend (it could not be opened); shown as the error.
    void setBackendError(const QString &message);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    int count() const { return int(m_rows.size()); }
    int total() const { return int(m_total); }
    bool loading() const { return m_loading; }
    bool fetching() const { return m_fetching; }
    bool ready() const { return m_backend.isComplete(); }
    QString error() const { return m_error; }
    QDateTime lastUpdated() const { return m_lastUpdated; }

    QString searchText() const { return m_search; }
    void setSearchText(const QString &text);
    QString stateFilter() const { return m_state; }
    void setStateFilter(const QString &state);
    QString planFilter() const { return m_plan; }
    void setPlanFilter(const QString &plan);
    QString regionFilter() const { return m_region; }
    void setRegionFilter(const QString &region);
    QString isolationFilter() const { return m_isolation; }
    void setIsolationFilter(const QString &isolation);
    bool hasFilter() const;
    QString sortKey() const { return m_sortKey; }
    void setSortKey(const QString &key);
    bool descending() const { return m_descending; }
    void setDescending(bool descending);

    int allCount() const { return int(m_allCount); }
    QVariantMap stateCounts() const { return m_stateCounts; }
    QVariantMap isolationCounts() const { return m_isolationCounts; }
    QVariantMap regionCounts() const { return m_regionCounts; }
    QVariantList plans() const { return m_plans; }
    QStringList planChoices() const;
    QStringList regionChoices() const;

    QString currentSlug() const { return m_currentSlug; }
    void setCurrentSlug(const QString &slug);
    int currentRow() const { return m_currentRow; }
    int checkedCount() const { return int(m_checked.size()); }

    // The row of a loaded tenant, -1 when it is not loaded.
    Q_INVOKABLE int rowOf(const QString &slug) const;
    Q_INVOKABLE QString slugAt(int row) const;
    // Reloads the loaded rows (updated in place when their order holds) and the summary.
    Q_INVOKABLE void refresh();
    Q_INVOKABLE void clearFilters();
    // Sorts by `key`; the same key again flips the order.
    Q_INVOKABLE void sortBy(const QString &key);
    Q_INVOKABLE void setChecked(int row, bool checked);
    Q_INVOKABLE void toggleChecked(int row);
    // Checks (or unchecks) every loaded row.
    Q_INVOKABLE void setAllChecked(bool checked);
    Q_INVOKABLE void clearChecked();
    // The checked tenants that are loaded: [{slug, state, version}], in row order.
    Q_INVOKABLE QVariantList checkedTenants() const;

Q_SIGNALS:
    void countChanged();
    void totalChanged();
    void loadingChanged();
    void fetchingChanged();
    void readyChanged();
    void errorChanged();
    void filterChanged();
    void sortChanged();
    void summaryChanged();
    void choicesChanged();
    void currentChanged();
    void checkedChanged();
    // A query's result has been applied (tests and the console runner wait for it).
    void queryFinished();

private:
    struct Row
    {
        QString slug;
        QString name;
        QString kind;
        QString state;
        QString plan;
        QString homeRegion;
        QStringList allowedRegions;
        QString isolation;
        QString provisioning;
        QDateTime createdAt;
        qint64 version = 0;
        bool operator==(const Row &) const = default;
    };
    enum class Purpose
    {
        Replace, // a new query: reset with the first page
        Append,  // fetchMore: the next page
        Reload,  // refresh: the loaded rows again, in place
    };
    struct Result;

    void scheduleQuery(Purpose purpose);
    void apply(const std::shared_ptr<Result> &result);
    void applyReload(std::vector<Row> rows);
    void setLoading(bool loading);
    void setFetching(bool fetching);
    void setError(const QString &error);
    void setTotal(qint64 total);
    void rebuildIndex();
    void emitRowChanged(int row, const QList<int> &roles);
    // Emits currentChanged when the current tenant's row moved (reset, reload).
    void notifyCurrentRow();

    TenantBackend m_backend;
    QThreadPool m_threads;
    QTimer m_searchTimer;
    // Bumped by every new query; a worker skips, and apply() drops, anything older.
    std::shared_ptr<std::atomic<quint64>> m_generation = std::make_shared<std::atomic<quint64>>(0);

    std::vector<Row> m_rows;
    QHash<QString, int> m_rowOf;
    qint64 m_total = 0;
    bool m_loading = true;
    bool m_fetching = false;
    bool m_loadedOnce = false;
    QString m_error;
    QDateTime m_lastUpdated;

    QString m_search;
    QString m_state;
    QString m_plan;
    QString m_region;
    QString m_isolation;
    QString m_sortKey = QStringLiteral("slug");
    bool m_descending = false;

    qint64 m_allCount = 0;
    QVariantMap m_stateCounts;
    QVariantMap m_isolationCounts;
    QVariantMap m_regionCounts;
    QVariantList m_plans;

    QString m_currentSlug;
    int m_currentRow = -1;
    QSet<QString> m_checked;
};

} // namespace upcoach::viewmodels
