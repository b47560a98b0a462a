// Configuration of a real deployment (console/serve --config FILE), in YAML.
//
//   control_plane: { region: us-east-1 }
//   regions:
//     - id: us-east-1
//       dsn: "host=db1.internal port=5432 dbname=upcoach user=upcoach sslmode=verify-full"
//       password_env: UPCOACH_PG_US_EAST_1     # or password_file: /run/secrets/pg-use1
//       owner: { user: upcoach_owner, password_env: UPCOACH_PG_OWNER }   # runs migrations
//   monitor: { interval: 5s, timeout: 3s, failures_before_down: 1 }
//   server:  { listen: "0.0.0.0:8080", export_dir: /var/lib/upcoach-ops/exports }
//   log:     { format: json }                   # or text
//   audit:   { signing_key_file: /run/secrets/audit-key.pem, tree_head_every: 1000,
//              tree_head_interval: 10s }
//   keys:    { provider: keyring, keyring_file: /var/lib/upcoach-ops/secrets/tenant-keyring }
//   # or: keys: { provider: pkcs11, pkcs11: { module: /usr/lib/softhsm/libsofthsm2.so,
//   #             token_label: upcoach, pin_env: UPCOACH_HSM_PIN, key_label: upcoach-kek } }
//
// Validation errors name the key path ("regions[2].dsn") and the problem. Secrets are never
// required inline; an inline password in a DSN is rejected so it never lands in a config repo.
#pragma once

#include "upcoach/core/regioncatalog.h"
#include "upcoach/core/result.h"

#include <QHostAddress>
#include <QList>
#include <QString>
#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

namespace upcoach {

// A database login other than the endpoint's own: its user and where its password comes from.
struct DatabaseLogin
{
    QString user;
    QString passwordEnv;
    QString passwordFile;
    QString password; // already resolved (embedded clusters); never from a config file
};

struct RegionEndpoint
{
    QString regionId;
    // A libpq connection string without the password.
    QString dsn;
    // Where the password comes from; at most one is set. Resolved when connecting.
    QString passwordEnv;
    QString passwordFile;
    // An already-resolved password (embedded clusters); never read from a config file.
    QString password;
    // The schema owner that runs migrations (regions[i].owner in YAML). The DSN's own user is
    // the application's login, which owns nothing and may only do what the migrations grant
    // to the role upcoach_app. Empty user: the DSN's user does both (development setups).
    DatabaseLogin owner;
    // Replaces the DSN's user (set by asOwner()).
    QString userOverride;

    // The same server and database, logged in as the owner; *this when there is no owner.
    RegionEndpoint asOwner() const;

    // The DSN (key=value or URI form) rewritten as key=value pairs with the password resolved
    // (env or file) and `extra` settings added or overriding — for libpq only, never for logs.
    // `dsn` itself never holds a password, so it is the form safe to show.
    Result<QString> connectionString(const QList<std::pair<QString, QString>> &extra = {}) const;
};

struct MonitorSettings
{
    std::chrono::milliseconds interval{5000};
    std::chrono::milliseconds timeout{3000};
    int failuresBeforeDown = 1;
};

struct ListenAddress
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8080;
    static Result<ListenAddress> parse(const QString &text);
    QString toString() const;
};

struct AuditConfig
{
    // The Ed25519 key (PKCS#8 PEM, mode 0600) that signs audit tree heads; shared by every
    // serve instance. Empty: <state dir>/secrets/audit-signing-key.pem (embedded default).
    QString signingKeyFile;
    uint64_t treeHeadEvery = 1000;
    std::chrono::milliseconds treeHeadInterval{10'000};
};

// Where tenants' key-encryption keys (KEKs) live (backend/tenancy/KEYS.md).
struct Pkcs11KeysConfig
{
    QString module;         // absolute path of the PKCS#11 module (.so)
    QString tokenLabel;     // the token, by its label (1..32 bytes)
    QString pinEnv;         // the user PIN comes from this environment variable ...
    QString pinFile;        // ... or from this file (exactly one of the two)
    QString keyLabel;       // KEK versions are the token's AES keys labelled "<key_label>.v<N>"
    bool createKey = false; // create version 1 on the token when none exists
};

struct KeysConfig
{
    enum class Provider
    {
        Keyring, // a local keyring file (the default)
        Pkcs11,  // an HSM through a PKCS#11 module
    };
    Provider provider = Provider::Keyring;
    // Empty: <state dir>/secrets/tenant-keyring (embedded default; the caller decides).
    QString keyringFile;
    Pkcs11KeysConfig pkcs11;
    // keys.rotation_days: a tenant's data key is rotated (and its values re-encrypted) when its
    // current version is older than this; 0 turns scheduled rotation off.
    int rotationDays = 90;
};

struct AppConfig
{
    QString controlPlaneRegion;
    std::vector<RegionEndpoint> regions;
    MonitorSettings monitor;
    ListenAddress listen;
    // Where POST /api/v1/tenants/{slug}/export writes archives (personal data unless masked:
    // a protected volume). Empty: exports are not offered.
    QString exportDir;
    bool jsonLogs = true;
    AuditConfig audit;
    KeysConfig keys;
    // The `routing:` mapping as YAML text, parsed by backend/routing (RoutingSettings::fromYaml);
    // empty when the file has none (the built-in traffic policy, no health checks).
    QByteArray routingYaml;
    // The directory of the file load() read; relative paths in the routing section start here.
    QString baseDir;

    const RegionEndpoint *endpoint(const QString &regionId) const;
    const RegionEndpoint *controlPlane() const { return endpoint(controlPlaneRegion); }

    static Result<AppConfig> fromYaml(const QByteArray &yaml,
                                      const RegionCatalog &catalog = RegionCatalog::builtin());
    static Result<AppConfig> load(const QString &path,
                                  const RegionCatalog &catalog = RegionCatalog::builtin());
};

// "5s", "250ms", "2m", "1h", "30d" → milliseconds. Exposed for tests.
Result<std::chrono::milliseconds> parseDuration(const QString &text);

} // namespace upcoach
