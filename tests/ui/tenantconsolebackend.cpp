#include "tenantconsolebackend.h"

#include "upcoach/tenancy/encryptedfields.h"
#include "upcoach/tenancy/fieldcipher.h"

namespace upcoach::testing {

TenantConsoleBackend::TenantConsoleBackend(TenancyFixture &fixture)
    : m_fixture(fixture)
    , m_clock(QDateTime::currentDateTimeUtc())
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("no temporary directory for the keyring");
        return;
    }
    auto provider =
        tenancy::LocalKeyringProvider::open(m_dir.filePath(QStringLiteral("tenant-keyring")));
    if (!provider) {
        m_error = provider.error().message;
        return;
    }
    m_provider = std::move(provider.value());
    m_control = std::make_unique<storage::ConnectionPool>(fixture.cluster().endpoint(0));
    m_keys = std::make_unique<tenancy::TenantKeyStore>(*m_control, *m_provider);
    fixture.registry().setKeyStore(m_keys.get());
    m_keyRotation = std::make_unique<tenancy::TenantKeyRotation>(
        fixture.registry(), *m_keys, fixture.sessions(), fixture.auditLog());
    m_quota = std::make_unique<tenancy::TenantQuota>(fixture.registry(), fixture.sessions());
    m_users =
        std::make_unique<tenancy::TenantUsers>(fixture.sessions(), *m_quota, fixture.auditLog());
    m_impersonations = std::make_unique<tenancy::ImpersonationService>(
        *m_control, fixture.registry(), fixture.sessions(), fixture.auditLog(), m_clock);
    m_cipher = std::make_unique<tenancy::FieldCipher>(*m_keys);
    m_ssoStore = std::make_unique<identity::SsoStore>(*m_control);
    m_ssoStore->setFieldCipher(m_cipher.get());
    m_sso = std::make_unique<identity::SsoService>(
        *m_ssoStore, fixture.registry(), *m_users, fixture.auditLog(),
        QUrl(QStringLiteral("https://ops.example.test")));
    m_sessions = std::make_unique<identity::SessionService>(
        *m_control, *m_cipher, fixture.auditLog(), QStringLiteral("https://ops.example.test"));
}

viewmodels::IdentityBackend TenantConsoleBackend::identityBackend(const QString &actor) const
{
    return {m_sso.get(), m_sessions.get(), &m_fixture.registry(), actor};
}

TenantConsoleBackend::~TenantConsoleBackend()
{
    m_fixture.registry().setKeyStore(nullptr);
}

viewmodels::TenantBackend TenantConsoleBackend::backend(const QStringList &regions,
                                                        const QString &actor) const
{
    viewmodels::TenantBackend backend;
    backend.registry = &m_fixture.registry();
    backend.sessions = &m_fixture.sessions();
    backend.audit = &m_fixture.auditStore();
    backend.regions = regions;
    backend.actor = actor;
    backend.users = m_users.get();
    backend.quota = m_quota.get();
    backend.impersonations = m_impersonations.get();
    backend.keyRotation = m_keyRotation.get();
    backend.clock = &m_clock;
    return backend;
}

Status TenantConsoleBackend::writePhiNotes(const QString &slug, int count)
{
    auto tenant = m_fixture.registry().get(slug);
    if (!tenant)
        return tenant.error();
    auto session = m_fixture.sessions().runSnapshot(
        slug, tenancy::TenantAccess::Operator, [](tenancy::TenantTransaction &tx) {
            const pqxx::result rows =
                tx.exec("SELECT id::text, coach_id::text FROM coaching_sessions"
                        " ORDER BY scheduled_at, id LIMIT 1");
            if (rows.empty())
                return std::pair<QString, QString>();
            return std::pair(QString::fromStdString(rows[0][0].as<std::string>()),
                             QString::fromStdString(rows[0][1].as<std::string>()));
        });
    if (!session)
        return session.error();
    if (session->first.isEmpty())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("%1 has no coaching session").arg(slug));
    tenancy::FieldCipher cipher(*m_keys);
    for (int i = 0; i < count; ++i) {
        auto written = tenancy::writePhiNote(
            m_fixture.sessions(), cipher, tenant.value(), session->first, session->second,
            QStringLiteral("Discussed sleep and stress at work (note %1).").arg(i + 1));
        if (!written)
            return written.error();
    }
    return {};
}

} // namespace upcoach::testing
