import QtQuick
import QtQuick.Controls
import UpCoach.Ops

// A column title of the Tenants table that sorts by `sortKey`; the active one shows its order.
AbstractButton {
    id: root

    required property string sortKey
    required property string activeKey
    required property bool descending

    readonly property bool active: root.sortKey === root.activeKey

    hoverEnabled: true
    implicitWidth: implicitContentWidth
    implicitHeight: TenantStyle.headerHeight

    contentItem: Text {
        text: root.active ? qsTr("%1 %2").arg(root.text)
                                         .arg(root.descending ? Theme.sortDescendingMark
                                                              : Theme.sortAscendingMark)
                          : root.text
        horizontalAlignment: Text.AlignLeft
        verticalAlignment: Text.AlignVCenter
        color: root.active || root.hovered ? Theme.textPrimary : Theme.textSecondary
        elide: Text.ElideRight
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
        font.bold: true
    }
}
