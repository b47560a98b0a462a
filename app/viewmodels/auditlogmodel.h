// The Audit page as a list model over an AuditEventStore: one row per event that passes the
// filters, in sequence order (or newest first). Filter passes, proofs and CSV export run on
// worker threads; the model only swaps results in on the GUI thread. A filter change resets the
// model once its pass is done; events appended to the store are inserted (never a reset).
//
// The model does not know where events come from: a bundle loader or a database tail feed the
// store (see auditeventstore.h).
#pragma once

#include "auditeventdetails.h"
#include "auditeventstore.h"
#include "auditfilter.h"
#include "auditverificationstatus.h"

#include <QAbstractListModel>
#include <QFutureWatcher>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QVariant>
#include <QtQml/qqmlregistration.h>
#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace upcoach::viewmodels {

class AuditLogModel final : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("built by the composition root")

    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int totalCount READ totalCount NOTIFY totalCountChanged)
    // Events are still arriving, the verification is running or a filter pass is.
    Q_PROPERTY(bool loading READ loading NOTIFY loadingChanged)
    Q_PROPERTY(bool filtering READ filtering NOTIFY loadingChanged)
    Q_PROPERTY(LoadState loadState READ loadState NOTIFY loadStatusChanged)
    Q_PROPERTY(double loadProgress READ loadProgress NOTIFY loadStatusChanged)
    // Failed: why nothing could be read; Ready: lines that could not be read, if any.
    Q_PROPERTY(QString loadMessage READ loadMessage NOTIFY loadStatusChanged)
    Q_PROPERTY(QString sourceName READ sourceName NOTIFY loadStatusChanged)
    Q_PROPERTY(
        upcoach::viewmodels::AuditVerificationStatus *verification READ verification CONSTANT)
    Q_PROPERTY(upcoach::viewmodels::AuditEventDetails *selection READ selection CONSTANT)

    // Filters. Times are typed text read as UTC (see parseAuditFilterTime); text that does not
    // parse leaves that bound open and clears fromTextValid/toTextValid.
    Q_PROPERTY(QString fromText READ fromText WRITE setFromText NOTIFY filterChanged)
    Q_PROPERTY(QString toText READ toText WRITE setToText NOTIFY filterChanged)
    Q_PROPERTY(bool fromTextValid READ fromTextValid NOTIFY filterChanged)
    Q_PROPERTY(bool toTextValid READ toTextValid NOTIFY filterChanged)
    Q_PROPERTY(QString actorFilter READ actorFilter WRITE setActorFilter NOTIFY filterChanged)
    // undefined or null: any tenant; "": platform events only; a slug: that tenant.
    Q_PROPERTY(QVariant tenantFilter READ tenantFilter WRITE setTenantFilter NOTIFY filterChanged)
    Q_PROPERTY(QString actionFilter READ actionFilter WRITE setActionFilter NOTIFY filterChanged)
    Q_PROPERTY(QString outcomeFilter READ outcomeFilter WRITE setOutcomeFilter NOTIFY filterChanged)
    Q_PROPERTY(QString classificationFilter READ classificationFilter WRITE setClassificationFilter
                   NOTIFY filterChanged)
    Q_PROPERTY(QString searchText READ searchText WRITE setSearchText NOTIFY filterChanged)
    Q_PROPERTY(bool hasFilter READ hasFilter NOTIFY filterChanged)
    Q_PROPERTY(bool newestFirst READ newestFirst WRITE setNewestFirst NOTIFY newestFirstChanged)

    // The distinct values seen, sorted, while there are at most maxChoices of them (empty
    // otherwise: the page offers free text instead).
    Q_PROPERTY(QStringList tenantChoices READ tenantChoices NOTIFY choicesChanged)
    Q_PROPERTY(QStringList actionChoices READ actionChoices NOTIFY choicesChanged)
    Q_PROPERTY(QStringList outcomeChoices READ outcomeChoices NOTIFY choicesChanged)
    Q_PROPERTY(QStringList classificationChoices READ classificationChoices NOTIFY choicesChanged)

    // The row of the selected event in the current view; -1 when none or filtered out.
    Q_PROPERTY(int selectedRow READ selectedRow NOTIFY selectedRowChanged)

    Q_PROPERTY(bool exporting READ exporting NOTIFY exportChanged)
    Q_PROPERTY(double exportProgress READ exportProgress NOTIFY exportChanged)
    Q_PROPERTY(ExportState exportState READ exportState NOTIFY exportChanged)
    Q_PROPERTY(QString exportPath READ exportPath NOTIFY exportChanged)
    Q_PROPERTY(int exportedCount READ exportedCount NOTIFY exportChanged)
    Q_PROPERTY(QString exportError READ exportError NOTIFY exportChanged)

public:
    enum Role
    {
        SequenceRole = Qt::UserRole + 1,
        TimeRole,     // QDateTime, UTC
        TimeTextRole, // "2026-05-01 08:30:15.123" (UTC)
        EventIdRole,
        ActorRole,
        ImpersonatorRole,
        TenantRole,
        ActionRole,
        TargetRole,
        OutcomeRole,
        SourceIpRole,
        RequestIdRole,
        ClassificationRole,
        SelectedRole, // bool: the row of the selected event
    };
    Q_ENUM(Role)

    enum LoadState
    {
        Idle,
        Loading,
        Ready,
        Failed,
    };
    Q_ENUM(LoadState)

    enum ExportState
    {
        ExportIdle,
        ExportRunning,
        ExportDone,
        ExportFailed,
    };
    Q_ENUM(ExportState)

    static constexpr int maxChoices = 500;

    explicit AuditLogModel(AuditEventStore &store, QObject *parent = nullptr);
    ~AuditLogModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_viewCount); }
    int totalCount() const { return int(m_store.count()); }
    bool loading() const;
    bool filtering() const { return m_passRunning; }
    LoadState loadState() const;
    double loadProgress() const { return m_store.loadStatus().progress; }
    QString loadMessage() const { return m_store.loadStatus().message; }
    QString sourceName() const { return m_store.loadStatus().sourceName; }
    AuditVerificationStatus *verification() const { return m_verification; }
    AuditEventDetails *selection() const { return m_selection; }

    QString fromText() const { return m_fromText; }
    void setFromText(const QString &text);
    QString toText() const { return m_toText; }
    void setToText(const QString &text);
    bool fromTextValid() const;
    bool toTextValid() const;
    QString actorFilter() const { return m_wanted.actor; }
    void setActorFilter(const QString &actor);
    QVariant tenantFilter() const;
    void setTenantFilter(const QVariant &tenant);
    QString actionFilter() const { return m_wanted.action; }
    void setActionFilter(const QString &action);
    QString outcomeFilter() const { return m_wanted.outcome; }
    void setOutcomeFilter(const QString &outcome);
    QString classificationFilter() const { return m_wanted.classification; }
    void setClassificationFilter(const QString &classification);
    QString searchText() const { return m_wanted.search; }
    void setSearchText(const QString &text);
    bool hasFilter() const { return !m_wanted.isEmpty(); }
    // Replaces every filter at once (one pass).
    void setFilter(const AuditFilter &filter);
    const AuditFilter &filter() const { return m_wanted; }
    bool newestFirst() const { return m_newestFirst; }
    void setNewestFirst(bool newestFirst);

    QStringList tenantChoices() const { return choices(AuditField::Tenant); }
    QStringList actionChoices() const { return choices(AuditField::Action); }
    QStringList outcomeChoices() const { return choices(AuditField::Outcome); }
    QStringList classificationChoices() const { return choices(AuditField::Classification); }

    int selectedRow() const { return m_selectedRow; }

    bool exporting() const { return m_exportState == ExportRunning; }
    double exportProgress() const;
    ExportState exportState() const { return m_exportState; }
    QString exportPath() const { return m_exportPath; }
    int exportedCount() const { return int(m_exportedCount); }
    QString exportError() const { return m_exportError; }

    // The store index of a view row (for tests and the console runner).
    qsizetype storeIndexOf(int row) const;

    // Shows the event in the detail pane and fetches its proof; -1 (or out of range) clears.
    Q_INVOKABLE void select(int row);
    Q_INVOKABLE void clearFilters();
    // Writes the current view (filters and order) to a local file as CSV on a worker thread.
    // False (and exportError) when an export is running already or the URL is not a local file.
    Q_INVOKABLE bool exportCsv(const QUrl &file);

Q_SIGNALS:
    void countChanged();
    void totalCountChanged();
    void loadingChanged();
    void loadStatusChanged();
    void filterChanged();
    void newestFirstChanged();
    void choicesChanged();
    void selectedRowChanged();
    void exportChanged();
    void exportFinished(bool ok);

private:
    struct PassResult
    {
        AuditFilterMatcher matcher;
        std::vector<uint32_t> rows;
        qsizetype scanned = 0; // rows [0, scanned) of the store were looked at
        bool cancelled = false;
    };

    void onEventsAppended(qsizetype first, qsizetype added);
    void onAboutToClear();
    void onCleared();
    void onVerificationChanged();
    void onPassFinished();
    void onProofFinished();
    void onExportFinished();
    void filterEdited();
    void startPass();
    void showAll();
    // Recomputes selectedRow after the selection changed: emits dataChanged(SelectedRole) for
    // the rows that gain or lose it, and selectedRowChanged.
    void updateSelectedRow();
    // Inside a reset (views re-read everything): recomputes selectedRow only; true if it
    // changed, and selectedRowChanged is due after endResetModel.
    bool recomputeSelectedRow();
    int viewRowOfStoreIndex(qsizetype index) const;
    void requestProof();
    QStringList choices(AuditField field) const;

    AuditEventStore &m_store;
    AuditVerificationStatus *m_verification;
    AuditEventDetails *m_selection;

    // The view: all store rows [0, m_viewCount) when m_showAll, else m_matches (ascending).
    bool m_showAll = true;
    std::vector<uint32_t> m_matches;
    qsizetype m_viewCount = 0;
    bool m_newestFirst = false;

    AuditFilter m_wanted;       // what the properties say
    AuditFilterMatcher m_shown; // what the view shows
    QString m_fromText;
    QString m_toText;
    bool m_passRunning = false;
    bool m_passStale = false;
    std::shared_ptr<std::atomic<bool>> m_passCancel;
    QFutureWatcher<PassResult> m_passWatcher;

    std::optional<uint64_t> m_selectedSequence;
    compliance::Hash m_selectedLeaf{};
    int m_selectedRow = -1;
    quint64 m_proofGeneration = 0;
    struct ProofResult
    {
        quint64 generation = 0;
        Result<std::vector<compliance::Hash>> proof = std::vector<compliance::Hash>();
        Status verified;
        qint64 treeSize = 0;
        QString root;
    };
    QFutureWatcher<ProofResult> m_proofWatcher;

    ExportState m_exportState = ExportIdle;
    QString m_exportPath;
    qsizetype m_exportTotal = 0;
    qsizetype m_exportedCount = 0;
    QString m_exportError;
    std::shared_ptr<std::atomic<qsizetype>> m_exportWritten;
    QFutureWatcher<Result<qsizetype>> m_exportWatcher;
    QTimer m_exportTicker;

    mutable std::array<std::optional<QStringList>, kAuditInternedFields> m_choiceCache;
};

} // namespace upcoach::viewmodels
