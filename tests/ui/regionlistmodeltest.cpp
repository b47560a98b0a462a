// RegionListModel: roles, counts, loading, and change notifications from synthetic snapshots.
#include "regionlistmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <memory>

using upcoach::Region;
using upcoach::storage::DatabaseRole;
using upcoach::storage::HealthSnapshot;
using upcoach::storage::HealthSnapshotPtr;
using upcoach::storage::HealthStatus;
using upcoach::storage::RegionHealth;
using upcoach::viewmodels::RegionListModel;

namespace {

const QDateTime t0 = QDateTime(QDate(2024, 5, 1), QTime(12, 0, 0), Qt::UTC);

std::vector<Region> regions()
{
    return {
        {QStringLiteral("us-east-1"), QStringLiteral("US East (N. Virginia)"),
         QStringLiteral("Ashburn"), QStringLiteral("US"), QStringLiteral("North America"), 39.04,
         -77.49},
        {QStringLiteral("eu-west-1"), QStringLiteral("Europe (Ireland)"), QStringLiteral("Dublin"),
         QStringLiteral("IE"), QStringLiteral("Europe"), 53.35, -6.26},
        {QStringLiteral("ap-southeast-1"), QStringLiteral("Asia Pacific (Singapore)"),
         QStringLiteral("Singapore"), QStringLiteral("SG"), QStringLiteral("Asia"), 1.35, 103.82},
    };
}

RegionHealth up(const QString &id, double latencyMs, int connections = 5)
{
    RegionHealth health;
    health.regionId = id;
    health.status = HealthStatus::Up;
    health.checkedAt = t0;
    health.statusSince = t0.addSecs(-3600);
    health.connectMs = latencyMs * 4;
    health.latencyMs = latencyMs;
    health.serverVersion = QStringLiteral("15.18");
    health.role = DatabaseRole::Primary;
    health.databaseSizeBytes = 7'654'321;
    health.connections = connections;
    return health;
}

RegionHealth down(const QString &id, const QString &error)
{
    RegionHealth health;
    health.regionId = id;
    health.status = HealthStatus::Down;
    health.checkedAt = t0;
    health.statusSince = t0.addSecs(-60);
    health.consecutiveFailures = 3;
    health.error = error;
    return health;
}

HealthSnapshotPtr snapshot(quint64 generation, std::vector<RegionHealth> healths)
{
    auto result = std::make_shared<HealthSnapshot>();
    result->generation = generation;
    result->takenAt = t0.addSecs(static_cast<qint64>(generation));
    result->regions = std::move(healths);
    return result;
}

HealthSnapshotPtr healthyRound(quint64 generation)
{
    return snapshot(generation,
                    {up(QStringLiteral("us-east-1"), 1.5), up(QStringLiteral("eu-west-1"), 4.0),
                     down(QStringLiteral("ap-southeast-1"), QStringLiteral("connection refused"))});
}

} // namespace

class RegionListModelTest : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<RegionListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    QVariant value(int row, RegionListModel::Role role) const
    {
        return m_model->data(m_model->index(row), role);
    }

private Q_SLOTS:
    void init()
    {
        m_model = std::make_unique<RegionListModel>(regions());
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
    }

    void startsLoadingWithUnknownRows()
    {
        QCOMPARE(m_model->rowCount(), 3);
        QCOMPARE(m_model->count(), 3);
        QVERIFY(m_model->loading());
        QCOMPARE(m_model->upCount(), 0);
        QCOMPARE(m_model->downCount(), 0);
        QCOMPARE(m_model->unknownCount(), 3);
        QCOMPARE(m_model->medianLatencyMs(), -1.0);
        QCOMPARE(m_model->slowestLatencyMs(), -1.0);
        QVERIFY(!m_model->lastUpdated().isValid());

        QCOMPARE(value(1, RegionListModel::RegionIdRole).toString(), QStringLiteral("eu-west-1"));
        QCOMPARE(value(1, RegionListModel::DisplayNameRole).toString(),
                 QStringLiteral("Europe (Ireland)"));
        QCOMPARE(value(1, RegionListModel::CityRole).toString(), QStringLiteral("Dublin"));
        QCOMPARE(value(1, RegionListModel::CountryRole).toString(), QStringLiteral("IE"));
        QCOMPARE(value(1, RegionListModel::ContinentRole).toString(), QStringLiteral("Europe"));
        QCOMPARE(value(1, RegionListModel::LatitudeRole).toDouble(), 53.35);
        QCOMPARE(value(1, RegionListModel::LongitudeRole).toDouble(), -6.26);
        QCOMPARE(value(1, RegionListModel::StatusRole).toString(), QStringLiteral("unknown"));
        QCOMPARE(value(1, RegionListModel::RoleRole).toString(), QStringLiteral("unknown"));
        QCOMPARE(value(1, RegionListModel::LatencyMsRole).toDouble(), -1.0);
        QCOMPARE(value(1, RegionListModel::ConnectMsRole).toDouble(), -1.0);
        QCOMPARE(value(1, RegionListModel::DatabaseSizeBytesRole).toLongLong(), -1);
        QCOMPARE(value(1, RegionListModel::DatabaseSizeTextRole).toString(), QString());
        QCOMPARE(value(1, RegionListModel::ConnectionsRole).toInt(), -1);
        QVERIFY(value(1, RegionListModel::CheckedAtRole).isNull());
        QVERIFY(value(1, RegionListModel::StatusSinceRole).isNull());
        QCOMPARE(value(1, RegionListModel::ServerVersionRole).toString(), QString());
        QCOMPARE(value(1, RegionListModel::ErrorRole).toString(), QString());
    }

    void exposesRoleNamesToQml()
    {
        const QHash<int, QByteArray> names = m_model->roleNames();
        const QList<QByteArray> expected = {
            "regionId",          "displayName",      "city",        "country",
            "continent",         "latitude",         "longitude",   "status",
            "latencyMs",         "connectMs",        "role",        "serverVersion",
            "databaseSizeBytes", "databaseSizeText", "connections", "error",
            "checkedAt",         "statusSince"};
        for (const QByteArray &name : expected)
            QVERIFY2(names.values().contains(name), name.constData());
        QCOMPARE(names.key("regionId"), int(Qt::UserRole + 1));
    }

    void firstSnapshotFillsRowsAndEndsLoading()
    {
        QSignalSpy loading(m_model.get(), &RegionListModel::loadingChanged);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);

        m_model->applySnapshot(healthyRound(1));

        QCOMPARE(loading.count(), 1);
        QVERIFY(!m_model->loading());
        QCOMPARE(changed.count(), 3);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(m_model->upCount(), 2);
        QCOMPARE(m_model->downCount(), 1);
        QCOMPARE(m_model->unknownCount(), 0);
        QCOMPARE(m_model->lastUpdated(), t0.addSecs(1));
        QCOMPARE(m_model->medianLatencyMs(), 2.75);
        QCOMPARE(m_model->slowestLatencyMs(), 4.0);
        QCOMPARE(m_model->slowestRegionName(), QStringLiteral("Europe (Ireland)"));

        QCOMPARE(value(0, RegionListModel::StatusRole).toString(), QStringLiteral("up"));
        QCOMPARE(value(0, RegionListModel::LatencyMsRole).toDouble(), 1.5);
        QCOMPARE(value(0, RegionListModel::ConnectMsRole).toDouble(), 6.0);
        QCOMPARE(value(0, RegionListModel::RoleRole).toString(), QStringLiteral("primary"));
        QCOMPARE(value(0, RegionListModel::ServerVersionRole).toString(), QStringLiteral("15.18"));
        QCOMPARE(value(0, RegionListModel::DatabaseSizeBytesRole).toLongLong(), 7'654'321);
        QVERIFY(!value(0, RegionListModel::DatabaseSizeTextRole).toString().isEmpty());
        QCOMPARE(value(0, RegionListModel::ConnectionsRole).toInt(), 5);
        QCOMPARE(value(0, RegionListModel::CheckedAtRole).toDateTime(), t0);
        QCOMPARE(value(0, RegionListModel::StatusSinceRole).toDateTime(), t0.addSecs(-3600));

        QCOMPARE(value(2, RegionListModel::StatusRole).toString(), QStringLiteral("down"));
        QCOMPARE(value(2, RegionListModel::ErrorRole).toString(),
                 QStringLiteral("connection refused"));
        QCOMPARE(value(2, RegionListModel::LatencyMsRole).toDouble(), -1.0);
    }

    void notifiesOnlyRowsThatChanged()
    {
        m_model->applySnapshot(healthyRound(1));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy summary(m_model.get(), &RegionListModel::summaryChanged);

        auto next = healthyRound(2);
        auto modified = std::make_shared<HealthSnapshot>(*next);
        modified->regions[1].latencyMs = 9.0;
        m_model->applySnapshot(modified);

        QCOMPARE(changed.count(), 1);
        const QModelIndex topLeft = changed.at(0).at(0).value<QModelIndex>();
        const QModelIndex bottomRight = changed.at(0).at(1).value<QModelIndex>();
        const auto roles = changed.at(0).at(2).value<QList<int>>();
        QCOMPARE(topLeft.row(), 1);
        QCOMPARE(bottomRight.row(), 1);
        QCOMPARE(roles, QList<int>{RegionListModel::LatencyMsRole});
        QCOMPARE(value(1, RegionListModel::LatencyMsRole).toDouble(), 9.0);
        QCOMPARE(summary.count(), 1);
        QCOMPARE(m_model->slowestLatencyMs(), 9.0);
    }

    void identicalSnapshotChangesNoRow()
    {
        m_model->applySnapshot(healthyRound(1));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy loading(m_model.get(), &RegionListModel::loadingChanged);
        m_model->applySnapshot(healthyRound(2));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(loading.count(), 0);
        QCOMPARE(m_model->lastUpdated(), t0.addSecs(2));
    }

    void statusFlipReportsStatusRoles()
    {
        m_model->applySnapshot(healthyRound(1));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        auto recovered =
            snapshot(2, {up(QStringLiteral("us-east-1"), 1.5), up(QStringLiteral("eu-west-1"), 4.0),
                         up(QStringLiteral("ap-southeast-1"), 2.0)});
        m_model->applySnapshot(recovered);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 2);
        const auto roles = changed.at(0).at(2).value<QList<int>>();
        QVERIFY(roles.contains(RegionListModel::StatusRole));
        QVERIFY(roles.contains(RegionListModel::ErrorRole));
        QVERIFY(roles.contains(RegionListModel::StatusSinceRole));
        QCOMPARE(m_model->upCount(), 3);
        QCOMPARE(m_model->downCount(), 0);
        QCOMPARE(m_model->medianLatencyMs(), 2.0);
    }

    void staleAndNullSnapshotsAreIgnored()
    {
        m_model->applySnapshot(nullptr);
        QVERIFY(m_model->loading());

        m_model->applySnapshot(healthyRound(5));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        QSignalSpy summary(m_model.get(), &RegionListModel::summaryChanged);
        m_model->applySnapshot(snapshot(4, {}));
        m_model->applySnapshot(snapshot(5, {}));
        m_model->applySnapshot(nullptr);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(summary.count(), 0);
        QCOMPARE(m_model->upCount(), 2);
    }

    void regionMissingFromSnapshotBecomesUnknown()
    {
        m_model->applySnapshot(healthyRound(1));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        m_model->applySnapshot(
            snapshot(2, {up(QStringLiteral("us-east-1"), 1.5), up(QStringLiteral("eu-west-1"), 4.0),
                         up(QStringLiteral("sa-east-1"), 3.0)}));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(value(2, RegionListModel::StatusRole).toString(), QStringLiteral("unknown"));
        QVERIFY(value(2, RegionListModel::CheckedAtRole).isNull());
        QCOMPARE(m_model->unknownCount(), 1);
        QCOMPARE(m_model->count(), 3);
    }

    void emptyRegionListIsValid()
    {
        RegionListModel empty({});
        QAbstractItemModelTester tester(&empty,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        empty.applySnapshot(healthyRound(1));
        QCOMPARE(empty.rowCount(), 0);
        QVERIFY(!empty.loading());
        QCOMPARE(empty.medianLatencyMs(), -1.0);
    }
};

QTEST_GUILESS_MAIN(RegionListModelTest)
#include "regionlistmodeltest.moc"
