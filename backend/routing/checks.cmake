# Health checks (HTTP, HTTPS, TCP over QtNetwork) and DNS publication (RFC 2136 + TSIG via ldns).
pkg_check_modules(LDNS REQUIRED IMPORTED_TARGET ldns)

target_sources(upcoach_routing PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/include/upcoach/routing/healthcheck.h
  ${CMAKE_CURRENT_LIST_DIR}/src/healthcheck.cpp
  ${CMAKE_CURRENT_LIST_DIR}/include/upcoach/routing/dnspublisher.h
  ${CMAKE_CURRENT_LIST_DIR}/src/dnspublisher.cpp
)
target_link_libraries(upcoach_routing PRIVATE PkgConfig::LDNS OpenSSL::Crypto)
