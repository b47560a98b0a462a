// A third-party protocol peer run with node (tests/interop/*.mjs, packages from scripts/npm):
// started with a JSON config, ready when it prints its one JSON line on stdout, stopped by
// closing its stdin and SIGTERM. Its stderr is kept for failure messages.
#pragma once

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>

namespace upcoach::testing {

inline QString interopScript(const QString &name)
{
    const QString source = qEnvironmentVariable("UPCOACH_SOURCE_DIR");
    return source + QStringLiteral("/tests/interop/") + name;
}

class NodePeer
{
public:
    ~NodePeer() { stop(); }

    // Starts `node script configFile` (config written from `config`), waits up to `timeoutMs`
    // for the ready line. Returns the ready object, or an empty object (see error()).
    QJsonObject start(const QString &script, const QJsonObject &config, int timeoutMs = 30000)
    {
        m_configPath = m_dir.filePath(QStringLiteral("config.json"));
        QFile file(m_configPath);
        if (!file.open(QIODevice::WriteOnly)) {
            m_error = QStringLiteral("cannot write the peer's config");
            return {};
        }
        file.write(QJsonDocument(config).toJson());
        file.close();
        return startWithArguments({interopScript(script), m_configPath}, timeoutMs);
    }

    // Starts node with `arguments` without waiting for anything (a client that runs to its
    // end: then waitForExit).
    bool launch(const QStringList &arguments,
                const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        stop();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessEnvironment(environment);
        m_process->start(QStringLiteral("node"), arguments);
        if (!m_process->waitForStarted(10000)) {
            m_error = QStringLiteral("node did not start: ") + m_process->errorString();
            return false;
        }
        return true;
    }

    QJsonObject startWithArguments(
        const QStringList &arguments, int timeoutMs = 30000,
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        if (!launch(arguments, environment))
            return {};
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (m_process->canReadLine()) {
                const QByteArray line = m_process->readLine().trimmed();
                const QJsonObject ready = QJsonDocument::fromJson(line).object();
                if (ready.value(QStringLiteral("ready")).toBool())
                    return ready;
                m_error = QStringLiteral("unexpected first line: ") + QString::fromUtf8(line);
                return {};
            }
            if (m_process->state() == QProcess::NotRunning) {
                m_error = QStringLiteral("the peer exited: ") +
                          QString::fromUtf8(m_process->readAllStandardError().right(2000));
                return {};
            }
            m_process->waitForReadyRead(100);
            QCoreApplication::processEvents();
        }
        m_error = QStringLiteral("the peer was not ready in time: ") +
                  QString::fromUtf8(m_process->readAllStandardError().right(2000));
        return {};
    }

    // For processes that run to completion (a client): waits and returns the exit code.
    int waitForExit(int timeoutMs)
    {
        if (!m_process)
            return -1;
        if (m_process->state() != QProcess::NotRunning) {
            // The event loop keeps running meanwhile: the server under test lives on it.
            QSignalSpy finished(m_process.get(), &QProcess::finished);
            finished.wait(timeoutMs);
        }
        if (m_process->state() != QProcess::NotRunning)
            return -1;
        return m_process->exitCode();
    }

    QProcess *process() { return m_process.get(); }
    QString error() const { return m_error; }
    QString stderrText()
    {
        if (m_process)
            m_stderr += QString::fromUtf8(m_process->readAllStandardError());
        return m_stderr.right(4000);
    }

    void stop()
    {
        if (!m_process)
            return;
        if (m_process->state() != QProcess::NotRunning) {
            m_process->closeWriteChannel();
            m_process->terminate();
            if (!m_process->waitForFinished(5000))
                m_process->kill();
            m_process->waitForFinished(2000);
        }
        m_process.reset();
    }

private:
    QTemporaryDir m_dir;
    QString m_configPath;
    QString m_error;
    QString m_stderr;
    std::unique_ptr<QProcess> m_process;
};

} // namespace upcoach::testing
