import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops

// A list of what moves in a what-if: countries ({code, name, to, nowhere}) or tenants
// ({slug, displayName, to, nowhere}), each "→ the region it would go to" (they all come from the
// what-if's region); those left with nowhere to go are marked in red. Empty: `emptyText`.
ColumnLayout {
    id: root

    property string title
    property var entries: []
    property bool tenants: false
    property string emptyText
    // The height that shows every entry without scrolling (callers may cap it).
    readonly property real naturalHeight: sectionTitle.implicitHeight + root.spacing
                                          + (root.entries.length === 0 ? emptyLabel.implicitHeight
                                                                       : root.entries.length * Theme.whatIfRowHeight)

    spacing: Theme.spacingXs

    UcSectionTitle {
        id: sectionTitle

        Layout.fillWidth: true
        text: root.title
    }

    Text {
        id: emptyLabel

        Layout.fillWidth: true
        visible: root.entries.length === 0
        text: root.emptyText
        horizontalAlignment: Text.AlignLeft
        color: Theme.textMuted
        wrapMode: Text.Wrap
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontSmall
    }

    Item {
        Layout.fillHeight: true
        visible: root.entries.length === 0
    }

    ListView {
        objectName: root.tenants ? "whatIfTenantList" : "whatIfCountryList"
        Layout.fillWidth: true
        Layout.fillHeight: true
        visible: root.entries.length > 0
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        model: root.entries

        ScrollBar.vertical: ScrollBar {}

        delegate: Rectangle {
            id: row

            required property var modelData
            required property int index

            readonly property bool nowhere: row.modelData.nowhere
            readonly property bool isTenant: row.modelData.slug !== undefined

            width: ListView.view.width
            height: Theme.whatIfRowHeight
            color: row.nowhere ? Theme.statusDownSoft
                               : row.index % 2 === 1 ? Theme.rowAlternate : Theme.transparent
            radius: Theme.radiusSmall

            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: Theme.spacingS
                anchors.rightMargin: Theme.spacingS
                spacing: Theme.spacingS

                Text {
                    Layout.preferredWidth: Theme.whatIfCodeWidth
                    visible: !row.isTenant
                    text: row.isTenant ? "" : row.modelData.code
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontMono
                }

                Text {
                    Layout.fillWidth: true
                    text: row.isTenant ? row.modelData.displayName : row.modelData.name
                    horizontalAlignment: Text.AlignLeft
                    color: row.nowhere ? Theme.statusDown : Theme.textPrimary
                    elide: Text.ElideRight
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: row.nowhere
                }

                Text {
                    text: Application.layoutDirection === Qt.RightToLeft ? Theme.arrowMarkRtl : Theme.arrowMark
                    color: row.nowhere ? Theme.statusDown : Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                Text {
                    Layout.preferredWidth: Theme.whatIfRegionWidth
                    text: row.nowhere ? qsTr("Nowhere") : UcFormat.ltr(row.modelData.to)
                    horizontalAlignment: Text.AlignLeft
                    color: row.nowhere ? Theme.statusDown : Theme.textPrimary
                    elide: Text.ElideRight
                    font.family: row.nowhere ? Theme.fontFamily : Theme.monoFamily
                    font.pixelSize: row.nowhere ? Theme.fontSmall : Theme.fontMono
                    font.bold: row.nowhere
                }
            }
        }
    }
}
