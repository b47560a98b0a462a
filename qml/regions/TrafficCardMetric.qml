import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// A small caption over a value inside a region health card.
ColumnLayout {
    id: root

    property string label
    property string value
    property color valueColor: Theme.textPrimary

    spacing: Theme.spacingNone

    Text {
        Layout.fillWidth: true
        text: root.label
        horizontalAlignment: Text.AlignLeft
        color: Theme.textMuted
        elide: Text.ElideRight
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontCaption
    }

    Text {
        Layout.fillWidth: true
        text: root.value
        horizontalAlignment: Text.AlignLeft
        color: root.valueColor
        elide: Text.ElideRight
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        font.bold: true
    }
}
