import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The What-if tab: pick a region and see, without changing anything, which client countries and
// tenants would move if it were drained and where they would go — highlighted on the map, with
// lines to their new regions; those left with nowhere to go (refused, or their data residency
// allows no other region) in red.
Item {
    id: root

    required property TrafficWorkspace workspace

    readonly property TrafficWhatIf whatIf: root.workspace.whatIf
    readonly property TrafficRegionModel regionModel: root.workspace.regions

    function summaryText(): string {
        const w = root.whatIf
        if (w.regionId.length === 0)
            return qsTr("Pick a region to see who would move if it were drained.")
        if (w.busy && !w.ready)
            return qsTr("Working out who would move%1").arg(Theme.ellipsis)
        if (w.error.length > 0)
            return qsTr("No answer: %1").arg(UcFormat.ltr(w.error))
        if (w.movingCountryCount === 0 && w.movingTenantCount === 0)
            return qsTr("Draining %1 would move no client country and no tenant.")
                   .arg(root.regionModel.regionName(w.regionId))
        return qsTr("Draining %1 would move %2 and %3.")
               .arg(root.regionModel.regionName(w.regionId))
               .arg(qsTr("%Ln country(ies)", "", w.movingCountryCount))
               .arg(qsTr("%Ln tenant(s)", "", w.movingTenantCount))
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingM

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            Text {
                Layout.alignment: Qt.AlignTop
                Layout.topMargin: Theme.spacingXs
                text: qsTr("If this region were drained")
                color: Theme.textSecondary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }

            Flow {
                objectName: "whatIfPicker"
                Layout.fillWidth: true
                spacing: Theme.spacingS

                Repeater {
                    model: root.regionModel
                    delegate: TrafficRegionChoice {}
                    onItemAdded: (index, item) => {
                        const choice = item as TrafficRegionChoice
                        choice.checked = Qt.binding(() => root.whatIf.regionId === choice.regionId)
                        choice.clicked.connect(() => root.whatIf.run(choice.regionId))
                    }
                }
            }
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.borderWidth
            color: Theme.divider
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            Text {
                objectName: "whatIfSummary"
                text: root.summaryText()
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: true
            }

            Flow {
                objectName: "whatIfDestinations"
                Layout.fillWidth: true
                visible: root.whatIf.ready
                spacing: Theme.spacingS

                Repeater {
                    model: root.whatIf.destinations

                    delegate: UcChip {
                        id: destination

                        required property var modelData

                        objectName: "whatIfDestination"
                        focusPolicy: Qt.NoFocus
                        dotColor: destination.modelData.regionId.length === 0 ? Theme.statusDown
                                                                              : Theme.mapWhatIfFlow
                        text: destination.modelData.regionId.length === 0
                              ? qsTr("Nowhere") : destination.modelData.regionName
                        countText: TrafficWords.movesText(destination.modelData.countries,
                                                          destination.modelData.tenants)
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacingM

            TrafficMapPanel {
                objectName: "whatIfMap"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: Theme.trafficMapMinimumHeight
                workspace: root.workspace
                flows: root.whatIf.flows
                flowColor: Theme.mapWhatIfFlow
                flowText: qsTr("Where they would go")
                highlightedCountries: root.whatIf.countryCodes
                highlightText: qsTr("Countries that would move")
            }

            ColumnLayout {
                Layout.fillWidth: false
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.whatIfListWidth
                spacing: Theme.spacingM

                TrafficMoveList {
                    objectName: "whatIfCountries"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    title: qsTr("Countries (%1)").arg(UcFormat.integer(root.whatIf.movingCountryCount))
                    entries: root.whatIf.countries
                    emptyText: root.whatIf.ready ? qsTr("No country moves.") : ""
                }

                TrafficMoveList {
                    id: tenantMoves

                    objectName: "whatIfTenants"
                    Layout.fillWidth: true
                    // Layouts fill by default: the countries take the rest of the column.
                    Layout.fillHeight: false
                    Layout.preferredHeight: Math.min(Theme.whatIfTenantListHeight,
                                                     tenantMoves.naturalHeight)
                    title: qsTr("Tenants (%1)").arg(UcFormat.integer(root.whatIf.movingTenantCount))
                    entries: root.whatIf.tenants
                    tenants: true
                    emptyText: root.whatIf.ready ? qsTr("No tenant moves.") : ""
                }
            }
        }
    }
}
