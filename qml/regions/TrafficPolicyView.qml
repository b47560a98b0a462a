import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The Policy tab: the active traffic policy as the router evaluates it — its rules in order
// (kind, name, condition, effect), hedging (settings and what it achieved) and the policy file
// as it was given.
Item {
    id: root

    required property TrafficWorkspace workspace

    readonly property TrafficPolicyModel policy: root.workspace.policy

    function percentOrUnknown(value: real, decimals: int): string {
        return UcFormat.isKnownNumber(value) ? TrafficWords.percent(value, decimals)
                                             : Theme.unknownValue
    }

    // Configured delays are whole milliseconds.
    function wholeMilliseconds(value: real): string {
        return UcFormat.isKnownNumber(value)
                ? qsTr("%1 ms").arg(TrafficWords.decimal(value, Theme.integerDecimals))
                : Theme.unknownValue
    }

    RowLayout {
        anchors.fill: parent
        spacing: Theme.spacingM

        // A plain column over the list, not a layout: a layout kept the wrapped description at
        // the height it had while the page was still narrow and hidden.
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            Column {
                id: policyHeader

                anchors.left: parent.left
                anchors.right: parent.right
                spacing: Theme.spacingS

                RowLayout {
                    width: policyHeader.width
                    spacing: Theme.spacingS

                    Text {
                        objectName: "policyName"
                        text: UcFormat.ltr(root.policy.name)
                        color: Theme.textPrimary
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontTitle
                        font.bold: true
                    }

                    Text {
                        Layout.fillWidth: true
                        text: qsTr("Version %1").arg(UcFormat.integer(root.policy.version))
                              + Theme.separator
                              + qsTr("%Ln rule(s), evaluated in order", "", root.policy.count)
                        horizontalAlignment: Text.AlignLeft
                        color: Theme.textMuted
                        elide: Text.ElideRight
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }
                }

                Text {
                    objectName: "policyDescription"
                    width: policyHeader.width
                    visible: root.policy.description.length > 0
                    text: root.policy.description
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textSecondary
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
            }

            ListView {
                objectName: "policyRules"
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: policyHeader.bottom
                anchors.topMargin: Theme.spacingS
                anchors.bottom: parent.bottom
                clip: true
                spacing: Theme.spacingS
                boundsBehavior: Flickable.StopAtBounds
                model: root.policy

                ScrollBar.vertical: ScrollBar {}

                delegate: TrafficPolicyRule {
                    width: ListView.view.width
                }
            }
        }

        ColumnLayout {
            Layout.fillWidth: false
            Layout.fillHeight: true
            Layout.preferredWidth: Theme.policySideWidth
            spacing: Theme.spacingM

            UcCard {
                objectName: "hedgingCard"
                Layout.fillWidth: true
                padding: Theme.cardPadding
                accentColor: root.policy.hedgingEnabled ? Theme.accent : Theme.statusUnknown

                ColumnLayout {
                    anchors.fill: parent
                    spacing: Theme.spacingS

                    UcSectionTitle {
                        Layout.fillWidth: true
                        text: qsTr("Request hedging")
                    }

                    Text {
                        Layout.fillWidth: true
                        text: root.policy.hedgingEnabled
                              ? qsTr("A slow first answer is raced by a copy to the next region, sent after the first region's p%1 latency (between %2 and %3), for at most %4 of requests.")
                                .arg(UcFormat.integer(root.policy.hedgePercentile))
                                .arg(root.wholeMilliseconds(root.policy.hedgeMinDelayMs))
                                .arg(root.wholeMilliseconds(root.policy.hedgeMaxDelayMs))
                                .arg(root.percentOrUnknown(root.policy.hedgeBudgetPercent,
                                                           Theme.integerDecimals))
                              : qsTr("Off: every request goes to one region only.")
                        horizontalAlignment: Text.AlignLeft
                        color: Theme.textSecondary
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }

                    Item {
                        id: hedgeArea

                        Layout.fillWidth: true
                        Layout.preferredHeight: hedgeMetrics.implicitHeight

                        Grid {
                            id: hedgeMetrics

                            readonly property real cellWidth: (hedgeArea.width - (columns - 1) * columnSpacing)
                                                              / columns

                            anchors.left: parent.left
                            anchors.right: parent.right
                            columns: Theme.metricColumns
                            columnSpacing: Theme.spacingM
                            rowSpacing: Theme.spacingS

                            TrafficCardMetric {
                                objectName: "hedgesSent"
                                width: hedgeMetrics.cellWidth
                                label: qsTr("Sent")
                                value: UcFormat.integer(root.policy.windowHedgesSent)
                            }

                            TrafficCardMetric {
                                objectName: "hedgesWon"
                                width: hedgeMetrics.cellWidth
                                label: qsTr("Won")
                                value: UcFormat.isKnownNumber(root.policy.hedgeWinPercent)
                                       ? qsTr("%1 (%2)").arg(UcFormat.integer(root.policy.windowHedgesWon))
                                         .arg(TrafficWords.percent(root.policy.hedgeWinPercent,
                                                                   Theme.integerDecimals))
                                       : UcFormat.integer(root.policy.windowHedgesWon)
                            }

                            TrafficCardMetric {
                                objectName: "latencySaved"
                                width: hedgeMetrics.cellWidth
                                label: qsTr("Saved per win")
                                value: UcFormat.milliseconds(root.policy.averageSavedMs)
                            }

                            TrafficCardMetric {
                                width: hedgeMetrics.cellWidth
                                label: qsTr("Decisions")
                                value: UcFormat.integer(root.policy.routingDecisions)
                            }

                            TrafficCardMetric {
                                width: hedgeMetrics.cellWidth
                                label: qsTr("Hedged")
                                value: root.percentOrUnknown(root.policy.hedgedPercent,
                                                             Theme.percentDecimals)
                            }

                            TrafficCardMetric {
                                width: hedgeMetrics.cellWidth
                                label: qsTr("Time saved")
                                value: UcFormat.milliseconds(root.policy.windowLatencySavedMs)
                            }
                        }
                    }

                    Text {
                        Layout.fillWidth: true
                        text: qsTr("Sent, won and time saved: the last minute. Decisions and the hedged share: since the router started.")
                        horizontalAlignment: Text.AlignLeft
                        color: Theme.textMuted
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontCaption
                    }
                }
            }

            UcSectionTitle {
                Layout.fillWidth: true
                text: qsTr("Policy file")
            }

            Rectangle {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: Theme.policySourceMinimumHeight
                radius: Theme.radiusSmall
                color: Theme.codeBackground
                border.width: Theme.borderWidth
                border.color: Theme.border

                Flickable {
                    objectName: "policySource"
                    anchors.fill: parent
                    anchors.margins: Theme.controlPadding
                    clip: true
                    contentWidth: sourceText.implicitWidth
                    contentHeight: sourceText.implicitHeight
                    boundsBehavior: Flickable.StopAtBounds

                    ScrollBar.vertical: ScrollBar {}
                    ScrollBar.horizontal: ScrollBar {}

                    // Code reads left to right in every language.
                    TextEdit {
                        id: sourceText

                        LayoutMirroring.enabled: false
                        text: root.policy.source
                        readOnly: true
                        selectByMouse: true
                        horizontalAlignment: TextEdit.AlignLeft
                        color: Theme.textSecondary
                        selectionColor: Theme.accent
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontMono
                        Accessible.name: qsTr("Policy file")
                    }
                }
            }
        }
    }
}
