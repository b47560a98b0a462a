#include "upcoach/tenancy/impersonation.h"

#include "tenantaudit.h"
#include "upcoach/compliance/auditlog.h"
#include "upcoach/compliance/recordedchange.h"
#include "upcoach/core/ids.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/tenancy/registry.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace upcoach::tenancy {

namespace {

constexpr const char *columns =
    "i.id, i.tenant_id, t.slug, i.operator, i.subject, i.reason, i.ticket,"
    " (extract(epoch FROM i.started_at) * 1000)::bigint,"
    " (extract(epoch FROM i.expires_at) * 1000)::bigint,"
    " (extract(epoch FROM i.ended_at) * 1000)::bigint, coalesce(i.ended_by, ''),"
    " coalesce(i.subject_user_id::text, '')"
    " FROM tenant_impersonations i JOIN tenants t ON t.id = i.tenant_id";

QDateTime msecs(const pqxx::field &field)
{
    return field.is_null() ? QDateTime()
                           : QDateTime::fromMSecsSinceEpoch(field.as<qint64>(), Qt::UTC);
}

QString str(const pqxx::field &field)
{
    return QString::fromStdString(field.as<std::string>());
}

Impersonation fromRow(const pqxx::row &row)
{
    Impersonation i;
    i.id = QUuid::fromString(str(row[0]));
    i.tenantId = QUuid::fromString(str(row[1]));
    i.tenantSlug = str(row[2]);
    i.operatorActor = str(row[3]);
    i.subject = str(row[4]);
    i.reason = str(row[5]);
    i.ticket = str(row[6]);
    i.startedAt = msecs(row[7]);
    i.expiresAt = msecs(row[8]);
    i.endedAt = msecs(row[9]);
    i.endedBy = str(row[10]);
    i.subjectUserId = str(row[11]);
    return i;
}

compliance::AuditRecord record(const ActorContext &actor, const QString &action,
                               const Impersonation &i, QJsonObject details)
{
    details.insert(QStringLiteral("impersonation"), i.id.toString(QUuid::WithoutBraces));
    compliance::AuditRecord r =
        tenantAuditRecord(actor, i.tenantSlug, action,
                          QStringLiteral("impersonation:") + i.id.toString(QUuid::WithoutBraces),
                          QStringLiteral("security"), std::move(details));
    return r;
}

} // namespace

QString Impersonation::subjectActor() const
{
    // Rows from before subject_user_id existed name the subject as the operator typed it.
    return subjectUserId.isEmpty() ? subject : QStringLiteral("user:") + subjectUserId;
}

ImpersonationService::ImpersonationService(storage::ConnectionPool &controlPlane,
                                           TenantRegistry &registry, TenantSessions &sessions,
                                           compliance::AuditLog &audit, const Clock &clock)
    : m_control(controlPlane)
    , m_registry(registry)
    , m_sessions(sessions)
    , m_audit(audit)
    , m_clock(clock)
{}

Result<Impersonation> ImpersonationService::start(const ImpersonationRequest &request,
                                                  const ActorContext &operatorActor)
{
    static const QRegularExpression subject(QStringLiteral("^user:[^\\s@]{1,64}@[^\\s@]{1,255}$"));
    static const QRegularExpression ticket(
        QStringLiteral("^[A-Za-z][A-Za-z0-9_-]{0,31}-?[0-9]{1,12}$"));
    if (!subject.match(request.subject).hasMatch())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("subject: the tenant user as user:name@domain"));
    const QString reason = request.reason.trimmed();
    if (reason.size() < 10 || reason.size() > 1000)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("reason: say why, in 10 to 1000 characters"));
    if (!ticket.match(request.ticket).hasMatch())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("ticket: a support ticket reference such as SUP-1234"));
    if (request.duration < std::chrono::minutes(1) || request.duration > std::chrono::hours(4))
        return makeError(ErrorCode::InvalidInput, QStringLiteral("duration: 1 minute to 4 hours"));
    if (operatorActor.actor.isEmpty() || operatorActor.actor == request.subject)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("operator: an operator other than the subject"));
    auto tenant = m_registry.get(request.tenantSlug);
    if (!tenant)
        return tenant.error();
    if (tenant->state != TenantState::Trial && tenant->state != TenantState::Active)
        return makeError(ErrorCode::Conflict, QStringLiteral("tenant %1 is %2; only trial and "
                                                             "active tenants can be impersonated")
                                                  .arg(tenant->slug, stateName(tenant->state)));
    const QString subjectEmail = request.subject.mid(5);
    auto known = m_sessions.runSnapshot(
        tenant->slug, TenantAccess::Member, [&](TenantTransaction &tx) -> QString {
            const auto rows =
                tx.exec("SELECT id::text FROM users WHERE deprovisioned_at IS NULL AND"
                        " lower(email) = lower($1)",
                        subjectEmail.toStdString());
            return rows.empty() ? QString() : QString::fromStdString(rows[0][0].as<std::string>());
        });
    if (!known)
        return known.error();
    if (known->isEmpty())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("subject: %1 has no such user").arg(tenant->slug));
    Impersonation i;
    i.id = ids::uuid7(m_clock);
    i.tenantId = tenant->id;
    i.tenantSlug = tenant->slug;
    i.operatorActor = operatorActor.actor;
    i.subject = request.subject;
    i.subjectUserId = known.value();
    i.reason = reason;
    i.ticket = request.ticket;
    i.startedAt = m_clock.now().toUTC();
    i.expiresAt = i.startedAt.addSecs(
        std::chrono::duration_cast<std::chrono::seconds>(request.duration).count());
    // The reason is free text an operator typed, and the subject's email personal data: both
    // are stored with the impersonation, not copied into the log.
    const QJsonObject details{
        {QStringLiteral("subject"), i.subjectActor()},
        {QStringLiteral("ticket"), i.ticket},
        {QStringLiteral("expiresAt"), i.expiresAt.toString(Qt::ISODateWithMs)}};
    return compliance::recordThenChange<Impersonation>(
        m_audit, record(operatorActor, QStringLiteral("tenant.impersonation.start"), i, details),
        [&]() -> Result<Impersonation> {
            auto inserted = m_control.withConnection([&](pqxx::connection &connection) {
                pqxx::work work(connection);
                work.exec_params("INSERT INTO tenant_impersonations (id, tenant_id, operator,"
                                 " subject, subject_user_id, reason, ticket, started_at,"
                                 " expires_at) VALUES ($1, $2, $3, $4, $9::uuid, $5, $6,"
                                 " to_timestamp($7::bigint / 1000.0),"
                                 " to_timestamp($8::bigint / 1000.0))",
                                 i.id.toString(QUuid::WithoutBraces).toStdString(),
                                 i.tenantId.toString(QUuid::WithoutBraces).toStdString(),
                                 i.operatorActor.toStdString(), i.subject.toStdString(),
                                 i.reason.toStdString(), i.ticket.toStdString(),
                                 i.startedAt.toMSecsSinceEpoch(), i.expiresAt.toMSecsSinceEpoch(),
                                 i.subjectUserId.toStdString());
                work.commit();
            });
            if (!inserted)
                return inserted.error();
            return i;
        });
}

Result<Impersonation> ImpersonationService::get(const QUuid &id)
{
    auto found =
        m_control.withConnection([&](pqxx::connection &connection) -> std::optional<Impersonation> {
            pqxx::work work(connection);
            auto rows = work.exec_params(std::string("SELECT ") + columns + " WHERE i.id = $1",
                                         id.toString(QUuid::WithoutBraces).toStdString());
            if (rows.empty())
                return std::nullopt;
            return fromRow(rows[0]);
        });
    if (!found)
        return found.error();
    if (!found.value())
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("no impersonation %1").arg(id.toString(QUuid::WithoutBraces)));
    return *found.value();
}

Result<std::vector<Impersonation>> ImpersonationService::list(const QString &tenantSlug,
                                                              bool openOnly, int limit)
{
    if (limit < 1 || limit > 500)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("limit: 1 to 500"));
    auto tenant = m_registry.get(tenantSlug);
    if (!tenant)
        return tenant.error();
    return m_control.withConnection([&](pqxx::connection &connection) {
        pqxx::work work(connection);
        std::vector<Impersonation> found;
        const auto rows = work.exec_params(
            std::string("SELECT ") + columns +
                " WHERE i.tenant_id = $1 AND (NOT $2 OR (i.ended_at IS NULL AND i.expires_at >"
                " to_timestamp($3::bigint / 1000.0)))"
                " ORDER BY (i.ended_at IS NULL AND i.expires_at > to_timestamp($3::bigint /"
                " 1000.0)) DESC, i.started_at DESC, i.id DESC LIMIT $4",
            tenant->id.toString(QUuid::WithoutBraces).toStdString(), openOnly,
            m_clock.now().toMSecsSinceEpoch(), limit);
        for (const auto &row : rows)
            found.push_back(fromRow(row));
        return found;
    });
}

Result<QJsonObject> ImpersonationService::overview(const QUuid &id, const ActorContext &caller)
{
    auto subject = get(id);
    if (!subject)
        return subject.error();
    const std::string userId = subject->subjectUserId.toStdString();
    return run(
        id, caller, QStringLiteral("tenant.impersonation.view"), {},
        [&](TenantTransaction &tx) -> QJsonObject {
            const auto users = tx.exec("SELECT id::text, email, display_name, role FROM users"
                                       " WHERE id = $1::uuid",
                                       userId);
            if (users.empty())
                return QJsonObject{{QStringLiteral("user"), QJsonValue::Null}};
            auto text = [](const pqxx::field &f) {
                return f.is_null() ? QJsonValue(QJsonValue::Null)
                                   : QJsonValue(QString::fromStdString(f.as<std::string>()));
            };
            QJsonArray goals;
            for (const auto &row :
                 tx.exec("SELECT id::text, title, status, progress, target_date::text"
                         " FROM goals WHERE user_id = $1 ORDER BY created_at DESC, id"
                         " LIMIT 50",
                         userId))
                goals.append(QJsonObject{{QStringLiteral("id"), text(row[0])},
                                         {QStringLiteral("title"), text(row[1])},
                                         {QStringLiteral("status"), text(row[2])},
                                         {QStringLiteral("progress"), row[3].as<int>()},
                                         {QStringLiteral("targetDate"), text(row[4])}});
            QJsonArray habits;
            for (const auto &row :
                 tx.exec("SELECT h.id::text, h.name, h.cadence, (SELECT count(*) FROM"
                         " habit_checkins c WHERE c.habit_id = h.id AND c.checked_on >="
                         " current_date - 30) FROM habits h WHERE h.user_id = $1"
                         " ORDER BY h.name, h.id LIMIT 50",
                         userId))
                habits.append(
                    QJsonObject{{QStringLiteral("id"), text(row[0])},
                                {QStringLiteral("name"), text(row[1])},
                                {QStringLiteral("cadence"), text(row[2])},
                                {QStringLiteral("checkinsLast30Days"), row[3].as<int>()}});
            QJsonArray sessions;
            for (const auto &row :
                 tx.exec("SELECT s.id::text, (extract(epoch FROM s.scheduled_at) * 1000)::bigint,"
                         " s.duration_minutes, s.status, CASE WHEN s.coach_id = $1 THEN"
                         " 'coach' ELSE 'coachee' END, other.display_name"
                         " FROM coaching_sessions s JOIN users other ON other.id = CASE WHEN"
                         " s.coach_id = $1 THEN s.coachee_id ELSE s.coach_id END"
                         " WHERE s.coach_id = $1 OR s.coachee_id = $1"
                         " ORDER BY s.scheduled_at DESC, s.id LIMIT 50",
                         userId))
                sessions.append(
                    QJsonObject{{QStringLiteral("id"), text(row[0])},
                                {QStringLiteral("scheduledAt"),
                                 QDateTime::fromMSecsSinceEpoch(row[1].as<qint64>(), Qt::UTC)
                                     .toString(Qt::ISODateWithMs)},
                                {QStringLiteral("durationMinutes"), row[2].as<int>()},
                                {QStringLiteral("status"), text(row[3])},
                                {QStringLiteral("as"), text(row[4])},
                                {QStringLiteral("with"), text(row[5])}});
            return QJsonObject{{QStringLiteral("user"),
                                QJsonObject{{QStringLiteral("id"), text(users[0][0])},
                                            {QStringLiteral("email"), text(users[0][1])},
                                            {QStringLiteral("displayName"), text(users[0][2])},
                                            {QStringLiteral("role"), text(users[0][3])}}},
                               {QStringLiteral("goals"), goals},
                               {QStringLiteral("habits"), habits},
                               {QStringLiteral("sessions"), sessions}};
        });
}

Result<Impersonation> ImpersonationService::end(const QUuid &id, const ActorContext &actor)
{
    auto current = get(id);
    if (!current)
        return current.error();
    if (!current->activeAt(m_clock.now()))
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("impersonation %1 has already %2")
                             .arg(id.toString(QUuid::WithoutBraces),
                                  current->endedAt.isValid() ? QStringLiteral("ended")
                                                             : QStringLiteral("expired")));
    return compliance::recordThenChange<Impersonation>(
        m_audit, record(actor, QStringLiteral("tenant.impersonation.end"), current.value(), {}),
        [&]() -> Result<Impersonation> {
            auto ended = m_control.withConnection([&](pqxx::connection &connection) {
                pqxx::work work(connection);
                const auto rows = work.exec_params(
                    "UPDATE tenant_impersonations SET ended_at = now(), ended_by = $2 WHERE id ="
                    " $1 AND ended_at IS NULL RETURNING 1",
                    id.toString(QUuid::WithoutBraces).toStdString(), actor.actor.toStdString());
                work.commit();
                return !rows.empty();
            });
            if (!ended)
                return ended.error();
            if (!ended.value())
                return makeError(ErrorCode::Conflict,
                                 QStringLiteral("impersonation ended meanwhile"));
            return get(id);
        });
}

Result<Impersonation> ImpersonationService::admit(const QUuid &id, const ActorContext &caller,
                                                  const QString &action, const QJsonObject &details)
{
    auto current = get(id);
    if (!current)
        return current.error();
    if (caller.actor != current->operatorActor)
        return makeError(ErrorCode::Forbidden,
                         QStringLiteral("impersonation %1 belongs to the operator who started it; "
                                        "start your own")
                             .arg(id.toString(QUuid::WithoutBraces)));
    if (!current->activeAt(m_clock.now()))
        return makeError(ErrorCode::Forbidden,
                         QStringLiteral("impersonation %1 is not open (it %2); start a new one")
                             .arg(id.toString(QUuid::WithoutBraces),
                                  current->endedAt.isValid() ? QStringLiteral("ended")
                                                             : QStringLiteral("expired")));
    ActorContext both;
    both.actor = current->subjectActor();
    both.impersonator = current->operatorActor;
    both.sourceIp = caller.sourceIp;
    both.requestId = caller.requestId;
    auto recorded =
        compliance::recordAndWait(m_audit, record(both, action, current.value(), details));
    if (!recorded)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the audit log could not record %1, so it was not done: %2")
                             .arg(action, recorded.error().message));
    return current;
}

} // namespace upcoach::tenancy
