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

    // Spacing scale
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

    // Formats
    readonly property int latencyDecimals: 1
    readonly property int integerDecimals: 0
    readonly property string timeFormat: "HH:mm:ss"
    readonly property string dateTimeFormat: "d MMM HH:mm"
    readonly property string unknownValue: "\u2014"
}
