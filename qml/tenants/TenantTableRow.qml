import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// One tenant in the Tenants table (the ListView delegate of TenantListModel). Fixed height; a
// tap shows the tenant in the detail pane, the box checks it for a bulk action.
Rectangle {
    id: root

    required property int index
    required property string slug
    required property string name
    required property string kind
    required property string tenantState
    required property string plan
    required property string homeRegion
    required property string isolation
    required property string provisioning
    required property var createdAt
    required property bool checked
    required property bool current

    color: root.current ? Theme.rowSelected
                        : hover.hovered ? Theme.rowHover
                                        : root.index % 2 ? Theme.rowAlternate : Theme.transparent

    HoverHandler {
        id: hover
    }

    TapHandler {
        onTapped: {
            root.ListView.view.forceActiveFocus()
            root.ListView.view.model.currentSlug = root.slug
        }
    }

    Rectangle {
        visible: root.current
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        width: Theme.navIndicatorWidth
        color: Theme.accent
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingS
        anchors.rightMargin: Theme.spacingS
        spacing: Theme.spacingS

        UcCheckBox {
            objectName: "tenantCheck-" + root.slug
            Layout.preferredWidth: TenantStyle.columnCheck
            checked: root.checked
            onToggled: root.ListView.view.model.setChecked(root.index, checked)
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.minimumWidth: TenantStyle.tenantColumnMinimumWidth
            spacing: Theme.spacingXxs

            Text {
                Layout.fillWidth: true
                text: TenantStyle.leftToRightMark + root.name
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                font.bold: root.current
            }

            Text {
                Layout.fillWidth: true
                text: root.provisioning === "ready"
                      ? UcFormat.ltr(root.slug)
                      : qsTr("%1 · %2").arg(UcFormat.ltr(root.slug))
                                       .arg(TenantWords.provisioningText(root.provisioning))
                horizontalAlignment: Text.AlignLeft
                color: root.provisioning === "failed" ? Theme.statusDown : Theme.textMuted
                elide: Text.ElideRight
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontMono
            }
        }

        Item {
            Layout.preferredWidth: TenantStyle.columnState
            Layout.fillHeight: true

            TenantStateBadge {
                anchors.left: parent.left
                anchors.verticalCenter: parent.verticalCenter
                tenantState: root.tenantState
            }
        }

        Text {
            Layout.preferredWidth: TenantStyle.columnPlan
            text: root.plan
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.capitalization: Font.Capitalize
        }

        Text {
            Layout.preferredWidth: TenantStyle.columnRegion
            text: UcFormat.ltr(root.homeRegion)
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            elide: Text.ElideRight
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontMono
        }

        Text {
            Layout.preferredWidth: TenantStyle.columnIsolation
            text: TenantWords.isolationText(root.isolation)
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        Text {
            Layout.preferredWidth: TenantStyle.columnCreated
            text: UcFormat.isKnownDate(root.createdAt)
                  ? root.createdAt.toLocaleDateString(Qt.locale(), TenantStyle.dateFormat)
                  : Theme.unknownValue
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }

    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: Theme.borderWidth
        color: Theme.divider
    }
}
