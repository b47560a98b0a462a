import QtQuick
import QtQuick.Controls
import UpCoach.Ops

// A push button in the console's colours; `primary` tints it with the accent.
Button {
    id: root

    property bool primary: false

    implicitHeight: Theme.controlHeight
    leftPadding: Theme.spacingM
    rightPadding: Theme.spacingM
    topPadding: Theme.spacingNone
    bottomPadding: Theme.spacingNone
    hoverEnabled: true
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall

    contentItem: Text {
        text: root.text
        color: root.enabled ? Theme.textPrimary : Theme.textMuted
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
        font: root.font
    }

    background: Rectangle {
        radius: Theme.radiusSmall
        opacity: root.enabled ? 1 : Theme.disabledOpacity
        color: root.down ? Theme.buttonPressed
                         : root.hovered ? Theme.buttonHover
                                        : root.primary ? Theme.accentSoft : Theme.buttonBackground
        border.width: Theme.borderWidth
        border.color: root.primary || root.visualFocus ? Theme.accent : Theme.inputBorder
    }
}
