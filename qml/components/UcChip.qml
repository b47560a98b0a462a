import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops

// A summary chip: an optional coloured dot, a label and a count; `checked` chips are tinted
// (a chip can act as a filter toggle when `checkable`).
AbstractButton {
    id: root

    property color dotColor: Theme.transparent
    property string countText

    implicitWidth: implicitContentWidth + leftPadding + rightPadding
    implicitHeight: Theme.badgeHeight + Theme.spacingXs
    leftPadding: Theme.spacingS
    rightPadding: Theme.spacingS
    topPadding: Theme.spacingNone
    bottomPadding: Theme.spacingNone
    hoverEnabled: enabled
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall

    background: Rectangle {
        radius: height / 2
        color: root.checked ? Theme.accentSoft : root.hovered ? Theme.buttonHover : Theme.surfaceRaised
        border.width: Theme.borderWidth
        border.color: root.checked || root.visualFocus ? Theme.accent : Theme.border
    }

    contentItem: RowLayout {
        spacing: Theme.spacingXs

        Rectangle {
            visible: root.dotColor !== Theme.transparent
            Layout.preferredWidth: Theme.statusDotSize
            Layout.preferredHeight: Theme.statusDotSize
            radius: width / 2
            color: root.dotColor
        }

        Text {
            text: root.text
            color: root.checked ? Theme.textPrimary : Theme.textSecondary
            font.family: root.font.family
            font.pixelSize: root.font.pixelSize
        }

        Text {
            text: root.countText
            color: Theme.textPrimary
            font.family: root.font.family
            font.pixelSize: root.font.pixelSize
            font.bold: true
        }
    }
}
