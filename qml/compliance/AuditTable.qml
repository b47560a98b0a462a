import QtQuick
import QtQuick.Controls
import UpCoach.Ops
import UpCoach.ViewModels

// The events that pass the filters: a header and a ListView with fixed-height, reused rows, so a
// million events scroll like ten. Clicking a row (or the arrow keys) selects it for the detail
// pane; the "#" header switches between oldest and newest first.
Rectangle {
    id: root

    required property AuditLogModel auditModel

    readonly property int actorWidth: Theme.auditActorWidth(list.width)

    function emptyText(): string {
        if (root.auditModel.loadState === AuditLogModel.Failed)
            return qsTr("No events could be read.")
        if (root.auditModel.loadState === AuditLogModel.Loading && root.auditModel.totalCount === 0)
            return qsTr("Reading events%1").arg(Theme.ellipsis)
        if (root.auditModel.filtering)
            return qsTr("Filtering%1").arg(Theme.ellipsis)
        if (root.auditModel.totalCount === 0)
            return qsTr("There are no events.")
        return qsTr("No events match the filters.")
    }

    function selectRelative(step: int) {
        const row = Math.max(0, Math.min(root.auditModel.count - 1, root.auditModel.selectedRow + step))
        root.auditModel.select(row)
    }

    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.border
    border.width: Theme.borderWidth
    clip: true

    Rectangle {
        id: header

        objectName: "auditTableHeader"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.borderWidth
        height: Theme.auditHeaderHeight
        color: Theme.surfaceRaised
        radius: Theme.radius

        Row {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacingS
            anchors.rightMargin: Theme.spacingS
            spacing: Theme.spacingS

            AbstractButton {
                id: sortButton

                objectName: "auditSortButton"
                width: Theme.auditColumnSequence
                height: parent.height
                hoverEnabled: true
                onClicked: root.auditModel.newestFirst = !root.auditModel.newestFirst

                contentItem: Text {
                    text: qsTr("# %1").arg(root.auditModel.newestFirst ? Theme.sortDescendingMark
                                                                      : Theme.sortAscendingMark)
                    horizontalAlignment: Text.AlignLeft
                    color: sortButton.hovered ? Theme.textPrimary : Theme.textSecondary
                    verticalAlignment: Text.AlignVCenter
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                }
            }

            Repeater {
                model: [
                    { title: qsTr("Time (UTC)"), width: Theme.auditColumnTime },
                    { title: qsTr("Actor"), width: root.actorWidth },
                    { title: qsTr("Tenant"), width: Theme.auditColumnTenant },
                    { title: qsTr("Action"), width: Theme.auditColumnAction },
                    { title: qsTr("Outcome"), width: Theme.auditColumnOutcome }
                ]

                delegate: Text {
                    required property var modelData

                    width: modelData.width
                    height: parent.height
                    text: modelData.title
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textSecondary
                    verticalAlignment: Text.AlignVCenter
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                }
            }
        }

        Rectangle {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            height: Theme.borderWidth
            color: Theme.border
        }
    }

    ListView {
        id: list

        objectName: "auditList"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: header.bottom
        anchors.bottom: parent.bottom
        anchors.margins: Theme.borderWidth
        clip: true
        model: root.auditModel
        reuseItems: true
        boundsBehavior: Flickable.StopAtBounds
        focus: true
        activeFocusOnTab: true
        Keys.onUpPressed: root.selectRelative(-1)
        Keys.onDownPressed: root.selectRelative(1)
        Keys.onPressed: event => {
            const page = Math.max(1, Math.floor(list.height / Theme.auditRowHeight) - 1)
            if (event.key === Qt.Key_PageDown)
                root.selectRelative(page)
            else if (event.key === Qt.Key_PageUp)
                root.selectRelative(-page)
            else if (event.key === Qt.Key_Home)
                root.auditModel.select(0)
            else if (event.key === Qt.Key_End)
                root.auditModel.select(root.auditModel.count - 1)
            else
                return
            event.accepted = true
        }

        ScrollBar.vertical: ScrollBar {
            policy: ScrollBar.AsNeeded
        }

        delegate: AuditTableRow {
            width: ListView.view.width
            height: Theme.auditRowHeight
        }

        Connections {
            target: root.auditModel

            function onSelectedRowChanged() {
                if (root.auditModel.selectedRow >= 0)
                    list.positionViewAtIndex(root.auditModel.selectedRow, ListView.Contain)
            }
        }
    }

    Text {
        objectName: "auditEmpty"
        anchors.centerIn: list
        width: list.width - 2 * Theme.pageMargin
        visible: root.auditModel.count === 0
        text: root.emptyText()
        color: Theme.textSecondary
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
    }
}
