#include "upcoach/routing/geoip.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <maxminddb.h>
#include <netinet/in.h>
#include <string_view>
#include <sys/socket.h>
#include <vector>

namespace upcoach::routing {

namespace {

Q_LOGGING_CATEGORY(lcGeoIp, "upcoach.routing.geoip", QtInfoMsg)

// The largest MaxMind DB we map: GeoIP2 City is under 100 MB; anything past this is not a
// country database.
constexpr qint64 kMaxDatabaseBytes = qint64{2} << 30;

// Where the ISO code lives in a record. MMDB_aget_value takes a NULL-terminated array and, unlike
// the variadic MMDB_get_value (which callocs the path), does not allocate.
constexpr const char *kTopLevelCountryCode[] = {"country_code", nullptr};   // ip-location-db
constexpr const char *kCountryIsoCode[] = {"country", "iso_code", nullptr}; // MaxMind
constexpr const char *kRegisteredCountryIsoCode[] = {"registered_country", "iso_code", nullptr};
constexpr const char *kAutonomousSystemNumber[] = {"autonomous_system_number", nullptr};

enum class Layout
{
    TopLevelCountryCode, // {"country_code": "JP"}
    MaxMind,             // {"country": {"iso_code": "JP"}, "registered_country": {...}}
};

// Special-purpose address blocks (IANA registries, RFC 6890 and successors) that name no place.
// Whois-derived databases do carry entries for some of them (this project's CC0 database maps
// 192.168.0.0/16 and 2001:db8::/32 to a country); a router must not believe those.
struct V4Block
{
    std::uint32_t base;
    int prefix;
};
constexpr V4Block kSpecialV4[] = {
    {0x00000000, 8},  // "this network"
    {0x0A000000, 8},  // private (RFC 1918)
    {0x64400000, 10}, // shared address space (carrier-grade NAT)
    {0x7F000000, 8},  // loopback
    {0xA9FE0000, 16}, // link local
    {0xAC100000, 12}, // private (RFC 1918)
    {0xC0000000, 24}, // IETF protocol assignments
    {0xC0000200, 24}, // documentation TEST-NET-1
    {0xC0A80000, 16}, // private (RFC 1918)
    {0xC6120000, 15}, // benchmarking
    {0xC6336400, 24}, // documentation TEST-NET-2
    {0xCB007100, 24}, // documentation TEST-NET-3
    {0xE0000000, 4},  // multicast
    {0xF0000000, 4},  // reserved, and the limited broadcast address
};

struct V6Block
{
    std::array<std::uint8_t, 4> head; // the first 32 bits; every block below is at least /7
    int prefix;                       // at most 32
};
constexpr V6Block kSpecialV6[] = {
    {{0x00, 0x00, 0x00, 0x00}, 8},  // ::/8 (unspecified, loopback, IPv4-compatible)
    {{0x01, 0x00, 0x00, 0x00}, 16}, // 100::/64 discard-only, within the reserved 100::/16
    {{0x20, 0x01, 0x00, 0x00}, 23}, // IETF protocol assignments (Teredo, ORCHID, ...)
    {{0x20, 0x01, 0x0d, 0xb8}, 32}, // documentation
    {{0x3f, 0xff, 0x00, 0x00}, 20}, // documentation (RFC 9637)
    {{0xfc, 0x00, 0x00, 0x00}, 7},  // unique local
    {{0xfe, 0x80, 0x00, 0x00}, 10}, // link local
    {{0xff, 0x00, 0x00, 0x00}, 8},  // multicast
};

bool isSpecialPurpose(const IpAddress &address) noexcept
{
    if (address.v4) {
        const std::uint32_t value = (std::uint32_t{address.bytes[12]} << 24) |
                                    (std::uint32_t{address.bytes[13]} << 16) |
                                    (std::uint32_t{address.bytes[14]} << 8) | address.bytes[15];
        for (const V4Block &block : kSpecialV4) {
            const std::uint32_t mask = ~std::uint32_t{0} << (32 - block.prefix);
            if ((value & mask) == block.base)
                return true;
        }
        return false;
    }
    const std::uint32_t head = (std::uint32_t{address.bytes[0]} << 24) |
                               (std::uint32_t{address.bytes[1]} << 16) |
                               (std::uint32_t{address.bytes[2]} << 8) | address.bytes[3];
    for (const V6Block &block : kSpecialV6) {
        const std::uint32_t base = (std::uint32_t{block.head[0]} << 24) |
                                   (std::uint32_t{block.head[1]} << 16) |
                                   (std::uint32_t{block.head[2]} << 8) | block.head[3];
        const std::uint32_t mask = ~std::uint32_t{0} << (32 - block.prefix);
        if ((head & mask) == base)
            return true;
    }
    return false;
}

// IPv4 goes in as AF_INET: libmaxminddb then starts at the database's IPv4 subtree (::/96 in the
// ip-location-db files, ::ffff:0:0/96 aliased to it in MaxMind's), where a lookup of the mapped
// IPv6 form would miss. Everything lives on the stack.
MMDB_lookup_result_s lookup(const MMDB_s &mmdb, const IpAddress &address, int &error) noexcept
{
    if (address.v4) {
        sockaddr_in v4{};
        v4.sin_family = AF_INET;
        std::memcpy(&v4.sin_addr.s_addr, address.bytes.data() + 12, 4);
        return MMDB_lookup_sockaddr(&mmdb, reinterpret_cast<const sockaddr *>(&v4), &error);
    }
    sockaddr_in6 v6{};
    v6.sin6_family = AF_INET6;
    std::memcpy(v6.sin6_addr.s6_addr, address.bytes.data(), 16);
    return MMDB_lookup_sockaddr(&mmdb, reinterpret_cast<const sockaddr *>(&v6), &error);
}

// The two-letter code at `path`, or unknown.
CountryCode codeAt(MMDB_entry_s entry, const char *const *path) noexcept
{
    MMDB_entry_data_s data{};
    if (MMDB_aget_value(&entry, &data, path) != MMDB_SUCCESS || !data.has_data ||
        data.type != MMDB_DATA_TYPE_UTF8_STRING || data.data_size != 2)
        return {};
    return CountryCode::fromString(std::string_view(data.utf8_string, 2));
}

bool hasKey(MMDB_entry_s entry, const char *const *path) noexcept
{
    MMDB_entry_data_s data{};
    return MMDB_aget_value(&entry, &data, path) == MMDB_SUCCESS && data.has_data;
}

// Public addresses in every registry's space, for finding where the database keeps countries.
constexpr std::string_view kProbeAddresses[] = {
    "8.8.8.8",      "1.1.1.1",     "80.130.1.1",           "133.0.0.1",
    "200.160.2.3",  "41.0.0.1",    "2001:4860:4860::8888", "2003::1",
    "2400:4050::1", "2800:3f0::1",
};

struct LayoutProbe
{
    int records = 0;
    int topLevel = 0;
    int maxMind = 0;
    int asn = 0;

    void inspect(MMDB_entry_s entry)
    {
        ++records;
        if (codeAt(entry, kTopLevelCountryCode).valid())
            ++topLevel;
        if (codeAt(entry, kCountryIsoCode).valid() ||
            codeAt(entry, kRegisteredCountryIsoCode).valid())
            ++maxMind;
        if (hasKey(entry, kAutonomousSystemNumber))
            ++asn;
    }
};

// Walks the search tree depth first (left to right) and inspects the first data records, for
// databases the probe addresses say nothing about (test databases, regional extracts).
void inspectTree(MMDB_s &mmdb, LayoutProbe &probe, int maxRecords, int maxNodes)
{
    std::vector<std::uint32_t> stack{0};
    int visited = 0;
    const auto follow = [&](std::uint8_t type, std::uint64_t record, MMDB_entry_s entry) {
        if (type == MMDB_RECORD_TYPE_SEARCH_NODE)
            stack.push_back(static_cast<std::uint32_t>(record));
        else if (type == MMDB_RECORD_TYPE_DATA)
            probe.inspect(entry);
    };
    while (!stack.empty() && visited < maxNodes && probe.records < maxRecords) {
        const std::uint32_t node = stack.back();
        stack.pop_back();
        ++visited;
        MMDB_search_node_s search{};
        if (MMDB_read_node(&mmdb, node, &search) != MMDB_SUCCESS)
            return;
        // Pushed right first so the left (lower) half is walked first.
        follow(search.right_record_type, search.right_record, search.right_record_entry);
        follow(search.left_record_type, search.left_record, search.left_record_entry);
    }
}

QString openErrorMessage(int status, int savedErrno)
{
    switch (status) {
    case MMDB_FILE_OPEN_ERROR:
        return QStringLiteral("cannot be opened (%1)")
            .arg(QString::fromLocal8Bit(std::strerror(savedErrno)));
    case MMDB_IO_ERROR:
        return QStringLiteral("could not be read (%1)")
            .arg(QString::fromLocal8Bit(std::strerror(savedErrno)));
    case MMDB_INVALID_METADATA_ERROR:
        return QStringLiteral("is not a MaxMind DB file, or is truncated (its metadata section is "
                              "missing or invalid)");
    case MMDB_UNKNOWN_DATABASE_FORMAT_ERROR:
        return QStringLiteral("is a MaxMind DB of a format version libmaxminddb does not know");
    case MMDB_CORRUPT_SEARCH_TREE_ERROR:
    case MMDB_INVALID_DATA_ERROR:
        return QStringLiteral("is corrupt or truncated (%1)")
            .arg(QString::fromUtf8(MMDB_strerror(status)));
    case MMDB_OUT_OF_MEMORY_ERROR:
        return QStringLiteral("could not be mapped: out of memory");
    default:
        return QString::fromUtf8(MMDB_strerror(status));
    }
}

const QString &whatToDo()
{
    static const QString text = QStringLiteral(
        "run scripts/setup.sh to fetch the CC0 country database, or set routing.geoip_database "
        "to a MaxMind GeoIP2/GeoLite2 Country or City database");
    return text;
}

} // namespace

struct GeoIpDatabase::Impl
{
    MMDB_s mmdb{};
    bool opened = false;
    Layout layout = Layout::TopLevelCountryCode;
    QString path;

    ~Impl()
    {
        if (opened)
            MMDB_close(&mmdb);
    }
};

GeoIpDatabase::GeoIpDatabase()
    : d(std::make_unique<Impl>())
{}

GeoIpDatabase::~GeoIpDatabase() = default;

Result<std::unique_ptr<GeoIpDatabase>> GeoIpDatabase::open(const QString &path)
{
    const auto fail = [&](ErrorCode code, const QString &what) {
        return Error{code, QStringLiteral("GeoIP database '%1' ").arg(path) + what +
                               QStringLiteral(": ") + whatToDo()};
    };
    if (path.isEmpty())
        return Error{ErrorCode::Config,
                     QStringLiteral("no GeoIP database is configured: ") + whatToDo()};
    const QFileInfo info(path);
    if (!info.exists())
        return fail(ErrorCode::NotFound, QStringLiteral("does not exist"));
    if (!info.isFile())
        return fail(ErrorCode::Config, QStringLiteral("is not a file"));
    if (!info.isReadable())
        return fail(ErrorCode::Unavailable, QStringLiteral("is not readable by this user"));
    if (info.size() == 0)
        return fail(ErrorCode::InvalidInput, QStringLiteral("is empty"));
    if (info.size() > kMaxDatabaseBytes)
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("is %1 bytes, more than the 2 GiB a country database could need")
                        .arg(info.size()));

    std::unique_ptr<GeoIpDatabase> database(new GeoIpDatabase);
    database->d->path = path;
    const QByteArray encoded = QFile::encodeName(path);
    errno = 0;
    const int status = MMDB_open(encoded.constData(), MMDB_MODE_MMAP, &database->d->mmdb);
    if (status != MMDB_SUCCESS)
        return fail(status == MMDB_FILE_OPEN_ERROR || status == MMDB_IO_ERROR
                        ? ErrorCode::Unavailable
                        : ErrorCode::InvalidInput,
                    openErrorMessage(status, errno));
    database->d->opened = true;
    MMDB_s &mmdb = database->d->mmdb;
    if (mmdb.metadata.ip_version != 4 && mmdb.metadata.ip_version != 6)
        return fail(ErrorCode::InvalidInput,
                    QStringLiteral("declares IP version %1 (4 or 6 expected)")
                        .arg(mmdb.metadata.ip_version));

    LayoutProbe probe;
    for (std::string_view text : kProbeAddresses) {
        const auto address = IpAddress::parse(text);
        if (!address || (!address->v4 && mmdb.metadata.ip_version == 4))
            continue;
        int error = MMDB_SUCCESS;
        const MMDB_lookup_result_s result = lookup(mmdb, *address, error);
        if (error == MMDB_SUCCESS && result.found_entry)
            probe.inspect(result.entry);
    }
    inspectTree(mmdb, probe, 32, 1 << 16);

    const QString type = database->databaseType();
    if (probe.topLevel == 0 && probe.maxMind == 0) {
        if (probe.asn > 0)
            return fail(
                ErrorCode::Config,
                QStringLiteral("is an ASN database (type '%1') and has no countries").arg(type));
        if (probe.records == 0)
            return fail(ErrorCode::InvalidInput,
                        QStringLiteral("(type '%1') has no records").arg(type));
        return fail(ErrorCode::Config,
                    QStringLiteral("(type '%1') has no country data: its records carry neither "
                                   "country_code nor country.iso_code")
                        .arg(type));
    }
    database->d->layout =
        probe.topLevel >= probe.maxMind ? Layout::TopLevelCountryCode : Layout::MaxMind;
    qCInfo(lcGeoIp).noquote() << "opened GeoIP database" << path << "type" << type << "built"
                              << database->buildDate() << "layout"
                              << (database->d->layout == Layout::MaxMind
                                      ? QStringLiteral("country.iso_code")
                                      : QStringLiteral("country_code"));
    return database;
}

QString GeoIpDatabase::defaultPath()
{
    return QString::fromUtf8(UPCOACH_GEOIP_DEFAULT_PATH);
}

CountryCode GeoIpDatabase::country(const IpAddress &address) const noexcept
{
    if (isSpecialPurpose(address))
        return {};
    int error = MMDB_SUCCESS;
    const MMDB_lookup_result_s result = lookup(d->mmdb, address, error);
    if (error != MMDB_SUCCESS || !result.found_entry)
        return {};
    if (d->layout == Layout::TopLevelCountryCode)
        return codeAt(result.entry, kTopLevelCountryCode);
    // Where the user is, else where the network is registered (anycast, satellite providers).
    const CountryCode located = codeAt(result.entry, kCountryIsoCode);
    return located.valid() ? located : codeAt(result.entry, kRegisteredCountryIsoCode);
}

bool GeoIpDatabase::rawLookup(const IpAddress &address) const noexcept
{
    int error = MMDB_SUCCESS;
    const MMDB_lookup_result_s result = lookup(d->mmdb, address, error);
    return error == MMDB_SUCCESS && result.found_entry;
}

QString GeoIpDatabase::databaseType() const
{
    const char *type = d->mmdb.metadata.database_type;
    return type ? QString::fromUtf8(type) : QString();
}

QString GeoIpDatabase::buildDate() const
{
    return QDateTime::fromSecsSinceEpoch(static_cast<qint64>(d->mmdb.metadata.build_epoch), Qt::UTC)
        .date()
        .toString(Qt::ISODate);
}

QString GeoIpDatabase::path() const
{
    return d->path;
}

} // namespace upcoach::routing
