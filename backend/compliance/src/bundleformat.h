// Private to upcoach_compliance: what the bundle writer (auditbundle.cpp) and verifier
// (bundleverify.cpp) share — file names, limits, and strict accessors for the small JSON objects
// of the format (README.md, "Audit bundle format").
#pragma once

#include "upcoach/compliance/merkle.h"
#include "upcoach/core/result.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace upcoach::compliance {

namespace bundle {

inline const QString kManifest = QStringLiteral("manifest.json");
inline const QString kEvents = QStringLiteral("events.jsonl");
inline const QString kTreeHeads = QStringLiteral("tree-heads.jsonl");
inline const QString kConsistency = QStringLiteral("consistency.jsonl");
inline const QString kProofs = QStringLiteral("proofs.jsonl");
inline const QString kLeaves = QStringLiteral("leaves.txt");
inline const QString kPublicKey = QStringLiteral("public-key.pem");
inline const QString kFormatName = QStringLiteral("upcoach-audit-bundle");

inline constexpr qint64 kMaxManifestBytes = 1024 * 1024;
inline constexpr qint64 kMaxPemBytes = 16 * 1024;
inline constexpr qsizetype kMaxTreeHeadLineBytes = 4 * 1024;
inline constexpr qsizetype kMaxProofLineBytes = 16 * 1024;
inline constexpr qsizetype kMaxLeafLineBytes = 64;
inline constexpr qsizetype kMaxProofHashes = 128; // a valid proof has at most 2 * 64
inline constexpr uint64_t kMaxTreeHeads = 10'000'000;
inline constexpr uint64_t kMaxTreeSize = uint64_t(1) << 40;

Error invalid(const QString &message);

// Strict accessors: the error names the field ("treeSize: not an integer in 0..N").
Status requireExactKeys(const QJsonObject &object, std::initializer_list<const char *> names);
Result<uint64_t> uintField(const QJsonObject &object, const char *name, uint64_t max);
Result<QString> stringField(const QJsonObject &object, const char *name);
Result<QDateTime> optionalTimeField(const QJsonObject &object, const char *name);
Result<Hash> hashField(const QJsonObject &object, const char *name);
Result<std::vector<Hash>> hashListField(const QJsonObject &object, const char *name);
Result<QByteArray> base64Field(const QJsonObject &object, const char *name, qsizetype size);

} // namespace bundle

} // namespace upcoach::compliance
