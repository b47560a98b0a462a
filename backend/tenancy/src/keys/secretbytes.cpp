#include "upcoach/core/crypto.h"
#include "upcoach/tenancy/keyprovider.h"

namespace upcoach::tenancy {

SecretBytes::SecretBytes(QByteArray &&bytes)
    : m_bytes(std::move(bytes))
{
    m_bytes.detach();
}

SecretBytes::~SecretBytes()
{
    wipe();
}

SecretBytes::SecretBytes(SecretBytes &&other) noexcept
    : m_bytes(std::move(other.m_bytes))
{
    other.m_bytes = QByteArray();
}

SecretBytes &SecretBytes::operator=(SecretBytes &&other) noexcept
{
    if (this != &other) {
        wipe();
        m_bytes = std::move(other.m_bytes);
        other.m_bytes = QByteArray();
    }
    return *this;
}

Result<SecretBytes> SecretBytes::random(int size)
{
    auto bytes = crypto::randomBytes(size);
    if (!bytes)
        return bytes.error();
    return SecretBytes(std::move(bytes.value()));
}

void SecretBytes::wipe()
{
    crypto::secureWipe(m_bytes);
}

} // namespace upcoach::tenancy
