find_package(PkgConfig REQUIRED)
pkg_check_modules(XMLSEC REQUIRED IMPORTED_TARGET xmlsec1-openssl libxml-2.0)

add_library(upcoach_saml STATIC
  include/upcoach/identity/saml.h
  src/saml.cpp
  src/samlxml.cpp
  src/samlxml.h
)
target_include_directories(upcoach_saml PUBLIC include PRIVATE src)
target_link_libraries(upcoach_saml PUBLIC upcoach_core PRIVATE PkgConfig::XMLSEC OpenSSL::Crypto)
upcoach_strict(upcoach_saml)
