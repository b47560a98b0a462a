#include "upcoach/identity/qrcode.h"

#include <algorithm>
#include <cerrno>
#include <memory>
#include <qrencode.h>

namespace upcoach::identity {

namespace {

QRecLevel qrLevel(EcLevel level)
{
    switch (level) {
    case EcLevel::Low:
        return QR_ECLEVEL_L;
    case EcLevel::Medium:
        return QR_ECLEVEL_M;
    case EcLevel::Quartile:
        return QR_ECLEVEL_Q;
    case EcLevel::High:
        return QR_ECLEVEL_H;
    }
    return QR_ECLEVEL_M;
}

using QrHandle = std::unique_ptr<QRcode, decltype(&QRcode_free)>;

bool validCode(const QrCode &code)
{
    return code.size > 0 && code.modules.size() == size_t(code.size) * size_t(code.size);
}

} // namespace

Result<QrCode> encodeQr(const QByteArray &text, EcLevel level)
{
    if (text.isEmpty())
        return makeError(ErrorCode::InvalidInput, QStringLiteral("nothing to encode"));
    if (text.size() > kQrMaxInputBytes)
        return makeError(ErrorCode::InvalidInput,
                         QStringLiteral("a QR code holds at most %1 bytes here, not %2")
                             .arg(kQrMaxInputBytes)
                             .arg(text.size()));
    errno = 0;
    // Byte mode over the exact bytes (NULs included); version 0 = the smallest that fits.
    QrHandle qr(QRcode_encodeData(int(text.size()),
                                  reinterpret_cast<const unsigned char *>(text.constData()), 0,
                                  qrLevel(level)),
                &QRcode_free);
    if (!qr) {
        if (errno == ERANGE)
            return makeError(ErrorCode::InvalidInput,
                             QStringLiteral("the text does not fit in a QR code"));
        return makeError(ErrorCode::Internal,
                         QStringLiteral("libqrencode failed (errno %1)").arg(errno));
    }
    if (qr->width <= 0 || qr->width > 177 || !qr->data)
        return makeError(ErrorCode::Internal, QStringLiteral("libqrencode returned a bad matrix"));
    QrCode code;
    code.size = qr->width;
    const size_t count = size_t(code.size) * size_t(code.size);
    code.modules.resize(count);
    // Bit 0 of each byte is the colour; the other bits describe the module's role.
    for (size_t i = 0; i < count; ++i)
        code.modules[i] = (qr->data[i] & 0x01U) != 0;
    return code;
}

QString qrSvg(const QrCode &code, int moduleSize, int quietZone)
{
    if (!validCode(code))
        return QString();
    moduleSize = std::clamp(moduleSize, 1, 64);
    quietZone = std::clamp(quietZone, 0, 16);
    const int extent = code.size + 2 * quietZone;
    const QString extentText = QString::number(extent);
    const QString pixels = QString::number(extent * moduleSize);

    QString path;
    path.reserve(code.size * code.size * 4);
    for (int y = 0; y < code.size; ++y) {
        int x = 0;
        while (x < code.size) {
            if (!code.dark(x, y)) {
                ++x;
                continue;
            }
            const int start = x;
            while (x < code.size && code.dark(x, y))
                ++x;
            const QString run = QString::number(x - start);
            path += u'M' + QString::number(start + quietZone) + u',' +
                    QString::number(y + quietZone) + u'h' + run + QStringLiteral("v1h-") + run +
                    u'z';
        }
    }

    return QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"") +
           pixels + QStringLiteral("\" height=\"") + pixels + QStringLiteral("\" viewBox=\"0 0 ") +
           extentText + u' ' + extentText +
           QStringLiteral("\" shape-rendering=\"crispEdges\">\n"
                          "<rect width=\"") +
           extentText + QStringLiteral("\" height=\"") + extentText +
           QStringLiteral("\" fill=\"#ffffff\"/>\n"
                          "<path fill=\"#000000\" d=\"") +
           path + QStringLiteral("\"/>\n</svg>\n");
}

QByteArray qrPbm(const QrCode &code, int moduleSize, int quietZone, PbmFormat format)
{
    if (!validCode(code))
        return QByteArray();
    moduleSize = std::clamp(moduleSize, 1, 16);
    quietZone = std::clamp(quietZone, 0, 16);
    const int pixels = (code.size + 2 * quietZone) * moduleSize;
    const auto darkAt = [&](int px, int py) {
        return code.dark(px / moduleSize - quietZone, py / moduleSize - quietZone);
    };

    const QByteArray dimension = QByteArray::number(pixels);
    QByteArray out =
        (format == PbmFormat::Raw ? QByteArrayLiteral("P4\n") : QByteArrayLiteral("P1\n")) +
        dimension + ' ' + dimension + '\n';
    if (format == PbmFormat::Raw) {
        const int rowBytes = (pixels + 7) / 8;
        out.reserve(out.size() + qsizetype(rowBytes) * pixels);
        for (int py = 0; py < pixels; ++py) {
            for (int byteIndex = 0; byteIndex < rowBytes; ++byteIndex) {
                unsigned char byte = 0;
                for (int bit = 0; bit < 8; ++bit) {
                    const int px = byteIndex * 8 + bit;
                    if (px < pixels && darkAt(px, py))
                        byte |= static_cast<unsigned char>(0x80U >> bit);
                }
                out.append(char(byte));
            }
        }
    } else {
        // Plain PBM: digits without separators, lines of at most 70 characters.
        out.reserve(out.size() + qsizetype(pixels) * (pixels + pixels / 70 + 1));
        for (int py = 0; py < pixels; ++py) {
            for (int px = 0; px < pixels; ++px) {
                if (px > 0 && px % 70 == 0)
                    out.append('\n');
                out.append(darkAt(px, py) ? '1' : '0');
            }
            out.append('\n');
        }
    }
    return out;
}

} // namespace upcoach::identity
