// Shared by the JOSE suites: the RFC example keys and tokens, and helpers that forge tokens by hand
// (so attacks can build headers and signatures the library itself would never produce).
#pragma once

#include "upcoach/core/crypto.h"
#include "upcoach/identity/jose.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <openssl/evp.h>

namespace jose_test {

// RFC 7515 Appendix A.1 payload (with its CRLFs), shared by A.2 and A.3.
inline const QByteArray kRfcPayloadB64 = QByteArrayLiteral(
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
    "fQ");
inline const QByteArray kRfcPayload = QByteArrayLiteral(
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");

// RFC 7515 Appendix A.2: RS256.
inline const QByteArray kA2Token =
    QByteArrayLiteral("eyJhbGciOiJSUzI1NiJ9.") + kRfcPayloadB64 +
    QByteArrayLiteral(".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-"
                      "0Qc_lF5YKt_O8W2Fp"
                      "5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_"
                      "nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb"
                      "1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-"
                      "eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOY"
                      "EUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw");

inline QJsonObject a2PrivateJwk()
{
    return QJsonObject{
        {QStringLiteral("kty"), QStringLiteral("RSA")},
        {QStringLiteral("n"), QStringLiteral("ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_"
                                             "wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1"
                                             "Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_"
                                             "YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpa"
                                             "SHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-"
                                             "UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4"
                                             "LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_"
                                             "h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ")},
        {QStringLiteral("e"), QStringLiteral("AQAB")},
        {QStringLiteral("d"), QStringLiteral("Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vL"
                                             "NO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwV"
                                             "ol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-"
                                             "GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzj"
                                             "kn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_"
                                             "0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaF"
                                             "QT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_"
                                             "RQyGWSeWjnczT0QU91p1DhOVRuOopznQ")},
        {QStringLiteral("p"),
         QStringLiteral("4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3Kh"
                        "ooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTB"
                        "gIPgtldC-KDV5z-y2XDwGUc")},
        {QStringLiteral("q"),
         QStringLiteral("uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7"
                        "zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKB"
                        "BypeeF6689rjcJIDEz9RWdc")},
        {QStringLiteral("dp"),
         QStringLiteral(
             "BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBf"
             "pT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5"
             "Mbr1C1XsmvkxHQAdYo0")},
        {QStringLiteral("dq"),
         QStringLiteral(
             "h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rr"
             "mI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbL"
             "BSp3nssTdlqvd0tIiTHU")},
        {QStringLiteral("qi"),
         QStringLiteral(
             "IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7"
             "fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-"
             "ZQwVK0JKSHuLFkuQ3U")},
    };
}

inline QJsonObject publicOnly(QJsonObject jwk)
{
    for (const char *m : {"d", "p", "q", "dp", "dq", "qi"})
        jwk.remove(QLatin1String(m));
    return jwk;
}

// RFC 7515 Appendix A.3: ES256 (signature in raw R||S form).
inline const QByteArray kA3Token =
    QByteArrayLiteral("eyJhbGciOiJFUzI1NiJ9.") + kRfcPayloadB64 +
    QByteArrayLiteral(
        ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q");

inline QJsonObject a3PrivateJwk()
{
    return QJsonObject{
        {QStringLiteral("kty"), QStringLiteral("EC")},
        {QStringLiteral("crv"), QStringLiteral("P-256")},
        {QStringLiteral("x"), QStringLiteral("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")},
        {QStringLiteral("y"), QStringLiteral("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")},
        {QStringLiteral("d"), QStringLiteral("jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI")},
    };
}

// RFC 8037 Appendix A.1 (key), A.3 (thumbprint), A.4 (EdDSA JWS).
inline QJsonObject ed25519PrivateJwk()
{
    return QJsonObject{
        {QStringLiteral("kty"), QStringLiteral("OKP")},
        {QStringLiteral("crv"), QStringLiteral("Ed25519")},
        {QStringLiteral("d"), QStringLiteral("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")},
        {QStringLiteral("x"), QStringLiteral("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")},
    };
}
inline const QByteArray kEd25519Thumbprint =
    QByteArrayLiteral("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
inline const QByteArray kRfc8037Token = QByteArrayLiteral(
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");

inline QByteArray b64(const QByteArray &bytes)
{
    return upcoach::crypto::base64Url(bytes);
}

inline QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// header.payload.signature from raw parts; the header and payload bytes are used as given.
inline QByteArray forge(const QByteArray &header, const QByteArray &payload,
                        const QByteArray &signature)
{
    return b64(header) + '.' + b64(payload) + '.' + b64(signature);
}

inline QByteArray hmac(const char *digest, const QByteArray &key, const QByteArray &data)
{
    unsigned char out[64];
    size_t len = 0;
    EVP_Q_mac(nullptr, "HMAC", nullptr, digest, nullptr, key.constData(), size_t(key.size()),
              reinterpret_cast<const unsigned char *>(data.constData()), size_t(data.size()), out,
              sizeof out, &len);
    return QByteArray(reinterpret_cast<const char *>(out), qsizetype(len));
}

// Re-signs `header`.`payload` (both JSON bytes) with `key` after the fact: for tokens whose
// header the library's signJws would never write.
inline QByteArray signRaw(const upcoach::identity::SigningKey &key, const QByteArray &header,
                          const QByteArray &payload)
{
    const QByteArray input = b64(header) + '.' + b64(payload);
    auto sig = key.sign(input);
    return input + '.' + (sig ? b64(*sig) : QByteArray());
}

} // namespace jose_test
