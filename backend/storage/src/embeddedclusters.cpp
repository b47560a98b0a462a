#include "upcoach/storage/embeddedclusters.h"

#include "upcoach/core/crypto.h"
#include "upcoach/core/logging.h"
#include "upcoach/storage/migrations.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QThread>
#include <arpa/inet.h>
#include <future>
#include <grp.h>
#include <mutex>
#include <netinet/in.h>
#include <pqxx/pqxx>
#include <pwd.h>
#include <set>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace upcoach::storage {

namespace {

const QString kTemplate = QStringLiteral("template");
const QString kPortFile = QStringLiteral("upcoach-port");
const QString kSuperuser = QStringLiteral("upcoach");
// The application's login: a member of upcoach_app (regional migration 0002), owning nothing.
const QString kServiceUser = QStringLiteral("upcoach_service");
const QString kDatabase = QStringLiteral("upcoach");
constexpr int kStartAttempts = 4;

// The settings every embedded cluster runs with: loopback TCP only, no Unix socket (the socket
// directory would need to be shared with the system's PostgreSQL), small memory.
const char *kClusterSettings = R"(
# --- upcoach-ops embedded cluster ---
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 60
shared_buffers = 128MB
wal_buffers = 16MB
wal_level = logical
max_wal_size = 256MB
log_min_messages = warning
log_line_prefix = '%m [%p] '
)";

// Binds like the postmaster does (SO_REUSEADDR), so a port in TIME_WAIT counts as free.
bool portIsFree(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return false;
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool free = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0;
    ::close(fd);
    return free;
}

// Ports for clusters come from below the kernel's ephemeral range: an ephemeral port can be
// taken at any moment as the local end of a client connection (pg_ctl polling a starting
// server does exactly that), which made parallel starts collide.
std::pair<int, int> clusterPortRange()
{
    int ephemeralLow = 32768;
    QFile range(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
    if (range.open(QIODevice::ReadOnly)) {
        const int low = QString::fromLatin1(range.readAll())
                            .simplified()
                            .section(QLatin1Char(' '), 0, 0)
                            .toInt();
        if (low > 12000)
            ephemeralLow = low;
    }
    return {10000, ephemeralLow - 1};
}

// Ports this process handed out, so regions starting in parallel never get the same one.
std::mutex handedOutMutex;
std::set<quint16> handedOut;

quint16 freeLoopbackPort()
{
    const auto [low, high] = clusterPortRange();
    for (int attempt = 0; attempt < 200; ++attempt) {
        const auto port = quint16(QRandomGenerator::global()->bounded(low, high + 1));
        std::lock_guard lock(handedOutMutex);
        if (!handedOut.contains(port) && portIsFree(port)) {
            handedOut.insert(port);
            return port;
        }
    }
    return 0;
}

QString readSmallFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.read(64 * 1024));
}

Status writeFile(const QString &path, const QByteArray &content,
                 QFileDevice::Permissions permissions)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    file.setPermissions(permissions);
    if (file.write(content) != content.size())
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    return {};
}

// A random password kept in a 0600 file: read it, or create it on first use.
Result<QString> readOrCreateSecret(const QString &path)
{
    QString secret = readSmallFile(path).trimmed();
    if (!secret.isEmpty())
        return secret;
    auto random = crypto::randomBytes(24);
    if (!random)
        return random.error();
    secret = QString::fromLatin1(crypto::base64Url(random.value()));
    if (auto s = writeFile(path, secret.toUtf8(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        !s)
        return s.error();
    return secret;
}

// Creates (or re-keys) the application's login in one cluster and makes it a member of
// upcoach_app. DDL takes no parameters; the password is our own base64url text, quoted by libpq.
Status ensureServiceLogin(quint16 port, const QString &superuserPassword,
                          const QString &servicePassword)
{
    try {
        pqxx::connection admin(QStringLiteral("host=127.0.0.1 port=%1 dbname=%2 user=%3 "
                                              "password='%4' connect_timeout=10")
                                   .arg(port)
                                   .arg(kDatabase, kSuperuser, superuserPassword)
                                   .toStdString());
        pqxx::work work(admin);
        work.exec("SELECT pg_advisory_xact_lock(hashtext('upcoach_service role'))");
        const bool appRole =
            !work.exec("SELECT 1 FROM pg_roles WHERE rolname = 'upcoach_app'").empty();
        if (!appRole)
            work.exec("CREATE ROLE upcoach_app NOLOGIN");
        const bool exists = !work.exec_params("SELECT 1 FROM pg_roles WHERE rolname = $1",
                                              kServiceUser.toStdString())
                                 .empty();
        const std::string name = work.quote_name(kServiceUser.toStdString());
        const std::string password = work.quote(servicePassword.toStdString());
        work.exec((exists ? "ALTER ROLE " : "CREATE ROLE ") + name +
                  " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD " + password);
        work.exec("GRANT upcoach_app TO " + name);
        work.commit();
        return {};
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("creating the application login failed: ") +
                             QString::fromUtf8(e.what()).trimmed());
    }
}

QString logTail(const QString &logPath, int lines = 6)
{
    const QStringList all = readSmallFile(logPath).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    return all.mid(std::max<qsizetype>(0, all.size() - lines)).join(QStringLiteral(" | "));
}

// What a data directory's postmaster.pid says: line 1 the pid, line 4 the port. Zero when the
// file is missing or unreadable.
struct PidFile
{
    qint64 pid = 0;
    quint16 port = 0;
};

PidFile readPidFile(const QString &dataDir)
{
    const QStringList lines =
        readSmallFile(dataDir + QStringLiteral("/postmaster.pid")).split(QLatin1Char('\n'));
    return {lines.value(0).trimmed().toLongLong(), quint16(lines.value(3).trimmed().toUInt())};
}

// True when a live process is the postmaster of dataDir (its working directory is dataDir).
bool isPostmasterOf(qint64 pid, const QString &dataDir)
{
    if (pid <= 0)
        return false;
    if (::kill(pid_t(pid), 0) != 0 && errno != EPERM)
        return false;
    const QString cwd = QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).symLinkTarget();
    return !cwd.isEmpty() &&
           QFileInfo(cwd).canonicalFilePath() == QFileInfo(dataDir).canonicalFilePath();
}

struct ProcessResult
{
    int exitCode = -1;
    QString output;
    bool started = false;
};

} // namespace

QString EmbeddedClusters::defaultStateDir()
{
    if (::geteuid() == 0)
        return QStringLiteral("/var/lib/upcoach-ops");
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/upcoach-ops");
}

namespace {

// Runs a PostgreSQL tool, as the postgres user when runAsUid >= 0. Blocking.
ProcessResult runTool(const QString &program, const QStringList &arguments, int runAsUid,
                      int runAsGid, const QString &workingDir, int timeoutMs)
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.setWorkingDirectory(workingDir);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    environment.remove(QStringLiteral("PGPASSWORD"));
    process.setProcessEnvironment(environment);
    if (runAsUid >= 0) {
        const uid_t uid = uid_t(runAsUid);
        const gid_t gid = gid_t(runAsGid);
        process.setChildProcessModifier([uid, gid] {
            // Async-signal-safe calls only: we are between fork and exec.
            if (::setgroups(1, &gid) != 0 || ::setgid(gid) != 0 || ::setuid(uid) != 0)
                ::_exit(126);
        });
    }
    process.start(program, arguments);
    ProcessResult result;
    result.started = process.waitForStarted(10'000);
    if (!result.started) {
        result.output = process.errorString();
        return result;
    }
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        result.output = QStringLiteral("timed out after %1 s").arg(timeoutMs / 1000);
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.output = QString::fromLocal8Bit(process.readAll()).trimmed();
    return result;
}

} // namespace

Result<std::unique_ptr<EmbeddedClusters>> EmbeddedClusters::start(EmbeddedOptions options)
{
    QElapsedTimer timer;
    timer.start();
    if (options.regions.empty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("no regions to start"));
    if (options.stateDir.isEmpty())
        options.stateDir = defaultStateDir();
    options.stateDir = QDir(options.stateDir).absolutePath();
    if (!options.progress)
        options.progress = [](const QString &line) { qCInfo(lcCluster).noquote() << line; };

    std::unique_ptr<EmbeddedClusters> self(new EmbeddedClusters);
    self->m_options = options;

    const QString binDir = options.postgresBinDir.isEmpty()
                               ? QStringLiteral("/usr/lib/postgresql/15/bin")
                               : options.postgresBinDir;
    for (const char *tool : {"initdb", "pg_ctl", "postgres"}) {
        if (!QFileInfo(binDir + QLatin1Char('/') + QLatin1String(tool)).isExecutable())
            return makeError(
                ErrorCode::Unavailable,
                QStringLiteral("PostgreSQL 15 is not installed: %1/%2 is missing. Install "
                               "the postgresql-15 package (scripts/setup.sh does it).")
                    .arg(binDir, QLatin1String(tool)));
    }
    self->m_binDir = binDir;

    if (::geteuid() == 0) {
        const passwd *pw = ::getpwnam("postgres");
        if (!pw)
            return makeError(
                ErrorCode::Unavailable,
                QStringLiteral("running as root, the clusters must run as the postgres "
                               "system user, which does not exist; install postgresql-15"));
        self->m_runAsUid = int(pw->pw_uid);
        self->m_runAsGid = int(pw->pw_gid);
    }

    if (auto s = self->prepareStateDir(); !s)
        return s.error();
    if (auto s = self->ensureTemplate(); !s)
        return s.error();

    for (const Region &region : options.regions) {
        Cluster cluster;
        cluster.regionId = region.id;
        cluster.dataDir = options.stateDir + QStringLiteral("/clusters/") + region.id;
        self->m_clusters.push_back(cluster);
    }

    // Every region in parallel: copy the template if the region is new, then start it. Both
    // are mostly waiting (disk, postmaster start-up).
    std::vector<std::future<Status>> starts;
    for (Cluster &cluster : self->m_clusters)
        starts.push_back(std::async(std::launch::async, [&self, &cluster]() -> Status {
            if (auto s = self->ensureRegionDataDir(cluster); !s)
                return s;
            if (auto s = self->startCluster(cluster); !s)
                return s;
            if (auto s =
                    ensureServiceLogin(cluster.port, self->m_password, self->m_servicePassword);
                !s)
                return s.error().context(QStringLiteral("region ") + cluster.regionId);
            return {};
        }));
    std::optional<Error> firstError;
    for (auto &start : starts) {
        Status s = start.get();
        if (!s && !firstError)
            firstError = s.error();
    }
    if (firstError) {
        (void)self->stop(); // the start error is the one worth reporting
        return *firstError;
    }
    self->m_report.totalMs = timer.elapsed();
    options.progress(QStringLiteral("%1 regional cluster(s) ready in %2 ms under %3")
                         .arg(self->m_clusters.size())
                         .arg(self->m_report.totalMs)
                         .arg(options.stateDir));
    return self;
}

Status EmbeddedClusters::prepareStateDir()
{
    const QString &dir = m_options.stateDir;
    if (!QDir().mkpath(dir))
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot create state directory %1").arg(dir));
    m_lock = std::make_unique<QLockFile>(dir + QStringLiteral("/upcoach-ops.lock"));
    m_lock->setStaleLockTime(0); // a lock whose process is gone is stale whatever its age
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host, app;
        m_lock->getLockInfo(&pid, &host, &app);
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("state directory %1 is in use by another upcoach-ops "
                                        "(pid %2); stop it or pass another --state-dir")
                             .arg(dir)
                             .arg(pid));
    }
    for (const char *sub : {"clusters", "logs", "secrets"}) {
        if (!QDir().mkpath(dir + QLatin1Char('/') + QLatin1String(sub)))
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("cannot create %1/%2").arg(dir, QLatin1String(sub)));
    }
    QFile::setPermissions(dir + QStringLiteral("/secrets"),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

    if (m_runAsUid >= 0) {
        // The postgres user must reach the data directories: every ancestor searchable by it.
        ::chmod(QFile::encodeName(dir).constData(), 0711);
        for (QString path = dir; !path.isEmpty() && path != QLatin1String("/");
             path = QFileInfo(path).path()) {
            struct stat st
            {};
            if (::stat(QFile::encodeName(path).constData(), &st) != 0)
                break;
            const bool searchable = (st.st_mode & S_IXOTH) ||
                                    (st.st_gid == gid_t(m_runAsGid) && (st.st_mode & S_IXGRP)) ||
                                    (st.st_uid == uid_t(m_runAsUid) && (st.st_mode & S_IXUSR));
            if (!searchable)
                return makeError(ErrorCode::Config,
                                 QStringLiteral("running as root, the clusters run as the postgres "
                                                "user, which cannot enter %1 (mode %2). Choose a "
                                                "state directory it can reach, such as "
                                                "/var/lib/upcoach-ops (--state-dir)")
                                     .arg(path)
                                     .arg(st.st_mode & 07777, 4, 8, QLatin1Char('0')));
        }
        for (const char *sub : {"clusters", "logs"}) {
            const QByteArray path = QFile::encodeName(dir + QLatin1Char('/') + QLatin1String(sub));
            if (::chown(path.constData(), uid_t(m_runAsUid), gid_t(m_runAsGid)) != 0)
                return makeError(ErrorCode::Unavailable,
                                 QStringLiteral("cannot hand %1 to the postgres user")
                                     .arg(QString::fromLocal8Bit(path)));
        }
    }

    auto superuser = readOrCreateSecret(dir + QStringLiteral("/secrets/superuser"));
    if (!superuser)
        return superuser.error();
    m_password = superuser.value();
    auto service = readOrCreateSecret(dir + QStringLiteral("/secrets/service"));
    if (!service)
        return service.error();
    m_servicePassword = service.value();
    return {};
}

Status EmbeddedClusters::ensureTemplate()
{
    const QString clustersDir = m_options.stateDir + QStringLiteral("/clusters");
    const QString templateDir = clustersDir + QLatin1Char('/') + kTemplate;
    // The marker sits beside the template, not in it, so copies of the template never carry it.
    const QString marker = templateDir + QStringLiteral(".ready");
    if (QFile::exists(marker))
        return {};

    // A template without its marker is what an interrupted earlier start left: build it anew.
    QDir(templateDir).removeRecursively();
    m_options.progress(
        QStringLiteral("creating the template cluster (initdb, once per state directory)"));
    m_report.createdTemplate = true;

    const QString pwfile = clustersDir + QStringLiteral("/.initdb-pw");
    if (auto s = writeFile(pwfile, m_password.toUtf8(),
                           QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        !s)
        return s;
    if (m_runAsUid >= 0 &&
        ::chown(QFile::encodeName(pwfile).constData(), uid_t(m_runAsUid), gid_t(m_runAsGid)) != 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot hand the initdb password file to postgres"));
    const ProcessResult initdb =
        runTool(m_binDir + QStringLiteral("/initdb"),
                {QStringLiteral("-D"), templateDir, QStringLiteral("-U"), kSuperuser,
                 QStringLiteral("--pwfile=") + pwfile, QStringLiteral("--auth=scram-sha-256"),
                 QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8"),
                 // 1 MiB WAL segments: every region starts as a copy of the template, and 16 MiB
                 // of empty WAL per region was a third of what the copies moved.
                 QStringLiteral("--wal-segsize=1"), QStringLiteral("--no-sync"),
                 QStringLiteral("--no-instructions")},
                m_runAsUid, m_runAsGid, clustersDir, 120'000);
    QFile::remove(pwfile);
    if (initdb.exitCode != 0)
        return makeError(ErrorCode::Unavailable, QStringLiteral("initdb failed: ") + initdb.output);

    QFile conf(templateDir + QStringLiteral("/postgresql.conf"));
    if (!conf.open(QIODevice::Append) || conf.write(kClusterSettings) < 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot configure the template cluster"));
    conf.close();

    // Start it once to create the database and apply the regional migrations, so every region
    // copied from it starts ready.
    Cluster cluster;
    cluster.regionId = kTemplate;
    cluster.dataDir = templateDir;
    if (auto s = startCluster(cluster); !s)
        return s.error().context(QStringLiteral("template cluster"));
    Status prepared = [&]() -> Status {
        try {
            const std::string base = QStringLiteral("host=127.0.0.1 port=%1 user=%2 password='%3'")
                                         .arg(cluster.port)
                                         .arg(kSuperuser, m_password)
                                         .toStdString();
            {
                pqxx::connection admin(base + " dbname=postgres");
                pqxx::nontransaction create(admin);
                create.exec("CREATE DATABASE " + create.quote_name(kDatabase.toStdString()));
            }
            pqxx::connection db(base + " dbname=" + kDatabase.toStdString());
            auto applied = MigrationSet::regional().apply(db);
            if (!applied)
                return applied.error();
            return {};
        } catch (const std::exception &e) {
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("preparing the template cluster failed: ") +
                                 QString::fromUtf8(e.what()).trimmed());
        }
    }();
    const ProcessResult stopped =
        runTool(m_binDir + QStringLiteral("/pg_ctl"),
                {QStringLiteral("stop"), QStringLiteral("-D"), templateDir, QStringLiteral("-m"),
                 QStringLiteral("fast"), QStringLiteral("-w")},
                m_runAsUid, m_runAsGid, clustersDir, 60'000);
    if (!prepared)
        return prepared;
    if (stopped.exitCode != 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("stopping the template cluster failed: ") + stopped.output);
    // The template's own postmaster.pid and port must not travel into the copies.
    QFile::remove(templateDir + QLatin1Char('/') + kPortFile);
    // initdb ran with --no-sync; make the finished template durable before marking it ready.
    const ProcessResult synced =
        runTool(m_binDir + QStringLiteral("/initdb"),
                {QStringLiteral("--sync-only"), QStringLiteral("-D"), templateDir}, m_runAsUid,
                m_runAsGid, clustersDir, 120'000);
    if (synced.exitCode != 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("syncing the template cluster failed: ") + synced.output);
    return writeFile(marker, "1\n", QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

Status EmbeddedClusters::ensureRegionDataDir(Cluster &cluster)
{
    if (QFileInfo::exists(cluster.dataDir + QStringLiteral("/PG_VERSION")))
        return {};
    const QString clustersDir = m_options.stateDir + QStringLiteral("/clusters");
    const QString partial = cluster.dataDir + QStringLiteral(".partial");
    QDir(partial).removeRecursively();
    QDir(cluster.dataDir).removeRecursively();
    // Copy to a side name and rename: a crash mid-copy never leaves a half data directory.
    const ProcessResult copy =
        runTool(QStringLiteral("cp"),
                {QStringLiteral("-a"), clustersDir + QLatin1Char('/') + kTemplate, partial},
                m_runAsUid, m_runAsGid, clustersDir, 120'000);
    if (copy.exitCode != 0)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("copying the template for %1 failed: %2")
                             .arg(cluster.regionId, copy.output));
    if (!QDir().rename(partial, cluster.dataDir))
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("cannot move %1 into place").arg(partial));
    std::lock_guard lock(m_reportMutex);
    ++m_report.createdRegions;
    return {};
}

Status EmbeddedClusters::startCluster(Cluster &cluster)
{
    const QString pidFile = cluster.dataDir + QStringLiteral("/postmaster.pid");
    const QString logPath =
        m_options.stateDir + QStringLiteral("/logs/") + cluster.regionId + QStringLiteral(".log");
    const QString workDir = m_options.stateDir + QStringLiteral("/clusters");

    // A postmaster.pid may be left by a crashed run: either its postmaster is still running
    // (adopt it) or the pid is dead or belongs to another process now (remove the file).
    if (QFile::exists(pidFile)) {
        const PidFile left = readPidFile(cluster.dataDir);
        const qint64 pid = left.pid;
        if (isPostmasterOf(pid, cluster.dataDir)) {
            cluster.port = left.port;
            cluster.running = true;
            std::lock_guard lock(m_reportMutex);
            ++m_report.adoptedRegions;
            m_options.progress(
                QStringLiteral("%1: adopted the postmaster (pid %2) a previous run left on port %3")
                    .arg(cluster.regionId)
                    .arg(pid)
                    .arg(cluster.port));
            return {};
        }
        QFile::remove(pidFile);
        std::lock_guard lock(m_reportMutex);
        ++m_report.recoveredStalePids;
        m_options.progress(
            QStringLiteral("%1: removed a stale postmaster.pid (pid %2 is not its postmaster)")
                .arg(cluster.regionId)
                .arg(pid));
    }

    const quint16 previous =
        quint16(readSmallFile(cluster.dataDir + QLatin1Char('/') + kPortFile).trimmed().toUInt());
    QString lastFailure;
    for (int attempt = 0; attempt < kStartAttempts; ++attempt) {
        quint16 port = previous;
        if (port == 0 || attempt > 0 || !portIsFree(port)) {
            port = freeLoopbackPort();
            if (previous != 0 && attempt == 0) {
                std::lock_guard lock(m_reportMutex);
                ++m_report.movedPorts;
                m_options.progress(QStringLiteral("%1: port %2 is taken now; moving to %3")
                                       .arg(cluster.regionId)
                                       .arg(previous)
                                       .arg(port));
            }
        }
        if (port == 0)
            return makeError(ErrorCode::Unavailable, QStringLiteral("no free loopback port"));
        const ProcessResult started =
            runTool(m_binDir + QStringLiteral("/pg_ctl"),
                    {QStringLiteral("start"), QStringLiteral("-D"), cluster.dataDir,
                     QStringLiteral("-l"), logPath, QStringLiteral("-w"), QStringLiteral("-t"),
                     QStringLiteral("60"), QStringLiteral("-o"), QStringLiteral("-p %1").arg(port)},
                    m_runAsUid, m_runAsGid, workDir, 90'000);
        if (started.exitCode == 0) {
            cluster.port = port;
            cluster.running = true;
            if (cluster.regionId != kTemplate) {
                if (auto s = writeFile(cluster.dataDir + QLatin1Char('/') + kPortFile,
                                       QByteArray::number(port) + '\n',
                                       QFileDevice::ReadOwner | QFileDevice::WriteOwner);
                    !s)
                    return s;
            }
            m_options.progress(
                QStringLiteral("%1: PostgreSQL on 127.0.0.1:%2").arg(cluster.regionId).arg(port));
            return {};
        }
        lastFailure = logTail(logPath);
        // A port grabbed between our check and the postmaster's bind, or shared memory still held
        // by the children of a killed postmaster: both pass with a retry.
        qCWarning(lcCluster).noquote()
            << cluster.regionId << "start attempt" << attempt + 1 << "failed:" << lastFailure;
        QThread::msleep(300 * (attempt + 1));
    }
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("%1: PostgreSQL did not start (log %2): %3")
                         .arg(cluster.regionId, logPath, lastFailure));
}

Status EmbeddedClusters::stop()
{
    if (m_stopped)
        return {};
    m_stopped = true;
    std::vector<std::future<ProcessResult>> stops;
    std::vector<QString> names;
    for (Cluster &cluster : m_clusters) {
        if (!cluster.running)
            continue;
        cluster.running = false;
        names.push_back(cluster.regionId);
        stops.push_back(std::async(std::launch::async, [this, dir = cluster.dataDir] {
            if (!isPostmasterOf(readPidFile(dir).pid, dir))
                return ProcessResult{0, {}, true}; // already gone (killed or crashed)
            return runTool(m_binDir + QStringLiteral("/pg_ctl"),
                           {QStringLiteral("stop"), QStringLiteral("-D"), dir, QStringLiteral("-m"),
                            QStringLiteral("fast"), QStringLiteral("-w"), QStringLiteral("-t"),
                            QStringLiteral("30")},
                           m_runAsUid, m_runAsGid, m_options.stateDir + QStringLiteral("/clusters"),
                           45'000);
        }));
    }
    QStringList failed;
    for (size_t i = 0; i < stops.size(); ++i) {
        const ProcessResult result = stops[i].get();
        if (result.exitCode != 0)
            failed << names[i] + QStringLiteral(" (") + result.output + QLatin1Char(')');
    }
    if (m_lock)
        m_lock->unlock();
    if (!failed.isEmpty())
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("could not stop: ") + failed.join(QStringLiteral(", ")));
    if (!names.empty())
        m_options.progress(QStringLiteral("stopped %1 regional cluster(s)").arg(names.size()));
    return {};
}

EmbeddedClusters::~EmbeddedClusters()
{
    if (auto s = stop(); !s)
        qCWarning(lcCluster).noquote() << s.error().message;
}

namespace {

RegionEndpoint embeddedEndpoint(const QString &regionId, quint16 port,
                                const QString &superuserPassword, const QString &servicePassword)
{
    RegionEndpoint endpoint;
    endpoint.regionId = regionId;
    endpoint.dsn = QStringLiteral("host=127.0.0.1 port=%1 dbname=%2 user=%3")
                       .arg(port)
                       .arg(kDatabase, kServiceUser);
    endpoint.password = servicePassword;
    endpoint.owner.user = kSuperuser;
    endpoint.owner.password = superuserPassword;
    return endpoint;
}

} // namespace

Result<RegionEndpoint> EmbeddedClusters::runningEndpoint(const QString &stateDir,
                                                         const QString &regionId)
{
    const QString dataDir = QDir(stateDir).absolutePath() + QStringLiteral("/clusters/") + regionId;
    const PidFile running = readPidFile(dataDir);
    if (!isPostmasterOf(running.pid, dataDir))
        return makeError(
            ErrorCode::NotFound,
            QStringLiteral("the %1 cluster in %2 is not running").arg(regionId, stateDir));
    const QString secrets = QDir(stateDir).absolutePath() + QStringLiteral("/secrets/");
    const QString password = readSmallFile(secrets + QStringLiteral("superuser")).trimmed();
    const QString servicePassword = readSmallFile(secrets + QStringLiteral("service")).trimmed();
    if (password.isEmpty() || servicePassword.isEmpty())
        return makeError(
            ErrorCode::Unavailable,
            QStringLiteral("cannot read the passwords in %1/secrets (run as the user that started "
                           "the demo)")
                .arg(stateDir));
    return embeddedEndpoint(regionId, running.port, password, servicePassword);
}

std::vector<RegionEndpoint> EmbeddedClusters::endpoints() const
{
    std::vector<RegionEndpoint> result;
    for (const Cluster &cluster : m_clusters)
        result.push_back(
            embeddedEndpoint(cluster.regionId, cluster.port, m_password, m_servicePassword));
    return result;
}

qint64 EmbeddedClusters::postmasterPid(const QString &regionId) const
{
    for (const Cluster &cluster : m_clusters) {
        if (cluster.regionId == regionId)
            return readPidFile(cluster.dataDir).pid;
    }
    return -1;
}

} // namespace upcoach::storage
