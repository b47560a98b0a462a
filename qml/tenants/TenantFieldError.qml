import QtQuick
import UpCoach.Ops

// The error of one form field, under it; nothing when there is none.
Text {
    id: root

    property var errors: ({})
    property string field

    readonly property string message: root.errors[root.field] === undefined ? ""
                                                                           : root.errors[root.field]

    visible: root.message.length > 0
    text: UcFormat.ltr(root.message)
    horizontalAlignment: Text.AlignLeft
    color: Theme.statusDown
    wrapMode: Text.Wrap
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall
}
