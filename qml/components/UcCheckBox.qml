import QtQuick
import QtQuick.Controls
import UpCoach.Ops

// A check box in the console's colours; the label (if any) follows the box, mirrored in
// right-to-left layouts.
CheckBox {
    id: root

    readonly property int boxSize: Theme.statusIconSize - Theme.spacingXs

    implicitWidth: Math.max(implicitIndicatorWidth, implicitContentWidth) + leftPadding + rightPadding
    implicitHeight: Math.max(implicitIndicatorHeight, implicitContentHeight) + topPadding
                    + bottomPadding
    hoverEnabled: true
    spacing: Theme.spacingS
    padding: Theme.spacingNone
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall

    indicator: Rectangle {
        x: root.text.length === 0 ? (root.width - width) / 2
                                  : root.mirrored ? root.width - width - root.leftPadding : root.leftPadding
        y: (root.height - height) / 2
        implicitWidth: root.boxSize
        implicitHeight: root.boxSize
        radius: Theme.radiusSmall
        color: root.checked ? Theme.accent : Theme.inputBackground
        opacity: root.enabled ? 1 : Theme.disabledOpacity
        border.width: Theme.borderWidth
        border.color: root.checked || root.visualFocus || root.hovered ? Theme.accent
                                                                       : Theme.inputBorder

        Text {
            anchors.centerIn: parent
            visible: root.checkState !== Qt.Unchecked
            text: root.checkState === Qt.PartiallyChecked ? Theme.unknownValue : Theme.checkMark
            color: Theme.textPrimary
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontCaption
            font.bold: true
        }
    }

    contentItem: Text {
        leftPadding: root.text.length > 0 && !root.mirrored ? root.indicator.width + root.spacing : 0
        rightPadding: root.text.length > 0 && root.mirrored ? root.indicator.width + root.spacing : 0
        visible: root.text.length > 0
        text: root.text
        horizontalAlignment: Text.AlignLeft
        verticalAlignment: Text.AlignVCenter
        color: root.enabled ? Theme.textPrimary : Theme.textMuted
        elide: Text.ElideRight
        font: root.font
    }
}
