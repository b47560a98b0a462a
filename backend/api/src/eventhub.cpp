#include "upcoach/api/eventhub.h"

#include <QThread>
#include <vector>

namespace upcoach::api {

EventHub::EventHub(QObject *parent)
    : QObject(parent)
{}

quint64 EventHub::subscribe(const QString &topic, QObject *owner, Delivery delivery)
{
    Q_ASSERT(QThread::currentThread() == thread());
    Q_ASSERT(owner);
    const quint64 id = m_nextId++;
    m_subscribers.emplace(id, Subscriber{topic, owner, std::move(delivery)});
    connect(owner, &QObject::destroyed, this, [this, id] { unsubscribe(id); });
    const auto retained = m_retained.constFind(topic);
    if (retained != m_retained.cend()) {
        const QByteArray message = retained.value(); // the delivery may publish and detach it
        const auto it = m_subscribers.find(id);
        if (it != m_subscribers.end() && it->second.owner)
            it->second.delivery(topic, message);
    }
    return id;
}

void EventHub::unsubscribe(quint64 subscription)
{
    m_subscribers.erase(subscription);
}

void EventHub::publish(const QString &topic, const QByteArray &message, Retain retain)
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(
            this, [this, topic, message, retain] { publish(topic, message, retain); },
            Qt::QueuedConnection);
        return;
    }
    if (retain == Retain::Yes)
        m_retained.insert(topic, message);
    deliver(topic, message);
}

int EventHub::subscriberCount(const QString &topic) const
{
    int count = 0;
    for (const auto &[id, subscriber] : m_subscribers)
        count += subscriber.topic == topic ? 1 : 0;
    return count;
}

void EventHub::deliver(const QString &topic, const QByteArray &message)
{
    // A delivery may subscribe or unsubscribe (a client closing on a full buffer), so walk a
    // copy of the ids and look each one up again.
    std::vector<quint64> ids;
    for (const auto &[id, subscriber] : m_subscribers) {
        if (subscriber.topic == topic)
            ids.push_back(id);
    }
    for (const quint64 id : ids) {
        const auto it = m_subscribers.find(id);
        if (it == m_subscribers.end() || !it->second.owner)
            continue;
        const Delivery delivery = it->second.delivery; // survives an unsubscribe inside the call
        delivery(topic, message);
    }
}

} // namespace upcoach::api
