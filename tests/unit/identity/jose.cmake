# JOSE: RFC known answers (RFC 7515 A.2/A.3, RFC 8037 A.4, RFC 7638, RFC 7636 B), round trips for
# every algorithm, JWKS limits, ID token validation; and the attack suite (alg confusion, none,
# kid games, malformed encodings, claim checks).
upcoach_add_test(test_jose LABEL unit SOURCES test_jose.cpp jose_testkeys.h LIBS upcoach_jose
  OpenSSL::Crypto)
upcoach_add_test(test_jose_attacks LABEL security SOURCES test_jose_attacks.cpp jose_testkeys.h
  LIBS upcoach_jose OpenSSL::Crypto)
