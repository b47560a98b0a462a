import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The Regions area. With a traffic workspace: tabs for Traffic (world map, flows, the selected
// region's chart and controls, health cards), Policy (the active rule chain and hedging), What if
// (who would move if a region were drained) and Databases (the regional databases' health).
// Without one (a console with only a database monitor): the databases view alone.
Item {
    id: root

    required property RegionListModel regionModel
    // Null when this console has no traffic runtime.
    required property TrafficWorkspace trafficWorkspace

    readonly property bool hasTraffic: root.trafficWorkspace !== null

    function statusText(): string {
        const traffic = root.trafficWorkspace
        if (traffic.error.length > 0)
            return qsTr("No traffic data: %1").arg(UcFormat.ltr(traffic.error))
        if (!traffic.ready || traffic.loading)
            return qsTr("Waiting for traffic data%1").arg(Theme.ellipsis)
        return qsTr("%1 requests in the last minute%2updated %3")
               .arg(UcFormat.integer(traffic.totalRequests)).arg(Theme.separator)
               .arg(UcFormat.time(traffic.updatedAt))
    }

    Component.onCompleted: {
        if (root.hasTraffic) {
            overviewLoader.setSource("TrafficOverview.qml", { workspace: root.trafficWorkspace })
            policyLoader.setSource("TrafficPolicyView.qml", { workspace: root.trafficWorkspace })
            whatIfLoader.setSource("TrafficWhatIfView.qml", { workspace: root.trafficWorkspace })
            databaseLoader.setSource("RegionDatabaseView.qml",
                                     { regionModel: root.regionModel, margins: Theme.spacingNone })
        } else {
            databaseOnlyLoader.setSource("RegionDatabaseView.qml", { regionModel: root.regionModel })
        }
    }

    Loader {
        id: databaseOnlyLoader

        objectName: "regionsDatabaseOnly"
        anchors.fill: parent
        active: !root.hasTraffic
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.pageMargin
        visible: root.hasTraffic
        spacing: Theme.spacingM

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            TabBar {
                id: tabs

                objectName: "regionTabs"
                spacing: Theme.spacingNone

                background: Rectangle {
                    color: Theme.transparent

                    Rectangle {
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.bottom: parent.bottom
                        height: Theme.borderWidth
                        color: Theme.divider
                    }
                }

                UcTabButton {
                    objectName: "regionTab-traffic"
                    text: qsTr("Traffic")
                }

                UcTabButton {
                    objectName: "regionTab-policy"
                    text: qsTr("Traffic policy")
                }

                UcTabButton {
                    objectName: "regionTab-whatif"
                    text: qsTr("What if")
                }

                UcTabButton {
                    objectName: "regionTab-databases"
                    text: qsTr("Databases")
                }
            }

            UcProgressBar {
                Layout.preferredWidth: Theme.trafficProgressWidth
                visible: root.hasTraffic && (root.trafficWorkspace.loading
                                             || root.trafficWorkspace.actions.busy)
                indeterminate: true
            }

            Text {
                objectName: "trafficStatus"
                Layout.fillWidth: true
                text: root.hasTraffic ? root.statusText() : ""
                horizontalAlignment: Text.AlignRight
                color: root.hasTraffic && root.trafficWorkspace.error.length > 0 ? Theme.statusDown
                                                                                 : Theme.textMuted
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        StackLayout {
            objectName: "regionTabStack"
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            Loader {
                id: overviewLoader

                objectName: "regionPage-traffic"
            }

            Loader {
                id: policyLoader

                objectName: "regionPage-policy"
            }

            Loader {
                id: whatIfLoader

                objectName: "regionPage-whatif"
            }

            Loader {
                id: databaseLoader

                objectName: "regionPage-databases"
            }
        }
    }
}
