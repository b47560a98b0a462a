import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops

// One choice of the wizard (a plan, an isolation strategy): a title, a detail line and a
// description, in a card that is tinted while chosen.
AbstractButton {
    id: root

    property string detail
    property string description

    hoverEnabled: true
    padding: Theme.spacingM
    implicitHeight: implicitContentHeight + topPadding + bottomPadding
    implicitWidth: implicitContentWidth + leftPadding + rightPadding

    background: Rectangle {
        radius: Theme.radiusSmall
        color: root.checked ? Theme.accentSoft : root.hovered ? Theme.buttonHover : Theme.inputBackground
        border.width: Theme.borderWidth
        border.color: root.checked || root.visualFocus ? Theme.accent : Theme.inputBorder
    }

    contentItem: ColumnLayout {
        spacing: Theme.spacingXxs

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Text {
                Layout.fillWidth: true
                text: root.text
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
            }

            Text {
                visible: root.detail.length > 0
                text: root.detail
                color: root.checked ? Theme.textPrimary : Theme.textSecondary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        Text {
            Layout.fillWidth: true
            visible: root.description.length > 0
            text: root.description
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }
}
