// The audit log through the API over a real PostgreSQL cluster: GET /api/v1/audit (every filter,
// cursor pages that cover each event exactly once, refusals naming the parameter), proofs that
// verify offline against the signed tree head, and the recording of state-changing requests
// (token issue and revoke, refusals, the cap on denied events, request ids).
// The test thread is the server's event loop and is marked so that blocking on it fails.
#include "apitestsupport.h"
#include "upcoach/compliance/auditbundle.h"
#include "upcoach/compliance/merkle.h"
#include "upcoach/compliance/signedtreehead.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <functional>

using namespace upcoach;
using namespace upcoach::testing;
using namespace std::chrono_literals;

namespace {

constexpr int kSeeded = 60;
constexpr int kDeniedPerSource = 5;

const QDateTime kStart(QDate(2026, 3, 14), QTime(12, 0), Qt::UTC);

compliance::AuditRecord seedRecord(int i)
{
    static const char *const actors[] = {"user:alice@example.com", "user:bob@example.com",
                                         "service:upcoach-ops"};
    static const char *const tenants[] = {"", "acme", "globex", "acme"};
    static const char *const actions[] = {"tenant.update", "tenant.suspend", "billing.invoice.send",
                                          "api-token.issue", "tenant.update"};
    static const char *const outcomes[] = {"success", "failure", "denied"};
    compliance::AuditRecord r;
    r.actor = QString::fromLatin1(actors[i % 3]);
    r.tenant = QString::fromLatin1(tenants[i % 4]);
    r.action = QString::fromLatin1(actions[i % 5]);
    r.outcome = QString::fromLatin1(outcomes[(i / 2) % 3]);
    r.classification = i % 7 == 0 ? QStringLiteral("config-change") : QStringLiteral("security");
    r.target = QStringLiteral("object-%1").arg(i);
    r.sourceIp = QStringLiteral("192.0.2.%1").arg(i);
    r.requestId = QStringLiteral("seed-%1").arg(i);
    r.details = QJsonObject{{QStringLiteral("n"), i}};
    return r;
}

QString secondsText(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QLatin1Char('Z');
}

compliance::Hash hashOf(const QJsonValue &hex)
{
    return compliance::hashFromHex(hex.toString()).value();
}

} // namespace

class TestApiAudit : public QObject
{
    Q_OBJECT
    ManualClock m_auditClock{kStart};
    ApiFixture m_f;
    QNetworkAccessManager m_nam;
    std::vector<compliance::AuditEvent> m_seeded; // sequence order

    QByteArray bearer(const QByteArray &token) const { return "Bearer " + token; }

    HttpReply get(const QString &pathAndQuery, const QByteArray &token)
    {
        return httpRequest(m_nam, m_f.url(pathAndQuery), bearer(token));
    }

    HttpReply post(const QString &path, const QByteArray &token, const QByteArray &body,
                   const QByteArray &requestId = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "application/json"}};
        if (!requestId.isEmpty())
            headers.append({"X-Request-Id", requestId});
        return httpRequest(m_nam, m_f.url(path), token.isEmpty() ? QByteArray() : bearer(token),
                           "POST", body, headers);
    }

    HttpReply remove(const QString &path, const QByteArray &token, const QByteArray &requestId = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!requestId.isEmpty())
            headers.append({"X-Request-Id", requestId});
        return httpRequest(m_nam, m_f.url(path), token.isEmpty() ? QByteArray() : bearer(token),
                           "DELETE", {}, headers);
    }

    // Follows nextCursor from the first page to the last; the events of every page in order.
    // Sets *problem when a page is not a well-formed 200.
    QList<QJsonObject> listAll(const QString &query, int pageSize, QString *problem,
                               int *pages = nullptr)
    {
        QList<QJsonObject> events;
        QString cursor;
        for (int page = 0; page < 1000; ++page) {
            QString url = QStringLiteral("/api/v1/audit?limit=%1").arg(pageSize);
            if (!query.isEmpty())
                url += QLatin1Char('&') + query;
            if (!cursor.isEmpty())
                url += QStringLiteral("&cursor=") + cursor;
            const HttpReply reply = get(url, m_f.viewerToken);
            if (reply.status != 200) {
                *problem = QStringLiteral("%1 -> %2 %3")
                               .arg(url)
                               .arg(reply.status)
                               .arg(QString::fromUtf8(reply.body));
                return events;
            }
            const QJsonObject document = reply.json();
            const QJsonArray batch = document.value(QStringLiteral("events")).toArray();
            if (batch.size() > pageSize) {
                *problem = QStringLiteral("a page larger than its limit");
                return events;
            }
            for (const QJsonValue &event : batch)
                events.append(event.toObject());
            if (pages)
                *pages = page + 1;
            const QJsonValue next = document.value(QStringLiteral("nextCursor"));
            if (next.isNull())
                return events;
            if (!next.isString() || batch.isEmpty()) {
                *problem = QStringLiteral("nextCursor is neither null nor a cursor after events");
                return events;
            }
            cursor = next.toString();
        }
        *problem = QStringLiteral("pagination does not end");
        return events;
    }

    QList<uint64_t> sequencesOf(const QList<QJsonObject> &events)
    {
        QList<uint64_t> out;
        for (const QJsonObject &event : events)
            out.append(uint64_t(event.value(QStringLiteral("sequence")).toInteger()));
        return out;
    }

    QList<uint64_t>
    expectedNewestFirst(const std::function<bool(const compliance::AuditEvent &)> &keep)
    {
        QList<uint64_t> out;
        for (auto it = m_seeded.rbegin(); it != m_seeded.rend(); ++it) {
            if (keep(*it))
                out.append(it->sequence);
        }
        return out;
    }

    // Every event of the log as the API lists it (newest first).
    QList<QJsonObject> allEvents(const QString &query = {})
    {
        QString problem;
        const QList<QJsonObject> events = listAll(query, 1000, &problem);
        if (!problem.isEmpty())
            qWarning().noquote() << problem;
        return events;
    }

    QJsonObject eventWithRequestId(const QString &requestId)
    {
        for (const QJsonObject &event : allEvents()) {
            if (event.value(QStringLiteral("requestId")).toString() == requestId)
                return event;
        }
        return {};
    }

    double metric(const QByteArray &sample)
    {
        const HttpReply reply = httpRequest(m_nam, m_f.url(QStringLiteral("/metrics")));
        for (const QByteArray &line : reply.body.split('\n')) {
            if (line.startsWith(QByteArray(sample + ' ')))
                return line.mid(sample.size() + 1).toDouble();
        }
        return -1;
    }

    // How many stored audit rows contain `text` anywhere (any column, as the row's text form).
    qint64 rowsContaining(const QByteArray &text)
    {
        storage::ConnectionPool *pool = m_f.controlPlane.get();
        const auto counted = offThread([pool, text] {
            return pool->withConnection([&](pqxx::connection &c) {
                pqxx::read_transaction tx(c);
                return tx
                    .exec_params1("SELECT count(*) FROM audit_events e "
                                  "WHERE strpos(e::text, $1) > 0",
                                  text.toStdString())[0]
                    .as<qint64>();
            });
        });
        return counted ? counted.value() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        ApiFixtureOptions options;
        options.auditLog = true;
        // Tree heads only when the test asks (flushAndSign), so "not yet signed" is certain.
        options.auditSettings.treeHeadEvery = 1000000;
        options.auditSettings.treeHeadInterval = std::chrono::hours(24 * 365 * 10);
        options.auditClock = &m_auditClock;
        options.limits.deniedAuditEventsPerSource = kDeniedPerSource;
        options.limits.deniedAuditEventsTotal = 1000;
        options.limits.deniedAuditWindow = std::chrono::hours(1);
        const QString error = m_f.start(options);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        // One event per second of audit time, each committed before the next.
        compliance::PostgresAuditLog *log = m_f.auditLog.get();
        ManualClock *clock = &m_auditClock;
        const auto seeded = offThread([log, clock] {
            std::vector<compliance::AuditEvent> events;
            for (int i = 0; i < kSeeded; ++i) {
                clock->advance(1s);
                const compliance::AuditRecord record = seedRecord(i);
                const Result<compliance::AuditReceipt> receipt = log->record(record).result();
                if (!receipt)
                    return std::vector<compliance::AuditEvent>{};
                events.push_back(compliance::eventFromRecord(record, receipt->id, receipt->sequence,
                                                             receipt->time));
            }
            return events;
        });
        QCOMPARE(int(seeded.size()), kSeeded);
        m_seeded = seeded;
        QCOMPARE(m_seeded.front().sequence, uint64_t(0));
        QCOMPARE(m_seeded.back().time, kStart.addSecs(kSeeded));
    }

    void cleanupTestCase() { m_f.stop(); }

    void listsNewestFirstAsEventToJsonWritesThem()
    {
        const HttpReply reply = get(QStringLiteral("/api/v1/audit"), m_f.adminToken);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.header("Content-Type"), QByteArray("application/json"));
        const QJsonObject document = reply.json();
        QCOMPARE(document.keys(),
                 (QStringList{QStringLiteral("events"), QStringLiteral("nextCursor")}));
        QVERIFY(document.value(QStringLiteral("nextCursor")).isNull());
        const QJsonArray events = document.value(QStringLiteral("events")).toArray();
        QCOMPARE(events.size(), kSeeded);
        for (int i = 0; i < kSeeded; ++i) {
            const compliance::AuditEvent &expected = m_seeded[size_t(kSeeded - 1 - i)];
            const QJsonObject written =
                QJsonDocument::fromJson(compliance::eventToJson(expected).value()).object();
            QCOMPARE(events.at(i).toObject(), written);
        }
        // The body holds each event exactly as eventToJson writes it.
        QVERIFY(reply.body.contains(compliance::eventToJson(m_seeded.back()).value()));
    }

    void everyRoleMayListButOnlyWithAToken()
    {
        QCOMPARE(get(QStringLiteral("/api/v1/audit?limit=1"), m_f.viewerToken).status, 200);
        QCOMPARE(get(QStringLiteral("/api/v1/audit?limit=1"), m_f.adminToken).status, 200);
        const HttpReply anonymous = httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/audit")));
        QCOMPARE(anonymous.status, 401);
        QCOMPARE(anonymous.header("WWW-Authenticate"), QByteArray("Bearer realm=\"upcoach-ops\""));
        QCOMPARE(get(QStringLiteral("/api/v1/audit"), m_f.revokedToken).status, 401);
        const HttpReply proof = httpRequest(
            m_nam, m_f.url(QStringLiteral("/api/v1/audit/%1/proof").arg(m_seeded.front().id)));
        QCOMPARE(proof.status, 401);
    }

    void filtersAndCursorPagesCoverEachEventOnce()
    {
        using Event = compliance::AuditEvent;
        const QDateTime t10 = m_seeded[10].time;
        const QDateTime t40 = m_seeded[40].time;
        const QDateTime t20 = m_seeded[20].time;
        const QDateTime t30 = m_seeded[30].time;
        struct Case
        {
            QString query;
            std::function<bool(const Event &)> keep;
        };
        const std::vector<Case> cases = {
            {QString(), [](const Event &) { return true; }},
            {QStringLiteral("tenant=acme"),
             [](const Event &e) { return e.tenant == QLatin1String("acme"); }},
            {QStringLiteral("tenant="), [](const Event &e) { return e.tenant.isEmpty(); }},
            {QStringLiteral("actor=user:bob%40example.com"),
             [](const Event &e) { return e.actor == QLatin1String("user:bob@example.com"); }},
            {QStringLiteral("action=tenant.update"),
             [](const Event &e) { return e.action == QLatin1String("tenant.update"); }},
            {QStringLiteral("action=tenant.*"),
             [](const Event &e) { return e.action.startsWith(QLatin1String("tenant.")); }},
            {QStringLiteral("action=billing*"),
             [](const Event &e) { return e.action.startsWith(QLatin1String("billing")); }},
            {QStringLiteral("action=*"), [](const Event &) { return true; }},
            {QStringLiteral("outcome=denied"),
             [](const Event &e) { return e.outcome == QLatin1String("denied"); }},
            {QStringLiteral("classification=config-change"),
             [](const Event &e) { return e.classification == QLatin1String("config-change"); }},
            {QStringLiteral("from=%1&to=%2")
                 .arg(compliance::auditTimeToString(t10), compliance::auditTimeToString(t40)),
             [t10, t40](const Event &e) { return e.time >= t10 && e.time < t40; }},
            // Seconds precision, and offsets: +00:00 as sent literally and percent-encoded, and
            // +02:00 for the same instant two hours on.
            {QStringLiteral("from=") + secondsText(t20),
             [t20](const Event &e) { return e.time >= t20; }},
            {QStringLiteral("to=") + secondsText(t20).chopped(1) + QStringLiteral("+00:00"),
             [t20](const Event &e) { return e.time < t20; }},
            {QStringLiteral("from=") + secondsText(t20).chopped(1) + QStringLiteral("%2B00:00"),
             [t20](const Event &e) { return e.time >= t20; }},
            {QStringLiteral("to=") + secondsText(t30.addSecs(7200)).chopped(1) +
                 QStringLiteral("+02:00"),
             [t30](const Event &e) { return e.time < t30; }},
            {QStringLiteral("tenant=acme&outcome=success&classification=security&action=tenant.*"),
             [](const Event &e) {
                 return e.tenant == QLatin1String("acme") &&
                        e.outcome == QLatin1String("success") &&
                        e.classification == QLatin1String("security") &&
                        e.action.startsWith(QLatin1String("tenant."));
             }},
            {QStringLiteral("actor=user:alice%40example.com&from=%1&to=%2")
                 .arg(compliance::auditTimeToString(t10), compliance::auditTimeToString(t40)),
             [t10, t40](const Event &e) {
                 return e.actor == QLatin1String("user:alice@example.com") && e.time >= t10 &&
                        e.time < t40;
             }},
            {QStringLiteral("tenant=initech"), [](const Event &) { return false; }},
        };
        for (const Case &c : cases) {
            const QList<uint64_t> expected = expectedNewestFirst(c.keep);
            for (const int pageSize : {1, 7, 1000}) {
                QString problem;
                int pages = 0;
                const QList<QJsonObject> events = listAll(c.query, pageSize, &problem, &pages);
                QVERIFY2(problem.isEmpty(), qPrintable(c.query + QStringLiteral(": ") + problem));
                QVERIFY2(sequencesOf(events) == expected,
                         qPrintable(QStringLiteral("%1 (pages of %2)").arg(c.query).arg(pageSize)));
                const int wantedPages =
                    std::max<int>(1, int((expected.size() + pageSize - 1) / pageSize));
                QCOMPARE(pages, wantedPages);
            }
        }
    }

    void badParametersAreRefusedByName_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("parameters");
        const QStringList limit{QStringLiteral("limit")};
        QTest::newRow("unknown") << QStringLiteral("colour=red")
                                 << QStringList{QStringLiteral("colour")};
        QTest::newRow("access_token")
            << QStringLiteral("access_token=x") << QStringList{QStringLiteral("access_token")};
        QTest::newRow("limit 0") << QStringLiteral("limit=0") << limit;
        QTest::newRow("limit 1001") << QStringLiteral("limit=1001") << limit;
        QTest::newRow("limit huge") << QStringLiteral("limit=100000000000000000000") << limit;
        QTest::newRow("limit text") << QStringLiteral("limit=all") << limit;
        QTest::newRow("outcome") << QStringLiteral("outcome=ok")
                                 << QStringList{QStringLiteral("outcome")};
        QTest::newRow("classification") << QStringLiteral("classification=SECURITY")
                                        << QStringList{QStringLiteral("classification")};
        QTest::newRow("action") << QStringLiteral("action=tenant%20update")
                                << QStringList{QStringLiteral("action")};
        QTest::newRow("tenant") << QStringLiteral("tenant=Acme")
                                << QStringList{QStringLiteral("tenant")};
        QTest::newRow("actor empty")
            << QStringLiteral("actor=") << QStringList{QStringLiteral("actor")};
        QTest::newRow("from") << QStringLiteral("from=2026-03-14")
                              << QStringList{QStringLiteral("from")};
        QTest::newRow("to") << QStringLiteral("to=14/03/2026") << QStringList{QStringLiteral("to")};
        QTest::newRow("reversed") << QStringLiteral(
                                         "from=2026-03-15T00:00:00Z&to=2026-03-14T00:00:00Z")
                                  << QStringList{QStringLiteral("from"), QStringLiteral("to")};
        QTest::newRow("repeated") << QStringLiteral("outcome=denied&outcome=success")
                                  << QStringList{QStringLiteral("outcome")};
        QTest::newRow("cursor garbage")
            << QStringLiteral("cursor=not-a-cursor") << QStringList{QStringLiteral("cursor")};
        QTest::newRow("cursor tampered")
            << QStringLiteral("TAMPERED") << QStringList{QStringLiteral("cursor")};
        QTest::newRow("cursor other filters")
            << QStringLiteral("OTHER-FILTERS") << QStringList{QStringLiteral("cursor")};
    }

    void badParametersAreRefusedByName()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, parameters);
        if (query == QLatin1String("TAMPERED") || query == QLatin1String("OTHER-FILTERS")) {
            const HttpReply first =
                get(QStringLiteral("/api/v1/audit?limit=5&outcome=denied"), m_f.viewerToken);
            QCOMPARE(first.status, 200);
            QString cursor = first.json().value(QStringLiteral("nextCursor")).toString();
            QVERIFY(!cursor.isEmpty());
            if (query == QLatin1String("TAMPERED")) {
                cursor[3] = cursor[3] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
                query = QStringLiteral("outcome=denied&cursor=") + cursor;
            } else {
                query = QStringLiteral("outcome=success&cursor=") + cursor;
            }
        }
        const HttpReply reply = get(QStringLiteral("/api/v1/audit?") + query, m_f.viewerToken);
        QCOMPARE(reply.status, 400);
        QCOMPARE(reply.header("Content-Type"), QByteArray("application/problem+json"));
        const QJsonObject problem = reply.json();
        QCOMPARE(problem.value(QStringLiteral("status")).toInt(), 400);
        QStringList named;
        for (const QJsonValue &name : problem.value(QStringLiteral("parameters")).toArray())
            named.append(name.toString());
        QCOMPARE(named, parameters);
        for (const QString &parameter : parameters)
            QVERIFY2(problem.value(QStringLiteral("detail")).toString().contains(parameter),
                     reply.body.constData());
    }

    void proofBeforeATreeHeadIs503WithRetryAfter()
    {
        const HttpReply reply =
            get(QStringLiteral("/api/v1/audit/%1/proof").arg(m_seeded.back().id), m_f.viewerToken);
        QCOMPARE(reply.status, 503);
        QVERIFY(!reply.header("Retry-After").isEmpty());
        QCOMPARE(reply.json().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://upcoach.dev/problems/proof-not-yet-available"));
    }

    void proofsVerifyAgainstTheSignedHead()
    {
        compliance::PostgresAuditLog *log = m_f.auditLog.get();
        const auto signedSize = offThread([log] { return log->flushAndSign(); });
        QVERIFY(signedSize.ok());
        QCOMPARE(signedSize.value(), uint64_t(kSeeded));
        const QString fingerprint = compliance::keyFingerprint(log->publicKeyRaw());

        for (const size_t index : {size_t(0), size_t(1), size_t(17), size_t(31), size_t(59)}) {
            const compliance::AuditEvent &expected = m_seeded[index];
            // Upper case ids are accepted too.
            const QString id = index == 17 ? expected.id.toUpper() : expected.id;
            const HttpReply reply =
                get(QStringLiteral("/api/v1/audit/%1/proof").arg(id), m_f.viewerToken);
            QCOMPARE(reply.status, 200);
            const QJsonObject document = reply.json();
            const auto event = compliance::eventFromJson(
                QJsonDocument(document.value(QStringLiteral("event")).toObject())
                    .toJson(QJsonDocument::Compact));
            QVERIFY2(event.ok(), event.ok() ? "" : qPrintable(event.error().message));
            QCOMPARE(event.value(), expected);
            QVERIFY(reply.body.startsWith(
                QByteArray("{\"event\":" + compliance::eventToJson(expected).value())));

            const compliance::Hash leaf = compliance::leafHashOf(event.value()).value();
            QCOMPARE(hashOf(document.value(QStringLiteral("leafHash"))), leaf);
            QCOMPARE(document.value(QStringLiteral("leafIndex")).toInteger(), qint64(index));
            std::vector<compliance::Hash> path;
            for (const QJsonValue &hex : document.value(QStringLiteral("proof")).toArray())
                path.push_back(hashOf(hex));

            const QJsonObject head = document.value(QStringLiteral("treeHead")).toObject();
            compliance::TreeHead treeHead;
            treeHead.treeSize = uint64_t(head.value(QStringLiteral("treeSize")).toInteger());
            treeHead.timestamp =
                compliance::auditTimeFromString(head.value(QStringLiteral("timestamp")).toString())
                    .value();
            treeHead.rootHash = hashOf(head.value(QStringLiteral("rootHash")));
            QCOMPARE(treeHead.treeSize, uint64_t(kSeeded));
            const QByteArray signature = QByteArray::fromBase64(
                head.value(QStringLiteral("signature")).toString().toLatin1());
            const QByteArray publicKey = QByteArray::fromBase64(
                head.value(QStringLiteral("publicKey")).toString().toLatin1());
            QCOMPARE(publicKey, log->publicKeyRaw());
            QCOMPARE(head.value(QStringLiteral("publicKeyFingerprint")).toString(), fingerprint);
            QCOMPARE(compliance::keyFingerprint(publicKey), fingerprint);
            QCOMPARE(head.value(QStringLiteral("signatureAlgorithm")).toString(),
                     QStringLiteral("Ed25519"));

            QVERIFY(compliance::verifyTreeHead(treeHead, signature, publicKey).ok());
            const Status included = compliance::verifyInclusion(
                leaf, expected.sequence, treeHead.treeSize, path, treeHead.rootHash);
            QVERIFY2(included.ok(), included.ok() ? "" : qPrintable(included.error().message));

            // Not vacuous: another event's leaf, or a changed path, does not verify.
            const compliance::Hash otherLeaf =
                compliance::leafHashOf(m_seeded[(index + 1) % m_seeded.size()]).value();
            QVERIFY(!compliance::verifyInclusion(otherLeaf, expected.sequence, treeHead.treeSize,
                                                 path, treeHead.rootHash)
                         .ok());
            path.front()[0] ^= 1;
            QVERIFY(!compliance::verifyInclusion(leaf, expected.sequence, treeHead.treeSize, path,
                                                 treeHead.rootHash)
                         .ok());
            compliance::TreeHead forged = treeHead;
            forged.treeSize += 1;
            QVERIFY(!compliance::verifyTreeHead(forged, signature, publicKey).ok());
        }
    }

    void proofErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::newRow("unknown id")
            << QStringLiteral("/api/v1/audit/0190a1b2-0000-7000-8000-000000000000/proof") << 404;
        QTest::newRow("not a uuid") << QStringLiteral("/api/v1/audit/not-a-uuid/proof") << 400;
        QTest::newRow("braces")
            << QStringLiteral("/api/v1/audit/%7B0190a1b2-0000-7000-8000-000000000000%7D/proof")
            << 400;
        QTest::newRow("sql") << QStringLiteral("/api/v1/audit/'%20OR%201=1%20--/proof") << 400;
        QTest::newRow("no id") << QStringLiteral("/api/v1/audit//proof") << 404;
        QTest::newRow("no proof") << QStringLiteral(
                                         "/api/v1/audit/0190a1b2-0000-7000-8000-000000000000")
                                  << 404;
    }

    void proofErrors()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        const HttpReply reply = get(path, m_f.viewerToken);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.header("Content-Type"), QByteArray("application/problem+json"));
    }

    void requestIdsOnEveryAnswer()
    {
        const HttpReply given = httpRequest(m_nam, m_f.url(QStringLiteral("/healthz")), {}, "GET",
                                            {}, {{"X-Request-Id", "trace-abc.123_X"}});
        QCOMPARE(given.header("X-Request-Id"), QByteArray("trace-abc.123_X"));
        const HttpReply generated = httpRequest(m_nam, m_f.url(QStringLiteral("/healthz")));
        QCOMPARE(generated.header("X-Request-Id").size(), 36);
        for (const QByteArray &bad :
             {QByteArray("has space"), QByteArray(129, 'a'), QByteArray("<script>")}) {
            const HttpReply replaced = httpRequest(m_nam, m_f.url(QStringLiteral("/healthz")), {},
                                                   "GET", {}, {{"X-Request-Id", bad}});
            QCOMPARE(replaced.header("X-Request-Id").size(), 36);
        }
        const HttpReply refused = httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), {},
                                              "GET", {}, {{"X-Request-Id", "refused-1"}});
        QCOMPARE(refused.status, 401);
        QCOMPARE(refused.header("X-Request-Id"), QByteArray("refused-1"));
        const HttpReply missing = get(QStringLiteral("/nope"), m_f.adminToken);
        QCOMPARE(missing.status, 404);
        QCOMPARE(missing.header("X-Request-Id").size(), 36);
        // Refusals written by the connection layer carry one too.
        const RawExchange raw = rawExchange(
            m_f.port, "POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999\r\n\r\n");
        QCOMPARE(statusOf(raw.received), 413);
        QVERIFY(raw.received.contains("\r\nX-Request-Id: "));
    }

    void issuingATokenIsRecordedWithoutTheSecret()
    {
        const HttpReply reply =
            post(QStringLiteral("/api/v1/tokens"), m_f.adminToken,
                 "{\"role\":\"ops-viewer\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}", "issue-1");
        QCOMPARE(reply.status, 201);
        QCOMPARE(reply.header("X-Request-Id"), QByteArray("issue-1"));
        QCOMPARE(reply.header("Cache-Control"), QByteArray("no-store"));
        const QJsonObject issued = reply.json();
        const QString tokenId = issued.value(QStringLiteral("id")).toString();
        const QByteArray secret = issued.value(QStringLiteral("token")).toString().toLatin1();
        QCOMPARE(issued.value(QStringLiteral("role")).toString(), QStringLiteral("ops-viewer"));
        QCOMPARE(issued.value(QStringLiteral("expiresAt")).toString(),
                 QStringLiteral("2030-01-01T00:00:00.000Z"));
        QVERIFY(secret.startsWith("uco_"));
        // The new token works: an operator credential (the default kind), so it verifies and
        // reaches its own MFA routes, but nothing else before a second factor.
        QCOMPARE(issued.value(QStringLiteral("kind")).toString(), QStringLiteral("operator"));
        QCOMPARE(get(QStringLiteral("/api/v1/me"), secret).status, 200);
        QCOMPARE(get(QStringLiteral("/api/v1/regions"), secret).status, 403);

        const QJsonObject event = eventWithRequestId(QStringLiteral("issue-1"));
        QCOMPARE(event.value(QStringLiteral("action")).toString(),
                 QStringLiteral("api-token.issue"));
        QCOMPARE(event.value(QStringLiteral("outcome")).toString(), QStringLiteral("success"));
        QCOMPARE(event.value(QStringLiteral("actor")).toString(),
                 QStringLiteral("token:") + m_f.adminTokenId);
        QCOMPARE(event.value(QStringLiteral("target")).toString(),
                 QStringLiteral("api-token:") + tokenId);
        QCOMPARE(event.value(QStringLiteral("classification")).toString(),
                 QStringLiteral("security"));
        QCOMPARE(event.value(QStringLiteral("sourceIp")).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(event.value(QStringLiteral("tenant")).toString(), QString());
        const QJsonObject details = event.value(QStringLiteral("details")).toObject();
        QCOMPARE(details, (QJsonObject{{QStringLiteral("role"), QStringLiteral("ops-viewer")},
                                       {QStringLiteral("kind"), QStringLiteral("operator")},
                                       {QStringLiteral("tokenId"), tokenId},
                                       {QStringLiteral("expiresAt"),
                                        QStringLiteral("2030-01-01T00:00:00.000Z")}}));

        // The secret is nowhere in the stored log, whole or in part; the token id is.
        QCOMPARE(rowsContaining(secret), qint64(0));
        QCOMPARE(rowsContaining(secret.mid(4, 16)), qint64(0));
        QCOMPARE(rowsContaining(secret.right(16)), qint64(0));
        QVERIFY(rowsContaining(tokenId.toLatin1()) >= 1);

        // Issued without expiry: null in the answer and in the event.
        const HttpReply forever = post(QStringLiteral("/api/v1/tokens"), m_f.adminToken,
                                       "{\"role\":\"ops-admin\"}", "issue-2");
        QCOMPARE(forever.status, 201);
        QVERIFY(forever.json().value(QStringLiteral("expiresAt")).isNull());
        QVERIFY(eventWithRequestId(QStringLiteral("issue-2"))
                    .value(QStringLiteral("details"))
                    .toObject()
                    .value(QStringLiteral("expiresAt"))
                    .isNull());
    }

    void aViewerIsRefusedAndTheRefusalRecorded()
    {
        const HttpReply reply = post(QStringLiteral("/api/v1/tokens"), m_f.viewerToken,
                                     "{\"role\":\"ops-admin\"}", "viewer-issue");
        QCOMPARE(reply.status, 403);
        QCOMPARE(reply.json().value(QStringLiteral("type")).toString(),
                 QStringLiteral("https://upcoach.dev/problems/forbidden"));
        const QJsonObject event = eventWithRequestId(QStringLiteral("viewer-issue"));
        QCOMPARE(event.value(QStringLiteral("action")).toString(),
                 QStringLiteral("api-token.issue"));
        QCOMPARE(event.value(QStringLiteral("outcome")).toString(), QStringLiteral("denied"));
        QCOMPARE(event.value(QStringLiteral("actor")).toString(),
                 QStringLiteral("token:") + m_f.viewerTokenId);
        QCOMPARE(event.value(QStringLiteral("details"))
                     .toObject()
                     .value(QStringLiteral("status"))
                     .toInt(),
                 403);
    }

    void revokingIsRecorded()
    {
        identity::ApiTokenStore *tokens = m_f.tokens.get();
        const auto issued = offThread([tokens] {
            return tokens->issue(QStringLiteral("ops-viewer"),
                                 QDateTime::currentDateTimeUtc().addDays(1),
                                 identity::ApiTokenKind::Service);
        });
        QVERIFY(issued.ok());
        QCOMPARE(get(QStringLiteral("/api/v1/regions"), issued->secret).status, 200);

        const HttpReply revoked =
            remove(QStringLiteral("/api/v1/tokens/") + issued->id, m_f.adminToken, "revoke-1");
        QCOMPARE(revoked.status, 204);
        QVERIFY(revoked.body.isEmpty());
        QCOMPARE(revoked.header("X-Request-Id"), QByteArray("revoke-1"));
        QCOMPARE(get(QStringLiteral("/api/v1/regions"), issued->secret).status, 401);
        const QJsonObject event = eventWithRequestId(QStringLiteral("revoke-1"));
        QCOMPARE(event.value(QStringLiteral("action")).toString(),
                 QStringLiteral("api-token.revoke"));
        QCOMPARE(event.value(QStringLiteral("outcome")).toString(), QStringLiteral("success"));
        QCOMPARE(event.value(QStringLiteral("target")).toString(),
                 QStringLiteral("api-token:") + issued->id);
        QCOMPARE(event.value(QStringLiteral("details")).toObject(),
                 (QJsonObject{{QStringLiteral("tokenId"), issued->id},
                              {QStringLiteral("role"), QStringLiteral("ops-viewer")}}));

        // Again: nothing to revoke, 404, recorded as a failure.
        const HttpReply again =
            remove(QStringLiteral("/api/v1/tokens/") + issued->id, m_f.adminToken, "revoke-2");
        QCOMPARE(again.status, 404);
        QCOMPARE(eventWithRequestId(QStringLiteral("revoke-2"))
                     .value(QStringLiteral("outcome"))
                     .toString(),
                 QStringLiteral("failure"));
        const HttpReply unknown = remove(
            QStringLiteral("/api/v1/tokens/0190a1b2-0000-7000-8000-000000000000"), m_f.adminToken);
        QCOMPARE(unknown.status, 404);
        const HttpReply malformed =
            remove(QStringLiteral("/api/v1/tokens/not-a-token"), m_f.adminToken, "revoke-3");
        QCOMPARE(malformed.status, 400);
        const QJsonObject failed = eventWithRequestId(QStringLiteral("revoke-3"));
        QCOMPARE(failed.value(QStringLiteral("outcome")).toString(), QStringLiteral("failure"));
        QCOMPARE(failed.value(QStringLiteral("target")).toString(), QString());
    }

    void badTokenRequestsAreRecordedAsFailures_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("form") << QByteArray("application/x-www-form-urlencoded")
                              << QByteArray("role=ops-admin") << 415;
        QTest::newRow("not json") << QByteArray("application/json") << QByteArray("{") << 400;
        QTest::newRow("unknown role")
            << QByteArray("application/json") << QByteArray("{\"role\":\"superuser\"}") << 400;
        QTest::newRow("past expiry")
            << QByteArray("application/json")
            << QByteArray("{\"role\":\"ops-viewer\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}")
            << 400;
        QTest::newRow("too large")
            << QByteArray("application/json")
            << QByteArray("{\"role\":\"ops-viewer\",\"x\":\"" + QByteArray(5000, 'x') + "\"}")
            << 413;
    }

    void badTokenRequestsAreRecordedAsFailures()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        const QByteArray requestId = "bad-" + QByteArray(QTest::currentDataTag()).replace(' ', '-');
        const HttpReply reply =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/tokens")), bearer(m_f.adminToken),
                        "POST", body, {{"Content-Type", contentType}, {"X-Request-Id", requestId}});
        QCOMPARE(reply.status, status);
        const QJsonObject event = eventWithRequestId(QString::fromLatin1(requestId));
        QCOMPARE(event.value(QStringLiteral("action")).toString(),
                 QStringLiteral("api-token.issue"));
        QCOMPARE(event.value(QStringLiteral("outcome")).toString(), QStringLiteral("failure"));
        QCOMPARE(event.value(QStringLiteral("details"))
                     .toObject()
                     .value(QStringLiteral("status"))
                     .toInt(),
                 status);
    }

    void aChangeThatFailsAfterItsEventIsCorrected()
    {
        // The database refuses new tokens and revocations (as the schema owner would make it),
        // while token checks and the audit log keep working.
        const RegionEndpoint owner = m_f.cluster->endpoint(0).asOwner();
        auto ownerExec = [owner](const std::string &sql) {
            return offThread([owner, sql] {
                try {
                    pqxx::connection c(owner.connectionString().value().toStdString());
                    pqxx::work w(c);
                    w.exec(sql);
                    w.commit();
                    return true;
                } catch (const std::exception &) {
                    return false;
                }
            });
        };
        QVERIFY(ownerExec("CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
                          "$$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;"
                          "CREATE TRIGGER test_no_insert BEFORE INSERT ON api_tokens "
                          "FOR EACH ROW EXECUTE FUNCTION test_refuse();"
                          "CREATE TRIGGER test_no_revoke BEFORE UPDATE ON api_tokens FOR EACH ROW "
                          "WHEN (NEW.revoked_at IS NOT NULL) EXECUTE FUNCTION test_refuse();"));
        auto correctionOf = [this](const QString &requestId) {
            QList<QJsonObject> events;
            for (const QJsonObject &event : allEvents()) {
                if (event.value(QStringLiteral("requestId")).toString() == requestId)
                    events.prepend(event); // oldest first
            }
            return events;
        };

        const HttpReply issued = post(QStringLiteral("/api/v1/tokens"), m_f.adminToken,
                                      "{\"role\":\"ops-viewer\"}", "corrected-issue");
        QCOMPARE(issued.status, 500);
        QVERIFY(!issued.body.contains("uco_"));
        const QList<QJsonObject> issueEvents = correctionOf(QStringLiteral("corrected-issue"));
        QCOMPARE(issueEvents.size(), 2);
        QCOMPARE(issueEvents[0].value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("success"));
        QCOMPARE(issueEvents[1].value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("failure"));
        QCOMPARE(issueEvents[1].value(QStringLiteral("action")).toString(),
                 QStringLiteral("api-token.issue"));
        const QJsonObject correction = issueEvents[1].value(QStringLiteral("details")).toObject();
        QCOMPARE(correction.value(QStringLiteral("correctsEvent")).toString(),
                 issueEvents[0].value(QStringLiteral("id")).toString());
        QCOMPARE(correction.value(QStringLiteral("tokenId")),
                 issueEvents[0]
                     .value(QStringLiteral("details"))
                     .toObject()
                     .value(QStringLiteral("tokenId")));

        const HttpReply revoked = remove(QStringLiteral("/api/v1/tokens/") + m_f.viewerTokenId,
                                         m_f.adminToken, "corrected-revoke");
        QCOMPARE(revoked.status, 500);
        QCOMPARE(get(QStringLiteral("/api/v1/regions"), m_f.viewerToken).status, 200);
        const QList<QJsonObject> revokeEvents = correctionOf(QStringLiteral("corrected-revoke"));
        QCOMPARE(revokeEvents.size(), 2);
        QCOMPARE(revokeEvents[1].value(QStringLiteral("outcome")).toString(),
                 QStringLiteral("failure"));
        QCOMPARE(revokeEvents[1]
                     .value(QStringLiteral("details"))
                     .toObject()
                     .value(QStringLiteral("correctsEvent"))
                     .toString(),
                 revokeEvents[0].value(QStringLiteral("id")).toString());

        QVERIFY(ownerExec("DROP TRIGGER test_no_insert ON api_tokens;"
                          "DROP TRIGGER test_no_revoke ON api_tokens;"
                          "DROP FUNCTION test_refuse();"));
    }

    void unknownStateChangingRequestsAreRecorded()
    {
        const HttpReply wrongMethod =
            httpRequest(m_nam, m_f.url(QStringLiteral("/api/v1/regions")), bearer(m_f.adminToken),
                        "DELETE", {}, {{"X-Request-Id", "unknown-1"}});
        QCOMPARE(wrongMethod.status, 405);
        QCOMPARE(wrongMethod.header("Allow"), QByteArray("GET"));
        const QJsonObject event = eventWithRequestId(QStringLiteral("unknown-1"));
        QCOMPARE(event.value(QStringLiteral("action")).toString(),
                 QStringLiteral("api.unknown-route"));
        QCOMPARE(event.value(QStringLiteral("outcome")).toString(), QStringLiteral("failure"));
        QCOMPARE(event.value(QStringLiteral("details"))
                     .toObject()
                     .value(QStringLiteral("path"))
                     .toString(),
                 QStringLiteral("/api/v1/regions"));
        // Reads are not recorded.
        const int before = int(allEvents().size());
        QCOMPARE(get(QStringLiteral("/api/v1/regions"), m_f.adminToken).status, 200);
        QCOMPARE(get(QStringLiteral("/api/v1/audit?limit=1"), m_f.adminToken).status, 200);
        QCOMPARE(int(allEvents().size()), before);
    }

    void recordedEventsArePending503ThenProvable()
    {
        const QJsonObject event = eventWithRequestId(QStringLiteral("issue-1"));
        const QString path = QStringLiteral("/api/v1/audit/%1/proof")
                                 .arg(event.value(QStringLiteral("id")).toString());
        QCOMPARE(get(path, m_f.viewerToken).status, 503);
        compliance::PostgresAuditLog *log = m_f.auditLog.get();
        QVERIFY(offThread([log] { return log->flushAndSign(); }).ok());
        QCOMPARE(get(path, m_f.viewerToken).status, 200);
    }

    // Last: fills this source's denied-event allowance.
    void anonymousFloodIsCappedAndCounted()
    {
        auto apiDenials = [this] {
            int count = 0;
            for (const QJsonObject &event : allEvents(QStringLiteral("outcome=denied"))) {
                if (event.value(QStringLiteral("sourceIp")).toString() ==
                    QLatin1String("127.0.0.1"))
                    ++count;
            }
            return count;
        };
        const int deniedBefore = apiDenials();
        QVERIFY(deniedBefore >= 1 && deniedBefore < kDeniedPerSource);
        const double droppedBefore = metric("upcoach_audit_denied_events_dropped_total");
        QVERIFY(droppedBefore >= 0);

        constexpr int kFlood = 30;
        for (int i = 0; i < kFlood; ++i) {
            const QByteArray requestId = "flood-" + QByteArray::number(i);
            const HttpReply reply =
                i % 3 == 2
                    ? remove(QStringLiteral("/api/v1/tokens/") + m_f.adminTokenId, {}, requestId)
                    : post(QStringLiteral("/api/v1/tokens"), {}, "{\"role\":\"ops-admin\"}",
                           requestId);
            QCOMPARE(reply.status, 401);
        }
        // The admin token was not revoked by the anonymous DELETEs.
        QCOMPARE(get(QStringLiteral("/api/v1/regions"), m_f.adminToken).status, 200);

        QCOMPARE(apiDenials(), kDeniedPerSource);
        int floodEvents = 0;
        for (const QJsonObject &event : allEvents(QStringLiteral("outcome=denied"))) {
            if (!event.value(QStringLiteral("requestId"))
                     .toString()
                     .startsWith(QLatin1String("flood-")))
                continue;
            ++floodEvents;
            QCOMPARE(event.value(QStringLiteral("actor")).toString(), QStringLiteral("anonymous"));
            QVERIFY(event.value(QStringLiteral("action"))
                        .toString()
                        .startsWith(QLatin1String("api-token.")));
        }
        QCOMPARE(floodEvents, kDeniedPerSource - deniedBefore);
        QCOMPARE(metric("upcoach_audit_denied_events_dropped_total") - droppedBefore,
                 double(kFlood - floodEvents));
        QVERIFY(metric("upcoach_audit_events_recorded_total{outcome=\"denied\"}") >=
                kDeniedPerSource);
        QVERIFY(metric("upcoach_audit_events_recorded_total{outcome=\"success\"}") >= 3);
        QCOMPARE(metric("upcoach_audit_record_failures_total"), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestApiAudit)
#include "test_api_audit.moc"
