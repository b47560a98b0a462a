#include "upcoach/core/logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <mutex>

Q_LOGGING_CATEGORY(lcCore, "upcoach.core", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAudit, "upcoach.compliance.audit", QtInfoMsg)
Q_LOGGING_CATEGORY(lcConfig, "upcoach.config", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStorage, "upcoach.storage", QtInfoMsg)
Q_LOGGING_CATEGORY(lcCluster, "upcoach.storage.cluster", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMigrations, "upcoach.storage.migrations", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMonitor, "upcoach.monitor", QtInfoMsg)
Q_LOGGING_CATEGORY(lcIdentity, "upcoach.identity", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApi, "upcoach.api", QtInfoMsg)
Q_LOGGING_CATEGORY(lcApp, "upcoach.app", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRouting, "upcoach.routing", QtInfoMsg)

namespace upcoach::logging {
namespace {

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

std::mutex writeMutex;

void jsonHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray line =
        jsonLine(type, context.category, message, QDateTime::currentMSecsSinceEpoch()) + '\n';
    std::lock_guard lock(writeMutex);
    std::fwrite(line.constData(), 1, size_t(line.size()), stderr);
    std::fflush(stderr);
}

} // namespace

QByteArray jsonLine(QtMsgType type, const char *category, const QString &message, qint64 epochMs)
{
    QJsonObject object;
    object.insert(QStringLiteral("ts"),
                  QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs));
    object.insert(QStringLiteral("level"), QLatin1String(levelName(type)));
    object.insert(QStringLiteral("category"), QLatin1String(category ? category : "default"));
    object.insert(QStringLiteral("msg"), message);
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

void install(Format format)
{
    if (format == Format::JsonLines) {
        qInstallMessageHandler(jsonHandler);
    } else {
        qInstallMessageHandler(nullptr);
        qSetMessagePattern(QStringLiteral("%{time hh:mm:ss.zzz} %{if-category}%{category}: "
                                          "%{endif}%{message}"));
    }
}

} // namespace upcoach::logging
