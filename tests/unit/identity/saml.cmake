# The test IdP (tests/support/samlforge.*): signs and encrypts responses with libxmlsec1.
find_package(PkgConfig REQUIRED)
pkg_check_modules(XMLSEC_FORGE REQUIRED IMPORTED_TARGET xmlsec1-openssl libxml-2.0)
add_library(upcoach_samlforge STATIC ${CMAKE_SOURCE_DIR}/tests/support/samlforge.cpp
  ${CMAKE_SOURCE_DIR}/tests/support/samlforge.h)
target_include_directories(upcoach_samlforge PUBLIC ${CMAKE_SOURCE_DIR}/tests/support)
target_link_libraries(upcoach_samlforge PUBLIC upcoach_saml Qt6::Core PRIVATE PkgConfig::XMLSEC_FORGE)
upcoach_strict(upcoach_samlforge)

upcoach_add_test(test_saml LABEL unit SOURCES test_saml.cpp LIBS upcoach_saml upcoach_samlforge
  OpenSSL::Crypto)
upcoach_add_test(test_saml_attacks LABEL security SOURCES test_saml_attacks.cpp
  LIBS upcoach_saml upcoach_samlforge)
