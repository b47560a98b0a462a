#include "auditbundlefixture.h"

#include "upcoach/compliance/signedtreehead.h"

#include <QJsonArray>
#include <QUuid>

namespace upcoach::testing {

using namespace upcoach::compliance;

namespace {

const QUuid kNamespace(QStringLiteral("{6ba7b811-9dad-11d1-80b4-00c04fd430c8}"));

AuditEvent eventAt(int i)
{
    static const QString tenants[] = {QStringLiteral("acme"), QStringLiteral("globex"),
                                      QStringLiteral("initech"), QString()};
    AuditEvent event;
    event.id = QUuid::createUuidV5(kNamespace, QString::number(i)).toString(QUuid::WithoutBraces);
    event.sequence = uint64_t(i);
    event.time = QDateTime(QDate(2026, 5, 1), QTime(8, 0), Qt::UTC).addMSecs(qint64(i) * 1500 + 7);
    event.actor = QStringLiteral("user:user%1@example.com").arg(i % 7);
    event.impersonator = i % 11 == 0 ? QStringLiteral("user:support@upcoach.example") : QString();
    event.tenant = tenants[i % 4];
    event.action = i % 10 == 7 ? QStringLiteral("tenant.export")
                   : i % 2     ? QStringLiteral("api-token.issue")
                               : QStringLiteral("config.update");
    event.target = QStringLiteral("object:%1").arg(i);
    event.outcome = i % 5 == 0    ? QStringLiteral("denied")
                    : i % 13 == 1 ? QStringLiteral("failure")
                                  : QStringLiteral("success");
    event.sourceIp = QStringLiteral("192.0.2.%1").arg(i % 250);
    event.requestId = QStringLiteral("req-%1").arg(i);
    event.classification = i % 9 == 2   ? QStringLiteral("config-change")
                           : i % 4 == 0 ? QStringLiteral("phi-access")
                                        : QStringLiteral("security");
    event.details = QJsonObject{{QStringLiteral("n"), i}};
    // The special cases the CSV and search tests rely on.
    switch (i) {
    case 3:
        event.actor = QStringLiteral("=HYPERLINK(\"http://evil.example\",\"x\")");
        break;
    case 4:
        event.target = QStringLiteral("quoted \"name\", with comma");
        event.sourceIp = QStringLiteral("\t10.0.0.1");
        break;
    case 5:
        event.actor = QStringLiteral("+danger");
        event.details = QJsonObject{{QStringLiteral("n"), 5},
                                    {QStringLiteral("note"), QStringLiteral("a \"b\", c\nd")}};
        break;
    case 6:
        event.target = QStringLiteral("line1\nline2");
        event.requestId = QStringLiteral("-7");
        break;
    case 8:
        event.target = QString::fromUtf8("Ünïcödé 目标");
        break;
    case 11:
        event.details = QJsonObject{{QStringLiteral("needle"), QStringLiteral("Haystack-ZEBRA-42")},
                                    {QStringLiteral("list"), QJsonArray{1, 2, 3}}};
        break;
    case 13:
        event.details = QJsonObject{{QStringLiteral("path"), QStringLiteral("/a/b")},
                                    {QStringLiteral("z"), QJsonObject{{QStringLiteral("y"), 1}}}};
        break;
    default:
        break;
    }
    return event;
}

} // namespace

Result<AuditLog> makeAuditLog(int count, int headEvery)
{
    AuditLog log;
    auto signer = Ed25519Signer::generate();
    if (!signer)
        return signer.error();
    log.publicKey = signer->publicKeyRaw();
    for (int i = 0; i < count; ++i) {
        AuditEvent event = eventAt(i);
        Result<Hash> leaf = leafHashOf(event);
        if (!leaf)
            return leaf.error().context(QStringLiteral("event %1").arg(i));
        log.events.push_back(std::move(event));
        log.leaves.push_back(*leaf);
    }
    const QDateTime base(QDate(2026, 5, 1), QTime(12, 0), Qt::UTC);
    for (int size = headEvery; size <= count; size += headEvery) {
        TreeHead head{uint64_t(size), base.addSecs(size),
                      rootOf(std::span<const Hash>(log.leaves).first(size_t(size)))};
        Result<QByteArray> signature = signer->sign(head);
        if (!signature)
            return signature.error();
        log.heads.push_back({head, *signature});
    }
    if (log.heads.empty() || log.heads.back().head.treeSize != uint64_t(count))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("count must be a multiple of headEvery"));
    return log;
}

Status writeAuditBundle(const AuditLog &log, const QString &dir, std::optional<QString> tenant)
{
    BundleInput input;
    input.leafHashes = log.leaves;
    input.events = log.events;
    input.treeHeads = log.heads;
    input.publicKeyRaw = log.publicKey;
    input.filter.tenant = std::move(tenant);
    input.created = QDateTime(QDate(2026, 5, 2), QTime(9, 0), Qt::UTC);
    return writeBundle(dir, input);
}

} // namespace upcoach::testing
