import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// What is known about the integrity of the events on the page: verifying, verified (what was
// proven and by which key), failed (the verifier's message, verbatim), or unreadable (the
// source's message: a bundle directory that is missing, a database that does not answer).
Rectangle {
    id: root

    required property AuditLogModel auditModel

    readonly property AuditVerificationStatus verification: root.auditModel.verification
    readonly property bool unreadable: root.auditModel.loadState === AuditLogModel.Failed
    readonly property bool verified: !root.unreadable
                                     && root.verification.state === AuditVerificationStatus.Verified
    readonly property bool failed: root.unreadable
                                   || root.verification.state === AuditVerificationStatus.Failed
    readonly property bool verifying: !root.unreadable
                                      && root.verification.state === AuditVerificationStatus.Verifying
    readonly property string tone: root.failed ? "fail" : root.verified ? "ok" : root.verifying ? "busy" : "warn"

    function toneColor(): color {
        if (root.failed)
            return Theme.statusDown
        if (root.verified)
            return Theme.statusUp
        return root.verifying ? Theme.statusBusy : Theme.statusWarn
    }

    function toneSoftColor(): color {
        if (root.failed)
            return Theme.statusDownSoft
        if (root.verified)
            return Theme.statusUpSoft
        return root.verifying ? Theme.statusBusySoft : Theme.statusWarnSoft
    }

    function title(): string {
        if (root.unreadable)
            return qsTr("Cannot read the audit events")
        if (root.failed)
            return qsTr("Verification failed: these events cannot be trusted")
        if (root.verifying)
            return qsTr("Verifying the bundle%1").arg(Theme.ellipsis)
        if (!root.verified)
            return qsTr("Not verified")
        if (root.verification.complete)
            return qsTr("Verified: %Ln event(s), the complete log", "",
                        root.verification.eventCount)
        return qsTr("Verified: %Ln event(s), a filtered export", "", root.verification.eventCount)
    }

    function joined(text: string, part: string): string {
        return text.length > 0 ? text + Theme.separator + part : part
    }

    // A filtered export's scope, as the manifest states it.
    function scopeText(): string {
        const v = root.verification
        let text = ""
        if (v.hasTenantScope)
            text = root.joined(text, v.scopeTenant.length > 0 ? qsTr("Tenant %1").arg(UcFormat.ltr(v.scopeTenant))
                                                              : qsTr("Platform events only"))
        if (v.scopeFromText.length > 0)
            text = root.joined(text, qsTr("from %1").arg(UcFormat.ltr(v.scopeFromText)))
        if (v.scopeToText.length > 0)
            text = root.joined(text, qsTr("until %1").arg(UcFormat.ltr(v.scopeToText)))
        return text
    }

    function rangeText(): string {
        const v = root.verification
        if (v.eventCount <= 0)
            return qsTr("No events")
        return qsTr("Sequence %1 to %2, %3 to %4 (UTC)")
            .arg(UcFormat.ltr(v.firstSequence.toFixed(0))).arg(UcFormat.ltr(v.lastSequence.toFixed(0)))
            .arg(UcFormat.ltr(v.firstTimeText)).arg(UcFormat.ltr(v.lastTimeText))
    }

    objectName: "auditBanner"
    implicitHeight: content.implicitHeight + 2 * Theme.spacingM
    radius: Theme.radius
    color: root.toneSoftColor()
    border.color: root.toneColor()
    border.width: Theme.borderWidth

    RowLayout {
        id: content

        anchors.fill: parent
        anchors.margins: Theme.spacingM
        spacing: Theme.spacingM

        UcStatusIcon {
            Layout.alignment: Qt.AlignTop
            kind: root.tone
            color: root.toneColor()
        }

        ColumnLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingXs

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingS

                Text {
                    objectName: "auditBannerTitle"
                    Layout.fillWidth: true
                    text: root.title()
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textPrimary
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                }

                Text {
                    visible: root.verified && root.scopeText().length > 0
                    text: root.scopeText()
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textSecondary
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
            }

            // Failed or unreadable: the message exactly as the verifier (or the loader) gave it.
            Text {
                objectName: "auditBannerMessage"
                Layout.fillWidth: true
                visible: root.failed
                text: root.unreadable ? root.auditModel.loadMessage : root.verification.message
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                wrapMode: Text.WrapAnywhere
                maximumLineCount: Theme.auditMessageMaximumLines
                elide: Text.ElideRight
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
            }

            Text {
                Layout.fillWidth: true
                visible: root.failed && !root.unreadable
                text: qsTr("The events below are shown as read from the bundle. Do not rely on them; ask the operator for an intact export.")
                horizontalAlignment: Text.AlignLeft
                color: Theme.textSecondary
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            Text {
                Layout.fillWidth: true
                visible: root.verifying
                text: qsTr("Checking signatures, tree-head consistency, inclusion and file hashes. The events below are not verified yet.")
                horizontalAlignment: Text.AlignLeft
                color: Theme.textSecondary
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            Text {
                Layout.fillWidth: true
                visible: root.verified
                text: root.rangeText()
                horizontalAlignment: Text.AlignLeft
                color: Theme.textSecondary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            RowLayout {
                Layout.fillWidth: true
                visible: root.verified
                spacing: Theme.spacingS

                Text {
                    text: qsTr("%Ln signed tree head(s), consistent; final size %1, root", "",
                               root.verification.treeHeadCount)
                              .arg(UcFormat.integer(root.verification.finalTreeSize))
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textSecondary
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                Text {
                    objectName: "auditBannerRoot"
                    Layout.fillWidth: true
                    text: root.verification.finalRoot
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textPrimary
                    elide: Text.ElideMiddle
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontMono
                }
            }

            RowLayout {
                Layout.fillWidth: true
                visible: root.verified
                spacing: Theme.spacingS

                Text {
                    text: qsTr("Signer key SHA-256")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textSecondary
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                Text {
                    objectName: "auditBannerFingerprint"
                    text: root.verification.keyFingerprint
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textPrimary
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontMono
                }

                Text {
                    Layout.fillWidth: true
                    text: root.verification.keyPinned
                          ? qsTr("matches the pinned fingerprint")
                          : qsTr("not pinned: compare it with the fingerprint the operator publishes")
                    horizontalAlignment: Text.AlignLeft
                    color: root.verification.keyPinned ? Theme.statusUp : Theme.statusWarn
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
            }

            // Lines the source could not read; they are not in the table.
            Text {
                Layout.fillWidth: true
                visible: !root.unreadable && root.auditModel.loadMessage.length > 0
                text: root.auditModel.loadMessage
                horizontalAlignment: Text.AlignLeft
                color: Theme.statusWarn
                wrapMode: Text.WrapAnywhere
                maximumLineCount: Theme.auditMessageMaximumLines
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            Text {
                Layout.fillWidth: true
                visible: root.auditModel.sourceName.length > 0
                text: qsTr("Source: %1").arg(UcFormat.ltr(root.auditModel.sourceName))
                horizontalAlignment: Text.AlignLeft
                color: Theme.textMuted
                elide: Text.ElideMiddle
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
            }
        }
    }
}
