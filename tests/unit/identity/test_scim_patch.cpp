// SCIM PATCH: the RFC 7644 §3.5.2 examples, bodies as Entra ID sends them, the error scimTypes,
// primary handling, and a 10,000-member group.
#include "upcoach/identity/scimpatch.h"
#include "upcoach/identity/scimschema.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

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

const QString kBabs = s("2819c223-7f76-453a-919d-413861904646");
const QString kMandy = s("902c246b-6245-4190-8e05-00816be7344a");

QJsonObject patchBody(const QJsonArray &operations)
{
    return {{s("schemas"), QJsonArray{QString::fromUtf16(kPatchOpUrn)}},
            {s("Operations"), operations}};
}

QJsonObject op(const char *name, const QString &path, const QJsonValue &value = QJsonValue())
{
    QJsonObject o{{s("op"), s(name)}};
    if (!path.isEmpty())
        o.insert(s("path"), path);
    if (!value.isNull() && !value.isUndefined())
        o.insert(s("value"), value);
    return o;
}

QJsonObject group()
{
    return {
        {s("schemas"), QJsonArray{QString::fromUtf16(kGroupSchemaUrn)}},
        {s("id"), s("e9e30dba-f08f-4109-8486-d5c6a331660a")},
        {s("displayName"), s("Tour Guides")},
        {s("members"),
         QJsonArray{QJsonObject{{s("value"), kBabs},
                                {s("$ref"), QString(s("https://example.com/v2/Users/") + kBabs)},
                                {s("display"), s("Babs Jensen")}},
                    QJsonObject{{s("value"), kMandy},
                                {s("$ref"), QString(s("https://example.com/v2/Users/") + kMandy)},
                                {s("display"), s("Mandy Pepperidge")}}}},
        {s("meta"), QJsonObject{{s("resourceType"), s("Group")}, {s("version"), s("W/\"1\"")}}},
    };
}

QJsonObject user()
{
    return {
        {s("schemas"), QJsonArray{QString::fromUtf16(kUserSchemaUrn)}},
        {s("id"), s("u1")},
        {s("userName"), s("bjensen")},
        {s("active"), true},
        {s("name"), QJsonObject{{s("givenName"), s("Barbara")}, {s("familyName"), s("Jensen")}}},
        {s("emails"),
         QJsonArray{QJsonObject{{s("value"), s("bjensen@example.com")},
                                {s("type"), s("work")},
                                {s("primary"), true}},
                    QJsonObject{{s("value"), s("babs@jensen.org")}, {s("type"), s("home")}}}},
        {s("groups"), QJsonArray{QJsonObject{{s("value"), s("g1")}, {s("display"), s("G")}}}},
        {s("meta"), QJsonObject{{s("resourceType"), s("User")}}},
    };
}

ScimResult<QJsonObject> patch(const ResourceSchema &schema, const QJsonObject &resource,
                              const QJsonArray &operations)
{
    auto request = parsePatchRequest(patchBody(operations));
    if (!request)
        return request.error();
    return applyPatch(schema, resource, *request);
}

QStringList memberIds(const QJsonObject &resource)
{
    QStringList ids;
    for (const QJsonValue &member : resource.value(s("members")).toArray())
        ids.append(member.toObject().value(s("value")).toString());
    return ids;
}

QString errorType(const ScimResult<QJsonObject> &result)
{
    return result.ok() ? s("(ok)") : result.error().scimType;
}

} // namespace

class TestScimPatch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfcAddMember()
    {
        const QString id = s("08e1d05d-121c-4561-8b96-473d93df9210");
        const auto out =
            patch(groupSchema(), group(),
                  {op("add", s("members"),
                      QJsonArray{
                          QJsonObject{{s("display"), s("Babs Jensen")},
                                      {s("$ref"), QString(s("https://example.com/v2/Users/") + id)},
                                      {s("value"), id}}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(memberIds(*out), (QStringList{kBabs, kMandy, id}));
        QCOMPARE(out->value(s("id")), group().value(s("id")));
        QCOMPARE(out->value(s("meta")), group().value(s("meta")));
    }

    void rfcRemoveMemberByFilter()
    {
        const auto out = patch(groupSchema(), group(),
                               {op("remove", s("members[value eq \"") + kBabs + s("\"]"))});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(memberIds(*out), QStringList{kMandy});
    }

    void rfcRemoveAllMembers()
    {
        const auto out = patch(groupSchema(), group(), {op("remove", s("members"))});
        QVERIFY2(out.ok(), why(out).constData());
        QVERIFY(!out->contains(s("members")));
        QCOMPARE(out->value(s("displayName")).toString(), s("Tour Guides"));
    }

    void rfcRemoveAllThenAdd()
    {
        // RFC 7644 §3.5.2.2: remove all members, then add one, in one request.
        const QString id = s("2819c223-7f76-453a-919d-ffffffffffff");
        const auto out =
            patch(groupSchema(), group(),
                  {op("remove", s("members")),
                   op("add", s("members"), QJsonArray{QJsonObject{{s("value"), id}}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(memberIds(*out), QStringList{id});
    }

    void rfcReplaceAllMembers()
    {
        const auto out = patch(
            groupSchema(), group(),
            {op("replace", s("members"),
                QJsonArray{QJsonObject{{s("display"), s("Babs Jensen")}, {s("value"), kBabs}},
                           QJsonObject{{s("display"), s("James Smith")}, {s("value"), s("j1")}}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(memberIds(*out), (QStringList{kBabs, s("j1")}));
    }

    void rfcReplaceWorkEmail()
    {
        const auto out =
            patch(userSchema(), user(),
                  {op("replace", s("emails[type eq \"work\"].value"), s("babs@newjob.example"))});
        QVERIFY2(out.ok(), why(out).constData());
        const QJsonArray emails = out->value(s("emails")).toArray();
        QCOMPARE(emails.at(0).toObject().value(s("value")).toString(), s("babs@newjob.example"));
        QCOMPARE(emails.at(0).toObject().value(s("primary")), QJsonValue(true));
        QCOMPARE(emails.at(1).toObject().value(s("value")).toString(), s("babs@jensen.org"));
        QCOMPARE(out->value(s("groups")), user().value(s("groups"))); // readOnly, kept
    }

    void rfcReplaceWholeValueByFilter()
    {
        const auto out =
            patch(userSchema(), user(),
                  {op("replace", s("emails[type eq \"home\"]"),
                      QJsonObject{{s("value"), s("b@home.example")}, {s("type"), s("home")}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("emails")).toArray().at(1).toObject(),
                 (QJsonObject{{s("value"), s("b@home.example")}, {s("type"), s("home")}}));
    }

    void rfcNoPathAddAndReplace()
    {
        auto out = patch(
            userSchema(), user(),
            {op("add", {},
                QJsonObject{{s("emails"), QJsonArray{QJsonObject{{s("value"), s("babs@jensen.org")},
                                                                 {s("type"), s("home")}}}},
                            {s("nickName"), s("Babs")}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("emails")).toArray().size(), 2); // exact duplicate skipped
        QCOMPARE(out->value(s("nickName")).toString(), s("Babs"));
        out = patch(userSchema(), user(),
                    {op("replace", {},
                        QJsonObject{{s("emails"),
                                     QJsonArray{QJsonObject{{s("value"), s("bjensen@example.com")},
                                                            {s("type"), s("work")}}}},
                                    {s("nickName"), s("Babs")},
                                    {s("name"), QJsonObject{{s("givenName"), s("Babs")}}}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("emails")).toArray().size(), 1);
        // Complex replace merges: familyName is left alone.
        QCOMPARE(out->value(s("name")).toObject(),
                 (QJsonObject{{s("givenName"), s("Babs")}, {s("familyName"), s("Jensen")}}));
    }

    void entraBodies()
    {
        const QString ext = QString::fromUtf16(kEnterpriseUserSchemaUrn);
        // "Replace" capitalised, boolean as a string.
        auto out = patch(userSchema(), user(), {op("Replace", s("active"), s("False"))});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("active")), QJsonValue(false));
        out =
            patch(userSchema(), user(), {op("Replace", {}, QJsonObject{{s("active"), s("True")}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("active")), QJsonValue(true));
        // Attribute paths as keys of a no-path value, with URNs.
        out = patch(userSchema(), user(),
                    {op("Replace", {},
                        QJsonObject{{s("name.givenName"), s("Barb")},
                                    {QString(ext + s(":department")), s("Tours")},
                                    {s("displayName"), s("Barb Jensen")}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("name")).toObject().value(s("givenName")).toString(), s("Barb"));
        QCOMPARE(out->value(ext).toObject().value(s("department")).toString(), s("Tours"));
        QVERIFY(out->value(s("schemas")).toArray().contains(ext));
        // Path with the extension URN, then its removal drops the URN from schemas.
        out = patch(userSchema(), user(),
                    {op("Add", ext + s(":employeeNumber"), s("701984")),
                     op("Add", ext + s(":manager"), QJsonObject{{s("value"), s("m1")}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(ext).toObject().value(s("employeeNumber")).toString(), s("701984"));
        QCOMPARE(out->value(ext).toObject().value(s("manager")).toObject().value(s("value")),
                 QJsonValue(s("m1")));
        const auto removed =
            patch(userSchema(), *out,
                  {op("Remove", ext + s(":employeeNumber")), op("Remove", ext + s(":manager"))});
        QVERIFY2(removed.ok(), why(removed).constData());
        QVERIFY(!removed->contains(ext));
        QCOMPARE(removed->value(s("schemas")).toArray(),
                 QJsonArray{QString::fromUtf16(kUserSchemaUrn)});
        // Add emails[type eq "work"].value on a user without a work email creates it.
        QJsonObject homeOnly = user();
        homeOnly.insert(s("emails"),
                        QJsonArray{QJsonObject{{s("value"), s("h@x")}, {s("type"), s("home")}}});
        out = patch(userSchema(), homeOnly,
                    {op("Add", s("emails[type eq \"work\"].value"), s("w@x"))});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("emails")).toArray().at(1).toObject(),
                 (QJsonObject{{s("type"), s("work")}, {s("value"), s("w@x")}}));
        // Members: add as {value} array, remove by value list, remove by filter.
        out = patch(groupSchema(), group(),
                    {op("Add", s("members"),
                        QJsonArray{QJsonObject{{s("value"), s("n1")}},
                                   QJsonObject{{s("value"), kBabs}}, // already a member
                                   QJsonObject{{s("value"), s("n2")}}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(memberIds(*out), (QStringList{kBabs, kMandy, s("n1"), s("n2")}));
        out = patch(groupSchema(), *out,
                    {op("Remove", s("members"),
                        QJsonArray{QJsonObject{{s("value"), s("n1")}},
                                   QJsonObject{{s("value"), s("not-a-member")}}}),
                     op("Remove", s("members[value eq \"") + kMandy + s("\"]"))});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(memberIds(*out), (QStringList{kBabs, s("n2")}));
        // Group rename, as Entra sends it.
        out = patch(groupSchema(), group(),
                    {op("Replace", {},
                        QJsonObject{{s("id"), s("ignored")}, {s("displayName"), s("Renamed")}})});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("displayName")).toString(), s("Renamed"));
        QCOMPARE(out->value(s("id")), group().value(s("id")));
    }

    void primaryMovesToTheNewValue()
    {
        const auto out = patch(
            userSchema(), user(),
            {op("add", s("emails"),
                QJsonArray{QJsonObject{
                    {s("value"), s("new@x")}, {s("type"), s("other")}, {s("primary"), true}}})});
        QVERIFY2(out.ok(), why(out).constData());
        const QJsonArray emails = out->value(s("emails")).toArray();
        QCOMPARE(emails.size(), 3);
        QCOMPARE(emails.at(0).toObject().value(s("primary")), QJsonValue(false));
        QCOMPARE(emails.at(2).toObject().value(s("primary")), QJsonValue(true));
        const auto byFilter = patch(userSchema(), user(),
                                    {op("replace", s("emails[type eq \"home\"].primary"), true)});
        QVERIFY2(byFilter.ok(), why(byFilter).constData());
        QCOMPARE(byFilter->value(s("emails")).toArray().at(0).toObject().value(s("primary")),
                 QJsonValue(false));
        QCOMPARE(byFilter->value(s("emails")).toArray().at(1).toObject().value(s("primary")),
                 QJsonValue(true));
    }

    void errors_data()
    {
        QTest::addColumn<bool>("onGroup");
        QTest::addColumn<QJsonObject>("body");
        QTest::addColumn<QString>("scimType");
        const auto one = [](const QJsonObject &operation) {
            return patchBody(QJsonArray{operation});
        };
        QTest::newRow("remove without path") << false << one(op("remove", {})) << s("noTarget");
        QTest::newRow("replace filter no match")
            << false << one(op("replace", s("emails[type eq \"fax\"].value"), s("x")))
            << s("noTarget");
        QTest::newRow("remove filter no match")
            << true << one(op("remove", s("members[value eq \"nobody\"]"))) << s("noTarget");
        QTest::newRow("readOnly groups")
            << false << one(op("add", s("groups"), QJsonArray{QJsonObject{{s("value"), s("g")}}}))
            << s("mutability");
        QTest::newRow("readOnly id")
            << false << one(op("replace", s("id"), s("x"))) << s("mutability");
        QTest::newRow("readOnly meta sub")
            << false << one(op("replace", s("meta.version"), s("x"))) << s("mutability");
        QTest::newRow("immutable member sub")
            << true
            << one(op("replace", s("members[value eq \"") + kBabs + s("\"].display"), s("B")))
            << s("mutability");
        QTest::newRow("immutable member value")
            << true
            << one(op("replace", s("members[value eq \"") + kBabs + s("\"]"),
                      QJsonObject{{s("value"), s("other")}}))
            << s("mutability");
        QTest::newRow("remove required")
            << false << one(op("remove", s("userName"))) << s("invalidValue");
        QTest::newRow("remove required group")
            << true << one(op("remove", s("displayName"))) << s("invalidValue");
        QTest::newRow("bad boolean")
            << false << one(op("replace", s("active"), s("maybe"))) << s("invalidValue");
        QTest::newRow("add without value")
            << false << one(op("add", s("title"))) << s("invalidValue");
        QTest::newRow("unknown path")
            << false << one(op("replace", s("nope"), s("x"))) << s("invalidPath");
        QTest::newRow("unknown sub path")
            << false << one(op("replace", s("name.nope"), s("x"))) << s("invalidPath");
        QTest::newRow("unterminated filter")
            << true << one(op("remove", s("members[value eq \"x\""))) << s("invalidPath");
        QTest::newRow("filter on simple")
            << false << one(op("remove", s("userName[value eq \"x\"]"))) << s("invalidPath");
        QTest::newRow("unknown attribute in value")
            << false << one(op("replace", {}, QJsonObject{{s("nope"), 1}})) << s("invalidSyntax");
        QTest::newRow("no-path value not an object")
            << false << one(op("replace", {}, s("x"))) << s("invalidValue");
        QTest::newRow("unknown op")
            << false << one(op("move", s("title"), s("x"))) << s("invalidSyntax");
        QTest::newRow("no operations") << false << patchBody({}) << s("invalidSyntax");
        QJsonArray tooMany;
        for (int i = 0; i < kMaxPatchOperations + 1; ++i)
            tooMany.append(op("replace", s("title"), s("x")));
        QTest::newRow("1001 operations") << false << patchBody(tooMany) << s("invalidSyntax");
        QTest::newRow("wrong schemas")
            << false
            << QJsonObject{{s("schemas"), QJsonArray{QString::fromUtf16(kUserSchemaUrn)}},
                           {s("Operations"), QJsonArray{op("replace", s("title"), s("x"))}}}
            << s("invalidSyntax");
        QTest::newRow("second op fails")
            << false
            << patchBody({op("replace", s("title"), s("ok")), op("replace", s("id"), s("x"))})
            << s("mutability");
        QTest::newRow("two primaries")
            << false
            << one(op("replace", s("emails"),
                      QJsonArray{QJsonObject{{s("value"), s("a")}, {s("primary"), true}},
                                 QJsonObject{{s("value"), s("b")}, {s("primary"), true}}}))
            << s("invalidValue");
    }
    void errors()
    {
        QFETCH(bool, onGroup);
        QFETCH(QJsonObject, body);
        QFETCH(QString, scimType);
        const auto request = parsePatchRequest(body);
        if (!request) {
            QCOMPARE(request.error().scimType, scimType);
            QCOMPARE(request.error().status, 400);
            return;
        }
        const auto out = onGroup ? applyPatch(groupSchema(), group(), *request)
                                 : applyPatch(userSchema(), user(), *request);
        QCOMPARE(errorType(out), scimType);
        QCOMPARE(out.error().status, 400);
    }

    void tenThousandMembers()
    {
        QJsonArray members;
        for (int i = 0; i < 10000; ++i)
            members.append(QJsonObject{{s("value"), QStringLiteral("member-%1").arg(i)}});
        QJsonObject g = group();
        g.remove(s("members"));
        auto out = patch(groupSchema(), g, {op("add", s("members"), members)});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("members")).toArray().size(), 10000);
        // Adding them again (Entra retries) changes nothing; one new member is appended.
        QJsonArray again = members;
        again.append(QJsonObject{{s("value"), s("member-new")}});
        out = patch(groupSchema(), *out, {op("Add", s("members"), again)});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(out->value(s("members")).toArray().size(), 10001);
        // Remove the even members by value list, and 100 odd ones by filter, in one request.
        QJsonArray even;
        for (int i = 0; i < 10000; i += 2)
            even.append(QJsonObject{{s("value"), QStringLiteral("member-%1").arg(i)}});
        QJsonArray operations{op("Remove", s("members"), even)};
        for (int i = 1; i < 200; i += 2)
            operations.append(
                op("remove", QStringLiteral("members[value eq \"member-%1\"]").arg(i)));
        out = patch(groupSchema(), *out, operations);
        QVERIFY2(out.ok(), why(out).constData());
        const QStringList ids = memberIds(*out);
        QCOMPARE(ids.size(), 10001 - 5000 - 100);
        QVERIFY(!ids.contains(s("member-0")));
        QVERIFY(!ids.contains(s("member-199")));
        QVERIFY(ids.contains(s("member-201")));
        QVERIFY(ids.contains(s("member-new")));
        // Replacing all with 10,000 others.
        QJsonArray others;
        for (int i = 0; i < 10000; ++i)
            others.append(QJsonObject{{s("value"), QStringLiteral("other-%1").arg(i)}});
        out = patch(groupSchema(), *out, {op("replace", s("members"), others)});
        QVERIFY2(out.ok(), why(out).constData());
        QCOMPARE(memberIds(*out).first(), s("other-0"));
        QCOMPARE(memberIds(*out).size(), 10000);
    }
};

QTEST_GUILESS_MAIN(TestScimPatch)
#include "test_scim_patch.moc"
