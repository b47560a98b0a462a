// The console's world map: Natural Earth countries (resources/world/land.json, compiled into
// upcoach_routing) on the Equal Earth projection, drawn by this item's own scene-graph nodes —
// Qt 6.4 has no Qt Location, and an ops console must work offline.
//
// Country fills come from the stored triangulation (one geometry node, per-vertex colour so any
// country can be highlighted), borders are hairlines, traffic flows are curved arcs whose width
// and opacity follow their weight. Everything sits under one transform node: zoom and pan change
// a matrix, not geometry (flows are rebuilt when they change or the zoom does, as their width is
// in pixels). With the software scene graph (QT_QUICK_BACKEND=software, the offscreen platform)
// the same picture is painted with QPainter.
//
// The world keeps its aspect ratio inside the item; the rest is ocean. Wheel zooms at the
// cursor, drag pans, double-click zooms in, keys: + and - zoom, arrows pan, 0 resets. The view
// is clamped so the world cannot be dragged out of sight.
#pragma once

#include <QColor>
#include <QPointF>
#include <QQuickItem>
#include <QStringList>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>
#include <bitset>
#include <vector>

namespace upcoach::viewmodels {

namespace worldmap {
struct Shapes;
struct Flow
{
    QPointF from; // map coordinates (see WorldMapItem::mapPoint)
    QPointF to;
    double weight = 0; // 0..1
    QColor color;
};
} // namespace worldmap

class WorldMapItem : public QQuickItem
{
    Q_OBJECT
    QML_NAMED_ELEMENT(WorldMap)

    Q_PROPERTY(QColor oceanColor READ oceanColor WRITE setOceanColor NOTIFY stylingChanged)
    Q_PROPERTY(QColor landColor READ landColor WRITE setLandColor NOTIFY stylingChanged)
    Q_PROPERTY(QColor borderColor READ borderColor WRITE setBorderColor NOTIFY stylingChanged)
    Q_PROPERTY(
        QColor highlightColor READ highlightColor WRITE setHighlightColor NOTIFY stylingChanged)
    // Each a map: fromLatitude, fromLongitude, toLatitude, toLongitude, weight (0..1), color
    // (optional; highlightColor when absent). At most kMaxFlows are drawn.
    Q_PROPERTY(QVariantList flows READ flows WRITE setFlows NOTIFY flowsChanged)
    // ISO 3166-1 alpha-2 codes drawn in highlightColor.
    Q_PROPERTY(QStringList highlightedCountries READ highlightedCountries WRITE
                   setHighlightedCountries NOTIFY highlightedCountriesChanged)
    // 1: the whole map (85°N to 60°S) fits the item; at most kMaxZoom.
    Q_PROPERTY(qreal zoom READ zoom NOTIFY viewChanged)

public:
    static constexpr qreal kMaxZoom = 16;
    static constexpr int kMaxFlows = 2000;

    explicit WorldMapItem(QQuickItem *parent = nullptr);
    ~WorldMapItem() override;

    QColor oceanColor() const { return m_oceanColor; }
    void setOceanColor(const QColor &color);
    QColor landColor() const { return m_landColor; }
    void setLandColor(const QColor &color);
    QColor borderColor() const { return m_borderColor; }
    void setBorderColor(const QColor &color);
    QColor highlightColor() const { return m_highlightColor; }
    void setHighlightColor(const QColor &color);

    QVariantList flows() const { return m_flowList; }
    void setFlows(const QVariantList &flows);
    QStringList highlightedCountries() const { return m_highlightList; }
    void setHighlightedCountries(const QStringList &codes);

    qreal zoom() const { return m_zoom; }

    // Item coordinates of a WGS 84 position (the projection the map is drawn in).
    Q_INVOKABLE QPointF project(double latitude, double longitude) const;
    // The ISO code of the country under an item point, or "" (ocean, or land with no code).
    Q_INVOKABLE QString countryAt(qreal x, qreal y) const;
    // Multiplies the zoom by `factor` keeping the map point under (x, y) where it is.
    Q_INVOKABLE void zoomAt(qreal factor, qreal x, qreal y);
    Q_INVOKABLE void panBy(qreal dx, qreal dy);
    Q_INVOKABLE void resetView();

    // Equal Earth coordinates shifted so the map — every longitude, latitudes 85°N to 60°S —
    // spans [0, mapSize().width()] × [0, mapSize().height()], north up.
    static QPointF mapPoint(double latitude, double longitude);
    static QSizeF mapSize();

Q_SIGNALS:
    void stylingChanged();
    void flowsChanged();
    void highlightedCountriesChanged();
    // After zoom, pan or resize, so QML markers placed with project() follow.
    void viewChanged();

protected:
    QSGNode *updatePaintNode(QSGNode *oldNode, UpdatePaintNodeData *data) override;
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void releaseResources() override;
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    qreal baseScale() const; // item pixels per map unit at zoom 1
    qreal scale() const { return baseScale() * m_zoom; }
    QPointF offset() const; // item = map * scale() + offset()
    void clampView();
    void viewUpdated();

    const worldmap::Shapes &m_shapes;
    QColor m_oceanColor{0xdc, 0xe9, 0xf2};
    QColor m_landColor{0xf7, 0xf5, 0xef};
    QColor m_borderColor{0xa8, 0xb3, 0xbd};
    QColor m_highlightColor{0x2f, 0x6f, 0xde};
    QVariantList m_flowList;
    std::vector<worldmap::Flow> m_flows;
    QStringList m_highlightList;
    std::bitset<26 * 26> m_highlighted;

    qreal m_zoom = 1;
    QPointF m_center; // map point at the item's centre
    QPointF m_dragFrom;
    bool m_dragging = false;

    // What changed since the scene graph last synchronised.
    bool m_colorsDirty = true;
    bool m_flowsDirty = true;
};

} // namespace upcoach::viewmodels
