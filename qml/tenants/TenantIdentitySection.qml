import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// A tenant's enterprise identity (TenantIdentity): its SSO connections (enable, disable, the
// SP-initiated test-login link, a new one from pasted IdP metadata with a preset), its SCIM
// token (when issued; rotating shows the new one once), its MFA policy with how many sessions
// are active, and the role-mapping preview of rules not saved yet. Errors say why right here.
ColumnLayout {
    id: root

    required property TenantIdentity identity

    readonly property bool canAct: root.identity.ready && !root.identity.busy
    readonly property var tenantRoles: ["admin", "coach", "coachee"]
    // What the delegates need, closures included (a delegate cannot reach `root`).
    readonly property var connectionList: root.identity.connections
    readonly property var requiredRoles: root.identity.mfaRequiredRoles
    readonly property var connectionEntries: root.connectionList.map(
        connection => Object.assign({
            canToggle: root.canAct,
            toggle: () => root.identity.setConnectionEnabled(connection.id, !connection.enabled),
            remove: () => root.identity.deleteConnection(connection.id)
        }, connection))
    readonly property var roleEntries: root.tenantRoles.map(
        role => ({ role: role, required: root.requiredRoles.indexOf(role) >= 0 }))
    readonly property var previewResult: root.identity.preview

    function date(value: var): string {
        return UcFormat.isKnownDate(value) ? value.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat) : ""
    }

    spacing: Theme.spacingS

    Text {
        objectName: "identityError"
        Layout.fillWidth: true
        visible: root.identity.error.length > 0
        text: UcFormat.ltr(root.identity.error)
        color: Theme.statusWarn
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    // ---- Connections ----
    UcSectionTitle {
        Layout.fillWidth: true
        text: qsTr("Single sign-on connections")
    }

    Text {
        Layout.fillWidth: true
        visible: root.connectionList.length === 0
        text: qsTr("No SSO connection yet: add one from the identity provider's metadata below.")
        color: Theme.textMuted
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    Repeater {
        model: root.connectionEntries

        delegate: Rectangle {
            id: connectionCard

            required property var modelData
            // Delete asks twice: the first click arms it, the second deletes.
            property bool confirmingDelete: false

            objectName: "identityConnection-" + connectionCard.modelData.name
            Layout.fillWidth: true
            implicitHeight: connectionColumn.implicitHeight + 2 * Theme.spacingS
            radius: Theme.radius
            color: Theme.surfaceRaised
            border.color: Theme.divider
            border.width: Theme.borderWidth

            ColumnLayout {
                id: connectionColumn

                anchors.fill: parent
                anchors.margins: Theme.spacingS
                spacing: Theme.spacingXxs

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacingS

                    Text {
                        Layout.fillWidth: true
                        text: connectionCard.modelData.name
                        elide: Text.ElideRight
                        color: Theme.textPrimary
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                    }
                    Text {
                        text: (connectionCard.modelData.protocol === "saml" ? "SAML 2.0" : "OpenID Connect")
                              + " · " + connectionCard.modelData.preset
                        color: Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }
                    Text {
                        objectName: "identityConnectionState"
                        text: connectionCard.modelData.enabled ? qsTr("Enabled") : qsTr("Disabled")
                        color: connectionCard.modelData.enabled ? Theme.statusUp : Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                    }
                }
                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.encryptionLabelWidth
                    label: connectionCard.modelData.protocol === "saml" ? qsTr("IdP entity") : qsTr("Issuer")
                    value: connectionCard.modelData.protocol === "saml" ? connectionCard.modelData.idpEntityId
                                                                         : connectionCard.modelData.issuer
                    monospace: true
                }
                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.encryptionLabelWidth
                    label: qsTr("E-mail domains")
                    value: connectionCard.modelData.emailDomains.length > 0 ? connectionCard.modelData.emailDomains
                                                                            : qsTr("None (no home-realm discovery)")
                }
                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.encryptionLabelWidth
                    label: qsTr("Test login")
                    value: connectionCard.modelData.loginUrl
                    monospace: true
                }
                RowLayout {
                    Layout.fillWidth: true
                    Item { Layout.fillWidth: true }
                    UcButton {
                        objectName: "identityToggle-" + connectionCard.modelData.name
                        text: connectionCard.modelData.enabled ? qsTr("Disable") : qsTr("Enable")
                        enabled: connectionCard.modelData.canToggle
                        onClicked: connectionCard.modelData.toggle()
                    }
                    UcButton {
                        text: qsTr("Open test login")
                        enabled: connectionCard.modelData.enabled
                        onClicked: Qt.openUrlExternally(connectionCard.modelData.loginUrl)
                    }
                    UcButton {
                        objectName: "identityDelete-" + connectionCard.modelData.name
                        text: connectionCard.confirmingDelete ? qsTr("Confirm delete") : qsTr("Delete…")
                        primary: connectionCard.confirmingDelete
                        enabled: connectionCard.modelData.canToggle
                        onClicked: {
                            if (connectionCard.confirmingDelete)
                                connectionCard.modelData.remove()
                            connectionCard.confirmingDelete = !connectionCard.confirmingDelete
                        }
                    }
                    UcButton {
                        objectName: "identityDeleteCancel-" + connectionCard.modelData.name
                        visible: connectionCard.confirmingDelete
                        text: qsTr("Cancel")
                        onClicked: connectionCard.confirmingDelete = false
                    }
                }
            }
        }
    }

    // A new SAML connection from pasted metadata.
    GridLayout {
        Layout.fillWidth: true
        columns: 2
        columnSpacing: Theme.spacingS
        rowSpacing: Theme.spacingXxs

        TenantFormLabel { text: qsTr("Name") }
        UcTextField {
            id: newName

            objectName: "identityNewName"
            Layout.fillWidth: true
            placeholderText: qsTr("Okta production")
        }
        TenantFormLabel { text: qsTr("Identity provider") }
        UcComboBox {
            id: newPreset

            objectName: "identityNewPreset"
            Layout.fillWidth: true
            model: root.identity.presets
            textRole: "displayName"
            valueRole: "id"
        }
        TenantFormLabel { text: qsTr("E-mail domains") }
        UcTextField {
            id: newDomains

            Layout.fillWidth: true
            placeholderText: qsTr("example.com, example.org")
        }
        TenantFormLabel { text: qsTr("Default role") }
        UcComboBox {
            id: newRole

            Layout.fillWidth: true
            model: root.tenantRoles
            currentIndex: 2
        }
        TenantFormLabel {
            Layout.alignment: Qt.AlignTop
            text: qsTr("IdP metadata XML")
        }
        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: 84

            TextArea {
                id: newMetadata

                objectName: "identityNewMetadata"
                placeholderText: qsTr("Paste the <md:EntityDescriptor> your identity provider publishes")
                wrapMode: TextEdit.WrapAnywhere
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontSmall
                color: Theme.textPrimary
                background: Rectangle {
                    color: Theme.surface
                    border.color: Theme.divider
                    border.width: Theme.borderWidth
                    radius: Theme.radius
                }
            }
        }
    }
    RowLayout {
        Layout.fillWidth: true
        Item { Layout.fillWidth: true }
        UcButton {
            objectName: "identityAddConnection"
            primary: true
            text: qsTr("Add SAML connection")
            enabled: root.canAct && newName.text.length > 0 && newMetadata.text.length > 0
            onClicked: root.identity.addSamlConnection(newName.text, newPreset.currentValue,
                                                       newMetadata.text, newDomains.text,
                                                       newRole.currentText)
        }
    }

    // ---- SCIM ----
    UcSectionTitle {
        Layout.fillWidth: true
        text: qsTr("SCIM provisioning")
    }
    UcFieldRow {
        objectName: "identityScimIssued"
        Layout.fillWidth: true
        labelWidth: TenantStyle.encryptionLabelWidth
        label: qsTr("Token issued")
        value: UcFormat.isKnownDate(root.identity.scimTokenIssuedAt) ? root.date(root.identity.scimTokenIssuedAt)
                                                                      : qsTr("Never: SCIM is off")
    }
    UcFieldRow {
        objectName: "identityScimNewToken"
        Layout.fillWidth: true
        visible: root.identity.newScimToken.length > 0
        labelWidth: TenantStyle.encryptionLabelWidth
        label: qsTr("New token (shown once)")
        value: root.identity.newScimToken
        monospace: true
    }
    RowLayout {
        Layout.fillWidth: true
        Item { Layout.fillWidth: true }
        UcButton {
            objectName: "identityRotateScim"
            text: qsTr("Rotate SCIM token")
            enabled: root.canAct
            onClicked: root.identity.rotateScimToken()
        }
    }

    // ---- MFA ----
    UcSectionTitle {
        Layout.fillWidth: true
        text: qsTr("Multi-factor authentication")
    }
    UcCheckBox {
        id: mfaAll

        objectName: "identityMfaAll"
        text: qsTr("Required for every user")
        checked: root.identity.mfaRequiredForAll
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingS
        enabled: !mfaAll.checked

        Text {
            text: qsTr("Required for")
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        Repeater {
            id: mfaRoles

            model: root.roleEntries

            delegate: UcCheckBox {
                required property var modelData

                text: modelData.role
                checked: modelData.required
            }
        }
    }
    UcCheckBox {
        id: mfaIdp

        text: qsTr("An MFA the identity provider asserts counts")
        checked: root.identity.mfaAcceptIdp
    }
    RowLayout {
        Layout.fillWidth: true

        Text {
            Layout.fillWidth: true
            text: qsTr("%1 active sessions").arg(UcFormat.integer(root.identity.activeSessions))
            color: Theme.textMuted
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        UcButton {
            objectName: "identitySaveMfa"
            text: qsTr("Save MFA policy")
            enabled: root.canAct
            onClicked: {
                const roles = []
                for (let i = 0; i < mfaRoles.count; ++i)
                    if (mfaRoles.itemAt(i).checked)
                        roles.push(root.tenantRoles[i])
                root.identity.saveMfaPolicy(mfaAll.checked, roles, mfaIdp.checked)
            }
        }
    }

    // ---- Role mapping preview ----
    UcSectionTitle {
        Layout.fillWidth: true
        text: qsTr("Role mapping preview")
    }
    GridLayout {
        Layout.fillWidth: true
        columns: 2
        columnSpacing: Theme.spacingS
        rowSpacing: Theme.spacingXxs

        TenantFormLabel {
            Layout.alignment: Qt.AlignTop
            text: qsTr("Rules")
        }
        TextArea {
            id: previewRules

            objectName: "identityPreviewRules"
            Layout.fillWidth: true
            Layout.preferredHeight: 56
            text: "groups = Coaches -> coach\ngroups = Admins -> admin"
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.textPrimary
            background: Rectangle {
                color: Theme.surface
                border.color: Theme.divider
                border.width: Theme.borderWidth
                radius: Theme.radius
            }
        }
        TenantFormLabel {
            Layout.alignment: Qt.AlignTop
            text: qsTr("Sign-in attributes")
        }
        TextArea {
            id: previewAttributes

            objectName: "identityPreviewAttributes"
            Layout.fillWidth: true
            Layout.preferredHeight: 56
            text: "email = Ada@Example.com\ngroups = coaches"
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontSmall
            color: Theme.textPrimary
            background: Rectangle {
                color: Theme.surface
                border.color: Theme.divider
                border.width: Theme.borderWidth
                radius: Theme.radius
            }
        }
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingS

        Text {
            objectName: "identityPreviewResult"
            Layout.fillWidth: true
            visible: root.previewResult.role !== undefined
            text: root.previewResult.role === undefined ? ""
                  : qsTr("%1 signs in as %2 (%3)")
                        .arg(root.previewResult.email)
                        .arg(root.previewResult.role)
                        .arg(root.previewResult.matchedRule.length > 0
                             ? qsTr("rule %1").arg(root.previewResult.matchedRule)
                             : qsTr("no rule matched: the default role"))
            color: Theme.textPrimary
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
        UcButton {
            objectName: "identityPreview"
            text: qsTr("Preview")
            onClicked: root.identity.previewRole("coachee", previewRules.text, previewAttributes.text)
        }
    }
}
