# MFA building blocks, pure C++ and no database: TOTP (RFC 6238 over RFC 4226 HOTP) with base32
# secrets and otpauth:// enrolment URIs, salted recovery codes, and QR codes for enrolment over
# libqrencode (module matrix, SVG and PBM; no Qt Gui). Included by CMakeLists.txt.
find_package(PkgConfig REQUIRED)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)

add_library(upcoach_mfa STATIC
  include/upcoach/identity/totp.h
  include/upcoach/identity/recoverycodes.h
  include/upcoach/identity/qrcode.h
  src/totp.cpp
  src/recoverycodes.cpp
  src/qrcode.cpp
)
target_include_directories(upcoach_mfa PUBLIC include)
target_link_libraries(upcoach_mfa PUBLIC upcoach_core PRIVATE OpenSSL::Crypto PkgConfig::QRENCODE)
upcoach_strict(upcoach_mfa)
