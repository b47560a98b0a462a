# Connections, SP keys, login requests, the replay cache and SCIM tokens in the control plane,
# the SAML login service over them, and the SCIM 2.0 service provider over the tenants' own
# placements (JIT provisioning through tenancy, audit through compliance).
add_library(upcoach_sso STATIC
  include/upcoach/identity/ssostore.h
  include/upcoach/identity/ssoservice.h
  src/ssostore.cpp
  src/ssoservice.cpp
  include/upcoach/identity/scimservice.h
  src/scimservice.cpp
  include/upcoach/identity/oidc.h
  src/oidc.cpp
  include/upcoach/identity/sessions.h
  src/sessions.cpp
  include/upcoach/identity/operatormfa.h
  src/operatormfa.cpp
)
target_include_directories(upcoach_sso PUBLIC include)
target_link_libraries(upcoach_sso PUBLIC upcoach_saml upcoach_scim_core upcoach_jose
  upcoach_storage upcoach_compliance upcoach_tenancy upcoach_mfa upcoach_identity Qt6::Network)
upcoach_strict(upcoach_sso)
