import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops

// A modal dialog in the console's colours: a title, the content, and Cancel / accept buttons.
// The accept button only signals `acceptClicked` (the page decides when to close, e.g. once an
// action has finished); while `busy` the dialog cannot be dismissed.
Dialog {
    id: root

    property string acceptText: qsTr("OK")
    property string rejectText: qsTr("Cancel")
    property bool acceptEnabled: true
    property bool acceptVisible: true
    property bool busy: false

    signal acceptClicked

    parent: Overlay.overlay
    anchors.centerIn: parent
    modal: true
    focus: true
    closePolicy: root.busy ? Popup.NoAutoClose : Popup.CloseOnEscape
    padding: Theme.spacingXl
    topPadding: Theme.spacingL
    bottomPadding: Theme.spacingL
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    // The page stays visible, dimmed (the popup drives the dimmer's own opacity).
    Overlay.modal: Rectangle {
        color: Qt.rgba(Theme.background.r, Theme.background.g, Theme.background.b,
                       1 - Theme.disabledOpacity)
    }

    background: Rectangle {
        color: Theme.popupBackground
        radius: Theme.radius
        border.color: Theme.border
        border.width: Theme.borderWidth
    }

    header: Item {
        implicitHeight: titleText.implicitHeight + Theme.spacingXl + Theme.spacingS

        Text {
            id: titleText

            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            anchors.leftMargin: Theme.spacingXl
            anchors.rightMargin: Theme.spacingXl
            text: root.title
            horizontalAlignment: Text.AlignLeft
            color: Theme.textPrimary
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontHeading
            font.bold: true
        }
    }

    footer: Item {
        implicitHeight: Theme.controlHeight + Theme.spacingXl + Theme.spacingS

        RowLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.leftMargin: Theme.spacingXl
            anchors.rightMargin: Theme.spacingXl
            spacing: Theme.spacingS

            UcProgressBar {
                Layout.fillWidth: true
                visible: root.busy
                indeterminate: true
            }

            Item {
                Layout.fillWidth: true
                visible: !root.busy
            }

            UcButton {
                objectName: "dialogReject"
                text: root.rejectText
                enabled: !root.busy
                onClicked: root.reject()
            }

            UcButton {
                objectName: "dialogAccept"
                visible: root.acceptVisible
                primary: true
                text: root.acceptText
                enabled: root.acceptEnabled && !root.busy
                onClicked: root.acceptClicked()
            }
        }
    }
}
