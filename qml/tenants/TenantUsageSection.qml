import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// What a tenant uses against its limits, as TenantQuota measured it: seats and stored bytes,
// each with a bar of the limit, then rows and stored bytes per table, and when it was measured
// (a measurement is reused for a while; "Measure again" takes a new one).
ColumnLayout {
    id: root

    required property TenantDetails details

    readonly property bool known: root.details.usageError.length === 0 && root.details.seatsUsed >= 0

    spacing: Theme.spacingS

    UcSectionTitle {
        Layout.fillWidth: true
        text: qsTr("Usage against limits")
    }

    Text {
        Layout.fillWidth: true
        visible: root.details.usageError.length > 0
        text: qsTr("Usage is not available: %1").arg(UcFormat.ltr(root.details.usageError))
        horizontalAlignment: Text.AlignLeft
        color: Theme.statusWarn
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    // Seats
    ColumnLayout {
        Layout.fillWidth: true
        visible: root.known
        spacing: Theme.spacingXs

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Text {
                Layout.fillWidth: true
                text: qsTr("Seats in use")
                horizontalAlignment: Text.AlignLeft
                color: Theme.textMuted
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            Text {
                objectName: "tenantSeats"
                text: qsTr("%1 of %2").arg(UcFormat.integer(root.details.seatsUsed))
                                      .arg(UcFormat.integer(root.details.seatLimit))
                color: Theme.textPrimary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }
        }

        UcProgressBar {
            objectName: "tenantSeatsMeter"
            Layout.fillWidth: true
            Layout.preferredHeight: TenantStyle.meterHeight
            value: Math.max(0, root.details.seatShare)
        }
    }

    // Storage
    ColumnLayout {
        Layout.fillWidth: true
        visible: root.known
        spacing: Theme.spacingXs

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Text {
                Layout.fillWidth: true
                text: qsTr("Storage used")
                horizontalAlignment: Text.AlignLeft
                color: Theme.textMuted
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            Text {
                objectName: "tenantStorage"
                text: qsTr("%1 of %2").arg(UcFormat.ltr(UcFormat.textOrUnknown(root.details.storageUsedText)))
                                      .arg(UcFormat.ltr(UcFormat.textOrUnknown(root.details.storageLimitText)))
                color: Theme.textPrimary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }
        }

        UcProgressBar {
            objectName: "tenantStorageMeter"
            Layout.fillWidth: true
            Layout.preferredHeight: TenantStyle.meterHeight
            value: Math.max(0, root.details.storageShare)
        }
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: Theme.spacingS

        Text {
            objectName: "tenantUsageMeasured"
            Layout.fillWidth: true
            visible: root.known
            text: qsTr("Measured %1 in the tenant's own placement: its rows as stored.")
                      .arg(UcFormat.isKnownDate(root.details.usageMeasuredAt)
                           ? root.details.usageMeasuredAt.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat)
                           : Theme.unknownValue)
            horizontalAlignment: Text.AlignLeft
            color: Theme.textMuted
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
        }

        Item {
            Layout.fillWidth: true
            visible: !root.known
        }

        UcButton {
            objectName: "tenantMeasureUsage"
            Layout.alignment: Qt.AlignTop
            text: qsTr("Measure again")
            enabled: !root.details.loading && root.details.hasTenant
            onClicked: root.details.measureUsage()
        }
    }

    // Per table
    RowLayout {
        Layout.fillWidth: true
        Layout.topMargin: Theme.spacingXs
        visible: root.details.usage.length > 0
        spacing: Theme.spacingS

        Text {
            Layout.fillWidth: true
            text: qsTr("Table")
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        Text {
            Layout.preferredWidth: TenantStyle.usageNumberWidth
            text: qsTr("Rows")
            horizontalAlignment: Text.AlignRight
            color: Theme.textSecondary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        Text {
            Layout.preferredWidth: TenantStyle.usageNumberWidth
            text: qsTr("Stored")
            horizontalAlignment: Text.AlignRight
            color: Theme.textSecondary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        Item {
            Layout.preferredWidth: TenantStyle.usageShareWidth
        }
    }

    Rectangle {
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.borderWidth
        visible: root.details.usage.length > 0
        color: Theme.divider
    }

    Repeater {
        objectName: "tenantUsage"
        model: root.details.usage

        delegate: RowLayout {
            id: tableRow

            required property var modelData

            Layout.fillWidth: true
            spacing: Theme.spacingS

            Text {
                Layout.fillWidth: true
                text: TenantWords.tableLabel(tableRow.modelData.table)
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
            Text {
                Layout.preferredWidth: TenantStyle.usageNumberWidth
                text: UcFormat.integer(tableRow.modelData.rows)
                horizontalAlignment: Text.AlignRight
                color: Theme.textPrimary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
            Text {
                Layout.preferredWidth: TenantStyle.usageNumberWidth
                text: UcFormat.ltr(tableRow.modelData.bytesText)
                horizontalAlignment: Text.AlignRight
                color: Theme.textSecondary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
            UcProgressBar {
                Layout.preferredWidth: TenantStyle.usageShareWidth
                Layout.alignment: Qt.AlignVCenter
                value: tableRow.modelData.share
            }
        }
    }

    Rectangle {
        Layout.fillWidth: true
        Layout.preferredHeight: Theme.borderWidth
        visible: root.details.usage.length > 0
        color: Theme.divider
    }

    RowLayout {
        Layout.fillWidth: true
        visible: root.details.usage.length > 0
        spacing: Theme.spacingS

        Text {
            Layout.fillWidth: true
            text: qsTr("All tables")
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        Text {
            objectName: "tenantUsageRows"
            Layout.preferredWidth: TenantStyle.usageNumberWidth
            text: UcFormat.integer(root.details.usageRows)
            horizontalAlignment: Text.AlignRight
            color: Theme.textPrimary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        Text {
            Layout.preferredWidth: TenantStyle.usageNumberWidth
            text: UcFormat.ltr(root.details.storageUsedText)
            horizontalAlignment: Text.AlignRight
            color: Theme.textPrimary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
            font.bold: true
        }
        Item {
            Layout.preferredWidth: TenantStyle.usageShareWidth
        }
    }
}
