import QtQuick
import UpCoach.Ops

// The label over a form field.
Text {
    horizontalAlignment: Text.AlignLeft
    color: Theme.textSecondary
    elide: Text.ElideRight
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall
    font.bold: true
}
