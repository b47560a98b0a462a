// One tenant's users as the impersonation dialog's picker lists them: TenantUsers::list, searched
// (email or name, debounced) and paged in on demand (canFetchMore/fetchMore, pageSize rows per
// query), read on the model's own worker thread; a result a newer query has overtaken is dropped.
// A new tenant or search resets the model once its first page is there; further pages are
// appended. One user can be chosen (choose(row): the `chosen` role, userChosen()); the choice
// survives a new search and goes with a new tenant.
#pragma once

#include "tenantbackend.h"

#include <QAbstractListModel>
#include <QDateTime>
#include <QSet>
#include <QThreadPool>
#include <QTimer>
#include <QtQml/qqmlregistration.h>
#include <atomic>
#include <memory>
#include <vector>

namespace upcoach::viewmodels {

class TenantUserListModel final : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    // The tenant whose users are listed ("" = none: the model is empty).
    Q_PROPERTY(QString tenantSlug READ tenantSlug WRITE setTenantSlug NOTIFY tenantChanged)
    // Case-insensitive substring of the email or display name, applied searchDebounceMs after
    // the last keystroke.
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY searchTextChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    // Users matching the search (rows not loaded yet included).
    Q_PROPERTY(int total READ total NOTIFY totalChanged)
    // The first page of the current query has not arrived.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    // A further page is being read (fetchMore).
    Q_PROPERTY(bool fetching READ fetching NOTIFY fetchingChanged)
    // Why the last query failed (the rows shown are from before it); empty after a success.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    // The chosen user's id ("" = none).
    Q_PROPERTY(QString chosenId READ chosenId NOTIFY chosenChanged)

public:
    enum Role
    {
        UserIdRole = Qt::UserRole + 1,
        EmailRole,
        DisplayNameRole,
        UserRoleRole, // "userRole": coach | coachee | admin
        CreatedAtRole,
        SubjectRole, // "user:<email>", what an impersonation names
        ChosenRole,  // bool
    };
    Q_ENUM(Role)

    static constexpr int pageSize = 50;
    static constexpr int searchDebounceMs = 250;

    // No default argument: Qt 6.4 instantiates QML element wrappers for default-constructible
    // types even when QML_UNCREATABLE, and a final class cannot be wrapped.
    explicit TenantUserListModel(QObject *parent);
    ~TenantUserListModel() override; // waits for a running query

    // GUI thread. The backend must outlive the model.
    void setBackend(const TenantBackend &backend);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    QString tenantSlug() const { return m_slug; }
    void setTenantSlug(const QString &slug);
    QString searchText() const { return m_search; }
    void setSearchText(const QString &text);
    int count() const { return int(m_rows.size()); }
    int total() const { return int(m_total); }
    bool loading() const { return m_loading; }
    bool fetching() const { return m_fetching; }
    QString error() const { return m_error; }
    QString chosenId() const { return m_chosenId; }

    // A loaded row as {userId, email, displayName, userRole, subject}; empty for a bad row.
    Q_INVOKABLE QVariantMap get(int row) const;
    // Reads the first page again now (no debounce).
    Q_INVOKABLE void refresh();
    // Chooses the user at `row` (userChosen follows); false for a row that is not loaded.
    Q_INVOKABLE bool choose(int row);
    Q_INVOKABLE void clearChoice();

Q_SIGNALS:
    void tenantChanged();
    void searchTextChanged();
    void countChanged();
    void totalChanged();
    void loadingChanged();
    void fetchingChanged();
    void errorChanged();
    void chosenChanged();
    // {userId, email, displayName, userRole, subject} of the user just chosen.
    void userChosen(const QVariantMap &user);
    // A query's result has been applied (tests wait for it).
    void queryFinished();

private:
    struct Row
    {
        QString id;
        QString email;
        QString displayName;
        QString role;
        QDateTime createdAt;
    };
    struct Page;

    void query(bool append);
    void apply(const std::shared_ptr<Page> &page);
    void clearRows();
    void setLoading(bool loading);
    void setFetching(bool fetching);
    void setError(const QString &error);
    void setTotal(qint64 total);
    int rowOfId(const QString &id) const;
    void emitChosenRow(const QString &id);

    TenantBackend m_backend;
    QThreadPool m_threads;
    QTimer m_searchTimer;
    std::shared_ptr<std::atomic<quint64>> m_generation = std::make_shared<std::atomic<quint64>>(0);

    QString m_slug;
    QString m_search;
    std::vector<Row> m_rows;
    QSet<QString> m_ids; // of m_rows
    qint64 m_total = 0;
    bool m_loading = false;
    bool m_fetching = false;
    QString m_error;
    QString m_chosenId;
};

} // namespace upcoach::viewmodels
