import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// Search, time range and field filters of the Audit page, plus clearing and CSV export.
ColumnLayout {
    id: root

    required property AuditLogModel auditModel

    signal exportRequested

    // "" (no filter) as undefined, which the choice filters show as "any".
    function optional(value: string): var {
        return value === "" ? undefined : value
    }

    spacing: Theme.spacingS

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingS

        UcTextField {
            objectName: "auditSearch"
            Layout.fillWidth: true
            placeholderText: qsTr("Search actor, target, action, request ID, IP address, details%1")
                                 .arg(Theme.ellipsis)
            text: root.auditModel.searchText
            onTextEdited: root.auditModel.searchText = text
        }

        UcTextField {
            objectName: "auditFrom"
            Layout.preferredWidth: Theme.auditFilterTimeWidth
            placeholderText: qsTr("From YYYY-MM-DD hh:mm")
            invalid: !root.auditModel.fromTextValid
            text: root.auditModel.fromText
            onTextEdited: root.auditModel.fromText = text
        }

        UcTextField {
            objectName: "auditTo"
            Layout.preferredWidth: Theme.auditFilterTimeWidth
            placeholderText: qsTr("Until YYYY-MM-DD hh:mm")
            invalid: !root.auditModel.toTextValid
            text: root.auditModel.toText
            onTextEdited: root.auditModel.toText = text
        }

        UcButton {
            objectName: "auditClearFilters"
            text: qsTr("Clear filters")
            enabled: root.auditModel.hasFilter
            onClicked: root.auditModel.clearFilters()
        }

        UcButton {
            objectName: "auditExport"
            primary: true
            text: qsTr("Export CSV%1").arg(Theme.ellipsis)
            enabled: !root.auditModel.exporting && root.auditModel.count > 0
            onClicked: root.exportRequested()
        }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingS

        UcTextField {
            objectName: "auditActor"
            Layout.fillWidth: true
            Layout.preferredWidth: Theme.auditFilterWidth
            placeholderText: qsTr("Actor contains%1").arg(Theme.ellipsis)
            text: root.auditModel.actorFilter
            onTextEdited: root.auditModel.actorFilter = text
        }

        AuditChoiceFilter {
            objectName: "auditTenant"
            Layout.fillWidth: true
            Layout.preferredWidth: Theme.auditFilterWidth
            choices: root.auditModel.tenantChoices
            value: root.auditModel.tenantFilter
            anyText: qsTr("All tenants")
            placeholderText: qsTr("Tenant (exact)")
            labelFor: tenant => UcFormat.tenantText(tenant)
            onPicked: value => root.auditModel.tenantFilter = value
        }

        AuditChoiceFilter {
            objectName: "auditAction"
            Layout.fillWidth: true
            Layout.preferredWidth: Theme.auditFilterWidth
            choices: root.auditModel.actionChoices
            value: root.optional(root.auditModel.actionFilter)
            anyText: qsTr("All actions")
            placeholderText: qsTr("Action (exact)")
            onPicked: value => root.auditModel.actionFilter = value === undefined ? "" : value
        }

        AuditChoiceFilter {
            objectName: "auditOutcome"
            Layout.fillWidth: true
            Layout.preferredWidth: Theme.auditFilterWidth
            choices: root.auditModel.outcomeChoices
            value: root.optional(root.auditModel.outcomeFilter)
            anyText: qsTr("Any outcome")
            placeholderText: qsTr("Outcome (exact)")
            labelFor: outcome => UcFormat.outcomeText(outcome)
            onPicked: value => root.auditModel.outcomeFilter = value === undefined ? "" : value
        }

        AuditChoiceFilter {
            objectName: "auditClassification"
            Layout.fillWidth: true
            Layout.preferredWidth: Theme.auditFilterWidth
            choices: root.auditModel.classificationChoices
            value: root.optional(root.auditModel.classificationFilter)
            anyText: qsTr("All classifications")
            placeholderText: qsTr("Classification (exact)")
            onPicked: value => root.auditModel.classificationFilter = value === undefined ? "" : value
        }
    }
}
