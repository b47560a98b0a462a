#include "upcoach/tenancy/tenantexport.h"

#include "tenantaudit.h"
#include "upcoach/compliance/auditlog.h"
#include "upcoach/compliance/recordedchange.h"
#include "upcoach/tenancy/masking.h"
#include "upcoach/tenancy/provisioner.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/tenantsession.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace upcoach::tenancy {

namespace {

constexpr int batchRows = 1000;

QByteArray csvField(const QJsonValue &value)
{
    QByteArray text;
    if (value.isNull() || value.isUndefined())
        return text;
    if (value.isString())
        text = value.toString().toUtf8();
    else if (value.isBool())
        text = value.toBool() ? "true" : "false";
    else if (value.isDouble())
        text = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
    else
        text = QJsonDocument(value.isObject() ? QJsonDocument(value.toObject())
                                              : QJsonDocument(value.toArray()))
                   .toJson(QJsonDocument::Compact);
    if (text.contains(',') || text.contains('"') || text.contains('\n') || text.contains('\r')) {
        text.replace("\"", "\"\"");
        text = '"' + text + '"';
    }
    return text;
}

void maskRow(QJsonObject &row, const QString &table, const PiiMasker &masker)
{
    if (table != QLatin1String("users"))
        return;
    auto maskField = [&](const char *key, QString (PiiMasker::*fn)(const QString &) const) {
        const QJsonValue value = row.value(QLatin1String(key));
        if (value.isString())
            row.insert(QLatin1String(key), (masker.*fn)(value.toString()));
    };
    maskField("email", &PiiMasker::email);
    maskField("phone", &PiiMasker::phone);
    maskField("display_name", &PiiMasker::name);
}

struct OpenFile
{
    std::unique_ptr<QSaveFile> file;
    QCryptographicHash hash{QCryptographicHash::Sha256};
    qint64 bytes = 0;
    bool write(const QByteArray &data)
    {
        hash.addData(data);
        bytes += data.size();
        return file->write(data) == data.size();
    }
};

} // namespace

Result<ExportReport> exportTenant(TenantRegistry &registry, TenantSessions &sessions,
                                  compliance::AuditLog &audit, const QString &slug,
                                  const QString &directory, const ExportOptions &options,
                                  const ActorContext &actor)
{
    PiiMasker masker(options.maskKey);
    if (options.mask && !masker.isValid())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("maskKey: at least 16 bytes are needed to mask"));
    QDir dir(directory);
    if (dir.exists() && !dir.isEmpty())
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("directory: %1 exists and is not empty").arg(directory));
    auto tenant = registry.get(slug);
    if (!tenant)
        return tenant.error();
    if (tenant->state == TenantState::Deleted)
        return makeError(ErrorCode::Conflict, QStringLiteral("tenant %1 was deleted").arg(slug));

    const compliance::AuditRecord record = tenantAuditRecord(
        actor, slug, QStringLiteral("tenant.export"), QStringLiteral("tenant:") + slug,
        QStringLiteral("data-export"), {{QStringLiteral("masked"), options.mask}});
    return compliance::recordThenChange<ExportReport>(audit, record, [&]() -> Result<ExportReport> {
        if (!QDir().mkpath(directory))
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("cannot create %1").arg(directory));
        ExportReport report;
        report.directory = dir.absolutePath();
        QJsonObject tables;
        std::optional<Error> failure;
        auto read = sessions.runSnapshot(slug, TenantAccess::Operator, [&](TenantTransaction &tx) {
            for (const QString &table : tenantTables()) {
                const std::string name = table.toStdString();
                // Column order for the CSV header, from the table itself.
                QStringList columns;
                const pqxx::result shape = tx.exec("SELECT * FROM " + name + " LIMIT 0");
                for (pqxx::row::size_type c = 0; c < shape.columns(); ++c)
                    columns << QString::fromUtf8(shape.column_name(c));
                OpenFile jsonl{
                    std::make_unique<QSaveFile>(dir.filePath(table + QStringLiteral(".jsonl")))};
                OpenFile csv{
                    std::make_unique<QSaveFile>(dir.filePath(table + QStringLiteral(".csv")))};
                if (!jsonl.file->open(QIODevice::WriteOnly) ||
                    !csv.file->open(QIODevice::WriteOnly)) {
                    failure = makeError(
                        ErrorCode::Unavailable,
                        QStringLiteral("cannot write the %1 files in %2").arg(table, directory));
                    return;
                }
                QByteArray header;
                for (const QString &column : columns)
                    header += (header.isEmpty() ? "" : ",") + csvField(column);
                bool ok = csv.write(header + "\r\n");
                qint64 rows = 0;
                std::string last;
                for (;;) {
                    const pqxx::result batch =
                        last.empty()
                            ? tx.exec("SELECT id::text, row_to_json(t)::text FROM " + name +
                                      " t ORDER BY id LIMIT " + std::to_string(batchRows))
                            : tx.exec("SELECT id::text, row_to_json(t)::text FROM " + name +
                                          " t WHERE id > $1::uuid ORDER BY id LIMIT " +
                                          std::to_string(batchRows),
                                      last);
                    for (const auto &row : batch) {
                        QJsonObject object = QJsonDocument::fromJson(QByteArray::fromStdString(
                                                                         row[1].as<std::string>()))
                                                 .object();
                        if (options.mask)
                            maskRow(object, table, masker);
                        ok = ok && jsonl.write(
                                       QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
                        QByteArray line;
                        for (qsizetype c = 0; c < columns.size(); ++c)
                            line += (c ? "," : "") + csvField(object.value(columns.at(c)));
                        ok = ok && csv.write(line + "\r\n");
                        ++rows;
                    }
                    if (batch.empty())
                        break;
                    last = batch[batch.size() - 1][0].as<std::string>();
                    if (int(batch.size()) < batchRows)
                        break;
                }
                if (!ok || !jsonl.file->commit() || !csv.file->commit()) {
                    failure = makeError(
                        ErrorCode::Unavailable,
                        QStringLiteral("writing the %1 files in %2 failed").arg(table, directory));
                    return;
                }
                report.rows.insert(table, rows);
                report.bytes += jsonl.bytes + csv.bytes;
                tables.insert(
                    table, QJsonObject{
                               {QStringLiteral("rows"), rows},
                               {QStringLiteral("columns"), QJsonArray::fromStringList(columns)},
                               {QStringLiteral("jsonl"), QString(table + QStringLiteral(".jsonl"))},
                               {QStringLiteral("jsonlSha256"),
                                QString::fromLatin1(jsonl.hash.result().toHex())},
                               {QStringLiteral("csv"), QString(table + QStringLiteral(".csv"))},
                               {QStringLiteral("csvSha256"),
                                QString::fromLatin1(csv.hash.result().toHex())},
                           });
            }
        });
        if (!read)
            return read.error();
        if (failure)
            return *failure;
        const QJsonObject manifest{
            {QStringLiteral("format"), QStringLiteral("upcoach-tenant-export/1")},
            {QStringLiteral("tenant"),
             QJsonObject{{QStringLiteral("id"), tenant->id.toString(QUuid::WithoutBraces)},
                         {QStringLiteral("slug"), tenant->slug},
                         {QStringLiteral("name"), tenant->displayName},
                         {QStringLiteral("plan"), tenant->plan},
                         {QStringLiteral("isolation"), isolationName(tenant->isolation)},
                         {QStringLiteral("homeRegion"), tenant->homeRegion}}},
            {QStringLiteral("exportedAt"),
             QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
            {QStringLiteral("masked"), options.mask},
            {QStringLiteral("tables"), tables},
        };
        QSaveFile file(dir.filePath(QStringLiteral("manifest.json")));
        if (!file.open(QIODevice::WriteOnly) || file.write(QJsonDocument(manifest).toJson()) < 0 ||
            !file.commit())
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("cannot write %1/manifest.json").arg(directory));
        return report;
    });
}

} // namespace upcoach::tenancy
