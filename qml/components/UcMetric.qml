import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// A caption over a value, optionally with a detail line: "Round trip / 1.2 ms".
ColumnLayout {
    id: root

    property string label
    property string value
    property string detail
    property color valueColor: Theme.textPrimary
    property bool large: false
    property bool monospace: false

    spacing: root.large ? Theme.spacingXs : Theme.spacingXs / 2

    Text {
        Layout.fillWidth: true
        text: root.label
        color: Theme.textMuted
        elide: Text.ElideRight
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    Text {
        Layout.fillWidth: true
        text: root.value
        color: root.valueColor
        elide: Text.ElideRight
        font.family: root.monospace ? Theme.monoFamily : Theme.fontFamily
        font.pixelSize: root.large ? Theme.fontDisplay : Theme.fontValue
        font.bold: root.large
    }

    Text {
        Layout.fillWidth: true
        visible: root.detail.length > 0
        text: root.detail
        color: Theme.textSecondary
        elide: Text.ElideRight
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }
}
