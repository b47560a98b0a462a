// Cold first start and warm restart of the embedded regional clusters, against a reference
// measured in the same run: what the template copy replaces, one initdb per region (run in
// parallel, then started), as a launcher without a template would do.
//
//   build/tests/bench/bench_cluster_start [--regions N] [--rounds R]
#include "upcoach/storage/bootstrap.h"
#include "upcoach/storage/embeddedclusters.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <future>
#include <sys/stat.h>
#include <unistd.h>

using namespace upcoach;

namespace {

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

// One region without a template: initdb, start, create the database, stop. Returns ms or -1.
qint64 referenceRegion(const QString &dir, int index)
{
    const QString bin = QStringLiteral("/usr/lib/postgresql/15/bin/");
    const QString data = dir + QStringLiteral("/ref-%1").arg(index);
    auto run = [](QStringList command) {
        if (::geteuid() == 0)
            command = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"),
                                  QStringLiteral("postgres"), QStringLiteral("--")} +
                      command;
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(command.takeFirst(), command);
        p.waitForFinished(120'000);
        if (p.exitCode() != 0)
            std::fprintf(stderr, "reference step failed: %s\n", p.readAll().constData());
        return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    };
    QElapsedTimer timer;
    timer.start();
    QTcpServer probe; // a free loopback port for this reference cluster
    probe.listen(QHostAddress::LocalHost, 0);
    const QString port = QString::number(probe.serverPort());
    probe.close();
    bool ok = run({bin + QStringLiteral("initdb"), QStringLiteral("-D"), data, QStringLiteral("-U"),
                   QStringLiteral("upcoach"), QStringLiteral("--auth=trust"), QStringLiteral("-E"),
                   QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8"),
                   QStringLiteral("--no-sync"), QStringLiteral("--no-instructions")}) &&
              run({bin + QStringLiteral("pg_ctl"), QStringLiteral("start"), QStringLiteral("-D"),
                   data, QStringLiteral("-w"), QStringLiteral("-l"), data + QStringLiteral(".log"),
                   QStringLiteral("-o"),
                   QStringLiteral("-p %1 -k '' -c listen_addresses=127.0.0.1").arg(port)}) &&
              run({QStringLiteral("/usr/bin/psql"), QStringLiteral("-h"),
                   QStringLiteral("127.0.0.1"), QStringLiteral("-p"), port, QStringLiteral("-U"),
                   QStringLiteral("upcoach"), QStringLiteral("-d"), QStringLiteral("postgres"),
                   QStringLiteral("-qc"), QStringLiteral("CREATE DATABASE upcoach")});
    const qint64 elapsed = timer.elapsed();
    run({bin + QStringLiteral("pg_ctl"), QStringLiteral("stop"), QStringLiteral("-D"), data,
         QStringLiteral("-m"), QStringLiteral("immediate")});
    return ok ? elapsed : -1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int regions = args.contains(QStringLiteral("--regions"))
                            ? args.value(args.indexOf(QStringLiteral("--regions")) + 1).toInt()
                            : 9;
    const int rounds = args.contains(QStringLiteral("--rounds"))
                           ? args.value(args.indexOf(QStringLiteral("--rounds")) + 1).toInt()
                           : 3;

    QTemporaryDir dir(QStringLiteral("/tmp/upcoach-bench-XXXXXX"));
    ::chmod(QFile::encodeName(dir.path()).constData(), 0755);
    storage::EmbeddedOptions options;
    options.stateDir = dir.path() + QStringLiteral("/state");
    options.regions = RegionCatalog::builtin().firstN(regions);
    options.progress = [](const QString &) {};

    // Cold: empty state directory to every region migrated and ready.
    QElapsedTimer timer;
    timer.start();
    auto cold = storage::EmbeddedClusters::start(options);
    if (!cold || !storage::prepareDatabases(cold.value()->endpoints(),
                                            cold.value()->endpoints().front().regionId)) {
        std::fprintf(stderr, "cold start failed: %s\n",
                     cold ? "prepare" : qPrintable(cold.error().message));
        return 1;
    }
    const double coldMs = double(timer.elapsed());
    QElapsedTimer stopTimer;
    stopTimer.start();
    (void)cold.value()->stop();
    std::vector<double> stopMs{double(stopTimer.elapsed())};
    cold.value().reset();

    // Warm: the same state directory again.
    std::vector<double> warmMs;
    for (int i = 0; i < rounds; ++i) {
        timer.restart();
        auto warm = storage::EmbeddedClusters::start(options);
        if (!warm || !storage::prepareDatabases(warm.value()->endpoints(),
                                                warm.value()->endpoints().front().regionId)) {
            std::fprintf(stderr, "warm start failed\n");
            return 1;
        }
        warmMs.push_back(double(timer.elapsed()));
        stopTimer.restart();
        (void)warm.value()->stop();
        stopMs.push_back(double(stopTimer.elapsed()));
    }

    // Reference: one initdb per region, all regions in parallel, as without a template.
    if (::geteuid() == 0)
        QProcess::execute(QStringLiteral("chown"), {QStringLiteral("postgres"), dir.path()});
    timer.restart();
    std::vector<std::future<qint64>> refs;
    for (int i = 0; i < regions; ++i)
        refs.push_back(std::async(std::launch::async, referenceRegion, dir.path(), i));
    bool refOk = true;
    for (auto &r : refs)
        refOk = r.get() >= 0 && refOk;
    const double referenceMs = double(timer.elapsed());

    QJsonObject out{
        {QStringLiteral("benchmark"), QStringLiteral("embedded_cluster_start")},
        {QStringLiteral("regions"), regions},
        {QStringLiteral("cold_start_ms"), coldMs},
        {QStringLiteral("warm_start_ms_median"), median(warmMs)},
        {QStringLiteral("warm_start_ms"), QJsonArray::fromVariantList([&] {
             QVariantList l;
             for (double v : warmMs)
                 l << v;
             return l;
         }())},
        {QStringLiteral("stop_ms_median"), median(stopMs)},
        {QStringLiteral("reference"),
         QStringLiteral(
             "initdb + start + CREATE DATABASE per region, regions in parallel, no template")},
        {QStringLiteral("reference_ms"), refOk ? referenceMs : -1},
        {QStringLiteral("cold_vs_reference"), refOk ? coldMs / referenceMs : -1},
        {QStringLiteral("cores"), QThread::idealThreadCount()},
    };
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return 0;
}
