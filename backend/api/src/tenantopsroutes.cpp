#include "tenantopsroutes.h"

#include "requestparsing.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <algorithm>
#include <cmath>

namespace upcoach::api::detail {

namespace {

constexpr qsizetype kMaxUserSearchLength = 200;
constexpr qsizetype kMaxDisplayNameLength = 200;
constexpr qsizetype kMinReasonLength = 10;
constexpr qsizetype kMaxReasonLength = 1000;

const QString kRoleHint = QStringLiteral("expected coach, coachee or admin");

bool knownRole(const QString &role)
{
    return role == QLatin1String("coach") || role == QLatin1String("coachee") ||
           role == QLatin1String("admin");
}

bool hasControlCharacters(const QString &text)
{
    return std::any_of(text.begin(), text.end(), [](QChar c) {
        return c.unicode() < 0x20 || c.unicode() == 0x7f || c == QChar::ReplacementCharacter;
    });
}

// The mailbox syntax the tenancy module accepts: one @, no spaces, bounded parts.
bool isEmailAddress(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[^\\s@]{1,64}@[^\\s@]{1,255}$"));
    return text.size() >= 3 && text.size() <= 320 && pattern.match(text).hasMatch() &&
           !hasControlCharacters(text);
}

// "true" or "false"; nullopt otherwise.
std::optional<bool> booleanParameter(const QString &text)
{
    if (text == QLatin1String("true"))
        return true;
    if (text == QLatin1String("false"))
        return false;
    return std::nullopt;
}

// The body of a POST as a JSON object with only `known` fields and every `required` one given.
std::variant<QJsonObject, Problem>
objectWithFields(const QByteArray &contentType, const QByteArray &body, qint64 maxBytes,
                 const QStringList &required, const QStringList &optional, const QString &example)
{
    if (body.size() > maxBytes)
        return payloadTooLarge(maxBytes);
    if (mediaType(contentType) != "application/json")
        return unsupported(QStringLiteral("application/json"));
    auto parsed = jsonObjectBody(body, example);
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
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
    return object;
}

Problem withField(Problem problem, const QString &field)
{
    if (!field.isEmpty())
        problem.extensions.insert(QStringLiteral("field"), field);
    return problem;
}

} // namespace

std::variant<bool, QueryError> parseUsageQuery(const QUrlQuery &urlQuery)
{
    static const QStringList known = {QStringLiteral("fresh")};
    auto collected = collectParameters(urlQuery, known);
    if (const QueryError *error = std::get_if<QueryError>(&collected))
        return *error;
    const QHash<QString, QString> values = std::get<QHash<QString, QString>>(collected);
    if (!values.contains(QStringLiteral("fresh")))
        return false;
    const std::optional<bool> fresh = booleanParameter(values.value(QStringLiteral("fresh")));
    if (!fresh)
        return refuseParameter(QStringLiteral("fresh"),
                               QStringLiteral("expected true (measure now) or false (a "
                                              "measurement up to a minute old)"));
    return *fresh;
}

std::variant<tenancy::TenantUserQuery, QueryError> parseTenantUserQuery(const QUrlQuery &urlQuery)
{
    static const QStringList known = {QStringLiteral("search"), QStringLiteral("role"),
                                      QStringLiteral("limit"), QStringLiteral("offset")};
    auto collected = collectParameters(urlQuery, known);
    if (const QueryError *error = std::get_if<QueryError>(&collected))
        return *error;
    const QHash<QString, QString> values = std::get<QHash<QString, QString>>(collected);

    tenancy::TenantUserQuery query;
    query.limit = kDefaultTenantUserPageSize;
    if (values.contains(QStringLiteral("search"))) {
        query.search = values.value(QStringLiteral("search"));
        if (query.search.size() > kMaxUserSearchLength || hasControlCharacters(query.search))
            return refuseParameter(QStringLiteral("search"),
                                   QStringLiteral("expected up to %1 characters (no control "
                                                  "characters) to find in emails and names")
                                       .arg(kMaxUserSearchLength));
    }
    if (values.contains(QStringLiteral("role"))) {
        query.role = values.value(QStringLiteral("role"));
        if (!query.role.isEmpty() && !knownRole(query.role))
            return refuseParameter(QStringLiteral("role"), kRoleHint);
    }
    if (auto refused = readPaging(values, kMaxTenantUserPageSize, kMaxTenantUserOffset, query.limit,
                                  query.offset))
        return *refused;
    return query;
}

std::variant<tenancy::NewTenantUser, Problem>
parseNewTenantUser(const QByteArray &contentType, const QByteArray &body, qint64 maxBytes)
{
    auto parsed = objectWithFields(
        contentType, body, maxBytes,
        {QStringLiteral("email"), QStringLiteral("displayName"), QStringLiteral("role")}, {},
        QStringLiteral("{\"email\": \"ada@example.com\", \"displayName\": \"Ada\", \"role\": "
                       "\"coachee\"}"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    tenancy::NewTenantUser user;
    if (auto problem = readString(object, QStringLiteral("email"), &user.email))
        return *problem;
    if (!isEmailAddress(user.email))
        return invalidField(QStringLiteral("email"),
                            QStringLiteral("expected an address such as name@example.com (3 to "
                                           "320 characters)"));
    if (auto problem = readString(object, QStringLiteral("displayName"), &user.displayName))
        return *problem;
    const QString name = user.displayName.trimmed();
    if (name.isEmpty() || name.size() > kMaxDisplayNameLength || hasControlCharacters(name))
        return invalidField(QStringLiteral("displayName"),
                            QStringLiteral("expected 1 to %1 characters (no control characters)")
                                .arg(kMaxDisplayNameLength));
    if (auto problem = readString(object, QStringLiteral("role"), &user.role))
        return *problem;
    if (!knownRole(user.role))
        return invalidField(QStringLiteral("role"), kRoleHint);
    return user;
}

std::variant<tenancy::ImpersonationRequest, Problem>
parseImpersonationRequest(const QByteArray &contentType, const QByteArray &body, qint64 maxBytes)
{
    auto parsed = objectWithFields(
        contentType, body, maxBytes,
        {QStringLiteral("subject"), QStringLiteral("reason"), QStringLiteral("ticket")},
        {QStringLiteral("durationMinutes")},
        QStringLiteral("{\"subject\": \"user:ada@example.com\", \"reason\": \"...\", \"ticket\": "
                       "\"SUP-1234\", \"durationMinutes\": 30}"));
    if (const Problem *problem = std::get_if<Problem>(&parsed))
        return *problem;
    const QJsonObject object = std::get<QJsonObject>(parsed);
    tenancy::ImpersonationRequest request;

    const QString subjectHint = QStringLiteral("expected the tenant user as user:name@example.com "
                                               "(or just name@example.com)");
    QString subject;
    if (readString(object, QStringLiteral("subject"), &subject))
        return invalidField(QStringLiteral("subject"), subjectHint);
    const QString userPrefix = QStringLiteral("user:");
    const QString email = subject.startsWith(userPrefix) ? subject.mid(userPrefix.size()) : subject;
    if (!isEmailAddress(email))
        return invalidField(QStringLiteral("subject"), subjectHint);
    request.subject = userPrefix + email;

    if (readString(object, QStringLiteral("reason"), &request.reason))
        return invalidField(QStringLiteral("reason"),
                            QStringLiteral("expected a string saying why, 10 to 1000 "
                                           "characters"));
    const qsizetype reasonLength = request.reason.trimmed().size();
    if (reasonLength < kMinReasonLength || reasonLength > kMaxReasonLength)
        return invalidField(QStringLiteral("reason"),
                            QStringLiteral("say why, in %1 to %2 characters")
                                .arg(kMinReasonLength)
                                .arg(kMaxReasonLength));

    static const QRegularExpression ticketPattern(
        QStringLiteral("^[A-Za-z][A-Za-z0-9_-]{0,31}-?[0-9]{1,12}$"));
    if (readString(object, QStringLiteral("ticket"), &request.ticket) ||
        !ticketPattern.match(request.ticket).hasMatch())
        return invalidField(QStringLiteral("ticket"),
                            QStringLiteral("expected a support ticket reference such as "
                                           "SUP-1234"));

    int minutes = kDefaultImpersonationMinutes;
    if (givenNotNull(object, QStringLiteral("durationMinutes"))) {
        const QJsonValue value = object.value(QStringLiteral("durationMinutes"));
        const double number = value.toDouble(-1);
        if (!value.isDouble() || number != std::floor(number) || number < 1 ||
            number > kMaxImpersonationMinutes)
            return invalidField(QStringLiteral("durationMinutes"),
                                QStringLiteral("expected a whole number of minutes from 1 to %1 "
                                               "(default %2)")
                                    .arg(kMaxImpersonationMinutes)
                                    .arg(kDefaultImpersonationMinutes));
        minutes = int(number);
    }
    request.duration = std::chrono::minutes(minutes);
    return request;
}

std::variant<ImpersonationListQuery, QueryError>
parseImpersonationListQuery(const QUrlQuery &urlQuery)
{
    static const QStringList known = {QStringLiteral("open"), QStringLiteral("limit")};
    auto collected = collectParameters(urlQuery, known);
    if (const QueryError *error = std::get_if<QueryError>(&collected))
        return *error;
    const QHash<QString, QString> values = std::get<QHash<QString, QString>>(collected);
    ImpersonationListQuery query;
    if (values.contains(QStringLiteral("open"))) {
        const std::optional<bool> open = booleanParameter(values.value(QStringLiteral("open")));
        if (!open)
            return refuseParameter(QStringLiteral("open"),
                                   QStringLiteral("expected true (open ones only) or false"));
        query.openOnly = *open;
    }
    if (values.contains(QStringLiteral("limit"))) {
        const int limit = digitsValue(values.value(QStringLiteral("limit")), 4);
        if (limit < 1 || limit > kMaxImpersonationPageSize)
            return refuseParameter(QStringLiteral("limit"),
                                   QStringLiteral("expected a whole number from 1 to %1")
                                       .arg(kMaxImpersonationPageSize));
        query.limit = limit;
    }
    return query;
}

QJsonObject tenantUserJson(const tenancy::TenantUser &user)
{
    return QJsonObject{{QStringLiteral("id"), user.id},
                       {QStringLiteral("email"), user.email},
                       {QStringLiteral("displayName"), user.displayName},
                       {QStringLiteral("role"), user.role},
                       {QStringLiteral("createdAt"), timeOrNull(user.createdAt)}};
}

QJsonObject impersonationJson(const tenancy::Impersonation &impersonation, const QDateTime &now)
{
    return QJsonObject{
        {QStringLiteral("id"), impersonation.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("tenant"), impersonation.tenantSlug},
        {QStringLiteral("operator"), impersonation.operatorActor},
        {QStringLiteral("subject"), impersonation.subject},
        {QStringLiteral("ticket"), impersonation.ticket},
        {QStringLiteral("reason"), impersonation.reason},
        {QStringLiteral("startedAt"), timeOrNull(impersonation.startedAt)},
        {QStringLiteral("expiresAt"), timeOrNull(impersonation.expiresAt)},
        {QStringLiteral("endedAt"), timeOrNull(impersonation.endedAt)},
        {QStringLiteral("endedBy"), impersonation.endedBy.isEmpty()
                                        ? QJsonValue(QJsonValue::Null)
                                        : QJsonValue(impersonation.endedBy)},
        {QStringLiteral("open"), impersonation.activeAt(now)},
    };
}

QJsonObject keyStatusJson(const tenancy::TenantKeyStatus &status)
{
    QJsonArray versions;
    for (const tenancy::DataKeyInfo &key : status.keys)
        versions.append(QJsonObject{
            {QStringLiteral("version"), key.version},
            {QStringLiteral("current"), key.version == status.currentVersion},
            {QStringLiteral("kekId"), key.kekId},
            {QStringLiteral("kekVersion"), key.kekVersion},
            {QStringLiteral("createdAt"), timeOrNull(key.createdAt)},
            {QStringLiteral("rewrappedAt"), timeOrNull(key.rewrappedAt)},
            {QStringLiteral("encryptedValues"), status.encryptedValues.value(key.version, 0)},
        });
    QJsonObject values;
    for (auto it = status.encryptedValues.cbegin(); it != status.encryptedValues.cend(); ++it)
        values.insert(QString::number(it.key()), it.value());
    return QJsonObject{
        {QStringLiteral("tenant"), status.slug},
        {QStringLiteral("currentVersion"), status.currentVersion > 0
                                               ? QJsonValue(status.currentVersion)
                                               : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("currentCreatedAt"), timeOrNull(status.currentCreatedAt)},
        {QStringLiteral("versions"), versions},
        {QStringLiteral("encryptedValues"), values},
        {QStringLiteral("pendingReencryption"), status.pendingReencryption},
        {QStringLiteral("nextRotationDue"), timeOrNull(status.nextRotationDue)},
    };
}

RegistryFailure tenantOpsFailure(TenantOpsOperation operation, const Error &error)
{
    const QString detail = boundedDetail(error.message);
    const QString field = fieldOf(error.message);
    switch (error.code) {
    case ErrorCode::InvalidInput:
        // Validation, before any domain records anything. The service calls the impersonation's
        // length "duration"; the API's field is durationMinutes.
        if (field == QLatin1String("duration"))
            return {invalidField(QStringLiteral("durationMinutes"),
                                 QStringLiteral("expected a whole number of minutes from 1 to %1")
                                     .arg(kMaxImpersonationMinutes)),
                    false};
        return {withField(badRequest(detail), field), false};
    case ErrorCode::NotFound:
        // An unknown tenant, or (start) a subject who is not a user of the tenant: checked
        // before recording.
        return {
            withField(
                Problem{404, QStringLiteral("not-found"), QStringLiteral("Not found"), detail, {}},
                field),
            false};
    case ErrorCode::Conflict:
        switch (operation) {
        case TenantOpsOperation::AddUser:
            // The duplicate, seat and storage checks run before tenant.user.add is recorded;
            // the duplicate and seat checks run again inside the insert's transaction, and a
            // refusal there ("... meanwhile") comes after the record (the domain appends the
            // correction).
            if (field == QLatin1String("email"))
                return {withField(conflict("user-exists", "User exists", detail), field),
                        error.message.contains(QLatin1String("meanwhile"))};
            if (field == QLatin1String("limits.seats"))
                return {
                    withField(conflict("seat-limit-reached", "Seat limit reached", detail), field),
                    error.message.contains(QLatin1String("meanwhile"))};
            if (field == QLatin1String("limits.storageBytes"))
                return {
                    withField(conflict("storage-limit-reached", "Storage limit reached", detail),
                              field),
                    false};
            return {conflict("tenant-conflict", "Tenant conflict", detail), false};
        case TenantOpsOperation::StartImpersonation:
        case TenantOpsOperation::RotateKey:
            // Not trial/active (start), deleted or not provisioned (rotate): before recording.
            return {conflict("tenant-state-conflict", "Tenant state conflict", detail), false};
        case TenantOpsOperation::EndImpersonation:
            // "has already ended/expired" is checked first; "ended meanwhile" after recording.
            return {conflict("impersonation-ended", "Impersonation ended", detail),
                    error.message.contains(QLatin1String("meanwhile"))};
        default:
            return {conflict("tenant-conflict", "Tenant conflict", detail), false};
        }
    case ErrorCode::Forbidden:
        if (error.message.contains(QLatin1String("is not open")))
            return {Problem{403,
                            QStringLiteral("impersonation-not-open"),
                            QStringLiteral("Impersonation not open"),
                            detail,
                            {}},
                    false};
        if (error.message.startsWith(QLatin1String("tenant ")))
            // A tenant session for the tenant's own users refused a suspended or canceled
            // tenant (adding a user: at its pre-check, before anything was recorded).
            return {conflict("tenant-state-conflict", "Tenant state conflict", detail), false};
        return {internalError(), true}; // a statement the session refused: a bug
    case ErrorCode::Unavailable:
        if (error.message.contains(QLatin1String("audit log could not record")))
            return {auditUnavailable(QStringLiteral("the audit log did not record the change, so "
                                                    "nothing was changed; retry shortly")),
                    true};
        if (error.message.contains(QLatin1String("is not available")))
            // TenantSession: the tenant is not provisioned, or is being moved.
            return {Problem{503,
                            QStringLiteral("tenant-unavailable"),
                            QStringLiteral("Tenant unavailable"),
                            detail,
                            {}},
                    true};
        return {tenancyUnavailable(QStringLiteral("the tenant database did not answer; retry "
                                                  "shortly")),
                true};
    default:
        return {internalError(), true};
    }
}

Problem impersonationNotFound()
{
    return Problem{404,
                   QStringLiteral("not-found"),
                   QStringLiteral("Not found"),
                   QStringLiteral("this tenant has no impersonation with this id"),
                   {}};
}

Problem invalidImpersonationIdInPath()
{
    return badRequest(QStringLiteral("the impersonation id in the path is not a UUID (8-4-4-4-12 "
                                     "hexadecimal digits)"));
}

Problem impersonationNotYours()
{
    return Problem{403,
                   QStringLiteral("impersonation-not-yours"),
                   QStringLiteral("Not your impersonation"),
                   QStringLiteral("only the operator who started this impersonation can act "
                                  "under it; start your own"),
                   {}};
}

} // namespace upcoach::api::detail
