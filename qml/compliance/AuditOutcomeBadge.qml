import QtQuick
import UpCoach.Ops

// An event's outcome (success, failure, denied) as a small coloured pill.
Rectangle {
    id: root

    required property string outcome

    implicitWidth: label.implicitWidth + 2 * Theme.spacingS
    implicitHeight: Theme.badgeHeight - Theme.spacingXs
    radius: height / 2
    color: UcFormat.outcomeSoftColor(root.outcome)
    border.color: UcFormat.outcomeColor(root.outcome)
    border.width: Theme.borderWidth

    Text {
        id: label

        anchors.centerIn: parent
        text: UcFormat.outcomeText(root.outcome)
        color: UcFormat.outcomeColor(root.outcome)
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontCaption
        font.bold: true
    }
}
