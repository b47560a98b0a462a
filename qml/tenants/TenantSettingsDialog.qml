import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// Edits a tenant's own configuration, limit overrides and feature flags. An empty field (or
// "Default"/"Plan") leaves the value to the platform default or the plan. Saving replaces the
// tenant's overrides with the version the operator opened, so a change made meanwhile by someone
// else is refused, not overwritten; every error stands beside its field.
UcDialog {
    id: root

    required property TenantDetails details
    required property TenantActions actions

    property string slug
    property double version: -1
    // What the dialog opened with (a reload of the pane does not disturb an edit).
    property var configEntries: []
    property var limitEntries: []
    property var featureEntries: []
    // The operator's text by key.
    property var configDraft: ({})
    property var limitDraft: ({})
    property var featureDraft: ({})

    readonly property var errors: root.actions.fieldErrors
    // Delegates see only their entry (qmllint 6.4 cannot follow ids into them), so each entry
    // carries its text, its error and how to keep what the operator types. Entries are rebuilt
    // when errors arrive; the typed text lives in the drafts, so nothing is lost.
    readonly property var configRows: root.configEntries.map(entry => ({
        key: entry.key,
        boolean: entry.type === "boolean",
        text: root.configDraft[entry.key] === undefined ? "" : root.configDraft[entry.key],
        choices: [qsTr("Default (%1)").arg(root.defaultText(entry)), qsTr("On"), qsTr("Off")],
        choice: root.configDraft[entry.key] === "true" ? 1 : root.configDraft[entry.key] === "false" ? 2 : 0,
        placeholder: qsTr("Default: %1").arg(root.defaultText(entry)),
        error: root.errors["config." + entry.key] === undefined ? "" : root.errors["config." + entry.key],
        setText: text => root.configDraft[entry.key] = text,
        setChoice: index => root.configDraft[entry.key] = index === 1 ? "true" : index === 2 ? "false" : ""
    }))
    readonly property var limitRows: root.limitEntries.map(entry => ({
        key: entry.key,
        text: root.limitDraft[entry.key] === undefined ? "" : root.limitDraft[entry.key],
        placeholder: qsTr("Plan: %1").arg(entry.planText),
        error: root.errors["limits." + entry.key] === undefined ? "" : root.errors["limits." + entry.key],
        setText: text => root.limitDraft[entry.key] = text
    }))
    readonly property var featureRows: root.featureEntries.map(entry => ({
        key: entry.key,
        choices: [qsTr("Plan (%1)").arg(TenantWords.onOff(entry.planValue)), qsTr("On"), qsTr("Off")],
        choice: root.featureDraft[entry.key] === "on" ? 1 : root.featureDraft[entry.key] === "off" ? 2 : 0,
        error: root.errors["features." + entry.key] === undefined ? "" : root.errors["features." + entry.key],
        setChoice: index => root.featureDraft[entry.key] = index === 1 ? "on" : index === 2 ? "off" : ""
    }))

    function edit() {
        root.actions.clearErrors()
        root.slug = root.details.slug
        root.version = root.details.version
        root.configEntries = root.details.configuration
        root.limitEntries = root.details.limits
        root.featureEntries = root.details.features
        const config = {}
        for (const entry of root.configEntries)
            config[entry.key] = entry.overrideText
        const limits = {}
        for (const entry of root.limitEntries)
            limits[entry.key] = entry.overrideText
        const features = {}
        for (const entry of root.featureEntries)
            features[entry.key] = entry.overridden ? (entry.overrideValue ? "on" : "off") : ""
        root.configDraft = config
        root.limitDraft = limits
        root.featureDraft = features
        root.open()
    }

    function save() {
        root.actions.saveSettings(root.slug, root.version, root.configDraft, root.limitDraft,
                                  root.featureDraft)
    }

    function defaultText(entry: var): string {
        if (entry.type === "boolean")
            return TenantWords.onOff(entry.defaultText === "true")
        return entry.defaultText.length > 0 ? entry.defaultText : qsTr("none")
    }

    objectName: "tenantSettingsDialog"
    width: TenantStyle.editorWidth
    height: TenantStyle.editorHeight
    title: qsTr("Settings of %1").arg(UcFormat.ltr(root.slug))
    acceptText: qsTr("Save")
    busy: root.actions.busy
    onAcceptClicked: root.save()

    Connections {
        target: root.actions

        function onFinished(action: string, ok: bool) {
            if (action === "settings" && ok && root.opened)
                root.close()
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingS

        Text {
            objectName: "settingsError"
            Layout.fillWidth: true
            visible: root.actions.lastError.length > 0
            text: qsTr("Not saved: %1").arg(UcFormat.ltr(root.actions.lastError))
            horizontalAlignment: Text.AlignLeft
            color: Theme.statusDown
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        Flickable {
            id: flick

            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: width
            contentHeight: column.implicitHeight
            boundsBehavior: Flickable.StopAtBounds

            ScrollBar.vertical: ScrollBar {}

            ColumnLayout {
                id: column

                width: flick.width - Theme.spacingM
                spacing: Theme.spacingS

                UcSectionTitle {
                    Layout.fillWidth: true
                    text: qsTr("Configuration")
                }

                Repeater {
                    model: root.configRows

                    delegate: ColumnLayout {
                        id: configField

                        required property var modelData

                        Layout.fillWidth: true
                        spacing: Theme.spacingXxs

                        RowLayout {
                            Layout.fillWidth: true
                            spacing: Theme.spacingS

                            Text {
                                Layout.preferredWidth: TenantStyle.detailLabelWidth
                                text: TenantWords.configLabel(configField.modelData.key)
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textSecondary
                                wrapMode: Text.Wrap
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }

                            UcComboBox {
                                objectName: "setting-" + configField.modelData.key
                                Layout.fillWidth: true
                                visible: configField.modelData.boolean
                                model: configField.modelData.choices
                                currentIndex: configField.modelData.choice
                                onActivated: index => configField.modelData.setChoice(index)
                            }

                            UcTextField {
                                objectName: "setting-" + configField.modelData.key
                                Layout.fillWidth: true
                                visible: !configField.modelData.boolean
                                placeholderText: configField.modelData.placeholder
                                invalid: configField.modelData.error.length > 0
                                text: configField.modelData.text
                                onTextEdited: configField.modelData.setText(text)
                            }
                        }

                        TenantFieldError {
                            Layout.fillWidth: true
                            Layout.leftMargin: TenantStyle.detailLabelWidth + Theme.spacingS
                            errors: ({ message: configField.modelData.error })
                            field: "message"
                        }
                    }
                }

                UcSectionTitle {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacingM
                    text: qsTr("Limits (empty: the plan's)")
                }

                Repeater {
                    model: root.limitRows

                    delegate: ColumnLayout {
                        id: limitField

                        required property var modelData

                        Layout.fillWidth: true
                        spacing: Theme.spacingXxs

                        RowLayout {
                            Layout.fillWidth: true
                            spacing: Theme.spacingS

                            Text {
                                Layout.preferredWidth: TenantStyle.detailLabelWidth
                                text: TenantWords.limitLabel(limitField.modelData.key)
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textSecondary
                                wrapMode: Text.Wrap
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }

                            UcTextField {
                                objectName: "limit-" + limitField.modelData.key
                                Layout.fillWidth: true
                                placeholderText: limitField.modelData.placeholder
                                invalid: limitField.modelData.error.length > 0
                                text: limitField.modelData.text
                                onTextEdited: limitField.modelData.setText(text)
                            }
                        }

                        TenantFieldError {
                            Layout.fillWidth: true
                            Layout.leftMargin: TenantStyle.detailLabelWidth + Theme.spacingS
                            errors: ({ message: limitField.modelData.error })
                            field: "message"
                        }
                    }
                }

                UcSectionTitle {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacingM
                    text: qsTr("Feature flags")
                }

                Repeater {
                    model: root.featureRows

                    delegate: ColumnLayout {
                        id: featureField

                        required property var modelData

                        Layout.fillWidth: true
                        spacing: Theme.spacingXxs

                        RowLayout {
                            Layout.fillWidth: true
                            spacing: Theme.spacingS

                            Text {
                                Layout.preferredWidth: TenantStyle.detailLabelWidth
                                text: TenantWords.featureLabel(featureField.modelData.key)
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textSecondary
                                wrapMode: Text.Wrap
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }

                            UcComboBox {
                                objectName: "feature-" + featureField.modelData.key
                                Layout.fillWidth: true
                                model: featureField.modelData.choices
                                currentIndex: featureField.modelData.choice
                                onActivated: index => featureField.modelData.setChoice(index)
                            }
                        }

                        TenantFieldError {
                            Layout.fillWidth: true
                            Layout.leftMargin: TenantStyle.detailLabelWidth + Theme.spacingS
                            errors: ({ message: featureField.modelData.error })
                            field: "message"
                        }
                    }
                }
            }
        }
    }
}
