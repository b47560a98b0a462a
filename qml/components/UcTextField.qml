import QtQuick
import QtQuick.Controls
import UpCoach.Ops

// A single-line text input in the console's colours; `invalid` marks text that cannot be used.
TextField {
    id: root

    property bool invalid: false

    implicitHeight: Theme.controlHeight
    leftPadding: Theme.controlPadding
    rightPadding: Theme.controlPadding
    topPadding: Theme.spacingNone
    bottomPadding: Theme.spacingNone
    verticalAlignment: TextInput.AlignVCenter
    color: Theme.textPrimary
    placeholderTextColor: Theme.textMuted
    selectionColor: Theme.accent
    selectedTextColor: Theme.textPrimary
    selectByMouse: true
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall

    background: Rectangle {
        radius: Theme.radiusSmall
        color: Theme.inputBackground
        border.width: Theme.borderWidth
        border.color: root.invalid ? Theme.inputInvalid
                                   : root.activeFocus ? Theme.inputBorderFocus : Theme.inputBorder
    }
}
