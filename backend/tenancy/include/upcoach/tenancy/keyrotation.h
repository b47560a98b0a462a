// Scheduled and on-demand rotation of tenant data keys, and the re-encryption that follows:
// a new data key version becomes current (old versions keep decrypting), then every
// field-encrypted value still under an older version is re-encrypted under the new one
// (encryptedfields.h). Rotations are recorded in the audit log ("tenant.key.rotate",
// classification security). Blocking.
#pragma once

#include "upcoach/core/clock.h"
#include "upcoach/core/result.h"
#include "upcoach/tenancy/encryptedfields.h"
#include "upcoach/tenancy/keys.h"
#include "upcoach/tenancy/tenant.h"

#include <QMap>
#include <chrono>
#include <vector>

namespace upcoach::compliance {
class AuditLog;
}

namespace upcoach::tenancy {

class TenantRegistry;
class TenantSessions;

struct TenantKeyStatus
{
    QString slug;
    std::vector<DataKeyInfo> keys; // oldest first; empty when destroyed (purged tenant)
    int currentVersion = 0;
    QDateTime currentCreatedAt;
    QMap<int, qint64> encryptedValues; // key version → values under it
    qint64 pendingReencryption = 0;    // values under an older version than the current one
    QDateTime nextRotationDue;         // invalid when no policy is set
};

struct KeyRotationPolicy
{
    // Rotate a tenant's data key when its current version is older than this (0: never).
    std::chrono::days maxAge{90};
    int reencryptBatch = 500;
    int maxTenantsPerRun = 100; // bounds one housekeeping pass; the next picks up the rest
};

struct KeyRotationRun
{
    int rotated = 0;
    int failed = 0; // logged by tenant id, retried next run
    qint64 reencrypted = 0;
    int remaining = 0; // due tenants left for the next run
};

class TenantKeyRotation
{
public:
    TenantKeyRotation(TenantRegistry &registry, TenantKeyStore &keys, TenantSessions &sessions,
                      compliance::AuditLog &audit, KeyRotationPolicy policy = {},
                      const Clock &clock = Clock::system());

    const KeyRotationPolicy &policy() const { return m_policy; }

    // Key versions (never key material) and how many values each encrypts.
    Result<TenantKeyStatus> status(const QString &slug);
    // Rotates now (recorded first), then re-encrypts the tenant's values. Conflict for a tenant
    // without keys (purged) or not provisioned.
    Result<TenantKeyStatus> rotate(const QString &slug, const ActorContext &actor);
    // Finishes re-encryption left over from an interrupted rotation.
    Result<ReencryptReport> reencrypt(const QString &slug);
    // Rotates every tenant whose current key is older than the policy's maxAge (the serve
    // housekeeping calls this), then finishes pending re-encryption of those tenants.
    Result<KeyRotationRun> rotateDue(const ActorContext &actor);

private:
    TenantRegistry &m_registry;
    TenantKeyStore &m_keys;
    TenantSessions &m_sessions;
    compliance::AuditLog &m_audit;
    KeyRotationPolicy m_policy;
    const Clock &m_clock;
    FieldCipher m_cipher;
};

} // namespace upcoach::tenancy
