import QtQuick
import QtQuick.Shapes
import UpCoach.Ops

// A line-drawn globe: outline, equator and one meridian, sized by the item.
Shape {
    id: root

    property color strokeColor: Theme.textSecondary

    implicitWidth: Theme.navIconSize
    implicitHeight: Theme.navIconSize
    layer.enabled: true
    layer.samples: Theme.iconSamples

    ShapePath {
        strokeColor: root.strokeColor
        strokeWidth: Theme.iconStrokeWidth
        fillColor: Theme.transparent

        PathAngleArc {
            centerX: root.width / 2
            centerY: root.height / 2
            radiusX: root.width / 2 - Theme.iconStrokeWidth
            radiusY: root.height / 2 - Theme.iconStrokeWidth
            sweepAngle: Theme.fullCircleDegrees
        }
    }

    ShapePath {
        strokeColor: root.strokeColor
        strokeWidth: Theme.iconStrokeWidth
        fillColor: Theme.transparent

        PathAngleArc {
            centerX: root.width / 2
            centerY: root.height / 2
            radiusX: root.width / 4
            radiusY: root.height / 2 - Theme.iconStrokeWidth
            sweepAngle: Theme.fullCircleDegrees
        }
    }

    ShapePath {
        strokeColor: root.strokeColor
        strokeWidth: Theme.iconStrokeWidth
        fillColor: Theme.transparent
        startX: Theme.iconStrokeWidth
        startY: root.height / 2

        PathLine {
            x: root.width - Theme.iconStrokeWidth
            y: root.height / 2
        }
    }
}
