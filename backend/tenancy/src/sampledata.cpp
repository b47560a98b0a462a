#include "upcoach/tenancy/sampledata.h"

#include <QRandomGenerator>
#include <array>

namespace upcoach::tenancy {

namespace {

constexpr std::array firstNames{"Amara",  "Ben",   "Chen",   "Dalia", "Emil",  "Farah", "Gustavo",
                                "Hana",   "Ivan",  "Jonas",  "Kemi",  "Lucia", "Mateo", "Nadia",
                                "Omar",   "Priya", "Quinn",  "Rosa",  "Sven",  "Tariq", "Uma",
                                "Viktor", "Wen",   "Ximena", "Yusuf", "Zanele"};
constexpr std::array lastNames{"Okafor", "Schmidt",  "Li",     "Haddad", "Novak",   "Rahman",
                               "Silva",  "Sato",     "Petrov", "Berg",   "Adeyemi", "Rossi",
                               "Garcia", "Kowalski", "Nasser", "Iyer",   "Murphy",  "Lopez",
                               "Larsen", "Aziz",     "Mbeki",  "Dubois", "Tanaka",  "Moreno"};
constexpr std::array goalTitles{"Delegate more to the team",      "Run effective one-on-ones",
                                "Prepare for a director role",    "Improve executive presence",
                                "Build a weekly planning habit",  "Give clearer feedback",
                                "Reduce meeting load by a third", "Lead the Q3 reorganisation"};
constexpr std::array habitNames{"Morning planning", "Journal", "Feedback note", "Deep-work block",
                                "Walk and reflect"};

std::string pick(QRandomGenerator &random, const auto &list)
{
    return list[random.bounded(int(list.size()))];
}

} // namespace

Result<SampleDataReport> writeSampleCoachingData(TenantSessions &sessions, const QString &slug,
                                                 int coachees, quint32 seed)
{
    if (coachees < 0 || coachees > 10000)
        return makeError(ErrorCode::InvalidInput, QStringLiteral("coachees: 0 to 10000"));
    const std::string domain = slug.toStdString() + ".example";
    return sessions.run(slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
        QRandomGenerator random(seed);
        SampleDataReport report;
        const std::string coachName = pick(random, firstNames) + " " + pick(random, lastNames);
        const std::string coach =
            tx.exec("INSERT INTO users (email, display_name, role) VALUES ($1, $2, 'coach')"
                    " RETURNING id",
                    "coach@" + domain, coachName)[0][0]
                .as<std::string>();
        const std::string program =
            tx.exec("INSERT INTO programs (name, description, starts_on, ends_on, created_by)"
                    " VALUES ('Leadership Foundations', 'Twelve weeks of one-to-one coaching',"
                    " current_date - 30, current_date + 54, $1) RETURNING id",
                    coach)[0][0]
                .as<std::string>();
        report.users = 1;
        for (int i = 0; i < coachees; ++i) {
            const std::string first = pick(random, firstNames);
            const std::string last = pick(random, lastNames);
            std::string local = first + "." + last + std::to_string(i);
            for (char &c : local)
                c = char(std::tolower(static_cast<unsigned char>(c)));
            const std::string phone = "+1 555 " + std::to_string(100 + random.bounded(900)) + " " +
                                      std::to_string(1000 + random.bounded(9000));
            const std::string user = tx.exec("INSERT INTO users (email, display_name, phone, role)"
                                             " VALUES ($1, $2, $3, 'coachee') RETURNING id",
                                             local + "@" + domain, first + " " + last, phone)[0][0]
                                         .as<std::string>();
            const int progress = random.bounded(101);
            const std::string goal =
                tx.exec("INSERT INTO goals (user_id, program_id, title, status, progress,"
                        " target_date) VALUES ($1, $2, $3, $4, $5, current_date + $6::int)"
                        " RETURNING id",
                        user, program, pick(random, goalTitles),
                        progress == 100 ? "achieved" : "open", progress,
                        30 + random.bounded(90))[0][0]
                    .as<std::string>();
            const std::string habit = tx.exec("INSERT INTO habits (user_id, goal_id, name, cadence)"
                                              " VALUES ($1, $2, $3, 'daily') RETURNING id",
                                              user, goal, pick(random, habitNames))[0][0]
                                          .as<std::string>();
            tx.exec("INSERT INTO habit_checkins (habit_id, checked_on)"
                    " SELECT $1, current_date - g FROM generate_series(0, $2::int) g",
                    habit, random.bounded(1, 8));
            for (int s = 0; s < 2; ++s) {
                const bool past = s == 0;
                const std::string session =
                    tx.exec("INSERT INTO coaching_sessions (coach_id, coachee_id, program_id,"
                            " scheduled_at, duration_minutes, status)"
                            " VALUES ($1, $2, $3, now() + make_interval(days => $4::int), 45, $5)"
                            " RETURNING id",
                            coach, user, program,
                            past ? -random.bounded(1, 14) : random.bounded(1, 14),
                            past ? "completed" : "scheduled")[0][0]
                        .as<std::string>();
                ++report.sessions;
                if (past)
                    tx.exec("INSERT INTO session_notes (session_id, author_id, body)"
                            " VALUES ($1, $2, $3)",
                            session, coach,
                            "Reviewed progress on '" + pick(random, goalTitles) +
                                "'; agreed next steps.");
            }
            tx.exec("INSERT INTO messages (sender_id, recipient_id, body) VALUES ($1, $2, $3)",
                    coach, user, "Looking forward to our next session, " + first + ".");
        }
        report.users += coachees;
        return report;
    });
}

} // namespace upcoach::tenancy
