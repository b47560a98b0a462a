import QtQuick
import UpCoach.Ops

// One event in the Audit table (the ListView delegate of AuditLogModel). Fixed height; a tap
// selects the event through the view's model.
Rectangle {
    id: root

    required property int index
    required property double sequence
    required property string timeText
    required property string actor
    required property string impersonator
    required property string tenant
    required property string action
    required property string outcome
    required property bool selected

    readonly property int actorWidth: Theme.auditActorWidth(root.width)

    color: root.selected ? Theme.rowSelected
                         : hover.hovered ? Theme.rowHover
                                         : root.index % 2 ? Theme.rowAlternate : Theme.transparent

    HoverHandler {
        id: hover
    }

    TapHandler {
        onTapped: {
            root.ListView.view.forceActiveFocus()
            root.ListView.view.model.select(root.index)
        }
    }

    Rectangle {
        visible: root.selected
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        width: Theme.navIndicatorWidth
        color: Theme.accent
    }

    Row {
        anchors.fill: parent
        anchors.leftMargin: Theme.spacingS
        anchors.rightMargin: Theme.spacingS
        spacing: Theme.spacingS

        Text {
            width: Theme.auditColumnSequence
            height: parent.height
            text: root.sequence.toFixed(0)
            horizontalAlignment: Text.AlignLeft
            color: Theme.textMuted
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontMono
        }

        Text {
            width: Theme.auditColumnTime
            height: parent.height
            text: UcFormat.ltr(root.timeText)
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontMono
        }

        Text {
            width: root.actorWidth
            height: parent.height
            // Values are isolated left to right: "+1 555" or "=cmd" keep their order in Arabic.
            text: root.impersonator !== "" ? qsTr("%1 (impersonated)").arg(UcFormat.ltr(root.actor))
                                           : UcFormat.ltr(root.actor)
            horizontalAlignment: Text.AlignLeft
            color: Theme.textPrimary
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        Text {
            width: Theme.auditColumnTenant
            height: parent.height
            text: root.tenant !== "" ? UcFormat.ltr(root.tenant) : UcFormat.tenantText(root.tenant)
            horizontalAlignment: Text.AlignLeft
            color: root.tenant.length > 0 ? Theme.textPrimary : Theme.textMuted
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.italic: root.tenant.length === 0
        }

        Text {
            width: Theme.auditColumnAction
            height: parent.height
            text: UcFormat.ltr(root.action)
            horizontalAlignment: Text.AlignLeft
            color: Theme.textPrimary
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
            font.family: Theme.monoFamily
            font.pixelSize: Theme.fontMono
        }

        Item {
            width: Theme.auditColumnOutcome
            height: parent.height

            AuditOutcomeBadge {
                anchors.left: parent.left
                anchors.verticalCenter: parent.verticalCenter
                outcome: root.outcome
            }
        }
    }
}
