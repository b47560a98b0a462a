import QtQuick
import QtQuick.Controls
import UpCoach.Ops

// A drop-down list in the console's colours. The model is a list of strings or of
// { text, value } objects (set textRole "text" and valueRole "value"); the popup scrolls beyond
// Theme.popupMaximumHeight.
ComboBox {
    id: root

    implicitHeight: Theme.controlHeight
    leftPadding: Theme.controlPadding + (root.mirrored ? Theme.comboIndicatorWidth : 0)
    rightPadding: Theme.controlPadding + (root.mirrored ? 0 : Theme.comboIndicatorWidth)
    topPadding: Theme.spacingNone
    bottomPadding: Theme.spacingNone
    hoverEnabled: true
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontSmall

    // Delegates cannot see `root` (a separate component); the popup's ListView follows
    // highlightedIndex, so the current item is the highlighted one.
    delegate: ItemDelegate {
        id: option

        required property var modelData

        width: ListView.view.width
        height: Theme.controlHeight
        highlighted: ListView.isCurrentItem
        hoverEnabled: true
        leftPadding: Theme.controlPadding
        rightPadding: Theme.controlPadding

        contentItem: Text {
            text: typeof option.modelData === "object" && option.modelData !== null
                  ? option.modelData.text : option.modelData
            color: Theme.textPrimary
            verticalAlignment: Text.AlignVCenter
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        background: Rectangle {
            color: option.highlighted || option.hovered ? Theme.rowSelected : Theme.transparent
        }
    }

    indicator: Text {
        x: root.mirrored ? Theme.controlPadding : root.width - width - Theme.controlPadding
        y: (root.height - height) / 2
        text: Theme.sortDescendingMark
        color: Theme.textSecondary
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontCaption
    }

    contentItem: Text {
        text: root.displayText
        color: Theme.textPrimary
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
        font: root.font
    }

    background: Rectangle {
        radius: Theme.radiusSmall
        color: root.hovered ? Theme.buttonBackground : Theme.inputBackground
        border.width: Theme.borderWidth
        border.color: root.visualFocus || root.popup.visible ? Theme.inputBorderFocus
                                                             : Theme.inputBorder
    }

    popup: Popup {
        y: root.height
        width: root.width
        implicitHeight: Math.min(contentItem.implicitHeight + 2 * Theme.borderWidth,
                                 Theme.popupMaximumHeight)
        padding: Theme.borderWidth

        contentItem: ListView {
            clip: true
            implicitHeight: contentHeight
            model: root.popup.visible ? root.delegateModel : null
            currentIndex: root.highlightedIndex
            boundsBehavior: Flickable.StopAtBounds

            ScrollBar.vertical: ScrollBar {}
        }

        background: Rectangle {
            color: Theme.popupBackground
            radius: Theme.radiusSmall
            border.width: Theme.borderWidth
            border.color: Theme.border
        }
    }
}
