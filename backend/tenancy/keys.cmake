# upcoach_tenancy_keys: per-tenant envelope encryption (see README.md, "Keys"): KEK providers
# (local keyring, PKCS#11 via dlopen), the control-plane data-key store, field encryption.
find_path(UPCOACH_PKCS11_INCLUDE_DIR p11-kit/pkcs11.h PATH_SUFFIXES p11-kit-1 REQUIRED
          DOC "p11-kit's standard PKCS#11 header (Debian: libp11-kit-dev)")
add_library(upcoach_tenancy_keys STATIC
  include/upcoach/tenancy/fieldcipher.h
  include/upcoach/tenancy/keyprovider.h
  include/upcoach/tenancy/keys.h
  src/keys/fieldcipher.cpp
  src/keys/keyslogging.cpp
  src/keys/keyslogging.h
  src/keys/localkeyring.cpp
  src/keys/pkcs11provider.cpp
  src/keys/providerfactory.cpp
  src/keys/secretbytes.cpp
  src/keys/tenantkeystore.cpp
  src/keys/wireformat.h
  src/keys/wireformat.cpp
)
target_include_directories(upcoach_tenancy_keys PUBLIC include)
target_include_directories(upcoach_tenancy_keys SYSTEM PRIVATE ${UPCOACH_PKCS11_INCLUDE_DIR})
target_link_libraries(upcoach_tenancy_keys PUBLIC upcoach_core upcoach_storage
                      PRIVATE OpenSSL::Crypto ${CMAKE_DL_LIBS})
upcoach_strict(upcoach_tenancy_keys)
