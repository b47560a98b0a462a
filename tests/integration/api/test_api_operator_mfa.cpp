// Operator MFA through the API over a real PostgreSQL cluster: an operator credential alone
// reaches only /api/v1/me and the MFA routes; TOTP enrolment (QR code, the secret sealed under a
// key derived from the credential), operator sessions opened with one-time codes, logout,
// sessions ending with their credential, five wrong codes revoking it, and service tokens that
// must expire. Every step is checked in the audit log, which never holds a secret or code.
// The test thread is the server's event loop and is marked so that blocking on it fails.
#include "apitestsupport.h"
#include "upcoach/identity/totp.h"

#include <QJsonArray>

using namespace upcoach;
using namespace upcoach::testing;

class TestApiOperatorMfa : public QObject
{
    Q_OBJECT
    ApiFixture m_f;
    QNetworkAccessManager m_nam;

    HttpReply send(const QByteArray &verb, const QString &path, const QByteArray &token,
                   const QByteArray &body = {})
    {
        QList<QPair<QByteArray, QByteArray>> headers;
        if (!body.isEmpty())
            headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        return httpRequest(m_nam, m_f.url(path), "Bearer " + token, verb, body, headers);
    }

    static QByteArray codeBody(const QString &code)
    {
        return QJsonDocument(QJsonObject{{QStringLiteral("code"), code}})
            .toJson(QJsonDocument::Compact);
    }

    static QString codeAt(const QByteArray &secret, qint64 offsetSeconds = 0)
    {
        return identity::totp(secret, QDateTime::currentSecsSinceEpoch() + offsetSeconds).value();
    }

    identity::IssuedApiToken issueOperator(const QString &role = QStringLiteral("ops-admin"))
    {
        identity::ApiTokenStore *tokens = m_f.tokens.get();
        auto issued = offThread([tokens, role] { return tokens->issue(role); });
        if (!issued)
            qFatal("cannot issue an operator token: %s", qPrintable(issued.error().message));
        return *issued;
    }

    // Enrols an authenticator for `credential`; returns its raw secret.
    QByteArray enrol(const QByteArray &credential)
    {
        const HttpReply started = send("POST", QStringLiteral("/api/v1/me/mfa/totp"), credential);
        if (started.status != 201)
            qFatal("enrolment: %d %s", started.status, started.body.constData());
        return identity::base32Decode(started.json().value(QStringLiteral("secret")).toString())
            .value();
    }

    QJsonArray events(const QString &action)
    {
        const HttpReply reply = send(
            "GET", QStringLiteral("/api/v1/audit?action=%1&limit=200").arg(action), m_f.adminToken);
        return reply.json().value(QStringLiteral("events")).toArray();
    }

private Q_SLOTS:
    void initTestCase()
    {
        ApiFixtureOptions options;
        options.auditLog = true;
        const QString error = m_f.start(options);
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }

    void cleanupTestCase() { m_f.stop(); }

    void anOperatorCredentialAloneReachesOnlyTheMfaRoutes()
    {
        const identity::IssuedApiToken credential = issueOperator();
        const HttpReply regions = send("GET", QStringLiteral("/api/v1/regions"), credential.secret);
        QCOMPARE(regions.status, 403);
        QVERIFY2(regions.body.contains("second factor"), regions.body.constData());
        QCOMPARE(send("GET", QStringLiteral("/api/v1/audit"), credential.secret).status, 403);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/tenants"), credential.secret).status, 403);
        const HttpReply issue = send("POST", QStringLiteral("/api/v1/tokens"), credential.secret,
                                     "{\"role\":\"ops-viewer\",\"kind\":\"operator\"}");
        QCOMPARE(issue.status, 403);

        const HttpReply me = send("GET", QStringLiteral("/api/v1/me"), credential.secret);
        QCOMPARE(me.status, 200);
        QCOMPARE(me.json().value(QStringLiteral("tokenKind")).toString(),
                 QStringLiteral("operator"));
        QCOMPARE(me.json().value(QStringLiteral("mfaPending")).toBool(), true);
        const HttpReply status = send("GET", QStringLiteral("/api/v1/me/mfa"), credential.secret);
        QCOMPARE(status.status, 200);
        QCOMPARE(status.json().value(QStringLiteral("required")).toBool(), true);
        QCOMPARE(status.json().value(QStringLiteral("totpEnrolled")).toBool(), false);
        // No authenticator yet: nothing to verify against.
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/verify"), credential.secret,
                      codeBody(QStringLiteral("123456")))
                     .status,
                 409);
        // The refusal of a change is recorded, naming the credential.
        bool denied = false;
        for (const QJsonValue &event : events(QStringLiteral("api-token.issue")))
            denied |= event[QStringLiteral("actor")].toString() ==
                          QStringLiteral("token:") + credential.id &&
                      event[QStringLiteral("outcome")].toString() == QStringLiteral("denied");
        QVERIFY(denied);
    }

    void enrolmentOpensAnOperatorSession()
    {
        const identity::IssuedApiToken credential = issueOperator();
        const HttpReply started =
            send("POST", QStringLiteral("/api/v1/me/mfa/totp"), credential.secret);
        QCOMPARE(started.status, 201);
        const QJsonObject enrolment = started.json();
        QVERIFY(
            enrolment.value(QStringLiteral("qrSvg")).toString().contains(QLatin1String("<svg")));
        QVERIFY(enrolment.value(QStringLiteral("otpauthUri"))
                    .toString()
                    .startsWith(QLatin1String("otpauth://totp/UpCoach%20Ops:operator-")));
        const QByteArray secret =
            identity::base32Decode(enrolment.value(QStringLiteral("secret")).toString()).value();
        QCOMPARE(secret.size(), 20);

        // The database holds the secret sealed under a key it never sees.
        storage::ConnectionPool *pool = m_f.controlPlane.get();
        const QString id = credential.id;
        const QByteArray sealed = offThread([pool, id] {
            return pool
                ->withConnection([&](pqxx::connection &c) {
                    pqxx::read_transaction work(c);
                    const pqxx::binarystring value(work.exec_params1(
                        "SELECT secret_sealed FROM operator_totp WHERE token_id = $1::uuid",
                        id.toStdString())[0]);
                    return QByteArray(value.get(), qsizetype(value.size()));
                })
                .value();
        });
        QCOMPARE(sealed.size(), 12 + 20 + 16);
        QVERIFY(!sealed.contains(secret));
        QVERIFY(!sealed.contains(secret.left(8)));

        // A wrong first code confirms nothing.
        const QString wrong = codeAt(secret, -600);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/totp/confirm"), credential.secret,
                      codeBody(wrong))
                     .status,
                 401);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/totp/confirm"), credential.secret,
                      codeBody(QStringLiteral("12345x")))
                     .status,
                 400);
        const HttpReply confirmed = send("POST", QStringLiteral("/api/v1/me/mfa/totp/confirm"),
                                         credential.secret, codeBody(codeAt(secret)));
        QCOMPARE(confirmed.status, 200);
        const QJsonObject session =
            confirmed.json().value(QStringLiteral("operatorSession")).toObject();
        QCOMPARE(session.value(QStringLiteral("kind")).toString(),
                 QStringLiteral("operator-session"));
        QCOMPARE(session.value(QStringLiteral("credentialId")).toString(), credential.id);
        QCOMPARE(session.value(QStringLiteral("role")).toString(), QStringLiteral("ops-admin"));
        const QDateTime expires = QDateTime::fromString(
            session.value(QStringLiteral("expiresAt")).toString(), Qt::ISODateWithMs);
        QVERIFY(expires > QDateTime::currentDateTimeUtc().addSecs(11 * 3600));
        QVERIFY(expires <= QDateTime::currentDateTimeUtc().addSecs(12 * 3600 + 60));
        const QByteArray token = session.value(QStringLiteral("token")).toString().toLatin1();

        QCOMPARE(send("GET", QStringLiteral("/api/v1/regions"), token).status, 200);
        const HttpReply me = send("GET", QStringLiteral("/api/v1/me"), token);
        QCOMPARE(me.json().value(QStringLiteral("tokenKind")).toString(),
                 QStringLiteral("operator-session"));
        QCOMPARE(me.json().value(QStringLiteral("credentialId")).toString(), credential.id);
        QCOMPARE(me.json().value(QStringLiteral("mfaPending")).toBool(), false);
        // The credential itself still needs a code for every session.
        QCOMPARE(send("GET", QStringLiteral("/api/v1/regions"), credential.secret).status, 403);
        // One authenticator per credential; a session cannot enrol or open sessions.
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/totp"), credential.secret).status,
                 409);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/totp"), token).status, 403);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/verify"), token,
                      codeBody(codeAt(secret, 30)))
                     .status,
                 403);

        // Recorded: the start of enrolment, the wrong code (denied), the enrolment; never the
        // secret or a code.
        QStringList outcomes;
        for (const QJsonValue &event : events(QStringLiteral("operator-mfa.*"))) {
            if (event[QStringLiteral("target")].toString() != QStringLiteral("api-token:") + id)
                continue;
            outcomes.append(event[QStringLiteral("action")].toString() + QLatin1Char('/') +
                            event[QStringLiteral("outcome")].toString());
            const QByteArray details =
                QJsonDocument(event[QStringLiteral("details")].toObject()).toJson();
            QVERIFY(
                !details.contains(enrolment.value(QStringLiteral("secret")).toString().toLatin1()));
            QVERIFY(!details.contains(wrong.toLatin1()));
        }
        outcomes.sort();
        QCOMPARE(outcomes, (QStringList{QStringLiteral("operator-mfa.enrol-start/success"),
                                        QStringLiteral("operator-mfa.enrol/denied"),
                                        QStringLiteral("operator-mfa.enrol/success")}));
    }

    void codesAreOneTimeAndSessionsEndWithTheirCredential()
    {
        const identity::IssuedApiToken credential = issueOperator();
        const QByteArray secret = enrol(credential.secret);
        const QString current = codeAt(secret);
        const HttpReply confirmed = send("POST", QStringLiteral("/api/v1/me/mfa/totp/confirm"),
                                         credential.secret, codeBody(current));
        QCOMPARE(confirmed.status, 200);
        const QByteArray first = confirmed.json()[QStringLiteral("operatorSession")]
                                     .toObject()[QStringLiteral("token")]
                                     .toString()
                                     .toLatin1();
        // The code used to confirm cannot open another session; the next step's can, once.
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/verify"), credential.secret,
                      codeBody(current))
                     .status,
                 401);
        const QString next = codeAt(secret, 30);
        const HttpReply opened = send("POST", QStringLiteral("/api/v1/me/mfa/verify"),
                                      credential.secret, codeBody(next));
        QCOMPARE(opened.status, 201);
        const QByteArray second = opened.json()[QStringLiteral("token")].toString().toLatin1();
        QVERIFY(second != first);
        QCOMPARE(
            send("POST", QStringLiteral("/api/v1/me/mfa/verify"), credential.secret, codeBody(next))
                .status,
            401);
        const HttpReply status = send("GET", QStringLiteral("/api/v1/me/mfa"), second);
        QCOMPARE(status.json()[QStringLiteral("totpEnrolled")].toBool(), true);
        QCOMPARE(status.json()[QStringLiteral("credentialId")].toString(), credential.id);

        // Logout ends one session, not the other.
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/logout"), first).status, 204);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/regions"), first).status, 401);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/regions"), second).status, 200);
        // A credential has no session to log out of.
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/logout"), credential.secret).status, 409);

        // Revoking the credential ends its sessions at once.
        QCOMPARE(send("DELETE", QStringLiteral("/api/v1/tokens/") + credential.id, second).status,
                 204);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/regions"), second).status, 401);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/me"), credential.secret).status, 401);

        QStringList seen;
        for (const QJsonValue &event : events(QStringLiteral("operator-session.*")))
            if (event[QStringLiteral("target")].toString() ==
                QStringLiteral("api-token:") + credential.id)
                seen.append(event[QStringLiteral("action")].toString() + QLatin1Char('/') +
                            event[QStringLiteral("outcome")].toString());
        seen.sort();
        QCOMPARE(seen, (QStringList{QStringLiteral("operator-session.end/success"),
                                    QStringLiteral("operator-session.start/denied"),
                                    QStringLiteral("operator-session.start/denied"),
                                    QStringLiteral("operator-session.start/success")}));
    }

    void fiveWrongCodesRevokeTheCredential()
    {
        const identity::IssuedApiToken credential = issueOperator(QStringLiteral("ops-viewer"));
        const QByteArray secret = enrol(credential.secret);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/totp/confirm"), credential.secret,
                      codeBody(codeAt(secret)))
                     .status,
                 200);
        const QString wrong = codeAt(secret, -3600);
        for (int i = 1; i <= 4; ++i) {
            QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/verify"), credential.secret,
                          codeBody(wrong))
                         .status,
                     401);
            QCOMPARE(send("GET", QStringLiteral("/api/v1/me/mfa"), credential.secret)
                         .json()[QStringLiteral("failures")]
                         .toInt(),
                     i);
        }
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/verify"), credential.secret,
                      codeBody(wrong))
                     .status,
                 401);
        // Locked out: even the right code no longer helps.
        QCOMPARE(send("GET", QStringLiteral("/api/v1/me"), credential.secret).status, 401);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/verify"), credential.secret,
                      codeBody(codeAt(secret, 30)))
                     .status,
                 401);
        bool lockout = false;
        for (const QJsonValue &event : events(QStringLiteral("operator-session.start")))
            lockout |=
                event[QStringLiteral("target")].toString() ==
                    QStringLiteral("api-token:") + credential.id &&
                event[QStringLiteral("details")][QStringLiteral("credentialRevoked")].toBool();
        QVERIFY(lockout);
    }

    void serviceTokensMustExpireAndHaveNoSecondFactor()
    {
        const QString in30 = QDateTime::currentDateTimeUtc().addDays(30).toString(Qt::ISODate);
        const QString in200 = QDateTime::currentDateTimeUtc().addDays(200).toString(Qt::ISODate);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/tokens"), m_f.adminToken,
                      "{\"role\":\"ops-viewer\",\"kind\":\"service\"}")
                     .status,
                 400);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/tokens"), m_f.adminToken,
                      "{\"role\":\"ops-viewer\",\"kind\":\"service\",\"expiresAt\":\"" +
                          in200.toLatin1() + "\"}")
                     .status,
                 400);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/tokens"), m_f.adminToken,
                      "{\"role\":\"ops-viewer\",\"kind\":\"root\"}")
                     .status,
                 400);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/tokens"), m_f.adminToken,
                      "{\"role\":\"ops-viewer\",\"kind\":\"operator-session\"}")
                     .status,
                 400);
        const HttpReply issued =
            send("POST", QStringLiteral("/api/v1/tokens"), m_f.adminToken,
                 "{\"role\":\"ops-viewer\",\"kind\":\"service\",\"expiresAt\":\"" +
                     in30.toLatin1() + "\"}");
        QCOMPARE(issued.status, 201);
        QCOMPARE(issued.json()[QStringLiteral("kind")].toString(), QStringLiteral("service"));
        const QByteArray service = issued.json()[QStringLiteral("token")].toString().toLatin1();
        QCOMPARE(send("GET", QStringLiteral("/api/v1/regions"), service).status, 200);
        QCOMPARE(send("POST", QStringLiteral("/api/v1/me/mfa/totp"), service).status, 403);
        QCOMPARE(send("GET", QStringLiteral("/api/v1/me/mfa"), service).status, 403);

        // An operator token issued through the API is a credential like any other.
        const HttpReply person = send("POST", QStringLiteral("/api/v1/tokens"), m_f.adminToken,
                                      "{\"role\":\"ops-auditor\"}");
        QCOMPARE(person.status, 201);
        QCOMPARE(person.json()[QStringLiteral("kind")].toString(), QStringLiteral("operator"));
        QCOMPARE(send("GET", QStringLiteral("/api/v1/audit"),
                      person.json()[QStringLiteral("token")].toString().toLatin1())
                     .status,
                 403);
    }
};

QTEST_GUILESS_MAIN(TestApiOperatorMfa)
#include "test_api_operator_mfa.moc"
