import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The regional databases: a health summary over all regions and one card per region (the
// health monitor's RegionListModel).
Item {
    id: root

    required property RegionListModel regionModel
    // The page's margin when it is the whole page; none inside the Regions tabs.
    property int margins: Theme.pageMargin

    readonly property int columns: Math.max(1, Math.floor(grid.width / Theme.cardMinWidth))

    function healthColor(): color {
        if (root.regionModel.loading)
            return Theme.statusUnknown
        return root.regionModel.downCount > 0 ? Theme.statusDown : Theme.statusUp
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: root.margins
        spacing: Theme.spacingL

        RowLayout {
            objectName: "regionsSummary"
            Layout.fillWidth: true
            Layout.fillHeight: false
            Layout.preferredHeight: Theme.summaryHeight
            spacing: Theme.spacingL

            UcCard {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.cardMinWidth
                accentColor: root.healthColor()

                UcMetric {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    large: true
                    label: qsTr("Regions up")
                    value: root.regionModel.loading
                           ? Theme.unknownValue
                           : qsTr("%1 of %2").arg(UcFormat.integer(root.regionModel.upCount))
                                             .arg(UcFormat.integer(root.regionModel.count))
                    valueColor: root.regionModel.downCount > 0 ? Theme.statusDown : Theme.textPrimary
                    detail: root.regionModel.loading
                            ? qsTr("Waiting for the first health check")
                            : root.regionModel.downCount > 0
                              ? qsTr("%Ln region(s) down", "", root.regionModel.downCount)
                              : qsTr("All regions healthy")
                }
            }

            UcCard {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.cardMinWidth

                UcMetric {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    large: true
                    label: qsTr("Median round trip")
                    value: UcFormat.milliseconds(root.regionModel.medianLatencyMs)
                    detail: qsTr("Across the regions that are up")
                }
            }

            UcCard {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.cardMinWidth

                UcMetric {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    large: true
                    label: qsTr("Slowest round trip")
                    value: UcFormat.milliseconds(root.regionModel.slowestLatencyMs)
                    detail: UcFormat.textOrUnknown(root.regionModel.slowestRegionName)
                }
            }

            UcCard {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.cardMinWidth

                UcMetric {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    large: true
                    label: qsTr("Last health check")
                    value: UcFormat.moment(root.regionModel.lastUpdated)
                    detail: root.regionModel.unknownCount > 0
                            ? qsTr("%Ln region(s) not reporting", "", root.regionModel.unknownCount)
                            : qsTr("All regions reporting")
                }
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            GridView {
                id: grid

                objectName: "regionsGrid"
                // The cells carry half a gutter on every side; widen the view by that much so the
                // cards line up with the summary above in both layout directions.
                anchors.fill: parent
                anchors.leftMargin: -Theme.gridGutter / 2
                anchors.rightMargin: -Theme.gridGutter / 2
                anchors.topMargin: -Theme.gridGutter / 2
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                model: root.regionModel
                cellWidth: width / root.columns
                cellHeight: Theme.cardHeight + Theme.gridGutter

                ScrollBar.vertical: ScrollBar {}

                delegate: RegionCard {
                    width: (GridView.view as GridView).cellWidth
                    height: (GridView.view as GridView).cellHeight
                }
            }
        }
    }
}
