# MFA: TOTP/HOTP known answers, base32, otpauth URIs, recovery codes; QR matrices and SVG; and the
# attack suite (malformed codes, replay, window edges, hostile stored hashes).
upcoach_add_test(test_totp LABEL unit SOURCES test_totp.cpp LIBS upcoach_mfa)
upcoach_add_test(test_qrcode LABEL unit SOURCES test_qrcode.cpp LIBS upcoach_mfa)
upcoach_add_test(test_mfa_attacks LABEL security SOURCES test_mfa_attacks.cpp LIBS upcoach_mfa)
