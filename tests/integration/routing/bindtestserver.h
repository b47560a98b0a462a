// A throwaway BIND 9 (named) on a free loopback port for the DNS publication suite: its own
// directory (config, zone, journal, session key), one primary zone that accepts dynamic
// updates signed with one TSIG key, stopped and removed with the object. Works as root and
// as an ordinary user. Queries go through the real dig.
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

namespace upcoach::testing {

class BindTestServer
{
public:
    static constexpr const char *kZone = "ops.upcoach.test.";
    static constexpr const char *kKeyName = "upcoach-publisher";
    // A key the server knows but that may not update the zone.
    static constexpr const char *kReadOnlyKeyName = "upcoach-reader";
    // A second publisher key, with hmac-sha512.
    static constexpr const char *kSha512KeyName = "upcoach-publisher-512";

    BindTestServer();
    ~BindTestServer();
    BindTestServer(const BindTestServer &) = delete;
    BindTestServer &operator=(const BindTestServer &) = delete;

    // Starts named and waits until it answers for the zone. False with error() on failure
    // (including "named not installed: run scripts/setup.sh").
    bool start();
    void stop();
    QString error() const { return m_error; }

    quint16 port() const { return m_port; }
    QByteArray secret() const { return m_secret; } // raw bytes of kKeyName's secret
    QByteArray readOnlySecret() const { return m_readOnlySecret; }
    QByteArray sha512Secret() const { return m_sha512Secret; }

    // dig @127.0.0.1 -p PORT NAME TYPE +short, answers sorted; empty for none.
    QStringList query(const QString &name, const QString &type) const;
    // named's own log so far (for failure messages).
    QString log() const;

private:
    bool writeConfig();
    QString m_named;
    QString m_dig;
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
    QByteArray m_secret;
    QByteArray m_readOnlySecret;
    QByteArray m_sha512Secret;
    QString m_error;
};

} // namespace upcoach::testing
