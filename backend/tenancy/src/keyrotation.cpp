#include "upcoach/tenancy/keyrotation.h"

#include "tenancylogging.h"
#include "tenantaudit.h"
#include "upcoach/compliance/auditlog.h"
#include "upcoach/compliance/recordedchange.h"
#include "upcoach/tenancy/registry.h"
#include "upcoach/tenancy/tenantsession.h"

namespace upcoach::tenancy {

namespace {

// Keys exist, and the rows they encrypt can be reached, only for provisioned, undeleted tenants.
Status rotatable(const Tenant &tenant)
{
    if (tenant.state == TenantState::Deleted)
        return makeError(
            ErrorCode::Conflict,
            QStringLiteral("tenant %1 was deleted; its keys were destroyed").arg(tenant.slug));
    if (tenant.provisioning != Provisioning::Ready)
        return makeError(ErrorCode::Conflict,
                         QStringLiteral("tenant %1 is not provisioned (or is being moved); rotate "
                                        "its key when provisioning is ready")
                             .arg(tenant.slug));
    return {};
}

} // namespace

TenantKeyRotation::TenantKeyRotation(TenantRegistry &registry, TenantKeyStore &keys,
                                     TenantSessions &sessions, compliance::AuditLog &audit,
                                     KeyRotationPolicy policy, const Clock &clock)
    : m_registry(registry)
    , m_keys(keys)
    , m_sessions(sessions)
    , m_audit(audit)
    , m_policy(policy)
    , m_clock(clock)
    , m_cipher(keys)
{}

Result<TenantKeyStatus> TenantKeyRotation::status(const QString &slug)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    TenantKeyStatus status;
    status.slug = tenant->slug;
    if (tenant->state == TenantState::Deleted)
        return status; // keys destroyed, rows removed
    auto keys = m_keys.listKeys(tenant->id);
    if (!keys)
        return keys.error();
    status.keys = std::move(keys.value());
    if (!status.keys.empty()) {
        status.currentVersion = status.keys.back().version;
        status.currentCreatedAt = status.keys.back().createdAt;
        if (m_policy.maxAge.count() > 0)
            status.nextRotationDue = status.currentCreatedAt.addDays(m_policy.maxAge.count());
    }
    if (tenant->provisioning == Provisioning::Ready) {
        auto values = encryptedValuesByKeyVersion(m_sessions, tenant.value());
        if (!values)
            return values.error();
        status.encryptedValues = values.value();
        for (auto it = status.encryptedValues.cbegin(); it != status.encryptedValues.cend(); ++it) {
            if (it.key() != status.currentVersion)
                status.pendingReencryption += it.value();
        }
    }
    return status;
}

Result<TenantKeyStatus> TenantKeyRotation::rotate(const QString &slug, const ActorContext &actor)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    if (auto ok = rotatable(tenant.value()); !ok)
        return ok.error();
    const compliance::AuditRecord record =
        tenantAuditRecord(actor, tenant->slug, QStringLiteral("tenant.key.rotate"),
                          QStringLiteral("tenant:") + tenant->slug, QStringLiteral("security"));
    auto rotated = compliance::recordThenChange<DataKeyInfo>(
        m_audit, record, [&] { return m_keys.rotateDataKey(tenant->id); });
    if (!rotated)
        return rotated.error();
    qCInfo(lcTenancy).noquote() << "tenant" << tenant->slug << "data key rotated to version"
                                << rotated->version;
    if (auto moved =
            reencryptTenantFields(m_sessions, m_cipher, tenant.value(), m_policy.reencryptBatch);
        !moved)
        // The new key is current; what is left is re-encrypted by reencrypt() or the next
        // scheduled run, and stays readable meanwhile.
        qCWarning(lcTenancy).noquote()
            << "tenant" << tenant->slug
            << "re-encryption after rotation stopped:" << moved.error().message;
    auto after = status(slug);
    if (!after) {
        // The rotation happened; only the report of it could not be read.
        qCWarning(lcTenancy).noquote()
            << "tenant" << tenant->slug << "key status after rotation:" << after.error().message;
        TenantKeyStatus rotatedOnly;
        rotatedOnly.slug = tenant->slug;
        rotatedOnly.currentVersion = rotated->version;
        rotatedOnly.currentCreatedAt = rotated->createdAt;
        rotatedOnly.keys.push_back(rotated.value());
        return rotatedOnly;
    }
    return after;
}

Result<ReencryptReport> TenantKeyRotation::reencrypt(const QString &slug)
{
    auto tenant = m_registry.get(slug);
    if (!tenant)
        return tenant.error();
    if (auto ok = rotatable(tenant.value()); !ok)
        return ok.error();
    return reencryptTenantFields(m_sessions, m_cipher, tenant.value(), m_policy.reencryptBatch);
}

Result<KeyRotationRun> TenantKeyRotation::rotateDue(const ActorContext &actor)
{
    KeyRotationRun run;
    if (m_policy.maxAge.count() <= 0)
        return run;
    const QDateTime cutoff = m_clock.now().toUTC().addDays(-m_policy.maxAge.count());
    auto due = m_keys.tenantsWithKeysOlderThan(cutoff, std::max(1, m_policy.maxTenantsPerRun));
    if (!due)
        return due.error();
    run.remaining = due->second;
    for (const QUuid &id : due->first) {
        auto tenant = m_registry.getById(id);
        if (!tenant || !rotatable(tenant.value())) {
            // Deleted tenants keep no keys for long (the purge destroys them); tenants being
            // provisioned or moved are rotated on a later run.
            ++run.failed;
            continue;
        }
        auto rotated = rotate(tenant->slug, actor);
        if (!rotated) {
            ++run.failed;
            qCWarning(lcTenancy).noquote()
                << "scheduled key rotation of tenant" << id.toString(QUuid::WithoutBraces)
                << "failed:" << rotated.error().message;
            continue;
        }
        ++run.rotated;
        --run.remaining;
        for (auto it = rotated->encryptedValues.cbegin(); it != rotated->encryptedValues.cend();
             ++it) {
            if (it.key() == rotated->currentVersion)
                run.reencrypted += it.value();
        }
    }
    return run;
}

} // namespace upcoach::tenancy
