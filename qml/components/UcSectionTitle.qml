import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// A heading inside a pane or dialog, with a rule under it.
ColumnLayout {
    id: root

    property string text

    spacing: Theme.spacingXs

    Text {
        Layout.fillWidth: true
        text: root.text
        horizontalAlignment: Text.AlignLeft
        color: Theme.textSecondary
        elide: Text.ElideRight
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        font.bold: true
    }

    Rectangle {
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.borderWidth
        color: Theme.divider
    }
}
