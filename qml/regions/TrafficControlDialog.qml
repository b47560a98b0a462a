import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// Confirms a traffic control on one region: what it does, for a forced failover the region to
// send the traffic to first, the what-if preview ("These countries and tenants will move" — those
// left with nowhere to go in red), and the operator's reason (the audit log keeps it). The
// control runs when confirmed; the dialog closes once it has succeeded and shows the backend's
// error otherwise.
UcDialog {
    id: root

    required property TrafficWorkspace workspace

    property string action
    property string regionId

    readonly property TrafficActions actions: root.workspace.actions
    readonly property TrafficWhatIf preview: root.workspace.preview
    readonly property string regionName: root.workspace.regions.regionName(root.regionId)
    readonly property string reasonProblem: root.actions.reasonProblem(reasonArea.text)
    readonly property bool showsPreview: root.action === "drain" || root.action === "failover"
    readonly property var targets: {
        const choices = [{ text: qsTr("Next region of its failover chain"), value: "" }]
        for (const target of root.workspace.failoverTargets(root.regionId))
            choices.push(target)
        return choices
    }
    // The last result shown here is this dialog's own.
    property bool started: false

    function ask(action: string, regionId: string) {
        root.action = action
        root.regionId = regionId
        root.started = false
        reasonArea.text = ""
        targetBox.currentIndex = 0
        root.actions.clearResult()
        if (root.showsPreview)
            root.preview.run(regionId)
        else
            root.preview.clear()
        root.open()
        reasonArea.forceActiveFocus()
    }

    function consequenceText(): string {
        switch (root.action) {
        case "drain":
            return qsTr("%1 stops taking new clients: the router sends them to the next region of its failover chain. Sessions already there move as their requests arrive.").arg(root.regionName)
        case "undrain":
            return qsTr("%1 takes its clients back: the policy routes to it again as soon as its health checks pass.").arg(root.regionName)
        case "failover":
            return qsTr("%1 stops serving and its clients go to the region you choose first (where their tenants' data residency allows), then to its failover chain.").arg(root.regionName)
        default:
            return ""
        }
    }

    function previewSummary(): string {
        const p = root.preview
        if (p.busy && !p.ready)
            return qsTr("Working out who would move%1").arg(Theme.ellipsis)
        if (p.error.length > 0)
            return qsTr("No preview: %1").arg(UcFormat.ltr(p.error))
        if (!p.ready)
            return ""
        if (p.movingCountryCount === 0 && p.movingTenantCount === 0)
            return qsTr("No client country and no tenant would move.")
        let text = qsTr("%Ln country(ies)", "", p.movingCountryCount) + qsTr(", ", "list separator")
                   + qsTr("%Ln tenant(s) would move.", "", p.movingTenantCount)
        if (p.strandedCountryCount > 0 || p.strandedTenantCount > 0)
            text += " " + qsTr("%Ln would have nowhere to go.", "",
                               p.strandedCountryCount + p.strandedTenantCount)
        return text
    }

    objectName: "trafficControlDialog"
    width: Theme.trafficDialogWidth
    title: root.action === "undrain" ? qsTr("Return %1 to service?").arg(root.regionName)
                                     : root.action === "drain" ? qsTr("Drain %1?").arg(root.regionName)
                                                               : qsTr("Force the failover of %1?").arg(root.regionName)
    acceptText: TrafficWords.actionButton(root.action)
    acceptEnabled: root.reasonProblem === "" && root.actions.ready
    busy: root.actions.busy
    onAcceptClicked: {
        root.started = true
        if (root.action === "drain")
            root.actions.drain(root.regionId, reasonArea.text)
        else if (root.action === "undrain")
            root.actions.undrain(root.regionId, reasonArea.text)
        else
            root.actions.failover(root.regionId, targetBox.currentValue, reasonArea.text)
    }
    onClosed: {
        if (!root.actions.busy)
            root.preview.clear()
    }

    Connections {
        target: root.actions

        function onFinished(action: string, target: string, ok: bool, error: string) {
            if (ok && root.started && root.opened)
                root.close()
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingM

        Text {
            objectName: "controlConsequence"
            Layout.fillWidth: true
            text: root.consequenceText()
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        RowLayout {
            Layout.fillWidth: true
            visible: root.action === "failover"
            spacing: Theme.spacingS

            Text {
                text: qsTr("Send its clients first to")
                color: Theme.textPrimary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            UcComboBox {
                id: targetBox

                objectName: "failoverTarget"
                Layout.fillWidth: true
                model: root.targets
                textRole: "text"
                valueRole: "value"
                Accessible.name: qsTr("Failover target")
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            visible: root.showsPreview
            spacing: Theme.spacingXs

            Text {
                Layout.fillWidth: true
                text: qsTr("These countries and tenants will move")
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }

            Text {
                objectName: "previewSummary"
                Layout.fillWidth: true
                text: root.previewSummary()
                horizontalAlignment: Text.AlignLeft
                color: root.preview.strandedCountryCount + root.preview.strandedTenantCount > 0
                       ? Theme.statusDown : Theme.textSecondary
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            RowLayout {
                Layout.fillWidth: true
                Layout.preferredHeight: Theme.whatIfPreviewHeight
                visible: root.preview.ready
                spacing: Theme.spacingM

                TrafficMoveList {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: (parent.width - parent.spacing) / 2
                    title: qsTr("Countries (%1)").arg(UcFormat.integer(root.preview.movingCountryCount))
                    entries: root.preview.countries
                    emptyText: qsTr("No country moves.")
                }

                TrafficMoveList {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.preferredWidth: (parent.width - parent.spacing) / 2
                    title: qsTr("Tenants (%1)").arg(UcFormat.integer(root.preview.movingTenantCount))
                    entries: root.preview.tenants
                    tenants: true
                    emptyText: qsTr("No tenant moves.")
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Text {
                Layout.fillWidth: true
                text: qsTr("Reason")
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }

            Text {
                objectName: "controlReasonCount"
                text: qsTr("%1 / %2 characters").arg(UcFormat.integer(root.actions.reasonLength(reasonArea.text)))
                                                .arg(UcFormat.integer(root.actions.reasonMaximum))
                color: root.reasonProblem === "" ? Theme.textMuted : Theme.statusWarn
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
            }
        }

        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.trafficReasonHeight

            TextArea {
                id: reasonArea

                objectName: "controlReason"
                placeholderText: qsTr("Why (at least %1 characters); the audit log keeps it")
                                     .arg(UcFormat.integer(root.actions.reasonMinimum))
                placeholderTextColor: Theme.textMuted
                wrapMode: TextEdit.Wrap
                color: Theme.textPrimary
                selectionColor: Theme.accent
                selectedTextColor: Theme.textPrimary
                selectByMouse: true
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                padding: Theme.controlPadding
                Accessible.name: qsTr("Reason")

                background: Rectangle {
                    radius: Theme.radiusSmall
                    color: Theme.inputBackground
                    border.width: Theme.borderWidth
                    border.color: reasonArea.text.length > 0 && root.reasonProblem !== ""
                                  ? Theme.inputInvalid
                                  : reasonArea.activeFocus ? Theme.inputBorderFocus : Theme.inputBorder
                }
            }
        }

        Text {
            objectName: "controlReasonProblem"
            Layout.fillWidth: true
            visible: reasonArea.text.length > 0 && root.reasonProblem !== ""
            text: TrafficWords.reasonProblemText(root.reasonProblem, root.actions.reasonMinimum,
                                                 root.actions.reasonMaximum)
            horizontalAlignment: Text.AlignLeft
            color: Theme.statusWarn
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
        }

        Text {
            objectName: "controlError"
            Layout.fillWidth: true
            visible: root.started && !root.actions.busy && root.actions.lastAction === root.action
                     && !root.actions.lastSucceeded
            text: TrafficWords.actionFailed(root.action)
                  + " " + UcFormat.ltr(root.actions.lastError)
            horizontalAlignment: Text.AlignLeft
            color: Theme.statusDown
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }
}
