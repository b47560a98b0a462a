#include "upcoach/tenancy/encryptedfields.h"

namespace upcoach::tenancy {

namespace {

FieldLocation noteBody(const Tenant &tenant, const QString &noteId)
{
    return {tenant.id, QStringLiteral("session_notes"), QStringLiteral("body"), noteId};
}

} // namespace

Result<QString> writePhiNote(TenantSessions &sessions, FieldCipher &cipher, const Tenant &tenant,
                             const QString &sessionId, const QString &authorId, const QString &body)
{
    // The id is chosen first: it is part of the value's associated data.
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto sealed = cipher.encrypt(noteBody(tenant, id), body.toUtf8());
    if (!sealed)
        return sealed.error();
    auto written = sessions.run(tenant.slug, TenantAccess::Member, [&](TenantTransaction &tx) {
        tx.exec("INSERT INTO session_notes (id, session_id, author_id, body, phi)"
                " VALUES ($1, $2, $3, $4, true)",
                id.toStdString(), sessionId.toStdString(), authorId.toStdString(),
                sealed->toStdString());
    });
    if (!written)
        return written.error();
    return id;
}

Result<QString> readNoteBody(TenantSessions &sessions, FieldCipher &cipher, const Tenant &tenant,
                             const QString &noteId)
{
    auto row = sessions.run(tenant.slug, TenantAccess::Member, [&](TenantTransaction &tx) {
        const auto rows =
            tx.exec("SELECT body, phi FROM session_notes WHERE id = $1", noteId.toStdString());
        return rows.empty() ? std::optional<std::pair<QString, bool>>()
                            : std::make_pair(QString::fromStdString(rows[0][0].as<std::string>()),
                                             rows[0][1].as<bool>());
    });
    if (!row)
        return row.error();
    if (!row.value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no note %1").arg(noteId));
    if (!row.value()->second)
        return row.value()->first;
    auto plain = cipher.decrypt(noteBody(tenant, noteId), row.value()->first);
    if (!plain)
        return plain.error();
    return QString::fromUtf8(plain.value());
}

Result<QMap<int, qint64>> encryptedValuesByKeyVersion(TenantSessions &sessions,
                                                      const Tenant &tenant)
{
    return sessions.runSnapshot(tenant.slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
        QMap<int, qint64> counts;
        // The version is the second dot-separated part of "ucf1.<version>.<data>" (fieldcipher.h);
        // a malformed value counts as version 0, which no key has.
        for (const auto &row :
             tx.exec("SELECT CASE WHEN body ~ '^ucf1\\.[0-9]{1,9}\\.' THEN split_part(body, '.', "
                     "2)::int"
                     " ELSE 0 END, count(*) FROM session_notes WHERE phi GROUP BY 1"))
            counts.insert(row[0].as<int>(), row[1].as<qint64>());
        return counts;
    });
}

Result<ReencryptReport> reencryptTenantFields(TenantSessions &sessions, FieldCipher &cipher,
                                              const Tenant &tenant, int batch)
{
    batch = std::clamp(batch, 1, 5000);
    ReencryptReport report;
    std::string last;
    for (;;) {
        std::optional<Error> failed;
        auto done = sessions.run(tenant.slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
            const pqxx::result rows =
                last.empty() ? tx.exec("SELECT id::text, body FROM session_notes WHERE phi"
                                       " ORDER BY id LIMIT $1",
                                       batch)
                             : tx.exec("SELECT id::text, body FROM session_notes WHERE phi AND"
                                       " id > $1::uuid ORDER BY id LIMIT $2",
                                       last, batch);
            for (const auto &row : rows) {
                const QString id = QString::fromStdString(row[0].as<std::string>());
                const QString value = QString::fromStdString(row[1].as<std::string>());
                auto fresh = cipher.reencrypt(noteBody(tenant, id), value);
                if (!fresh) {
                    failed = fresh.error().context(QStringLiteral("note ") + id);
                    return qsizetype(-1); // rows already re-encrypted are complete; kept
                }
                ++report.examined;
                if (fresh.value() != value) {
                    tx.exec("UPDATE session_notes SET body = $2 WHERE id = $1", id.toStdString(),
                            fresh->toStdString());
                    ++report.reencrypted;
                }
                last = id.toStdString();
            }
            return qsizetype(rows.size());
        });
        if (failed)
            return *failed;
        if (!done)
            return done.error();
        if (done.value() < batch)
            break;
    }
    return report;
}

} // namespace upcoach::tenancy
