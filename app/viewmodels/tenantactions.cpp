#include "tenantactions.h"

#include "upcoach/tenancy/keyrotation.h"
#include "upcoach/tenancy/registry.h"

#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>
#include <QUuid>
#include <QtConcurrent/QtConcurrentRun>
#include <cmath>

namespace upcoach::viewmodels {

namespace {

// The lifecycle actions an operator may take, in the order the page offers them.
constexpr tenancy::LifecycleAction offeredActions[] = {
    tenancy::LifecycleAction::Activate,
    tenancy::LifecycleAction::Reactivate,
    tenancy::LifecycleAction::Suspend,
    tenancy::LifecycleAction::Cancel,
};

std::optional<tenancy::LifecycleAction> offeredAction(const QString &name)
{
    const auto action = tenancy::parseAction(name);
    if (!action)
        return std::nullopt;
    for (tenancy::LifecycleAction offered : offeredActions) {
        if (offered == *action)
            return action;
    }
    return std::nullopt;
}

tenancy::ActorContext consoleActor(const TenantBackend &backend)
{
    tenancy::ActorContext actor;
    actor.actor = backend.actor;
    actor.requestId = QStringLiteral("console-") + QUuid::createUuid().toString(QUuid::Id128);
    return actor;
}

// The configuration keys and their kinds (tenantsettings.h).
QString configKind(const QString &key)
{
    static const QHash<QString, QString> kinds = {
        {QStringLiteral("locale"), QStringLiteral("text")},
        {QStringLiteral("timezone"), QStringLiteral("text")},
        {QStringLiteral("weekStartsOn"), QStringLiteral("text")},
        {QStringLiteral("sessionLengthMinutes"), QStringLiteral("integer")},
        {QStringLiteral("dataRetentionDays"), QStringLiteral("integer")},
        {QStringLiteral("mfaRequired"), QStringLiteral("boolean")},
        {QStringLiteral("ssoRequired"), QStringLiteral("boolean")},
        {QStringLiteral("allowedEmailDomains"), QStringLiteral("list")},
        {QStringLiteral("brandColor"), QStringLiteral("text")},
    };
    return kinds.value(key);
}

// A whole number as typed: plain digits, or with the current locale's group separators.
std::optional<qint64> parseWhole(const QString &text)
{
    bool ok = false;
    qint64 value = text.toLongLong(&ok);
    if (ok)
        return value;
    value = QLocale().toLongLong(text, &ok);
    if (ok)
        return value;
    return std::nullopt;
}

} // namespace

qint64 parseByteSize(const QString &text)
{
    static const QRegularExpression size(
        QStringLiteral("^\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?i?b?)\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = size.match(text);
    if (!match.hasMatch())
        return -1;
    const double number = match.captured(1).toDouble();
    const QString unit = match.captured(2).toLower();
    if (unit.isEmpty() || unit == QLatin1String("b")) {
        if (match.captured(1).contains(QLatin1Char('.')))
            return -1;
        return qint64(number);
    }
    const bool binary = unit.contains(QLatin1Char('i'));
    if (binary && !unit.endsWith(QLatin1Char('b')))
        return -1; // "Gi" alone
    const int power = int(QStringLiteral("kmgtp").indexOf(unit.front())) + 1;
    const double bytes = number * std::pow(binary ? 1024.0 : 1000.0, power);
    if (bytes > 9.0e18)
        return -1;
    return qint64(std::llround(bytes));
}

TenantSettingsEdit parseTenantSettingsEdit(const QVariantMap &config, const QVariantMap &limits,
                                           const QVariantMap &features)
{
    TenantSettingsEdit edit;
    for (auto it = config.begin(); it != config.end(); ++it) {
        const QString path = QStringLiteral("config.") + it.key();
        const QString text = it.value().toString().trimmed();
        if (text.isEmpty())
            continue; // the default
        const QString kind = configKind(it.key());
        if (kind.isEmpty()) {
            edit.errors.insert(path, QStringLiteral("unknown setting"));
        } else if (kind == QLatin1String("boolean")) {
            if (text == QLatin1String("true") || text == QLatin1String("false"))
                edit.config.insert(it.key(), text == QLatin1String("true"));
            else
                edit.errors.insert(path, QStringLiteral("must be true or false"));
        } else if (kind == QLatin1String("integer")) {
            if (auto number = parseWhole(text))
                edit.config.insert(it.key(), double(*number));
            else
                edit.errors.insert(path, QStringLiteral("must be a whole number"));
        } else if (kind == QLatin1String("list")) {
            static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
            QJsonArray items;
            for (const QString &item : text.split(separators, Qt::SkipEmptyParts))
                items.append(item);
            edit.config.insert(it.key(), items);
        } else {
            edit.config.insert(it.key(), text);
        }
    }
    for (auto it = limits.begin(); it != limits.end(); ++it) {
        const QString path = QStringLiteral("limits.") + it.key();
        const QString text = it.value().toString().trimmed();
        if (text.isEmpty())
            continue; // the plan's
        if (it.key() == QLatin1String("storageBytes")) {
            const qint64 bytes = parseByteSize(text);
            if (bytes < 0)
                edit.errors.insert(path, QStringLiteral("must be a size such as 50 GiB"));
            else
                edit.limits.insert(it.key(), double(bytes));
        } else if (auto number = parseWhole(text)) {
            edit.limits.insert(it.key(), double(*number));
        } else {
            edit.errors.insert(path, QStringLiteral("must be a whole number"));
        }
    }
    for (auto it = features.begin(); it != features.end(); ++it) {
        const QString choice = it.value().toString();
        if (choice == QLatin1String("on") || choice == QLatin1String("true"))
            edit.features.insert(it.key(), true);
        else if (choice == QLatin1String("off") || choice == QLatin1String("false"))
            edit.features.insert(it.key(), false);
        else if (!choice.isEmpty() && choice != QLatin1String("plan"))
            edit.errors.insert(QStringLiteral("features.") + it.key(),
                               QStringLiteral("must be on, off or the plan's"));
    }
    return edit;
}

TenantActions::TenantActions(QObject *parent)
    : QObject(parent)
{
    m_threads.setMaxThreadCount(1);
}

TenantActions::~TenantActions()
{
    m_threads.waitForDone();
}

void TenantActions::setBackend(const TenantBackend &backend)
{
    m_backend = backend;
    Q_EMIT readyChanged();
}

QStringList TenantActions::actionsFor(const QString &state) const
{
    QStringList actions;
    const auto from = tenancy::parseState(state);
    if (!from)
        return actions;
    for (tenancy::LifecycleAction action : offeredActions) {
        if (tenancy::nextState(QString(), *from, action))
            actions << tenancy::actionName(action);
    }
    return actions;
}

bool TenantActions::allows(const QString &state, const QString &action) const
{
    if (action == QLatin1String("rotate-key"))
        return tenancy::parseState(state).has_value() && state != QLatin1String("deleted");
    return actionsFor(state).contains(action);
}

bool TenantActions::rotateDataKey(const QString &slug)
{
    if (busy() || !ready() || slug.isEmpty())
        return false;
    tenancy::TenantKeyRotation *rotation = m_backend.keyRotation;
    const tenancy::ActorContext actor = consoleActor(m_backend);
    run(QStringLiteral("rotate-key"), [=](Outcome &outcome) {
        auto rotated = rotation->rotate(slug, actor);
        if (rotated) {
            outcome.changed << slug;
            return;
        }
        outcome.failed = 1;
        outcome.error = rotated.error().message;
    });
    return true;
}

bool TenantActions::transition(const QString &slug, const QString &action, double version)
{
    return transitionMany(action, {QVariantMap{{QStringLiteral("slug"), slug},
                                               {QStringLiteral("state"), QString()},
                                               {QStringLiteral("version"), version}}});
}

bool TenantActions::transitionMany(const QString &action, const QVariantList &tenants)
{
    const auto lifecycle = offeredAction(action);
    if (!lifecycle || busy() || !ready() || tenants.isEmpty())
        return false;
    struct Target
    {
        QString slug;
        std::optional<tenancy::TenantState> state; // as the operator saw it; unknown: ask
        std::optional<qint64> version;
    };
    std::vector<Target> targets;
    for (const QVariant &item : tenants) {
        const QVariantMap map = item.toMap();
        Target target{map.value(QStringLiteral("slug")).toString(),
                      tenancy::parseState(map.value(QStringLiteral("state")).toString()),
                      std::nullopt};
        if (map.value(QStringLiteral("version")).toDouble() > 0)
            target.version = qint64(map.value(QStringLiteral("version")).toDouble());
        targets.push_back(target);
    }
    tenancy::TenantRegistry *registry = m_backend.registry;
    const tenancy::ActorContext actor = consoleActor(m_backend);
    run(action, [=](Outcome &outcome) {
        for (const Target &target : targets) {
            // What the operator's view already says cannot happen is not attempted (and not
            // recorded as a refused change); the registry re-checks everything else.
            if (target.state && !tenancy::nextState(target.slug, *target.state, *lifecycle)) {
                ++outcome.skipped;
                continue;
            }
            auto moved = registry->transition(target.slug, *lifecycle, actor, target.version);
            if (moved) {
                outcome.changed << target.slug;
            } else {
                ++outcome.failed;
                if (outcome.error.isEmpty())
                    outcome.error = moved.error().message;
            }
        }
    });
    return true;
}

bool TenantActions::saveSettings(const QString &slug, double version, const QVariantMap &config,
                                 const QVariantMap &limits, const QVariantMap &features)
{
    if (busy() || !ready() || slug.isEmpty())
        return false;
    TenantSettingsEdit edit = parseTenantSettingsEdit(config, limits, features);
    if (!edit.errors.isEmpty()) {
        Outcome outcome;
        outcome.action = QStringLiteral("settings");
        outcome.failed = 1;
        outcome.fieldErrors = edit.errors;
        outcome.error =
            edit.errors.firstKey() + QStringLiteral(": ") + edit.errors.first().toString();
        apply(outcome);
        return true;
    }
    tenancy::TenantPatch patch;
    patch.config = edit.config;
    patch.limits = edit.limits;
    patch.features = edit.features;
    std::optional<qint64> expected;
    if (version > 0)
        expected = qint64(version);
    tenancy::TenantRegistry *registry = m_backend.registry;
    const tenancy::ActorContext actor = consoleActor(m_backend);
    run(QStringLiteral("settings"), [=](Outcome &outcome) {
        auto updated = registry->update(slug, patch, actor, expected);
        if (updated) {
            outcome.changed << slug;
            return;
        }
        outcome.failed = 1;
        outcome.error = updated.error().message;
        const FieldMessage field = splitFieldMessage(outcome.error);
        if (!field.field.isEmpty())
            outcome.fieldErrors.insert(field.field, field.message);
    });
    return true;
}

void TenantActions::clearErrors()
{
    if (m_lastError.isEmpty() && m_fieldErrors.isEmpty())
        return;
    m_lastError.clear();
    m_fieldErrors.clear();
    Q_EMIT resultChanged();
}

template<typename Work> void TenantActions::run(const QString &action, Work work)
{
    setBusy(true);
    QtConcurrent::run(&m_threads, [action, work]() {
        Outcome outcome;
        outcome.action = action;
        work(outcome);
        return outcome;
    }).then(this, [this](const Outcome &outcome) { apply(outcome); });
}

void TenantActions::apply(const Outcome &outcome)
{
    m_lastAction = outcome.action;
    m_lastError = outcome.error;
    m_fieldErrors = outcome.fieldErrors;
    setBusy(false);
    Q_EMIT resultChanged();
    Q_EMIT finished(outcome.action, outcome.failed == 0, outcome.changed, outcome.failed,
                    outcome.skipped, outcome.error);
}

void TenantActions::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged();
}

} // namespace upcoach::viewmodels
