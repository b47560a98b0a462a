#include "keyslogging.h"
#include "upcoach/tenancy/keys.h"
#include "wireformat.h"

#include <algorithm>
#include <optional>

namespace upcoach::tenancy {

namespace {

constexpr int kDataKeyBytes = 32;
// pg_advisory_xact_lock class shared with tenant_keys_destroy (0004_tenant_keys.sql).
constexpr int kLockClass = 740004;

std::string uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces).toStdString();
}

QString tenantText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

pqxx::binarystring asBytes(const QByteArray &data)
{
    return pqxx::binarystring(data.constData(), size_t(data.size()));
}

QByteArray fromBytes(const pqxx::field &field)
{
    const pqxx::binarystring bytes(field);
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

QDateTime fromMillis(const pqxx::field &field)
{
    if (field.is_null())
        return {};
    return QDateTime::fromMSecsSinceEpoch(field.as<qint64>(), Qt::UTC);
}

template<typename T> Result<T> flatten(Result<Result<T>> &&outer)
{
    if (!outer)
        return outer.error();
    return std::move(outer).value();
}

Status checkTenant(const QUuid &tenantId)
{
    if (tenantId.isNull())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("the tenant id is empty"));
    return {};
}

Error destroyedError(const QUuid &tenantId, const QDateTime &destroyedAt)
{
    return makeError(ErrorCode::NotFound,
                     QStringLiteral("tenant %1: its data keys were destroyed%2 (crypto-shredded); "
                                    "nothing encrypted for it can be decrypted any more")
                         .arg(tenantText(tenantId),
                              destroyedAt.isValid()
                                  ? QStringLiteral(" at ") + destroyedAt.toString(Qt::ISODate)
                                  : QString()));
}

const char *const kInfoColumns = "tenant_id::text, version, kek_id, kek_version, "
                                 "(extract(epoch FROM created_at) * 1000)::bigint, "
                                 "(extract(epoch FROM rewrapped_at) * 1000)::bigint";

DataKeyInfo infoFromRow(const pqxx::row &row)
{
    DataKeyInfo info;
    info.tenantId = QUuid::fromString(QString::fromStdString(row[0].as<std::string>()));
    info.version = row[1].as<int>();
    info.kekId = QString::fromStdString(row[2].as<std::string>());
    info.kekVersion = row[3].as<int>();
    info.createdAt = fromMillis(row[4]);
    info.rewrappedAt = fromMillis(row[5]);
    return info;
}

// The destruction time of a shredded tenant, if it was shredded.
std::optional<QDateTime> shreddedAt(pqxx::work &tx, const QUuid &tenantId)
{
    const pqxx::result rows = tx.exec_params(
        "SELECT (extract(epoch FROM destroyed_at) * 1000)::bigint FROM tenant_key_shreds "
        "WHERE tenant_id = $1",
        uuidText(tenantId));
    if (rows.empty())
        return std::nullopt;
    return fromMillis(rows[0][0]);
}

} // namespace

QByteArray dataKeyWrapAad(const QUuid &tenantId, int version)
{
    QByteArray aad = QByteArrayLiteral("upcoach/tenant-data-key/v1");
    aad.append(tenantId.toRfc4122());
    aad.append(wire::uint32BigEndian(uint32_t(version)));
    return aad;
}

// --- DataKey ---

DataKey::DataKey(QUuid tenantId, int version, SecretBytes key)
    : m_tenantId(tenantId)
    , m_version(version)
    , m_key(std::move(key))
{}

DataKey::~DataKey() = default; // SecretBytes wipes

bool DataKey::isDestroyed() const
{
    std::shared_lock lock(m_mutex);
    return m_destroyed;
}

void DataKey::destroy()
{
    std::unique_lock lock(m_mutex);
    m_key.wipe();
    m_destroyed = true;
}

Result<crypto::AesGcmSealed> DataKey::seal(QByteArrayView plaintext, QByteArrayView aad) const
{
    std::shared_lock lock(m_mutex);
    if (m_destroyed)
        return destroyedError(m_tenantId, {});
    return crypto::aesGcmEncrypt(m_key.view(), plaintext, aad);
}

Result<QByteArray> DataKey::open(QByteArrayView nonce, QByteArrayView ciphertext,
                                 QByteArrayView tag, QByteArrayView aad) const
{
    std::shared_lock lock(m_mutex);
    if (m_destroyed)
        return destroyedError(m_tenantId, {});
    return crypto::aesGcmDecrypt(m_key.view(), nonce, ciphertext, tag, aad);
}

// --- TenantKeyStore ---

TenantKeyStore::TenantKeyStore(storage::ConnectionPool &controlPlane, KeyProvider &provider,
                               KeyStoreOptions options)
    : m_pool(controlPlane)
    , m_provider(provider)
    , m_options(options)
{}

TenantKeyStore::~TenantKeyStore()
{
    clearCache();
}

bool TenantKeyStore::fresh(std::chrono::steady_clock::time_point loadedAt) const
{
    return std::chrono::steady_clock::now() - loadedAt < m_options.cacheMaxAge;
}

DataKeyHandle TenantKeyStore::cached(const QUuid &tenantId, int version)
{
    std::lock_guard lock(m_cacheMutex);
    const auto found = m_cache.find({tenantId, version});
    if (found == m_cache.end())
        return nullptr;
    if (!fresh(found->second.loadedAt) || found->second.key->isDestroyed()) {
        m_lru.erase(found->second.lru);
        m_cache.erase(found);
        return nullptr;
    }
    m_lru.splice(m_lru.begin(), m_lru, found->second.lru);
    return found->second.key;
}

void TenantKeyStore::remember(const std::shared_ptr<DataKey> &key)
{
    std::lock_guard lock(m_cacheMutex);
    if (m_shredded.count(key->tenantId())) {
        key->destroy();
        return;
    }
    // Every handed-out key stays reachable for destroyTenantKeys.
    if (m_live.size() > size_t(2 * m_options.cacheCapacity + 256)) {
        for (auto it = m_live.begin(); it != m_live.end();)
            it = it->second.expired() ? m_live.erase(it) : std::next(it);
    }
    m_live.emplace(key->tenantId(), key);
    if (m_options.cacheCapacity <= 0)
        return;
    const std::pair<QUuid, int> id{key->tenantId(), key->version()};
    if (auto existing = m_cache.find(id); existing != m_cache.end()) {
        m_lru.erase(existing->second.lru);
        m_cache.erase(existing);
    }
    m_lru.push_front(id);
    m_cache.emplace(id, CacheEntry{key, std::chrono::steady_clock::now(), m_lru.begin()});
    while (m_cache.size() > size_t(m_options.cacheCapacity)) {
        // Evicted keys are wiped when their last holder releases them (~DataKey).
        m_cache.erase(m_lru.back());
        m_lru.pop_back();
    }
}

void TenantKeyStore::clearCache()
{
    std::lock_guard lock(m_cacheMutex);
    m_cache.clear();
    m_lru.clear();
    m_current.clear();
}

int TenantKeyStore::cachedKeyCount() const
{
    std::lock_guard lock(m_cacheMutex);
    return int(m_cache.size());
}

Result<DataKeyInfo> TenantKeyStore::insertVersion(const QUuid &tenantId, bool first)
{
    if (auto checked = checkTenant(tenantId); !checked)
        return checked.error();
    {
        std::lock_guard lock(m_cacheMutex);
        if (m_shredded.count(tenantId))
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("tenant %1: its data keys were destroyed; it cannot "
                                            "get new ones")
                                 .arg(tenantText(tenantId)));
    }
    auto fresh = SecretBytes::random(kDataKeyBytes);
    if (!fresh)
        return fresh.error();
    SecretBytes keyBytes = std::move(fresh.value());
    auto inserted = flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<DataKeyInfo> {
        pqxx::work tx(c);
        const std::string id = uuidText(tenantId);
        // Serializes creation, rotation and destruction for this tenant.
        tx.exec_params("SELECT pg_advisory_xact_lock($1, hashtext($2::uuid::text))", kLockClass,
                       id);
        if (const auto destroyed = shreddedAt(tx, tenantId))
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("tenant %1: its data keys were destroyed at %2; it "
                                            "cannot get new ones")
                                 .arg(tenantText(tenantId), destroyed->toString(Qt::ISODate)));
        if (tx.exec_params("SELECT 1 FROM tenants WHERE id = $1", id).empty())
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("tenant %1 does not exist").arg(tenantText(tenantId)));
        const int latest = tx.exec_params1("SELECT coalesce(max(version), 0) FROM tenant_data_keys "
                                           "WHERE tenant_id = $1",
                                           id)[0]
                               .as<int>();
        if (first && latest > 0)
            return makeError(ErrorCode::Conflict,
                             QStringLiteral("tenant %1 already has data keys (current version "
                                            "%2); rotate instead")
                                 .arg(tenantText(tenantId))
                                 .arg(latest));
        if (!first && latest == 0)
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("tenant %1 has no data key to rotate; create the "
                                            "first one")
                                 .arg(tenantText(tenantId)));
        const int version = latest + 1;
        auto wrapped = m_provider.wrap(keyBytes.view(), dataKeyWrapAad(tenantId, version));
        if (!wrapped)
            return wrapped.error().context(QStringLiteral("tenant ") + tenantText(tenantId));
        const pqxx::row row = tx.exec_params1(
            std::string("INSERT INTO tenant_data_keys (tenant_id, version, wrapped_key, kek_id, "
                        "kek_version) VALUES ($1, $2, $3, $4, $5) RETURNING ") +
                kInfoColumns,
            id, version, asBytes(wrapped->blob), wrapped->kekId.toStdString(), wrapped->kekVersion);
        tx.commit();
        return infoFromRow(row);
    }));
    if (!inserted)
        return inserted.error();
    auto key = std::make_shared<DataKey>(tenantId, inserted->version, std::move(keyBytes));
    remember(key);
    {
        std::lock_guard lock(m_cacheMutex);
        if (m_current.size() > size_t(4 * std::max(m_options.cacheCapacity, 0) + 1024))
            m_current.clear();
        m_current[tenantId] = CurrentEntry{inserted->version, std::chrono::steady_clock::now()};
    }
    qCInfo(lcTenancyKeys).noquote()
        << "tenant" << tenantText(tenantId) << "data key version" << inserted->version
        << (first ? "created" : "created (rotation)") << "under KEK" << inserted->kekId << "version"
        << inserted->kekVersion;
    return inserted;
}

Result<DataKeyInfo> TenantKeyStore::createFirstKey(const QUuid &tenantId)
{
    return insertVersion(tenantId, true);
}

Result<DataKeyInfo> TenantKeyStore::rotateDataKey(const QUuid &tenantId)
{
    return insertVersion(tenantId, false);
}

Result<DataKeyHandle> TenantKeyStore::currentKey(const QUuid &tenantId)
{
    if (auto checked = checkTenant(tenantId); !checked)
        return checked.error();
    std::optional<int> version;
    {
        std::lock_guard lock(m_cacheMutex);
        if (m_shredded.count(tenantId))
            return destroyedError(tenantId, {});
        const auto found = m_current.find(tenantId);
        if (found != m_current.end() && fresh(found->second.loadedAt))
            version = found->second.version;
    }
    if (!version) {
        auto latest = flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<int> {
            pqxx::work tx(c);
            const pqxx::result rows =
                tx.exec_params("SELECT max(version) FROM tenant_data_keys WHERE tenant_id = $1",
                               uuidText(tenantId));
            if (!rows[0][0].is_null())
                return rows[0][0].as<int>();
            if (const auto destroyed = shreddedAt(tx, tenantId))
                return destroyedError(tenantId, *destroyed);
            return makeError(
                ErrorCode::NotFound,
                QStringLiteral("tenant %1 has no data keys yet").arg(tenantText(tenantId)));
        }));
        if (!latest)
            return latest.error();
        version = latest.value();
        std::lock_guard lock(m_cacheMutex);
        m_current[tenantId] = CurrentEntry{*version, std::chrono::steady_clock::now()};
    }
    return load(tenantId, *version);
}

Result<DataKeyHandle> TenantKeyStore::keyByVersion(const QUuid &tenantId, int version)
{
    if (auto checked = checkTenant(tenantId); !checked)
        return checked.error();
    if (version < 1)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("data key versions start at 1, not %1").arg(version));
    return load(tenantId, version);
}

Result<DataKeyHandle> TenantKeyStore::load(const QUuid &tenantId, int version)
{
    if (DataKeyHandle hit = cached(tenantId, version))
        return hit;
    {
        std::lock_guard lock(m_cacheMutex);
        if (m_shredded.count(tenantId))
            return destroyedError(tenantId, {});
    }
    auto fetched = flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<WrappedKey> {
        pqxx::work tx(c);
        const pqxx::result rows =
            tx.exec_params("SELECT wrapped_key, kek_id, kek_version FROM tenant_data_keys "
                           "WHERE tenant_id = $1 AND version = $2",
                           uuidText(tenantId), version);
        if (rows.empty()) {
            if (const auto destroyed = shreddedAt(tx, tenantId))
                return destroyedError(tenantId, *destroyed);
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("tenant %1 has no data key version %2")
                                 .arg(tenantText(tenantId))
                                 .arg(version));
        }
        WrappedKey wrapped;
        wrapped.blob = fromBytes(rows[0][0]);
        wrapped.kekId = QString::fromStdString(rows[0][1].as<std::string>());
        wrapped.kekVersion = rows[0][2].as<int>();
        return wrapped;
    }));
    if (!fetched)
        return fetched.error();
    auto unwrapped = m_provider.unwrap(fetched.value(), dataKeyWrapAad(tenantId, version));
    if (!unwrapped)
        return unwrapped.error().context(
            QStringLiteral("tenant %1 data key version %2").arg(tenantText(tenantId)).arg(version));
    if (unwrapped->size() != kDataKeyBytes)
        return makeError(ErrorCode::Internal,
                         QStringLiteral("tenant %1 data key version %2 unwrapped to %3 bytes, not "
                                        "%4")
                             .arg(tenantText(tenantId))
                             .arg(version)
                             .arg(unwrapped->size())
                             .arg(kDataKeyBytes));
    auto key = std::make_shared<DataKey>(tenantId, version, std::move(unwrapped.value()));
    remember(key);
    if (key->isDestroyed()) // shredded while it was being loaded
        return destroyedError(tenantId, {});
    return DataKeyHandle(key);
}

Result<std::vector<DataKeyInfo>> TenantKeyStore::listKeys(const QUuid &tenantId)
{
    if (auto checked = checkTenant(tenantId); !checked)
        return checked.error();
    return m_pool.withConnection([&](pqxx::connection &c) {
        pqxx::work tx(c);
        const pqxx::result rows =
            tx.exec_params(std::string("SELECT ") + kInfoColumns +
                               " FROM tenant_data_keys WHERE tenant_id = $1 ORDER BY version",
                           uuidText(tenantId));
        std::vector<DataKeyInfo> infos;
        infos.reserve(rows.size());
        for (const auto &row : rows)
            infos.push_back(infoFromRow(row));
        return infos;
    });
}

Result<std::pair<std::vector<QUuid>, int>>
TenantKeyStore::tenantsWithKeysOlderThan(const QDateTime &cutoff, int limit)
{
    if (!cutoff.isValid() || limit < 1 || limit > 10'000)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a valid cutoff time and a limit of 1 to 10000"));
    return m_pool.withConnection([&](pqxx::connection &c) {
        pqxx::work tx(c);
        const pqxx::result rows =
            tx.exec_params("WITH current_keys AS (SELECT tenant_id, max(created_at) AS created_at"
                           " FROM tenant_data_keys GROUP BY tenant_id)"
                           " SELECT tenant_id::text, count(*) OVER () FROM current_keys"
                           " WHERE created_at < to_timestamp($1::bigint / 1000.0)"
                           " ORDER BY created_at, tenant_id LIMIT $2",
                           cutoff.toMSecsSinceEpoch(), limit);
        std::pair<std::vector<QUuid>, int> due;
        due.second = rows.empty() ? 0 : rows[0][1].as<int>();
        for (const auto &row : rows)
            due.first.push_back(
                QUuid::fromString(QString::fromStdString(row[0].as<std::string>())));
        return due;
    });
}

Result<RewrapReport> TenantKeyStore::rewrapAll(const RewrapOptions &options)
{
    if (options.batchSize < 1 || options.batchSize > 1000)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("the re-wrap batch size must be 1 to 1000, not %1")
                             .arg(options.batchSize));
    if (options.maxKeys < 0)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("maxKeys must be 0 (no limit) or more"));
    RewrapReport report;
    report.kekId = m_provider.kekId();
    report.kekVersion = m_provider.currentKekVersion();
    const std::string kekId = report.kekId.toStdString();
    // Keyset cursor: every batch continues after the last row seen, so keys that fail to
    // unwrap are counted once and skipped rather than retried forever.
    std::string afterTenant = "00000000-0000-0000-0000-000000000000";
    int afterVersion = 0;
    for (;;) {
        int limit = options.batchSize;
        if (options.maxKeys > 0)
            limit = std::min(limit, options.maxKeys - (report.rewrapped + report.failed));
        if (limit <= 0)
            break;
        struct Batch
        {
            int rows = 0;
            int rewrapped = 0;
            int failed = 0;
            std::string lastTenant;
            int lastVersion = 0;
        };
        auto batch = flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<Batch> {
            pqxx::work tx(c);
            const pqxx::result rows =
                tx.exec_params("SELECT tenant_id::text, version, wrapped_key, kek_id, kek_version "
                               "FROM tenant_data_keys "
                               "WHERE NOT (kek_id = $1 AND kek_version = $2) "
                               "  AND (tenant_id, version) > ($3::uuid, $4) "
                               "ORDER BY tenant_id, version LIMIT $5 FOR UPDATE SKIP LOCKED",
                               kekId, report.kekVersion, afterTenant, afterVersion, limit);
            Batch done;
            for (const auto &row : rows) {
                ++done.rows;
                done.lastTenant = row[0].as<std::string>();
                done.lastVersion = row[1].as<int>();
                const QUuid tenantId = QUuid::fromString(QString::fromStdString(done.lastTenant));
                WrappedKey old;
                old.blob = fromBytes(row[2]);
                old.kekId = QString::fromStdString(row[3].as<std::string>());
                old.kekVersion = row[4].as<int>();
                const QByteArray aad = dataKeyWrapAad(tenantId, done.lastVersion);
                auto key = m_provider.unwrap(old, aad);
                if (!key) {
                    ++done.failed;
                    qCWarning(lcTenancyKeys).noquote()
                        << "re-wrap: tenant" << tenantText(tenantId) << "data key version"
                        << done.lastVersion << "skipped:" << key.error().message;
                    continue;
                }
                auto rewrapped = m_provider.wrap(key->view(), aad);
                if (!rewrapped)
                    return rewrapped.error().context(QStringLiteral("re-wrap of tenant %1 data "
                                                                    "key version %2")
                                                         .arg(tenantText(tenantId))
                                                         .arg(done.lastVersion));
                tx.exec_params("UPDATE tenant_data_keys SET wrapped_key = $3, kek_id = $4, "
                               "kek_version = $5, rewrapped_at = now() "
                               "WHERE tenant_id = $1 AND version = $2",
                               done.lastTenant, done.lastVersion, asBytes(rewrapped->blob),
                               rewrapped->kekId.toStdString(), rewrapped->kekVersion);
                ++done.rewrapped;
            }
            tx.commit();
            return done;
        }));
        if (!batch)
            return batch.error();
        report.rewrapped += batch->rewrapped;
        report.failed += batch->failed;
        if (batch->rows == 0)
            break;
        afterTenant = batch->lastTenant;
        afterVersion = batch->lastVersion;
        if (batch->rows < limit)
            break;
    }
    auto remaining = m_pool.withConnection([&](pqxx::connection &c) {
        pqxx::work tx(c);
        return tx
            .exec_params1("SELECT count(*) FROM tenant_data_keys "
                          "WHERE NOT (kek_id = $1 AND kek_version = $2)",
                          kekId, report.kekVersion)[0]
            .as<int>();
    });
    if (!remaining)
        return remaining.error();
    report.remaining = remaining.value();
    qCInfo(lcTenancyKeys).noquote()
        << "re-wrap to KEK" << report.kekId << "version" << report.kekVersion << ":"
        << report.rewrapped << "re-wrapped," << report.failed << "failed," << report.remaining
        << "remaining";
    return report;
}

Result<int> TenantKeyStore::destroyTenantKeys(const QUuid &tenantId)
{
    if (auto checked = checkTenant(tenantId); !checked)
        return checked.error();
    auto destroyed = flatten(m_pool.withConnection([&](pqxx::connection &c) -> Result<int> {
        pqxx::work tx(c);
        const std::string id = uuidText(tenantId);
        if (tx.exec_params("SELECT 1 FROM tenants WHERE id = $1", id).empty())
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("tenant %1 does not exist").arg(tenantText(tenantId)));
        const int count = tx.exec_params1("SELECT tenant_keys_destroy($1)", id)[0].as<int>();
        tx.commit();
        return count;
    }));
    if (!destroyed)
        return destroyed.error();
    int wiped = 0;
    {
        std::lock_guard lock(m_cacheMutex);
        m_shredded.insert(tenantId);
        for (auto it = m_cache.begin(); it != m_cache.end();) {
            if (it->first.first == tenantId) {
                it->second.key->destroy();
                m_lru.erase(it->second.lru);
                it = m_cache.erase(it);
            } else {
                ++it;
            }
        }
        m_current.erase(tenantId);
        const auto [first, last] = m_live.equal_range(tenantId);
        for (auto it = first; it != last; ++it) {
            if (auto key = it->second.lock()) {
                key->destroy();
                ++wiped;
            }
        }
        m_live.erase(first, last);
    }
    qCWarning(lcTenancyKeys).noquote()
        << "tenant" << tenantText(tenantId) << ":" << destroyed.value()
        << "data key version(s) destroyed (crypto-shredding);" << wiped
        << "unwrapped key(s) wiped in memory";
    return destroyed;
}

} // namespace upcoach::tenancy
