// Hostile SCIM filters: oversized, deeply nested, injection-shaped and malformed input. Each
// must be invalidFilter (status 400) without crashing, and no filter value may ever reach the
// SQL text.
#include "upcoach/identity/scimfilter.h"
#include "upcoach/identity/scimpatch.h"
#include "upcoach/identity/scimsql.h"

#include <QTest>

using namespace upcoach::identity::scim;

namespace {

QString s(const char *utf8)
{
    return QString::fromUtf8(utf8);
}

QString repeat(const QString &part, int times)
{
    QString out;
    for (int i = 0; i < times; ++i)
        out += part;
    return out;
}

SqlMapping mapping()
{
    SqlMapping map(userSchema());
    map.addColumn(u"userName", u"user_name");
    map.addColumn(u"title", u"title");
    map.addColumn(u"externalId", u"external_id");
    map.addJsonArray(u"emails", u"emails");
    return map;
}

} // namespace

class TestScimFilterAttacks : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void malformedFiltersAreInvalidFilter_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::newRow("4097 bytes")
            << QString(s("userName eq \"") + QString(4097 - 14, u'a') + u'"');
        QTest::newRow("4097 bytes multibyte") << QString(
            s("userName eq \"") + QString(1400, QChar(0x00e9)) + QString(1300, u'a') + u'"');
        QTest::newRow("10000 parentheses")
            << QString(repeat(s("("), 10000) + s("userName pr") + repeat(s(")"), 10000));
        QTest::newRow("33 parentheses")
            << QString(repeat(s("("), 33) + s("userName pr") + repeat(s(")"), 33));
        QTest::newRow("1000 nots")
            << QString(repeat(s("not ("), 1000) + s("userName pr") + repeat(s(")"), 1000));
        QTest::newRow("nots without parentheses")
            << QString(repeat(s("not "), 1000) + s("userName pr"));
        QTest::newRow("201 comparisons") << QString(s("title pr") + repeat(s(" or title pr"), 200));
        QTest::newRow("unterminated string") << s("userName eq \"bjensen");
        QTest::newRow("unterminated escape") << s("userName eq \"bjensen\\");
        QTest::newRow("bad escape") << s("userName eq \"a\\qb\"");
        QTest::newRow("short unicode escape") << s("userName eq \"\\u12\"");
        QTest::newRow("escaped NUL") << s("userName eq \"a\\u0000b\"");
        QTest::newRow("lone surrogate escape") << s("userName eq \"\\ud800\"");
        QTest::newRow("lone low surrogate escape") << s("userName eq \"\\udc00x\"");
        QTest::newRow("sql tautology") << s("userName eq \"x\" or 1=1");
        QTest::newRow("sql comment") << s("userName eq \"x\" -- ");
        QTest::newRow("sql semicolon") << s("userName eq \"x\"; DROP TABLE users");
        QTest::newRow("single quotes") << s("userName eq 'x' or 'a'='a'");
        QTest::newRow("unknown operator") << s("userName like \"x\"");
        QTest::newRow("operator symbol") << s("userName = \"x\"");
        QTest::newRow("missing value") << s("userName eq");
        QTest::newRow("missing value space") << s("userName eq ");
        QTest::newRow("trailing garbage") << s("userName eq \"x\" garbage");
        QTest::newRow("garbage after value") << s("userName eq \"x\"x");
        QTest::newRow("dangling and") << s("userName pr and");
        QTest::newRow("dangling or") << s("userName pr or ");
        QTest::newRow("unbalanced (") << s("(userName pr");
        QTest::newRow("unbalanced )") << s("userName pr)");
        QTest::newRow("empty parens") << s("()");
        QTest::newRow("empty") << QString();
        QTest::newRow("spaces") << s("   ");
        QTest::newRow("raw NUL") << QString(s("userName eq \"a") + QChar(0) + s("\""));
        QTest::newRow("NUL after") << QString(s("userName pr") + QChar(0));
        QTest::newRow("newline") << s("userName pr\nor title pr");
        QTest::newRow("tab") << s("userName\teq \"x\"");
        QTest::newRow("lone surrogate") << QString(s("userName eq \"") + QChar(0xd800) + s("\""));
        QTest::newRow("nested valuePath") << s("emails[type[value eq \"x\"] pr]");
        QTest::newRow("unclosed valuePath") << s("emails[type eq \"work\"");
        QTest::newRow("bad attribute") << s("1userName eq \"x\"");
        QTest::newRow("bad sub-attribute") << s("name..familyName eq \"x\"");
        QTest::newRow("three levels") << s("name.familyName.x eq \"x\"");
        QTest::newRow("bad number") << s("userName eq 01");
        QTest::newRow("bad number 2") << s("userName eq 1.");
        QTest::newRow("huge number") << s("userName eq 1e999");
        QTest::newRow("bare word") << s("userName eq bjensen");
        QTest::newRow("brackets in value position") << s("userName eq [\"x\"]");
        QTest::newRow("object value") << s("userName eq {}");
        QTest::newRow("unicode operator") << s("userName \xd0\xb5q \"x\"");
        QTest::newRow("deep brackets") << QString(s("emails[") + repeat(s("("), 40) + s("type pr") +
                                                  repeat(s(")"), 40) + s("]"));
    }
    void malformedFiltersAreInvalidFilter()
    {
        QFETCH(QString, filter);
        const auto parsed = parseFilter(filter);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().scimType, s("invalidFilter"));
        QCOMPARE(parsed.error().status, 400);
        QVERIFY(parsed.error().detail.contains(s("position")));
        // The detail never echoes the whole (possibly huge) filter.
        QVERIFY(parsed.error().detail.size() < 200);
    }

    void limitsAreExact()
    {
        // 4096 bytes, 32 levels, 200 comparisons are fine.
        const QString longest = s("userName eq \"") + QString(4096 - 14, u'a') + u'"';
        QCOMPARE(longest.toUtf8().size(), 4096);
        QVERIFY(parseFilter(longest).ok());
        QVERIFY(
            parseFilter(QString(repeat(s("("), 32) + s("userName pr") + repeat(s(")"), 32))).ok());
        QVERIFY(parseFilter(QString(s("title pr") + repeat(s(" or title pr"), 199))).ok());
    }

    void invalidUtf8()
    {
        const QByteArray inputs[] = {
            QByteArray("userName eq \"\xff\""),         QByteArray("userName eq \"\xc3\""),
            QByteArray("userName eq \"\xed\xa0\x80\""), // encoded surrogate
            QByteArray("userName eq \"\xc0\xaf\""),     // overlong
            QByteArray("userName eq \"a\0b\"", 17),
        };
        for (const QByteArray &input : inputs) {
            const auto parsed = parseFilter(QByteArrayView(input));
            QVERIFY(!parsed.ok());
            QCOMPARE(parsed.error().scimType, s("invalidFilter"));
        }
        QVERIFY(parseFilter(QByteArrayView("userName eq \"\xc3\xa9\"")).ok());
        QVERIFY(!parseFilter(QByteArrayView(QByteArray(5000, 'a'))).ok());
    }

    void sqlMetaCharactersOnlyInParameters()
    {
        const QString hostile[] = {
            s("x' OR '1'='1"),
            s("x\"; DROP TABLE users; --"),
            s("$1"),
            s("'); DELETE FROM scim_users; --"),
            s("\\' OR 1=1 --"),
            s("x%' ESCAPE '"),
            s("E'\\\\' OR TRUE --"),
        };
        const SqlMapping map = mapping();
        for (const QString &value : hostile) {
            QString escaped = value;
            escaped.replace(u'\\', s("\\\\")).replace(u'"', s("\\\""));
            for (const char *op : {"eq", "ne", "co", "sw", "ew", "gt"}) {
                for (const char *attr : {"userName", "externalId", "emails", "emails.type"}) {
                    const QString text = QString::fromUtf8(attr) + u' ' + QString::fromUtf8(op) +
                                         s(" \"") + escaped + u'"';
                    const auto parsed = parseFilter(text);
                    QVERIFY2(parsed.ok(), qPrintable(text));
                    QCOMPARE(parsed->root.value.toString(), value);
                    const auto compiled = compileFilter(*parsed, map, 7);
                    QVERIFY2(compiled.ok(), qPrintable(text));
                    const QString where = QString::fromStdString(compiled->where);
                    // The only quotes in the SQL are the fixed ones ('' and E'\\' and e->>'…').
                    QVERIFY2(!where.contains(value), qPrintable(where));
                    QVERIFY2(!where.contains(s("DROP")) && !where.contains(s("DELETE")) &&
                                 !where.contains(s("1=1")),
                             qPrintable(where));
                    QVERIFY2(where.contains(s("$7")), qPrintable(where));
                    QCOMPARE(compiled->params.size(), size_t(1));
                    const QString param = QString::fromStdString(*compiled->params.front());
                    QVERIFY(param.contains(value) || param.contains(value.toHtmlEscaped()) ||
                            param.contains(s("\\")));
                }
            }
        }
    }

    void hostileAttributeNamesNeverReachSql()
    {
        const SqlMapping map = mapping();
        for (const char *text : {"user_name eq \"x\"", "userName--x eq \"x\"",
                                 "urn:x:y:userName eq \"x\"", "title.x eq \"x\""}) {
            const auto parsed = parseFilter(QString::fromUtf8(text));
            if (!parsed.ok()) {
                QCOMPARE(parsed.error().scimType, s("invalidFilter"));
                continue;
            }
            const auto compiled = compileFilter(*parsed, map);
            QVERIFY(!compiled.ok());
            QCOMPARE(compiled.error().scimType, s("invalidFilter"));
        }
    }

    void hostilePatchPaths()
    {
        QJsonObject group{{s("schemas"), QJsonArray{QString::fromUtf16(kGroupSchemaUrn)}},
                          {s("displayName"), s("g")}};
        for (const QString &path :
             {repeat(s("("), 10000), QString(s("members[") + repeat(s("("), 10000) + s("]")),
              QString(5000, u'a'), s("members[value eq \"x\"] or 1=1"),
              QString(s("members") + QChar(0) + u'x'), s("members[value eq \"x\"].value.value"),
              s("members]"), QString(QChar(0xdc00))}) {
            const QJsonObject body{{s("schemas"), QJsonArray{QString::fromUtf16(kPatchOpUrn)}},
                                   {s("Operations"), QJsonArray{QJsonObject{{s("op"), s("remove")},
                                                                            {s("path"), path}}}}};
            const auto request = parsePatchRequest(body);
            if (request.ok()) {
                const auto applied = applyPatch(groupSchema(), group, *request);
                QVERIFY(!applied.ok());
                continue;
            }
            QCOMPARE(request.error().scimType, s("invalidPath"));
        }
    }
};

QTEST_GUILESS_MAIN(TestScimFilterAttacks)
#include "test_scim_filter_attacks.moc"
