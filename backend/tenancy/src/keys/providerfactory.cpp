#include "upcoach/tenancy/keyprovider.h"

namespace upcoach::tenancy {

Result<std::unique_ptr<KeyProvider>> openKeyProvider(const KeysConfig &config,
                                                     const QString &defaultKeyringPath)
{
    switch (config.provider) {
    case KeysConfig::Provider::Keyring: {
        const QString path = config.keyringFile.isEmpty() ? defaultKeyringPath : config.keyringFile;
        if (path.isEmpty())
            return makeError(ErrorCode::Config,
                             QStringLiteral("keys.keyring_file: not set and there is no default "
                                            "keyring path"));
        auto keyring = LocalKeyringProvider::open(path);
        if (!keyring)
            return keyring.error();
        return std::unique_ptr<KeyProvider>(std::move(keyring.value()));
    }
    case KeysConfig::Provider::Pkcs11: {
        auto hsm = Pkcs11KeyProvider::open(config.pkcs11);
        if (!hsm)
            return hsm.error();
        return std::unique_ptr<KeyProvider>(std::move(hsm.value()));
    }
    }
    return makeError(ErrorCode::Internal, QStringLiteral("unknown key provider"));
}

} // namespace upcoach::tenancy
