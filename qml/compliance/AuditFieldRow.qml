import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// A label and a selectable value in the detail pane; long values wrap (hashes anywhere).
RowLayout {
    id: root

    property string label
    property string value
    property bool monospace: false
    property color valueColor: Theme.textPrimary

    spacing: Theme.spacingS

    Text {
        Layout.preferredWidth: Theme.auditDetailLabelWidth
        Layout.alignment: Qt.AlignTop
        text: root.label
        horizontalAlignment: Text.AlignLeft
        color: Theme.textMuted
        elide: Text.ElideRight
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    TextEdit {
        Layout.fillWidth: true
        text: root.value.length > 0 ? root.value : Theme.unknownValue
        horizontalAlignment: TextEdit.AlignLeft
        color: root.value.length > 0 ? root.valueColor : Theme.textMuted
        readOnly: true
        selectByMouse: true
        selectionColor: Theme.accent
        wrapMode: root.monospace ? TextEdit.WrapAnywhere : TextEdit.Wrap
        font.family: root.monospace ? Theme.monoFamily : Theme.fontFamily
        font.pixelSize: root.monospace ? Theme.fontMono : Theme.fontSmall
    }
}
