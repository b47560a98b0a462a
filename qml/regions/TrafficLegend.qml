import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// The map's key: the marker colours of the five routing states and what a line means.
Rectangle {
    id: root

    // What a flow line stands for on this map ("" hides the line entry).
    property string flowText
    property color flowColor: Theme.mapFlow
    property string highlightText
    property color highlightColor: Theme.mapHighlight

    readonly property var states: ["healthy", "unhealthy", "drained", "failed-over", "unknown"]

    implicitWidth: column.implicitWidth + 2 * Theme.spacingS
    implicitHeight: column.implicitHeight + 2 * Theme.spacingS
    radius: Theme.radiusSmall
    color: Theme.mapOverlay
    border.color: Theme.border
    border.width: Theme.borderWidth

    ColumnLayout {
        id: column

        anchors.centerIn: parent
        spacing: Theme.spacingXs

        RowLayout {
            spacing: Theme.spacingS

            Repeater {
                model: root.states

                delegate: RowLayout {
                    id: entry

                    required property string modelData

                    spacing: Theme.spacingXs

                    Rectangle {
                        Layout.preferredWidth: Theme.legendDotSize
                        Layout.preferredHeight: Theme.legendDotSize
                        radius: width / 2
                        color: Theme.trafficStatusColor(entry.modelData)
                    }

                    Text {
                        text: TrafficWords.statusText(entry.modelData)
                        color: Theme.textSecondary
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontCaption
                    }
                }
            }
        }

        RowLayout {
            visible: root.flowText.length > 0 || root.highlightText.length > 0
            spacing: Theme.spacingS

            Rectangle {
                visible: root.flowText.length > 0
                Layout.preferredWidth: Theme.legendDotSize * 2
                Layout.preferredHeight: Theme.mapMarkerRingWidth
                color: root.flowColor
            }

            Text {
                visible: root.flowText.length > 0
                text: root.flowText
                color: Theme.textSecondary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
            }

            Rectangle {
                visible: root.highlightText.length > 0
                Layout.preferredWidth: Theme.legendDotSize
                Layout.preferredHeight: Theme.legendDotSize
                color: root.highlightColor
            }

            Text {
                visible: root.highlightText.length > 0
                text: root.highlightText
                color: Theme.textSecondary
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
            }
        }
    }
}
