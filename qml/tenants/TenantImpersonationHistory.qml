import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// Who acted as one of the tenant's users (ImpersonationService::list): open impersonations
// first, then the newest; each with its operator, the user, the ticket, the reason and when it
// started and ended or expired.
ColumnLayout {
    id: root

    required property TenantDetails details

    spacing: Theme.spacingS

    UcSectionTitle {
        Layout.fillWidth: true
        text: root.details.openImpersonations > 0
              ? qsTr("Impersonations (%Ln open)", "", root.details.openImpersonations)
              : qsTr("Impersonations")
    }

    Text {
        Layout.fillWidth: true
        visible: root.details.impersonationsError.length > 0
        text: qsTr("The impersonations cannot be read: %1").arg(UcFormat.ltr(root.details.impersonationsError))
        horizontalAlignment: Text.AlignLeft
        color: Theme.statusWarn
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    Text {
        Layout.fillWidth: true
        visible: root.details.impersonationsError.length === 0 && root.details.impersonations.length === 0
        text: qsTr("No one has impersonated a user of this tenant.")
        horizontalAlignment: Text.AlignLeft
        color: Theme.textMuted
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    Repeater {
        objectName: "tenantImpersonations"
        model: root.details.impersonations

        delegate: Rectangle {
            id: entry

            required property var modelData

            readonly property bool open: entry.modelData.status === "open"

            function when(value: var): string {
                return UcFormat.isKnownDate(value) ? value.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat)
                                                   : Theme.unknownValue
            }

            Layout.fillWidth: true
            implicitHeight: entryColumn.implicitHeight + 2 * Theme.spacingS
            radius: Theme.radiusSmall
            color: entry.open ? Theme.statusWarnSoft : Theme.surfaceRaised
            border.color: entry.open ? Theme.statusWarn : Theme.border
            border.width: Theme.borderWidth

            ColumnLayout {
                id: entryColumn

                anchors.left: parent.left
                anchors.right: parent.right
                anchors.top: parent.top
                anchors.margins: Theme.spacingS
                spacing: Theme.spacingXxs

                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.spacingS

                    Text {
                        Layout.fillWidth: true
                        text: qsTr("%1 as %2").arg(UcFormat.ltr(entry.modelData.operator))
                                              .arg(UcFormat.ltr(entry.modelData.subject))
                        horizontalAlignment: Text.AlignLeft
                        color: Theme.textPrimary
                        wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        font.bold: true
                    }

                    Text {
                        Layout.alignment: Qt.AlignTop
                        text: TenantWords.impersonationStatusText(entry.modelData.status)
                        color: entry.open ? Theme.statusWarn : Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontCaption
                        font.bold: entry.open
                    }
                }

                Text {
                    Layout.fillWidth: true
                    text: qsTr("Ticket %1 · started %2").arg(UcFormat.ltr(entry.modelData.ticket))
                                                         .arg(entry.when(entry.modelData.startedAt))
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textSecondary
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                }

                Text {
                    Layout.fillWidth: true
                    text: entry.modelData.status === "ended"
                          ? qsTr("Ended %1 by %2").arg(entry.when(entry.modelData.endedAt))
                                                  .arg(UcFormat.ltr(entry.modelData.endedBy))
                          : entry.modelData.status === "expired"
                            ? qsTr("Expired %1").arg(entry.when(entry.modelData.expiresAt))
                            : qsTr("Ends %1").arg(entry.when(entry.modelData.expiresAt))
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textSecondary
                    wrapMode: Text.WrapAtWordBoundaryOrAnywhere
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                }

                Text {
                    Layout.fillWidth: true
                    text: entry.modelData.reason
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    wrapMode: Text.Wrap
                    maximumLineCount: TenantStyle.reasonMaximumLines
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                    font.italic: true
                }
            }
        }
    }
}
