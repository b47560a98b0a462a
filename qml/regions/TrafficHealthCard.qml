import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops

// One region's health card (a TrafficRegionModel row): routing status, uptime of its health
// checks, the last minute's p95, error rate and requests per second, its database round trip
// and its health check's round trip. Clicking (or Space) selects the region; the selected card is
// outlined in the accent.
AbstractButton {
    id: root

    required property string regionId
    required property string displayName
    required property string status
    required property real uptimePercent
    required property real p95Ms
    required property real errorPercent
    required property real requestsPerSecond
    required property real databaseLatencyMs
    required property string databaseStatus
    required property real checkLatencyMs
    required property bool selected

    // Whole milliseconds from Theme.cardWholeMillisecondsFrom up: the cards are narrow.
    function millisecondsText(value: real): string {
        if (!UcFormat.isKnownNumber(value) || value < Theme.cardWholeMillisecondsFrom)
            return UcFormat.milliseconds(value)
        return qsTr("%1 ms").arg(TrafficWords.decimal(value, Theme.integerDecimals))
    }

    function percentText(value: real): string {
        return UcFormat.isKnownNumber(value) ? TrafficWords.percent(value, Theme.percentDecimals)
                                             : Theme.unknownValue
    }

    objectName: "healthCard-" + root.regionId
    height: Theme.trafficCardHeight
    padding: Theme.spacingS
    leftPadding: Theme.cardPadding
    rightPadding: Theme.spacingS
    hoverEnabled: true
    focusPolicy: Qt.StrongFocus
    Accessible.role: Accessible.Button
    Accessible.name: qsTr("%1, %2").arg(root.displayName).arg(TrafficWords.statusText(root.status))
    Accessible.description: qsTr("Uptime %1, p95 %2, errors %3, %4 requests per second")
                            .arg(root.percentText(root.uptimePercent))
                            .arg(UcFormat.milliseconds(root.p95Ms))
                            .arg(root.percentText(root.errorPercent))
                            .arg(TrafficWords.decimal(root.requestsPerSecond, Theme.rateDecimals))

    background: Rectangle {
        color: root.selected ? Theme.rowSelected : root.hovered ? Theme.rowHover : Theme.surface
        radius: Theme.radius
        border.color: root.selected || root.visualFocus ? Theme.accent : Theme.border
        border.width: root.selected ? Theme.mapMarkerRingWidth : Theme.borderWidth

        Rectangle {
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            anchors.margins: Theme.mapMarkerRingWidth
            width: Theme.accentStripeWidth
            radius: Theme.radiusSmall
            color: Theme.trafficStatusColor(root.status)
        }
    }

    // Equal metric columns from the card's width, not from the figures' widths.
    readonly property real metricCellWidth: (root.availableWidth - (Theme.trafficCardMetricColumns - 1)
                                             * Theme.spacingS) / Theme.trafficCardMetricColumns

    contentItem: ColumnLayout {
        spacing: Theme.spacingXxs

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingXs

            Text {
                Layout.fillWidth: true
                text: root.displayName
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }

            Rectangle {
                Layout.preferredWidth: Theme.statusDotSize
                Layout.preferredHeight: Theme.statusDotSize
                radius: width / 2
                color: Theme.trafficStatusColor(root.status)
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingNone

            Text {
                objectName: "healthCardStatus"
                text: TrafficWords.statusText(root.status)
                color: Theme.trafficStatusColor(root.status)
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
                font.bold: true
            }

            // The separator is its own text: joined to the id it would follow the id's left-to-right
            // direction and land on the far side in right-to-left layouts.
            Text {
                text: Theme.separator
                color: Theme.textSecondary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
            }

            Text {
                Layout.fillWidth: true
                text: UcFormat.ltr(root.regionId)
                horizontalAlignment: Text.AlignLeft
                color: Theme.textSecondary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
            }
        }

        Item {
            Layout.fillHeight: true
        }

        Item {
            Layout.fillWidth: true
            Layout.preferredHeight: childrenRect.height

            Grid {
                anchors.left: parent.left
                anchors.right: parent.right
                columns: Theme.trafficCardMetricColumns
                columnSpacing: Theme.spacingS
                rowSpacing: Theme.spacingXs

                TrafficCardMetric {
                    width: root.metricCellWidth
                    label: qsTr("Uptime")
                    value: root.percentText(root.uptimePercent)
                }

                TrafficCardMetric {
                    width: root.metricCellWidth
                    label: qsTr("p95")
                    value: root.millisecondsText(root.p95Ms)
                }

                TrafficCardMetric {
                    width: root.metricCellWidth
                    label: qsTr("Errors")
                    value: root.percentText(root.errorPercent)
                    valueColor: root.errorPercent > Theme.errorPercentWarning ? Theme.statusWarn
                                                                              : Theme.textPrimary
                }

                TrafficCardMetric {
                    width: root.metricCellWidth
                    label: qsTr("Requests/s")
                    value: TrafficWords.decimal(root.requestsPerSecond, Theme.rateDecimals)
                }

                TrafficCardMetric {
                    width: root.metricCellWidth
                    label: qsTr("Database")
                    value: root.databaseStatus === "down" ? UcFormat.statusText("down")
                                                          : root.millisecondsText(root.databaseLatencyMs)
                    valueColor: root.databaseStatus === "down" ? Theme.statusDown : Theme.textPrimary
                }

                TrafficCardMetric {
                    width: root.metricCellWidth
                    label: qsTr("Check")
                    value: root.millisecondsText(root.checkLatencyMs)
                }
            }
        }
    }
}
