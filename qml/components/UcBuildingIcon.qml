import QtQuick
import QtQuick.Shapes
import UpCoach.Ops

// A line-drawn office building (an organization, a tenant): outline, a door and two rows of
// windows, sized by the item.
Shape {
    id: root

    property color strokeColor: Theme.textSecondary

    readonly property real inset: Theme.iconStrokeWidth
    readonly property real edgeLeft: root.width / 5
    readonly property real edgeRight: root.width - root.width / 5
    readonly property real edgeTop: root.inset
    readonly property real edgeBottom: root.height - root.inset
    readonly property real windowLeft: root.width * 2 / 5
    readonly property real windowRight: root.width * 3 / 5

    implicitWidth: Theme.navIconSize
    implicitHeight: Theme.navIconSize
    layer.enabled: true
    layer.samples: Theme.iconSamples

    ShapePath {
        strokeColor: root.strokeColor
        strokeWidth: Theme.iconStrokeWidth
        fillColor: Theme.transparent
        joinStyle: ShapePath.RoundJoin
        startX: root.edgeLeft
        startY: root.edgeBottom

        PathLine { x: root.edgeLeft; y: root.edgeTop }
        PathLine { x: root.edgeRight; y: root.edgeTop }
        PathLine { x: root.edgeRight; y: root.edgeBottom }
        PathLine { x: root.edgeLeft; y: root.edgeBottom }
    }

    // The door.
    ShapePath {
        strokeColor: root.strokeColor
        strokeWidth: Theme.iconStrokeWidth
        fillColor: Theme.transparent
        startX: root.windowLeft
        startY: root.edgeBottom

        PathLine { x: root.windowLeft; y: root.height * 3 / 4 }
        PathLine { x: root.windowRight; y: root.height * 3 / 4 }
        PathLine { x: root.windowRight; y: root.edgeBottom }
    }

    // Two floors of windows.
    ShapePath {
        strokeColor: root.strokeColor
        strokeWidth: Theme.iconStrokeWidth
        fillColor: Theme.transparent
        startX: root.windowLeft
        startY: root.height / 4

        PathLine { x: root.windowRight; y: root.height / 4 }
        PathMove { x: root.windowLeft; y: root.height / 2 }
        PathLine { x: root.windowRight; y: root.height / 2 }
    }
}
