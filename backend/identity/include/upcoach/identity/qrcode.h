// QR codes for MFA enrolment (the otpauth:// URI) over libqrencode: a module matrix the console
// draws itself, a standalone SVG and a PBM for the web and the CLI. No Qt Gui. Thread-safe (no
// shared state; libqrencode guards its own tables).
#pragma once

#include "upcoach/core/result.h"

#include <QByteArray>
#include <QString>
#include <vector>

namespace upcoach::identity {

enum class EcLevel
{
    Low,      // ~7 % recoverable
    Medium,   // ~15 %
    Quartile, // ~25 %
    High,     // ~30 %
};

struct QrCode
{
    int size = 0;              // modules per side (21 for version 1, + 4 per version)
    std::vector<bool> modules; // size * size, row-major, true = dark
    bool dark(int x, int y) const
    {
        return x >= 0 && y >= 0 && x < size && y < size &&
               modules[size_t(y) * size_t(size) + size_t(x)];
    }
};

constexpr int kQrMaxInputBytes = 1024;

// Byte-mode encoding at the smallest version that fits. InvalidInput for empty or more than
// 1024 bytes.
Result<QrCode> encodeQr(const QByteArray &text, EcLevel level = EcLevel::Medium);

// A standalone SVG document: black modules as one <path> on a white background,
// viewBox "0 0 N N" in modules (N = size + 2 * quietZone), width/height N * moduleSize pixels.
// moduleSize is clamped to 1..64 and quietZone to 0..16; an empty code gives an empty string.
QString qrSvg(const QrCode &code, int moduleSize = 4, int quietZone = 4);

enum class PbmFormat
{
    Plain, // P1: ASCII '0'/'1'
    Raw,   // P4: packed bits, rows padded to a byte
};

// A PBM image (1 = black), (size + 2 * quietZone) * moduleSize pixels square; moduleSize is
// clamped to 1..16 and quietZone to 0..16. An empty code gives empty bytes.
QByteArray qrPbm(const QrCode &code, int moduleSize = 1, int quietZone = 4,
                 PbmFormat format = PbmFormat::Raw);

} // namespace upcoach::identity
