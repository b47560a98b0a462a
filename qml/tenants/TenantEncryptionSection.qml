import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// A tenant's data keys (TenantKeyRotation::status, never key material): the current version,
// how many values are encrypted and how many still wait for re-encryption, when the next
// rotation is due, every version with its key-encryption key, and "Rotate data key…" (the page
// confirms it); a failed rotation says why right here.
ColumnLayout {
    id: root

    required property TenantDetails details
    required property TenantActions actions

    readonly property bool hasKeys: root.details.currentKeyVersion > 0
    readonly property string rotateError: root.actions.lastAction === "rotate-key" ? root.actions.lastError : ""

    signal rotateRequested

    function date(value: var): string {
        return UcFormat.isKnownDate(value) ? value.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat) : ""
    }

    spacing: Theme.spacingS

    UcSectionTitle {
        Layout.fillWidth: true
        text: qsTr("Encryption")
    }

    Text {
        Layout.fillWidth: true
        visible: root.details.encryptionError.length > 0
        text: qsTr("The data keys cannot be read: %1").arg(UcFormat.ltr(root.details.encryptionError))
        horizontalAlignment: Text.AlignLeft
        color: Theme.statusWarn
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    Text {
        Layout.fillWidth: true
        visible: root.details.encryptionError.length === 0 && !root.hasKeys
        text: root.details.state === "deleted"
              ? qsTr("The tenant's data keys were destroyed when it was deleted.")
              : qsTr("The tenant has no data key yet.")
        horizontalAlignment: Text.AlignLeft
        color: Theme.textMuted
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    ColumnLayout {
        Layout.fillWidth: true
        visible: root.hasKeys
        spacing: Theme.spacingXxs

        UcFieldRow {
            objectName: "tenantKeyCurrent"
            Layout.fillWidth: true
            labelWidth: TenantStyle.encryptionLabelWidth
            label: qsTr("Current data key")
            value: qsTr("Version %1, created %2").arg(UcFormat.integer(root.details.currentKeyVersion))
                                                 .arg(root.date(root.details.currentKeyCreatedAt))
        }
        UcFieldRow {
            objectName: "tenantKeyValues"
            Layout.fillWidth: true
            labelWidth: TenantStyle.encryptionLabelWidth
            label: qsTr("Encrypted values")
            value: UcFormat.integer(root.details.encryptedValues)
        }
        UcFieldRow {
            objectName: "tenantKeyPending"
            Layout.fillWidth: true
            labelWidth: TenantStyle.encryptionLabelWidth
            label: qsTr("Awaiting re-encryption")
            value: UcFormat.integer(root.details.pendingReencryption)
            valueColor: root.details.pendingReencryption > 0 ? Theme.statusWarn : Theme.textPrimary
        }
        UcFieldRow {
            objectName: "tenantKeyDue"
            Layout.fillWidth: true
            labelWidth: TenantStyle.encryptionLabelWidth
            label: qsTr("Next rotation due")
            value: UcFormat.isKnownDate(root.details.nextRotationDue)
                   ? root.details.nextRotationDue.toLocaleString(Qt.locale(), TenantStyle.dateFormat)
                   : qsTr("No rotation policy")
        }
    }

    // The versions, newest first.
    ColumnLayout {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacingXs
        visible: root.hasKeys
        spacing: Theme.spacingXs

        Repeater {
            objectName: "tenantKeyVersions"
            model: root.details.keyVersions

            delegate: RowLayout {
                id: keyRow

                required property var modelData

                Layout.fillWidth: true
                spacing: Theme.spacingS

                Rectangle {
                    Layout.preferredWidth: TenantStyle.keyVersionWidth
                    Layout.preferredHeight: Theme.badgeHeight
                    Layout.alignment: Qt.AlignTop
                    radius: Theme.radiusSmall
                    color: keyRow.modelData.current ? Theme.accentSoft : Theme.surfaceRaised
                    border.color: keyRow.modelData.current ? Theme.accent : Theme.border
                    border.width: Theme.borderWidth

                    Text {
                        anchors.centerIn: parent
                        text: qsTr("v%1").arg(UcFormat.integer(keyRow.modelData.version))
                        color: Theme.textPrimary
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontMono
                        font.bold: true
                    }
                }

                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacingNone

                    Text {
                        Layout.fillWidth: true
                        text: keyRow.modelData.current
                              ? qsTr("Current · created %1").arg(UcFormat.isKnownDate(keyRow.modelData.createdAt)
                                    ? keyRow.modelData.createdAt.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat)
                                    : Theme.unknownValue)
                              : qsTr("Created %1").arg(UcFormat.isKnownDate(keyRow.modelData.createdAt)
                                    ? keyRow.modelData.createdAt.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat)
                                    : Theme.unknownValue)
                        horizontalAlignment: Text.AlignLeft
                        color: keyRow.modelData.current ? Theme.textPrimary : Theme.textSecondary
                        elide: Text.ElideRight
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        font.bold: keyRow.modelData.current
                    }

                    Text {
                        Layout.fillWidth: true
                        text: UcFormat.isKnownDate(keyRow.modelData.rewrappedAt)
                              ? qsTr("Key-encryption key version %1, re-wrapped %2")
                                    .arg(UcFormat.integer(keyRow.modelData.kekVersion))
                                    .arg(keyRow.modelData.rewrappedAt.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat))
                              : qsTr("Key-encryption key version %1, never re-wrapped")
                                    .arg(UcFormat.integer(keyRow.modelData.kekVersion))
                        horizontalAlignment: Text.AlignLeft
                        color: Theme.textMuted
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontCaption
                    }

                    // The key-encryption key's id: technical, copied in tickets, never cut off.
                    TextEdit {
                        Layout.fillWidth: true
                        text: keyRow.modelData.kekId
                        horizontalAlignment: TextEdit.AlignLeft
                        color: Theme.textMuted
                        readOnly: true
                        selectByMouse: true
                        selectionColor: Theme.accent
                        wrapMode: TextEdit.WrapAnywhere
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontMono
                    }
                }

                Text {
                    Layout.alignment: Qt.AlignTop
                    text: qsTr("%Ln value(s)", "", keyRow.modelData.values)
                    color: keyRow.modelData.values > 0 ? Theme.textPrimary : Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
    }

    RowLayout {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacingXs
        spacing: Theme.spacingS

        UcButton {
            objectName: "tenantRotateKey"
            text: qsTr("Rotate data key%1").arg(Theme.ellipsis)
            enabled: root.actions.ready && !root.actions.busy && !root.details.loading
                     && root.hasKeys && root.actions.allows(root.details.state, "rotate-key")
            onClicked: root.rotateRequested()
        }

        UcProgressBar {
            Layout.fillWidth: true
            visible: root.actions.busy
            indeterminate: true
        }

        Item {
            Layout.fillWidth: true
            visible: !root.actions.busy
        }
    }

    Text {
        objectName: "tenantRotateError"
        Layout.fillWidth: true
        visible: root.rotateError.length > 0
        text: qsTr("The data key was not rotated: %1").arg(UcFormat.ltr(root.rotateError))
        horizontalAlignment: Text.AlignLeft
        color: Theme.statusDown
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }
}
