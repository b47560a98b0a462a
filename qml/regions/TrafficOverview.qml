import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The Traffic tab: the world map with the regions and the last minute's flows, the selected
// region's panel (chart and controls) beside it, and the health cards underneath.
Item {
    id: root

    required property TrafficWorkspace workspace

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingM

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacingM

            TrafficMapPanel {
                objectName: "trafficMap"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: Theme.trafficMapMinimumHeight
                workspace: root.workspace
                flows: root.workspace.flows
                flowText: qsTr("Requests from a country to its region (last minute)")
            }

            TrafficRegionPanel {
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.trafficPanelWidth
                Layout.minimumWidth: Theme.trafficPanelMinimumWidth
                workspace: root.workspace
                onActionRequested: (action, regionId) => controlDialog.ask(action, regionId)
            }
        }

        TrafficHealthGrid {
            Layout.fillWidth: true
            Layout.preferredHeight: implicitHeight
            workspace: root.workspace
        }
    }

    TrafficControlDialog {
        id: controlDialog

        workspace: root.workspace
    }
}
