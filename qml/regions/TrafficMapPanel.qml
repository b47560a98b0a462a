import QtQuick
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// The world map of the Regions page: the regions as markers coloured by their routing status,
// lines from client countries to the regions that serve them (their width and opacity follow the
// volume), highlighted countries (the What-if view's moving ones), zoom controls, a legend and a
// tooltip with the country under the pointer and where its clients go. The map itself zooms on
// the wheel, pans on drag and takes + / - / 0 / arrows when focused.
Rectangle {
    id: root

    required property TrafficWorkspace workspace
    // WorldMap flows without colours (TrafficWorkspace.flows, TrafficWhatIf.flows).
    property var flows: []
    property color flowColor: Theme.mapFlow
    property string flowText
    property var highlightedCountries: []
    property string highlightText
    property bool showTooltip: true

    readonly property TrafficRegionModel regionModel: root.workspace.regions
    readonly property string hoveredCountry: root.showTooltip && hover.hovered
                                             ? map.countryAt(hover.point.position.x,
                                                             hover.point.position.y) : ""
    // Re-read after every refresh: the route and the volume change.
    readonly property var hoveredInfo: root.hoveredCountry.length > 0 && root.workspace.updatedAt
                                       ? root.workspace.countryInfo(root.hoveredCountry) : ({})

    // Puts every marker on its region's place in the current view.
    function placeMarkers() {
        for (let i = 0; i < markers.count; ++i) {
            const marker = markers.itemAt(i) as TrafficMarker
            if (!marker)
                continue
            const at = map.project(marker.latitude, marker.longitude)
            marker.x = at.x - marker.width / 2
            marker.y = at.y - marker.height / 2
            const mirrored = Application.layoutDirection === Qt.RightToLeft
            const room = mirrored ? marker.x : map.width - marker.x - marker.width
            marker.labelBefore = room < marker.labelWidth
        }
    }

    function tooltipText(): string {
        const info = root.hoveredInfo
        if (info.code === undefined)
            return ""
        let lines = [info.name]
        if (info.regionId.length > 0)
            lines.push(qsTr("Routed to %1").arg(info.regionName))
        else if (info.routeKnown)
            lines.push(qsTr("Not routed: refused or no region left"))
        if (info.requests > 0)
            lines.push(qsTr("%1 requests in the last minute").arg(UcFormat.integer(info.requests)))
        else
            lines.push(qsTr("No requests in the last minute"))
        return lines.join("\n")
    }

    color: Theme.mapOcean
    radius: Theme.radius
    border.color: Theme.border
    border.width: Theme.borderWidth
    clip: true

    // Places the markers once after a burst of size changes or added markers (on the next turn of
    // the event loop, when the map has its final size).
    Timer {
        id: placeLater

        interval: 0
        onTriggered: root.placeMarkers()
    }

    WorldMap {
        id: map

        objectName: "worldMap"
        anchors.fill: parent
        anchors.margins: Theme.borderWidth
        oceanColor: Theme.mapOcean
        landColor: Theme.mapLand
        borderColor: Theme.mapBorder
        highlightColor: Theme.mapHighlight
        flows: root.flows.map(flow => Object.assign({ color: root.flowColor }, flow))
        highlightedCountries: root.highlightedCountries
        activeFocusOnTab: true
        Accessible.role: Accessible.Graphic
        Accessible.name: qsTr("World map of regions and traffic")
        onViewChanged: root.placeMarkers()
        onWidthChanged: placeLater.restart()
        onHeightChanged: placeLater.restart()

        HoverHandler {
            id: hover
        }
    }

    Item {
        anchors.fill: map

        Repeater {
            id: markers

            model: root.regionModel
            delegate: TrafficMarker {}
            onItemAdded: (index, item) => {
                const marker = item as TrafficMarker
                marker.activated.connect(() => root.regionModel.select(marker.regionId))
                placeLater.restart()
            }
        }
    }

    ColumnLayout {
        objectName: "mapZoomControls"
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: Theme.spacingS
        spacing: Theme.spacingXs

        UcButton {
            objectName: "mapZoomIn"
            Layout.preferredWidth: Theme.mapControlSize
            leftPadding: Theme.spacingNone
            rightPadding: Theme.spacingNone
            text: Theme.zoomInMark
            Accessible.name: qsTr("Zoom in")
            onClicked: map.zoomAt(Theme.mapZoomStep, map.width / 2, map.height / 2)
        }

        UcButton {
            objectName: "mapZoomOut"
            Layout.preferredWidth: Theme.mapControlSize
            leftPadding: Theme.spacingNone
            rightPadding: Theme.spacingNone
            text: Theme.zoomOutMark
            enabled: map.zoom > 1
            Accessible.name: qsTr("Zoom out")
            onClicked: map.zoomAt(1 / Theme.mapZoomStep, map.width / 2, map.height / 2)
        }

        UcButton {
            objectName: "mapReset"
            Layout.preferredWidth: Theme.mapControlSize
            leftPadding: Theme.spacingNone
            rightPadding: Theme.spacingNone
            text: Theme.resetViewMark
            enabled: map.zoom > 1
            Accessible.name: qsTr("Show the whole world")
            onClicked: map.resetView()
        }
    }

    TrafficLegend {
        objectName: "mapLegend"
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: Theme.spacingS
        flowText: root.flowText
        flowColor: root.flowColor
        highlightText: root.highlightText
    }

    Rectangle {
        objectName: "mapTooltip"
        visible: tooltip.text.length > 0
        x: Math.min(hover.point.position.x + Theme.mapTooltipOffset, root.width - width - Theme.spacingS)
        y: Math.min(hover.point.position.y + Theme.mapTooltipOffset, root.height - height - Theme.spacingS)
        width: Math.min(Theme.mapTooltipWidth, tooltip.implicitWidth + 2 * Theme.spacingS)
        height: tooltip.implicitHeight + 2 * Theme.spacingS
        radius: Theme.radiusSmall
        color: Theme.popupBackground
        border.color: Theme.border
        border.width: Theme.borderWidth

        Text {
            id: tooltip

            anchors.fill: parent
            anchors.margins: Theme.spacingS
            text: root.tooltipText()
            horizontalAlignment: Text.AlignLeft
            color: Theme.textPrimary
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }
    }
}
