import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// Search and the field filters of the Tenants table, clearing them, and the "New tenant" wizard.
RowLayout {
    id: root

    required property TenantListModel tenantModel
    required property bool canCreate

    signal createRequested

    spacing: Theme.spacingS

    UcTextField {
        objectName: "tenantSearch"
        Layout.fillWidth: true
        Layout.minimumWidth: TenantStyle.searchMinimumWidth
        placeholderText: qsTr("Search slug or name%1").arg(Theme.ellipsis)
        text: root.tenantModel.searchText
        onTextEdited: root.tenantModel.searchText = text
    }

    TenantChoiceFilter {
        objectName: "tenantStateFilter"
        choices: ["trial", "active", "suspended", "canceled"]
        value: root.tenantModel.stateFilter
        anyText: qsTr("All states")
        labelFor: state => TenantWords.stateText(state)
        onPicked: value => root.tenantModel.stateFilter = value
    }

    TenantChoiceFilter {
        objectName: "tenantPlanFilter"
        choices: root.tenantModel.planChoices
        value: root.tenantModel.planFilter
        anyText: qsTr("All plans")
        labelFor: plan => {
            for (const entry of root.tenantModel.plans) {
                if (entry.plan === plan)
                    return entry.displayName
            }
            return plan
        }
        onPicked: value => root.tenantModel.planFilter = value
    }

    TenantChoiceFilter {
        objectName: "tenantRegionFilter"
        choices: root.tenantModel.regionChoices
        value: root.tenantModel.regionFilter
        anyText: qsTr("All regions")
        labelFor: region => UcFormat.ltr(region)
        onPicked: value => root.tenantModel.regionFilter = value
    }

    TenantChoiceFilter {
        objectName: "tenantIsolationFilter"
        choices: ["rls", "schema", "database"]
        value: root.tenantModel.isolationFilter
        anyText: qsTr("All strategies")
        labelFor: isolation => TenantWords.isolationText(isolation)
        onPicked: value => root.tenantModel.isolationFilter = value
    }

    UcButton {
        objectName: "tenantClearFilters"
        text: qsTr("Clear filters")
        enabled: root.tenantModel.hasFilter
        onClicked: root.tenantModel.clearFilters()
    }

    UcButton {
        objectName: "tenantNew"
        primary: true
        text: qsTr("New tenant%1").arg(Theme.ellipsis)
        enabled: root.canCreate
        onClicked: root.createRequested()
    }
}
