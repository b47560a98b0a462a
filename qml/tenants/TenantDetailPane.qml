import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The current tenant: its name and state, the lifecycle actions its state allows (and
// "Impersonate user…" for trial and active tenants), and tabs for the overview, configuration,
// limits and feature flags, data (usage against limits, encryption keys) and history
// (impersonations, then lifecycle events).
Rectangle {
    id: root

    required property TenantDetails details
    required property TenantActions actions
    required property TenantImpersonation impersonation
    required property TenantIdentity identity

    readonly property var overview: root.details.overview
    readonly property bool canAct: root.actions.ready && !root.actions.busy && !root.details.loading
    // The lifecycle buttons: what the tenant's state allows, each with what it asks for.
    readonly property var allowedActions: root.actions.actionsFor(root.details.state)
    readonly property var configuration: root.details.configuration
    readonly property var lifecycleEntries: root.allowedActions.map(
        action => ({
            action: action,
            text: TenantWords.actionText(action) + Theme.ellipsis,
            primary: action === "activate" || action === "reactivate",
            enabled: root.canAct,
            trigger: () => root.actionRequested(action)
        }))
    // The configuration with the words to show for each value.
    readonly property var configurationRows: root.configuration.map(
        entry => Object.assign({ shown: root.configValueText(entry) }, entry))

    signal actionRequested(string action)
    signal editRequested
    signal impersonateRequested
    signal rotateKeyRequested

    function text(key: string): string {
        const value = root.overview[key]
        return value === undefined || value === null ? "" : String(value)
    }

    function date(key: string): string {
        const value = root.overview[key]
        return UcFormat.isKnownDate(value)
               ? value.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat) : ""
    }

    function configValueText(entry: var): string {
        if (entry.type === "boolean")
            return TenantWords.onOff(entry.value)
        if (entry.key === "allowedEmailDomains" && entry.valueText === "")
            return qsTr("Any domain")
        return entry.valueText
    }

    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.border
    border.width: Theme.borderWidth

    Text {
        objectName: "tenantDetailEmpty"
        anchors.centerIn: parent
        width: parent.width - 2 * Theme.pageMargin
        visible: !root.details.hasTenant
        text: root.details.error.length > 0
              ? qsTr("This tenant cannot be read: %1").arg(UcFormat.ltr(root.details.error))
              : root.details.loading || root.details.slug.length > 0
                ? qsTr("Loading the tenant%1").arg(Theme.ellipsis)
                : qsTr("Select a tenant to see its configuration, limits, usage and history.")
        color: root.details.error.length > 0 ? Theme.statusDown : Theme.textSecondary
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
    }

    ColumnLayout {
        objectName: "tenantDetail"
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        visible: root.details.hasTenant
        spacing: Theme.spacingM

        ColumnLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingXs

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacingS

                Text {
                    objectName: "tenantDetailTitle"
                    Layout.fillWidth: true
                    text: TenantStyle.leftToRightMark + root.text("name")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textPrimary
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontHeading
                    font.bold: true
                }

                TenantStateBadge {
                    objectName: "tenantDetailState"
                    tenantState: root.details.state
                }
            }

            Text {
                Layout.fillWidth: true
                text: qsTr("%1 · %2 · %3 plan").arg(UcFormat.ltr(root.text("slug")))
                                               .arg(TenantWords.kindText(root.text("kind")))
                                               .arg(root.text("planName"))
                horizontalAlignment: Text.AlignLeft
                color: Theme.textSecondary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        Flow {
            objectName: "tenantLifecycleActions"
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Repeater {
                model: root.lifecycleEntries

                // Delegates see only their entry (qmllint 6.4 cannot follow ids into them).
                delegate: UcButton {
                    required property var modelData

                    objectName: "tenantAction-" + modelData.action
                    text: modelData.text
                    primary: modelData.primary
                    enabled: modelData.enabled
                    onClicked: modelData.trigger()
                }
            }

            UcButton {
                objectName: "tenantImpersonate"
                visible: root.details.state === "trial" || root.details.state === "active"
                text: qsTr("Impersonate user%1").arg(Theme.ellipsis)
                enabled: root.canAct && root.impersonation.ready && !root.impersonation.active
                         && !root.impersonation.busy
                onClicked: root.impersonateRequested()
            }
        }

        TabBar {
            id: tabs

            objectName: "tenantTabs"
            Layout.fillWidth: true
            spacing: Theme.spacingNone

            background: Rectangle {
                color: Theme.transparent

                Rectangle {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.bottom: parent.bottom
                    height: Theme.borderWidth
                    color: Theme.divider
                }

                // Reading the tenant: a bar slides along the tabs' rule.
                UcProgressBar {
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.bottom: parent.bottom
                    visible: root.details.loading
                    indeterminate: true
                }
            }

            UcTabButton {
                objectName: "tenantTab-overview"
                leftPadding: Theme.spacingXs
                rightPadding: Theme.spacingXs
                text: qsTr("Overview")
            }
            UcTabButton {
                objectName: "tenantTab-configuration"
                leftPadding: Theme.spacingXs
                rightPadding: Theme.spacingXs
                text: qsTr("Configuration")
            }
            UcTabButton {
                objectName: "tenantTab-limits"
                leftPadding: Theme.spacingXs
                rightPadding: Theme.spacingXs
                text: qsTr("Limits & features")
            }
            UcTabButton {
                objectName: "tenantTab-data"
                leftPadding: Theme.spacingXs
                rightPadding: Theme.spacingXs
                text: qsTr("Data")
            }
            UcTabButton {
                objectName: "tenantTab-identity"
                leftPadding: Theme.spacingXs
                rightPadding: Theme.spacingXs
                text: qsTr("Identity")
            }
            UcTabButton {
                objectName: "tenantTab-history"
                leftPadding: Theme.spacingXs
                rightPadding: Theme.spacingXs
                text: qsTr("History")
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabs.currentIndex

            // Overview
            Flickable {
                id: overviewFlick

                clip: true
                contentWidth: width
                contentHeight: overviewColumn.implicitHeight
                boundsBehavior: Flickable.StopAtBounds

                ScrollBar.vertical: ScrollBar {}

                ColumnLayout {
                    id: overviewColumn

                    width: overviewFlick.width - Theme.spacingS
                    spacing: Theme.spacingXxs

                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Name")
                        value: root.text("name")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Slug")
                        value: root.text("slug")
                        monospace: true
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Kind")
                        value: TenantWords.kindText(root.text("kind"))
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        visible: root.text("parent").length > 0
                        label: qsTr("Parent")
                        value: root.text("parent")
                        monospace: true
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Plan")
                        value: root.text("planName")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        visible: root.details.state === "trial"
                        label: qsTr("Trial ends")
                        value: root.date("trialEndsAt")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Owner")
                        value: root.text("ownerName")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Owner email")
                        value: root.text("ownerEmail")
                    }

                    UcSectionTitle {
                        Layout.fillWidth: true
                        Layout.topMargin: Theme.spacingM
                        text: qsTr("Placement")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Home region")
                        value: root.text("homeRegion")
                        monospace: true
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Allowed regions")
                        value: (root.overview.allowedRegions || []).join(", ")
                        monospace: true
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Isolation")
                        value: TenantWords.isolationText(root.text("isolation"))
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Data location")
                        value: root.text("placement")
                        monospace: true
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Provisioning")
                        value: TenantWords.provisioningText(root.text("provisioning"))
                        valueColor: root.text("provisioning") === "failed" ? Theme.statusDown
                                                                           : Theme.textPrimary
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        visible: root.text("provisioningError").length > 0
                        label: qsTr("Provisioning error")
                        value: root.text("provisioningError")
                        valueColor: Theme.statusDown
                    }

                    UcSectionTitle {
                        Layout.fillWidth: true
                        Layout.topMargin: Theme.spacingM
                        text: qsTr("Record")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Created")
                        value: root.date("createdAt")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Last changed")
                        value: root.date("updatedAt")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        visible: root.date("suspendedAt").length > 0
                        label: qsTr("Suspended since")
                        value: root.date("suspendedAt")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        visible: root.date("canceledAt").length > 0
                        label: qsTr("Canceled on")
                        value: root.date("canceledAt")
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        visible: root.date("purgeAfter").length > 0
                        label: qsTr("Deleted for good after")
                        value: root.date("purgeAfter")
                        valueColor: Theme.statusWarn
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Version")
                        value: root.details.version >= 0 ? UcFormat.integer(root.details.version) : ""
                        monospace: true
                    }
                    UcFieldRow {
                        Layout.fillWidth: true
                        labelWidth: TenantStyle.detailLabelWidth
                        label: qsTr("Tenant ID")
                        value: root.text("id")
                        monospace: true
                    }
                }
            }

            // Configuration
            Flickable {
                id: configFlick

                clip: true
                contentWidth: width
                contentHeight: configColumn.implicitHeight
                boundsBehavior: Flickable.StopAtBounds

                ScrollBar.vertical: ScrollBar {}

                ColumnLayout {
                    id: configColumn

                    width: configFlick.width - Theme.spacingS
                    spacing: Theme.spacingXs

                    Text {
                        Layout.fillWidth: true
                        text: qsTr("Settings the tenant does not set use the platform default.")
                        horizontalAlignment: Text.AlignLeft
                        color: Theme.textMuted
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }

                    Repeater {
                        objectName: "tenantConfiguration"
                        model: root.configurationRows

                        delegate: RowLayout {
                            id: configRow

                            required property var modelData

                            Layout.fillWidth: true
                            spacing: Theme.spacingS

                            Text {
                                Layout.preferredWidth: TenantStyle.detailLabelWidth
                                text: TenantWords.configLabel(configRow.modelData.key)
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textMuted
                                wrapMode: Text.Wrap
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }

                            Rectangle {
                                visible: configRow.modelData.key === "brandColor"
                                Layout.preferredWidth: Theme.statusDotSize + Theme.spacingXs
                                Layout.preferredHeight: Theme.statusDotSize + Theme.spacingXs
                                radius: Theme.radiusSmall
                                color: configRow.modelData.key === "brandColor"
                                       ? configRow.modelData.valueText : Theme.transparent
                                border.color: Theme.border
                                border.width: Theme.borderWidth
                            }

                            Text {
                                Layout.fillWidth: true
                                text: configRow.modelData.shown
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textPrimary
                                wrapMode: Text.Wrap
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }

                            Text {
                                text: configRow.modelData.overridden ? qsTr("custom") : qsTr("default")
                                color: configRow.modelData.overridden ? Theme.accent : Theme.textMuted
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontCaption
                            }
                        }
                    }

                    UcButton {
                        objectName: "tenantEditSettings"
                        Layout.topMargin: Theme.spacingS
                        text: qsTr("Edit settings%1").arg(Theme.ellipsis)
                        enabled: root.canAct && root.details.state !== "deleted"
                        onClicked: root.editRequested()
                    }
                }
            }

            // Limits and feature flags
            Flickable {
                id: limitsFlick

                clip: true
                contentWidth: width
                contentHeight: limitsColumn.implicitHeight
                boundsBehavior: Flickable.StopAtBounds

                ScrollBar.vertical: ScrollBar {}

                ColumnLayout {
                    id: limitsColumn

                    width: limitsFlick.width - Theme.spacingS
                    spacing: Theme.spacingXs

                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.spacingS

                        Text {
                            Layout.fillWidth: true
                            text: qsTr("Limit")
                            horizontalAlignment: Text.AlignLeft
                            color: Theme.textSecondary
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            font.bold: true
                        }
                        Text {
                            Layout.preferredWidth: TenantStyle.detailValueWidth
                            text: qsTr("Plan")
                            horizontalAlignment: Text.AlignLeft
                            color: Theme.textSecondary
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            font.bold: true
                        }
                        Text {
                            Layout.preferredWidth: TenantStyle.detailValueWidth
                            text: qsTr("Effective")
                            horizontalAlignment: Text.AlignLeft
                            color: Theme.textSecondary
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                            font.bold: true
                        }
                    }

                    Rectangle {
                        Layout.fillWidth: true
                        Layout.preferredHeight: Theme.borderWidth
                        color: Theme.divider
                    }

                    Repeater {
                        objectName: "tenantLimits"
                        model: root.details.limits

                        delegate: RowLayout {
                            id: limitRow

                            required property var modelData

                            Layout.fillWidth: true
                            spacing: Theme.spacingS

                            Text {
                                Layout.fillWidth: true
                                text: TenantWords.limitLabel(limitRow.modelData.key)
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textMuted
                                elide: Text.ElideRight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }
                            Text {
                                Layout.preferredWidth: TenantStyle.detailValueWidth
                                text: limitRow.modelData.planText
                                horizontalAlignment: Text.AlignLeft
                                color: limitRow.modelData.overridden ? Theme.textMuted : Theme.textSecondary
                                font.strikeout: limitRow.modelData.overridden
                                elide: Text.ElideRight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }
                            Text {
                                Layout.preferredWidth: TenantStyle.detailValueWidth
                                text: limitRow.modelData.overridden
                                      ? qsTr("%1 (custom)").arg(limitRow.modelData.effectiveText)
                                      : limitRow.modelData.effectiveText
                                horizontalAlignment: Text.AlignLeft
                                color: limitRow.modelData.overridden ? Theme.accent : Theme.textPrimary
                                elide: Text.ElideRight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                font.bold: true
                            }
                        }
                    }

                    UcSectionTitle {
                        Layout.fillWidth: true
                        Layout.topMargin: Theme.spacingL
                        text: qsTr("Feature flags")
                    }

                    Repeater {
                        objectName: "tenantFeatures"
                        model: root.details.features

                        delegate: RowLayout {
                            id: featureRow

                            required property var modelData

                            Layout.fillWidth: true
                            spacing: Theme.spacingS

                            Rectangle {
                                Layout.preferredWidth: Theme.statusDotSize
                                Layout.preferredHeight: Theme.statusDotSize
                                radius: width / 2
                                color: featureRow.modelData.effective ? Theme.statusUp : Theme.statusUnknown
                            }

                            Text {
                                Layout.fillWidth: true
                                text: TenantWords.featureLabel(featureRow.modelData.key)
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textPrimary
                                elide: Text.ElideRight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }

                            Text {
                                Layout.preferredWidth: TenantStyle.detailValueWidth
                                text: featureRow.modelData.overridden
                                      ? qsTr("%1 (plan: %2)").arg(TenantWords.onOff(featureRow.modelData.effective))
                                                             .arg(TenantWords.onOff(featureRow.modelData.planValue))
                                      : TenantWords.onOff(featureRow.modelData.effective)
                                horizontalAlignment: Text.AlignLeft
                                color: featureRow.modelData.overridden ? Theme.accent
                                       : featureRow.modelData.effective ? Theme.textPrimary : Theme.textMuted
                                elide: Text.ElideRight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }
                        }
                    }

                    UcButton {
                        objectName: "tenantEditLimits"
                        Layout.topMargin: Theme.spacingS
                        text: qsTr("Edit settings%1").arg(Theme.ellipsis)
                        enabled: root.canAct && root.details.state !== "deleted"
                        onClicked: root.editRequested()
                    }
                }
            }

            // Data: usage against limits, encryption keys
            Flickable {
                id: dataFlick

                objectName: "tenantDataPane"
                clip: true
                contentWidth: width
                contentHeight: dataColumn.implicitHeight
                boundsBehavior: Flickable.StopAtBounds

                ScrollBar.vertical: ScrollBar {}

                ColumnLayout {
                    id: dataColumn

                    width: dataFlick.width - Theme.spacingS
                    spacing: Theme.spacingL

                    TenantUsageSection {
                        objectName: "tenantUsageSection"
                        Layout.fillWidth: true
                        details: root.details
                    }

                    TenantEncryptionSection {
                        objectName: "tenantEncryptionSection"
                        Layout.fillWidth: true
                        details: root.details
                        actions: root.actions
                        onRotateRequested: root.rotateKeyRequested()
                    }
                }
            }

            // Identity: SSO connections, SCIM, MFA policy, role-mapping preview
            Flickable {
                id: identityFlick

                objectName: "tenantIdentityPane"
                clip: true
                contentWidth: width
                contentHeight: identitySection.implicitHeight
                boundsBehavior: Flickable.StopAtBounds

                ScrollBar.vertical: ScrollBar {}

                TenantIdentitySection {
                    id: identitySection

                    objectName: "tenantIdentitySection"
                    width: identityFlick.width - Theme.spacingS
                    identity: root.identity
                }
            }

            // History: impersonations, then the tenant's audit events
            Flickable {
                id: historyFlick

                objectName: "tenantHistoryPane"
                clip: true
                contentWidth: width
                contentHeight: historyColumn.implicitHeight
                boundsBehavior: Flickable.StopAtBounds

                ScrollBar.vertical: ScrollBar {}

                ColumnLayout {
                    id: historyColumn

                    width: historyFlick.width - Theme.spacingS
                    spacing: TenantStyle.historyRowSpacing

                    TenantImpersonationHistory {
                        objectName: "tenantImpersonationHistory"
                        Layout.fillWidth: true
                        Layout.bottomMargin: Theme.spacingM
                        details: root.details
                    }

                    UcSectionTitle {
                        Layout.fillWidth: true
                        text: qsTr("Changes")
                    }

                    Text {
                        Layout.fillWidth: true
                        visible: root.details.history.length === 0
                        text: root.details.historyError.length > 0
                              ? qsTr("The history cannot be read: %1").arg(UcFormat.ltr(root.details.historyError))
                              : qsTr("No recorded changes.")
                        horizontalAlignment: Text.AlignLeft
                        color: root.details.historyError.length > 0 ? Theme.statusWarn : Theme.textMuted
                        wrapMode: Text.Wrap
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }

                    Repeater {
                        objectName: "tenantHistory"
                        model: root.details.history

                        delegate: ColumnLayout {
                            id: event

                            required property var modelData

                            Layout.fillWidth: true
                            spacing: Theme.spacingXxs

                            RowLayout {
                                Layout.fillWidth: true
                                spacing: Theme.spacingS

                                Text {
                                    Layout.fillWidth: true
                                    text: UcFormat.ltr(event.modelData.action)
                                    horizontalAlignment: Text.AlignLeft
                                    color: Theme.textPrimary
                                    elide: Text.ElideRight
                                    font.family: Theme.monoFamily
                                    font.pixelSize: Theme.fontMono
                                    font.bold: true
                                }

                                AuditOutcomeBadge {
                                    outcome: event.modelData.outcome
                                }
                            }

                            Text {
                                Layout.fillWidth: true
                                text: event.modelData.impersonator.length > 0
                                      ? qsTr("%1 by %2 acting as %3")
                                            .arg(UcFormat.isKnownDate(event.modelData.time)
                                                 ? event.modelData.time.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat)
                                                 : Theme.unknownValue)
                                            .arg(UcFormat.ltr(event.modelData.impersonator))
                                            .arg(UcFormat.ltr(event.modelData.actor))
                                      : qsTr("%1 by %2").arg(UcFormat.isKnownDate(event.modelData.time)
                                                             ? event.modelData.time.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat)
                                                             : Theme.unknownValue)
                                                        .arg(UcFormat.ltr(event.modelData.actor))
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textSecondary
                                wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }

                            Text {
                                Layout.fillWidth: true
                                visible: event.modelData.summary.length > 0
                                text: UcFormat.ltr(event.modelData.summary)
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textMuted
                                wrapMode: Text.Wrap
                                maximumLineCount: Theme.auditMessageMaximumLines
                                elide: Text.ElideRight
                                font.family: Theme.monoFamily
                                font.pixelSize: Theme.fontMono
                            }

                            Rectangle {
                                Layout.fillWidth: true
                                Layout.topMargin: Theme.spacingXs
                                Layout.preferredHeight: Theme.borderWidth
                                color: Theme.divider
                            }
                        }
                    }
                }
            }
        }
    }
}
