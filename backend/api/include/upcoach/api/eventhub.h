// A small topic → subscribers broadcaster for live views (WebSocket streams and, later, any
// in-process listener). Publishers hand over finished messages; the hub keeps the latest
// message per topic ("retained") so a new subscriber gets the current state at once and then
// every later message, in publish order.
//
// Thread model: the hub lives on one thread (the server's event loop). publish() may be called
// from any thread (it is marshalled onto the hub's thread); subscribe()/unsubscribe() and the
// deliveries happen on the hub's thread only. Deliveries never block.
#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <functional>
#include <map>

namespace upcoach::api {

class EventHub final : public QObject
{
public:
    using Delivery = std::function<void(const QString &topic, const QByteArray &message)>;
    enum class Retain
    {
        Yes,
        No
    };

    explicit EventHub(QObject *parent = nullptr);

    // Subscribes `owner` to `topic`; the subscription ends with unsubscribe() or when owner is
    // destroyed. The retained message of the topic, if any, is delivered before this returns.
    quint64 subscribe(const QString &topic, QObject *owner, Delivery delivery);
    void unsubscribe(quint64 subscription);

    // Delivers to every current subscriber of the topic. Callable from any thread.
    void publish(const QString &topic, const QByteArray &message, Retain retain = Retain::Yes);

    QByteArray retained(const QString &topic) const { return m_retained.value(topic); }
    int subscriberCount(const QString &topic) const;
    int subscriberCount() const { return int(m_subscribers.size()); }

private:
    struct Subscriber
    {
        QString topic;
        QPointer<QObject> owner;
        Delivery delivery;
    };

    void deliver(const QString &topic, const QByteArray &message);

    quint64 m_nextId = 1;
    std::map<quint64, Subscriber> m_subscribers; // ordered by id: subscription order
    QHash<QString, QByteArray> m_retained;
};

} // namespace upcoach::api
