// SCIM filters: every example of RFC 7644 §3.4.2.2 parses, precedence and case-insensitivity,
// the evaluator over ~20 sample users (each operator, against expected sets and a plain C++
// reference), the SQL text and parameters for representative filters, sortBy and paging, and
// the schema documents and resource validation.
#include "upcoach/identity/scimfilter.h"
#include "upcoach/identity/scimschema.h"
#include "upcoach/identity/scimsql.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <QUrlQuery>
#include <functional>

using namespace upcoach::identity::scim;

namespace {

template<typename T> QByteArray why(const ScimResult<T> &result)
{
    return result.ok() ? QByteArray()
                       : (result.error().scimType + u": " + result.error().detail).toUtf8();
}

QString s(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

struct Email
{
    QString value;
    QString type;
    bool primary = false;
};

struct Sample
{
    QString id;
    QString userName;
    QString givenName;
    QString familyName;
    QString title;
    QString userType;
    std::optional<bool> active;
    QList<Email> emails;
    QString lastModified;
    QString employeeNumber;
    QString externalId;
};

const QList<Sample> &samples()
{
    static const QList<Sample> list = {
        {s("u01"),
         s("bjensen"),
         s("Barbara"),
         s("Jensen"),
         s("Tour Guide"),
         s("Employee"),
         true,
         {{s("bjensen@example.com"), s("work"), true}, {s("babs@jensen.org"), s("home"), false}},
         s("2011-05-13T04:42:34Z"),
         s("701984"),
         s("ext-1")},
        {s("u02"),
         s("JSmith"),
         s("John"),
         s("Smith"),
         s("Engineer"),
         s("Contractor"),
         false,
         {{s("john@example.org"), s("work"), false}},
         s("2012-01-01T00:00:00Z"),
         {},
         s("EXT-2")},
        {s("u03"),
         s("omalley"),
         s("Ann"),
         s("O'Malley"),
         {},
         s("Employee"),
         true,
         {{s("ann@example.com"), s("home"), false}},
         s("2011-05-13T04:42:35Z"),
         s("100"),
         {}},
        {s("u04"),
         s("jdoe"),
         s("Jane"),
         s("Doe"),
         {},
         {},
         std::nullopt,
         {},
         s("2010-12-31T23:59:59Z"),
         {},
         {}},
        {s("u05"),
         s("jane.roe"),
         s("Jane"),
         s("Roe"),
         s("engineer"),
         s("employee"),
         true,
         {{s("jane@EXAMPLE.COM"), s("work"), false}},
         s("2011-05-13T05:42:34+01:00"),
         {},
         {}},
        {s("u06"),
         s("alice"),
         s("Alice"),
         s("Liddell"),
         s("Manager"),
         s("Employee"),
         true,
         {{s("alice@example.org"), s("work"), false}, {s("alice@home.net"), s("home"), true}},
         s("2013-03-03T03:03:03Z"),
         {},
         {}},
        {s("u07"),
         s("bob_1"),
         s("Bob"),
         s("Builder"),
         {},
         s("Contractor"),
         true,
         {{s("bob%1@example.com"), s("work"), false}},
         s("2014-01-01T00:00:00Z"),
         {},
         {}},
        {s("u08"),
         s("carol\\x"),
         s("Carol"),
         s("King"),
         {},
         s("Intern"),
         false,
         {{s("carol@foo.com"), s("work"), false}},
         s("2011-01-01T00:00:00.500Z"),
         {},
         {}},
        {s("u09"),
         s("Dave"),
         s("Dave"),
         s("Jones"),
         s("CTO"),
         s("Employee"),
         true,
         {{s("dave@example.com"), s("work"), true}, {s("dave@example.org"), s("other"), false}},
         s("2015-06-01T12:00:00Z"),
         s("9"),
         {}},
        {s("u10"),
         s("eve"),
         s("Eve"),
         s("Evans"),
         {},
         s("Employee"),
         true,
         {{s("eve@evil.example"), s("work"), false}},
         s("2016-01-01T00:00:00Z"),
         {},
         {}},
        {s("u11"),
         s("frank"),
         s("Frank"),
         s("Castle"),
         s("Tour Guide"),
         s("Contractor"),
         true,
         {},
         s("2016-02-01T00:00:00Z"),
         {},
         {}},
        {s("u12"),
         s("grace"),
         s("Grace"),
         s("Hopper"),
         s("Admiral"),
         s("Employee"),
         true,
         {{s("grace@navy.mil"), s("work"), false}},
         s("2016-03-01T00:00:00Z"),
         {},
         {}},
        {s("u13"),
         s("heidi"),
         s("Heidi"),
         s("Klum"),
         {},
         s("Employee"),
         false,
         {{s("heidi@example.com"), s("home"), false}},
         s("2016-04-01T00:00:00Z"),
         {},
         {}},
        {s("u14"),
         s("ivan"),
         s("Ivan"),
         s("Ivanov"),
         {},
         s("Employee"),
         true,
         {{s("ivan@example.COM"), s("work"), false}},
         s("2016-05-01T00:00:00Z"),
         {},
         {}},
        {s("u15"),
         s("judy"),
         s("Judy"),
         s("Garland"),
         s("Judge"),
         s("Contractor"),
         true,
         {{s("judy@example.org"), s("home"), false}},
         s("2016-06-01T00:00:00Z"),
         {},
         {}},
        {s("u16"),
         s("mallory"),
         s("Mallory"),
         s("Knox"),
         {},
         {},
         true,
         {{s("mallory@example.com"), s("work"), false}},
         s("2016-07-01T00:00:00Z"),
         {},
         {}},
        {s("u17"),
         s("niaj"),
         s("Niaj"),
         s("Niaj"),
         {},
         s("Employee"),
         true,
         {},
         s("2016-08-01T00:00:00Z"),
         {},
         {}},
        {s("u18"),
         s("olivia"),
         s("Olivia"),
         s("Newton"),
         s("Singer"),
         s("Employee"),
         true,
         {{s("olivia@Example.Com"), s("Work"), false}},
         s("2016-09-01T00:00:00Z"),
         {},
         {}},
        {s("u19"),
         s("peggy"),
         s("Peggy"),
         s("Sue"),
         {},
         s("Employee"),
         false,
         {{s("peggy@example.net"), s("work"), true}},
         s("2016-10-01T00:00:00Z"),
         {},
         {}},
        {s("u20"),
         s("jensen"),
         s("Jens"),
         s("Jensen"),
         s("Tour Guide"),
         s("Employee"),
         true,
         {{s("jens@jensen.org"), s("work"), false}},
         s("2011-05-13T04:42:33Z"),
         {},
         {}},
    };
    return list;
}

QJsonObject toJson(const Sample &sample)
{
    QJsonObject user{
        {s("schemas"), QJsonArray{QString::fromUtf16(kUserSchemaUrn)}},
        {s("userName"), sample.userName},
        {s("name"),
         QJsonObject{{s("givenName"), sample.givenName}, {s("familyName"), sample.familyName}}},
    };
    if (!sample.title.isEmpty())
        user.insert(s("title"), sample.title);
    if (!sample.userType.isEmpty())
        user.insert(s("userType"), sample.userType);
    if (sample.active)
        user.insert(s("active"), *sample.active);
    if (!sample.externalId.isEmpty())
        user.insert(s("externalId"), sample.externalId);
    QJsonArray emails;
    for (const Email &email : sample.emails)
        emails.append(QJsonObject{
            {s("value"), email.value}, {s("type"), email.type}, {s("primary"), email.primary}});
    if (!emails.isEmpty())
        user.insert(s("emails"), emails);
    if (!sample.employeeNumber.isEmpty()) {
        user.insert(QString::fromUtf16(kEnterpriseUserSchemaUrn),
                    QJsonObject{{s("employeeNumber"), sample.employeeNumber}});
        user.insert(s("schemas"), QJsonArray{QString::fromUtf16(kUserSchemaUrn),
                                             QString::fromUtf16(kEnterpriseUserSchemaUrn)});
    }
    auto normalised = normaliseResource(userSchema(), user, NormaliseMode::Create);
    if (!normalised)
        qFatal("sample %s invalid: %s", qPrintable(sample.id), why(normalised).constData());
    QJsonObject out = *normalised;
    out.insert(s("id"), sample.id);
    out.insert(s("meta"), QJsonObject{{s("resourceType"), s("User")},
                                      {s("created"), s("2010-01-01T00:00:00Z")},
                                      {s("lastModified"), sample.lastModified}});
    return out;
}

QStringList matching(const QString &filterText)
{
    const auto filter = parseFilter(filterText);
    if (!filter)
        return {s("parse error: ") + filter.error().detail};
    QStringList ids;
    for (const Sample &sample : samples()) {
        const auto matched = evaluateFilter(*filter, userSchema(), toJson(sample));
        if (!matched)
            return {s("eval error: ") + matched.error().detail};
        if (*matched)
            ids.append(sample.id);
    }
    return ids;
}

SqlMapping userMapping()
{
    SqlMapping map(userSchema());
    bool ok = map.addColumn(u"userName", u"user_name") && map.addColumn(u"title", u"title") &&
              map.addColumn(u"userType", u"user_type") && map.addColumn(u"active", u"active") &&
              map.addColumn(u"externalId", u"external_id") && map.addColumn(u"id", u"id::text") &&
              map.addColumn(u"name.familyName", u"family_name") &&
              map.addColumn(u"name.givenName", u"given_name") &&
              map.addColumn(u"meta.lastModified", u"updated_at") &&
              map.addColumn(u"meta.created", u"created_at") &&
              map.addColumn(u"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"
                            u"employeeNumber",
                            u"attributes->>'employeeNumber'") &&
              map.addJsonArray(u"emails", u"emails") && map.addJsonArray(u"roles", u"roles");
    if (!ok)
        qFatal("mapping refused");
    return map;
}

QString ci(const QString &text)
{
    return text.toLower();
}

} // namespace

class TestScimFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfcExamplesParse_data()
    {
        QTest::addColumn<QString>("filter");
        // RFC 7644 §3.4.2.2, the example filters in order.
        const char *examples[] = {
            "userName Eq \"john\"",
            "userName eq \"bjensen\"",
            "name.familyName co \"O'Malley\"",
            "userName sw \"J\"",
            "urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"",
            "title pr",
            "meta.lastModified gt \"2011-05-13T04:42:34Z\"",
            "meta.lastModified ge \"2011-05-13T04:42:34Z\"",
            "meta.lastModified lt \"2011-05-13T04:42:34Z\"",
            "meta.lastModified le \"2011-05-13T04:42:34Z\"",
            "title pr and userType eq \"Employee\"",
            "title pr or userType eq \"Intern\"",
            "schemas eq \"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User\"",
            "userType eq \"Employee\" and (emails co \"example.com\" or emails.value co "
            "\"example.org\")",
            "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co "
            "\"example.org\")",
            "userType eq \"Employee\" and (emails.type eq \"work\")",
            "userType eq \"Employee\" and emails[type eq \"work\" and value co \"@example.com\"]",
            "emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and "
            "value co \"@foo.com\"]",
        };
        for (const char *example : examples)
            QTest::newRow(example) << QString::fromUtf8(example);
    }
    void rfcExamplesParse()
    {
        QFETCH(QString, filter);
        const auto parsed = parseFilter(filter);
        QVERIFY2(parsed.ok(), why(parsed).constData());
    }

    void unknownAttributesFailOnlyLater()
    {
        const auto parsed = parseFilter(
            s("emails[type eq \"work\" and value co \"@example.com\"] or ims[type eq \"xmpp\" and "
              "value co \"@foo.com\"]"));
        QVERIFY2(parsed.ok(), why(parsed).constData());
        const auto evaluated = evaluateFilter(*parsed, userSchema(), toJson(samples().first()));
        QVERIFY(!evaluated.ok());
        QCOMPARE(evaluated.error().scimType, s("invalidFilter"));
        QVERIFY2(evaluated.error().detail.contains(s("'ims'")),
                 qPrintable(evaluated.error().detail));
        const auto compiled = compileFilter(*parsed, userMapping());
        QVERIFY(!compiled.ok());
        QCOMPARE(compiled.error().scimType, s("invalidFilter"));
        QVERIFY(compiled.error().detail.contains(s("'ims'")));
        // "schemas" is not an attribute of our schema either.
        const auto schemas = parseFilter(s("schemas eq \"x\""));
        QVERIFY(schemas.ok());
        QCOMPARE(validateFilter(*schemas, userSchema()).error().scimType, s("invalidFilter"));
    }

    void structureAndPrecedence()
    {
        // not > and > or: a or b and c → Or(a, And(b, c))
        auto f = parseFilter(s("title pr or userType eq \"x\" and active eq true"));
        QVERIFY(f.ok());
        QCOMPARE(f->root.kind, FilterNode::Kind::Or);
        QCOMPARE(f->root.children.size(), size_t(2));
        QCOMPARE(f->root.children[1].kind, FilterNode::Kind::And);
        // a and b or c → Or(And(a, b), c)
        f = parseFilter(s("title pr and userType eq \"x\" or active eq true"));
        QVERIFY(f.ok());
        QCOMPARE(f->root.kind, FilterNode::Kind::Or);
        QCOMPARE(f->root.children[0].kind, FilterNode::Kind::And);
        // Parentheses override.
        f = parseFilter(s("title pr and (userType eq \"x\" or active eq true)"));
        QVERIFY(f.ok());
        QCOMPARE(f->root.kind, FilterNode::Kind::And);
        QCOMPARE(f->root.children[1].kind, FilterNode::Kind::Or);
        // Chains are flattened.
        f = parseFilter(s("title pr and userType pr and active pr and nickName pr"));
        QVERIFY(f.ok());
        QCOMPARE(f->root.children.size(), size_t(4));
        QCOMPARE(f->comparisons, 4);
        // not binds to its parenthesised group only.
        f = parseFilter(s("not (title pr) and active eq true"));
        QVERIFY(f.ok());
        QCOMPARE(f->root.kind, FilterNode::Kind::And);
        QCOMPARE(f->root.children[0].kind, FilterNode::Kind::Not);
        // Values: escapes, numbers, literals.
        f = parseFilter(s("title eq \"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\\n\""));
        QVERIFY2(f.ok(), why(f).constData());
        QCOMPARE(f->root.value.toString(), s("a\"b\\c\xc3\xa9\xf0\x9f\x98\x80\n"));
        f = parseFilter(s("x eq -12.5e2"));
        QVERIFY(f.ok());
        QCOMPARE(f->root.value.toDouble(), -1250.0);
        QCOMPARE(f->root.numberText, s("-12.5e2"));
        f = parseFilter(s("x eq null"));
        QVERIFY(f.ok());
        QVERIFY(f->root.value.isNull());
        // URN paths with sub-attributes.
        f = parseFilter(
            s("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq \"m\""));
        QVERIFY(f.ok());
        QCOMPARE(f->root.path.urn, s("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"));
        QCOMPARE(f->root.path.attribute, s("manager"));
        QCOMPARE(f->root.path.subAttribute, s("value"));
        QVERIFY(validateFilter(*f, userSchema()).ok());
    }

    void caseInsensitivity()
    {
        QCOMPARE(matching(s("USERNAME EQ \"BJENSEN\"")), QStringList{s("u01")});
        QCOMPARE(matching(s("userName eq \"bjensen\" AND Title Pr")), QStringList{s("u01")});
        QCOMPARE(matching(s("NOT (userType EQ \"employee\") aNd ACTIVE eq TRUE")),
                 (QStringList{s("u07"), s("u11"), s("u15"), s("u16")}));
        // caseExact attributes: externalId and id.
        QCOMPARE(matching(s("externalId eq \"ext-2\"")), QStringList());
        QCOMPARE(matching(s("externalId eq \"EXT-2\"")), QStringList{s("u02")});
        QCOMPARE(matching(s("id eq \"U01\"")), QStringList());
        QCOMPARE(matching(s("urn:ietf:params:scim:schemas:core:2.0:User:id eq \"u01\"")),
                 QStringList{s("u01")});
    }

    void evaluatorExpectedSets_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("expected");
        const auto ids = [](std::initializer_list<const char *> list) {
            QStringList out;
            for (const char *id : list)
                out.append(QString::fromUtf8(id));
            return out;
        };
        QTest::newRow("eq") << s("userName eq \"bjensen\"") << ids({"u01"});
        QTest::newRow("eq mixed case") << s("userName eq \"jsmith\"") << ids({"u02"});
        QTest::newRow("co apostrophe") << s("name.familyName co \"O'Malley\"") << ids({"u03"});
        QTest::newRow("sw") << s("userName sw \"J\"") << ids({"u02", "u04", "u05", "u15", "u20"});
        QTest::newRow("sw urn") << s("urn:ietf:params:scim:schemas:core:2.0:User:userName sw \"J\"")
                                << ids({"u02", "u04", "u05", "u15", "u20"});
        QTest::newRow("ew") << s("userName ew \"EN\"") << ids({"u01", "u20"});
        QTest::newRow("pr") << s("title pr")
                            << ids({"u01", "u02", "u05", "u06", "u09", "u11", "u12", "u15", "u18",
                                    "u20"});
        QTest::newRow("gt dateTime") << s("meta.lastModified gt \"2011-05-13T04:42:34Z\"")
                                     << ids({"u02", "u03", "u06", "u07", "u09", "u10", "u11", "u12",
                                             "u13", "u14", "u15", "u16", "u17", "u18", "u19"});
        QTest::newRow("ge dateTime")
            << s("meta.lastModified ge \"2011-05-13T04:42:34Z\"")
            << ids({"u01", "u02", "u03", "u05", "u06", "u07", "u09", "u10", "u11", "u12", "u13",
                    "u14", "u15", "u16", "u17", "u18", "u19"});
        QTest::newRow("lt dateTime")
            << s("meta.lastModified lt \"2011-05-13T04:42:34Z\"") << ids({"u04", "u08", "u20"});
        QTest::newRow("le dateTime offset")
            << s("meta.lastModified le \"2011-05-13T06:42:34+02:00\"")
            << ids({"u01", "u04", "u05", "u08", "u20"});
        QTest::newRow("eq dateTime fraction")
            << s("meta.lastModified eq \"2011-01-01T00:00:00.5Z\"") << ids({"u08"});
        QTest::newRow("and pr") << s("title pr and userType eq \"Employee\"")
                                << ids({"u01", "u05", "u06", "u09", "u12", "u18", "u20"});
        QTest::newRow("or") << s("title pr or userType eq \"Intern\"")
                            << ids({"u01", "u02", "u05", "u06", "u08", "u09", "u11", "u12", "u15",
                                    "u18", "u20"});
        QTest::newRow("rfc and-or")
            << s("userType eq \"Employee\" and (emails co \"example.com\" or emails.value co "
                 "\"example.org\")")
            << ids({"u01", "u03", "u05", "u06", "u09", "u13", "u14", "u18"});
        QTest::newRow("rfc ne not")
            << s("userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co "
                 "\"example.org\")")
            << ids({"u04", "u08", "u11"});
        QTest::newRow("rfc emails.type")
            << s("userType eq \"Employee\" and (emails.type eq \"work\")")
            << ids({"u01", "u05", "u06", "u09", "u10", "u12", "u14", "u18", "u19", "u20"});
        QTest::newRow("rfc valuePath")
            << s("userType eq \"Employee\" and emails[type eq \"work\" and value co "
                 "\"@example.com\"]")
            << ids({"u01", "u05", "u09", "u14", "u18"});
        // valuePath needs one value to satisfy both terms; separate terms need not.
        QTest::newRow("valuePath same value")
            << s("emails[type eq \"home\" and value co \"example.org\"]") << ids({"u15"});
        QTest::newRow("separate terms")
            << s("emails.type eq \"home\" and emails.value co \"example.org\"")
            << ids({"u06", "u15"});
        QTest::newRow("primary") << s("emails[primary eq true and type eq \"home\"]")
                                 << ids({"u06"});
        QTest::newRow("boolean eq") << s("active eq false") << ids({"u02", "u08", "u13", "u19"});
        // ne is not-eq: absent active (u04) is "ne true".
        QTest::newRow("boolean ne")
            << s("active ne true") << ids({"u02", "u04", "u08", "u13", "u19"});
        QTest::newRow("boolean string")
            << s("active eq \"False\"") << ids({"u02", "u08", "u13", "u19"});
        QTest::newRow("ne absent") << s("userType ne \"Employee\"")
                                   << ids({"u02", "u04", "u07", "u08", "u11", "u15", "u16"});
        QTest::newRow("ne multi-valued")
            << s("emails.type ne \"work\"") << ids({"u03", "u04", "u11", "u13", "u15", "u17"});
        QTest::newRow("not absent")
            << s("not (title eq \"CTO\")")
            << ids({"u01", "u02", "u03", "u04", "u05", "u06", "u07", "u08", "u10", "u11", "u12",
                    "u13", "u14", "u15", "u16", "u17", "u18", "u19", "u20"});
        QTest::newRow("eq null") << s("title eq null")
                                 << ids({"u03", "u04", "u07", "u08", "u10", "u13", "u14", "u16",
                                         "u17", "u19"});
        QTest::newRow("emails pr")
            << s("emails pr and userType eq \"Contractor\"") << ids({"u02", "u07", "u15"});
        QTest::newRow("not emails pr") << s("not (emails pr)") << ids({"u04", "u11", "u17"});
        QTest::newRow("string gt") << s("userName gt \"peggy\"") << ids({});
        QTest::newRow("string ge ci") << s("userName ge \"OLIVIA\"") << ids({"u03", "u18", "u19"});
        QTest::newRow("string lt") << s("userName lt \"bob\"") << ids({"u01", "u06"});
        QTest::newRow("extension")
            << s("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber pr")
            << ids({"u01", "u03", "u09"});
        QTest::newRow("extension no urn") << s("employeeNumber eq \"100\"") << ids({"u03"});
        QTest::newRow("underscore literal") << s("userName co \"_\"") << ids({"u07"});
        QTest::newRow("percent literal") << s("emails co \"%\"") << ids({"u07"});
        QTest::newRow("backslash literal") << s("userName co \"\\\\\"") << ids({"u08"});
        QTest::newRow("co case-insensitive")
            << s("emails co \"EXAMPLE.com\"")
            << ids({"u01", "u03", "u05", "u07", "u09", "u13", "u14", "u16", "u18"});
        QTest::newRow("type ci") << s("emails[type eq \"WORK\"] and userName eq \"olivia\"")
                                 << ids({"u18"});
    }
    void evaluatorExpectedSets()
    {
        QFETCH(QString, filter);
        QFETCH(QStringList, expected);
        QCOMPARE(matching(filter), expected);
    }

    void evaluatorMatchesReference_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<std::function<bool(const Sample &)>>("reference");
        using Ref = std::function<bool(const Sample &)>;
        const auto anyEmail = [](const Sample &u, const std::function<bool(const Email &)> &p) {
            return std::any_of(u.emails.begin(), u.emails.end(), p);
        };
        QTest::newRow("eq") << s("userType eq \"EMPLOYEE\"")
                            << Ref([](const Sample &u) { return ci(u.userType) == s("employee"); });
        QTest::newRow("ne") << s("title ne \"tour guide\"")
                            << Ref([](const Sample &u) { return ci(u.title) != s("tour guide"); });
        QTest::newRow("co") << s("name.familyName co \"en\"") << Ref([](const Sample &u) {
            return ci(u.familyName).contains(s("en"));
        });
        QTest::newRow("sw") << s("name.givenName sw \"j\"") << Ref([](const Sample &u) {
            return ci(u.givenName).startsWith(u'j');
        });
        QTest::newRow("ew") << s("userName ew \"y\"")
                            << Ref([](const Sample &u) { return ci(u.userName).endsWith(u'y'); });
        QTest::newRow("gt") << s("name.familyName gt \"k\"")
                            << Ref([](const Sample &u) { return ci(u.familyName) > s("k"); });
        QTest::newRow("le") << s("name.familyName le \"jones\"")
                            << Ref([](const Sample &u) { return ci(u.familyName) <= s("jones"); });
        QTest::newRow("pr") << s("userType pr")
                            << Ref([](const Sample &u) { return !u.userType.isEmpty(); });
        QTest::newRow("emails co")
            << s("emails co \"example.org\"") << Ref([anyEmail](const Sample &u) {
                   return anyEmail(
                       u, [](const Email &e) { return ci(e.value).contains(s("example.org")); });
               });
        QTest::newRow("valuePath")
            << s("emails[type eq \"work\" and not (value ew \".com\")]")
            << Ref([anyEmail](const Sample &u) {
                   return anyEmail(u, [](const Email &e) {
                       return ci(e.type) == s("work") && !ci(e.value).endsWith(s(".com"));
                   });
               });
        QTest::newRow("complex logic")
            << s("(active eq true or title pr) and not (userType eq \"Employee\" or emails pr)")
            << Ref([](const Sample &u) {
                   return (u.active.value_or(false) || !u.title.isEmpty()) &&
                          !(ci(u.userType) == s("employee") || !u.emails.isEmpty());
               });
        QTest::newRow("primary ne")
            << s("emails[primary ne true]") << Ref([anyEmail](const Sample &u) {
                   return anyEmail(u, [](const Email &e) { return !e.primary; });
               });
    }
    void evaluatorMatchesReference()
    {
        QFETCH(QString, filter);
        QFETCH(std::function<bool(const Sample &)>, reference);
        const auto parsed = parseFilter(filter);
        QVERIFY2(parsed.ok(), why(parsed).constData());
        for (const Sample &sample : samples()) {
            const auto matched = evaluateFilter(*parsed, userSchema(), toJson(sample));
            QVERIFY2(matched.ok(), why(matched).constData());
            if (*matched != reference(sample))
                QFAIL(
                    qPrintable(s("%1 disagrees with the reference on %2").arg(filter, sample.id)));
        }
    }

    void typeErrors_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::newRow("gt on boolean") << s("active gt true");
        QTest::newRow("co on boolean") << s("active co \"t\"");
        QTest::newRow("gt on complex") << s("name gt \"x\"");
        QTest::newRow("eq on complex") << s("name eq \"x\"");
        QTest::newRow("co on dateTime") << s("meta.lastModified co \"2011\"");
        QTest::newRow("bad dateTime") << s("meta.lastModified gt \"yesterday\"");
        QTest::newRow("number for string") << s("userName eq 5");
        QTest::newRow("string for boolean") << s("active eq \"yes\"");
        QTest::newRow("null with gt") << s("title gt null");
        QTest::newRow("unknown sub") << s("name.nickname eq \"x\"");
        QTest::newRow("unknown in valuePath") << s("emails[kind eq \"x\"]");
        QTest::newRow("valuePath on simple") << s("userName[value eq \"x\"]");
        QTest::newRow("unknown urn") << s("urn:example:User:userName eq \"x\"");
    }
    void typeErrors()
    {
        QFETCH(QString, filter);
        const auto parsed = parseFilter(filter);
        QVERIFY2(parsed.ok(), why(parsed).constData());
        const auto evaluated = evaluateFilter(*parsed, userSchema(), toJson(samples().first()));
        QVERIFY(!evaluated.ok());
        QCOMPARE(evaluated.error().scimType, s("invalidFilter"));
        QCOMPARE(evaluated.error().status, 400);
        const auto compiled = compileFilter(*parsed, userMapping());
        QVERIFY(!compiled.ok());
        QCOMPARE(compiled.error().scimType, s("invalidFilter"));
    }

    void sqlText_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<int>("first");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QStringList>("params");
        QTest::newRow("eq ci") << s("userName eq \"bjensen\"") << 1
                               << s("lower(user_name) = lower($1)") << QStringList{s("bjensen")};
        QTest::newRow("eq caseExact")
            << s("externalId eq \"X'1\"") << 3 << s("external_id = $3") << QStringList{s("X'1")};
        QTest::newRow("ne") << s("title ne \"Boss\"") << 1
                            << s("(title IS NULL OR lower(title) <> lower($1))")
                            << QStringList{s("Boss")};
        QTest::newRow("pr") << s("title pr") << 1 << s("(title IS NOT NULL AND title <> '')")
                            << QStringList();
        QTest::newRow("eq null") << s("title eq null") << 1 << s("(title IS NULL OR title = '')")
                                 << QStringList();
        QTest::newRow("sw") << s("userName sw \"J\"") << 1
                            << s("lower(user_name) LIKE lower($1) ESCAPE E'\\\\'")
                            << QStringList{s("J%")};
        QTest::newRow("ew escaped") << s("userName ew \"50%_off\\\\\"") << 1
                                    << s("lower(user_name) LIKE lower($1) ESCAPE E'\\\\'")
                                    << QStringList{s("%50\\%\\_off\\\\")};
        QTest::newRow("co caseExact")
            << s("externalId co \"a_b\"") << 1 << s("external_id LIKE $1 ESCAPE E'\\\\'")
            << QStringList{s("%a\\_b%")};
        QTest::newRow("gt dateTime")
            << s("meta.lastModified gt \"2011-05-13T06:42:34+02:00\"") << 1
            << s("updated_at > $1::timestamptz") << QStringList{s("2011-05-13T04:42:34Z")};
        QTest::newRow("ne dateTime") << s("meta.created ne \"2011-05-13T04:42:34.250Z\"") << 1
                                     << s("(created_at IS NULL OR created_at <> $1::timestamptz)")
                                     << QStringList{s("2011-05-13T04:42:34.250Z")};
        QTest::newRow("boolean") << s("active eq \"True\"") << 1 << s("active = $1::boolean")
                                 << QStringList{s("true")};
        QTest::newRow("boolean ne")
            << s("active ne false") << 2 << s("(active IS NULL OR active <> $2::boolean)")
            << QStringList{s("false")};
        QTest::newRow("string gt")
            << s("name.familyName gt \"M\"") << 1
            << s("lower(family_name) COLLATE \"C\" > lower($1)") << QStringList{s("M")};
        QTest::newRow("emails co")
            << s("emails co \"example.com\"") << 1
            << s("EXISTS (SELECT 1 FROM jsonb_array_elements(emails) AS e WHERE "
                 "lower(e->>'value') LIKE lower($1) ESCAPE E'\\\\')")
            << QStringList{s("%example.com%")};
        QTest::newRow("emails ne")
            << s("emails.type ne \"work\"") << 1
            << s("NOT EXISTS (SELECT 1 FROM jsonb_array_elements(emails) AS e WHERE "
                 "lower(e->>'type') = lower($1))")
            << QStringList{s("work")};
        QTest::newRow("emails pr")
            << s("emails pr") << 1 << s("EXISTS (SELECT 1 FROM jsonb_array_elements(emails) AS e)")
            << QStringList();
        QTest::newRow("emails eq null")
            << s("emails eq null") << 1
            << s("NOT EXISTS (SELECT 1 FROM jsonb_array_elements(emails) AS e)") << QStringList();
        QTest::newRow("rfc valuePath")
            << s("userType eq \"Employee\" and emails[type eq \"work\" and value co "
                 "\"@example.com\"]")
            << 1
            << s("(lower(user_type) = lower($1) AND EXISTS (SELECT 1 FROM "
                 "jsonb_array_elements(emails) AS e WHERE (lower(e->>'type') = lower($2) AND "
                 "lower(e->>'value') LIKE lower($3) ESCAPE E'\\\\')))")
            << QStringList{s("Employee"), s("work"), s("%@example.com%")};
        QTest::newRow("primary in valuePath")
            << s("emails[primary eq true]") << 1
            << s("EXISTS (SELECT 1 FROM jsonb_array_elements(emails) AS e WHERE "
                 "(e->>'primary')::boolean = $1::boolean)")
            << QStringList{s("true")};
        QTest::newRow("not or")
            << s("not (title pr or userName eq \"x\")") << 1
            << s("NOT COALESCE(((title IS NOT NULL AND title <> '') OR lower(user_name) = "
                 "lower($1)), false)")
            << QStringList{s("x")};
        QTest::newRow("extension") << s("urn:ietf:params:scim:schemas:extension:enterprise:2.0:"
                                        "User:employeeNumber eq \"701984\"")
                                   << 1 << s("lower(attributes->>'employeeNumber') = lower($1)")
                                   << QStringList{s("701984")};
        QTest::newRow("name valuePath on columns")
            << s("name[givenName eq \"Ann\" or familyName sw \"O'\"]") << 1
            << s("(lower(given_name) = lower($1) OR lower(family_name) LIKE lower($2) ESCAPE "
                 "E'\\\\')")
            << QStringList{s("Ann"), s("O'%")};
    }
    void sqlText()
    {
        QFETCH(QString, filter);
        QFETCH(int, first);
        QFETCH(QString, where);
        QFETCH(QStringList, params);
        const auto parsed = parseFilter(filter);
        QVERIFY2(parsed.ok(), why(parsed).constData());
        const auto compiled = compileFilter(*parsed, userMapping(), first);
        QVERIFY2(compiled.ok(), why(compiled).constData());
        QCOMPARE(QString::fromStdString(compiled->where), where);
        QStringList got;
        for (const auto &param : compiled->params) {
            QVERIFY(param.has_value());
            got.append(QString::fromStdString(*param));
        }
        QCOMPARE(got, params);
    }

    void sqlUnmappedAttribute()
    {
        const auto parsed = parseFilter(s("nickName eq \"x\" or userName eq \"y\""));
        QVERIFY(parsed.ok());
        const auto compiled = compileFilter(*parsed, userMapping());
        QVERIFY(!compiled.ok());
        QCOMPARE(compiled.error().scimType, s("invalidFilter"));
        QVERIFY(compiled.error().detail.contains(s("nickName")));
        // phoneNumbers is not mapped as an array either.
        const auto phones = compileFilter(*parseFilter(s("phoneNumbers co \"1\"")), userMapping());
        QVERIFY(!phones.ok());
        QVERIFY(phones.error().detail.contains(s("phoneNumbers")));
        // A mapping for a path the schema lacks is refused.
        SqlMapping map(userSchema());
        QVERIFY(!map.addColumn(u"ims", u"ims"));
        QVERIFY(!map.addJsonArray(u"userName", u"user_name"));
    }

    void sortBy()
    {
        const SqlMapping map = userMapping();
        QCOMPARE(QString::fromStdString(*compileSortBy(u"userName", u"", map)),
                 s("lower(user_name) ASC NULLS LAST"));
        QCOMPARE(QString::fromStdString(*compileSortBy(u"meta.lastModified", u"Descending", map)),
                 s("updated_at DESC NULLS LAST"));
        QCOMPARE(QString::fromStdString(*compileSortBy(u"externalId", u"ascending", map)),
                 s("external_id ASC NULLS LAST"));
        QCOMPARE(QString::fromStdString(*compileSortBy(u"emails", u"ascending", map)),
                 s("(SELECT lower(e->>'value') FROM jsonb_array_elements(emails) WITH "
                   "ORDINALITY AS x(e, n) ORDER BY e->'primary' = 'true'::jsonb DESC NULLS LAST, "
                   "n LIMIT 1) ASC NULLS LAST"));
        QVERIFY(compileSortBy(u"", u"", map)->empty());
        QCOMPARE(compileSortBy(u"userName", u"sideways", map).error().scimType, s("invalidValue"));
        QCOMPARE(compileSortBy(u"ims", u"", map).error().scimType, s("invalidValue"));
        QCOMPARE(compileSortBy(u"nickName", u"", map).error().scimType, s("invalidValue"));
        QCOMPARE(compileSortBy(u"userName; DROP TABLE users", u"", map).error().scimType,
                 s("invalidValue"));
    }

    void pagination()
    {
        const auto page = [](const char *query) {
            return parsePagination(QUrlQuery(QString::fromUtf8(query)), 50, 200);
        };
        QCOMPARE(page("")->startIndex, qint64(1));
        QCOMPARE(page("")->count, 50);
        QCOMPARE(page("startIndex=0&count=10")->startIndex, qint64(1));
        QCOMPARE(page("startIndex=-5")->startIndex, qint64(1));
        QCOMPARE(page("startIndex=21&count=10")->offset(), qint64(20));
        QCOMPARE(page("count=-1")->count, 0);
        QCOMPARE(page("count=0")->count, 0);
        QCOMPARE(page("count=100000")->count, 200);
        QCOMPARE(page("COUNT=7&StartIndex=3")->count, 7);
        QCOMPARE(page("count=99999999999999999999999")->count, 200);
        QCOMPARE(page("count=abc").error().scimType, s("invalidValue"));
        QCOMPARE(page("startIndex=1.5").error().scimType, s("invalidValue"));
        QCOMPARE(page("startIndex=").error().status, 400);
    }

    void schemaDocuments()
    {
        const QJsonObject schemas =
            schemasListResponse({&userSchema(), &groupSchema()}, s("https://x/scim/v2"));
        QCOMPARE(schemas.value(s("totalResults")).toInt(), 3);
        const QJsonArray resources = schemas.value(s("Resources")).toArray();
        QCOMPARE(resources.at(0).toObject().value(s("id")).toString(),
                 QString::fromUtf16(kUserSchemaUrn));
        QCOMPARE(resources.at(1).toObject().value(s("id")).toString(),
                 QString::fromUtf16(kEnterpriseUserSchemaUrn));
        QCOMPARE(resources.at(2).toObject().value(s("id")).toString(),
                 QString::fromUtf16(kGroupSchemaUrn));
        const QJsonArray userAttributes =
            resources.at(0).toObject().value(s("attributes")).toArray();
        QJsonObject userName, emails, groups;
        for (const QJsonValue &a : userAttributes) {
            const QString name = a.toObject().value(s("name")).toString();
            if (name == s("userName"))
                userName = a.toObject();
            if (name == s("emails"))
                emails = a.toObject();
            if (name == s("groups"))
                groups = a.toObject();
        }
        QCOMPARE(userName.value(s("required")).toBool(), true);
        QCOMPARE(userName.value(s("caseExact")).toBool(), false);
        QCOMPARE(userName.value(s("uniqueness")).toString(), s("server"));
        QCOMPARE(emails.value(s("multiValued")).toBool(), true);
        QCOMPARE(emails.value(s("type")).toString(), s("complex"));
        QCOMPARE(emails.value(s("subAttributes")).toArray().size(), 4);
        QCOMPARE(groups.value(s("mutability")).toString(), s("readOnly"));
        QCOMPARE(resources.at(0).toObject().value(s("meta")).toObject().value(s("location")),
                 QJsonValue(s("https://x/scim/v2/Schemas/") + QString::fromUtf16(kUserSchemaUrn)));

        const QJsonObject types =
            resourceTypesListResponse({&userSchema(), &groupSchema()}, s("https://x/scim/v2"));
        const QJsonObject userType = types.value(s("Resources")).toArray().at(0).toObject();
        QCOMPARE(userType.value(s("endpoint")).toString(), s("/Users"));
        QCOMPARE(userType.value(s("schemaExtensions"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(s("schema"))
                     .toString(),
                 QString::fromUtf16(kEnterpriseUserSchemaUrn));
        QVERIFY(!types.value(s("Resources"))
                     .toArray()
                     .at(1)
                     .toObject()
                     .contains(s("schemaExtensions")));
    }

    void normaliseResources()
    {
        const QString core = QString::fromUtf16(kUserSchemaUrn);
        const QString ext = QString::fromUtf16(kEnterpriseUserSchemaUrn);
        QJsonObject input{
            {s("schemas"), QJsonArray{core, ext}},
            {s("USERNAME"), s("bjensen")},
            {s("id"), s("client-chosen")},
            {s("meta"), QJsonObject{{s("version"), s("W/\"1\"")}}},
            {s("Active"), s("False")},
            {s("emails"), QJsonArray{QJsonObject{{s("Value"), s("b@x")}, {s("primary"), true}},
                                     QJsonObject{{s("value"), s("c@x")}}}},
            {ext, QJsonObject{{s("department"), s("Ops")},
                              {s("manager"), QJsonObject{{s("value"), s("m1")},
                                                         {s("displayName"), s("ignored")}}}}},
            {s("title"), QJsonValue(QJsonValue::Null)},
        };
        auto out = normaliseResource(userSchema(), input, NormaliseMode::Create);
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("userName")).toString(), s("bjensen"));
        QVERIFY(!out->contains(s("USERNAME")));
        QVERIFY(!out->contains(s("id")));
        QVERIFY(!out->contains(s("meta")));
        QVERIFY(!out->contains(s("title")));
        QCOMPARE(out->value(s("active")), QJsonValue(false));
        QCOMPARE(out->value(s("emails")).toArray().at(0).toObject().value(s("value")).toString(),
                 s("b@x"));
        QCOMPARE(out->value(ext).toObject().value(s("manager")).toObject(),
                 (QJsonObject{{s("value"), s("m1")}}));
        QCOMPARE(out->value(s("schemas")).toArray(), (QJsonArray{core, ext}));

        // Replace keeps id/meta from the stored resource.
        QJsonObject stored = *out;
        stored.insert(s("id"), s("u1"));
        stored.insert(s("meta"), QJsonObject{{s("resourceType"), s("User")}});
        auto replaced = normaliseResource(
            userSchema(),
            QJsonObject{{s("schemas"), QJsonArray{core, ext}}, {s("userName"), s("b2")}},
            NormaliseMode::Replace, &stored);
        QVERIFY2(replaced.ok(), why(replaced).constData());
        QCOMPARE(replaced->value(s("id")).toString(), s("u1"));
        QCOMPARE(replaced->value(s("schemas")).toArray(), (QJsonArray{core}));

        const auto fails = [&](const QJsonObject &body, const char *type, const char *mention) {
            const auto result = normaliseResource(userSchema(), body, NormaliseMode::Create);
            if (result.ok())
                return QByteArray("accepted");
            if (result.error().scimType != QString::fromUtf8(type))
                return (s("wrong type: ") + result.error().scimType).toUtf8();
            if (!result.error().detail.contains(QString::fromUtf8(mention)))
                return (s("detail: ") + result.error().detail).toUtf8();
            return QByteArray();
        };
        const QJsonArray schemas{core};
        const auto body = [&](std::initializer_list<std::pair<QString, QJsonValue>> members) {
            QJsonObject o{{s("schemas"), schemas}, {s("userName"), s("u")}};
            for (const auto &[k, v] : members)
                o.insert(k, v);
            return o;
        };
        QCOMPARE(fails(body({{s("nope"), 1}}), "invalidSyntax", "nope"), QByteArray());
        QCOMPARE(fails(body({{s("name"), QJsonObject{{s("nick"), s("x")}}}}), "invalidSyntax",
                       "name.nick"),
                 QByteArray());
        QCOMPARE(fails(body({{s("active"), s("yes")}}), "invalidValue", "active"), QByteArray());
        QCOMPARE(fails(body({{s("emails"), s("a@b")}}), "invalidValue", "emails"), QByteArray());
        QCOMPARE(fails(body({{s("emails"), QJsonArray{QJsonObject{{s("value"), 5}}}}}),
                       "invalidValue", "emails.value"),
                 QByteArray());
        QCOMPARE(
            fails(body({{s("emails"),
                         QJsonArray{QJsonObject{{s("value"), s("a")}, {s("primary"), true}},
                                    QJsonObject{{s("value"), s("b")}, {s("primary"), true}}}}}),
                  "invalidValue", "primary"),
            QByteArray());
        QCOMPARE(fails(body({{s("userName"), QString(257, u'x')}}), "invalidValue", "userName"),
                 QByteArray());
        QCOMPARE(fails(body({{s("title"), QString(1025, u'x')}}), "invalidValue", "title"),
                 QByteArray());
        QJsonArray many;
        for (int i = 0; i < 101; ++i)
            many.append(QJsonObject{{s("value"), QString::number(i)}});
        QCOMPARE(fails(body({{s("roles"), many}}), "invalidValue", "roles"), QByteArray());
        QCOMPARE(fails(QJsonObject{{s("schemas"), schemas}}, "invalidValue", "userName"),
                 QByteArray());
        QCOMPARE(fails(QJsonObject{{s("userName"), s("x")}}, "invalidValue", "schemas"),
                 QByteArray());
        QCOMPARE(fails(body({{ext, QJsonObject{{s("department"), s("x")}}}}), "invalidValue",
                       ext.toUtf8().constData()),
                 QByteArray());
        QCOMPARE(fails(body({{s("username"), s("dup")}}), "invalidSyntax", "twice"), QByteArray());
        QCOMPARE(fails(body({{s("title"), QString(QChar(0xd800))}}), "invalidValue", "title"),
                 QByteArray());
        QCOMPARE(fails(body({{s("meta"), 5}}), "", ""),
                 QByteArray("accepted")); // readOnly: ignored

        // Immutable attributes may not change on replace.
        ResourceSchema custom = groupSchema();
        custom.core.attributes.push_back(custom.core.attributes.front());
        custom.core.attributes.back().name = s("code");
        custom.core.attributes.back().required = false;
        custom.core.attributes.back().mutability = Mutability::Immutable;
        const QString group = QString::fromUtf16(kGroupSchemaUrn);
        const QJsonObject before{{s("schemas"), QJsonArray{group}},
                                 {s("displayName"), s("g")},
                                 {s("code"), s("A")},
                                 {s("id"), s("g1")}};
        auto changed = normaliseResource(custom,
                                         QJsonObject{{s("schemas"), QJsonArray{group}},
                                                     {s("displayName"), s("g")},
                                                     {s("code"), s("B")}},
                                         NormaliseMode::Replace, &before);
        QVERIFY(!changed.ok());
        QCOMPARE(changed.error().scimType, s("mutability"));
        auto kept = normaliseResource(
            custom, QJsonObject{{s("schemas"), QJsonArray{group}}, {s("displayName"), s("h")}},
            NormaliseMode::Replace, &before);
        QVERIFY2(kept.ok(), why(kept).constData());
        QCOMPARE(kept->value(s("code")).toString(), s("A"));
    }

    void errorBody()
    {
        const ScimError error{400, s("invalidFilter"), s("bad")};
        const QJsonObject body = error.toJson();
        QCOMPARE(body.value(s("status")).toString(), s("400"));
        QCOMPARE(body.value(s("scimType")).toString(), s("invalidFilter"));
        QCOMPARE(body.value(s("schemas")).toArray().at(0).toString(),
                 s("urn:ietf:params:scim:api:messages:2.0:Error"));
        QCOMPARE(error.toError().code, upcoach::ErrorCode::InvalidInput);
        QCOMPARE((ScimError{409, s("uniqueness"), s("x")}.toError().code),
                 upcoach::ErrorCode::Conflict);
    }
};

QTEST_GUILESS_MAIN(TestScimFilter)
#include "test_scim_filter.moc"
