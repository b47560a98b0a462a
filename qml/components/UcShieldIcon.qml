import QtQuick
import QtQuick.Shapes
import UpCoach.Ops

// A line-drawn shield with a check mark (the audit log), sized by the item.
Shape {
    id: root

    property color strokeColor: Theme.textSecondary

    readonly property real inset: Theme.iconStrokeWidth

    implicitWidth: Theme.navIconSize
    implicitHeight: Theme.navIconSize
    layer.enabled: true
    layer.samples: Theme.iconSamples

    ShapePath {
        strokeColor: root.strokeColor
        strokeWidth: Theme.iconStrokeWidth
        fillColor: Theme.transparent
        joinStyle: ShapePath.RoundJoin
        startX: root.width / 2
        startY: root.inset

        PathLine {
            x: root.width - root.inset * 2
            y: root.height / 5
        }
        PathLine {
            x: root.width - root.inset * 2
            y: root.height / 2
        }
        PathQuad {
            x: root.width / 2
            y: root.height - root.inset
            controlX: root.width - root.inset * 2
            controlY: root.height * 4 / 5
        }
        PathQuad {
            x: root.inset * 2
            y: root.height / 2
            controlX: root.inset * 2
            controlY: root.height * 4 / 5
        }
        PathLine {
            x: root.inset * 2
            y: root.height / 5
        }
        PathLine {
            x: root.width / 2
            y: root.inset
        }
    }

    ShapePath {
        strokeColor: root.strokeColor
        strokeWidth: Theme.iconStrokeWidth
        fillColor: Theme.transparent
        capStyle: ShapePath.RoundCap
        joinStyle: ShapePath.RoundJoin
        startX: root.width * 5 / 16
        startY: root.height / 2

        PathLine {
            x: root.width * 7 / 16
            y: root.height * 5 / 8
        }
        PathLine {
            x: root.width * 11 / 16
            y: root.height * 3 / 8
        }
    }
}
