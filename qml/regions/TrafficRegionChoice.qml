import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops

// A region to pick in the What-if view (a TrafficRegionModel row): a pill with its status dot
// and name; the picked one is tinted.
AbstractButton {
    id: root

    required property string regionId
    required property string displayName
    required property string status

    objectName: "whatIfChoice-" + root.regionId
    implicitWidth: implicitContentWidth + leftPadding + rightPadding
    implicitHeight: Theme.badgeHeight + Theme.spacingXs
    hoverEnabled: true
    focusPolicy: Qt.StrongFocus
    leftPadding: Theme.spacingS
    rightPadding: Theme.spacingS
    topPadding: Theme.spacingNone
    bottomPadding: Theme.spacingNone
    Accessible.role: Accessible.RadioButton
    Accessible.name: root.displayName
    Accessible.description: root.regionId
    Accessible.checked: root.checked

    background: Rectangle {
        radius: height / 2
        color: root.checked ? Theme.accentSoft : root.hovered ? Theme.buttonHover : Theme.surfaceRaised
        border.width: Theme.borderWidth
        border.color: root.checked || root.visualFocus ? Theme.accent : Theme.border
    }

    contentItem: RowLayout {
        spacing: Theme.spacingXs

        Rectangle {
            Layout.preferredWidth: Theme.statusDotSize
            Layout.preferredHeight: Theme.statusDotSize
            radius: width / 2
            color: Theme.trafficStatusColor(root.status)
        }

        Text {
            text: root.displayName
            color: root.checked ? Theme.textPrimary : Theme.textSecondary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: root.checked
        }
    }
}
