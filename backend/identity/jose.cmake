# JOSE for the OpenID Connect relying party: JWK/JWKS, compact JWS (RS/PS/ES/EdDSA/HS), JWT and
# ID token validation, private_key_jwt assertions, PKCE. OpenSSL 3 only; JSON is QJsonDocument
# plus a scan that refuses duplicate member names. Included by CMakeLists.txt; see README-jose.md.

add_library(upcoach_jose STATIC
  include/upcoach/identity/jose.h
  src/jose_internal.h
  src/jose_json.cpp
  src/jose_keys.cpp
  src/jose_jws.cpp
  src/jose_oidc.cpp
)
target_include_directories(upcoach_jose PUBLIC include)
target_link_libraries(upcoach_jose PUBLIC upcoach_core PRIVATE OpenSSL::Crypto)
upcoach_strict(upcoach_jose)
