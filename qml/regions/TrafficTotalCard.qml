import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The last card of the health grid: the whole platform over the last minute — requests per
// second, p95 and error rate over every request (refused ones included), how many regions serve,
// and how many requests were hedged.
UcCard {
    id: root

    required property TrafficWorkspace workspace

    readonly property TrafficRegionModel regionModel: root.workspace.regions
    readonly property int serving: root.regionModel.healthyCount + root.regionModel.unknownCount
    readonly property int notServing: root.regionModel.count - root.serving

    // Whole milliseconds from Theme.cardWholeMillisecondsFrom up: the cards are narrow.
    function millisecondsText(value: real): string {
        if (!UcFormat.isKnownNumber(value) || value < Theme.cardWholeMillisecondsFrom)
            return UcFormat.milliseconds(value)
        return qsTr("%1 ms").arg(TrafficWords.decimal(value, Theme.integerDecimals))
    }

    objectName: "healthCardTotal"
    height: Theme.trafficCardHeight
    padding: Theme.spacingS
    leftPadding: Theme.cardPadding
    accentColor: root.notServing > 0 ? Theme.statusWarn : Theme.accent

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingXxs

        Text {
            Layout.fillWidth: true
            text: qsTr("All regions")
            horizontalAlignment: Text.AlignLeft
            color: Theme.textPrimary
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
        }

        Text {
            Layout.fillWidth: true
            text: qsTr("Last %Ln second(s)", "", root.workspace.windowSeconds)
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
        }

        Item {
            Layout.fillHeight: true
        }

        Item {
            id: metricsArea

            Layout.fillWidth: true
            Layout.preferredHeight: metrics.implicitHeight

            Grid {
                id: metrics

                readonly property real cellWidth: (metricsArea.width - (columns - 1) * columnSpacing)
                                                  / columns

                anchors.left: parent.left
                anchors.right: parent.right
                columns: Theme.trafficCardMetricColumns
                columnSpacing: Theme.spacingS
                rowSpacing: Theme.spacingXs

                TrafficCardMetric {
                    width: metrics.cellWidth
                    label: qsTr("Serving")
                    value: qsTr("%1 of %2").arg(UcFormat.integer(root.serving))
                                           .arg(UcFormat.integer(root.regionModel.count))
                    valueColor: root.notServing > 0 ? Theme.statusWarn : Theme.textPrimary
                }

                TrafficCardMetric {
                    width: metrics.cellWidth
                    label: qsTr("p95")
                    value: root.millisecondsText(root.workspace.totalP95Ms)
                }

                TrafficCardMetric {
                    width: metrics.cellWidth
                    label: qsTr("Errors")
                    value: UcFormat.isKnownNumber(root.workspace.totalErrorPercent)
                           ? TrafficWords.percent(root.workspace.totalErrorPercent,
                                                  Theme.percentDecimals)
                           : Theme.unknownValue
                }

                TrafficCardMetric {
                    width: metrics.cellWidth
                    label: qsTr("Requests/s")
                    value: TrafficWords.decimal(root.workspace.totalRequestsPerSecond,
                                                Theme.rateDecimals)
                }

                TrafficCardMetric {
                    width: metrics.cellWidth
                    label: qsTr("Requests")
                    value: UcFormat.integer(root.workspace.totalRequests)
                }

                TrafficCardMetric {
                    width: metrics.cellWidth
                    label: qsTr("Hedged")
                    value: UcFormat.isKnownNumber(root.workspace.policy.hedgedPercent)
                           ? TrafficWords.percent(root.workspace.policy.hedgedPercent,
                                                  Theme.percentDecimals)
                           : Theme.unknownValue
                }
            }
        }
    }
}
