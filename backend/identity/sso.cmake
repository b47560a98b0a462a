# Connections, SP keys, login requests, the replay cache and SCIM tokens in the control plane,
# and the SAML login service over them (JIT provisioning through tenancy, audit through
# compliance).
add_library(upcoach_sso STATIC
  include/upcoach/identity/ssostore.h
  include/upcoach/identity/ssoservice.h
  src/ssostore.cpp
  src/ssoservice.cpp
)
target_include_directories(upcoach_sso PUBLIC include)
target_link_libraries(upcoach_sso PUBLIC upcoach_saml upcoach_storage upcoach_compliance
  upcoach_tenancy)
upcoach_strict(upcoach_sso)
