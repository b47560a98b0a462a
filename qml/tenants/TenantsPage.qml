import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The Tenants page: the summary by state, strategy and region, filters and search, the tenant
// table (sortable, paged, multi-select for bulk suspend and activate) and the detail pane of the
// current tenant with its lifecycle actions; dialogs confirm actions, edit settings, create
// tenants, rotate data keys and start an impersonation. While the operator acts as a tenant user
// a warning bar runs across the page and the user's view takes the detail pane's place.
Item {
    id: root

    required property TenantWorkspace workspace

    readonly property TenantListModel tenantModel: root.workspace.tenants
    readonly property TenantDetails details: root.workspace.details
    readonly property TenantActions actions: root.workspace.actions
    readonly property TenantImpersonation impersonation: root.workspace.impersonation
    readonly property var overview: root.details.overview
    // While impersonating: the tenant's details instead of what the user sees.
    property bool showTenantDetails: false
    property string resultText
    property bool resultFailed: false

    function countText(): string {
        const model = root.tenantModel
        if (model.error.length > 0 && model.count === 0)
            return "" // the table says why
        if (!model.ready || (model.loading && model.count === 0))
            return qsTr("Loading tenants%1").arg(Theme.ellipsis)
        if (model.hasFilter)
            return qsTr("%1 of %Ln tenant(s) match", "", model.allCount).arg(UcFormat.integer(model.total))
        return qsTr("%Ln tenant(s)", "", model.total)
    }

    function doneText(action: string, count: int): string {
        switch (action) {
        case "activate":
            return qsTr("Activated %Ln tenant(s).", "", count)
        case "reactivate":
            return qsTr("Reactivated %Ln tenant(s).", "", count)
        case "suspend":
            return qsTr("Suspended %Ln tenant(s).", "", count)
        case "cancel":
            return qsTr("Canceled %Ln subscription(s).", "", count)
        case "rotate-key":
            return qsTr("Data key rotated.")
        default:
            return qsTr("Settings saved.")
        }
    }

    function bulk(action: string) {
        confirmDialog.ask(action, root.tenantModel.checkedTenants(), "")
    }

    Connections {
        target: root.actions

        function onFinished(action: string, ok: bool, changed: var, failed: int, skipped: int,
                            error: string) {
            let text = changed.length > 0 || ok ? root.doneText(action, changed.length) : ""
            if (skipped > 0)
                text += " " + qsTr("%Ln left alone: their state does not allow it.", "", skipped)
            if (failed > 0)
                text += " " + qsTr("%Ln not changed: %1", "", failed).arg(UcFormat.ltr(error))
            root.resultFailed = failed > 0
            root.resultText = text.trim()
            if (ok && action !== "settings")
                root.tenantModel.clearChecked()
        }
    }

    Connections {
        target: root.impersonation

        function onStarted(slug: string) {
            impersonationDialog.close()
            root.showTenantDetails = false
            root.resultFailed = false
            root.resultText = qsTr("Impersonation started.")
        }

        function onEnded(slug: string, how: string) {
            root.showTenantDetails = false
            root.resultFailed = false
            root.resultText = how === "expired" ? qsTr("The impersonation expired.")
                                                : qsTr("Impersonation ended.")
        }
    }

    Connections {
        target: root.workspace.wizard

        function onCreated(slug: string) {
            wizardDialog.close()
            root.resultFailed = false
            root.resultText = qsTr("Created tenant %1.").arg(UcFormat.ltr(slug))
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.pageMargin
        spacing: Theme.spacingM

        TenantImpersonationBar {
            objectName: "impersonationBar"
            Layout.fillWidth: true
            visible: root.impersonation.active
            impersonation: root.impersonation
            showingDetails: root.showTenantDetails
            onToggleRequested: root.showTenantDetails = !root.showTenantDetails
            onEndRequested: confirmDialog.ask("end-impersonation",
                                              [{ slug: root.impersonation.activeTenantSlug,
                                                 state: "", version: -1 }],
                                              root.impersonation.activeName)
        }

        TenantSummary {
            objectName: "tenantSummary"
            Layout.fillWidth: true
            tenantModel: root.tenantModel
        }

        TenantFilterBar {
            Layout.fillWidth: true
            tenantModel: root.tenantModel
            canCreate: root.workspace.wizard.ready
            onCreateRequested: wizardDialog.start()
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.controlHeight
            spacing: Theme.spacingM

            Text {
                objectName: "tenantCount"
                text: root.countText()
                color: Theme.textSecondary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            UcProgressBar {
                Layout.preferredWidth: TenantStyle.filterWidth
                visible: root.tenantModel.loading || root.tenantModel.fetching || root.actions.busy
                indeterminate: true
            }

            RowLayout {
                objectName: "tenantBulkActions"
                visible: root.tenantModel.checkedCount > 0
                spacing: Theme.spacingS

                Rectangle {
                    Layout.preferredWidth: Theme.borderWidth
                    Layout.preferredHeight: Theme.badgeHeight
                    color: Theme.border
                }

                Text {
                    text: qsTr("%Ln selected", "", root.tenantModel.checkedCount)
                    color: Theme.textPrimary
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                }

                UcButton {
                    objectName: "tenantBulkActivate"
                    text: qsTr("Activate%1").arg(Theme.ellipsis)
                    enabled: !root.actions.busy
                    onClicked: root.bulk("activate")
                }

                UcButton {
                    objectName: "tenantBulkSuspend"
                    text: qsTr("Suspend%1").arg(Theme.ellipsis)
                    enabled: !root.actions.busy
                    onClicked: root.bulk("suspend")
                }

                UcButton {
                    text: qsTr("Clear selection")
                    onClicked: root.tenantModel.clearChecked()
                }
            }

            Text {
                objectName: "tenantResult"
                Layout.fillWidth: true
                text: root.tenantModel.error.length > 0 && root.tenantModel.count > 0
                      ? qsTr("Could not refresh: %1").arg(UcFormat.ltr(root.tenantModel.error))
                      : root.resultText
                horizontalAlignment: Text.AlignRight
                color: root.resultFailed || root.tenantModel.error.length > 0 ? Theme.statusDown
                                                                              : Theme.statusUp
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacingL

            TenantTable {
                Layout.fillWidth: true
                Layout.fillHeight: true
                tenantModel: root.tenantModel
            }

            TenantDetailPane {
                Layout.fillHeight: true
                Layout.preferredWidth: TenantStyle.detailWidth
                Layout.minimumWidth: TenantStyle.detailMinimumWidth
                visible: !root.impersonation.active || root.showTenantDetails
                details: root.details
                actions: root.actions
                impersonation: root.impersonation
                identity: root.workspace.identity
                onActionRequested: action => confirmDialog.ask(
                                       action,
                                       [{ slug: root.details.slug, state: root.details.state,
                                          version: root.details.version }],
                                       root.details.overview.name)
                onEditRequested: settingsDialog.edit()
                onImpersonateRequested: impersonationDialog.begin(root.details.slug,
                                                                  root.overview.name)
                onRotateKeyRequested: confirmDialog.ask(
                                          "rotate-key",
                                          [{ slug: root.details.slug, state: root.details.state,
                                             version: root.details.version }],
                                          root.overview.name)
            }

            TenantImpersonationPanel {
                Layout.fillHeight: true
                Layout.preferredWidth: TenantStyle.detailWidth
                Layout.minimumWidth: TenantStyle.detailMinimumWidth
                visible: root.impersonation.active && !root.showTenantDetails
                impersonation: root.impersonation
            }
        }
    }

    TenantConfirmDialog {
        id: confirmDialog

        actions: root.actions
        onConfirmed: (action, tenants) => {
            root.resultText = ""
            if (action === "end-impersonation")
                root.impersonation.end()
            else if (action === "rotate-key")
                root.actions.rotateDataKey(tenants[0].slug)
            else if (tenants.length === 1)
                root.actions.transition(tenants[0].slug, action, tenants[0].version)
            else
                root.actions.transitionMany(action, tenants)
        }
    }

    TenantWizardDialog {
        id: wizardDialog

        wizard: root.workspace.wizard
        plans: root.tenantModel.plans
        actor: root.actions.actor
    }

    TenantSettingsDialog {
        id: settingsDialog

        details: root.details
        actions: root.actions
    }

    TenantImpersonationDialog {
        id: impersonationDialog

        impersonation: root.impersonation
    }
}
