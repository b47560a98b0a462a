pragma Singleton

import QtQuick

// The Tenants page's layout sizes and formats. Colours, fonts and the shared spacing scale come
// from Theme; these are the page's own measures (column widths, pane and dialog sizes), kept in
// one place so a white-label theme can resize the page without touching it.
QtObject {
    // Summary
    readonly property int summaryMetricWidth: 132
    readonly property int summaryLabelWidth: 92

    // Filter bar
    readonly property int filterWidth: 150
    readonly property int searchMinimumWidth: 220

    // Table
    readonly property int rowHeight: 44
    readonly property int headerHeight: 30
    readonly property int columnCheck: 20
    readonly property int columnState: 98
    readonly property int columnPlan: 76
    readonly property int columnRegion: 94
    readonly property int columnIsolation: 84
    readonly property int columnCreated: 84
    readonly property int tenantColumnMinimumWidth: 140

    // Detail pane
    readonly property int detailWidth: 440
    readonly property int detailMinimumWidth: 320
    readonly property int detailLabelWidth: 124
    readonly property int encryptionLabelWidth: 156
    readonly property int detailValueWidth: 96
    readonly property int tabHeight: 32
    readonly property int metricTileHeight: 56
    readonly property int metricColumns: 3
    readonly property int historyRowSpacing: 6
    readonly property int meterHeight: 6
    readonly property int usageNumberWidth: 76
    readonly property int usageShareWidth: 56
    readonly property int keyVersionWidth: 34
    readonly property int statusTagWidth: 64

    // Dialogs
    readonly property int dialogWidth: 460
    readonly property int wizardWidth: 560
    readonly property int wizardHeight: 620
    readonly property int editorWidth: 620
    readonly property int editorHeight: 600
    readonly property int wizardStepDot: 22
    readonly property int regionColumns: 3
    readonly property int confirmListMaximumLines: 6
    readonly property int impersonationDialogWidth: 580
    readonly property int impersonationDialogHeight: 680
    readonly property int userRowHeight: 40
    readonly property int userListHeight: 172
    readonly property int reasonHeight: 76
    readonly property int reasonMaximumLines: 3

    // Impersonation
    readonly property int impersonationBarHeight: 44
    readonly property int goalProgressWidth: 96
    readonly property int sessionDateWidth: 132

    // Formats
    readonly property string dateFormat: "d MMM yyyy"
    readonly property string dateTimeFormat: "d MMM yyyy HH:mm"
    readonly property string timeFormat: "HH:mm:ss"
    // Starts a customer's name, which is mostly Latin, left to right in right-to-left layouts
    // ("Litware Inc.", not ".Litware Inc"); an Arabic name still reads right to left.
    readonly property string leftToRightMark: "\u200e"
}
