import QtQuick
import QtQuick.Layouts
import UpCoach.Ops

// One rule of the active traffic policy (a TrafficPolicyModel row), in evaluation order: its
// position, kind, name and condition on the first line, what it does in words underneath, and
// for failover rules each region's chain.
Rectangle {
    id: root

    required property int index
    required property int position
    required property string kind
    required property string name
    required property bool appliesToAll
    required property var countries
    required property var pathPrefixes
    required property var tenants
    required property var cidrs
    required property int cidrCount
    required property var allowCountries
    required property var denyCountries
    required property var allowRegions
    required property string cookie
    required property string header
    required property real ttlSeconds
    required property var weights
    required property bool weightsOverridden
    required property bool hashBySession
    required property int minSamples
    required property var bias
    required property var chains

    readonly property bool access: root.kind === "ip-allow" || root.kind === "ip-deny"
                                   || root.kind === "geo-fence"

    objectName: "policyRule-" + root.name
    implicitHeight: column.implicitHeight + 2 * Theme.spacingS
    color: root.index % 2 === 1 ? Theme.rowAlternate : Theme.surface
    radius: Theme.radiusSmall
    border.color: Theme.border
    border.width: Theme.borderWidth
    Accessible.role: Accessible.ListItem
    Accessible.name: qsTr("Rule %1, %2: %3").arg(root.position).arg(TrafficWords.kindText(root.kind))
                                            .arg(root.name)

    ColumnLayout {
        id: column

        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Theme.spacingS
        spacing: Theme.spacingXs

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Rectangle {
                Layout.preferredWidth: Theme.policyPositionWidth
                Layout.preferredHeight: Theme.badgeHeight
                radius: Theme.radiusSmall
                color: Theme.accentSoft

                Text {
                    anchors.centerIn: parent
                    text: UcFormat.integer(root.position)
                    color: Theme.accent
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                    font.bold: true
                }
            }

            Text {
                Layout.preferredWidth: Theme.policyKindWidth
                text: TrafficWords.kindText(root.kind)
                horizontalAlignment: Text.AlignLeft
                color: root.access ? Theme.statusWarn : Theme.textPrimary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                font.bold: true
            }

            Text {
                Layout.preferredWidth: Theme.policyNameWidth
                text: UcFormat.ltr(root.name)
                horizontalAlignment: Text.AlignLeft
                color: Theme.accent
                elide: Text.ElideRight
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontMono
            }

            Text {
                objectName: "ruleCondition"
                Layout.fillWidth: true
                text: TrafficWords.conditionText({
                    appliesToAll: root.appliesToAll,
                    countries: root.countries,
                    pathPrefixes: root.pathPrefixes,
                    tenants: root.tenants
                })
                horizontalAlignment: Text.AlignLeft
                color: Theme.textSecondary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }

            Text {
                visible: root.weightsOverridden
                text: qsTr("Weights overridden")
                color: Theme.statusWarn
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
                font.bold: true
            }
        }

        Text {
            objectName: "ruleEffect"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.policyPositionWidth + Theme.spacingS
            text: TrafficWords.effectText({
                kind: root.kind,
                cidrs: root.cidrs,
                cidrCount: root.cidrCount,
                allowCountries: root.allowCountries,
                denyCountries: root.denyCountries,
                allowRegions: root.allowRegions,
                cookie: root.cookie,
                header: root.header,
                ttlSeconds: root.ttlSeconds,
                weights: root.weights,
                hashBySession: root.hashBySession,
                minSamples: root.minSamples,
                bias: root.bias,
                chains: root.chains
            })
            horizontalAlignment: Text.AlignLeft
            color: Theme.textPrimary
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        Flow {
            objectName: "ruleChains"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.policyPositionWidth + Theme.spacingS
            visible: root.chains.length > 0
            spacing: Theme.spacingXs

            Repeater {
                model: root.chains

                delegate: Rectangle {
                    id: chain

                    required property var modelData

                    implicitWidth: chainText.implicitWidth + 2 * Theme.spacingS
                    implicitHeight: chainText.implicitHeight + Theme.spacingXs
                    radius: Theme.radiusSmall
                    color: Theme.codeBackground
                    border.color: Theme.border
                    border.width: Theme.borderWidth

                    Text {
                        id: chainText

                        anchors.centerIn: parent
                        // Region ids read left to right in every language.
                        text: UcFormat.ltr([chain.modelData.regionId].concat(chain.modelData.chain)
                                           .join(" " + Theme.arrowMark + " "))
                        color: Theme.textSecondary
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontMono
                    }
                }
            }
        }
    }
}
