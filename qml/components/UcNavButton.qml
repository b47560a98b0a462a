import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops

// One destination of the navigation rail: an icon over a label; the selected one is tinted and
// marked on its leading edge (the right edge in right-to-left layouts).
AbstractButton {
    id: root

    property Component iconComponent

    hoverEnabled: true
    implicitWidth: Theme.navRailWidth
    implicitHeight: Theme.navButtonHeight

    background: Rectangle {
        color: root.checked ? Theme.accentSoft : root.hovered ? Theme.navHover : Theme.transparent

        Rectangle {
            visible: root.checked
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            width: Theme.navIndicatorWidth
            color: Theme.accent
        }
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacingXs

        Loader {
            Layout.alignment: Qt.AlignHCenter
            Layout.preferredWidth: Theme.navIconSize
            Layout.preferredHeight: Theme.navIconSize
            sourceComponent: root.iconComponent
        }

        Text {
            Layout.fillWidth: true
            text: root.text
            horizontalAlignment: Text.AlignHCenter
            elide: Text.ElideRight
            color: root.checked ? Theme.textPrimary : Theme.textSecondary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: root.checked
        }
    }
}
