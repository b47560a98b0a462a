#include "bindtestserver.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTcpServer>
#include <QThread>
#include <QUdpSocket>
#include <algorithm>
#include <csignal>
#include <sys/prctl.h>

namespace upcoach::testing {

namespace {

const QStringList kSbinPaths = {QStringLiteral("/usr/sbin"), QStringLiteral("/sbin"),
                                QStringLiteral("/usr/local/sbin")};

QByteArray randomSecret(int size = 32)
{
    QByteArray bytes(size, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          bytes.size() / int(sizeof(quint32)));
    return bytes;
}

// A loopback port free for both TCP and UDP right now.
quint16 freePort()
{
    for (int attempt = 0; attempt < 50; ++attempt) {
        QTcpServer tcp;
        if (!tcp.listen(QHostAddress::LocalHost, 0))
            continue;
        QUdpSocket udp;
        if (udp.bind(QHostAddress::LocalHost, tcp.serverPort()))
            return tcp.serverPort();
    }
    return 0;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(content) == content.size();
}

} // namespace

BindTestServer::BindTestServer()
{
    m_named = QStandardPaths::findExecutable(QStringLiteral("named"));
    if (m_named.isEmpty())
        m_named = QStandardPaths::findExecutable(QStringLiteral("named"), kSbinPaths);
    m_dig = QStandardPaths::findExecutable(QStringLiteral("dig"));
    m_secret = randomSecret();
    m_readOnlySecret = randomSecret();
    m_sha512Secret = randomSecret(64);
}

BindTestServer::~BindTestServer()
{
    stop();
}

bool BindTestServer::writeConfig()
{
    const QByteArray dir = m_dir.path().toUtf8();
    const QByteArray zoneFile = dir + "/ops.upcoach.test.zone";
    // Every file named writes (journal, session key, managed keys, pid) goes to the throwaway
    // directory; the journal sits next to the zone file.
    QByteArray config;
    config += "key \"" + QByteArray(kKeyName) + "\" { algorithm hmac-sha256; secret \"" +
              m_secret.toBase64() + "\"; };\n";
    config += "key \"" + QByteArray(kReadOnlyKeyName) + "\" { algorithm hmac-sha256; secret \"" +
              m_readOnlySecret.toBase64() + "\"; };\n";
    config += "key \"" + QByteArray(kSha512KeyName) + "\" { algorithm hmac-sha512; secret \"" +
              m_sha512Secret.toBase64() + "\"; };\n";
    config += "options {\n";
    config += "  directory \"" + dir + "\";\n";
    config += "  pid-file \"" + dir + "/named.pid\";\n";
    config += "  session-keyfile \"" + dir + "/session.key\";\n";
    config += "  managed-keys-directory \"" + dir + "\";\n";
    config += "  listen-on port " + QByteArray::number(m_port) + " { 127.0.0.1; };\n";
    config += "  listen-on-v6 { none; };\n";
    config += "  recursion no;\n  dnssec-validation no;\n  notify no;\n";
    config += "  allow-transfer { none; };\n";
    config += "};\n";
    config += "controls { };\n";
    config += "zone \"ops.upcoach.test\" {\n  type primary;\n  file \"" + zoneFile + "\";\n";
    config += "  allow-update { key \"" + QByteArray(kKeyName) + "\"; key \"" +
              QByteArray(kSha512KeyName) + "\"; };\n};\n";

    QByteArray zone;
    zone += "$TTL 300\n";
    zone += "@ IN SOA ns1.ops.upcoach.test. hostmaster.ops.upcoach.test. "
            "( 1 3600 600 86400 60 )\n";
    zone += "@ IN NS ns1.ops.upcoach.test.\n";
    zone += "ns1 IN A 127.0.0.1\n";
    return writeFile(m_dir.filePath(QStringLiteral("named.conf")), config) &&
           writeFile(QString::fromUtf8(zoneFile), zone);
}

bool BindTestServer::start()
{
    if (m_named.isEmpty()) {
        m_error = QStringLiteral("named (BIND 9) is not installed: run scripts/setup.sh, which "
                                 "installs bind9 from scripts/debian-packages.txt");
        return false;
    }
    if (m_dig.isEmpty()) {
        m_error = QStringLiteral("dig is not installed: run scripts/setup.sh, which installs "
                                 "bind9-dnsutils from scripts/debian-packages.txt");
        return false;
    }
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary directory");
        return false;
    }
    m_port = freePort();
    if (m_port == 0 || !writeConfig()) {
        m_error = QStringLiteral("cannot prepare named's directory %1").arg(m_dir.path());
        return false;
    }
    // -g: foreground, log to stderr; -4: IPv4 only; -n 1: one worker (the machine is shared).
    // No -u: named keeps the identity it was started with (root or not), so the throwaway
    // directory it owns stays writable for the journal.
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(m_dir.filePath(QStringLiteral("named.log")));
    // named goes with the test even when the test dies without running its destructors.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process.start(m_named, {QStringLiteral("-g"), QStringLiteral("-4"), QStringLiteral("-n"),
                              QStringLiteral("1"), QStringLiteral("-c"),
                              m_dir.filePath(QStringLiteral("named.conf")), QStringLiteral("-p"),
                              QString::number(m_port)});
    if (!m_process.waitForStarted(5000)) {
        m_error = QStringLiteral("named did not start: ") + m_process.errorString();
        return false;
    }
    const QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (m_process.state() != QProcess::Running) {
            m_error =
                QStringLiteral("named exited (code %1):\n%2").arg(m_process.exitCode()).arg(log());
            return false;
        }
        if (!query(QString::fromLatin1(kZone), QStringLiteral("SOA")).isEmpty())
            return true;
        QThread::msleep(50);
    }
    m_error = QStringLiteral("named did not answer within 15 s:\n") + log();
    stop();
    return false;
}

void BindTestServer::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(2000);
    }
}

QStringList BindTestServer::query(const QString &name, const QString &type) const
{
    QProcess dig;
    dig.start(m_dig, {QStringLiteral("@127.0.0.1"), QStringLiteral("-p"), QString::number(m_port),
                      name, type, QStringLiteral("+short"), QStringLiteral("+time=1"),
                      QStringLiteral("+tries=1")});
    if (!dig.waitForFinished(5000) || dig.exitCode() != 0)
        return {};
    QStringList answers;
    for (const QByteArray &line : dig.readAllStandardOutput().split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (!trimmed.isEmpty() && !trimmed.startsWith(';'))
            answers << QString::fromUtf8(trimmed);
    }
    std::sort(answers.begin(), answers.end());
    return answers;
}

QString BindTestServer::log() const
{
    QFile file(m_dir.filePath(QStringLiteral("named.log")));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray all = file.readAll();
    return QString::fromUtf8(all.right(4000));
}

} // namespace upcoach::testing
