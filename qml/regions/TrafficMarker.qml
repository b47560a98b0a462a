import QtQuick
import UpCoach.Ops

// One region on the world map: a dot in its routing status' colour (ringed while selected) and,
// while selected or hovered, a label with its id and requests per second. The map panel places
// it with WorldMap.project(); `activated` selects the region.
Item {
    id: root

    required property string regionId
    required property string displayName
    required property string status
    required property real latitude
    required property real longitude
    required property bool selected
    required property real requestsPerSecond

    // The label goes before the dot (left, or right in right-to-left layouts) when there is no
    // room after it; the map panel decides.
    property bool labelBefore: false
    readonly property real labelWidth: labelBox.width + Theme.spacingXs

    signal activated

    width: Theme.mapMarkerSelectedSize
    height: Theme.mapMarkerSelectedSize
    z: root.selected ? 2 : 1
    Accessible.role: Accessible.Button
    Accessible.name: qsTr("%1: %2").arg(root.displayName).arg(TrafficWords.statusText(root.status))

    Rectangle {
        anchors.centerIn: parent
        width: root.selected || hover.hovered ? Theme.mapMarkerSelectedSize : Theme.mapMarkerSize
        height: width
        radius: width / 2
        color: Theme.trafficStatusColor(root.status)
        border.color: Theme.mapMarkerRing
        border.width: root.selected ? Theme.mapMarkerRingWidth : Theme.borderWidth
    }

    Rectangle {
        id: labelBox

        objectName: "markerLabel-" + root.regionId
        // Placed by x rather than by switching anchors: re-binding anchors.left and anchors.right
        // together leaves both set for a moment and collapses the label onto the dot.
        x: root.labelBefore !== (Application.layoutDirection === Qt.RightToLeft)
           ? -labelBox.width - Theme.spacingXs : root.width + Theme.spacingXs
        anchors.verticalCenter: parent.verticalCenter
        visible: root.selected || hover.hovered
        width: label.implicitWidth + 2 * Theme.spacingS
        height: label.implicitHeight + Theme.spacingXs
        radius: Theme.radiusSmall
        color: Theme.mapOverlay
        border.color: Theme.trafficStatusColor(root.status)
        border.width: Theme.borderWidth

        Text {
            id: label

            anchors.centerIn: parent
            text: qsTr("%1 \u00b7 %2 req/s").arg(UcFormat.ltr(root.regionId))
                                             .arg(UcFormat.integer(root.requestsPerSecond))
            color: Theme.textPrimary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
            font.bold: true
        }
    }

    HoverHandler {
        id: hover

        cursorShape: Qt.PointingHandCursor
    }

    TapHandler {
        onTapped: root.activated()
    }
}
