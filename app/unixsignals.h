// SIGINT/SIGTERM/SIGHUP turned into a Qt signal on the main thread (self-pipe), so shutdown runs
// as ordinary event-loop code instead of inside a signal handler.
#pragma once

#include <QObject>

namespace upcoach::app {

class UnixSignals final : public QObject
{
    Q_OBJECT
public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);
};

} // namespace upcoach::app
