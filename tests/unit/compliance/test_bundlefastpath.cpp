// The bundle verifier's fast paths against their definitions: FastEventParser against
// eventFromJson on a corpus of valid and malformed event lines and on mutated lines (whatever
// the fast parser accepts, eventFromJson accepts with the same canonical bytes; whatever
// eventFromJson rejects, the fast parser rejects), the fast proof-line and hex parsers against
// the strict JSON accessors, and the block line reader against a line-by-line reader.
#include "bundleformat.h"
#include "bundlelines.h"
#include "bundleparallel.h"
#include "fasteventline.h"
#include "sampleevent.h"
#include "strictjson.h"
#include "upcoach/compliance/auditevent.h"
#include "upcoach/compliance/merkle.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>

using namespace upcoach;
using namespace upcoach::compliance;

namespace {

std::string_view viewOf(const QByteArray &bytes)
{
    return std::string_view(bytes.constData(), size_t(bytes.size()));
}

AuditEvent baseEvent()
{
    return testing::sampleEvent();
}

QByteArray lineOf(const AuditEvent &event)
{
    return eventToJson(event).valueOr(QByteArray());
}

// The compact line of `event` with one raw replacement of `from` by `to` (first occurrence).
QByteArray replaced(const QByteArray &line, const QByteArray &from, const QByteArray &to)
{
    QByteArray out = line;
    const qsizetype at = out.indexOf(from);
    if (at >= 0)
        out.replace(at, from.size(), to);
    return out;
}

QByteArray nestedDetails(int depth)
{
    QByteArray inner = "1";
    for (int i = 0; i < depth; ++i)
        inner = (i % 2 ? QByteArray("[") + inner + "]" : QByteArray("{\"k\":") + inner + "}");
    return inner;
}

// Events that eventToJson writes: the fast path must take every one of them.
QList<QByteArray> writerLines()
{
    QList<QByteArray> lines;
    AuditEvent event = baseEvent();
    lines << lineOf(event);
    event.impersonator.clear();
    event.tenant.clear();
    event.sourceIp.clear();
    event.requestId.clear();
    event.target.clear();
    event.details = QJsonObject();
    lines << lineOf(event);
    event = baseEvent();
    event.sequence = kMaxSequence;
    event.time = QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
    event.details = QJsonObject{{QStringLiteral("max"), qint64(kMaxSafeJsonInteger)},
                                {QStringLiteral("min"), qint64(-kMaxSafeJsonInteger)},
                                {QStringLiteral("zero"), 0},
                                {QStringLiteral("t"), true},
                                {QStringLiteral("f"), false},
                                {QStringLiteral("n"), QJsonValue()}};
    lines << lineOf(event);
    event = baseEvent();
    event.sequence = 0;
    event.time = QDateTime(QDate(1970, 1, 1), QTime(0, 0), Qt::UTC);
    event.target =
        QStringLiteral("quote \" backslash \\ slash / tab \t nl \n cr \r ctl \x01 del \x7f");
    event.actor = QStringLiteral("user:j\u00f6rg@example.com \u4e2d\u6587 \U0001F600 \uFFFE");
    event.details = QJsonObject{
        {QStringLiteral("\u00e9t\u00e9"),
         QStringLiteral("caf\u00e9 \U0001F600 \"q\" \\ \b\f\n\r\t")},
        {QStringLiteral("\uE000"), 1},
        {QStringLiteral("\U0001F600"), 2}, // UTF-16 puts it before U+E000, UTF-8 after
        {QStringLiteral(""), QStringLiteral("")},
        {QStringLiteral("list"),
         QJsonArray{1, -2, QJsonArray{}, QJsonObject{}, QStringLiteral("x")}},
        {QStringLiteral("nested"),
         QJsonObject{{QStringLiteral("z"), 1},
                     {QStringLiteral("a"), QJsonObject{{QStringLiteral("y"), QJsonArray{true}}}}}}};
    lines << lineOf(event);
    event = baseEvent();
    event.time = QDateTime(QDate(2024, 2, 29), QTime(12, 0), Qt::UTC);
    event.outcome = QStringLiteral("denied");
    event.classification = QStringLiteral("phi-access");
    event.tenant = QStringLiteral("a");
    event.action = QStringLiteral("a.b_c:d-e");
    event.target = QString(1024, QLatin1Char('x'));
    lines << lineOf(event);
    event = baseEvent();
    event.details = QJsonDocument::fromJson("{\"d\":" + nestedDetails(15) + "}").object();
    lines << lineOf(event);
    return lines;
}

// Valid lines not in eventToJson's form: the fast path may take them or leave them to the
// strict path, but must never disagree.
QList<QByteArray> otherValidLines()
{
    const QByteArray good = lineOf(baseEvent());
    QList<QByteArray> lines;
    // Keys in another order, escapes the writer would not use.
    lines << QByteArray(
        R"({"sequence":7,"id":"0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e4f","time":"2026-03-14T15:09:26.535Z","actor":"user:\u0061lice","impersonator":"","tenant":"acme","action":"x","target":"\/path\ud83d\ude00","outcome":"success","sourceIp":"","requestId":"","classification":"security","details":{"b":1,"a":{"d":[3,2,1],"c":"\u00e9\u0000"}}})");
    lines << replaced(good, "\"actor\"", "\"\\u0061ctor\"");       // an escaped key
    lines << replaced(good, "\"ttlDays\":30", "\"ttlDays\":30.0"); // integral double
    lines << replaced(good, "\"ttlDays\":30", "\"ttlDays\":3e1");
    lines << replaced(good, "\"ttlDays\":30", "\"ttlDays\":-0");
    lines << replaced(good, "\"sequence\":42", "\"sequence\":42.0");
    lines << replaced(good, "\"sequence\":42", "\"sequence\":4.2e1");
    lines << (" " + good + " ");
    lines << replaced(good, ",\"id\"", " , \"id\"");
    lines << replaced(good, "\"target\":\"token:7f3a\"", "\"target\":\"tab\there\"");
    lines << replaced(good, "\"target\":\"token:7f3a\"", "\"target\":\"\\x\"");
    lines << replaced(good, "\"ttlDays\":30", "\"ttlDays\":30,\"ttlDays\":31"); // last one wins
    lines << replaced(good, "{\"action\"", "{\"outcome\":\"failure\",\"action\"");
    lines << replaced(good, "{\"action\"", "{\"sequence\":43,\"action\"");
    return lines;
}

QList<QByteArray> malformedLines()
{
    const QByteArray good = lineOf(baseEvent());
    QList<QByteArray> lines;
    const auto swap = [&](const QByteArray &from, const QByteArray &to) {
        lines << replaced(good, from, to);
    };
    // Types.
    swap("\"sequence\":42", "\"sequence\":\"42\"");
    swap("\"sequence\":42", "\"sequence\":-1");
    swap("\"sequence\":42", "\"sequence\":1.5");
    swap("\"sequence\":42", "\"sequence\":9007199254740992");
    swap("\"sequence\":42", "\"sequence\":99999999999999999999");
    swap("\"sequence\":42", "\"sequence\":null");
    swap("\"sequence\":42", "\"sequence\":042");
    swap("\"outcome\":\"success\"", "\"outcome\":1");
    swap("\"actor\":\"user:alice@example.com\"", "\"actor\":null");
    swap("\"tenant\":\"acme\"", "\"tenant\":[]");
    swap("\"details\":{", "\"details\":[{");
    swap("\"details\":{\"scopes\":[\"read\"],\"ttlDays\":30}", "\"details\":\"{}\"");
    // Keys: missing, unknown, duplicated.
    swap("\"actor\":\"user:alice@example.com\",", "");
    swap("\"actor\"", "\"Actor\"");
    swap("{\"action\"", "{\"extra\":1,\"action\"");
    // Values.
    swap("\"outcome\":\"success\"", "\"outcome\":\"ok\"");
    swap("\"outcome\":\"success\"", "\"outcome\":\"\"");
    swap("\"actor\":\"user:alice@example.com\"", "\"actor\":\"\"");
    swap("\"tenant\":\"acme\"", "\"tenant\":\"Acme\"");
    swap("\"tenant\":\"acme\"", "\"tenant\":\"-acme\"");
    swap("\"tenant\":\"acme\"", "\"tenant\":\"acme-\"");
    swap("\"action\":\"api-token.issue\"", "\"action\":\"Api\"");
    swap("\"action\":\"api-token.issue\"", "\"action\":\".x\"");
    swap("\"classification\":\"security\"", "\"classification\":\"\"");
    swap("\"classification\":\"security\"", "\"classification\":\"a b\"");
    swap("0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e4f", "0B6F4A52-2F1E-4C3A-9D7E-5A8B1C2D3E4F");
    swap("0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e4f", "{0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e4f}");
    swap("0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e4f", "00000000-0000-0000-0000-000000000000");
    swap("0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e4f", "0b6f4a522f1e4c3a9d7e5a8b1c2d3e4f");
    swap("0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e4f", "0b6f4a52-2f1e-4c3a-9d7e-5a8b1c2d3e4g");
    swap("\"target\":\"token:7f3a\"", "\"target\":\"" + QByteArray(1025, 'x') + "\"");
    swap("\"target\":\"token:7f3a\"",
         "\"target\":\"" + QByteArray(1023, 'x') + "\xc3\xa9\""); // 1024 chars, 1025 bytes
    // Times.
    for (const char *time :
         {"2026-03-14T15:09:26Z", "2026-03-14T15:09:26.5Z", "2026-03-14T15:09:26.535+00:00",
          "2026-03-14 15:09:26.535Z", "2026-02-29T15:09:26.535Z", "2026-13-14T15:09:26.535Z",
          "2026-03-32T15:09:26.535Z", "2026-03-14T24:00:00.000Z", "2026-03-14T15:60:26.535Z",
          "2026-03-14T15:09:60.000Z", "1969-12-31T23:59:59.999Z", "0000-01-01T00:00:00.000Z",
          "2026-03-14t15:09:26.535z", "2026-03-14T15:09:26.535", "+2026-03-14T15:09:26.535Z",
          "2026-03-14T15:09:26.5351Z", "２０26-03-14T15:09:26.535Z", "2026-03-00T15:09:26.535Z"})
        swap("2026-03-14T15:09:26.535Z", time);
    // Details.
    swap("\"ttlDays\":30", "\"ttlDays\":0.5");
    swap("\"ttlDays\":30", "\"ttlDays\":9007199254740992");
    swap("\"ttlDays\":30", "\"ttlDays\":-9007199254740992");
    swap("\"ttlDays\":30", "\"ttlDays\":1e300");
    swap("\"ttlDays\":30", "\"ttlDays\":NaN");
    swap("\"ttlDays\":30", "\"ttlDays\":\"\\ud800\"");
    swap("\"ttlDays\":30", "\"\\udc00\":1");
    swap("\"ttlDays\":30", "\"ttlDays\":\"\\ud83d\\u0041\"");
    swap("\"ttlDays\":30", "\"ttlDays\":\"\\ude00\\ud83d\"");
    swap("\"ttlDays\":30", "\"d\":" + nestedDetails(16));
    swap("\"ttlDays\":30", "\"big\":\"" + QByteArray(49 * 1024, 'x') + "\"");
    swap("\"ttlDays\":30", "\"ttlDays\":tru");
    swap("\"ttlDays\":30", "\"ttlDays\":30,");
    swap("\"scopes\":[\"read\"]", "\"scopes\":[\"read\",]");
    // Escapes and encodings.
    swap("\"target\":\"token:7f3a\"", "\"target\":\"\\ud800\"");
    swap("\"target\":\"token:7f3a\"", "\"target\":\"\\udfff\"");
    swap("\"target\":\"token:7f3a\"", "\"target\":\"\\u12\"");
    swap("\"target\":\"token:7f3a\"", "\"target\":\"\\u12g4\"");
    swap("\"target\":\"token:7f3a\"", "\"target\":\"end\\");
    for (const char *bad : {"\xff", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                            "\xc3", "\xe2\x82", "\x80", "\xf8\x88\x80\x80\x80"})
        swap("token:7f3a", QByteArray("tok") + QByteArray(bad) + QByteArray("en"));
    // Framing.
    lines << good.left(good.size() - 1);
    lines << good + "x";
    lines << good + "{}";
    lines << QByteArray("[") + good + "]";
    lines << QByteArray();
    lines << QByteArray("{}");
    lines << QByteArray(70000, ' ');
    lines << replaced(good, "\"target\":\"token:7f3a\"",
                      "\"target\":\"" + QByteArray(200, 'x') + "\",\"pad\":\"" +
                          QByteArray(kMaxEventLineBytes, 'y') + "\"");
    return lines;
}

struct Outcome
{
    bool fast = false;
    bool strict = false;
};

// The contract, checked on one line. Returns what each side decided.
Outcome compare(FastEventParser &parser, const QByteArray &line)
{
    FastEvent fast;
    Outcome outcome;
    outcome.fast = parser.parse(viewOf(line), fast);
    Result<AuditEvent> strict = eventFromJson(line);
    outcome.strict = strict.ok();
    if (outcome.fast) {
        const QByteArray context = line.left(200).toPercentEncoding(" {}[]\":,");
        if (!strict.ok())
            qFatal("fast path accepted a line eventFromJson rejects (%s): %s",
                   qPrintable(strict.error().message), context.constData());
        const QByteArray canonical = canonicalBytes(*strict).valueOr(QByteArray("?"));
        if (QByteArray(parser.canonical().data(), qsizetype(parser.canonical().size())) !=
            canonical)
            qFatal("canonical bytes differ: %s", context.constData());
        if (fast.sequence != strict->sequence || fast.timeMs != strict->time.toMSecsSinceEpoch() ||
            QByteArray(fast.tenant.data(), qsizetype(fast.tenant.size())) !=
                strict->tenant.toUtf8())
            qFatal("fields differ: %s", context.constData());
    }
    return outcome;
}

} // namespace

class TestBundleFastPath : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tmp;

private Q_SLOTS:
    void writerLinesTakeTheFastPath()
    {
        FastEventParser parser;
        const QList<QByteArray> lines = writerLines();
        QCOMPARE(lines.size(), 6);
        for (const QByteArray &line : lines) {
            QVERIFY(!line.isEmpty());
            const Outcome outcome = compare(parser, line);
            QVERIFY2(outcome.strict, line.constData());
            QVERIFY2(outcome.fast, line.constData());
        }
    }

    void otherValidLinesAgree()
    {
        FastEventParser parser;
        int fast = 0;
        for (const QByteArray &line : otherValidLines()) {
            const Outcome outcome = compare(parser, line);
            QVERIFY2(outcome.strict, line.constData());
            fast += outcome.fast;
        }
        QVERIFY(fast >= 2); // reordered keys with escapes and unsorted details; an escaped key
    }

    void malformedLinesAreRejectedByBoth()
    {
        FastEventParser parser;
        const QList<QByteArray> lines = malformedLines();
        QVERIFY(lines.size() > 80);
        for (const QByteArray &line : lines) {
            const Outcome outcome = compare(parser, line);
            QVERIFY2(!outcome.strict, line.left(300).constData());
            QVERIFY(!outcome.fast);
        }
    }

    // Random byte edits of valid lines: the fast path never accepts what eventFromJson rejects,
    // and never differs when both accept.
    void mutatedLinesNeverDisagree()
    {
        QRandomGenerator random(20261124);
        FastEventParser parser;
        QList<QByteArray> seeds = writerLines() + otherValidLines();
        const QByteArray interesting = "\"\\{}[],:0123456789-.eEtfnu \x01\x7f\xc3\xa9\xed\xf0";
        int strictAccepted = 0;
        int fastAccepted = 0;
        // UPCOACH_FUZZ_ROUNDS=1000000 for a longer run by hand.
        const int rounds = qEnvironmentVariableIsSet("UPCOACH_FUZZ_ROUNDS")
                               ? qEnvironmentVariableIntValue("UPCOACH_FUZZ_ROUNDS")
                               : 20000;
        for (int round = 0; round < rounds; ++round) {
            QByteArray line = seeds[qsizetype(random.bounded(quint32(seeds.size())))];
            const int edits = 1 + int(random.bounded(3u));
            for (int e = 0; e < edits && !line.isEmpty(); ++e) {
                const auto at = qsizetype(random.bounded(quint32(line.size())));
                const char c = interesting[qsizetype(random.bounded(quint32(interesting.size())))];
                switch (random.bounded(4u)) {
                case 0:
                    line[at] = c;
                    break;
                case 1:
                    line.insert(at, c);
                    break;
                case 2:
                    line.remove(at, 1);
                    break;
                default:
                    line[at] = char(random.bounded(256u));
                    break;
                }
            }
            const Outcome outcome = compare(parser, line);
            strictAccepted += outcome.strict;
            fastAccepted += outcome.fast;
        }
        qInfo("mutated lines: %d accepted by eventFromJson, %d of them by the fast path",
              strictAccepted, fastAccepted);
        QVERIFY(fastAccepted > 0);
    }

    void proofLinesAgreeWithTheStrictReader()
    {
        std::vector<Hash> scratch;
        QJsonArray hashes;
        for (int i = 0; i < 20; ++i)
            hashes.append(toHex(leafHash(QByteArray::number(i))));
        const QJsonObject base{{QStringLiteral("sequence"), 17},
                               {QStringLiteral("leafIndex"), 17},
                               {QStringLiteral("treeSize"), 1000000},
                               {QStringLiteral("proof"), hashes}};
        const QByteArray good = QJsonDocument(base).toJson(QJsonDocument::Compact);
        QJsonArray tooMany;
        for (int i = 0; i < 129; ++i)
            tooMany.append(hashes[0]);
        QJsonObject many = base;
        many.insert(QStringLiteral("proof"), tooMany);
        QJsonObject empty = base;
        empty.insert(QStringLiteral("proof"), QJsonArray());
        QList<QByteArray> lines{
            good,
            QJsonDocument(empty).toJson(QJsonDocument::Compact),
            QJsonDocument(many).toJson(QJsonDocument::Compact),
            good.toUpper()
                .replace("\"SEQUENCE\"", "\"sequence\"")
                .replace("\"LEAFINDEX\"", "\"leafIndex\"")
                .replace("\"TREESIZE\"", "\"treeSize\"")
                .replace("\"PROOF\"", "\"proof\""), // uppercase hex is hex
            replaced(good, "\"sequence\":17", "\"sequence\":17.0"),
            replaced(good, "\"sequence\":17", "\"sequence\":-17"),
            replaced(good, "\"sequence\":17", "\"sequence\":9007199254740992"),
            replaced(good, "\"treeSize\":1000000", "\"treeSize\":1099511627777"),
            replaced(good, "\"leafIndex\":17", "\"leafIndex\":17,\"extra\":1"),
            replaced(good, "\"leafIndex\":17", "\"leafIndex\":17,\"leafIndex\":18"),
            replaced(good, "\"leafIndex\":17,", ""),
            replaced(good, "[\"", "[ \""),
            replaced(good, "[\"", "[\"0"),
            replaced(good, "[\"", "[\"g"),
            replaced(good, "\"]", "\",]"),
            replaced(good, "\"]", "\",1]"),
            good + " ",
        };
        for (const QByteArray &line : lines) {
            FastProofLine fast;
            const bool fastOk =
                parseProofLineFast(viewOf(line), size_t(bundle::kMaxProofHashes), fast, scratch);
            Result<QJsonObject> object = parseJsonObject(line);
            bool strictOk =
                object.ok() &&
                bundle::requireExactKeys(*object, {"sequence", "leafIndex", "treeSize", "proof"})
                    .ok();
            Result<uint64_t> sequence = strictOk
                                            ? bundle::uintField(*object, "sequence", kMaxSequence)
                                            : Result<uint64_t>(bundle::invalid(QString()));
            Result<uint64_t> leafIndex = strictOk
                                             ? bundle::uintField(*object, "leafIndex", kMaxSequence)
                                             : Result<uint64_t>(bundle::invalid(QString()));
            Result<uint64_t> treeSize =
                strictOk ? bundle::uintField(*object, "treeSize", bundle::kMaxTreeSize)
                         : Result<uint64_t>(bundle::invalid(QString()));
            Result<std::vector<Hash>> proof =
                strictOk ? bundle::hashListField(*object, "proof")
                         : Result<std::vector<Hash>>(bundle::invalid(QString()));
            strictOk = strictOk && sequence.ok() && leafIndex.ok() && treeSize.ok() && proof.ok();
            if (fastOk) {
                QVERIFY2(strictOk, line.left(120).constData());
                QCOMPARE(fast.sequence, *sequence);
                QCOMPARE(fast.leafIndex, *leafIndex);
                QCOMPARE(fast.treeSize, *treeSize);
                QCOMPARE(scratch, *proof);
            }
        }
        FastProofLine fast;
        QVERIFY(parseProofLineFast(viewOf(good), 128, fast, scratch));
        QCOMPARE(scratch.size(), size_t(20));
        QVERIFY(!parseProofLineFast(viewOf(lines[2]), 128, fast, scratch)); // 129 hashes
    }

    void hexParsesLikeHashFromHex()
    {
        const Hash hash = leafHash("x");
        Hash out{};
        QVERIFY(hashFromHexFast(viewOf(toHex(hash).toLatin1()), out));
        QCOMPARE(out, hash);
        QVERIFY(hashFromHexFast(viewOf(toHex(hash).toUpper().toLatin1()), out));
        QCOMPARE(out, hash);
        const QByteArray hex = toHex(hash).toLatin1();
        for (const QByteArray &bad : QList<QByteArray>{
                 hex.left(63), QByteArray(hex + "0"), QByteArray(64, 'g'),
                 QByteArray(QByteArray(63, '0') + ' '), QByteArray(QByteArray(63, '0') + '\0')}) {
            QVERIFY(!hashFromHexFast(viewOf(bad), out));
            QVERIFY(!hashFromHex(QString::fromLatin1(bad)).ok());
        }
    }

    // The block reader gives the lines, the errors and the SHA-256 a line-by-line reader would,
    // whatever the batch sizes.
    void blockReaderMatchesLineByLineReading_data()
    {
        QTest::addColumn<QByteArray>("content");
        const QByteArray max(16, 'm');
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("lines") << QByteArray("a\nbb\nccc\n");
        QTest::newRow("exactly max") << QByteArray("a\n" + max + "\nb\n");
        QTest::newRow("max + 1") << QByteArray("a\n" + max + "x\nb\n");
        QTest::newRow("far too long") << QByteArray("a\n" + QByteArray(100, 'x') + "\n");
        QTest::newRow("empty line") << QByteArray("a\n\nb\n");
        QTest::newRow("only newline") << QByteArray("\n");
        QTest::newRow("no final newline") << QByteArray("a\nbb");
        QTest::newRow("no final newline, max") << QByteArray("a\n" + max);
        QTest::newRow("no final newline, max + 1") << QByteArray("a\n" + max + "y");
        QTest::newRow("crlf and nul") << QByteArray("a\r\nb\0c\n", 7);
        QByteArray many;
        for (int i = 0; i < 3000; ++i)
            many += QByteArray(1 + i % 16, char('a' + i % 26)) + '\n';
        QTest::newRow("many") << many;
    }

    void blockReaderMatchesLineByLineReading()
    {
        QFETCH(QByteArray, content);
        constexpr qsizetype kMax = 16;
        const QString dir = m_tmp.path();
        {
            QFile file(QDir(dir).filePath(QStringLiteral("lines.txt")));
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(content);
        }
        // The reference: QIODevice::readLine with a buffer of max + 2, as the verifier did.
        QList<QByteArray> expectedLines;
        QString expectedError;
        {
            QFile file(QDir(dir).filePath(QStringLiteral("lines.txt")));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QByteArray buffer(kMax + 2, '\0');
            while (!file.atEnd()) {
                const qint64 read = file.readLine(buffer.data(), buffer.size());
                const QString where =
                    QStringLiteral("lines.txt line %1").arg(expectedLines.size() + 1);
                if (buffer.at(read - 1) != '\n') {
                    expectedError = where + (read > kMax ? QStringLiteral(": longer than 16 bytes")
                                                         : QStringLiteral(": no newline at the end "
                                                                          "(file truncated?)"));
                    break;
                }
                if (read == 1) {
                    expectedError = where + QStringLiteral(": empty line");
                    break;
                }
                expectedLines.append(QByteArray(buffer.constData(), read - 1));
            }
        }
        for (const auto &[maxLines, maxBytes, prefetch] :
             {std::tuple{size_t(1), SIZE_MAX, false}, std::tuple{size_t(3), SIZE_MAX, true},
              std::tuple{SIZE_MAX, size_t(1), true}, std::tuple{SIZE_MAX, size_t(7), false},
              std::tuple{SIZE_MAX, size_t(40), true}, std::tuple{SIZE_MAX, SIZE_MAX, false}}) {
            BundleLineFile reader(dir, QStringLiteral("lines.txt"), kMax);
            QVERIFY(reader.open().ok());
            QList<QByteArray> lines;
            QString error;
            LineBatch batch;
            for (;;) {
                QVERIFY(reader.next(batch, maxLines, maxBytes).ok());
                QCOMPARE(batch.firstLine, uint64_t(lines.size() + 1));
                reader.hash(batch);
                const LineBatch current = batch;
                if (prefetch)
                    reader.prefetch(maxLines, maxBytes);
                for (const std::string_view line : current.lines)
                    lines.append(QByteArray(line.data(), qsizetype(line.size())));
                if (current.error) {
                    error = current.error->message;
                    break;
                }
                if (current.lines.empty())
                    break;
            }
            QCOMPARE(lines, expectedLines);
            QCOMPARE(error, expectedError);
            if (error.isEmpty()) {
                QCOMPARE(reader.sha256(),
                         QCryptographicHash::hash(content, QCryptographicHash::Sha256));
                QCOMPARE(reader.size(), content.size());
            }
        }
    }

    void parallelForRunsEveryTaskOnce()
    {
        for (const size_t count : {size_t(0), size_t(1), size_t(2), size_t(1000)}) {
            std::vector<std::atomic<int>> runs(count);
            std::atomic<bool> workersInRange{true};
            parallelFor(count, [&](size_t index, int worker) {
                runs[index].fetch_add(1);
                if (worker < 0 || worker >= parallelWorkers())
                    workersInRange = false;
            });
            for (const std::atomic<int> &run : runs)
                QCOMPARE(run.load(), 1);
            QVERIFY(workersInRange);
        }
    }
};

QTEST_GUILESS_MAIN(TestBundleFastPath)
#include "test_bundlefastpath.moc"
