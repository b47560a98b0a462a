#include "tenantdata.h"

#include "upcoach/tenancy/provisioner.h"

namespace upcoach::testing {

using tenancy::TenantAccess;
using tenancy::TenantTransaction;

Status seedCoachingData(tenancy::TenantSessions &sessions, const QString &slug, int users)
{
    return sessions.run(slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
        const std::string coach =
            tx.exec("INSERT INTO users (email, display_name, role) VALUES ($1, 'Coach', 'coach')"
                    " RETURNING id",
                    "coach@" + slug.toStdString() + ".example")[0][0]
                .as<std::string>();
        const std::string program =
            tx.exec("INSERT INTO programs (name, created_by) VALUES ($1, $2) RETURNING id",
                    "Leadership " + slug.toStdString(), coach)[0][0]
                .as<std::string>();
        for (int i = 0; i < users; ++i) {
            const std::string user =
                tx.exec("INSERT INTO users (email, display_name, phone, role)"
                        " VALUES ($1, $2, $3, 'coachee') RETURNING id",
                        "user" + std::to_string(i) + "@" + slug.toStdString() + ".example",
                        "User " + std::to_string(i), "+1 555 01" + std::to_string(10 + i % 90))[0][0]
                    .as<std::string>();
            const std::string goal =
                tx.exec("INSERT INTO goals (user_id, program_id, title, progress)"
                        " VALUES ($1, $2, $3, $4) RETURNING id",
                        user, program, "Goal " + std::to_string(i), (i * 7) % 101)[0][0]
                    .as<std::string>();
            const std::string habit =
                tx.exec("INSERT INTO habits (user_id, goal_id, name, cadence)"
                        " VALUES ($1, $2, 'Journal', 'daily') RETURNING id",
                        user, goal)[0][0]
                    .as<std::string>();
            tx.exec("INSERT INTO habit_checkins (habit_id, checked_on)"
                    " SELECT $1, current_date - g FROM generate_series(0, 2) g",
                    habit);
            const std::string session =
                tx.exec("INSERT INTO coaching_sessions (coach_id, coachee_id, program_id,"
                        " scheduled_at, duration_minutes, status)"
                        " VALUES ($1, $2, $3, now() - interval '1 day', 45, 'completed')"
                        " RETURNING id",
                        coach, user, program)[0][0]
                    .as<std::string>();
            tx.exec("INSERT INTO session_notes (session_id, author_id, body)"
                    " VALUES ($1, $2, $3)",
                    session, coach, "Notes for " + slug.toStdString());
            tx.exec("INSERT INTO messages (sender_id, recipient_id, body) VALUES ($1, $2, 'Hi')",
                    coach, user);
        }
    });
}

Result<QMap<QString, TableFingerprint>> fingerprint(tenancy::TenantSessions &sessions,
                                                    const QString &slug)
{
    return sessions.run(slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
        QMap<QString, TableFingerprint> prints;
        for (const QString &table : tenancy::tenantTables()) {
            // The table name comes from the fixed list, never from input.
            const auto row = tx.exec("SELECT count(*), coalesce(md5(string_agg(t::text, ','"
                                     " ORDER BY t.id)), '') FROM " +
                                     table.toStdString() + " t")[0];
            prints.insert(table, {row[0].as<qint64>(), QString::fromStdString(row[1].as<std::string>())});
        }
        return prints;
    });
}

} // namespace upcoach::testing
