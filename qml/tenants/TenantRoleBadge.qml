import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// A tenant user's role (coach, coachee, administrator) as a pill in the warning colour: shown
// for the user an operator is acting as.
Rectangle {
    id: root

    required property string role

    implicitWidth: row.implicitWidth + 2 * Theme.spacingS
    implicitHeight: Theme.badgeHeight - Theme.spacingXs
    radius: height / 2
    color: Theme.statusWarnSoft
    border.color: Theme.statusWarn
    border.width: Theme.borderWidth

    RowLayout {
        id: row

        anchors.centerIn: parent
        spacing: Theme.spacingXs

        Text {
            text: TenantWords.userRoleText(root.role)
            color: Theme.statusWarn
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
            font.bold: true
        }
    }
}
