#include "tenantimpersonation.h"

#include "upcoach/tenancy/impersonation.h"

#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>
#include <QTime>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>

namespace upcoach::viewmodels {

namespace {

// The durations the dialog offers (the service allows 1 minute to 4 hours).
constexpr int durationChoiceMinutes[] = {15, 30, 60, 120, 240};
constexpr int maximumDurationMinutes = 240;

// The form's fields: what the service's errors may name.
const QStringList formFields = {QStringLiteral("subject"), QStringLiteral("reason"),
                                QStringLiteral("ticket"), QStringLiteral("duration")};

tenancy::ActorContext operatorContext(const TenantBackend &backend)
{
    tenancy::ActorContext actor;
    actor.actor = backend.actor;
    actor.requestId = QStringLiteral("console-") + QUuid::createUuid().toString(QUuid::Id128);
    return actor;
}

QVariant dateValue(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toUTC()) : QVariant();
}

// A calendar date as the start of that day in local time, so QML shows the same date whatever
// the time zone (a QDate reaches JavaScript as UTC midnight).
QVariant dayValue(const QString &isoDate)
{
    const QDate day = QDate::fromString(isoDate, Qt::ISODate);
    return day.isValid() ? QVariant(day.startOfDay()) : QVariant();
}

// An impersonation's end seen from outside: "ended" by someone, or "expired".
QString howClosed(tenancy::ImpersonationService &service, const QString &id)
{
    auto current = service.get(QUuid::fromString(id));
    return current && current->endedAt.isValid() ? QStringLiteral("ended")
                                                 : QStringLiteral("expired");
}

} // namespace

struct TenantImpersonation::Overview
{
    quint64 generation = 0;
    QString error;
    // The impersonation is not open any more ("ended" | "expired"); empty while it is.
    QString closed;
    QVariantMap user;
    QVariantList goals;
    QVariantList habits;
    QVariantList sessions;
};

TenantImpersonation::TenantImpersonation(QObject *parent)
    : QObject(parent)
{
    m_threads.setMaxThreadCount(1);
    m_ticker.setInterval(tickMs);
    connect(&m_ticker, &QTimer::timeout, this, &TenantImpersonation::tick);
    connect(&m_users, &TenantUserListModel::userChosen, this, [this](const QVariantMap &user) {
        m_subject = user.value(QStringLiteral("subject")).toString();
        m_subjectName = user.value(QStringLiteral("displayName")).toString();
        m_subjectEmail = user.value(QStringLiteral("email")).toString();
        m_subjectRole = user.value(QStringLiteral("userRole")).toString();
        setFieldError(QStringLiteral("subject"), {});
        Q_EMIT formChanged();
    });
}

TenantImpersonation::~TenantImpersonation()
{
    m_threads.waitForDone();
}

void TenantImpersonation::setBackend(const TenantBackend &backend)
{
    m_backend = backend;
    m_users.setBackend(backend);
    Q_EMIT readyChanged();
}

void TenantImpersonation::setReason(const QString &reason)
{
    if (reason == m_reason)
        return;
    m_reason = reason;
    setFieldError(QStringLiteral("reason"), {});
    Q_EMIT formChanged();
}

void TenantImpersonation::setTicket(const QString &ticket)
{
    if (ticket == m_ticket)
        return;
    m_ticket = ticket;
    setFieldError(QStringLiteral("ticket"), {});
    Q_EMIT formChanged();
}

void TenantImpersonation::setDurationMinutes(int minutes)
{
    if (minutes == m_durationMinutes)
        return;
    m_durationMinutes = minutes;
    setFieldError(QStringLiteral("duration"), {});
    Q_EMIT formChanged();
}

QVariantList TenantImpersonation::durationChoices() const
{
    QVariantList choices;
    for (int minutes : durationChoiceMinutes) {
        const bool hours = minutes % 60 == 0;
        choices << QVariantMap{
            {QStringLiteral("minutes"), minutes},
            {QStringLiteral("value"), hours ? minutes / 60 : minutes},
            {QStringLiteral("unit"), hours ? QStringLiteral("h") : QStringLiteral("min")}};
    }
    return choices;
}

QString TenantImpersonation::remainingText() const
{
    return clockText(m_remaining);
}

int TenantImpersonation::durationSeconds() const
{
    if (!active())
        return -1;
    return int(m_active.startedAt.secsTo(m_active.expiresAt));
}

double TenantImpersonation::remainingShare() const
{
    const int span = durationSeconds();
    if (span <= 0 || m_remaining < 0)
        return 0;
    return std::min(1.0, double(m_remaining) / double(span));
}

QString TenantImpersonation::clockText(int seconds)
{
    if (seconds < 0)
        return {};
    const QTime time = QTime(0, 0).addSecs(seconds);
    const int hours = seconds / 3600;
    return QLocale().toString(time,
                              hours > 0 ? QStringLiteral("h:mm:ss") : QStringLiteral("mm:ss"));
}

void TenantImpersonation::prepare(const QString &slug, const QString &name)
{
    m_tenantSlug = slug;
    m_tenantName = name;
    m_subject.clear();
    m_subjectName.clear();
    m_subjectEmail.clear();
    m_subjectRole.clear();
    m_reason.clear();
    m_ticket.clear();
    m_durationMinutes = defaultDurationMinutes;
    Q_EMIT formChanged();
    clearErrors();
    m_users.clearChoice();
    m_users.setSearchText(QString());
    if (m_users.tenantSlug() == slug)
        m_users.refresh();
    else
        m_users.setTenantSlug(slug);
}

bool TenantImpersonation::chooseUser(int row)
{
    return m_users.choose(row);
}

void TenantImpersonation::clearUser()
{
    m_users.clearChoice();
    if (m_subject.isEmpty())
        return;
    m_subject.clear();
    m_subjectName.clear();
    m_subjectEmail.clear();
    m_subjectRole.clear();
    Q_EMIT formChanged();
}

bool TenantImpersonation::validate()
{
    // The rules and words of ImpersonationService::start, so that every field is named at once
    // (the service stops at the first); the service checks them all again.
    static const QRegularExpression subjectPattern(
        QStringLiteral("^user:[^\\s@]{1,64}@[^\\s@]{1,255}$"));
    static const QRegularExpression ticketPattern(
        QStringLiteral("^[A-Za-z][A-Za-z0-9_-]{0,31}-?[0-9]{1,12}$"));
    m_fieldErrors.clear();
    if (m_subject.isEmpty())
        m_fieldErrors.insert(QStringLiteral("subject"),
                             QStringLiteral("choose the user to act as"));
    else if (!subjectPattern.match(m_subject).hasMatch())
        m_fieldErrors.insert(QStringLiteral("subject"),
                             QStringLiteral("the tenant user as user:name@domain"));
    if (reasonLength() < reasonMinimumLength || reasonLength() > reasonMaximumLength)
        m_fieldErrors.insert(QStringLiteral("reason"),
                             QStringLiteral("say why, in %1 to %2 characters")
                                 .arg(reasonMinimumLength)
                                 .arg(reasonMaximumLength));
    if (!ticketPattern.match(m_ticket.trimmed()).hasMatch())
        m_fieldErrors.insert(QStringLiteral("ticket"),
                             QStringLiteral("a support ticket reference such as SUP-1234"));
    if (m_durationMinutes < 1 || m_durationMinutes > maximumDurationMinutes)
        m_fieldErrors.insert(QStringLiteral("duration"), QStringLiteral("1 minute to 4 hours"));
    Q_EMIT errorsChanged();
    return m_fieldErrors.isEmpty();
}

bool TenantImpersonation::start()
{
    if (busy() || active() || !ready() || m_tenantSlug.isEmpty())
        return false;
    m_error.clear();
    if (!validate())
        return false;
    tenancy::ImpersonationRequest request;
    request.tenantSlug = m_tenantSlug;
    request.subject = m_subject;
    request.reason = m_reason;
    request.ticket = m_ticket.trimmed();
    request.duration = std::chrono::minutes(m_durationMinutes);
    const tenancy::ActorContext actor = operatorContext(m_backend);
    tenancy::ImpersonationService *service = m_backend.impersonations;

    struct Started
    {
        QString error;
        Active active;
    };
    Active chosen;
    chosen.tenantName = m_tenantName;
    chosen.name = m_subjectName;
    chosen.email = m_subjectEmail;
    chosen.role = m_subjectRole;
    setBusy(true);
    QtConcurrent::run(&m_threads, [=]() {
        Started outcome;
        auto started = service->start(request, actor);
        if (!started) {
            outcome.error = started.error().message;
            return outcome;
        }
        outcome.active = chosen;
        outcome.active.id = started->id.toString(QUuid::WithoutBraces);
        outcome.active.tenantSlug = started->tenantSlug;
        outcome.active.subject = started->subject;
        outcome.active.ticket = started->ticket;
        outcome.active.operatorActor = started->operatorActor;
        outcome.active.startedAt = started->startedAt.toUTC();
        outcome.active.expiresAt = started->expiresAt.toUTC();
        return outcome;
    }).then(this, [this](const Started &outcome) {
        setBusy(false);
        if (!outcome.error.isEmpty()) {
            takeError(outcome.error);
            return;
        }
        m_active = outcome.active;
        Q_EMIT activeChanged();
        m_ticker.start();
        tick();
        if (!active())
            return; // expired already (a clock far off)
        Q_EMIT started(m_active.tenantSlug);
        reloadOverview();
    });
    return true;
}

bool TenantImpersonation::end()
{
    if (busy() || !active() || !ready())
        return false;
    m_error.clear();
    Q_EMIT errorsChanged();
    const QString id = m_active.id;
    const tenancy::ActorContext actor = operatorContext(m_backend);
    tenancy::ImpersonationService *service = m_backend.impersonations;
    struct Ended
    {
        QString error;
        QString closed; // how it is closed when it is
    };
    setBusy(true);
    QtConcurrent::run(&m_threads, [=]() {
        Ended outcome;
        auto ended = service->end(QUuid::fromString(id), actor);
        if (ended) {
            outcome.closed = QStringLiteral("ended");
        } else if (ended.error().code == ErrorCode::Conflict) {
            // It had ended or expired meanwhile: closed all the same.
            outcome.closed = howClosed(*service, id);
        } else {
            outcome.error = ended.error().message;
        }
        return outcome;
    }).then(this, [this, id](const Ended &outcome) {
        setBusy(false);
        if (m_active.id != id)
            return; // expired here meanwhile
        if (!outcome.closed.isEmpty())
            finish(outcome.closed);
        else
            takeError(outcome.error);
    });
    return true;
}

void TenantImpersonation::reloadOverview()
{
    if (!active() || !ready())
        return;
    const quint64 generation = ++m_overviewGeneration;
    m_overviewLoading = true;
    Q_EMIT overviewChanged();
    const QString id = m_active.id;
    tenancy::ImpersonationService *service = m_backend.impersonations;
    tenancy::ActorContext caller;
    caller.actor = m_backend.actor;
    auto work = [=]() -> std::shared_ptr<Overview> {
        auto result = std::make_shared<Overview>();
        result->generation = generation;
        auto overview = service->overview(QUuid::fromString(id), caller);
        if (!overview) {
            if (overview.error().code == ErrorCode::Forbidden)
                result->closed = howClosed(*service, id);
            result->error = overview.error().message;
            return result;
        }
        const QJsonObject user = overview->value(QStringLiteral("user")).toObject();
        result->user = user.toVariantMap();
        for (const QJsonValue &value : overview->value(QStringLiteral("goals")).toArray()) {
            const QJsonObject goal = value.toObject();
            const int progress = goal.value(QStringLiteral("progress")).toInt(-1);
            result->goals.append(QVariantMap{
                {QStringLiteral("title"), goal.value(QStringLiteral("title")).toString()},
                {QStringLiteral("status"), goal.value(QStringLiteral("status")).toString()},
                {QStringLiteral("progress"), progress},
                {QStringLiteral("progressFraction"), progress < 0 ? 0.0 : progress / 100.0},
                {QStringLiteral("targetDate"),
                 dayValue(goal.value(QStringLiteral("targetDate")).toString())},
            });
        }
        for (const QJsonValue &value : overview->value(QStringLiteral("habits")).toArray()) {
            const QJsonObject habit = value.toObject();
            result->habits.append(QVariantMap{
                {QStringLiteral("name"), habit.value(QStringLiteral("name")).toString()},
                {QStringLiteral("cadence"), habit.value(QStringLiteral("cadence")).toString()},
                {QStringLiteral("checkins"),
                 habit.value(QStringLiteral("checkinsLast30Days")).toInt(-1)},
            });
        }
        for (const QJsonValue &value : overview->value(QStringLiteral("sessions")).toArray()) {
            const QJsonObject session = value.toObject();
            result->sessions.append(QVariantMap{
                {QStringLiteral("scheduledAt"),
                 dateValue(QDateTime::fromString(
                     session.value(QStringLiteral("scheduledAt")).toString(), Qt::ISODateWithMs))},
                {QStringLiteral("durationMinutes"),
                 session.value(QStringLiteral("durationMinutes")).toInt(-1)},
                {QStringLiteral("status"), session.value(QStringLiteral("status")).toString()},
                {QStringLiteral("as"), session.value(QStringLiteral("as")).toString()},
                {QStringLiteral("with"), session.value(QStringLiteral("with")).toString()},
            });
        }
        return result;
    };
    QtConcurrent::run(&m_threads, work).then(this, [this](std::shared_ptr<Overview> overview) {
        applyOverview(overview);
    });
}

void TenantImpersonation::applyOverview(const std::shared_ptr<Overview> &overview)
{
    if (overview->generation != m_overviewGeneration || !active())
        return;
    if (!overview->closed.isEmpty()) {
        finish(overview->closed);
        return;
    }
    m_overviewLoading = false;
    m_overviewError = overview->error;
    if (overview->error.isEmpty()) {
        m_goals = overview->goals;
        m_habits = overview->habits;
        m_sessions = overview->sessions;
        m_overviewLoadedAt = m_backend.now().toUTC();
        const QString name = overview->user.value(QStringLiteral("displayName")).toString();
        if (!name.isEmpty() && name != m_active.name) {
            m_active.name = name;
            m_active.email = overview->user.value(QStringLiteral("email")).toString();
            m_active.role = overview->user.value(QStringLiteral("role")).toString();
            Q_EMIT activeChanged();
        }
    }
    Q_EMIT overviewChanged();
}

void TenantImpersonation::clearErrors()
{
    if (m_fieldErrors.isEmpty() && m_error.isEmpty())
        return;
    m_fieldErrors.clear();
    m_error.clear();
    Q_EMIT errorsChanged();
}

void TenantImpersonation::tick()
{
    if (!active()) {
        m_ticker.stop();
        return;
    }
    const qint64 left = m_backend.now().secsTo(m_active.expiresAt);
    if (left <= 0) {
        finish(QStringLiteral("expired"));
        return;
    }
    if (int(left) != m_remaining) {
        m_remaining = int(left);
        Q_EMIT remainingChanged();
    }
}

void TenantImpersonation::finish(const QString &how)
{
    m_ticker.stop();
    const QString slug = m_active.tenantSlug;
    m_active = {};
    m_remaining = -1;
    ++m_overviewGeneration;
    m_overviewLoading = false;
    m_overviewError.clear();
    m_overviewLoadedAt = {};
    m_goals.clear();
    m_habits.clear();
    m_sessions.clear();
    Q_EMIT activeChanged();
    Q_EMIT remainingChanged();
    Q_EMIT overviewChanged();
    Q_EMIT ended(slug, how);
}

void TenantImpersonation::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

void TenantImpersonation::setFieldError(const QString &field, const QString &message)
{
    const bool had = m_fieldErrors.contains(field);
    if (message.isEmpty()) {
        if (!had)
            return;
        m_fieldErrors.remove(field);
    } else {
        m_fieldErrors.insert(field, message);
    }
    Q_EMIT errorsChanged();
}

void TenantImpersonation::takeError(const QString &message)
{
    const FieldMessage split = splitFieldMessage(message);
    if (formFields.contains(split.field)) {
        m_fieldErrors.insert(split.field, split.message);
        m_error.clear();
    } else {
        m_error = message;
    }
    Q_EMIT errorsChanged();
}

} // namespace upcoach::viewmodels
