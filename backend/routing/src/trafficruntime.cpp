#include "upcoach/routing/trafficruntime.h"

#include "upcoach/compliance/auditlog.h"
#include "upcoach/core/crypto.h"
#include "upcoach/core/logging.h"
#include "upcoach/routing/countryatlas.h"
#include "upcoach/routing/dnspublisher.h"
#include "upcoach/routing/geoip.h"
#include "upcoach/routing/latencytracker.h"
#include "upcoach/routing/synthetictraffic.h"

#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <mutex>

namespace upcoach::routing {

namespace {

constexpr qsizetype kMaxTenantSlug = 63;
constexpr qsizetype kMaxRoutePath = 2048;
constexpr auto kTenantRefresh = std::chrono::seconds(30);

using TenantMap = std::unordered_map<std::string, RegionMask, StringHash, std::equal_to<>>;

} // namespace

struct TrafficRuntime::Impl
{
    TrafficRuntime *owner = nullptr;
    TrafficRuntimeDeps deps;
    RoutingSettings settings;
    const Clock &clock;

    std::unique_ptr<GeoIpDatabase> geoip;
    std::unique_ptr<Router> router;
    std::unique_ptr<HealthChecker> checker;
    std::unique_ptr<TrafficControls> controls;
    std::unique_ptr<TrafficStats> stats;
    std::unique_ptr<LatencyTracker> latency;
    std::unique_ptr<SyntheticTraffic> synthetic;
    std::unique_ptr<DnsPublisher> dns;

    // Periodic work that blocks (database polls, DNS updates) runs on this thread.
    QThread thread;
    QObject *worker = nullptr;

    mutable std::mutex mutex; // everything below
    std::shared_ptr<const TrafficPolicy> policy;
    TrafficOverrides overrides;
    std::vector<TenantResidency> tenants;
    std::shared_ptr<const TenantMap> tenantMap = std::make_shared<TenantMap>();
    std::array<Unavailability, kMaxRegions> health{}; // Unhealthy from the checker
    std::array<double, kMaxRegions> p95{};
    std::shared_ptr<const LatencyTable> networkLatency;
    std::shared_ptr<const LatencyTable> countryLatency;
    QByteArray affinityKey;
    quint64 generation = 0;
    RegionMask publishedAvailable = 0;
    QDateTime dnsAt;
    QString dnsError;
    bool started = false;

    explicit Impl(const Clock &c)
        : clock(c)
    {}

    std::vector<std::pair<double, double>> regionLocations() const
    {
        std::vector<std::pair<double, double>> locations;
        for (const QString &id : policy->regions) {
            const Region *region = deps.catalog->find(id);
            locations.emplace_back(region ? region->latitude : 0.0,
                                   region ? region->longitude : 0.0);
        }
        return locations;
    }

    // Under `mutex`.
    RouteSnapshotInputs inputsLocked() const
    {
        RouteSnapshotInputs in;
        in.policy = policy;
        in.atlas = &CountryAtlas::builtin();
        for (const auto &[lat, lon] : regionLocations()) {
            in.regionLatitude.push_back(lat);
            in.regionLongitude.push_back(lon);
        }
        for (int r = 0; r < static_cast<int>(policy->regions.size()); ++r) {
            auto &state = in.regionState[static_cast<std::size_t>(r)];
            state.unavailable = health[static_cast<std::size_t>(r)];
            state.p95Ms = p95[static_cast<std::size_t>(r)];
        }
        for (const RegionOverride &o : overrides.regions) {
            const int r = policy->regionIndex(o.regionId);
            if (r < 0)
                continue;
            auto &state = in.regionState[static_cast<std::size_t>(r)];
            // An operator's decision is the reason shown even when the checks fail too.
            state.unavailable = o.failedOver ? Unavailability::FailedOver : Unavailability::Drained;
            state.failoverTarget = policy->regionIndex(o.failoverTarget);
        }
        for (const WeightOverride &o : overrides.weights) {
            std::array<std::uint32_t, kMaxRegions> weights{};
            for (const auto &[regionId, weight] : o.weights) {
                const int r = policy->regionIndex(regionId);
                if (r >= 0)
                    weights[static_cast<std::size_t>(r)] = weight;
            }
            in.weightOverrides.emplace_back(o.rule, weights);
        }
        in.tenantRegions = tenantMap;
        in.networkLatency = networkLatency;
        in.countryLatency = countryLatency;
        in.affinityKey = affinityKey;
        in.generation = generation;
        return in;
    }

    // Builds and publishes a snapshot from the current inputs. Any thread.
    void republish(bool notify)
    {
        RegionMask available = 0;
        bool availabilityChanged = false;
        {
            std::lock_guard lock(mutex);
            if (!policy)
                return;
            ++generation;
            auto snapshot = buildSnapshot(inputsLocked());
            for (int r = 0; r < static_cast<int>(policy->regions.size()); ++r) {
                if (snapshotRegionState(*snapshot, r).unavailable == Unavailability::None)
                    available |= 1u << r;
            }
            router->publish(std::move(snapshot));
            availabilityChanged = available != publishedAvailable;
            publishedAvailable = available;
        }
        if (availabilityChanged && dns && worker)
            QMetaObject::invokeMethod(
                worker, [this] { publishDns(); }, Qt::QueuedConnection);
        if (notify)
            Q_EMIT owner->stateChanged();
    }

    void onTransition(const HealthTransition &transition)
    {
        {
            std::lock_guard lock(mutex);
            const int r = policy->regionIndex(transition.regionId);
            if (r < 0)
                return;
            const bool unhealthy =
                checker->regionState(transition.regionId) == CheckStatus::Unhealthy;
            health[static_cast<std::size_t>(r)] =
                unhealthy ? Unavailability::Unhealthy : Unavailability::None;
        }
        qCInfo(lcRouting).noquote()
            << "health check" << transition.checkName << "for region" << transition.regionId
            << "is now" << (transition.healthy ? "healthy" : "unhealthy") << "-"
            << transition.reason;
        republish(true);
        if (deps.audit) {
            compliance::AuditRecord record;
            record.actor = QStringLiteral("service:upcoach-ops");
            record.action = transition.healthy ? QStringLiteral("traffic.health.healthy")
                                               : QStringLiteral("traffic.health.unhealthy");
            record.target = QStringLiteral("region:") + transition.regionId;
            record.outcome = QStringLiteral("success");
            record.classification = QStringLiteral("availability");
            record.details = {{QStringLiteral("check"), transition.checkName},
                              {QStringLiteral("reason"), transition.reason.left(500)}};
            // Recorded without waiting: routing has already acted on the transition.
            deps.audit->record(record);
        }
    }

    void pollOverrides()
    {
        if (!controls)
            return;
        auto loaded = controls->load();
        if (!loaded) {
            qCWarning(lcRouting).noquote()
                << "traffic controls could not be read:" << loaded.error().message;
            return;
        }
        {
            std::lock_guard lock(mutex);
            if (loaded.value() == overrides)
                return;
            overrides = loaded.value();
        }
        republish(true);
    }

    void refreshTenants()
    {
        if (!deps.tenants)
            return;
        auto list = deps.tenants();
        if (!list) {
            qCWarning(lcRouting).noquote()
                << "tenant residency could not be read:" << list.error().message;
            return;
        }
        auto map = std::make_shared<TenantMap>();
        {
            std::lock_guard lock(mutex);
            for (const TenantResidency &tenant : list.value()) {
                RegionMask mask = 0;
                for (const QString &regionId : tenant.allowedRegions) {
                    const int r = policy->regionIndex(regionId);
                    if (r >= 0)
                        mask |= 1u << r;
                }
                (*map)[tenant.slug.toStdString()] = mask;
            }
            if (*map == *tenantMap)
                return;
            tenants = list.value();
            tenantMap = map;
        }
        republish(false);
    }

    void refreshMeasurements()
    {
        if (!stats)
            return;
        const TrafficStats::Report report = stats->report(std::chrono::seconds(60));
        {
            std::lock_guard lock(mutex);
            for (const auto &region : report.regions) {
                if (region.region >= 0 && region.region < kMaxRegions)
                    p95[static_cast<std::size_t>(region.region)] = region.p95Ms;
            }
            networkLatency = latency->networkTable();
            countryLatency = latency->countryTable();
        }
        republish(false);
    }

    void publishDns()
    {
        if (!dns || !settings.dns)
            return;
        std::vector<DnsRecordSet> sets;
        {
            std::lock_guard lock(mutex);
            for (const DnsHostname &hostname : settings.dns->hostnames) {
                DnsRecordSet set;
                set.name = hostname.name;
                set.ttl = settings.dns->ttl;
                for (const auto &[regionId, addresses] : hostname.regionAddresses) {
                    const int r = policy->regionIndex(regionId);
                    if (r < 0 || !(publishedAvailable & (1u << r)))
                        continue;
                    for (const QString &address : addresses)
                        set.addresses.emplace_back(address);
                }
                sets.push_back(std::move(set));
            }
        }
        const Status published = dns->publish(sets);
        std::lock_guard lock(mutex);
        dnsAt = clock.now();
        dnsError = published ? QString() : published.error().message;
        if (!published)
            qCWarning(lcRouting).noquote() << "DNS publication failed:" << dnsError;
    }
};

TrafficRuntime::TrafficRuntime(TrafficRuntimeDeps deps, RoutingSettings settings, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Impl>(*deps.clock))
{
    d->owner = this;
    d->deps = std::move(deps);
    d->settings = std::move(settings);
    if (!d->deps.catalog)
        d->deps.catalog = &RegionCatalog::builtin();
}

TrafficRuntime::~TrafficRuntime()
{
    stop();
}

Status TrafficRuntime::start()
{
    if (d->started)
        return {};
    // The policy.
    Result<TrafficPolicy> policy = Error{};
    if (d->settings.policyFile.isEmpty()) {
        policy = defaultTrafficPolicy(*d->deps.catalog);
    } else {
        QFile file(d->settings.policyFile);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Config,
                             QStringLiteral("routing.policy_file: cannot read %1: %2")
                                 .arg(d->settings.policyFile, file.errorString()));
        policy = parseTrafficPolicy(file.read(kMaxPolicyBytes + 1), *d->deps.catalog);
    }
    if (!policy)
        return policy.error();
    // GeoIP.
    const QString geoipPath = d->settings.geoipDatabase.isEmpty() ? GeoIpDatabase::defaultPath()
                                                                  : d->settings.geoipDatabase;
    auto geoip = GeoIpDatabase::open(geoipPath);
    if (!geoip)
        return geoip.error();
    d->geoip = std::move(geoip.value());
    d->router = std::make_unique<Router>(d->geoip.get());
    if (d->deps.control && d->deps.audit)
        d->controls = std::make_unique<TrafficControls>(*d->deps.control, *d->deps.audit, d->clock);
    // With a control plane, every instance signs affinity tokens with the same key (a client
    // pinned by one keeps its region on the others); without one, a key of this process.
    auto key = crypto::randomBytes(32);
    if (!key)
        return key.error();
    if (d->controls) {
        key = d->controls->sharedAffinityKey(key.value());
        if (!key)
            return key.error().context(QStringLiteral("routing: the shared affinity key"));
    }
    const int regionCount = static_cast<int>(policy->regions.size());
    {
        std::lock_guard lock(d->mutex);
        d->policy = std::make_shared<const TrafficPolicy>(std::move(policy.value()));
        d->affinityKey = key.value();
    }
    d->stats = std::make_unique<TrafficStats>(regionCount, d->clock);
    d->latency = std::make_unique<LatencyTracker>();
    if (d->settings.dns) {
        QFile secretFile(d->settings.dns->keySecretFile);
        if (!secretFile.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::Config,
                             QStringLiteral("routing.dns.key_secret_file: cannot read %1: %2")
                                 .arg(d->settings.dns->keySecretFile, secretFile.errorString()));
        auto tsig = parseTsigKey(d->settings.dns->keyName, d->settings.dns->keyAlgorithm,
                                 QString::fromLatin1(secretFile.read(4096).trimmed()));
        if (!tsig)
            return tsig.error().context(QStringLiteral("routing.dns"));
        DnsTarget target;
        target.server = d->settings.dns->server;
        target.port = d->settings.dns->port;
        target.zone = d->settings.dns->zone;
        target.key = tsig.value();
        if (auto valid = validate(target); !valid)
            return valid.error().context(QStringLiteral("routing.dns"));
        d->dns = std::make_unique<DnsPublisher>(target);
    }

    // First state: controls and tenants before the first decision, so a drained region is never
    // routed to by a fresh instance.
    d->pollOverrides();
    d->refreshTenants();
    d->republish(false);

    if (!d->settings.healthChecks.empty()) {
        d->checker = std::make_unique<HealthChecker>(d->settings.healthChecks, d->clock);
        d->checker->setTransitionHandler([impl = d.get()](const HealthTransition &transition) {
            impl->onTransition(transition);
        });
        d->checker->start();
    }

    d->worker = new QObject;
    d->worker->moveToThread(&d->thread);
    connect(&d->thread, &QThread::finished, d->worker, &QObject::deleteLater);
    d->thread.setObjectName(QStringLiteral("traffic-runtime"));
    d->thread.start();
    QMetaObject::invokeMethod(d->worker, [impl = d.get()] {
        const auto every = [impl](std::chrono::milliseconds interval, auto fn) {
            auto *timer = new QTimer(impl->worker);
            timer->setInterval(interval);
            QObject::connect(timer, &QTimer::timeout, impl->worker, fn);
            timer->start();
        };
        every(impl->settings.overridesPollInterval, [impl] { impl->pollOverrides(); });
        every(std::chrono::duration_cast<std::chrono::milliseconds>(kTenantRefresh),
              [impl] { impl->refreshTenants(); });
        every(impl->settings.latencyPublishInterval, [impl] { impl->refreshMeasurements(); });
        if (impl->dns) {
            // Published at start, on every availability change, and each minute in case the
            // zone was edited by hand or an update was lost.
            impl->publishDns();
            every(std::chrono::minutes(1), [impl] { impl->publishDns(); });
        }
    });

    if (d->settings.syntheticTraffic) {
        SyntheticTrafficSettings synthetic;
        synthetic.requestsPerSecond = d->settings.syntheticRequestsPerSecond;
        synthetic.affinityKey = d->affinityKey;
        d->synthetic = std::make_unique<SyntheticTraffic>(
            *d->router, *d->geoip, CountryAtlas::builtin(), *d->stats, *d->latency, synthetic);
        d->synthetic->setRegionLocations(d->regionLocations());
        d->synthetic->start();
    }
    d->started = true;
    qCInfo(lcRouting).noquote() << "traffic policy" << d->policy->name << "with"
                                << d->policy->rules.size() << "rules over" << regionCount
                                << "regions; GeoIP" << d->geoip->databaseType()
                                << d->geoip->buildDate();
    return {};
}

void TrafficRuntime::stop()
{
    if (!d->started)
        return;
    if (d->synthetic)
        d->synthetic->stop();
    if (d->checker)
        d->checker->stop();
    d->thread.quit();
    d->thread.wait();
    d->worker = nullptr;
    d->started = false;
}

Result<RouteAnswer> TrafficRuntime::route(const RouteQuery &query) const
{
    if (!d->router)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the traffic layer is not running"));
    const auto address = IpAddress::parse(query.ip);
    if (!address)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("ip: give an IPv4 or IPv6 address such as 203.0.113.7"));
    static const QRegularExpression slug(QStringLiteral("^[a-z][a-z0-9-]{1,61}[a-z0-9]$"));
    if (!query.tenant.isEmpty() &&
        (query.tenant.size() > kMaxTenantSlug || !slug.match(query.tenant).hasMatch()))
        return makeError(ErrorCode::InvalidInput, QStringLiteral("tenant: not a tenant slug"));
    if (query.path.size() > kMaxRoutePath ||
        (!query.path.isEmpty() && !query.path.startsWith(u'/')))
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("path: a path starting with '/' of at most %1 characters")
                             .arg(kMaxRoutePath));
    const std::string tenant = query.tenant.toStdString();
    const std::string path = query.path.toStdString();
    RouteRequest request;
    request.address = *address;
    request.tenant = tenant;
    request.path = path;
    request.affinityToken = std::string_view(query.affinityToken.constData(),
                                             static_cast<std::size_t>(query.affinityToken.size()));
    request.nowSeconds = d->clock.now().toSecsSinceEpoch();
    const auto snapshot = d->router->snapshot();
    if (!snapshot)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the traffic layer is not running"));
    RouteDecision decision;
    // The snapshot is kept to describe the decision with the policy it was made under.
    d->router->decideWith(*snapshot, request, decision);
    d->router->countServed(decision);

    const TrafficPolicy &policy = snapshotPolicy(*snapshot);
    RouteAnswer answer;
    for (int k = 0; k < decision.count; ++k)
        answer.regions << policy.regions[decision.regions[static_cast<std::size_t>(k)]];
    answer.kind = decisionKindName(decision.kind);
    answer.reason = describeDecision(*snapshot, decision);
    if (decision.rule >= 0)
        answer.rule = policy.rules[static_cast<std::size_t>(decision.rule)].name;
    answer.country = decision.country.toString();
    if (decision.failedOverFrom >= 0)
        answer.failedOverFrom = policy.regions[static_cast<std::size_t>(decision.failedOverFrom)];
    if (decision.hedgeRegion >= 0) {
        answer.hedgeRegion = policy.regions[static_cast<std::size_t>(decision.hedgeRegion)];
        answer.hedgeAfterMs = static_cast<int>(decision.hedgeAfterMs);
    }
    answer.snapshotGeneration = snapshotGeneration(*snapshot);
    if (decision.affinityRule >= 0 && decision.routed()) {
        const PolicyRule &rule = policy.rules[static_cast<std::size_t>(decision.affinityRule)];
        QByteArray key;
        {
            std::lock_guard lock(d->mutex);
            key = d->affinityKey;
        }
        const qint64 ttl = rule.ttl.count();
        answer.affinityCookie = rule.cookie;
        answer.affinityHeader = rule.header;
        answer.affinityToken =
            makeAffinityToken(key, answer.regions.constFirst(), request.nowSeconds + ttl);
        answer.affinityMaxAgeSeconds = static_cast<int>(ttl);
    }
    // Answers to the API count as traffic of their own (no latency: the caller serves them).
    if (d->stats && decision.routed())
        d->stats->record(
            {decision.regions[0], decision.country, std::string_view("/api/v1/route"), 0.0, false});
    return answer;
}

TrafficStats::Report TrafficRuntime::traffic(std::chrono::seconds window) const
{
    return d->stats ? d->stats->report(window) : TrafficStats::Report{};
}

std::vector<TrafficStats::Point> TrafficRuntime::timeline(int region, std::chrono::seconds window,
                                                          std::chrono::seconds step) const
{
    return d->stats ? d->stats->timeline(region, window, step) : std::vector<TrafficStats::Point>{};
}

std::shared_ptr<const TrafficPolicy> TrafficRuntime::policy() const
{
    std::lock_guard lock(d->mutex);
    return d->policy;
}

Router::HedgeCounters TrafficRuntime::hedgeCounters() const
{
    return d->router ? d->router->hedgeCounters() : Router::HedgeCounters{};
}

std::pair<QDateTime, QString> TrafficRuntime::lastDnsPublication() const
{
    std::lock_guard lock(d->mutex);
    return {d->dnsAt, d->dnsError};
}

std::vector<RegionTrafficStatus> TrafficRuntime::regions() const
{
    std::vector<RegionTrafficStatus> result;
    if (!d->router)
        return result;
    const auto snapshot = d->router->snapshot();
    const std::vector<CheckStatus> checks =
        d->checker ? d->checker->statuses() : std::vector<CheckStatus>{};
    std::lock_guard lock(d->mutex);
    const TrafficPolicy &policy = *d->policy;
    for (int r = 0; r < static_cast<int>(policy.regions.size()); ++r) {
        RegionTrafficStatus status;
        status.regionId = policy.regions[static_cast<std::size_t>(r)];
        const Region *region = d->deps.catalog->find(status.regionId);
        status.displayName = region ? region->displayName : status.regionId;
        quint64 runs = 0;
        quint64 failures = 0;
        bool anyUnhealthy = false;
        bool allHealthy = true;
        bool any = false;
        for (const CheckStatus &check : checks) {
            if (check.spec.regionId != status.regionId)
                continue;
            any = true;
            runs += check.checks;
            failures += check.failures;
            if (check.state == CheckStatus::Unhealthy) {
                anyUnhealthy = true;
                status.healthDetail = check.lastError;
            }
            if (check.state != CheckStatus::Healthy)
                allHealthy = false;
            if (check.lastLatencyMs >= 0)
                status.checkLatencyMs = std::max(status.checkLatencyMs, check.lastLatencyMs);
            if (!status.healthSince.isValid() || check.stateSince > status.healthSince)
                status.healthSince = check.stateSince;
        }
        status.health = !any           ? CheckStatus::Unknown
                        : anyUnhealthy ? CheckStatus::Unhealthy
                        : allHealthy   ? CheckStatus::Healthy
                                       : CheckStatus::Unknown;
        status.uptimeRatio = runs > 0 ? 1.0 - static_cast<double>(failures) / runs : -1.0;
        if (snapshot)
            status.unavailable = snapshotRegionState(*snapshot, r).unavailable;
        for (const RegionOverride &o : d->overrides.regions) {
            if (o.regionId == status.regionId)
                status.override = o;
        }
        for (const PolicyRule &rule : policy.rules) {
            if (rule.kind != RuleKind::Weighted)
                continue;
            std::uint32_t weight = rule.weights[static_cast<std::size_t>(r)];
            for (const WeightOverride &o : d->overrides.weights) {
                if (o.rule == rule.name) {
                    const auto it = o.weights.find(status.regionId);
                    weight = it == o.weights.end() ? 0 : it->second;
                }
            }
            status.weights[rule.name] = weight;
        }
        result.push_back(std::move(status));
    }
    return result;
}

Result<WhatIf> TrafficRuntime::whatIf(const QString &regionId) const
{
    if (!d->router)
        return makeError(ErrorCode::Unavailable,
                         QStringLiteral("the traffic layer is not running"));
    const auto current = d->router->snapshot();
    std::shared_ptr<const RouteSnapshot> drained;
    std::vector<TenantResidency> tenants;
    {
        std::lock_guard lock(d->mutex);
        const int r = d->policy->regionIndex(regionId);
        if (r < 0)
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("region: the traffic policy has no region '%1'")
                                 .arg(regionId.left(64)));
        RouteSnapshotInputs in = d->inputsLocked();
        auto &state = in.regionState[static_cast<std::size_t>(r)];
        if (state.unavailable == Unavailability::None)
            state.unavailable = Unavailability::Drained;
        drained = buildSnapshot(std::move(in));
        tenants = d->tenants;
    }
    const TrafficPolicy &policy = snapshotPolicy(*current);
    const auto first = [&](const RouteSnapshot &snapshot, const RouteRequest &request) {
        RouteDecision decision;
        d->router->decideWith(snapshot, request, decision);
        return decision.routed() ? policy.regions[decision.regions[0]] : QString();
    };
    WhatIf result;
    result.regionId = regionId;
    for (const CountryPoint &country : CountryAtlas::builtin().countries()) {
        RouteRequest request;
        request.country = country.code;
        const QString before = first(*current, request);
        const QString after = first(*drained, request);
        if (before != after)
            result.countries.push_back({country.code.toString(), country.name, before, after});
    }
    for (const TenantResidency &tenant : tenants) {
        // The tenant's clients, taken as located in its home region's country.
        const Region *home = d->deps.catalog->find(tenant.homeRegion);
        const std::string slug = tenant.slug.toStdString();
        RouteRequest request;
        request.tenant = slug;
        request.country = home ? CountryCode::fromString(home->country) : CountryCode{};
        const QString before = first(*current, request);
        const QString after = first(*drained, request);
        if (before != after)
            result.tenants.push_back({tenant.slug, tenant.displayName, before, after});
    }
    return result;
}

namespace {

Error controlsUnavailable()
{
    return makeError(ErrorCode::Unavailable,
                     QStringLiteral("traffic controls need the control-plane database and the "
                                    "audit log, and this instance has neither"));
}

} // namespace

Status TrafficRuntime::drain(const QString &regionId, const QString &reason,
                             const compliance::ActorContext &actor)
{
    if (!d->controls)
        return controlsUnavailable();
    const auto policy = this->policy();
    // Never drain the last region that is serving: that is an outage, not a drain.
    {
        const int r = policy->regionIndex(regionId);
        std::lock_guard lock(d->mutex);
        if (r >= 0 && d->publishedAvailable == (1u << r))
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("region %1 is the last region in service; draining it "
                                            "would leave no region to route to")
                                 .arg(regionId));
    }
    auto changed = d->controls->drain(*policy, regionId, reason, actor);
    if (!changed)
        return changed.error();
    d->pollOverrides();
    return {};
}

Status TrafficRuntime::undrain(const QString &regionId, const QString &reason,
                               const compliance::ActorContext &actor)
{
    if (!d->controls)
        return controlsUnavailable();
    auto changed = d->controls->undrain(*policy(), regionId, reason, actor);
    if (!changed)
        return changed.error();
    d->pollOverrides();
    return {};
}

Status TrafficRuntime::failover(const QString &regionId, const QString &target,
                                const QString &reason, const compliance::ActorContext &actor)
{
    if (!d->controls)
        return controlsUnavailable();
    const auto policy = this->policy();
    {
        const int r = policy->regionIndex(regionId);
        std::lock_guard lock(d->mutex);
        if (r >= 0 && d->publishedAvailable == (1u << r))
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("region %1 is the last region in service; there is no "
                                            "region to fail over to")
                                 .arg(regionId));
    }
    auto changed = d->controls->failover(*policy, regionId, target, reason, actor);
    if (!changed)
        return changed.error();
    d->pollOverrides();
    return {};
}

Status TrafficRuntime::setWeights(const QString &rule,
                                  const std::map<QString, std::uint32_t> &weights,
                                  const QString &reason, const compliance::ActorContext &actor)
{
    if (!d->controls)
        return controlsUnavailable();
    auto changed = d->controls->setWeights(*policy(), rule, weights, reason, actor);
    if (!changed)
        return changed.error();
    d->pollOverrides();
    return {};
}

void TrafficRuntime::setRegionDatabaseLatency(const QString &regionId, double milliseconds)
{
    if (!d->synthetic)
        return;
    const int r = policy()->regionIndex(regionId);
    if (r >= 0)
        d->synthetic->setRegionFacts(r, milliseconds >= 0, std::max(milliseconds, 0.0));
}

} // namespace upcoach::routing
