import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// Asks before a lifecycle action: on one tenant (from the detail pane) or on the checked ones
// (bulk), saying what the action does and which tenants it will leave alone because their state
// does not allow it. Also before rotating a tenant's data key ("rotate-key") and ending an
// impersonation ("end-impersonation"; `tenantName` is then the user's name). `confirmed` hands
// the action back to the page.
UcDialog {
    id: root

    required property TenantActions actions

    property string action
    // [{slug, state, version}] (one entry for a single tenant)
    property var tenants: []
    property string tenantName

    readonly property var applicable: root.tenants.filter(
        t => root.action === "end-impersonation" || root.actions.allows(t.state, root.action))
    readonly property bool warning: root.action === "suspend" || root.action === "cancel"
                                    || root.action === "end-impersonation"
    readonly property int skipped: root.tenants.length - root.applicable.length
    readonly property bool bulk: root.tenants.length > 1

    signal confirmed(string action, var tenants)

    function ask(action: string, tenants: var, name: string) {
        root.action = action
        root.tenants = tenants
        root.tenantName = name
        root.open()
    }

    function titleText(): string {
        const n = root.tenants.length
        const who = root.tenantName.length > 0 ? root.tenantName
                                               : n > 0 ? UcFormat.ltr(root.tenants[0].slug) : ""
        switch (root.action) {
        case "activate":
            return root.bulk ? qsTr("Activate %Ln tenant(s)?", "", n) : qsTr("Activate %1?").arg(who)
        case "reactivate":
            return root.bulk ? qsTr("Reactivate %Ln tenant(s)?", "", n) : qsTr("Reactivate %1?").arg(who)
        case "suspend":
            return root.bulk ? qsTr("Suspend %Ln tenant(s)?", "", n) : qsTr("Suspend %1?").arg(who)
        case "cancel":
            return root.bulk ? qsTr("Cancel %Ln subscription(s)?", "", n)
                             : qsTr("Cancel the subscription of %1?").arg(who)
        case "rotate-key":
            return qsTr("Rotate the data key of %1?").arg(who)
        case "end-impersonation":
            return qsTr("End the impersonation of %1?").arg(who)
        default:
            return ""
        }
    }

    objectName: "tenantConfirmDialog"
    width: TenantStyle.dialogWidth
    title: root.titleText()
    acceptText: TenantWords.actionText(root.action)
    acceptEnabled: root.applicable.length > 0
    onAcceptClicked: {
        root.confirmed(root.action, root.applicable)
        root.close()
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingM

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            UcStatusIcon {
                Layout.alignment: Qt.AlignTop
                kind: root.warning ? "warn" : "ok"
                color: root.warning ? Theme.statusWarn : Theme.statusUp
            }

            Text {
                Layout.fillWidth: true
                text: TenantWords.actionConsequence(root.action)
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
            }
        }

        Text {
            Layout.fillWidth: true
            visible: root.bulk
            text: root.applicable.map(t => t.slug).join(", ")
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            wrapMode: Text.Wrap
            maximumLineCount: TenantStyle.confirmListMaximumLines
            elide: Text.ElideRight
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontMono
        }

        Text {
            Layout.fillWidth: true
            visible: root.skipped > 0
            text: qsTr("%Ln selected tenant(s) will be left alone: their state does not allow this.",
                       "", root.skipped)
            horizontalAlignment: Text.AlignLeft
            color: Theme.statusWarn
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        Text {
            Layout.fillWidth: true
            text: qsTr("Recorded in the audit log as %1.").arg(UcFormat.ltr(root.actions.actor))
            horizontalAlignment: Text.AlignLeft
            color: Theme.textMuted
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }
}
