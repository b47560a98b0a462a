import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// Across the top of the Tenants page while the operator acts as a tenant user: who, where, the
// ticket and the time left (counting down to the impersonation's expiry, with a bar of the time
// left), a switch between the user's view and the tenant's details, and "End impersonation…".
Rectangle {
    id: root

    required property TenantImpersonation impersonation
    // The tenant's details are shown instead of what the user sees.
    property bool showingDetails: false

    signal endRequested
    signal toggleRequested

    implicitHeight: TenantStyle.impersonationBarHeight
    radius: Theme.radius
    color: Theme.statusWarnSoft
    border.color: Theme.statusWarn
    border.width: Theme.borderWidth
    clip: true

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingM
        anchors.rightMargin: Theme.spacingM
        spacing: Theme.spacingM

        UcStatusIcon {
            kind: "warn"
            color: Theme.statusWarn
        }

        Text {
            objectName: "impersonationBanner"
            Layout.fillWidth: true
            text: qsTr("Acting as %1 at %2 — ticket %3 — ends in %4")
                      .arg(TenantStyle.leftToRightMark + root.impersonation.activeName)
                      .arg(root.impersonation.activeTenantName.length > 0
                           ? root.impersonation.activeTenantName
                           : UcFormat.ltr(root.impersonation.activeTenantSlug))
                      .arg(UcFormat.ltr(root.impersonation.activeTicket))
                      .arg(UcFormat.ltr(root.impersonation.remainingText))
            horizontalAlignment: Text.AlignLeft
            color: Theme.textPrimary
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: true
        }

        UcButton {
            objectName: "impersonationToggle"
            text: root.showingDetails ? qsTr("Show %1's view").arg(root.impersonation.activeName)
                                      : qsTr("Show tenant details")
            onClicked: root.toggleRequested()
        }

        UcButton {
            objectName: "impersonationEnd"
            primary: true
            text: qsTr("End impersonation%1").arg(Theme.ellipsis)
            enabled: !root.impersonation.busy
            onClicked: root.endRequested()
        }
    }

    // The time left.
    UcProgressBar {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.leftMargin: Theme.radius
        anchors.rightMargin: Theme.radius
        value: root.impersonation.remainingShare
    }
}
