import QtQuick
import QtQuick.Controls
import UpCoach.Ops

// A thin progress bar in the console's colours; `indeterminate` shows a sliding segment while
// the amount of work is unknown.
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
            width: root.indeterminate ? parent.width / 3 : parent.width * root.visualPosition
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
