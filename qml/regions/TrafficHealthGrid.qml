import QtQuick
import UpCoach.Ops
import UpCoach.ViewModels

// The region health cards in at most Theme.trafficCardRowsMaximum rows, equal columns, the
// platform's card last. A click on a card selects its region (the map, chart and controls
// follow).
Item {
    id: root

    required property TrafficWorkspace workspace

    readonly property TrafficRegionModel regionModel: root.workspace.regions
    readonly property int cells: root.regionModel.count + 1
    readonly property int fitting: Math.max(1, Math.floor((root.width + Theme.gridGutter)
                                                          / (Theme.trafficCardMinWidth + Theme.gridGutter)))
    readonly property int rows: Math.min(Theme.trafficCardRowsMaximum,
                                         Math.ceil(root.cells / root.fitting))
    readonly property int columns: Math.ceil(root.cells / root.rows)
    readonly property real cellWidth: (root.width - (root.columns - 1) * Theme.gridGutter)
                                      / root.columns

    implicitHeight: root.rows * Theme.trafficCardHeight + (root.rows - 1) * Theme.gridGutter

    Grid {
        objectName: "healthGrid"
        anchors.fill: parent
        columns: root.columns
        spacing: Theme.gridGutter

        Repeater {
            model: root.regionModel
            delegate: TrafficHealthCard {}
            onItemAdded: (index, item) => {
                const card = item as TrafficHealthCard
                card.width = Qt.binding(() => root.cellWidth)
                card.clicked.connect(() => root.regionModel.select(card.regionId))
            }
        }

        TrafficTotalCard {
            width: root.cellWidth
            workspace: root.workspace
        }
    }
}
