import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// A pill with a dot and the health status ("up", "down", "unknown") in words.
Rectangle {
    id: root

    required property string status

    implicitWidth: row.implicitWidth + 2 * Theme.spacingS
    implicitHeight: Theme.badgeHeight
    radius: height / 2
    color: UcFormat.statusSoftColor(root.status)
    border.color: UcFormat.statusColor(root.status)
    border.width: Theme.borderWidth

    RowLayout {
        id: row

        anchors.centerIn: parent
        spacing: Theme.spacingXs

        Rectangle {
            Layout.preferredWidth: Theme.statusDotSize
            Layout.preferredHeight: Theme.statusDotSize
            radius: width / 2
            color: UcFormat.statusColor(root.status)
        }

        Text {
            text: UcFormat.statusText(root.status)
            color: UcFormat.statusColor(root.status)
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
            font.bold: true
        }
    }
}
