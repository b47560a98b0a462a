pragma Singleton

import QtQuick

// Every colour, size, duration and format of the console lives here. White-label themes
// override this singleton; pages and components never carry their own literals.
QtObject {
    // Surfaces
    readonly property color background: "#0d1117"
    readonly property color sidebar: "#0a0e14"
    readonly property color header: "#10151d"
    readonly property color surface: "#161b22"
    readonly property color surfaceRaised: "#1c2230"
    readonly property color border: "#262e3a"
    readonly property color divider: "#222a35"
    readonly property color transparent: "transparent"

    // Text
    readonly property color textPrimary: "#e6edf3"
    readonly property color textSecondary: "#a3aebb"
    readonly property color textMuted: "#6e7a88"

    // Accents and states
    readonly property color accent: "#4c8dff"
    readonly property color accentSoft: "#1a2a45"
    readonly property color navHover: "#151c27"
    readonly property color statusUp: "#3fb950"
    readonly property color statusUpSoft: "#12301c"
    readonly property color statusDown: "#f85149"
    readonly property color statusDownSoft: "#3a1518"
    readonly property color statusUnknown: "#8b96a3"
    readonly property color statusUnknownSoft: "#232a33"
    readonly property color statusWarn: "#d29922"
    readonly property color statusWarnSoft: "#33280f"
    readonly property color statusBusy: "#4c8dff"
    readonly property color statusBusySoft: "#15223a"

    // Controls, tables and code
    readonly property color inputBackground: "#0f141b"
    readonly property color inputBorder: "#2d3645"
    readonly property color inputBorderFocus: "#4c8dff"
    readonly property color inputInvalid: "#f85149"
    readonly property color buttonBackground: "#1f2733"
    readonly property color buttonHover: "#273142"
    readonly property color buttonPressed: "#2f3b50"
    readonly property color popupBackground: "#1c2230"
    readonly property color rowAlternate: "#12171f"
    readonly property color rowHover: "#1a212c"
    readonly property color rowSelected: "#1a2a45"
    readonly property color codeBackground: "#0f141b"

    // Typography
    readonly property string fontFamily: "DejaVu Sans"
    readonly property string monoFamily: "DejaVu Sans Mono"
    readonly property int fontCaption: 11
    readonly property int fontSmall: 12
    readonly property int fontBody: 13
    readonly property int fontValue: 15
    readonly property int fontTitle: 15
    readonly property int fontHeading: 19
    readonly property int fontDisplay: 22
    readonly property int fontMono: 11

    // Spacing scale
    readonly property int spacingXxs: 2
    readonly property int spacingXs: 4
    readonly property int spacingS: 8
    readonly property int spacingM: 12
    readonly property int spacingL: 16
    readonly property int spacingXl: 24
    readonly property int spacingNone: 0
    readonly property int pageMargin: 20
    readonly property int gridGutter: 12

    // Shapes and sizes
    readonly property int radius: 8
    readonly property int radiusSmall: 4
    readonly property int borderWidth: 1
    readonly property int accentStripeWidth: 3
    readonly property int statusDotSize: 8
    readonly property int badgeHeight: 22
    readonly property int headerHeight: 52
    readonly property int navRailWidth: 92
    readonly property int navButtonHeight: 68
    readonly property int navIndicatorWidth: 3
    readonly property int navIconSize: 24
    readonly property int iconStrokeWidth: 2
    readonly property int logoSize: 28
    readonly property int iconSamples: 4
    readonly property real fullCircleDegrees: 360
    readonly property int cardMinWidth: 340
    readonly property int cardHeight: 196
    readonly property int summaryHeight: 80
    readonly property int windowWidth: 1280
    readonly property int windowHeight: 800
    readonly property int windowMinimumWidth: 800
    readonly property int windowMinimumHeight: 560
    readonly property int cardPadding: 14
    readonly property int errorMaximumLines: 3
    readonly property int metricColumns: 3

    // Controls
    readonly property int controlHeight: 30
    readonly property int controlPadding: 8
    readonly property int comboIndicatorWidth: 14
    readonly property int popupMaximumHeight: 320
    readonly property int progressHeight: 4
    readonly property int statusIconSize: 20
    readonly property real disabledOpacity: 0.45
    readonly property int spinnerDuration: 1100

    // Audit page
    readonly property int auditRowHeight: 28
    readonly property int auditHeaderHeight: 30
    readonly property int auditDetailWidth: 380
    readonly property int auditDetailMinimumWidth: 260
    readonly property int auditDetailLabelWidth: 92
    readonly property int auditProofIndexWidth: 18
    readonly property int auditColumnCount: 6
    readonly property int auditColumnSequence: 56
    readonly property int auditColumnTime: 160
    readonly property int auditColumnTenant: 88
    readonly property int auditColumnAction: 136
    readonly property int auditColumnOutcome: 80
    readonly property int auditFilterTimeWidth: 176
    readonly property int auditFilterWidth: 150
    readonly property int auditMessageMaximumLines: 3

    // Regions: traffic (map, health cards, charts, policy, what-if)
    readonly property color trafficHealthy: "#3fb950"
    readonly property color trafficUnhealthy: "#f85149"
    readonly property color trafficDrained: "#d29922"
    readonly property color trafficFailedOver: "#a371f7"
    readonly property color trafficFailedOverSoft: "#2a1f45"
    readonly property color trafficUnknown: "#8b96a3"
    readonly property color mapOcean: "#0b1420"
    readonly property color mapLand: "#1f2a38"
    readonly property color mapBorder: "#2f3d50"
    readonly property color mapHighlight: "#8a5a12"
    readonly property color mapFlow: "#4c8dff"
    readonly property color mapWhatIfFlow: "#d29922"
    readonly property color mapMarkerRing: "#e6edf3"
    readonly property color mapOverlay: "#e6161b22"
    readonly property color chartRequests: "#4c8dff"
    readonly property color chartLatency: "#d29922"
    readonly property color chartGrid: "#222a35"
    readonly property int trafficPanelWidth: 400
    readonly property int trafficPanelMinimumWidth: 320
    readonly property int trafficCardHeight: 118
    readonly property int trafficCardMinWidth: 200
    readonly property int trafficCardMetricColumns: 3
    readonly property int trafficCardRowsMaximum: 2
    readonly property int trafficMapMinimumHeight: 260
    readonly property int trafficChartMinimumHeight: 160
    readonly property int trafficChartLineWidth: 2
    readonly property string trafficChartTimeFormat: "HH:mm"
    readonly property string trafficChartValueFormat: "%.0f"
    readonly property int mapMarkerSize: 14
    readonly property int mapMarkerSelectedSize: 20
    readonly property int mapMarkerRingWidth: 2
    readonly property int mapControlSize: 28
    readonly property int mapTooltipWidth: 240
    readonly property int mapTooltipOffset: 14
    readonly property real mapZoomStep: 1.5
    readonly property int legendDotSize: 10
    readonly property int policyPositionWidth: 28
    readonly property int policyKindWidth: 150
    readonly property int policyNameWidth: 170
    readonly property int policySideWidth: 380
    readonly property int policySourceMinimumHeight: 160
    readonly property int whatIfListWidth: 340
    readonly property int whatIfRowHeight: 28
    readonly property int whatIfTenantListHeight: 200
    readonly property int whatIfCodeWidth: 34
    readonly property int whatIfRegionWidth: 104
    readonly property int whatIfPreviewHeight: 220
    readonly property int trafficDialogWidth: 640
    readonly property int trafficReasonHeight: 72
    readonly property real errorPercentWarning: 1
    readonly property real cardWholeMillisecondsFrom: 100
    readonly property int trafficProgressWidth: 150

    // Formats
    readonly property int latencyDecimals: 1
    readonly property int integerDecimals: 0
    readonly property int percentDecimals: 1
    readonly property int rateDecimals: 1
    readonly property string timeFormat: "HH:mm:ss"
    readonly property string dateTimeFormat: "d MMM HH:mm"
    readonly property string unknownValue: "\u2014"
    readonly property string separator: "  \u00b7  "
    readonly property string ellipsis: "\u2026"
    readonly property string leftToRightIsolate: "\u2066"
    readonly property string popDirectionalIsolate: "\u2069"
    readonly property string csvSuffix: "csv"
    readonly property string checkMark: "\u2713"
    readonly property string crossMark: "\u2715"
    readonly property string exclamationMark: "!"
    readonly property string sortAscendingMark: "\u25b2"
    readonly property string sortDescendingMark: "\u25bc"
    readonly property string zoomInMark: "+"
    readonly property string zoomOutMark: "\u2212"
    readonly property string resetViewMark: "\u21ba"
    readonly property string arrowMark: "\u2192"
    readonly property string arrowMarkRtl: "\u2190"

    // The Audit table's Actor column takes what its fixed columns and the gaps leave of a row.
    function auditActorWidth(rowWidth: real): int {
        const fixed = auditColumnSequence + auditColumnTime + auditColumnTenant + auditColumnAction
                      + auditColumnOutcome
        return Math.max(auditColumnTenant, rowWidth - fixed - (auditColumnCount + 1) * spacingS)
    }

    // A region's routing status ("healthy", "unhealthy", "drained", "failed-over", "unknown") as
    // the map markers, cards and legend colour it.
    function trafficStatusColor(status: string): color {
        switch (status) {
        case "healthy":
            return trafficHealthy
        case "unhealthy":
            return trafficUnhealthy
        case "drained":
            return trafficDrained
        case "failed-over":
            return trafficFailedOver
        default:
            return trafficUnknown
        }
    }

    function trafficStatusSoftColor(status: string): color {
        switch (status) {
        case "healthy":
            return statusUpSoft
        case "unhealthy":
            return statusDownSoft
        case "drained":
            return statusWarnSoft
        case "failed-over":
            return trafficFailedOverSoft
        default:
            return statusUnknownSoft
        }
    }
}
