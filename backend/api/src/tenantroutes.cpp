#include "tenantroutes.h"

#include "requestparsing.h"
#include "upcoach/compliance/auditevent.h"
#include "upcoach/core/regioncatalog.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUrl>
#include <algorithm>

namespace upcoach::api::detail {

namespace {

constexpr qsizetype kMaxSearchLength = 200;
constexpr int kMaxOffset = 1'000'000'000;

// Region ids, plan names: lower-case identifiers. Checked here so that a registry message that
// names the value never repeats arbitrary input.
bool isIdentifier(const QString &text, qsizetype maxLength)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9][a-z0-9-]*$"));
    return !text.isEmpty() && text.size() <= maxLength && pattern.match(text).hasMatch();
}

// Keys of config / limits / features (the registry names unknown ones in its messages).
std::optional<Problem> checkKeys(const QString &field, const QJsonObject &object)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z][A-Za-z0-9_-]{0,63}$"));
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!pattern.match(it.key()).hasMatch())
            return invalidField(field, QStringLiteral("keys are names of 1 to 64 letters, digits, "
                                                      "'_' and '-', starting with a letter"));
    }
    return std::nullopt;
}

const QString kRegionIdHint = QStringLiteral("expected a region id such as eu-west-1");

// ---- typed field readers; each answers the problem naming the field ----

std::optional<Problem> readRegion(const QJsonObject &object, const QString &field, QString *out)
{
    if (auto problem = readString(object, field, out))
        return invalidField(field, kRegionIdHint);
    if (!isIdentifier(*out, 32))
        return invalidField(field, kRegionIdHint);
    return std::nullopt;
}

std::optional<Problem> readPlan(const QJsonObject &object, QString *out)
{
    const QString field = QStringLiteral("plan");
    if (readString(object, field, out) || !isIdentifier(*out, 40))
        return invalidField(field, QStringLiteral("expected a plan name such as starter or "
                                                  "enterprise"));
    return std::nullopt;
}

std::optional<Problem> readRegions(const QJsonObject &object, const QString &field,
                                   QStringList *out)
{
    const QJsonValue value = object.value(field);
    const QString hint = QStringLiteral("expected an array of region ids such as "
                                        "[\"eu-west-1\", \"eu-central-1\"]");
    if (!value.isArray())
        return invalidField(field, hint);
    out->clear();
    for (const QJsonValue &item : value.toArray()) {
        if (!item.isString() || !isIdentifier(item.toString(), 32))
            return invalidField(field, hint);
        out->append(item.toString());
    }
    return std::nullopt;
}

std::optional<Problem> readObject(const QJsonObject &object, const QString &field, QJsonObject *out)
{
    const QJsonValue value = object.value(field);
    if (!value.isObject())
        return invalidField(field, QStringLiteral("expected a JSON object"));
    *out = value.toObject();
    return checkKeys(field, *out);
}

std::optional<Problem> readIsolation(const QJsonObject &object, tenancy::IsolationStrategy *out)
{
    const QString field = QStringLiteral("isolation");
    const QJsonValue value = object.value(field);
    const std::optional<tenancy::IsolationStrategy> parsed =
        value.isString() ? tenancy::parseIsolation(value.toString()) : std::nullopt;
    if (!parsed)
        return invalidField(field, QStringLiteral("expected rls, schema or database"));
    *out = *parsed;
    return std::nullopt;
}

} // namespace

bool isUnrecordedStaleVersion(const Error &error)
{
    return error.code == ErrorCode::Conflict &&
           error.message.contains(QLatin1String("changed since version"));
}

namespace {

bool isStaleVersion(const Error &error)
{
    // The registry's two "someone else changed it" conflicts: the version check before it
    // records anything ("changed since version N"), and the race caught by the UPDATE's version
    // guard after its event was recorded ("changed meanwhile").
    return error.message.contains(QLatin1String("changed since version")) ||
           error.message.contains(QLatin1String("changed meanwhile"));
}

} // namespace

std::variant<tenancy::NewTenant, Problem> parseNewTenant(const QByteArray &contentType,
                                                         const QByteArray &body, qint64 maxBytes)
{
    if (body.size() > maxBytes)
        return payloadTooLarge(maxBytes);
    if (mediaType(contentType) != "application/json")
        return unsupported(QStringLiteral("application/json"));
    auto parsed = jsonObjectBody(
        body, QStringLiteral("{\"slug\", \"name\", \"plan\", \"homeRegion\", \"isolation\", "
                             "\"ownerEmail\", ...}"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);

    static const QStringList required = {QStringLiteral("slug"),      QStringLiteral("name"),
                                         QStringLiteral("plan"),      QStringLiteral("homeRegion"),
                                         QStringLiteral("isolation"), QStringLiteral("ownerEmail")};
    static const QStringList optional = {
        QStringLiteral("ownerName"),      QStringLiteral("kind"),   QStringLiteral("parent"),
        QStringLiteral("allowedRegions"), QStringLiteral("config"), QStringLiteral("limits"),
        QStringLiteral("features"),       QStringLiteral("trial")};
    if (auto problem = refuseUnknownFields(object, required + optional))
        return *problem;
    QStringList missing;
    for (const QString &field : required) {
        if (!givenNotNull(object, field))
            missing.append(field);
    }
    if (missing.size() == 1)
        return invalidField(missing.first(), QStringLiteral("required"));
    if (!missing.isEmpty()) {
        Problem problem = badRequest(QStringLiteral("required field(s) missing: %1")
                                         .arg(missing.join(QStringLiteral(", "))));
        problem.extensions.insert(QStringLiteral("fields"), QJsonArray::fromStringList(missing));
        return problem;
    }

    tenancy::NewTenant tenant;
    if (auto problem = readString(object, QStringLiteral("slug"), &tenant.slug))
        return *problem;
    if (Status valid = tenancy::validateSlug(tenant.slug); !valid)
        return invalidField(QStringLiteral("slug"), valid.error().message.mid(6));
    if (auto problem = readString(object, QStringLiteral("name"), &tenant.displayName))
        return *problem;
    if (auto problem = readPlan(object, &tenant.plan))
        return *problem;
    if (auto problem = readRegion(object, QStringLiteral("homeRegion"), &tenant.homeRegion))
        return *problem;
    if (auto problem = readIsolation(object, &tenant.isolation))
        return *problem;
    if (auto problem = readString(object, QStringLiteral("ownerEmail"), &tenant.ownerEmail))
        return *problem;

    if (givenNotNull(object, QStringLiteral("ownerName"))) {
        if (auto problem = readString(object, QStringLiteral("ownerName"), &tenant.ownerName))
            return *problem;
    }
    if (givenNotNull(object, QStringLiteral("kind"))) {
        const QJsonValue kind = object.value(QStringLiteral("kind"));
        const std::optional<tenancy::TenantKind> parsedKind =
            kind.isString() ? tenancy::parseKind(kind.toString()) : std::nullopt;
        if (!parsedKind)
            return invalidField(QStringLiteral("kind"),
                                QStringLiteral("expected organization, sub-organization or team"));
        tenant.kind = *parsedKind;
    }
    if (givenNotNull(object, QStringLiteral("parent"))) {
        const QJsonValue parent = object.value(QStringLiteral("parent"));
        if (!parent.isString() || !tenancy::validateSlug(parent.toString()))
            return invalidField(QStringLiteral("parent"),
                                QStringLiteral("expected the slug of the parent tenant, or null"));
        tenant.parentSlug = parent.toString();
    }
    if (givenNotNull(object, QStringLiteral("allowedRegions"))) {
        if (auto problem =
                readRegions(object, QStringLiteral("allowedRegions"), &tenant.allowedRegions))
            return *problem;
    }
    for (const auto &[field, target] : {std::pair{QStringLiteral("config"), &tenant.config},
                                        std::pair{QStringLiteral("limits"), &tenant.limits},
                                        std::pair{QStringLiteral("features"), &tenant.features}}) {
        if (!givenNotNull(object, field))
            continue;
        if (auto problem = readObject(object, field, target))
            return *problem;
    }
    if (givenNotNull(object, QStringLiteral("trial"))) {
        const QJsonValue trial = object.value(QStringLiteral("trial"));
        if (!trial.isBool())
            return invalidField(QStringLiteral("trial"), QStringLiteral("expected true or false"));
        tenant.trial = trial.toBool();
    }
    return tenant;
}

std::variant<TenantUpdate, Problem> parseTenantUpdate(const QByteArray &contentType,
                                                      const QByteArray &body, qint64 maxBytes)
{
    if (body.size() > maxBytes)
        return payloadTooLarge(maxBytes);
    const QByteArray type = mediaType(contentType);
    const bool merge = type == "application/merge-patch+json";
    if (!merge && type != "application/json")
        return unsupported(QStringLiteral("application/json or application/merge-patch+json"));
    auto parsed = jsonObjectBody(body, QStringLiteral("the fields to change, such as "
                                                      "{\"name\": \"Acme Corp\"}"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    static const QStringList known = {QStringLiteral("name"),           QStringLiteral("plan"),
                                      QStringLiteral("allowedRegions"), QStringLiteral("ownerName"),
                                      QStringLiteral("ownerEmail"),     QStringLiteral("config"),
                                      QStringLiteral("limits"),         QStringLiteral("features")};
    if (auto problem = refuseUnknownFields(object, known))
        return *problem;
    if (object.isEmpty())
        return badRequest(QStringLiteral("nothing to change: send at least one of %1")
                              .arg(known.join(QStringLiteral(", "))));

    TenantUpdate update;
    tenancy::TenantPatch &patch = update.patch;
    auto notRemovable = [](const QString &field) {
        return invalidField(field, QStringLiteral("cannot be removed (null); send a value"));
    };
    if (present(object, QStringLiteral("name"))) {
        if (object.value(QStringLiteral("name")).isNull())
            return notRemovable(QStringLiteral("name"));
        QString name;
        if (auto problem = readString(object, QStringLiteral("name"), &name))
            return *problem;
        patch.displayName = name;
    }
    if (present(object, QStringLiteral("plan"))) {
        if (object.value(QStringLiteral("plan")).isNull())
            return notRemovable(QStringLiteral("plan"));
        QString plan;
        if (auto problem = readPlan(object, &plan))
            return *problem;
        patch.plan = plan;
    }
    if (present(object, QStringLiteral("allowedRegions"))) {
        if (object.value(QStringLiteral("allowedRegions")).isNull())
            return notRemovable(QStringLiteral("allowedRegions"));
        QStringList regions;
        if (auto problem = readRegions(object, QStringLiteral("allowedRegions"), &regions))
            return *problem;
        patch.allowedRegions = regions;
    }
    if (present(object, QStringLiteral("ownerEmail"))) {
        if (object.value(QStringLiteral("ownerEmail")).isNull())
            return notRemovable(QStringLiteral("ownerEmail"));
        QString email;
        if (auto problem = readString(object, QStringLiteral("ownerEmail"), &email))
            return *problem;
        patch.ownerEmail = email;
    }
    if (present(object, QStringLiteral("ownerName"))) {
        QString name;
        if (!object.value(QStringLiteral("ownerName")).isNull()) {
            if (auto problem = readString(object, QStringLiteral("ownerName"), &name))
                return *problem;
        }
        patch.ownerName = name;
    }
    for (const auto &[field, target] : {std::pair{QStringLiteral("config"), &patch.config},
                                        std::pair{QStringLiteral("limits"), &patch.limits},
                                        std::pair{QStringLiteral("features"), &patch.features}}) {
        if (!present(object, field))
            continue;
        const QJsonValue value = object.value(field);
        if (value.isNull()) {
            *target = QJsonObject();
            continue;
        }
        QJsonObject given;
        if (auto problem = readObject(object, field, &given))
            return *problem;
        if (merge)
            update.objectMerges.insert(field, given);
        else
            *target = given;
    }
    return update;
}

tenancy::TenantPatch resolveUpdate(const TenantUpdate &update, const tenancy::Tenant &current)
{
    tenancy::TenantPatch patch = update.patch;
    for (const auto &[field, target, base] :
         {std::tuple{QStringLiteral("config"), &patch.config, &current.config},
          std::tuple{QStringLiteral("limits"), &patch.limits, &current.limits},
          std::tuple{QStringLiteral("features"), &patch.features, &current.features}}) {
        if (update.objectMerges.contains(field))
            *target = mergePatch(*base, update.objectMerges.value(field)).toObject();
    }
    return patch;
}

QJsonValue mergePatch(const QJsonValue &target, const QJsonValue &patch)
{
    if (!patch.isObject())
        return patch;
    QJsonObject result = target.isObject() ? target.toObject() : QJsonObject();
    const QJsonObject changes = patch.toObject();
    for (auto it = changes.begin(); it != changes.end(); ++it) {
        if (it.value().isNull())
            result.remove(it.key());
        else
            result.insert(it.key(), mergePatch(result.value(it.key()), it.value()));
    }
    return result;
}

std::variant<TenantMoveRequest, Problem> parseTenantMove(const QByteArray &contentType,
                                                         const QByteArray &body, qint64 maxBytes)
{
    if (body.size() > maxBytes)
        return payloadTooLarge(maxBytes);
    if (mediaType(contentType) != "application/json")
        return unsupported(QStringLiteral("application/json"));
    auto parsed = jsonObjectBody(
        body, QStringLiteral("{\"isolation\": \"schema\", \"homeRegion\": \"eu-west-1\"}"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    if (auto problem = refuseUnknownFields(
            object, {QStringLiteral("isolation"), QStringLiteral("homeRegion")}))
        return *problem;
    TenantMoveRequest move;
    if (givenNotNull(object, QStringLiteral("isolation"))) {
        tenancy::IsolationStrategy isolation{};
        if (auto problem = readIsolation(object, &isolation))
            return *problem;
        move.isolation = isolation;
    }
    if (givenNotNull(object, QStringLiteral("homeRegion"))) {
        QString region;
        if (auto problem = readRegion(object, QStringLiteral("homeRegion"), &region))
            return *problem;
        move.homeRegion = region;
    }
    if (!move.isolation && !move.homeRegion)
        return badRequest(QStringLiteral("isolation, homeRegion: give at least one (where the "
                                         "tenant should move)"));
    return move;
}

std::optional<Problem> checkNoBody(const QByteArray &contentType, const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return std::nullopt;
    if (mediaType(contentType) != "application/json")
        return unsupported(QStringLiteral("application/json (or send no body)"));
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return badRequest(QStringLiteral("this action takes no body (or {})"));
    if (auto problem = refuseUnknownFields(document.object(), {}))
        return *problem;
    return std::nullopt;
}

std::variant<IfMatch, Problem> parseIfMatch(const QList<QByteArray> &values)
{
    IfMatch match;
    if (values.isEmpty())
        return match;
    match.present = true;
    auto malformed = [] {
        return invalidField(QStringLiteral("If-Match"),
                            QStringLiteral("expected * or entity tags such as \"3\" (the ETag of "
                                           "the tenant)"));
    };
    for (const QByteArray &value : values) {
        for (const QByteArray &raw : value.split(',')) {
            const QByteArray tag = raw.trimmed();
            if (tag == "*") {
                match.any = true;
                continue;
            }
            const bool weak = tag.startsWith("W/");
            const QByteArray quoted = weak ? tag.mid(2) : tag;
            if (quoted.size() < 2 || !quoted.startsWith('"') || !quoted.endsWith('"'))
                return malformed();
            const QByteArray opaque = quoted.mid(1, quoted.size() - 2);
            if (opaque.contains('"'))
                return malformed();
            if (weak)
                continue; // never matches under the strong comparison If-Match uses
            bool ok = false;
            const qint64 version = opaque.toLongLong(&ok);
            const bool digits = !opaque.isEmpty() && opaque.size() <= 18 &&
                                std::all_of(opaque.begin(), opaque.end(),
                                            [](char c) { return c >= '0' && c <= '9'; });
            if (ok && digits)
                match.versions.append(version);
            // Any other opaque tag is well-formed but is none of ours: it never matches.
        }
    }
    return match;
}

QByteArray versionETag(qint64 version)
{
    return '"' + QByteArray::number(version) + '"';
}

std::variant<tenancy::TenantQuery, QueryError> parseTenantListQuery(const QUrlQuery &urlQuery)
{
    static const QStringList known = {QStringLiteral("state"),  QStringLiteral("plan"),
                                      QStringLiteral("region"), QStringLiteral("isolation"),
                                      QStringLiteral("parent"), QStringLiteral("q"),
                                      QStringLiteral("sort"),   QStringLiteral("order"),
                                      QStringLiteral("limit"),  QStringLiteral("offset")};
    auto collected = collectParameters(urlQuery, known);
    if (const QueryError *error = std::get_if<QueryError>(&collected))
        return *error;
    const QHash<QString, QString> values = std::get<QHash<QString, QString>>(collected);

    tenancy::TenantQuery query;
    query.limit = kDefaultTenantPageSize;
    if (values.contains(QStringLiteral("state"))) {
        const std::optional<tenancy::TenantState> state =
            tenancy::parseState(values.value(QStringLiteral("state")));
        if (!state)
            return refuseParameter(QStringLiteral("state"),
                                   QStringLiteral("expected trial, active, suspended, canceled "
                                                  "or deleted"));
        query.state = *state;
        query.includeDeleted = *state == tenancy::TenantState::Deleted;
    }
    if (values.contains(QStringLiteral("plan"))) {
        query.plan = values.value(QStringLiteral("plan"));
        if (!isIdentifier(query.plan, 40))
            return refuseParameter(QStringLiteral("plan"),
                                   QStringLiteral("expected a plan name such as enterprise"));
    }
    if (values.contains(QStringLiteral("region"))) {
        query.region = values.value(QStringLiteral("region"));
        if (!isIdentifier(query.region, 32))
            return refuseParameter(QStringLiteral("region"), kRegionIdHint);
    }
    if (values.contains(QStringLiteral("isolation"))) {
        const std::optional<tenancy::IsolationStrategy> isolation =
            tenancy::parseIsolation(values.value(QStringLiteral("isolation")));
        if (!isolation)
            return refuseParameter(QStringLiteral("isolation"),
                                   QStringLiteral("expected rls, schema or database"));
        query.isolation = *isolation;
    }
    if (values.contains(QStringLiteral("parent"))) {
        query.parentSlug = values.value(QStringLiteral("parent"));
        if (!tenancy::validateSlug(query.parentSlug))
            return refuseParameter(QStringLiteral("parent"),
                                   QStringLiteral("expected the slug of a tenant"));
    }
    if (values.contains(QStringLiteral("q"))) {
        query.search = values.value(QStringLiteral("q"));
        const bool control = std::any_of(query.search.begin(), query.search.end(), [](QChar c) {
            return c.unicode() < 0x20 || c.unicode() == 0x7f || c == QChar::ReplacementCharacter;
        });
        if (query.search.isEmpty() || query.search.size() > kMaxSearchLength || control)
            return refuseParameter(QStringLiteral("q"),
                                   QStringLiteral("expected 1 to %1 characters (no control "
                                                  "characters) to find in slugs and names")
                                       .arg(kMaxSearchLength));
    }
    if (values.contains(QStringLiteral("sort"))) {
        const std::optional<tenancy::TenantSort> sort =
            tenancy::parseSort(values.value(QStringLiteral("sort")));
        if (!sort)
            return refuseParameter(QStringLiteral("sort"),
                                   QStringLiteral("expected slug, name, created, state, plan, "
                                                  "region or isolation"));
        query.sort = *sort;
    }
    if (values.contains(QStringLiteral("order"))) {
        const QString order = values.value(QStringLiteral("order"));
        if (order != QLatin1String("asc") && order != QLatin1String("desc"))
            return refuseParameter(QStringLiteral("order"), QStringLiteral("expected asc or desc"));
        query.descending = order == QLatin1String("desc");
    }
    if (auto refused =
            readPaging(values, kMaxTenantPageSize, kMaxOffset, query.limit, query.offset))
        return *refused;
    return query;
}

std::variant<int, QueryError> parseDeletionQuery(const QUrlQuery &urlQuery)
{
    static const QStringList known = {QStringLiteral("retentionDays")};
    auto collected = collectParameters(urlQuery, known);
    if (const QueryError *error = std::get_if<QueryError>(&collected))
        return *error;
    const QHash<QString, QString> values = std::get<QHash<QString, QString>>(collected);
    if (!values.contains(QStringLiteral("retentionDays")))
        return kDefaultRetentionDays;
    const int days = digitsValue(values.value(QStringLiteral("retentionDays")), 3);
    if (days < 1 || days > kMaxRetentionDays)
        return refuseParameter(QStringLiteral("retentionDays"),
                               QStringLiteral("expected a whole number of days from 1 to %1 "
                                              "(default %2)")
                                   .arg(kMaxRetentionDays)
                                   .arg(kDefaultRetentionDays));
    return days;
}

std::variant<TenantExportRequest, Problem>
parseTenantExport(const QByteArray &contentType, const QByteArray &body, qint64 maxBytes)
{
    if (body.size() > maxBytes)
        return payloadTooLarge(maxBytes);
    TenantExportRequest request;
    if (body.trimmed().isEmpty())
        return request;
    if (mediaType(contentType) != "application/json")
        return unsupported(QStringLiteral("application/json (or send no body)"));
    auto parsed = jsonObjectBody(body, QStringLiteral("{\"mask\": true} (or no body)"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    if (auto problem = refuseUnknownFields(object, {QStringLiteral("mask")}))
        return *problem;
    if (givenNotNull(object, QStringLiteral("mask"))) {
        const QJsonValue mask = object.value(QStringLiteral("mask"));
        if (!mask.isBool())
            return invalidField(QStringLiteral("mask"),
                                QStringLiteral("expected true (replace names, emails and phone "
                                               "numbers) or false"));
        request.mask = mask.toBool();
    }
    return request;
}

QString exportDirectoryName(const QString &slug, const QDateTime &now, const QByteArray &suffix)
{
    return QStringLiteral("%1-%2-%3")
        .arg(slug, now.toUTC().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'")),
             QString::fromLatin1(suffix.toHex()));
}

QJsonObject tenantExportJson(const tenancy::ExportReport &report, const QJsonObject &manifest)
{
    QJsonObject rows;
    for (auto it = report.rows.begin(); it != report.rows.end(); ++it)
        rows.insert(it.key(), it.value());
    return QJsonObject{{QStringLiteral("directory"), report.directory},
                       {QStringLiteral("manifest"), manifest},
                       {QStringLiteral("rows"), rows}};
}

QJsonObject tenantJson(const tenancy::Tenant &tenant, const QString &parentSlug)
{
    QJsonObject object;
    object.insert(QStringLiteral("id"), tenant.id.toString(QUuid::WithoutBraces));
    object.insert(QStringLiteral("slug"), tenant.slug);
    object.insert(QStringLiteral("name"), tenant.displayName);
    object.insert(QStringLiteral("kind"), tenancy::kindName(tenant.kind));
    object.insert(QStringLiteral("parent"),
                  parentSlug.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(parentSlug));
    object.insert(QStringLiteral("plan"), tenant.plan);
    object.insert(QStringLiteral("state"), tenancy::stateName(tenant.state));
    object.insert(QStringLiteral("trialEndsAt"), timeOrNull(tenant.trialEndsAt));
    object.insert(QStringLiteral("homeRegion"), tenant.homeRegion);
    object.insert(QStringLiteral("allowedRegions"),
                  QJsonArray::fromStringList(tenant.allowedRegions));
    object.insert(QStringLiteral("isolation"), tenancy::isolationName(tenant.isolation));
    object.insert(QStringLiteral("provisioning"), tenancy::provisioningName(tenant.provisioning));
    object.insert(QStringLiteral("config"), tenant.config);
    object.insert(QStringLiteral("limits"), tenant.limits);
    object.insert(QStringLiteral("features"), tenant.features);
    object.insert(QStringLiteral("ownerName"), tenant.ownerName);
    object.insert(QStringLiteral("ownerEmail"), tenant.ownerEmail);
    object.insert(QStringLiteral("createdAt"), timeOrNull(tenant.createdAt));
    object.insert(QStringLiteral("updatedAt"), timeOrNull(tenant.updatedAt));
    object.insert(QStringLiteral("suspendedAt"), timeOrNull(tenant.suspendedAt));
    object.insert(QStringLiteral("canceledAt"), timeOrNull(tenant.canceledAt));
    object.insert(QStringLiteral("deletionRequestedAt"), timeOrNull(tenant.deletionRequestedAt));
    object.insert(QStringLiteral("purgeAfter"), timeOrNull(tenant.purgeAfter));
    object.insert(QStringLiteral("deletedAt"), timeOrNull(tenant.deletedAt));
    object.insert(QStringLiteral("version"), tenant.version);
    return object;
}

QJsonObject effectiveSettingsJson(const tenancy::EffectiveSettings &settings)
{
    QJsonObject features;
    for (auto it = settings.features.begin(); it != settings.features.end(); ++it)
        features.insert(it.key(), it.value());
    return QJsonObject{
        {QStringLiteral("limits"),
         QJsonObject{
             {QStringLiteral("seats"), settings.limits.seats},
             {QStringLiteral("storageBytes"), settings.limits.storageBytes},
             {QStringLiteral("apiRequestsPerMinute"), settings.limits.apiRequestsPerMinute}}},
        {QStringLiteral("features"), features},
        {QStringLiteral("config"), settings.config},
    };
}

RegistryFailure registryFailure(TenantOperation operation, const Error &error,
                                bool preconditionGiven)
{
    const QString detail = boundedDetail(error.message);
    switch (error.code) {
    case ErrorCode::InvalidInput: {
        if (operation == TenantOperation::Export)
            return {internalError(), true}; // the directory and options are the API's own
        // Every InvalidInput is raised by validation, before the registry records anything.
        Problem problem = badRequest(detail);
        if (const QString field = fieldOf(error.message); !field.isEmpty())
            problem.extensions.insert(QStringLiteral("field"), field);
        return {problem, false};
    }
    case ErrorCode::NotFound:
        return {Problem{404, QStringLiteral("not-found"), QStringLiteral("Not found"), detail, {}},
                false};
    case ErrorCode::Conflict:
        if (isStaleVersion(error)) {
            const bool afterRecording = error.message.contains(QLatin1String("meanwhile"));
            Problem problem = preconditionGiven
                                  ? preconditionFailed(detail)
                                  : conflict("tenant-changed", "Tenant changed", detail);
            return {problem, afterRecording};
        }
        switch (operation) {
        case TenantOperation::Transition:
            // The lifecycle state machine refused; the registry recorded the attempt.
            return {conflict("tenant-state-conflict", "Tenant state conflict", detail), true};
        case TenantOperation::Delete:
        case TenantOperation::Restore:
        case TenantOperation::Export:
            // Already scheduled, not scheduled, already purged: refused before recording.
            return {conflict("tenant-state-conflict", "Tenant state conflict", detail), false};
        case TenantOperation::Create:
            if (fieldOf(error.message) == QLatin1String("slug"))
                return {conflict("tenant-exists", "Tenant exists", detail), false};
            return {conflict("tenant-conflict", "Tenant conflict", detail), false};
        default:
            return {conflict("tenant-conflict", "Tenant conflict", detail), false};
        }
    case ErrorCode::Unavailable:
        if (error.message.contains(QLatin1String("audit log could not record")))
            return {auditUnavailable(QStringLiteral("the audit log did not record the change, so "
                                                    "nothing was changed; retry shortly")),
                    true};
        if (operation == TenantOperation::Export)
            return {tenantExportFailed(), true};
        return {tenancyUnavailable(QStringLiteral("the tenant registry did not answer; retry "
                                                  "shortly")),
                true};
    default:
        return {internalError(), true};
    }
}

Problem tenancyUnavailable(const QString &detail)
{
    return Problem{503,
                   QStringLiteral("tenancy-unavailable"),
                   QStringLiteral("Tenancy unavailable"),
                   detail,
                   {}};
}

Problem tenantNotFound(const QString &slug)
{
    return Problem{404,
                   QStringLiteral("not-found"),
                   QStringLiteral("Not found"),
                   QStringLiteral("no tenant %1").arg(slug),
                   {}};
}

Problem preconditionFailed(const QString &detail)
{
    Problem problem{412,
                    QStringLiteral("precondition-failed"),
                    QStringLiteral("Precondition failed"),
                    detail,
                    {}};
    problem.extensions.insert(QStringLiteral("field"), QStringLiteral("If-Match"));
    return problem;
}

Problem provisioningFailed(const QString &slug)
{
    return Problem{503,
                   QStringLiteral("tenant-provisioning-failed"),
                   QStringLiteral("Tenant provisioning failed"),
                   QStringLiteral("tenant %1 is registered, but provisioning its placement "
                                  "failed (it is logged); send the same request again to resume")
                       .arg(slug),
                   {}};
}

Problem invalidSlugInPath()
{
    return badRequest(QStringLiteral("the tenant slug in the path is not a slug (3 to 63 "
                                     "characters of a-z, 0-9 and '-')"));
}

Problem tenantExportUnavailable()
{
    return Problem{503,
                   QStringLiteral("tenant-export-unavailable"),
                   QStringLiteral("Tenant export unavailable"),
                   QStringLiteral("this server has no tenant sessions or no export directory "
                                  "configured"),
                   {}};
}

Problem tenantExportFailed()
{
    return Problem{503,
                   QStringLiteral("tenant-export-failed"),
                   QStringLiteral("Tenant export failed"),
                   QStringLiteral("the export could not be completed (the tenant may be moving, or "
                                  "the database or the export directory failed; the reason is "
                                  "logged); retry shortly"),
                   {}};
}

QString fieldOf(const QString &message)
{
    static const QRegularExpression pattern(
        QStringLiteral("^([A-Za-z][A-Za-z0-9_-]*(?:\\.[A-Za-z0-9_-]+)*(?:\\[\\d+\\])?): "));
    const QRegularExpressionMatch match = pattern.match(message);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace upcoach::api::detail
