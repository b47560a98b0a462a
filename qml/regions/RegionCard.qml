import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// One region of the overview: identity, health badge, the database figures of the last probe,
// and since when the region has been in its current state. Fed by RegionListModel roles.
Item {
    id: root

    required property string regionId
    required property string displayName
    required property string city
    required property string country
    required property string status
    required property real latencyMs
    required property real connectMs
    required property string role
    required property string serverVersion
    required property string databaseSizeText
    required property int connections
    required property string error
    required property var checkedAt
    required property var statusSince

    readonly property bool down: root.status === "down"

    function sinceText(): string {
        if (!UcFormat.isKnownDate(root.statusSince))
            return qsTr("Not checked yet")
        const since = UcFormat.moment(root.statusSince)
        if (root.status === "up")
            return qsTr("Up since %1").arg(since)
        if (root.down)
            return qsTr("Down since %1").arg(since)
        return qsTr("Unknown since %1").arg(since)
    }

    UcCard {
        anchors.fill: parent
        anchors.margins: Theme.gridGutter / 2
        padding: Theme.cardPadding
        accentColor: UcFormat.statusColor(root.status)

        ColumnLayout {
            anchors.fill: parent
            spacing: Theme.spacingS

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingS

                Text {
                    Layout.fillWidth: true
                    text: root.displayName
                    color: Theme.textPrimary
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                }

                UcStatusBadge {
                    status: root.status
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingS

                Text {
                    text: root.regionId
                    color: Theme.accent
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSmall
                }

                Text {
                    Layout.fillWidth: true
                    text: qsTr("%1, %2", "city, country").arg(root.city).arg(root.country)
                    color: Theme.textSecondary
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.borderWidth
                color: Theme.divider
            }

            Item {
                id: metricsArea

                Layout.fillWidth: true
                Layout.fillHeight: true
                visible: !root.down

                Grid {
                    id: metrics

                    // Equal columns from the space the card gives, not from the figures' widths.
                    readonly property real cellWidth: (metricsArea.width - (columns - 1) * columnSpacing) / columns

                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.top: parent.top
                    columns: Theme.metricColumns
                    columnSpacing: Theme.spacingM
                    rowSpacing: Theme.spacingS

                    UcMetric {
                        width: metrics.cellWidth
                        label: qsTr("Round trip")
                        value: UcFormat.milliseconds(root.latencyMs)
                    }

                    UcMetric {
                        width: metrics.cellWidth
                        label: qsTr("Connect")
                        value: UcFormat.milliseconds(root.connectMs)
                    }

                    UcMetric {
                        width: metrics.cellWidth
                        label: qsTr("Connections")
                        value: UcFormat.integer(root.connections)
                    }

                    UcMetric {
                        width: metrics.cellWidth
                        label: qsTr("Role")
                        value: UcFormat.roleText(root.role)
                    }

                    UcMetric {
                        width: metrics.cellWidth
                        label: qsTr("PostgreSQL")
                        value: UcFormat.textOrUnknown(root.serverVersion)
                    }

                    UcMetric {
                        width: metrics.cellWidth
                        label: qsTr("Database size")
                        value: UcFormat.textOrUnknown(root.databaseSizeText)
                    }
                }
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                visible: root.down
                radius: Theme.radiusSmall
                color: Theme.statusDownSoft

                Text {
                    anchors.fill: parent
                    anchors.margins: Theme.spacingS
                    text: root.error.length > 0 ? root.error : qsTr("The database did not answer.")
                    color: Theme.textPrimary
                    wrapMode: Text.Wrap
                    elide: Text.ElideRight
                    maximumLineCount: Theme.errorMaximumLines
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSmall
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingS

                Text {
                    Layout.fillWidth: true
                    text: root.sinceText()
                    color: root.down ? Theme.statusDown : Theme.textSecondary
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                Text {
                    visible: UcFormat.isKnownDate(root.checkedAt)
                    text: qsTr("Checked %1").arg(UcFormat.time(root.checkedAt))
                    color: Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
    }
}
