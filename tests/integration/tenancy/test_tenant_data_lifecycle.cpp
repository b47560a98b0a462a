// What happens to a tenant's data over its life, on real PostgreSQL: export (JSON and CSV, every
// row, optionally masked), impersonation (reason, ticket, time box, both identities in the audit
// log), soft deletion (reversible) and hard deletion (rows removed, keys destroyed: encrypted
// fields become unrecoverable — crypto-shredding).
#include "tenancyfixture.h"
#include "tenantdata.h"
#include "upcoach/tenancy/encryptedfields.h"
#include "upcoach/tenancy/fieldcipher.h"
#include "upcoach/tenancy/impersonation.h"
#include "upcoach/tenancy/keyprovider.h"
#include "upcoach/tenancy/keys.h"
#include "upcoach/tenancy/masking.h"
#include "upcoach/tenancy/tenantexport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace upcoach;
using namespace upcoach::tenancy;

class TestTenantDataLifecycle : public QObject
{
    Q_OBJECT
    std::unique_ptr<testing::TenancyFixture> f;
    QTemporaryDir m_dir;

    qint64 ownerCount(const std::string &sql, const std::string &param)
    {
        auto pool = f->pools().owner(f->region(0));
        auto n = (*pool)->withConnection([&](pqxx::connection &c) {
            pqxx::work w(c);
            const qint64 value = w.exec_params(sql, param)[0][0].as<qint64>();
            w.commit();
            return value;
        });
        return n ? n.value() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        f = std::make_unique<testing::TenancyFixture>(1);
        QVERIFY2(f->ok(), qPrintable(f->error()));
        auto keys = f->enableKeys();
        QVERIFY2(keys, testing::why(keys).constData());
    }

    void cleanupTestCase() { f.reset(); }

    void exportWritesEveryRowAsJsonAndCsv_data()
    {
        QTest::addColumn<IsolationStrategy>("strategy");
        QTest::newRow("rls") << IsolationStrategy::RowLevelSecurity;
        QTest::newRow("schema") << IsolationStrategy::Schema;
        QTest::newRow("database") << IsolationStrategy::Database;
    }

    void exportWritesEveryRowAsJsonAndCsv()
    {
        QFETCH(IsolationStrategy, strategy);
        auto t = f->createTenant(QStringLiteral("export"), strategy);
        QVERIFY2(t, testing::why(t).constData());
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 5));
        auto prints = testing::fingerprint(f->sessions(), t->slug);
        QVERIFY(prints);
        const QString out = m_dir.filePath(QStringLiteral("export-") + t->slug);
        auto exported =
            exportTenant(f->registry(), f->sessions(), f->auditLog(), t->slug, out, {}, f->actor());
        QVERIFY2(exported, testing::why(exported).constData());
        QFile manifestFile(out + QStringLiteral("/manifest.json"));
        QVERIFY(manifestFile.open(QIODevice::ReadOnly));
        const QJsonObject manifest = QJsonDocument::fromJson(manifestFile.readAll()).object();
        QCOMPARE(manifest.value(QLatin1String("format")).toString(),
                 QStringLiteral("upcoach-tenant-export/1"));
        const QJsonObject tables = manifest.value(QLatin1String("tables")).toObject();
        QCOMPARE(tables.size(), tenantTables().size());
        for (const QString &table : tenantTables()) {
            const qint64 expected = prints->value(table).rows;
            QCOMPARE(exported->rows.value(table), expected);
            QFile jsonl(out + QLatin1Char('/') + table + QStringLiteral(".jsonl"));
            QVERIFY(jsonl.open(QIODevice::ReadOnly));
            const QByteArray jsonBytes = jsonl.readAll();
            QCOMPARE(QCryptographicHash::hash(jsonBytes, QCryptographicHash::Sha256).toHex(),
                     tables.value(table)
                         .toObject()
                         .value(QLatin1String("jsonlSha256"))
                         .toString()
                         .toLatin1());
            QCOMPARE(qint64(jsonBytes.count('\n')), expected);
            for (const QByteArray &line : jsonBytes.split('\n')) {
                if (line.isEmpty())
                    continue;
                const QJsonObject row = QJsonDocument::fromJson(line).object();
                QCOMPARE(row.value(QLatin1String("tenant_id")).toString(),
                         t->id.toString(QUuid::WithoutBraces));
            }
            QFile csv(out + QLatin1Char('/') + table + QStringLiteral(".csv"));
            QVERIFY(csv.open(QIODevice::ReadOnly));
            const QByteArray csvBytes = csv.readAll();
            QVERIFY(csvBytes.startsWith("tenant_id,id,"));
            QVERIFY(qint64(csvBytes.count("\r\n")) >= expected + 1);
        }
        QCOMPARE(f->events(t->slug, QStringLiteral("tenant.export")).size(), 1);
        // A second export into the same, now non-empty, directory is refused.
        QVERIFY(!exportTenant(f->registry(), f->sessions(), f->auditLog(), t->slug, out, {},
                              f->actor()));
    }

    void maskedExportKeepsFormatsAndHidesValues()
    {
        auto t = f->createTenant(QStringLiteral("masked"), IsolationStrategy::RowLevelSecurity);
        QVERIFY(t);
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 4));
        auto emails = f->sessions().run(t->slug, TenantAccess::Operator, [](TenantTransaction &tx) {
            QStringList list;
            for (const auto &row : tx.exec("SELECT email FROM users ORDER BY id"))
                list << QString::fromStdString(row[0].as<std::string>());
            return list;
        });
        QVERIFY(emails);
        ExportOptions options;
        options.mask = true;
        options.maskKey = QByteArray(32, 'k');
        const QString out = m_dir.filePath(QStringLiteral("masked-export"));
        auto exported = exportTenant(f->registry(), f->sessions(), f->auditLog(), t->slug, out,
                                     options, f->actor());
        QVERIFY2(exported, testing::why(exported).constData());
        QFile users(out + QStringLiteral("/users.jsonl"));
        QVERIFY(users.open(QIODevice::ReadOnly));
        const QByteArray all = users.readAll();
        PiiMasker masker(options.maskKey);
        for (const QString &email : emails.value()) {
            QVERIFY2(!all.contains(email.toUtf8()), qPrintable(email));
            QVERIFY(all.contains(masker.email(email).toUtf8()));
        }
        // Every masked address is still an address of the same shape and top-level domain.
        for (const QByteArray &line : all.split('\n')) {
            if (line.isEmpty())
                continue;
            const QString masked =
                QJsonDocument::fromJson(line).object().value(QLatin1String("email")).toString();
            QVERIFY2(masked.contains(QLatin1Char('@')) &&
                         masked.endsWith(QLatin1String(".example")),
                     qPrintable(masked));
        }
    }

    void impersonationIsBoxedAndRecordedWithBothIdentities()
    {
        auto t = f->createTenant(QStringLiteral("imp"), IsolationStrategy::Schema);
        QVERIFY(t);
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 2));
        ImpersonationService service(f->controlPool(), f->registry(), f->sessions(), f->auditLog());
        ActorContext op;
        op.actor = QStringLiteral("user:ops@upcoach.example");
        ImpersonationRequest request;
        request.tenantSlug = t->slug;
        request.subject = QStringLiteral("user:coach@") + t->slug + QStringLiteral(".example");
        request.reason = QStringLiteral("Customer reports missing goals on the dashboard");
        request.ticket = QStringLiteral("SUP-4521");

        ImpersonationRequest noReason = request;
        noReason.reason = QStringLiteral("because");
        QVERIFY(service.start(noReason, op).error().message.startsWith(QLatin1String("reason:")));
        ImpersonationRequest noTicket = request;
        noTicket.ticket = QString();
        QVERIFY(service.start(noTicket, op).error().message.startsWith(QLatin1String("ticket:")));
        ImpersonationRequest tooLong = request;
        tooLong.duration = std::chrono::minutes(241);
        QVERIFY(service.start(tooLong, op).error().message.startsWith(QLatin1String("duration:")));

        auto started = service.start(request, op);
        QVERIFY2(started, testing::why(started).constData());
        auto goals =
            service.run(started->id, op, QStringLiteral("tenant.impersonation.read-goals"), {},
                        [](TenantTransaction &tx) {
                            return tx.exec("SELECT count(*) FROM goals")[0][0].as<qint64>();
                        });
        QVERIFY2(goals, testing::why(goals).constData());
        QCOMPARE(goals.value(), 2);
        QVERIFY(service.end(started->id, op));
        auto after = service.run(started->id, op, QStringLiteral("tenant.impersonation.read-goals"),
                                 {}, [](TenantTransaction &tx) { tx.exec("SELECT 1"); });
        QVERIFY(!after);
        QCOMPARE(after.error().code, ErrorCode::Forbidden);
        QVERIFY(!service.end(started->id, op)); // already ended

        const auto recorded = f->events(t->slug, QStringLiteral("tenant.impersonation"));
        QCOMPARE(recorded.size(), 3);
        QCOMPARE(recorded[0].action, QStringLiteral("tenant.impersonation.start"));
        QCOMPARE(recorded[0].actor, op.actor);
        QCOMPARE(recorded[1].action, QStringLiteral("tenant.impersonation.read-goals"));
        // The subject is named by id, not by email.
        QVERIFY(recorded[1].actor.startsWith(QLatin1String("user:")));
        QVERIFY(!recorded[1].actor.contains(QLatin1Char('@')));
        QCOMPARE(recorded[1].actor, started->subjectActor());
        // Only the operator who started it may act under it.
        ActorContext otherOperator;
        otherOperator.actor = QStringLiteral("user:someone-else@upcoach.example");
        QCOMPARE(service
                     .run(started->id, otherOperator, QStringLiteral("tenant.impersonation.x"), {},
                          [](TenantTransaction &tx) { tx.exec("SELECT 1"); })
                     .error()
                     .code,
                 ErrorCode::Forbidden);
        QCOMPARE(recorded[1].impersonator, op.actor);
        QCOMPARE(recorded[2].action, QStringLiteral("tenant.impersonation.end"));
        // The free-text reason is stored with the impersonation, never copied into the log.
        for (const auto &event : recorded)
            QVERIFY(!event.details.contains(QLatin1String("missing goals")));

        // Expiry ends it without anyone acting.
        auto shortOne = service.start(request, op);
        QVERIFY(shortOne);
        QCOMPARE(ownerCount("UPDATE tenant_impersonations SET started_at = now() - interval '2"
                            " hours', expires_at = now() - interval '1 hour' WHERE id = $1"
                            " RETURNING 1",
                            shortOne->id.toString(QUuid::WithoutBraces).toStdString()),
                 1);
        auto expired = service.run(shortOne->id, op, QStringLiteral("tenant.impersonation.read"),
                                   {}, [](TenantTransaction &tx) { tx.exec("SELECT 1"); });
        QVERIFY(!expired);
        QVERIFY(expired.error().message.contains(QLatin1String("expired")));
    }

    void rotationThenReencryptionKeepsPhiNotesReadable()
    {
        auto t = f->createTenant(QStringLiteral("phi"), IsolationStrategy::Schema);
        QVERIFY2(t, testing::why(t).constData());
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 2));
        auto ids = f->sessions().run(t->slug, TenantAccess::Member, [](TenantTransaction &tx) {
            const auto row = tx.exec("SELECT s.id::text, s.coach_id::text FROM coaching_sessions s"
                                     " ORDER BY s.id LIMIT 1")[0];
            return std::make_pair(QString::fromStdString(row[0].as<std::string>()),
                                  QString::fromStdString(row[1].as<std::string>()));
        });
        QVERIFY(ids);
        FieldCipher cipher(f->keys());
        QStringList notes;
        for (int i = 0; i < 7; ++i) {
            auto id = writePhiNote(f->sessions(), cipher, t.value(), ids->first, ids->second,
                                   QStringLiteral("PHI note %1: medication changed").arg(i));
            QVERIFY2(id, testing::why(id).constData());
            notes << id.value();
        }
        // At rest the body is ciphertext, under key version 1.
        auto stored = f->sessions().run(t->slug, TenantAccess::Member, [](TenantTransaction &tx) {
            QStringList bodies;
            for (const auto &row : tx.exec("SELECT body FROM session_notes WHERE phi"))
                bodies << QString::fromStdString(row[0].as<std::string>());
            return bodies;
        });
        QVERIFY(stored);
        QCOMPARE(stored->size(), 7);
        for (const QString &body : stored.value()) {
            QVERIFY(!body.contains(QLatin1String("medication")));
            QCOMPARE(FieldCipher::keyVersionOf(body).value(), 1);
        }
        auto rotated = f->keys().rotateDataKey(t->id);
        QVERIFY2(rotated, testing::why(rotated).constData());
        QCOMPARE(rotated->version, 2);
        // Old values stay readable before the job runs.
        QCOMPARE(readNoteBody(f->sessions(), cipher, t.value(), notes.first()).value(),
                 QStringLiteral("PHI note 0: medication changed"));
        auto job = reencryptTenantFields(f->sessions(), cipher, t.value(), 3); // several batches
        QVERIFY2(job, testing::why(job).constData());
        QCOMPARE(job->examined, 7);
        QCOMPARE(job->reencrypted, 7);
        for (int i = 0; i < notes.size(); ++i)
            QCOMPARE(readNoteBody(f->sessions(), cipher, t.value(), notes.at(i)).value(),
                     QStringLiteral("PHI note %1: medication changed").arg(i));
        auto again = reencryptTenantFields(f->sessions(), cipher, t.value());
        QCOMPARE(again->reencrypted, 0);
        // A value copied onto another note's row does not decrypt there.
        auto swapped = f->sessions().run(t->slug, TenantAccess::Member, [&](TenantTransaction &tx) {
            tx.exec("UPDATE session_notes SET body = (SELECT body FROM session_notes WHERE id ="
                    " $1) WHERE id = $2",
                    notes.at(0).toStdString(), notes.at(1).toStdString());
        });
        QVERIFY(swapped);
        QVERIFY(!readNoteBody(f->sessions(), cipher, t.value(), notes.at(1)));
    }

    void deletionIsSoftThenHardAndShredsTheKeys_data()
    {
        QTest::addColumn<IsolationStrategy>("strategy");
        QTest::newRow("rls") << IsolationStrategy::RowLevelSecurity;
        QTest::newRow("schema") << IsolationStrategy::Schema;
        QTest::newRow("database") << IsolationStrategy::Database;
    }

    void deletionIsSoftThenHardAndShredsTheKeys()
    {
        QFETCH(IsolationStrategy, strategy);
        auto t = f->createTenant(QStringLiteral("doomed"), strategy);
        QVERIFY2(t, testing::why(t).constData());
        auto neighbour = f->createTenant(QStringLiteral("neighbour"), strategy);
        QVERIFY(neighbour);
        QVERIFY(testing::seedCoachingData(f->sessions(), t->slug, 3));
        QVERIFY(testing::seedCoachingData(f->sessions(), neighbour->slug, 3));
        auto neighbourBefore = testing::fingerprint(f->sessions(), neighbour->slug);

        // Both got a data key with their placement; a PHI note is stored field-encrypted.
        FieldCipher cipher(f->keys());
        const FieldLocation where{t->id, QStringLiteral("session_notes"), QStringLiteral("body"),
                                  QStringLiteral("note-1")};
        auto sealed = cipher.encrypt(where, "Client disclosed a diagnosis");
        QVERIFY2(sealed, testing::why(sealed).constData());
        const FieldLocation neighbourWhere{neighbour->id, QStringLiteral("session_notes"),
                                           QStringLiteral("body"), QStringLiteral("note-1")};
        auto neighbourSealed = cipher.encrypt(neighbourWhere, "Neighbour note");
        QVERIFY(neighbourSealed);

        // Soft: canceled and scheduled, reversible.
        auto soft = f->registry().requestDeletion(t->slug, std::chrono::hours(24 * 30), f->actor());
        QVERIFY2(soft, testing::why(soft).constData());
        QCOMPARE(soft->state, TenantState::Canceled);
        QVERIFY(soft->purgeAfter > QDateTime::currentDateTimeUtc().addDays(29));
        QVERIFY(!f->registry().transition(t->slug, LifecycleAction::Reactivate, f->actor()));
        QVERIFY(f->registry().cancelDeletion(t->slug, f->actor()));
        QVERIFY(f->registry().requestDeletion(t->slug, std::chrono::hours(24), f->actor()));
        QCOMPARE(f->registry().purgeDeleted(f->actor()).value(), 0); // not due yet
        QVERIFY(cipher.decrypt(where, sealed.value()));

        // Hard, once due.
        QCOMPARE(ownerCount("UPDATE tenants SET purge_after = now() - interval '1 minute' WHERE"
                            " slug = $1 RETURNING 1",
                            t->slug.toStdString()),
                 1);
        auto purged = f->registry().purgeDeleted(f->actor());
        QVERIFY2(purged, testing::why(purged).constData());
        QCOMPARE(purged.value(), 1);
        auto tombstone = f->registry().get(t->slug);
        QVERIFY(tombstone);
        QCOMPARE(tombstone->state, TenantState::Deleted);
        QCOMPARE(tombstone->provisioning, Provisioning::Removed);
        QCOMPARE(tombstone->ownerEmail, QString());
        const std::string id = t->id.toString(QUuid::WithoutBraces).toStdString();
        QCOMPARE(ownerCount("SELECT count(*) FROM tenant_placements WHERE tenant_id = $1", id), 0);
        QCOMPARE(ownerCount("SELECT count(*) FROM tenant_shared.users WHERE tenant_id = $1", id),
                 0);
        QCOMPARE(ownerCount("SELECT count(*) FROM pg_database WHERE datname = $1",
                            t->databaseName().toStdString()),
                 0);
        QCOMPARE(ownerCount("SELECT count(*) FROM pg_namespace WHERE nspname = $1",
                            placementSchema(t->id, IsolationStrategy::Schema).toStdString()),
                 0);
        QCOMPARE(ownerCount("SELECT count(*) FROM tenant_data_keys WHERE tenant_id = $1", id), 0);

        // Crypto-shredding: the ciphertext survives, its key does not.
        auto shredded = cipher.decrypt(where, sealed.value());
        QVERIFY(!shredded);
        TenantKeyStore fresh(f->controlPool(), f->keyProvider());
        FieldCipher freshCipher(fresh);
        QVERIFY(!freshCipher.decrypt(where, sealed.value()));
        // The neighbour is untouched.
        QCOMPARE(cipher.decrypt(neighbourWhere, neighbourSealed.value()).value(),
                 QByteArray("Neighbour note"));
        QCOMPARE(testing::fingerprint(f->sessions(), neighbour->slug).value(),
                 neighbourBefore.value());
        // A purged tenant stays purged and cannot be opened.
        QVERIFY(!f->sessions().run(t->slug, TenantAccess::Operator,
                                   [](TenantTransaction &tx) { tx.exec("SELECT 1"); }));
        QVERIFY(!f->registry().cancelDeletion(t->slug, f->actor()));
        QStringList actions;
        for (const auto &event : f->events(t->slug, QStringLiteral("tenant.")))
            actions << event.action;
        QVERIFY(actions.contains(QStringLiteral("tenant.delete")));
        QVERIFY(actions.contains(QStringLiteral("tenant.delete-canceled")));
        QVERIFY(actions.contains(QStringLiteral("tenant.purge")));
    }
};

QTEST_GUILESS_MAIN(TestTenantDataLifecycle)
#include "test_tenant_data_lifecycle.moc"
