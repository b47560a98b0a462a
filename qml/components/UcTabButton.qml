import QtQuick
import QtQuick.Controls
import UpCoach.Ops

// One tab of a TabBar in the console's colours, as wide as its text (a TabBar would otherwise
// give every tab the same width); the current tab is underlined in the accent.
TabButton {
    id: root

    width: implicitWidth
    implicitWidth: implicitContentWidth + leftPadding + rightPadding
    implicitHeight: Theme.controlHeight
    hoverEnabled: true
    topPadding: Theme.spacingNone
    bottomPadding: Theme.spacingNone
    leftPadding: Theme.spacingS
    rightPadding: Theme.spacingS
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall

    contentItem: Text {
        text: root.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        color: root.checked ? Theme.textPrimary : root.hovered ? Theme.textSecondary : Theme.textMuted
        elide: Text.ElideRight
        font.family: root.font.family
        font.pixelSize: root.font.pixelSize
    }

    background: Item {
        Rectangle {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            height: Theme.navIndicatorWidth
            radius: height / 2
            visible: root.checked
            color: Theme.accent
        }
    }
}
