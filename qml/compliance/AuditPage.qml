import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The Audit page: the verification banner, filters and search, the event table and the detail
// pane with the selected event's proof; the filtered view exports to CSV.
Item {
    id: root

    required property AuditLogModel auditModel

    function statusText(): string {
        const model = root.auditModel
        if (model.exportState === AuditLogModel.ExportRunning)
            return qsTr("Exporting%1 %2%").arg(Theme.ellipsis)
                .arg(UcFormat.integer(model.exportProgress * 100))
        if (model.exportState === AuditLogModel.ExportDone)
            return qsTr("Exported %Ln event(s) to %1", "", model.exportedCount)
                .arg(UcFormat.ltr(model.exportPath))
        if (model.exportState === AuditLogModel.ExportFailed)
            return qsTr("Export failed: %1").arg(UcFormat.ltr(model.exportError))
        return ""
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.pageMargin
        spacing: Theme.spacingM

        AuditBanner {
            Layout.fillWidth: true
            auditModel: root.auditModel
        }

        AuditFilterBar {
            Layout.fillWidth: true
            auditModel: root.auditModel
            onExportRequested: exportDialog.open()
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingM

            Text {
                objectName: "auditCount"
                text: root.auditModel.hasFilter
                      ? qsTr("%1 of %Ln event(s) match", "", root.auditModel.totalCount)
                            .arg(UcFormat.integer(root.auditModel.count))
                      : qsTr("%Ln event(s)", "", root.auditModel.totalCount)
                color: Theme.textSecondary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            ProgressBar {
                Layout.preferredWidth: Theme.auditFilterWidth
                Layout.preferredHeight: Theme.progressHeight
                visible: root.auditModel.loadState === AuditLogModel.Loading
                         || root.auditModel.exporting
                value: root.auditModel.exporting ? root.auditModel.exportProgress
                                                 : root.auditModel.loadProgress

                background: Rectangle {
                    radius: height / 2
                    color: Theme.inputBorder
                }

                contentItem: Item {
                    Rectangle {
                        width: parent.width * (root.auditModel.exporting
                                               ? root.auditModel.exportProgress
                                               : root.auditModel.loadProgress)
                        height: parent.height
                        radius: height / 2
                        color: Theme.accent
                    }
                }
            }

            Text {
                Layout.fillWidth: true
                text: root.statusText()
                color: root.auditModel.exportState === AuditLogModel.ExportFailed
                       ? Theme.statusDown : Theme.textSecondary
                elide: Text.ElideMiddle
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacingL

            AuditTable {
                Layout.fillWidth: true
                Layout.fillHeight: true
                auditModel: root.auditModel
            }

            AuditDetailPane {
                Layout.fillHeight: true
                Layout.preferredWidth: Theme.auditDetailWidth
                Layout.minimumWidth: Theme.auditDetailMinimumWidth
                auditModel: root.auditModel
            }
        }
    }

    FileDialog {
        id: exportDialog

        title: qsTr("Export the filtered events as CSV")
        fileMode: FileDialog.SaveFile
        defaultSuffix: Theme.csvSuffix
        nameFilters: [qsTr("CSV files (*.csv)"), qsTr("All files (*)")]
        onAccepted: root.auditModel.exportCsv(selectedFile)
    }
}
