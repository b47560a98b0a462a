#include "upcoach/tenancy/tenantusers.h"

#include "tenantaudit.h"
#include "upcoach/compliance/auditlog.h"
#include "upcoach/compliance/recordedchange.h"
#include "upcoach/tenancy/tenantsession.h"
#include "upcoach/tenancy/usage.h"

#include <QRegularExpression>
#include <QUuid>

namespace upcoach::tenancy {

namespace {

constexpr const char *userColumns = "id::text, email, display_name, role,"
                                    " (extract(epoch FROM created_at) * 1000)::bigint, active,"
                                    " managed_by";

TenantUser fromRow(const pqxx::row &row)
{
    TenantUser user;
    user.id = QString::fromStdString(row[0].as<std::string>());
    user.email = QString::fromStdString(row[1].as<std::string>());
    user.displayName = QString::fromStdString(row[2].as<std::string>());
    user.role = QString::fromStdString(row[3].as<std::string>());
    user.createdAt = QDateTime::fromMSecsSinceEpoch(row[4].as<qint64>(), Qt::UTC);
    user.active = row[5].as<bool>();
    user.managedBy = QString::fromStdString(row[6].as<std::string>());
    return user;
}

Error invalid(const QString &what)
{
    return makeError(ErrorCode::InvalidInput, what);
}

bool knownRole(const QString &role)
{
    return role == QLatin1String("coach") || role == QLatin1String("coachee") ||
           role == QLatin1String("admin");
}

// LIKE's wildcards in a search term match themselves.
std::string likePattern(const QString &search)
{
    QString escaped = search;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('%'), QStringLiteral("\\%"))
        .replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QString(QLatin1Char('%') + escaped.toLower() + QLatin1Char('%')).toStdString();
}

} // namespace

TenantUsers::TenantUsers(TenantSessions &sessions, TenantQuota &quota, compliance::AuditLog &audit)
    : m_sessions(sessions)
    , m_quota(quota)
    , m_audit(audit)
{}

Result<TenantUserPage> TenantUsers::list(const QString &slug, const TenantUserQuery &query)
{
    if (query.search.size() > 200)
        return invalid(QStringLiteral("search: at most 200 characters"));
    if (!query.role.isEmpty() && !knownRole(query.role))
        return invalid(QStringLiteral("role: coach, coachee or admin"));
    if (query.limit < 1 || query.limit > 500)
        return invalid(QStringLiteral("limit: 1 to 500"));
    if (query.offset < 0 || query.offset > 10'000'000)
        return invalid(QStringLiteral("offset: 0 to 10000000"));
    const std::string pattern = likePattern(query.search.trimmed());
    const std::string role = query.role.toStdString();
    return m_sessions.runSnapshot(slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
        TenantUserPage page;
        const std::string filter = " FROM users WHERE deprovisioned_at IS NULL AND"
                                   " (lower(email) LIKE $1 OR lower(display_name) LIKE $1)"
                                   " AND ($2 = '' OR role = $2)";
        for (const auto &row : tx.exec(std::string("SELECT ") + userColumns + filter +
                                           " ORDER BY lower(display_name), id LIMIT $3 OFFSET $4",
                                       pattern, role, query.limit, query.offset))
            page.users.push_back(fromRow(row));
        page.total = tx.exec("SELECT count(*)" + filter, pattern, role)[0][0].as<qint64>();
        return page;
    });
}

Result<TenantUser> TenantUsers::findByEmail(const QString &slug, const QString &email)
{
    if (email.isEmpty() || email.size() > 320)
        return invalid(QStringLiteral("email: 3 to 320 characters"));
    auto found = m_sessions.runSnapshot(
        slug, TenantAccess::Operator, [&](TenantTransaction &tx) -> std::optional<TenantUser> {
            const auto rows = tx.exec(std::string("SELECT ") + userColumns +
                                          " FROM users WHERE deprovisioned_at IS NULL AND"
                                          " lower(email) = lower($1)",
                                      email.toStdString());
            if (rows.empty())
                return std::nullopt;
            return fromRow(rows[0]);
        });
    if (!found)
        return found.error();
    if (!found.value())
        return makeError(ErrorCode::NotFound, QStringLiteral("%1 has no such user").arg(slug));
    return *found.value();
}

Result<TenantUser> TenantUsers::syncJitRole(const QString &slug, const TenantUser &user,
                                            const QString &role, const ActorContext &actor)
{
    if (!knownRole(role))
        return invalid(QStringLiteral("role: coach, coachee or admin"));
    if (user.managedBy != QLatin1String("jit"))
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("%1 has no such just-in-time provisioned user").arg(slug));
    const compliance::AuditRecord record = tenantAuditRecord(
        actor, slug, QStringLiteral("tenant.user.role"), QStringLiteral("user:") + user.id,
        QStringLiteral("security"),
        QJsonObject{{QStringLiteral("role"), role}, {QStringLiteral("previousRole"), user.role}});
    return compliance::recordThenChange<TenantUser>(m_audit, record, [&]() -> Result<TenantUser> {
        auto updated = m_sessions.run(
            slug, TenantAccess::Member, [&](TenantTransaction &tx) -> std::optional<TenantUser> {
                const auto rows = tx.exec(
                    std::string("UPDATE users SET role = $2, version = version + 1, updated_at = "
                                "now() WHERE id = $1::uuid AND managed_by = 'jit' AND "
                                "deprovisioned_at IS NULL RETURNING ") +
                        userColumns,
                    user.id.toStdString(), role.toStdString());
                if (rows.empty())
                    return std::nullopt;
                return fromRow(rows[0]);
            });
        if (!updated)
            return updated.error();
        if (!updated.value())
            return makeError(
                ErrorCode::NotFound,
                QStringLiteral("%1 has no such just-in-time provisioned user").arg(slug));
        return *updated.value();
    });
}

Result<TenantUser> TenantUsers::add(const QString &slug, const NewTenantUser &user,
                                    const ActorContext &actor)
{
    static const QRegularExpression email(QStringLiteral("^[^\\s@]{1,64}@[^\\s@]{1,255}$"));
    const QString displayName = user.displayName.trimmed();
    if (user.email.size() < 3 || user.email.size() > 320 || !email.match(user.email).hasMatch())
        return invalid(QStringLiteral("email: an address such as name@example.com"));
    if (displayName.isEmpty() || displayName.size() > 200)
        return invalid(QStringLiteral("displayName: 1 to 200 characters"));
    if (!knownRole(user.role))
        return invalid(QStringLiteral("role: coach, coachee or admin"));
    if (user.managedBy != QLatin1String("local") && user.managedBy != QLatin1String("jit"))
        return invalid(QStringLiteral("managedBy: local or jit"));
    // A generous estimate of the row's stored size (text plus row overhead).
    const qint64 estimatedBytes =
        user.email.toUtf8().size() + displayName.toUtf8().size() + user.role.size() + 96;
    if (auto admitted = m_quota.admitStorage(slug, estimatedBytes); !admitted)
        return admitted.error();

    // Refusals the caller can see coming (the email exists, no seat is free) are answered before
    // anything is recorded; the same checks run again, exactly, inside the writing transaction.
    auto seen = m_sessions.runSnapshot(slug, TenantAccess::Member, [&](TenantTransaction &tx) {
        const auto row = tx.exec("SELECT EXISTS (SELECT 1 FROM users WHERE deprovisioned_at IS NULL"
                                 " AND lower(email) = lower($1)), (SELECT count(*) FROM users"
                                 " WHERE deprovisioned_at IS NULL)",
                                 user.email.toStdString())[0];
        return std::make_pair(row[0].as<bool>(), row[1].as<qint64>());
    });
    if (!seen)
        return seen.error();
    if (seen->first)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("email: already a user of %1").arg(slug));
    if (auto seats = m_quota.checkSeats(slug, seen->second, 1); !seats)
        return seats.error();

    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // The email and name are personal data: the record names the user by id only.
    const compliance::AuditRecord record = tenantAuditRecord(
        actor, slug, QStringLiteral("tenant.user.add"), QStringLiteral("user:") + id,
        QStringLiteral("config-change"), QJsonObject{{QStringLiteral("role"), user.role}});
    auto added =
        compliance::recordThenChange<TenantUser>(m_audit, record, [&]() -> Result<TenantUser> {
            std::optional<Error> refused;
            auto inserted = m_sessions.run(
                slug, TenantAccess::Member,
                [&](TenantTransaction &tx) -> std::optional<TenantUser> {
                    if (auto seats = m_quota.admitSeats(tx, 1); !seats) {
                        refused = seats.error();
                        refused->message += QStringLiteral(" (the last seat was taken meanwhile)");
                        return std::nullopt;
                    }
                    if (!tx.exec("SELECT 1 FROM users WHERE deprovisioned_at IS NULL AND"
                                 " lower(email) = lower($1)",
                                 user.email.toStdString())
                             .empty()) {
                        refused = makeError(
                            ErrorCode::Conflict,
                            QStringLiteral("email: became a user of %1 meanwhile").arg(slug));
                        return std::nullopt;
                    }
                    const auto rows = tx.exec(
                        std::string("INSERT INTO users (id, email, display_name, role,"
                                    " managed_by) VALUES ($1, $2, $3, $4, $5)"
                                    " RETURNING ") +
                            userColumns,
                        id.toStdString(), user.email.toStdString(), displayName.toStdString(),
                        user.role.toStdString(), user.managedBy.toStdString());
                    return fromRow(rows[0]);
                });
            if (!inserted)
                return inserted.error();
            if (refused)
                return *refused;
            return *inserted.value();
        });
    return added;
}

} // namespace upcoach::tenancy
