import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// In place of the detail pane while the operator acts as a tenant user: who they are acting as,
// since when, for which ticket, and what that user sees of their own coaching
// (ImpersonationService::overview, read under the impersonation and recorded): goals with their
// progress, habits with their recent check-ins, coaching sessions. Outlined in the warning
// colour, like the bar over the page.
Rectangle {
    id: root

    required property TenantImpersonation impersonation

    function when(value: var): string {
        return UcFormat.isKnownDate(value) ? value.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat)
                                           : Theme.unknownValue
    }

    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.statusWarn
    border.width: Theme.borderWidth

    ColumnLayout {
        objectName: "impersonationPanel"
        anchors.fill: parent
        anchors.margins: Theme.spacingL
        spacing: Theme.spacingS

        // Anchored, not a RowLayout: Qt 6.4 can keep a layout's first pass when the panel
        // appears and its texts change at the same moment, leaving the badge outside.
        Item {
            Layout.fillWidth: true
            implicitHeight: Math.max(nameText.implicitHeight, roleBadge.implicitHeight)

            Text {
                id: nameText

                objectName: "impersonationName"
                anchors.left: parent.left
                anchors.right: roleBadge.left
                anchors.rightMargin: Theme.spacingS
                anchors.verticalCenter: parent.verticalCenter
                text: TenantStyle.leftToRightMark + root.impersonation.activeName
                horizontalAlignment: Text.AlignLeft
                color: Theme.textPrimary
                elide: Text.ElideRight
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontHeading
                font.bold: true
            }

            TenantRoleBadge {
                id: roleBadge

                objectName: "impersonationRole"
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                role: root.impersonation.activeRole
            }
        }

        Text {
            Layout.fillWidth: true
            text: qsTr("%1 · %2").arg(UcFormat.ltr(root.impersonation.activeEmail))
                                 .arg(root.impersonation.activeTenantName.length > 0
                                      ? root.impersonation.activeTenantName
                                      : UcFormat.ltr(root.impersonation.activeTenantSlug))
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            elide: Text.ElideRight
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        Text {
            Layout.fillWidth: true
            text: qsTr("Started %1 by %2 for ticket %3; ends %4.")
                      .arg(root.when(root.impersonation.startedAt))
                      .arg(UcFormat.ltr(root.impersonation.operatorActor))
                      .arg(UcFormat.ltr(root.impersonation.activeTicket))
                      .arg(root.when(root.impersonation.expiresAt))
            horizontalAlignment: Text.AlignLeft
            color: Theme.textSecondary
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacingS

            Text {
                Layout.fillWidth: true
                text: qsTr("Read as this user; every view is recorded in the audit log.")
                horizontalAlignment: Text.AlignLeft
                color: Theme.textMuted
                wrapMode: Text.Wrap
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontCaption
            }

            UcButton {
                objectName: "impersonationReload"
                text: qsTr("Reload")
                enabled: !root.impersonation.overviewLoading && !root.impersonation.busy
                onClicked: root.impersonation.reloadOverview()
            }
        }

        UcProgressBar {
            Layout.fillWidth: true
            visible: root.impersonation.overviewLoading
            indeterminate: true
        }

        Text {
            objectName: "impersonationOverviewError"
            Layout.fillWidth: true
            visible: root.impersonation.overviewError.length > 0 || root.impersonation.error.length > 0
            text: root.impersonation.error.length > 0
                  ? UcFormat.ltr(root.impersonation.error)
                  : qsTr("What the user sees cannot be read: %1").arg(UcFormat.ltr(root.impersonation.overviewError))
            horizontalAlignment: Text.AlignLeft
            color: Theme.statusDown
            wrapMode: Text.Wrap
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontSmall
        }

        Flickable {
            id: overviewFlick

            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: width
            contentHeight: overviewColumn.implicitHeight
            boundsBehavior: Flickable.StopAtBounds

            ScrollBar.vertical: ScrollBar {}

            ColumnLayout {
                id: overviewColumn

                width: overviewFlick.width - Theme.spacingS
                spacing: Theme.spacingS

                // Goals
                UcSectionTitle {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacingXs
                    text: qsTr("Goals (%1)").arg(UcFormat.integer(root.impersonation.goals.length))
                }

                Text {
                    Layout.fillWidth: true
                    visible: root.impersonation.goals.length === 0 && !root.impersonation.overviewLoading
                    text: qsTr("No goals.")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                Repeater {
                    objectName: "impersonationGoals"
                    model: root.impersonation.goals

                    delegate: RowLayout {
                        id: goal

                        required property var modelData

                        Layout.fillWidth: true
                        spacing: Theme.spacingS

                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: Theme.spacingNone

                            Text {
                                Layout.fillWidth: true
                                text: goal.modelData.title
                                horizontalAlignment: Text.AlignLeft
                                color: Theme.textPrimary
                                elide: Text.ElideRight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontSmall
                            }

                            Text {
                                Layout.fillWidth: true
                                text: UcFormat.isKnownDate(goal.modelData.targetDate)
                                      ? qsTr("%1 · target %2").arg(TenantWords.goalStatusText(goal.modelData.status))
                                                              .arg(goal.modelData.targetDate.toLocaleDateString(Qt.locale(), TenantStyle.dateFormat))
                                      : TenantWords.goalStatusText(goal.modelData.status)
                                horizontalAlignment: Text.AlignLeft
                                color: goal.modelData.status === "achieved" ? Theme.statusUp : Theme.textMuted
                                elide: Text.ElideRight
                                font.family: Theme.fontFamily
                                font.pixelSize: Theme.fontCaption
                            }
                        }

                        UcProgressBar {
                            Layout.preferredWidth: TenantStyle.goalProgressWidth
                            Layout.preferredHeight: TenantStyle.meterHeight
                            value: goal.modelData.progressFraction
                        }

                        Text {
                            Layout.preferredWidth: TenantStyle.keyVersionWidth
                            text: qsTr("%1%").arg(UcFormat.integer(goal.modelData.progress))
                            horizontalAlignment: Text.AlignRight
                            color: Theme.textPrimary
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                        }
                    }
                }

                // Habits
                UcSectionTitle {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacingS
                    text: qsTr("Habits (%1)").arg(UcFormat.integer(root.impersonation.habits.length))
                }

                Text {
                    Layout.fillWidth: true
                    visible: root.impersonation.habits.length === 0 && !root.impersonation.overviewLoading
                    text: qsTr("No habits.")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                Repeater {
                    objectName: "impersonationHabits"
                    model: root.impersonation.habits

                    delegate: RowLayout {
                        id: habit

                        required property var modelData

                        Layout.fillWidth: true
                        spacing: Theme.spacingS

                        Text {
                            Layout.fillWidth: true
                            text: habit.modelData.name
                            horizontalAlignment: Text.AlignLeft
                            color: Theme.textPrimary
                            elide: Text.ElideRight
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                        }

                        Text {
                            text: TenantWords.cadenceText(habit.modelData.cadence)
                            color: Theme.textMuted
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontCaption
                        }

                        Text {
                            text: qsTr("%Ln check-in(s)", "", habit.modelData.checkins)
                            color: Theme.textPrimary
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                        }
                    }
                }

                Text {
                    Layout.fillWidth: true
                    visible: root.impersonation.habits.length > 0
                    text: qsTr("Check-ins of the last %Ln day(s).", "", root.impersonation.habitWindowDays)
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontCaption
                }

                // Coaching sessions
                UcSectionTitle {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacingS
                    text: qsTr("Coaching sessions (%1)").arg(UcFormat.integer(root.impersonation.sessions.length))
                }

                Text {
                    Layout.fillWidth: true
                    visible: root.impersonation.sessions.length === 0 && !root.impersonation.overviewLoading
                    text: qsTr("No coaching sessions.")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }

                Repeater {
                    objectName: "impersonationSessions"
                    model: root.impersonation.sessions

                    delegate: RowLayout {
                        id: session

                        required property var modelData

                        Layout.fillWidth: true
                        spacing: Theme.spacingS

                        Text {
                            Layout.preferredWidth: TenantStyle.sessionDateWidth
                            Layout.alignment: Qt.AlignTop
                            text: UcFormat.isKnownDate(session.modelData.scheduledAt)
                                  ? session.modelData.scheduledAt.toLocaleString(Qt.locale(), TenantStyle.dateTimeFormat)
                                  : Theme.unknownValue
                            horizontalAlignment: Text.AlignLeft
                            color: Theme.textPrimary
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                        }

                        Text {
                            Layout.fillWidth: true
                            text: session.modelData.as === "coach"
                                  ? qsTr("Coaching %1 · %2 min").arg(session.modelData.with)
                                                               .arg(UcFormat.integer(session.modelData.durationMinutes))
                                  : qsTr("With coach %1 · %2 min").arg(session.modelData.with)
                                                                  .arg(UcFormat.integer(session.modelData.durationMinutes))
                            horizontalAlignment: Text.AlignLeft
                            color: Theme.textSecondary
                            elide: Text.ElideRight
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontSmall
                        }

                        Text {
                            text: TenantWords.sessionStatusText(session.modelData.status)
                            color: session.modelData.status === "completed" ? Theme.statusUp : Theme.textMuted
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontCaption
                        }
                    }
                }
            }
        }
    }
}
