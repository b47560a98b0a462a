import QtQuick
import UpCoach.Ops

// A round status mark: "ok" (check), "fail" (cross), "warn" (exclamation) or "busy" (a ring with
// a turning dot), in `color`. Plain rectangles and a glyph: they render the same whether the
// mark was visible from the start or not.
Item {
    id: root

    property string kind: "ok"
    property color color: Theme.statusUp

    readonly property bool busy: root.kind === "busy"

    implicitWidth: Theme.statusIconSize
    implicitHeight: Theme.statusIconSize

    Rectangle {
        anchors.fill: parent
        visible: !root.busy
        radius: width / 2
        color: root.color

        Text {
            anchors.centerIn: parent
            text: root.kind === "ok" ? Theme.checkMark
                                     : root.kind === "fail" ? Theme.crossMark : Theme.exclamationMark
            color: Theme.background
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
    }

    Rectangle {
        anchors.fill: parent
        visible: root.busy
        radius: width / 2
        color: Theme.transparent
        border.color: root.color
        border.width: Theme.iconStrokeWidth
        opacity: Theme.disabledOpacity
    }

    Item {
        anchors.fill: parent
        visible: root.busy

        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: Theme.statusDotSize - Theme.spacingXxs
            height: width
            radius: width / 2
            color: root.color
        }

        RotationAnimator on rotation {
            running: root.busy && root.visible
            loops: Animation.Infinite
            from: 0
            to: Theme.fullCircleDegrees
            duration: Theme.spinnerDuration
        }
    }
}
