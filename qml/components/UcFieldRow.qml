import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// A label and a selectable value in a detail pane; long values wrap (monospace ones anywhere).
// An empty value shows as Theme.unknownValue; `note` adds a muted remark after it.
RowLayout {
    id: root

    property string label
    property string value
    property string note
    property bool monospace: false
    property color valueColor: Theme.textPrimary
    property int labelWidth: Theme.auditDetailLabelWidth

    spacing: Theme.spacingS

    Text {
        Layout.preferredWidth: root.labelWidth
        Layout.alignment: Qt.AlignTop
        text: root.label
        horizontalAlignment: Text.AlignLeft
        color: Theme.textMuted
        wrapMode: Text.Wrap
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

    Text {
        visible: root.note.length > 0
        Layout.alignment: Qt.AlignTop
        text: root.note
        color: Theme.textMuted
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontCaption
    }
}
