#include "worldmapitem.h"

#include "upcoach/routing/ipaddress.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QLoggingCategory>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QQuickWindow>
#include <QSGFlatColorMaterial>
#include <QSGGeometryNode>
#include <QSGRectangleNode>
#include <QSGRenderNode>
#include <QSGRendererInterface>
#include <QSGTransformNode>
#include <QSGVertexColorMaterial>
#include <QVariantMap>
#include <QWheelEvent>
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace upcoach::viewmodels {

namespace {
Q_LOGGING_CATEGORY(lcWorldMap, "upcoach.app.worldmap", QtInfoMsg)
} // namespace

namespace worldmap {

// --- projection ------------------------------------------------------------------------------
// Equal Earth (Šavrič, Patterson, Jenny 2018): equal-area, pleasant shapes, cheap to compute.
// scripts/gen-world.mjs triangulates on the same formula, so the stored triangles are exactly the
// ones drawn.
constexpr double kA1 = 1.340264;
constexpr double kA2 = -0.081106;
constexpr double kA3 = 0.000893;
constexpr double kA4 = 0.003796;
const double kM = std::sqrt(3.0) / 2.0;

QPointF equalEarth(double latitude, double longitude)
{
    constexpr double radians = std::numbers::pi / 180.0;
    const double lambda = std::clamp(longitude, -180.0, 180.0) * radians;
    const double theta = std::asin(kM * std::sin(std::clamp(latitude, -90.0, 90.0) * radians));
    const double t2 = theta * theta;
    const double t6 = t2 * t2 * t2;
    const double x =
        lambda * std::cos(theta) / (kM * (kA1 + 3 * kA2 * t2 + t6 * (7 * kA3 + 9 * kA4 * t2)));
    const double y = theta * (kA1 + kA2 * t2 + t6 * (kA3 + kA4 * t2));
    return {x, y};
}

// The map spans every longitude and the latitudes with land once Antarctica is left out (South
// Georgia and the South Sandwich Islands reach 59.5°S, Greenland 83.6°N): less empty ocean in a
// wide console panel.
constexpr double kNorthernmostLatitude = 85;
constexpr double kSouthernmostLatitude = -60;
const double kHalfWidth = equalEarth(0, 180).x();
const double kTop = equalEarth(kNorthernmostLatitude, 0).y();
const double kBottom = equalEarth(kSouthernmostLatitude, 0).y();

// --- shapes from resources/world/land.json ----------------------------------------------------
struct Country
{
    QString code; // "" for land without an ISO code (Somaliland, N. Cyprus, ...)
    int codeIndex = -1;
    quint32 firstVertex = 0;
    quint32 vertexCount = 0;
    quint32 firstRing = 0;
    quint32 ringCount = 0;
    QRectF bounds; // map coordinates
};

struct Shapes
{
    std::vector<QPointF> vertices;      // map coordinates
    std::vector<quint32> triangles;     // indices into vertices
    std::vector<quint32> ringSizes;     // each country's rings, in order
    std::vector<quint32> borderLines;   // index pairs: every ring edge
    std::vector<quint32> vertexCountry; // country per vertex
    std::vector<Country> countries;
};

namespace {

constexpr qsizetype kMaxLandBytes = 16 << 20;
constexpr qsizetype kMaxCountries = 1000;
constexpr std::size_t kMaxVertices = 2'000'000;

QString landError(const QString &where, const QString &what)
{
    return QStringLiteral("world map shapes (land.json): ") + where + what;
}

// Parses and validates the generator's format; fills `shapes` or returns what was wrong.
QString parseLand(const QByteArray &json, Shapes &shapes)
{
    if (json.size() > kMaxLandBytes)
        return landError(QString(), QStringLiteral("larger than 16 MiB"));
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (document.isNull())
        return landError(QString(), parseError.errorString() +
                                        QStringLiteral(" at offset %1").arg(parseError.offset));
    const QJsonObject root = document.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String("upcoach-world-land") ||
        root.value(QLatin1String("version")).toInt() != 1)
        return landError(QString(), QStringLiteral("not format upcoach-world-land version 1; "
                                                   "regenerate with scripts/gen-world.mjs"));
    const double units = root.value(QLatin1String("unitsPerDegree")).toDouble();
    if (!(units >= 1 && units <= 1e7))
        return landError(QStringLiteral("unitsPerDegree"), QStringLiteral(": out of range"));
    const QJsonArray countries = root.value(QLatin1String("countries")).toArray();
    if (countries.isEmpty() || countries.size() > kMaxCountries)
        return landError(QStringLiteral("countries"),
                         QStringLiteral(": 1 to %1 entries expected").arg(kMaxCountries));

    for (qsizetype c = 0; c < countries.size(); ++c) {
        const QJsonObject object = countries.at(c).toObject();
        const QString where = QStringLiteral("countries[%1].").arg(c);
        Country country;
        country.code = object.value(QLatin1String("code")).toString();
        const auto code = routing::CountryCode::fromString(country.code);
        if (!country.code.isEmpty() && (!code.valid() || code.toString() != country.code))
            return landError(where + QStringLiteral("code"),
                             QStringLiteral(": two upper-case letters or \"\" expected"));
        country.codeIndex = code.valid() ? code.index() : -1;

        const QJsonArray xy = object.value(QLatin1String("xy")).toArray();
        const QJsonArray rings = object.value(QLatin1String("rings")).toArray();
        const QJsonArray triangles = object.value(QLatin1String("triangles")).toArray();
        if (xy.isEmpty() || xy.size() % 2 != 0)
            return landError(where + QStringLiteral("xy"), QStringLiteral(": x, y pairs expected"));
        const auto vertexCount = static_cast<quint32>(xy.size() / 2);
        if (shapes.vertices.size() + vertexCount > kMaxVertices)
            return landError(where + QStringLiteral("xy"),
                             QStringLiteral(": more than %1 vertices in all").arg(kMaxVertices));
        country.firstVertex = static_cast<quint32>(shapes.vertices.size());
        country.vertexCount = vertexCount;
        country.firstRing = static_cast<quint32>(shapes.ringSizes.size());
        country.ringCount = static_cast<quint32>(rings.size());

        // Delta-encoded integers; the first pair is absolute.
        qint64 x = 0;
        qint64 y = 0;
        double minX = 1e9, minY = 1e9, maxX = -1e9, maxY = -1e9;
        for (qsizetype i = 0; i < xy.size(); i += 2) {
            x += xy.at(i).toInteger();
            y += xy.at(i + 1).toInteger();
            const double longitude = double(x) / units;
            const double latitude = double(y) / units;
            if (std::abs(longitude) > 180 || std::abs(latitude) > 90)
                return landError(where + QStringLiteral("xy"),
                                 QStringLiteral(": vertex %1 is off the globe").arg(i / 2));
            const QPointF point = WorldMapItem::mapPoint(latitude, longitude);
            minX = std::min(minX, point.x());
            maxX = std::max(maxX, point.x());
            minY = std::min(minY, point.y());
            maxY = std::max(maxY, point.y());
            shapes.vertices.push_back(point);
            shapes.vertexCountry.push_back(static_cast<quint32>(c));
        }
        country.bounds = QRectF(QPointF(minX, minY), QPointF(maxX, maxY));

        quint32 ringStart = country.firstVertex;
        for (const QJsonValue &value : rings) {
            const qint64 size = value.toInteger();
            if (size < 3 || ringStart + size > country.firstVertex + vertexCount)
                return landError(where + QStringLiteral("rings"),
                                 QStringLiteral(": ring sizes must be at least 3 and add up to "
                                                "the vertex count"));
            shapes.ringSizes.push_back(static_cast<quint32>(size));
            for (qint64 i = 0; i < size; ++i) {
                shapes.borderLines.push_back(ringStart + static_cast<quint32>(i));
                shapes.borderLines.push_back(ringStart + static_cast<quint32>((i + 1) % size));
            }
            ringStart += static_cast<quint32>(size);
        }
        if (ringStart != country.firstVertex + vertexCount)
            return landError(where + QStringLiteral("rings"),
                             QStringLiteral(": ring sizes do not add up to the vertex count"));

        if (triangles.size() % 3 != 0)
            return landError(where + QStringLiteral("triangles"),
                             QStringLiteral(": index triples expected"));
        for (const QJsonValue &value : triangles) {
            const qint64 index = value.toInteger(-1);
            if (index < 0 || index >= vertexCount)
                return landError(where + QStringLiteral("triangles"),
                                 QStringLiteral(": index %1 is not a vertex").arg(index));
            shapes.triangles.push_back(country.firstVertex + static_cast<quint32>(index));
        }
        shapes.countries.push_back(std::move(country));
    }
    return {};
}

} // namespace

const Shapes &shapes()
{
    static const Shapes loaded = [] {
        Shapes result;
        QFile file(QStringLiteral(":/upcoach/world/land.json"));
        QString error;
        if (!file.open(QIODevice::ReadOnly))
            error = QStringLiteral("world map shapes (:/upcoach/world/land.json) are missing from "
                                   "the binary's resources: link upcoach_routing");
        else
            error = parseLand(file.read(kMaxLandBytes + 1), result);
        if (!error.isEmpty()) {
            qCCritical(lcWorldMap).noquote() << error << "- the map shows ocean only";
            result = Shapes{};
        }
        return result;
    }();
    return loaded;
}

// Points along a flow's arc, in map coordinates: a quadratic Bézier bowed towards the north
// (up), its height a quarter of the chord.
constexpr int kArcSegments = 48;

std::array<QPointF, kArcSegments + 1> arcPoints(const Flow &flow)
{
    const QPointF chord = flow.to - flow.from;
    const double length = std::hypot(chord.x(), chord.y());
    QPointF normal(chord.y() / length, -chord.x() / length);
    if (normal.y() > 0)
        normal = -normal;
    const QPointF control = (flow.from + flow.to) / 2 + normal * (0.25 * length);
    std::array<QPointF, kArcSegments + 1> points;
    for (int i = 0; i <= kArcSegments; ++i) {
        const double t = double(i) / kArcSegments;
        points[static_cast<std::size_t>(i)] =
            (1 - t) * (1 - t) * flow.from + 2 * (1 - t) * t * control + t * t * flow.to;
    }
    return points;
}

double flowWidthPixels(const Flow &flow)
{
    return 1.25 + 3.5 * flow.weight;
}
double flowAlpha(const Flow &flow)
{
    return 0.35 + 0.65 * flow.weight;
}

// --- scene graph: GPU ------------------------------------------------------------------------
QSGGeometry::ColoredPoint2D colored(const QPointF &point, const QColor &color, double alpha = 1)
{
    // QSGVertexColorMaterial takes premultiplied colours.
    const double a = color.alphaF() * alpha;
    QSGGeometry::ColoredPoint2D vertex;
    vertex.set(float(point.x()), float(point.y()), uchar(std::lround(color.redF() * a * 255)),
               uchar(std::lround(color.greenF() * a * 255)),
               uchar(std::lround(color.blueF() * a * 255)), uchar(std::lround(a * 255)));
    return vertex;
}

struct State
{
    QColor ocean;
    QColor land;
    QColor border;
    QColor highlight;
    std::bitset<26 * 26> highlighted;
    std::vector<Flow> flows;
    QSizeF itemSize;
    double scale = 1;
    QPointF offset;
};

QColor fillColor(const Country &country, const State &state)
{
    return country.codeIndex >= 0 && state.highlighted.test(std::size_t(country.codeIndex))
               ? state.highlight
               : state.land;
}

class GpuMapNode : public QSGNode
{
public:
    explicit GpuMapNode(QQuickWindow *window)
    {
        const Shapes &world = shapes();
        m_ocean = window->createRectangleNode();
        appendChildNode(m_ocean);
        m_transform = new QSGTransformNode;
        appendChildNode(m_transform);

        auto *fillGeometry = new QSGGeometry(
            QSGGeometry::defaultAttributes_ColoredPoint2D(), int(world.vertices.size()),
            int(world.triangles.size()), QSGGeometry::UnsignedIntType);
        fillGeometry->setDrawingMode(QSGGeometry::DrawTriangles);
        std::copy(world.triangles.begin(), world.triangles.end(), fillGeometry->indexDataAsUInt());
        m_fill = new QSGGeometryNode;
        m_fill->setGeometry(fillGeometry);
        m_fill->setMaterial(new QSGVertexColorMaterial);
        m_fill->setFlags(QSGNode::OwnsGeometry | QSGNode::OwnsMaterial);
        m_transform->appendChildNode(m_fill);

        auto *borderGeometry =
            new QSGGeometry(QSGGeometry::defaultAttributes_Point2D(), int(world.vertices.size()),
                            int(world.borderLines.size()), QSGGeometry::UnsignedIntType);
        borderGeometry->setDrawingMode(QSGGeometry::DrawLines);
        borderGeometry->setLineWidth(1);
        QSGGeometry::Point2D *points = borderGeometry->vertexDataAsPoint2D();
        for (std::size_t i = 0; i < world.vertices.size(); ++i)
            points[i].set(float(world.vertices[i].x()), float(world.vertices[i].y()));
        std::copy(world.borderLines.begin(), world.borderLines.end(),
                  borderGeometry->indexDataAsUInt());
        m_borders = new QSGGeometryNode;
        m_borders->setGeometry(borderGeometry);
        m_borderMaterial = new QSGFlatColorMaterial;
        m_borders->setMaterial(m_borderMaterial);
        m_borders->setFlags(QSGNode::OwnsGeometry | QSGNode::OwnsMaterial);
        m_transform->appendChildNode(m_borders);

        auto *flowGeometry = new QSGGeometry(QSGGeometry::defaultAttributes_ColoredPoint2D(), 0);
        flowGeometry->setDrawingMode(QSGGeometry::DrawTriangles);
        m_flows = new QSGGeometryNode;
        m_flows->setGeometry(flowGeometry);
        m_flows->setMaterial(new QSGVertexColorMaterial);
        m_flows->setFlags(QSGNode::OwnsGeometry | QSGNode::OwnsMaterial);
        m_transform->appendChildNode(m_flows);
    }

    void sync(const State &state, bool colorsDirty, bool flowsDirty)
    {
        m_ocean->setRect(QRectF(QPointF(0, 0), state.itemSize));
        m_ocean->setColor(state.ocean);
        QMatrix4x4 matrix;
        matrix.translate(float(state.offset.x()), float(state.offset.y()));
        matrix.scale(float(state.scale));
        m_transform->setMatrix(matrix);
        if (colorsDirty) {
            writeFillColors(state);
            m_borderMaterial->setColor(state.border);
            m_borders->markDirty(QSGNode::DirtyMaterial);
        }
        // Flow widths are in pixels, so a new zoom rebuilds them; a pan does not.
        if (flowsDirty || colorsDirty || state.scale != m_flowScale)
            writeFlows(state);
    }

private:
    void writeFillColors(const State &state)
    {
        const Shapes &world = shapes();
        QSGGeometry::ColoredPoint2D *vertices = m_fill->geometry()->vertexDataAsColoredPoint2D();
        for (const Country &country : world.countries) {
            const QColor color = fillColor(country, state);
            for (quint32 i = 0; i < country.vertexCount; ++i) {
                const std::size_t index = country.firstVertex + i;
                vertices[index] = colored(world.vertices[index], color);
            }
        }
        m_fill->markDirty(QSGNode::DirtyGeometry);
    }

    void writeFlows(const State &state)
    {
        m_flowScale = state.scale;
        QSGGeometry *geometry = m_flows->geometry();
        geometry->allocate(int(state.flows.size()) * kArcSegments * 6);
        QSGGeometry::ColoredPoint2D *out = geometry->vertexDataAsColoredPoint2D();
        int written = 0;
        for (const Flow &flow : state.flows) {
            const auto points = arcPoints(flow);
            const double halfWidth = flowWidthPixels(flow) / 2 / state.scale;
            const QColor color = flow.color.isValid() ? flow.color : state.highlight;
            const auto side = [&](int i) {
                const QPointF &a = points[std::size_t(std::max(i - 1, 0))];
                const QPointF &b = points[std::size_t(std::min(i + 1, kArcSegments))];
                const QPointF tangent = b - a;
                const double length = std::hypot(tangent.x(), tangent.y());
                return QPointF(-tangent.y() / length, tangent.x() / length) * halfWidth;
            };
            for (int i = 0; i < kArcSegments; ++i) {
                // Fades in from the source so the direction reads at a glance.
                const double alpha0 = flowAlpha(flow) * (0.3 + 0.7 * double(i) / kArcSegments);
                const double alpha1 = flowAlpha(flow) * (0.3 + 0.7 * double(i + 1) / kArcSegments);
                const QPointF &p0 = points[std::size_t(i)];
                const QPointF &p1 = points[std::size_t(i + 1)];
                const QPointF n0 = side(i);
                const QPointF n1 = side(i + 1);
                const auto a = colored(p0 + n0, color, alpha0);
                const auto b = colored(p0 - n0, color, alpha0);
                const auto c = colored(p1 + n1, color, alpha1);
                const auto d = colored(p1 - n1, color, alpha1);
                out[written++] = a;
                out[written++] = b;
                out[written++] = c;
                out[written++] = b;
                out[written++] = d;
                out[written++] = c;
            }
        }
        m_flows->markDirty(QSGNode::DirtyGeometry);
    }

    QSGRectangleNode *m_ocean = nullptr;
    QSGTransformNode *m_transform = nullptr;
    QSGGeometryNode *m_fill = nullptr;
    QSGGeometryNode *m_borders = nullptr;
    QSGFlatColorMaterial *m_borderMaterial = nullptr;
    QSGGeometryNode *m_flows = nullptr;
    double m_flowScale = 0;
};

// --- scene graph: software (QPainter) ----------------------------------------------------------
class SoftwareMapRenderer : public QSGRenderNode
{
public:
    explicit SoftwareMapRenderer(QQuickWindow *window)
        : m_window(window)
    {
        const Shapes &world = shapes();
        m_paths.reserve(world.countries.size());
        for (const Country &country : world.countries) {
            QPainterPath path;
            path.setFillRule(Qt::OddEvenFill);
            quint32 vertex = country.firstVertex;
            for (quint32 r = 0; r < country.ringCount; ++r) {
                const quint32 size = world.ringSizes[country.firstRing + r];
                QPolygonF ring;
                ring.reserve(size + 1);
                for (quint32 i = 0; i < size; ++i)
                    ring.append(world.vertices[vertex + i]);
                ring.append(world.vertices[vertex]);
                path.addPolygon(ring);
                vertex += size;
            }
            m_paths.push_back(path);
        }
    }

    void setState(const State &state)
    {
        m_state = state;
        markDirty(QSGNode::DirtyMaterial);
    }

    void render(const RenderState *renderState) override
    {
        auto *painter = static_cast<QPainter *>(m_window->rendererInterface()->getResource(
            m_window, QSGRendererInterface::PainterResource));
        if (!painter)
            return;
        const Shapes &world = shapes();
        const QTransform itemToScene = matrix()->toTransform();
        const QTransform mapToItem(m_state.scale, 0, 0, m_state.scale, m_state.offset.x(),
                                   m_state.offset.y());
        painter->save();
        // The clip region is in window coordinates: set it before the map's transform, or it
        // lands in map units and hides the map wherever the item is not at the window's origin.
        if (const QRegion *clip = renderState->clipRegion(); clip && !clip->isEmpty())
            painter->setClipRegion(*clip, Qt::ReplaceClip);
        painter->setTransform(mapToItem * itemToScene);
        painter->setOpacity(inheritedOpacity());
        painter->setRenderHint(QPainter::Antialiasing, true);

        const QRectF visible =
            mapToItem.inverted().mapRect(QRectF(QPointF(0, 0), m_state.itemSize));
        QPen border(m_state.border, 0.8);
        border.setCosmetic(true);
        for (std::size_t i = 0; i < m_paths.size(); ++i) {
            if (!world.countries[i].bounds.intersects(visible))
                continue;
            painter->fillPath(m_paths[i], fillColor(world.countries[i], m_state));
            painter->strokePath(m_paths[i], border);
        }

        for (const Flow &flow : m_state.flows) {
            const auto points = arcPoints(flow);
            QPolygonF line(int(points.size()));
            std::copy(points.begin(), points.end(), line.begin());
            QColor color = flow.color.isValid() ? flow.color : m_state.highlight;
            QColor faded = color;
            color.setAlphaF(float(color.alphaF() * flowAlpha(flow)));
            faded.setAlphaF(float(color.alphaF() * 0.3));
            QLinearGradient gradient(flow.from, flow.to);
            gradient.setColorAt(0, faded);
            gradient.setColorAt(1, color);
            QPen pen(QBrush(gradient), flowWidthPixels(flow), Qt::SolidLine, Qt::RoundCap,
                     Qt::RoundJoin);
            pen.setCosmetic(true);
            painter->setPen(pen);
            painter->drawPolyline(line);
        }
        painter->restore();
    }

    StateFlags changedStates() const override { return {}; }
    RenderingFlags flags() const override { return BoundedRectRendering; }
    QRectF rect() const override { return QRectF(QPointF(0, 0), m_state.itemSize); }

private:
    QQuickWindow *m_window;
    std::vector<QPainterPath> m_paths;
    State m_state;
};

class SoftwareMapNode : public QSGNode
{
public:
    explicit SoftwareMapNode(QQuickWindow *window)
    {
        m_ocean = window->createRectangleNode();
        appendChildNode(m_ocean);
        m_renderer = new SoftwareMapRenderer(window);
        appendChildNode(m_renderer);
    }
    void sync(const State &state)
    {
        m_ocean->setRect(QRectF(QPointF(0, 0), state.itemSize));
        m_ocean->setColor(state.ocean);
        m_renderer->setState(state);
    }

private:
    QSGRectangleNode *m_ocean = nullptr;
    SoftwareMapRenderer *m_renderer = nullptr;
};

} // namespace worldmap

using namespace worldmap;

namespace {

bool sameColor(const QColor &a, const QColor &b)
{
    return a.rgba64() == b.rgba64();
}

} // namespace

WorldMapItem::WorldMapItem(QQuickItem *parent)
    : QQuickItem(parent)
    , m_shapes(worldmap::shapes())
    , m_center(mapSize().width() / 2, mapSize().height() / 2)
{
    setFlag(ItemHasContents, true);
    setClip(true);
    setAcceptedMouseButtons(Qt::LeftButton);
    setActiveFocusOnTab(true);
}

WorldMapItem::~WorldMapItem() = default;

QPointF WorldMapItem::mapPoint(double latitude, double longitude)
{
    const QPointF projected = equalEarth(latitude, longitude);
    return {projected.x() + kHalfWidth, kTop - projected.y()};
}

QSizeF WorldMapItem::mapSize()
{
    return {2 * kHalfWidth, kTop - kBottom};
}

void WorldMapItem::setOceanColor(const QColor &color)
{
    if (sameColor(color, m_oceanColor))
        return;
    m_oceanColor = color;
    m_colorsDirty = true;
    Q_EMIT stylingChanged();
    update();
}

void WorldMapItem::setLandColor(const QColor &color)
{
    if (sameColor(color, m_landColor))
        return;
    m_landColor = color;
    m_colorsDirty = true;
    Q_EMIT stylingChanged();
    update();
}

void WorldMapItem::setBorderColor(const QColor &color)
{
    if (sameColor(color, m_borderColor))
        return;
    m_borderColor = color;
    m_colorsDirty = true;
    Q_EMIT stylingChanged();
    update();
}

void WorldMapItem::setHighlightColor(const QColor &color)
{
    if (sameColor(color, m_highlightColor))
        return;
    m_highlightColor = color;
    m_colorsDirty = true;
    Q_EMIT stylingChanged();
    update();
}

void WorldMapItem::setFlows(const QVariantList &flows)
{
    std::vector<Flow> parsed;
    int skipped = 0;
    for (const QVariant &entry : flows) {
        if (parsed.size() >= std::size_t(kMaxFlows)) {
            skipped += 1;
            continue;
        }
        const QVariantMap map = entry.toMap();
        const auto number = [&](const char *key, double limit, bool &ok) {
            bool converted = false;
            const double value = map.value(QLatin1String(key)).toDouble(&converted);
            ok = ok && converted && std::isfinite(value) && std::abs(value) <= limit;
            return value;
        };
        bool ok = true;
        const double fromLatitude = number("fromLatitude", 90, ok);
        const double fromLongitude = number("fromLongitude", 180, ok);
        const double toLatitude = number("toLatitude", 90, ok);
        const double toLongitude = number("toLongitude", 180, ok);
        Flow flow;
        flow.from = mapPoint(fromLatitude, fromLongitude);
        flow.to = mapPoint(toLatitude, toLongitude);
        if (!ok || flow.from == flow.to) {
            skipped += 1;
            continue;
        }
        const QVariant weight = map.value(QStringLiteral("weight"), 0.5);
        flow.weight =
            std::clamp(std::isfinite(weight.toDouble()) ? weight.toDouble() : 0.0, 0.0, 1.0);
        const QVariant color = map.value(QStringLiteral("color"));
        if (color.isValid())
            flow.color = color.value<QColor>();
        parsed.push_back(flow);
    }
    if (skipped > 0)
        qCWarning(lcWorldMap) << "WorldMap: skipped" << skipped
                              << "flow(s) without valid coordinates (fromLatitude, "
                                 "fromLongitude, toLatitude, toLongitude in degrees) or beyond"
                              << kMaxFlows;
    m_flowList = flows;
    m_flows = std::move(parsed);
    m_flowsDirty = true;
    Q_EMIT flowsChanged();
    update();
}

void WorldMapItem::setHighlightedCountries(const QStringList &codes)
{
    if (codes == m_highlightList)
        return;
    std::bitset<26 * 26> highlighted;
    for (const QString &text : codes) {
        const auto code = routing::CountryCode::fromString(text);
        if (code.valid())
            highlighted.set(std::size_t(code.index()));
    }
    m_highlightList = codes;
    if (highlighted != m_highlighted) {
        m_highlighted = highlighted;
        m_colorsDirty = true;
        update();
    }
    Q_EMIT highlightedCountriesChanged();
}

qreal WorldMapItem::baseScale() const
{
    const QSizeF world = mapSize();
    if (width() <= 0 || height() <= 0)
        return 1;
    return std::min(width() / world.width(), height() / world.height());
}

QPointF WorldMapItem::offset() const
{
    return QPointF(width() / 2, height() / 2) - m_center * scale();
}

QPointF WorldMapItem::project(double latitude, double longitude) const
{
    return mapPoint(latitude, longitude) * scale() + offset();
}

QString WorldMapItem::countryAt(qreal x, qreal y) const
{
    const QPointF point = (QPointF(x, y) - offset()) / scale();
    const QSizeF world = mapSize();
    if (point.x() < 0 || point.y() < 0 || point.x() > world.width() || point.y() > world.height())
        return {};
    for (const Country &country : m_shapes.countries) {
        if (!country.bounds.contains(point))
            continue;
        // Even-odd over every ring: holes (Lesotho inside South Africa) count themselves out.
        bool inside = false;
        quint32 vertex = country.firstVertex;
        for (quint32 r = 0; r < country.ringCount; ++r) {
            const quint32 size = m_shapes.ringSizes[country.firstRing + r];
            for (quint32 i = 0, j = size - 1; i < size; j = i++) {
                const QPointF &a = m_shapes.vertices[vertex + i];
                const QPointF &b = m_shapes.vertices[vertex + j];
                if ((a.y() > point.y()) != (b.y() > point.y()) &&
                    point.x() < (b.x() - a.x()) * (point.y() - a.y()) / (b.y() - a.y()) + a.x())
                    inside = !inside;
            }
            vertex += size;
        }
        if (inside)
            return country.code;
    }
    return {};
}

void WorldMapItem::clampView()
{
    const QSizeF world = mapSize();
    const qreal s = scale();
    const qreal halfWidth = width() / (2 * s);
    const qreal halfHeight = height() / (2 * s);
    m_center.setX(world.width() <= 2 * halfWidth
                      ? world.width() / 2
                      : std::clamp(m_center.x(), halfWidth, world.width() - halfWidth));
    m_center.setY(world.height() <= 2 * halfHeight
                      ? world.height() / 2
                      : std::clamp(m_center.y(), halfHeight, world.height() - halfHeight));
}

void WorldMapItem::viewUpdated()
{
    update();
    Q_EMIT viewChanged();
}

void WorldMapItem::zoomAt(qreal factor, qreal x, qreal y)
{
    if (!std::isfinite(factor) || factor <= 0 || !std::isfinite(x) || !std::isfinite(y))
        return;
    const qreal zoom = std::clamp(m_zoom * factor, qreal(1), kMaxZoom);
    if (zoom == m_zoom)
        return;
    const QPointF cursor(x, y);
    const QPointF anchor = (cursor - offset()) / scale();
    m_zoom = zoom;
    m_center = anchor - (cursor - QPointF(width() / 2, height() / 2)) / scale();
    clampView();
    viewUpdated();
}

void WorldMapItem::panBy(qreal dx, qreal dy)
{
    if (!std::isfinite(dx) || !std::isfinite(dy))
        return;
    const QPointF before = m_center;
    m_center -= QPointF(dx, dy) / scale();
    clampView();
    if (m_center != before)
        viewUpdated();
}

void WorldMapItem::resetView()
{
    m_zoom = 1;
    m_center = QPointF(mapSize().width() / 2, mapSize().height() / 2);
    viewUpdated();
}

void WorldMapItem::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) {
        clampView();
        viewUpdated();
    }
}

QSGNode *WorldMapItem::updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *)
{
    if (width() <= 0 || height() <= 0) {
        delete oldNode;
        return nullptr;
    }
    State state{m_oceanColor, m_landColor, m_borderColor, m_highlightColor, m_highlighted,
                {},           size(),      scale(),       offset()};
    const bool software =
        window()->rendererInterface()->graphicsApi() == QSGRendererInterface::Software;
    if (software) {
        auto *node = static_cast<SoftwareMapNode *>(oldNode);
        if (!node)
            node = new SoftwareMapNode(window());
        state.flows = m_flows;
        node->sync(state);
        m_colorsDirty = m_flowsDirty = false;
        return node;
    }
    auto *node = static_cast<GpuMapNode *>(oldNode);
    const bool fresh = !node;
    if (fresh)
        node = new GpuMapNode(window());
    state.flows = m_flows;
    node->sync(state, fresh || m_colorsDirty, fresh || m_flowsDirty);
    m_colorsDirty = m_flowsDirty = false;
    return node;
}

void WorldMapItem::releaseResources()
{
    m_colorsDirty = m_flowsDirty = true;
}

void WorldMapItem::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (delta.y() == 0) {
        event->ignore();
        return;
    }
    // One notch (120) zooms by √2.
    zoomAt(std::pow(2.0, delta.y() / 240.0), event->position().x(), event->position().y());
    event->accept();
}

void WorldMapItem::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton) {
        event->ignore();
        return;
    }
    forceActiveFocus(Qt::MouseFocusReason);
    m_dragFrom = event->position();
    m_dragging = true;
    event->accept();
}

void WorldMapItem::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging)
        return;
    const QPointF position = event->position();
    panBy(position.x() - m_dragFrom.x(), position.y() - m_dragFrom.y());
    m_dragFrom = position;
    event->accept();
}

void WorldMapItem::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragging = false;
    event->accept();
}

void WorldMapItem::mouseDoubleClickEvent(QMouseEvent *event)
{
    zoomAt(2, event->position().x(), event->position().y());
    event->accept();
}

void WorldMapItem::keyPressEvent(QKeyEvent *event)
{
    const qreal step = std::max<qreal>(40, std::min(width(), height()) / 8);
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAt(1.5, width() / 2, height() / 2);
        break;
    case Qt::Key_Minus:
        zoomAt(1 / 1.5, width() / 2, height() / 2);
        break;
    case Qt::Key_Left:
        panBy(step, 0);
        break;
    case Qt::Key_Right:
        panBy(-step, 0);
        break;
    case Qt::Key_Up:
        panBy(0, step);
        break;
    case Qt::Key_Down:
        panBy(0, -step);
        break;
    case Qt::Key_0:
        resetView();
        break;
    default:
        event->ignore();
        return;
    }
    event->accept();
}

} // namespace upcoach::viewmodels
