import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// A tenant's lifecycle state as a pill: trial (blue), active (green), suspended (amber),
// canceled (red), deleted (grey).
Rectangle {
    id: root

    required property string tenantState

    function toneColor(): color {
        switch (root.tenantState) {
        case "trial":
            return Theme.statusBusy
        case "active":
            return Theme.statusUp
        case "suspended":
            return Theme.statusWarn
        case "canceled":
            return Theme.statusDown
        default:
            return Theme.statusUnknown
        }
    }

    function softColor(): color {
        switch (root.tenantState) {
        case "trial":
            return Theme.statusBusySoft
        case "active":
            return Theme.statusUpSoft
        case "suspended":
            return Theme.statusWarnSoft
        case "canceled":
            return Theme.statusDownSoft
        default:
            return Theme.statusUnknownSoft
        }
    }

    implicitWidth: row.implicitWidth + 2 * Theme.spacingS
    implicitHeight: Theme.badgeHeight - Theme.spacingXs
    radius: height / 2
    color: root.softColor()
    border.color: root.toneColor()
    border.width: Theme.borderWidth

    RowLayout {
        id: row

        anchors.centerIn: parent
        spacing: Theme.spacingXs

        Rectangle {
            Layout.preferredWidth: Theme.statusDotSize - Theme.spacingXxs
            Layout.preferredHeight: Theme.statusDotSize - Theme.spacingXxs
            radius: width / 2
            color: root.toneColor()
        }

        Text {
            text: TenantWords.stateText(root.tenantState)
            color: root.toneColor()
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
            font.bold: true
        }
    }
}
