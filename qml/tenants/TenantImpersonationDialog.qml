import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// "Impersonate user…": the tenant user to act as (searched and paged in from the tenant's
// users), why (with a live count of the characters the service requires), the support ticket
// and for how long. Every field's error stands under it — the service's own words; the dialog
// closes when the impersonation has started (the page listens for `started`).
UcDialog {
    id: root

    required property TenantImpersonation impersonation

    readonly property var errors: root.impersonation.fieldErrors
    readonly property TenantUserListModel users: root.impersonation.users
    readonly property bool reasonFits: root.impersonation.reasonLength >= root.impersonation.reasonMinimum
                                       && root.impersonation.reasonLength <= root.impersonation.reasonMaximum
    // Delegates see only their entry (qmllint 6.4 cannot follow ids into them).
    readonly property var durationChoices: root.impersonation.durationChoices
    readonly property var durationEntries: root.durationChoices.map(choice => ({
        minutes: choice.minutes,
        text: TenantWords.durationText(choice),
        checked: root.impersonation.durationMinutes === choice.minutes,
        choose: () => root.impersonation.durationMinutes = choice.minutes
    }))

    function begin(slug: string, name: string) {
        root.impersonation.prepare(slug, name)
        searchField.text = ""
        reasonArea.text = ""
        ticketField.text = ""
        root.open()
        searchField.forceActiveFocus()
    }

    objectName: "tenantImpersonationDialog"
    width: TenantStyle.impersonationDialogWidth
    height: TenantStyle.impersonationDialogHeight
    title: qsTr("Impersonate a user of %1").arg(root.impersonation.tenantName)
    acceptText: qsTr("Start impersonation")
    acceptEnabled: root.impersonation.ready && !root.impersonation.active
    busy: root.impersonation.busy
    onAcceptClicked: root.impersonation.start()

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingS

        Text {
            Layout.fillWidth: true
            text: qsTr("You will see UpCoach as this user does. The start, everything you view and the end are recorded in the audit log as %1, with the ticket; the reason is kept with the impersonation.")
                      .arg(UcFormat.ltr(root.impersonation.actor))
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingXs
            spacing: Theme.spacingS

            TenantFormLabel {
                Layout.fillWidth: true
                text: qsTr("User")
            }

            Text {
                objectName: "impersonationUserCount"
                visible: !root.users.loading && root.users.error.length === 0
                text: qsTr("%1 of %Ln user(s)", "", root.users.total).arg(UcFormat.integer(root.users.count))
                color: Theme.textMuted
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
            }
        }

        UcTextField {
            id: searchField

            objectName: "impersonationSearch"
            Layout.fillWidth: true
            placeholderText: qsTr("Search name or email%1").arg(Theme.ellipsis)
            onTextEdited: root.users.searchText = searchField.text
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: TenantStyle.userListHeight
            radius: Theme.radiusSmall
            color: Theme.inputBackground
            border.width: Theme.borderWidth
            border.color: root.errors.subject === undefined ? Theme.inputBorder : Theme.inputInvalid
            clip: true

            ListView {
                id: userList

                objectName: "impersonationUsers"
                anchors.fill: parent
                anchors.margins: Theme.borderWidth
                clip: true
                model: root.users
                boundsBehavior: Flickable.StopAtBounds

                ScrollBar.vertical: ScrollBar {}

                delegate: Rectangle {
                    id: userRow

                    required property int index
                    required property string displayName
                    required property string email
                    required property string userRole
                    required property bool chosen

                    objectName: "impersonationUser-" + userRow.email
                    width: ListView.view.width
                    height: TenantStyle.userRowHeight
                    color: userRow.chosen ? Theme.rowSelected
                                          : userHover.hovered ? Theme.rowHover : Theme.transparent

                    HoverHandler {
                        id: userHover
                    }

                    TapHandler {
                        onTapped: userRow.ListView.view.model.choose(userRow.index)
                    }

                    Rectangle {
                        visible: userRow.chosen
                        anchors.left: parent.left
                        anchors.top: parent.top
                        anchors.bottom: parent.bottom
                        width: Theme.navIndicatorWidth
                        color: Theme.accent
                    }

                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: Theme.spacingM
                        anchors.rightMargin: Theme.spacingM
                        spacing: Theme.spacingS

                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: Theme.spacingNone

                            Text {
                                Layout.fillWidth: true
                                text: TenantStyle.leftToRightMark + userRow.displayName
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textPrimary
                                elide: Text.ElideRight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                                font.bold: true
                            }

                            Text {
                                Layout.fillWidth: true
                                text: UcFormat.ltr(userRow.email)
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textMuted
                                elide: Text.ElideRight
                                font.family: Theme.monoFamily
                                font.pixelSize: Theme.fontMono
                            }
                        }

                        Text {
                            text: TenantWords.userRoleText(userRow.userRole)
                            color: Theme.textSecondary
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontCaption
                        }
                    }
                }

                footer: Item {
                    width: ListView.view.width
                    height: ListView.view.model.fetching ? TenantStyle.userRowHeight : 0
                    visible: ListView.view.model.fetching

                    Text {
                        anchors.centerIn: parent
                        text: qsTr("Loading more users%1").arg(Theme.ellipsis)
                        color: Theme.textMuted
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                    }
                }
            }

            Text {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.spacingL
                visible: root.users.count === 0
                text: root.users.error.length > 0
                      ? qsTr("The users cannot be read: %1").arg(UcFormat.ltr(root.users.error))
                      : root.users.loading ? qsTr("Loading users%1").arg(Theme.ellipsis)
                                           : qsTr("No users match.")
                color: root.users.error.length > 0 ? Theme.statusDown : Theme.textMuted
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
            }
        }

        Text {
            objectName: "impersonationChosen"
            Layout.fillWidth: true
            visible: root.impersonation.subject.length > 0
            text: qsTr("Will act as %1 (%2, %3)").arg(TenantStyle.leftToRightMark + root.impersonation.subjectName)
                                               .arg(UcFormat.ltr(root.impersonation.subjectEmail))
                                               .arg(TenantWords.userRoleText(root.impersonation.subjectRole))
            horizontalAlignment: Text.AlignLeft
            color: Theme.textPrimary
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        TenantFieldError {
            objectName: "impersonationSubjectError"
            Layout.fillWidth: true
            errors: root.errors
            field: "subject"
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingXs
            spacing: Theme.spacingS

            TenantFormLabel {
                Layout.fillWidth: true
                text: qsTr("Reason")
            }

            Text {
                objectName: "impersonationReasonCount"
                text: qsTr("%1 / %2 characters").arg(UcFormat.integer(root.impersonation.reasonLength))
                                                .arg(UcFormat.integer(root.impersonation.reasonMaximum))
                color: root.reasonFits || root.impersonation.reasonLength === 0 ? Theme.textMuted
                                                                                : Theme.statusWarn
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
            }
        }

        ScrollView {
            Layout.fillWidth: true
            Layout.preferredHeight: TenantStyle.reasonHeight

            TextArea {
                id: reasonArea

                objectName: "impersonationReason"
                placeholderText: qsTr("Why you need to act as this user (at least %1 characters)")
                                     .arg(UcFormat.integer(root.impersonation.reasonMinimum))
                placeholderTextColor: Theme.textMuted
                wrapMode: TextEdit.Wrap
                color: Theme.textPrimary
                selectionColor: Theme.accent
                selectedTextColor: Theme.textPrimary
                selectByMouse: true
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontSmall
                padding: Theme.controlPadding
                onTextChanged: root.impersonation.reason = reasonArea.text

                background: Rectangle {
                    radius: Theme.radiusSmall
                    color: Theme.inputBackground
                    border.width: Theme.borderWidth
                    border.color: root.errors.reason !== undefined ? Theme.inputInvalid
                                  : reasonArea.activeFocus ? Theme.inputBorderFocus : Theme.inputBorder
                }
            }
        }

        TenantFieldError {
            objectName: "impersonationReasonError"
            Layout.fillWidth: true
            errors: root.errors
            field: "reason"
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: Theme.spacingXs
            spacing: Theme.spacingL

            ColumnLayout {
                Layout.preferredWidth: TenantStyle.filterWidth
                Layout.alignment: Qt.AlignTop
                spacing: Theme.spacingXs

                TenantFormLabel {
                    text: qsTr("Ticket")
                }

                UcTextField {
                    id: ticketField

                    objectName: "impersonationTicket"
                    Layout.fillWidth: true
                    placeholderText: qsTr("e.g. SUP-1234")
                    invalid: root.errors.ticket !== undefined
                    onTextEdited: root.impersonation.ticket = ticketField.text
                }
            }

            ColumnLayout {
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                spacing: Theme.spacingXs

                TenantFormLabel {
                    text: qsTr("Ends after")
                }

                Flow {
                    objectName: "impersonationDurations"
                    Layout.fillWidth: true
                    spacing: Theme.spacingXs

                    Repeater {
                        model: root.durationEntries

                        delegate: UcChip {
                            required property var modelData

                            objectName: "impersonationDuration-" + modelData.minutes
                            implicitHeight: Theme.controlHeight
                            text: modelData.text
                            checked: modelData.checked
                            onClicked: modelData.choose()
                        }
                    }
                }
            }
        }

        TenantFieldError {
            objectName: "impersonationTicketError"
            Layout.fillWidth: true
            errors: root.errors
            field: "ticket"
        }

        TenantFieldError {
            Layout.fillWidth: true
            errors: root.errors
            field: "duration"
        }

        Text {
            objectName: "impersonationError"
            Layout.fillWidth: true
            visible: root.impersonation.error.length > 0
            text: qsTr("The impersonation did not start: %1").arg(UcFormat.ltr(root.impersonation.error))
            horizontalAlignment: Text.AlignLeft
            color: Theme.statusDown
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        Item {
            Layout.fillHeight: true
        }
    }
}
