import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The tenants that pass the filters: a header whose titles sort, and a ListView of fixed-height,
// reused rows over TenantListModel, which pages further tenants in as the list nears its end
// (canFetchMore/fetchMore). The header's box checks every loaded tenant.
Rectangle {
    id: root

    required property TenantListModel tenantModel

    function emptyText(): string {
        const model = root.tenantModel
        if (model.error.length > 0)
            return qsTr("The tenants could not be read: %1").arg(UcFormat.ltr(model.error))
        if (!model.ready)
            return qsTr("Waiting for the tenant registry%1").arg(Theme.ellipsis)
        if (model.loading)
            return qsTr("Loading tenants%1").arg(Theme.ellipsis)
        if (model.hasFilter)
            return qsTr("No tenants match the filters.")
        return qsTr("There are no tenants yet. Create the first one with New tenant.")
    }

    function moveCurrent(step: int) {
        const model = root.tenantModel
        if (model.count === 0)
            return
        const row = Math.max(0, Math.min(model.count - 1, model.currentRow + step))
        model.currentSlug = model.slugAt(row)
    }

    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.border
    border.width: Theme.borderWidth
    clip: true

    Rectangle {
        id: header

        objectName: "tenantTableHeader"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.borderWidth
        height: TenantStyle.headerHeight
        color: Theme.surfaceRaised
        radius: Theme.radius

        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: Theme.spacingS
            anchors.rightMargin: Theme.spacingS
            spacing: Theme.spacingS

            UcCheckBox {
                objectName: "tenantCheckAll"
                Layout.preferredWidth: TenantStyle.columnCheck
                enabled: root.tenantModel.count > 0
                tristate: true
                checkState: root.tenantModel.checkedCount === 0
                            ? Qt.Unchecked
                            : root.tenantModel.checkedCount >= root.tenantModel.count
                              ? Qt.Checked : Qt.PartiallyChecked
                nextCheckState: function () {
                    return root.tenantModel.checkedCount === 0 ? Qt.Checked : Qt.Unchecked
                }
                onClicked: root.tenantModel.setAllChecked(root.tenantModel.checkedCount === 0)
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.minimumWidth: TenantStyle.tenantColumnMinimumWidth
                spacing: Theme.spacingM

                TenantSortHeader {
                    objectName: "tenantSort-name"
                    text: qsTr("Name")
                    sortKey: "name"
                    activeKey: root.tenantModel.sortKey
                    descending: root.tenantModel.descending
                    onClicked: root.tenantModel.sortBy(sortKey)
                }

                TenantSortHeader {
                    objectName: "tenantSort-slug"
                    text: qsTr("Slug")
                    sortKey: "slug"
                    activeKey: root.tenantModel.sortKey
                    descending: root.tenantModel.descending
                    onClicked: root.tenantModel.sortBy(sortKey)
                }

                Item {
                    Layout.fillWidth: true
                }
            }

            TenantSortHeader {
                objectName: "tenantSort-state"
                Layout.preferredWidth: TenantStyle.columnState
                text: qsTr("State")
                sortKey: "state"
                activeKey: root.tenantModel.sortKey
                descending: root.tenantModel.descending
                onClicked: root.tenantModel.sortBy(sortKey)
            }

            TenantSortHeader {
                objectName: "tenantSort-plan"
                Layout.preferredWidth: TenantStyle.columnPlan
                text: qsTr("Plan")
                sortKey: "plan"
                activeKey: root.tenantModel.sortKey
                descending: root.tenantModel.descending
                onClicked: root.tenantModel.sortBy(sortKey)
            }

            TenantSortHeader {
                objectName: "tenantSort-region"
                Layout.preferredWidth: TenantStyle.columnRegion
                text: qsTr("Region")
                sortKey: "region"
                activeKey: root.tenantModel.sortKey
                descending: root.tenantModel.descending
                onClicked: root.tenantModel.sortBy(sortKey)
            }

            TenantSortHeader {
                objectName: "tenantSort-isolation"
                Layout.preferredWidth: TenantStyle.columnIsolation
                text: qsTr("Isolation")
                sortKey: "isolation"
                activeKey: root.tenantModel.sortKey
                descending: root.tenantModel.descending
                onClicked: root.tenantModel.sortBy(sortKey)
            }

            TenantSortHeader {
                objectName: "tenantSort-created"
                Layout.preferredWidth: TenantStyle.columnCreated
                text: qsTr("Created")
                sortKey: "created"
                activeKey: root.tenantModel.sortKey
                descending: root.tenantModel.descending
                onClicked: root.tenantModel.sortBy(sortKey)
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

        objectName: "tenantList"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: header.bottom
        anchors.bottom: parent.bottom
        anchors.margins: Theme.borderWidth
        clip: true
        model: root.tenantModel
        reuseItems: true
        boundsBehavior: Flickable.StopAtBounds
        focus: true
        activeFocusOnTab: true
        Keys.onUpPressed: root.moveCurrent(-1)
        Keys.onDownPressed: root.moveCurrent(1)
        Keys.onSpacePressed: root.tenantModel.toggleChecked(root.tenantModel.currentRow)

        ScrollBar.vertical: ScrollBar {
            policy: ScrollBar.AsNeeded
        }

        delegate: TenantTableRow {
            width: ListView.view.width
            height: TenantStyle.rowHeight
        }

        footer: Item {
            width: ListView.view.width
            height: ListView.view.model.fetching ? TenantStyle.headerHeight : 0
            visible: ListView.view.model.fetching

            Text {
                anchors.centerIn: parent
                text: qsTr("Loading more tenants%1").arg(Theme.ellipsis)
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        Connections {
            target: root.tenantModel

            function onCurrentChanged() {
                if (root.tenantModel.currentRow >= 0)
                    list.positionViewAtIndex(root.tenantModel.currentRow, ListView.Contain)
            }
        }
    }

    Text {
        objectName: "tenantEmpty"
        anchors.centerIn: list
        width: list.width - 2 * Theme.pageMargin
        visible: root.tenantModel.count === 0
        text: root.emptyText()
        color: root.tenantModel.error.length > 0 ? Theme.statusDown : Theme.textSecondary
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
    }
}
