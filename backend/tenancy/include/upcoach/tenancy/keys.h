// Per-tenant data keys in the control-plane database (backend/tenancy/KEYS.md).
//
// Each tenant has versioned 256-bit data keys (1, 2, ...; the highest is current), stored only
// wrapped by a KeyProvider, with associated data binding the tenant id and the key version.
// Unwrapped keys live in DataKey objects whose bytes never leave them; a bounded in-memory cache
// keeps recently used ones. destroyTenantKeys() is crypto-shredding: the wrapped keys are
// deleted, a tombstone forbids new keys, and every DataKey of the tenant in this process is
// wiped in place, so even handles callers still hold stop decrypting.
//
// Blocking (database and provider round trips): never call on an interactive thread.
#pragma once

#include "upcoach/core/crypto.h"
#include "upcoach/core/result.h"
#include "upcoach/storage/connectionpool.h"
#include "upcoach/tenancy/keyprovider.h"

#include <QDateTime>
#include <QUuid>
#include <chrono>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <vector>

namespace upcoach::tenancy {

class TenantKeyStore;

// An unwrapped data key. The key bytes stay inside: callers seal and open through it.
class DataKey
{
public:
    DataKey(QUuid tenantId, int version, SecretBytes key);
    ~DataKey();
    DataKey(const DataKey &) = delete;
    DataKey &operator=(const DataKey &) = delete;

    const QUuid &tenantId() const { return m_tenantId; }
    int version() const { return m_version; }
    // True once the tenant's keys were destroyed (the bytes are zero and gone).
    bool isDestroyed() const;

    // AES-256-GCM under this key with a fresh random nonce.
    Result<crypto::AesGcmSealed> seal(QByteArrayView plaintext, QByteArrayView aad) const;
    Result<QByteArray> open(QByteArrayView nonce, QByteArrayView ciphertext, QByteArrayView tag,
                            QByteArrayView aad) const;

private:
    friend class TenantKeyStore;
    // Wipes the key in place; waits for seal/open calls in progress.
    void destroy();

    QUuid m_tenantId;
    int m_version;
    mutable std::shared_mutex m_mutex;
    SecretBytes m_key;
    bool m_destroyed = false;
};

using DataKeyHandle = std::shared_ptr<const DataKey>;

// What the database says about one data key (never the key).
struct DataKeyInfo
{
    QUuid tenantId;
    int version = 0;
    QString kekId;
    int kekVersion = 0;
    QDateTime createdAt;
    QDateTime rewrappedAt; // invalid until re-wrapped
};

struct KeyStoreOptions
{
    // Unwrapped keys kept in memory (least recently used evicted first; 0 disables the cache).
    int cacheCapacity = 1024;
    // How long a cached key or current-version answer is trusted. Bounds how long another
    // process keeps using a key after a rotation or destruction it did not perform.
    std::chrono::milliseconds cacheMaxAge{60'000};
};

struct RewrapOptions
{
    int batchSize = 100; // keys per transaction (1..1000)
    int maxKeys = 0;     // stop after re-wrapping this many (0: until done)
};

struct RewrapReport
{
    int rewrapped = 0; // keys now wrapped under the current KEK version
    int failed = 0;    // keys that could not be unwrapped (left unchanged, logged by tenant id)
    int remaining = 0; // keys still under another KEK version after this run
    QString kekId;     // the KEK family and version everything was re-wrapped to
    int kekVersion = 0;
    bool finished() const { return remaining == 0; }
};

class TenantKeyStore
{
public:
    // pool: the control-plane database (migration 0004_tenant_keys.sql); provider: the KEKs.
    TenantKeyStore(storage::ConnectionPool &controlPlane, KeyProvider &provider,
                   KeyStoreOptions options = {});
    ~TenantKeyStore();
    TenantKeyStore(const TenantKeyStore &) = delete;
    TenantKeyStore &operator=(const TenantKeyStore &) = delete;

    // Creates data key version 1. Conflict when the tenant already has keys or they were
    // destroyed; NotFound when the tenant does not exist.
    Result<DataKeyInfo> createFirstKey(const QUuid &tenantId);
    // The current (highest) version. NotFound (naming the tenant, and when its keys were
    // destroyed if they were) when there is none.
    Result<DataKeyHandle> currentKey(const QUuid &tenantId);
    Result<DataKeyHandle> keyByVersion(const QUuid &tenantId, int version);
    // Adds version current+1, which becomes current; old versions keep decrypting.
    Result<DataKeyInfo> rotateDataKey(const QUuid &tenantId);
    Result<std::vector<DataKeyInfo>> listKeys(const QUuid &tenantId);
    // Tenants whose current data key was created before `cutoff` (oldest first, at most
    // `limit`), and how many there are in all.
    Result<std::pair<std::vector<QUuid>, int>> tenantsWithKeysOlderThan(const QDateTime &cutoff,
                                                                        int limit);

    // Re-wraps every data key not under the provider's current KEK version (after a KEK
    // rotation). Batched, one transaction per batch, rows locked with SKIP LOCKED so several
    // instances can share the work; resumable: a later run picks up what is left.
    Result<RewrapReport> rewrapAll(const RewrapOptions &options = {});

    // Crypto-shredding: deletes every wrapped data key of the tenant (through the database
    // function tenant_keys_destroy, which also records a tombstone), then wipes every unwrapped
    // key of the tenant held by this process. Returns how many key versions were destroyed.
    // Irreversible: every value encrypted for the tenant becomes undecryptable.
    Result<int> destroyTenantKeys(const QUuid &tenantId);

    // Drops every cached key (keys still held by callers are wiped when released).
    void clearCache();
    int cachedKeyCount() const;

private:
    struct CacheEntry
    {
        std::shared_ptr<DataKey> key;
        std::chrono::steady_clock::time_point loadedAt;
        std::list<std::pair<QUuid, int>>::iterator lru;
    };
    struct CurrentEntry
    {
        int version = 0;
        std::chrono::steady_clock::time_point loadedAt;
    };

    Result<DataKeyHandle> load(const QUuid &tenantId, int version);
    Result<DataKeyInfo> insertVersion(const QUuid &tenantId, bool first);
    DataKeyHandle cached(const QUuid &tenantId, int version);
    void remember(const std::shared_ptr<DataKey> &key);
    bool fresh(std::chrono::steady_clock::time_point loadedAt) const;

    storage::ConnectionPool &m_pool;
    KeyProvider &m_provider;
    KeyStoreOptions m_options;

    mutable std::mutex m_cacheMutex;
    std::map<std::pair<QUuid, int>, CacheEntry> m_cache;
    std::list<std::pair<QUuid, int>> m_lru; // most recently used first
    std::map<QUuid, CurrentEntry> m_current;
    // Tenants shredded by this process: nothing of theirs enters the cache again.
    std::set<QUuid> m_shredded;
    // Every key of a tenant handed out and still alive, so destroy reaches them all.
    std::multimap<QUuid, std::weak_ptr<DataKey>> m_live;
};

// The associated data a data key is wrapped with: "upcoach/tenant-data-key/v1" || tenant id
// (16 bytes, RFC 4122 order) || version (uint32 big-endian).
QByteArray dataKeyWrapAad(const QUuid &tenantId, int version);

} // namespace upcoach::tenancy
