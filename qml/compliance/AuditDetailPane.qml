import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The selected event: every field, its details JSON and its inclusion proof (leaf hash, audit
// path, and whether it verifies against the final signed tree head).
Rectangle {
    id: root

    required property AuditLogModel auditModel

    readonly property AuditEventDetails details: root.auditModel.selection
    readonly property int proofState: root.details.proofState

    function proofTone(): string {
        if (root.proofState === AuditEventDetails.ProofVerified)
            return "ok"
        if (root.proofState === AuditEventDetails.ProofWaiting
                || root.proofState === AuditEventDetails.ProofComputing)
            return "busy"
        if (root.proofState === AuditEventDetails.ProofFailed
                || root.proofState === AuditEventDetails.ProofUntrusted)
            return "fail"
        return "warn"
    }

    function proofColor(): color {
        const tone = root.proofTone()
        if (tone === "ok")
            return Theme.statusUp
        if (tone === "busy")
            return Theme.statusBusy
        return tone === "fail" ? Theme.statusDown : Theme.statusWarn
    }

    function proofText(): string {
        switch (root.proofState) {
        case AuditEventDetails.ProofWaiting:
            return qsTr("Waiting for the bundle's verification%1").arg(Theme.ellipsis)
        case AuditEventDetails.ProofComputing:
            return qsTr("Computing the inclusion proof%1").arg(Theme.ellipsis)
        case AuditEventDetails.ProofVerified:
            return qsTr("Included: the proof verifies against the final signed tree head")
        case AuditEventDetails.ProofFailed:
            return qsTr("The proof does not verify")
        case AuditEventDetails.ProofUntrusted:
            return qsTr("No proof: the bundle failed verification, so none of its tree heads can be trusted")
        case AuditEventDetails.ProofNotCovered:
            return qsTr("Not yet covered by a signed tree head")
        default:
            return qsTr("No inclusion proof available")
        }
    }

    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.border
    border.width: Theme.borderWidth

    Text {
        objectName: "auditDetailEmpty"
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.pageMargin
        visible: !root.details.hasEvent && root.details.error.length === 0
        text: qsTr("Select an event to see all its fields and its inclusion proof.")
        color: Theme.textSecondary
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
    }

    Flickable {
        id: flick

        objectName: "auditDetail"
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        visible: root.details.hasEvent || root.details.error.length > 0
        clip: true
        contentWidth: width
        contentHeight: column.implicitHeight
        boundsBehavior: Flickable.StopAtBounds

        ScrollBar.vertical: ScrollBar {}

        ColumnLayout {
            id: column

            width: flick.width - Theme.spacingS
            spacing: Theme.spacingM

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingS

                Text {
                    objectName: "auditDetailTitle"
                    Layout.fillWidth: true
                    text: qsTr("Event %1").arg(root.details.sequence)
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textPrimary
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                }

                AuditOutcomeBadge {
                    visible: root.details.hasEvent
                    outcome: root.details.outcome
                }
            }

            // The verdict first; the proof itself follows the fields.
            RowLayout {
                Layout.fillWidth: true
                visible: root.details.hasEvent
                spacing: Theme.spacingS

                UcStatusIcon {
                    Layout.alignment: Qt.AlignTop
                    kind: root.proofTone()
                    color: root.proofColor()
                }

                Text {
                    objectName: "auditProofStatus"
                    Layout.fillWidth: true
                    text: root.proofText()
                    horizontalAlignment: Text.AlignLeft
                    color: root.proofColor()
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                }
            }

            Text {
                Layout.fillWidth: true
                visible: root.details.error.length > 0
                text: qsTr("This event cannot be read: %1").arg(UcFormat.ltr(root.details.error))
                horizontalAlignment: Text.AlignLeft
                color: Theme.statusDown
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            ColumnLayout {
                Layout.fillWidth: true
                visible: root.details.hasEvent
                spacing: Theme.spacingXxs

                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Time (UTC)")
                    value: root.details.timeText
                    monospace: true
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Actor")
                    value: root.details.actor
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Impersonator")
                    value: root.details.impersonator
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Tenant")
                    value: UcFormat.tenantText(root.details.tenant)
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Action")
                    value: root.details.action
                    monospace: true
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Target")
                    value: root.details.target
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Outcome")
                    value: UcFormat.outcomeText(root.details.outcome)
                    valueColor: UcFormat.outcomeColor(root.details.outcome)
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Classification")
                    value: root.details.classification
                    monospace: true
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Source IP")
                    value: root.details.sourceIp
                    monospace: true
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Request ID")
                    value: root.details.requestId
                    monospace: true
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Event ID")
                    value: root.details.eventId
                    monospace: true
                }
            }

            AuditSectionTitle {
                Layout.fillWidth: true
                visible: root.details.hasEvent
                text: qsTr("Details")
            }

            Rectangle {
                Layout.fillWidth: true
                visible: root.details.hasEvent
                implicitHeight: detailsText.implicitHeight + 2 * Theme.spacingS
                radius: Theme.radiusSmall
                color: Theme.codeBackground
                border.color: Theme.border
                border.width: Theme.borderWidth

                TextEdit {
                    id: detailsText

                    objectName: "auditDetailsJson"
                    anchors.fill: parent
                    anchors.margins: Theme.spacingS
                    // JSON reads left to right in every language.
                    LayoutMirroring.enabled: false
                    text: root.details.detailsJson
                    horizontalAlignment: TextEdit.AlignLeft
                    color: Theme.textPrimary
                    readOnly: true
                    selectByMouse: true
                    selectionColor: Theme.accent
                    wrapMode: TextEdit.WrapAnywhere
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontMono
                }
            }

            AuditSectionTitle {
                Layout.fillWidth: true
                visible: root.details.hasEvent
                text: qsTr("Inclusion proof")
            }

            Text {
                Layout.fillWidth: true
                visible: root.details.hasEvent && root.details.proofMessage.length > 0
                text: root.details.proofMessage
                horizontalAlignment: Text.AlignLeft
                color: Theme.textSecondary
                wrapMode: Text.WrapAnywhere
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontMono
            }

            ColumnLayout {
                Layout.fillWidth: true
                visible: root.details.hasEvent
                spacing: Theme.spacingXxs

                AuditFieldRow {
                    Layout.fillWidth: true
                    label: qsTr("Leaf index")
                    value: root.details.leafIndex >= 0 ? root.details.leafIndex.toFixed(0) : ""
                    monospace: true
                }
                AuditFieldRow {
                    objectName: "auditLeafHash"
                    Layout.fillWidth: true
                    label: qsTr("Leaf hash")
                    value: root.details.leafHash
                    monospace: true
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    visible: root.details.treeSize >= 0
                    label: qsTr("Tree size")
                    value: root.details.treeSize.toFixed(0)
                    monospace: true
                }
                AuditFieldRow {
                    Layout.fillWidth: true
                    visible: root.details.rootHash.length > 0
                    label: qsTr("Root hash")
                    value: root.details.rootHash
                    monospace: true
                }
            }

            Text {
                Layout.fillWidth: true
                visible: root.details.proofHashes.length > 0
                text: qsTr("Audit path, deepest first (%Ln hash(es))", "",
                           root.details.proofHashes.length)
                horizontalAlignment: Text.AlignLeft
                color: Theme.textMuted
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            Repeater {
                objectName: "auditProofHashes"
                model: root.details.proofHashes

                delegate: RowLayout {
                    id: hashRow

                    required property string modelData
                    required property int index

                    Layout.fillWidth: true
                    spacing: Theme.spacingS

                    Text {
                        Layout.preferredWidth: Theme.auditProofIndexWidth
                        Layout.alignment: Qt.AlignTop
                        text: (hashRow.index + 1).toFixed(0)
                        color: Theme.textMuted
                        horizontalAlignment: Text.AlignRight
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontMono
                    }

                    TextEdit {
                        Layout.fillWidth: true
                        text: hashRow.modelData
                        horizontalAlignment: TextEdit.AlignLeft
                        color: Theme.textSecondary
                        readOnly: true
                        selectByMouse: true
                        selectionColor: Theme.accent
                        wrapMode: TextEdit.WrapAnywhere
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontMono
                    }
                }
            }
        }
    }
}
