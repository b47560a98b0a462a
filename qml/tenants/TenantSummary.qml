import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The page's header: how many tenants there are, by lifecycle state, isolation strategy and home
// region (every tenant, whatever the filters). Each chip is also a filter: click to show only
// those tenants, again to show all.
UcCard {
    id: root

    required property TenantListModel tenantModel

    // One chip per region with tenants: its count, whether it filters, and how to toggle it.
    readonly property var regionEntries: Object.keys(root.tenantModel.regionCounts).sort().map(
        region => ({
            region: region,
            count: root.countOf(root.tenantModel.regionCounts, region),
            checked: root.tenantModel.regionFilter === region,
            toggle: () => root.toggle("regionFilter", region)
        }))

    function countOf(counts: var, key: string): string {
        return !root.tenantModel.ready || (root.tenantModel.loading && root.tenantModel.allCount === 0)
               ? Theme.unknownValue : UcFormat.integer(counts[key] === undefined ? 0 : counts[key])
    }

    // A chip filters by its value; clicking the filtering chip again shows every tenant.
    function toggle(filter: string, value: string) {
        root.tenantModel[filter] = root.tenantModel[filter] === value ? "" : value
    }

    padding: Theme.spacingM
    leftPadding: Theme.spacingL
    rightPadding: Theme.spacingL

    RowLayout {
        anchors.fill: parent
        spacing: Theme.spacingL

        UcMetric {
            objectName: "tenantsTotal"
            Layout.preferredWidth: TenantStyle.summaryMetricWidth
            Layout.alignment: Qt.AlignVCenter
            large: true
            label: qsTr("Tenants")
            value: root.tenantModel.ready && !(root.tenantModel.loading && root.tenantModel.allCount === 0)
                   ? UcFormat.integer(root.tenantModel.allCount) : Theme.unknownValue
            detail: root.tenantModel.ready
                    ? qsTr("Updated %1").arg(UcFormat.moment(root.tenantModel.lastUpdated))
                    : qsTr("Waiting for the registry")
        }

        Rectangle {
            Layout.preferredWidth: Theme.borderWidth
            Layout.fillHeight: true
            color: Theme.divider
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignVCenter
            spacing: Theme.spacingS

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingXs

                Text {
                    Layout.preferredWidth: TenantStyle.summaryLabelWidth
                    text: qsTr("Lifecycle")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                UcChip {
                    objectName: "tenantChip-trial"
                    text: TenantWords.stateText("trial")
                    countText: root.countOf(root.tenantModel.stateCounts, "trial")
                    dotColor: Theme.statusBusy
                    checked: root.tenantModel.stateFilter === "trial"
                    onClicked: root.toggle("stateFilter", "trial")
                }
                UcChip {
                    objectName: "tenantChip-active"
                    text: TenantWords.stateText("active")
                    countText: root.countOf(root.tenantModel.stateCounts, "active")
                    dotColor: Theme.statusUp
                    checked: root.tenantModel.stateFilter === "active"
                    onClicked: root.toggle("stateFilter", "active")
                }
                UcChip {
                    objectName: "tenantChip-suspended"
                    text: TenantWords.stateText("suspended")
                    countText: root.countOf(root.tenantModel.stateCounts, "suspended")
                    dotColor: Theme.statusWarn
                    checked: root.tenantModel.stateFilter === "suspended"
                    onClicked: root.toggle("stateFilter", "suspended")
                }
                UcChip {
                    objectName: "tenantChip-canceled"
                    text: TenantWords.stateText("canceled")
                    countText: root.countOf(root.tenantModel.stateCounts, "canceled")
                    dotColor: Theme.statusDown
                    checked: root.tenantModel.stateFilter === "canceled"
                    onClicked: root.toggle("stateFilter", "canceled")
                }

                Text {
                    Layout.leftMargin: Theme.spacingXl
                    Layout.rightMargin: Theme.spacingS
                    text: qsTr("Isolation")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                UcChip {
                    objectName: "tenantChip-rls"
                    text: TenantWords.isolationText("rls")
                    countText: root.countOf(root.tenantModel.isolationCounts, "rls")
                    checked: root.tenantModel.isolationFilter === "rls"
                    onClicked: root.toggle("isolationFilter", "rls")
                }
                UcChip {
                    objectName: "tenantChip-schema"
                    text: TenantWords.isolationText("schema")
                    countText: root.countOf(root.tenantModel.isolationCounts, "schema")
                    checked: root.tenantModel.isolationFilter === "schema"
                    onClicked: root.toggle("isolationFilter", "schema")
                }
                UcChip {
                    objectName: "tenantChip-database"
                    text: TenantWords.isolationText("database")
                    countText: root.countOf(root.tenantModel.isolationCounts, "database")
                    checked: root.tenantModel.isolationFilter === "database"
                    onClicked: root.toggle("isolationFilter", "database")
                }

                Item {
                    Layout.fillWidth: true
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingXs

                Text {
                    Layout.preferredWidth: TenantStyle.summaryLabelWidth
                    Layout.alignment: Qt.AlignTop
                    Layout.topMargin: Theme.spacingXs
                    text: qsTr("Home region")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.spacingXs

                    Repeater {
                        model: root.regionEntries

                        // Delegates see only their entry (qmllint 6.4 cannot follow ids into them).
                        delegate: UcChip {
                            required property var modelData

                            text: UcFormat.ltr(modelData.region)
                            countText: modelData.count
                            checked: modelData.checked
                            onClicked: modelData.toggle()
                        }
                    }
                }
            }
        }
    }
}
