import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The console shell: navigation rail, header and the pages. Everything it shows comes from the
// view models handed in by the composition root (app/console.cpp); a model that is null (no
// configuration, no audit bundle, no tenancy backend) hides its page.
ApplicationWindow {
    id: window

    required property RegionListModel regionModel
    required property AuditLogModel auditModel
    required property TenantWorkspace tenantWorkspace
    // The Regions page's traffic (map, health, policy, what-if, controls); null without a runtime.
    required property TrafficWorkspace trafficWorkspace
    required property string initialPage

    // Only pages that really work are listed. The keys are what --page accepts (console.cpp).
    readonly property var pages: {
        const list = []
        if (window.regionModel)
            list.push({ key: "regions", title: qsTr("Regions"), icon: globeIcon })
        if (window.tenantWorkspace)
            list.push({ key: "tenants", title: qsTr("Tenants"), icon: buildingIcon })
        if (window.auditModel)
            list.push({ key: "audit", title: qsTr("Audit"), icon: shieldIcon })
        return list
    }
    readonly property int currentIndex: navList.currentIndex
    readonly property string currentKey: window.pages.length > 0
                                         ? window.pages[Math.max(0, window.currentIndex)].key : ""

    // The slot of a page in the StackLayout below (one per consolePages() entry).
    function pageSlot(key: string): int {
        switch (key) {
        case "tenants":
            return 1
        case "audit":
            return 2
        default:
            return 0
        }
    }

    function pageIndex(key: string): int {
        return window.pages.findIndex(page => page.key === key)
    }

    function overallStatusText(): string {
        if (window.currentKey === "audit")
            return window.auditStatusText()
        if (window.currentKey === "tenants")
            return window.tenantsStatusText()
        if (window.regionModel.loading)
            return qsTr("Waiting for data")
        if (window.regionModel.downCount > 0)
            return qsTr("%Ln region(s) down", "", window.regionModel.downCount)
        if (window.regionModel.unknownCount > 0)
            return qsTr("Partially reporting")
        return qsTr("All regions operational")
    }

    function overallStatus(): string {
        if (window.currentKey === "audit")
            return window.auditStatus()
        if (window.currentKey === "tenants")
            return window.tenantsStatus()
        if (window.regionModel.loading || window.regionModel.unknownCount > 0)
            return "unknown"
        return window.regionModel.downCount > 0 ? "down" : "up"
    }

    function tenantsStatusText(): string {
        const tenants = window.tenantWorkspace.tenants
        if (tenants.error.length > 0)
            return qsTr("Registry unreachable")
        if (!tenants.ready || (tenants.loading && tenants.allCount === 0))
            return qsTr("Waiting for data")
        return qsTr("Registry connected")
    }

    function tenantsStatus(): string {
        const tenants = window.tenantWorkspace.tenants
        if (tenants.error.length > 0)
            return "down"
        return !tenants.ready || (tenants.loading && tenants.allCount === 0) ? "unknown" : "up"
    }

    function auditStatusText(): string {
        if (window.auditModel.loadState === AuditLogModel.Failed)
            return qsTr("Audit log unreadable")
        const state = window.auditModel.verification.state
        if (state === AuditVerificationStatus.Verified)
            return qsTr("Verified")
        if (state === AuditVerificationStatus.Failed)
            return qsTr("Verification failed")
        if (state === AuditVerificationStatus.Verifying)
            return qsTr("Verifying")
        return qsTr("Not verified")
    }

    function auditStatus(): string {
        const state = window.auditModel.verification.state
        if (window.auditModel.loadState === AuditLogModel.Failed
                || state === AuditVerificationStatus.Failed)
            return "down"
        return state === AuditVerificationStatus.Verified ? "up" : "unknown"
    }

    width: Theme.windowWidth
    height: Theme.windowHeight
    minimumWidth: Theme.windowMinimumWidth
    minimumHeight: Theme.windowMinimumHeight
    title: qsTr("UpCoach Ops")
    color: Theme.background
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    Component {
        id: globeIcon

        UcGlobeIcon {
            strokeColor: Theme.textSecondary
        }
    }

    Component {
        id: buildingIcon

        UcBuildingIcon {
            strokeColor: Theme.textSecondary
        }
    }

    Component {
        id: shieldIcon

        UcShieldIcon {
            strokeColor: Theme.textSecondary
        }
    }

    Item {
        id: shell

        objectName: "shell"
        anchors.fill: parent
        LayoutMirroring.enabled: Application.layoutDirection === Qt.RightToLeft
        LayoutMirroring.childrenInherit: true

        RowLayout {
            anchors.fill: parent
            spacing: Theme.spacingNone

            Rectangle {
                id: navRail

                objectName: "navRail"
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.navRailWidth
                color: Theme.sidebar

                ColumnLayout {
                    anchors.fill: parent
                    spacing: Theme.spacingNone

                    Item {
                        Layout.fillWidth: true
                        Layout.preferredHeight: Theme.headerHeight

                        Rectangle {
                            anchors.centerIn: parent
                            width: Theme.logoSize
                            height: Theme.logoSize
                            radius: Theme.radius
                            color: Theme.accent

                            UcGlobeIcon {
                                anchors.centerIn: parent
                                width: Theme.navIconSize - Theme.spacingXs
                                height: Theme.navIconSize - Theme.spacingXs
                                strokeColor: Theme.textPrimary
                            }
                        }
                    }

                    ListView {
                        id: navList

                        objectName: "navList"
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        interactive: false
                        model: window.pages
                        currentIndex: Math.max(0, window.pageIndex(window.initialPage))

                        delegate: UcNavButton {
                            required property var modelData
                            required property int index

                            objectName: "nav-" + modelData.key
                            width: ListView.view.width
                            text: modelData.title
                            iconComponent: modelData.icon
                            checked: ListView.isCurrentItem
                            onClicked: ListView.view.currentIndex = index
                        }
                    }
                }
            }

            Rectangle {
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.borderWidth
                color: Theme.border
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: Theme.spacingNone

                Rectangle {
                    objectName: "header"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Theme.headerHeight
                    color: Theme.header

                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: Theme.pageMargin
                        anchors.rightMargin: Theme.pageMargin
                        spacing: Theme.spacingM

                        Text {
                            text: qsTr("UpCoach Ops")
                            color: Theme.textPrimary
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontHeading
                            font.bold: true
                        }

                        Rectangle {
                            Layout.preferredWidth: Theme.borderWidth
                            Layout.preferredHeight: Theme.badgeHeight
                            color: Theme.border
                        }

                        Text {
                            objectName: "pageTitle"
                            Layout.fillWidth: true
                            text: window.pages.length > 0 ? window.pages[window.currentIndex].title : ""
                            color: Theme.textSecondary
                            elide: Text.ElideRight
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontTitle
                        }

                        Rectangle {
                            implicitWidth: overall.implicitWidth + 2 * Theme.spacingM
                            implicitHeight: Theme.badgeHeight + Theme.spacingXs
                            radius: height / 2
                            color: UcFormat.statusSoftColor(window.overallStatus())
                            border.color: UcFormat.statusColor(window.overallStatus())
                            border.width: Theme.borderWidth

                            Text {
                                id: overall

                                anchors.centerIn: parent
                                text: window.overallStatusText()
                                color: UcFormat.statusColor(window.overallStatus())
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                font.bold: true
                            }
                        }
                    }

                    Rectangle {
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.bottom: parent.bottom
                        height: Theme.borderWidth
                        color: Theme.border
                    }
                }

                // One slot per page of consolePages(); a slot stays empty when its model is absent.
                // (The pages get their models as initial properties: qmllint 6.4 cannot follow
                // ids into inline components.)
                StackLayout {
                    objectName: "pageStack"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    currentIndex: window.pageSlot(window.currentKey)

                    Loader {
                        objectName: "page-regions"
                        Component.onCompleted: {
                            if (window.regionModel)
                                setSource("regions/RegionsPage.qml",
                                          { regionModel: window.regionModel,
                                            trafficWorkspace: window.trafficWorkspace })
                        }
                    }

                    Loader {
                        objectName: "page-tenants"
                        Component.onCompleted: {
                            if (window.tenantWorkspace)
                                setSource("tenants/TenantsPage.qml",
                                          { workspace: window.tenantWorkspace })
                        }
                    }

                    Loader {
                        objectName: "page-audit"
                        Component.onCompleted: {
                            if (window.auditModel)
                                setSource("compliance/AuditPage.qml",
                                          { auditModel: window.auditModel })
                        }
                    }
                }
            }
        }
    }
}
