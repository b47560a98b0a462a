import QtQuick
import QtQuick.Controls
import UpCoach.Ops

// A thin progress bar in the console's colours; `indeterminate` shows a sliding segment while
// the amount of work is unknown. The filled part starts at the leading edge: the right in a
// right-to-left layout (anchored, so LayoutMirroring turns it; ProgressBar's visualPosition
// would count from the other end).
ProgressBar {
    id: root

    implicitHeight: Theme.progressHeight
    padding: Theme.spacingNone

    background: Rectangle {
        implicitHeight: Theme.progressHeight
        radius: height / 2
        color: Theme.inputBorder
    }

    contentItem: Item {
        clip: true

        Rectangle {
            anchors.left: parent.left
            anchors.top: parent.top
            anchors.bottom: parent.bottom
            visible: !root.indeterminate
            width: parent.width * root.position
            radius: height / 2
            color: Theme.accent
        }

        Rectangle {
            visible: root.indeterminate
            width: parent.width / 3
            height: parent.height
            radius: height / 2
            color: Theme.accent

            XAnimator on x {
                running: root.indeterminate && root.visible
                from: -root.availableWidth / 3
                to: root.availableWidth
                duration: Theme.spinnerDuration
                loops: Animation.Infinite
            }
        }
    }
}
