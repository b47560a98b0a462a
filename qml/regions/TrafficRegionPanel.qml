import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The selected region beside the map: its routing status in words (with the operator's override
// or the failing check), its last minute's percentiles and hedges, the five-minute chart, and the
// controls — drain, return to service, forced failover — each through a confirmation dialog.
UcCard {
    id: root

    required property TrafficWorkspace workspace

    readonly property var region: root.workspace.regions.selected
    readonly property string status: root.region.status !== undefined ? root.region.status : ""
    readonly property bool outOfService: root.status === "drained" || root.status === "failed-over"
    readonly property TrafficActions actions: root.workspace.actions

    signal actionRequested(string action, string regionId)

    function noteText(): string {
        const region = root.region
        if (region.regionId === undefined)
            return ""
        if (root.outOfService && region.overrideBy.length > 0) {
            const who = UcFormat.ltr(region.overrideBy)
            const when = UcFormat.moment(region.overrideAt)
            // The operator's reason is appended, never substituted into the template.
            const text = root.status === "drained"
                       ? qsTr("Drained by %1 at %2:").arg(who).arg(when)
                       : region.failoverTarget.length > 0
                         ? qsTr("Failed over to %1 by %2 at %3:")
                           .arg(root.workspace.regions.regionName(region.failoverTarget))
                           .arg(who).arg(when)
                         : qsTr("Failed over by %1 at %2:").arg(who).arg(when)
            return text + " " + region.overrideReason
        }
        if (region.healthDetail.length > 0)
            return qsTr("%1 Last check: %2").arg(TrafficWords.statusDescription(root.status))
                                            .arg(UcFormat.ltr(region.healthDetail))
        return TrafficWords.statusDescription(root.status)
    }

    function resultText(): string {
        const actions = root.actions
        if (actions.lastAction.length === 0 || actions.lastAction === "weights")
            return ""
        if (!actions.lastSucceeded)
            return TrafficWords.actionFailed(actions.lastAction) + " "
                    + UcFormat.ltr(actions.lastError)
        return TrafficWords.actionDone(actions.lastAction,
                                       root.workspace.regions.regionName(actions.lastTarget))
    }

    objectName: "regionPanel"
    padding: Theme.cardPadding
    accentColor: Theme.trafficStatusColor(root.status)

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingS

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Text {
                objectName: "regionPanelTitle"
                Layout.fillWidth: true
                text: root.region.displayName !== undefined ? root.region.displayName
                                                            : qsTr("No region selected")
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontTitle
                font.bold: true
            }

            Rectangle {
                visible: root.status.length > 0
                implicitWidth: statusText.implicitWidth + 2 * Theme.spacingS
                implicitHeight: Theme.badgeHeight
                radius: height / 2
                color: Theme.trafficStatusSoftColor(root.status)
                border.color: Theme.trafficStatusColor(root.status)
                border.width: Theme.borderWidth

                Text {
                    id: statusText

                    anchors.centerIn: parent
                    text: TrafficWords.statusText(root.status)
                    color: Theme.trafficStatusColor(root.status)
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                    font.bold: true
                }
            }
        }

        Text {
            objectName: "regionPanelNote"
            Layout.fillWidth: true
            text: root.noteText()
            horizontalAlignment: Text.AlignLeft
            color: root.status === "unhealthy" ? Theme.statusDown : Theme.textSecondary
            wrapMode: Text.Wrap
            maximumLineCount: Theme.errorMaximumLines
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            TrafficCardMetric {
                Layout.fillWidth: true
                label: qsTr("p50")
                value: UcFormat.milliseconds(root.region.p50Ms)
            }

            TrafficCardMetric {
                Layout.fillWidth: true
                label: qsTr("p99")
                value: UcFormat.milliseconds(root.region.p99Ms)
            }

            TrafficCardMetric {
                Layout.fillWidth: true
                label: qsTr("Share")
                value: UcFormat.isKnownNumber(root.region.sharePercent)
                       ? TrafficWords.percent(root.region.sharePercent, Theme.integerDecimals)
                       : Theme.unknownValue
            }

            TrafficCardMetric {
                Layout.fillWidth: true
                label: qsTr("Hedges won")
                value: qsTr("%1 of %2").arg(UcFormat.integer(root.region.hedgesWon))
                                       .arg(UcFormat.integer(root.region.hedgesSent))
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingXs

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingS

                Text {
                    Layout.fillWidth: true
                    text: qsTr("Last %Ln minute(s)", "", root.workspace.timelineMinutes)
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textSecondary
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                }

                Rectangle {
                    Layout.preferredWidth: Theme.legendDotSize
                    Layout.preferredHeight: Theme.trafficChartLineWidth
                    color: Theme.chartRequests
                }

                Text {
                    text: qsTr("Requests/s")
                    color: Theme.chartRequests
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                }

                Rectangle {
                    Layout.preferredWidth: Theme.legendDotSize
                    Layout.preferredHeight: Theme.trafficChartLineWidth
                    color: Theme.chartLatency
                }

                Text {
                    text: qsTr("p95 (ms)")
                    color: Theme.chartLatency
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                }
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.borderWidth
                color: Theme.divider
            }
        }

        TrafficChart {
            objectName: "trafficChart"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: Theme.trafficChartMinimumHeight
            timeline: root.workspace.timeline
            minutes: root.workspace.timelineMinutes
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            UcButton {
                objectName: "drainButton"
                Layout.fillWidth: true
                text: qsTr("Drain%1").arg(Theme.ellipsis)
                enabled: root.status.length > 0 && !root.outOfService && !root.actions.busy
                Accessible.name: qsTr("Drain %1").arg(root.region.displayName)
                onClicked: root.actionRequested("drain", root.region.regionId)
            }

            UcButton {
                objectName: "undrainButton"
                Layout.fillWidth: true
                text: qsTr("Undrain%1").arg(Theme.ellipsis)
                enabled: root.outOfService && !root.actions.busy
                Accessible.name: qsTr("Return %1 to service").arg(root.region.displayName)
                onClicked: root.actionRequested("undrain", root.region.regionId)
            }

            UcButton {
                objectName: "failoverButton"
                Layout.fillWidth: true
                text: qsTr("Fail over to%1").arg(Theme.ellipsis)
                enabled: root.status.length > 0 && !root.outOfService && !root.actions.busy
                Accessible.name: qsTr("Force the failover of %1").arg(root.region.displayName)
                onClicked: root.actionRequested("failover", root.region.regionId)
            }
        }

        Text {
            objectName: "controlResult"
            Layout.fillWidth: true
            visible: text.length > 0
            text: root.resultText()
            horizontalAlignment: Text.AlignLeft
            color: root.actions.lastSucceeded ? Theme.statusUp : Theme.statusDown
            wrapMode: Text.Wrap
            maximumLineCount: Theme.errorMaximumLines
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }
}
