// QR codes for enrolment: sizes per version, finder patterns, the SVG (parsed back into the
// matrix) and the PBM renderings, input limits.
#include "upcoach/identity/qrcode.h"

#include <QRegularExpression>
#include <QTest>
#include <QXmlStreamReader>

using namespace upcoach;
using namespace upcoach::identity;

namespace {

template<typename T> QByteArray why(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

// The 7x7 finder pattern with its top-left module at (left, top): a dark ring, a light ring, a
// dark 3x3 centre.
bool finderAt(const QrCode &code, int left, int top)
{
    for (int y = 0; y < 7; ++y) {
        for (int x = 0; x < 7; ++x) {
            const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
            const bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
            if (code.dark(left + x, top + y) != (ring || centre))
                return false;
        }
    }
    return true;
}

// The light separator along a finder pattern's inner sides: 8 modules of row `row` from column
// `rowStart` and 8 modules of column `column` from row `columnStart`.
bool separatorLight(const QrCode &code, int row, int rowStart, int column, int columnStart)
{
    for (int i = 0; i < 8; ++i) {
        if (code.dark(rowStart + i, row) || code.dark(column, columnStart + i))
            return false;
    }
    return true;
}

struct Svg
{
    QString viewBox;
    QString width;
    QString height;
    QString pathData;
    int paths = 0;
    bool background = false;
};

Svg parseSvg(const QString &text, QString *error)
{
    Svg svg;
    QXmlStreamReader reader(text);
    while (!reader.atEnd()) {
        reader.readNext();
        if (!reader.isStartElement())
            continue;
        const auto attributes = reader.attributes();
        if (reader.name() == u"svg") {
            svg.viewBox = attributes.value(QLatin1String("viewBox")).toString();
            svg.width = attributes.value(QLatin1String("width")).toString();
            svg.height = attributes.value(QLatin1String("height")).toString();
        } else if (reader.name() == u"path") {
            ++svg.paths;
            svg.pathData = attributes.value(QLatin1String("d")).toString();
            if (attributes.value(QLatin1String("fill")) != u"#000000")
                *error = QStringLiteral("path is not black");
        } else if (reader.name() == u"rect") {
            svg.background = attributes.value(QLatin1String("fill")) == u"#ffffff";
        }
    }
    if (reader.hasError())
        *error = reader.errorString();
    return svg;
}

} // namespace

Q_DECLARE_METATYPE(upcoach::identity::EcLevel)

class TestQrCode : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sizeFollowsVersion_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<EcLevel>("level");
        QTest::addColumn<int>("size");
        // Byte-mode capacities (ISO/IEC 18004 table 7): version 1 holds 17 bytes at L, 14 at
        // M, 11 at Q, 7 at H; version 6 holds 106 at M; version 40 holds 2331 at M.
        QTest::newRow("HELLO L") << QByteArrayLiteral("HELLO") << EcLevel::Low << 21;
        QTest::newRow("HELLO M") << QByteArrayLiteral("HELLO") << EcLevel::Medium << 21;
        QTest::newRow("HELLO H") << QByteArrayLiteral("HELLO") << EcLevel::High << 21;
        QTest::newRow("17 bytes L") << QByteArray(17, 'x') << EcLevel::Low << 21;
        QTest::newRow("18 bytes L") << QByteArray(18, 'x') << EcLevel::Low << 25;
        QTest::newRow("14 bytes M") << QByteArray(14, 'x') << EcLevel::Medium << 21;
        QTest::newRow("15 bytes M") << QByteArray(15, 'x') << EcLevel::Medium << 25;
        QTest::newRow("100 bytes M") << QByteArray(100, 'x') << EcLevel::Medium << 41;
        QTest::newRow("7 bytes H") << QByteArray(7, 'x') << EcLevel::High << 21;
        QTest::newRow("8 bytes H") << QByteArray(8, 'x') << EcLevel::High << 25;
    }
    void sizeFollowsVersion()
    {
        QFETCH(QByteArray, text);
        QFETCH(EcLevel, level);
        QFETCH(int, size);
        const auto code = encodeQr(text, level);
        QVERIFY2(code.ok(), why(code).constData());
        QCOMPARE(code->size, size);
        QCOMPARE(code->modules.size(), size_t(size) * size_t(size));
    }

    void finderPatternsInThreeCorners()
    {
        const QByteArray uri = QByteArrayLiteral(
            "otpauth://totp/UpCoach:jane@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=UpCoach&algorithm=SHA1&digits=6&period=30");
        for (const EcLevel level :
             {EcLevel::Low, EcLevel::Medium, EcLevel::Quartile, EcLevel::High}) {
            const auto code = encodeQr(uri, level);
            QVERIFY2(code.ok(), why(code).constData());
            const int n = code->size;
            QVERIFY(n >= 21 && (n - 17) % 4 == 0);
            QVERIFY(finderAt(*code, 0, 0));
            QVERIFY(finderAt(*code, n - 7, 0));
            QVERIFY(finderAt(*code, 0, n - 7));
            QVERIFY(!finderAt(*code, n - 7, n - 7));            // no finder in the fourth corner
            QVERIFY(separatorLight(*code, 7, 0, 7, 0));         // top left
            QVERIFY(separatorLight(*code, 7, n - 8, n - 8, 0)); // top right
            QVERIFY(separatorLight(*code, n - 8, 0, 7, n - 8)); // bottom left
            // Timing pattern on row 6 between the finders alternates, starting dark.
            for (int x = 8; x < n - 8; ++x)
                QCOMPARE(code->dark(x, 6), x % 2 == 0);
        }
    }

    void differentTextDifferentMatrix()
    {
        const auto a = encodeQr(QByteArrayLiteral("HELLO"));
        const auto b = encodeQr(QByteArrayLiteral("HELLP"));
        QVERIFY(a.ok() && b.ok());
        QVERIFY(a->modules != b->modules);
        QCOMPARE(encodeQr(QByteArrayLiteral("HELLO"))->modules, a->modules); // deterministic
        // NUL bytes are data, not a terminator.
        const auto withNul = encodeQr(QByteArray("A\0B", 3));
        QVERIFY2(withNul.ok(), why(withNul).constData());
        QVERIFY(withNul->modules != encodeQr(QByteArrayLiteral("A"))->modules);
    }

    void svgIsWellFormedAndDrawsTheMatrix()
    {
        const auto code = encodeQr(QByteArrayLiteral("HELLO"), EcLevel::Medium);
        QVERIFY2(code.ok(), why(code).constData());
        const QString text = qrSvg(*code);
        QString error;
        const Svg svg = parseSvg(text, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(svg.viewBox, QStringLiteral("0 0 29 29"));
        QCOMPARE(svg.width, QStringLiteral("116"));
        QCOMPARE(svg.height, QStringLiteral("116"));
        QCOMPARE(svg.paths, 1);
        QVERIFY(svg.background);

        // Redraw the path's horizontal runs and compare with the matrix.
        std::vector<bool> drawn(size_t(code->size) * size_t(code->size), false);
        const QRegularExpression run(QStringLiteral("M(\\d+),(\\d+)h(\\d+)v1h-(\\d+)z"));
        qsizetype consumed = 0;
        auto it = run.globalMatch(svg.pathData);
        while (it.hasNext()) {
            const auto match = it.next();
            QCOMPARE(match.capturedStart(), consumed); // nothing unparsed in between
            consumed = match.capturedEnd();
            const int x = match.captured(1).toInt() - 4;
            const int y = match.captured(2).toInt() - 4;
            const int length = match.captured(3).toInt();
            QCOMPARE(match.captured(4).toInt(), length);
            QVERIFY(x >= 0 && y >= 0 && y < code->size && length > 0 && x + length <= code->size);
            for (int i = 0; i < length; ++i)
                drawn[size_t(y) * size_t(code->size) + size_t(x + i)] = true;
        }
        QCOMPARE(consumed, svg.pathData.size());
        QVERIFY(drawn == code->modules);

        const Svg big = parseSvg(qrSvg(*code, 10, 2), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(big.viewBox, QStringLiteral("0 0 25 25"));
        QCOMPARE(big.width, QStringLiteral("250"));
        QVERIFY(qrSvg(QrCode{}).isEmpty());
    }

    void pbmRenderings()
    {
        const auto code = encodeQr(QByteArrayLiteral("HELLO"), EcLevel::Low);
        QVERIFY2(code.ok(), why(code).constData());
        const int n = code->size;

        const QByteArray plain = qrPbm(*code, 1, 0, PbmFormat::Plain);
        QVERIFY(plain.startsWith("P1\n21 21\n"));
        const QByteArray digits = plain.mid(9).replace('\n', QByteArray());
        QCOMPARE(digits.size(), qsizetype(n) * n);
        for (int y = 0; y < n; ++y) {
            for (int x = 0; x < n; ++x)
                QCOMPARE(digits.at(y * n + x) == '1', code->dark(x, y));
        }

        // Raw, 2 pixels per module and a 4-module quiet zone: (21 + 8) * 2 = 58 pixels.
        const QByteArray raw = qrPbm(*code, 2, 4, PbmFormat::Raw);
        const QByteArray header = QByteArrayLiteral("P4\n58 58\n");
        QVERIFY(raw.startsWith(header));
        const int rowBytes = (58 + 7) / 8;
        QCOMPARE(raw.size(), header.size() + qsizetype(rowBytes) * 58);
        const auto pixel = [&](int px, int py) {
            const auto byte =
                static_cast<unsigned char>(raw.at(header.size() + py * rowBytes + px / 8));
            return (byte & (0x80U >> (px % 8))) != 0;
        };
        for (int py = 0; py < 58; ++py) {
            for (int px = 0; px < 58; ++px)
                QCOMPARE(pixel(px, py), code->dark(px / 2 - 4, py / 2 - 4));
        }
        QVERIFY(qrPbm(QrCode{}).isEmpty());
    }

    void rejectsEmptyAndOversizedInput()
    {
        QCOMPARE(encodeQr(QByteArray()).error().code, ErrorCode::InvalidInput);
        QCOMPARE(encodeQr(QByteArray(1025, 'x')).error().code, ErrorCode::InvalidInput);
        QCOMPARE(encodeQr(QByteArray(100000, 'x'), EcLevel::Low).error().code,
                 ErrorCode::InvalidInput);
        QVERIFY(encodeQr(QByteArray(1024, 'x')).ok());
        // 1024 bytes fit even at level H (version 40 holds 1273 bytes there).
        const auto largest = encodeQr(QByteArray(1024, 'x'), EcLevel::High);
        QVERIFY2(largest.ok(), why(largest).constData());
        QVERIFY(largest->size > 150 && largest->size <= 177);
    }
};

QTEST_GUILESS_MAIN(TestQrCode)
#include "test_qrcode.moc"
