import QtQuick
import QtQuick.Controls
import UpCoach.Ops

// A raised surface with an optional status stripe on its leading edge.
Pane {
    id: root

    property color accentColor: Theme.transparent

    padding: Theme.spacingL

    background: Rectangle {
        color: Theme.surface
        radius: Theme.radius
        border.color: Theme.border
        border.width: Theme.borderWidth

        Rectangle {
            visible: root.accentColor !== Theme.transparent
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            anchors.margins: Theme.borderWidth
            width: Theme.accentStripeWidth
            radius: Theme.radiusSmall
            color: root.accentColor
        }
    }
}
