import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import UpCoach.Ops
import UpCoach.ViewModels

// "New tenant": identity, plan, placement (home and allowed regions, isolation), owner, review.
// Each step is checked before the next (TenantWizard); an error stands beside its field, and one
// from the registry takes the wizard back to that field's step. The tenant is created and
// provisioned when the operator confirms the review.
UcDialog {
    id: root

    required property TenantWizard wizard
    required property var plans
    required property string actor

    readonly property var errors: root.wizard.fieldErrors
    readonly property var regions: root.wizard.regionChoices
    readonly property var allowedRegions: root.wizard.allowedRegions
    // Delegates see only their entry (qmllint 6.4 cannot follow ids into them), so each entry
    // carries what its delegate shows and does.
    readonly property var stepTitles: [qsTr("Identity"), qsTr("Plan"), qsTr("Placement"),
                                       qsTr("Owner"), qsTr("Review")]
    readonly property var stepEntries: root.stepTitles.map((title, index) => ({
        title: title,
        number: (index + 1).toFixed(0),
        done: index < root.wizard.step,
        here: index === root.wizard.step
    }))
    readonly property var planEntries: root.plans.map(plan => ({
        plan: plan.plan,
        text: plan.displayName,
        detail: root.planPrice(plan),
        description: root.planFeatures(plan),
        checked: root.wizard.plan === plan.plan,
        choose: () => root.wizard.plan = plan.plan
    }))
    readonly property var regionEntries: root.regions.map(region => ({
        region: region,
        checked: root.allowedRegions.indexOf(region) >= 0,
        home: region === root.wizard.homeRegion,
        toggle: allowed => root.wizard.toggleAllowedRegion(region, allowed)
    }))

    function planEntry(name: string): var {
        for (const plan of root.plans) {
            if (plan.plan === name)
                return plan
        }
        return null
    }

    function planPrice(plan: var): string {
        return qsTr("%1 per seat / month")
            .arg(Number(plan.monthlyPricePerSeatCents / 100).toLocaleCurrencyString(Qt.locale("en_US")))
    }

    function planFeatures(plan: var): string {
        const names = []
        for (const key of Object.keys(plan.features).sort()) {
            if (plan.features[key])
                names.push(TenantWords.featureLabel(key))
        }
        return qsTr("Up to %1 seats").arg(UcFormat.integer(plan.seats))
               + (names.length > 0 ? Theme.separator + names.join(", ") : "")
    }

    function start() {
        root.wizard.reset(root.plans.length > 0 ? root.plans[0].plan : "")
        root.open()
    }

    objectName: "tenantWizardDialog"
    width: TenantStyle.wizardWidth
    height: TenantStyle.wizardHeight
    title: qsTr("New tenant")
    busy: root.wizard.busy
    closePolicy: root.wizard.busy ? Popup.NoAutoClose : Popup.CloseOnEscape

    footer: Item {
        implicitHeight: Theme.controlHeight + Theme.spacingXl + Theme.spacingS

        RowLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.leftMargin: Theme.spacingXl
            anchors.rightMargin: Theme.spacingXl
            spacing: Theme.spacingS

            UcButton {
                objectName: "wizardBack"
                text: qsTr("Back")
                enabled: root.wizard.step > 0 && !root.wizard.busy
                onClicked: root.wizard.back()
            }

            UcProgressBar {
                Layout.fillWidth: true
                visible: root.wizard.busy
                indeterminate: true
            }

            Item {
                Layout.fillWidth: true
                visible: !root.wizard.busy
            }

            UcButton {
                objectName: "wizardCancel"
                text: qsTr("Cancel")
                enabled: !root.wizard.busy
                onClicked: root.reject()
            }

            UcButton {
                objectName: "wizardNext"
                primary: true
                text: root.wizard.step === TenantWizard.ReviewStep ? qsTr("Create tenant")
                                                                   : qsTr("Next")
                enabled: !root.wizard.busy && root.wizard.ready
                onClicked: {
                    if (root.wizard.step === TenantWizard.ReviewStep)
                        root.wizard.submit()
                    else
                        root.wizard.next()
                }
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.spacingL

        // Where the operator is: one marker per step.
        RowLayout {
            objectName: "wizardSteps"
            Layout.fillWidth: true
            spacing: Theme.spacingXs

            Repeater {
                model: root.stepEntries

                delegate: RowLayout {
                    id: stepMark

                    required property var modelData

                    readonly property bool done: stepMark.modelData.done
                    readonly property bool here: stepMark.modelData.here

                    Layout.fillWidth: true
                    spacing: Theme.spacingXs

                    Rectangle {
                        Layout.preferredWidth: TenantStyle.wizardStepDot
                        Layout.preferredHeight: TenantStyle.wizardStepDot
                        radius: width / 2
                        color: stepMark.here ? Theme.accent : stepMark.done ? Theme.accentSoft
                                                                            : Theme.surfaceRaised
                        border.color: stepMark.here || stepMark.done ? Theme.accent : Theme.border
                        border.width: Theme.borderWidth

                        Text {
                            anchors.centerIn: parent
                            text: stepMark.done ? Theme.checkMark : stepMark.modelData.number
                            color: Theme.textPrimary
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontCaption
                            font.bold: true
                        }
                    }

                    Text {
                        Layout.fillWidth: true
                        text: stepMark.modelData.title
                        horizontalAlignment: Text.AlignLeft
                        color: stepMark.here ? Theme.textPrimary : Theme.textMuted
                        elide: Text.ElideRight
                        font.family: Theme.fontFamily
                        font.pixelSize: Theme.fontSmall
                        font.bold: stepMark.here
                    }
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: root.wizard.step

            // Identity
            ColumnLayout {
                spacing: Theme.spacingS

                TenantFormLabel {
                    text: qsTr("Name")
                }
                UcTextField {
                    objectName: "wizardName"
                    Layout.fillWidth: true
                    placeholderText: qsTr("The customer's name, e.g. Northwind Health")
                    invalid: root.errors.name !== undefined
                    text: root.wizard.name
                    onTextEdited: root.wizard.name = text
                }
                TenantFieldError {
                    objectName: "wizardNameError"
                    Layout.fillWidth: true
                    errors: root.errors
                    field: "name"
                }

                TenantFormLabel {
                    Layout.topMargin: Theme.spacingS
                    text: qsTr("Slug")
                }
                UcTextField {
                    objectName: "wizardSlug"
                    Layout.fillWidth: true
                    // Slugs read left to right in every language.
                    LayoutMirroring.enabled: false
                    horizontalAlignment: TextInput.AlignLeft
                    font.family: Theme.monoFamily
                    placeholderText: qsTr("lower-case-with-dashes")
                    invalid: root.errors.slug !== undefined
                    text: root.wizard.slug
                    onTextEdited: root.wizard.slug = text
                }
                TenantFieldError {
                    objectName: "wizardSlugError"
                    Layout.fillWidth: true
                    errors: root.errors
                    field: "slug"
                }
                Text {
                    Layout.fillWidth: true
                    text: root.wizard.slugEdited
                          ? qsTr("3 to 63 characters: a-z, 0-9 and single dashes. It names the tenant in URLs, the API and the audit log, and cannot change later.")
                          : qsTr("Suggested from the name; edit it if you like. It cannot change later.")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
                Item {
                    Layout.fillHeight: true
                }
            }

            // Plan
            ColumnLayout {
                spacing: Theme.spacingS

                Repeater {
                    model: root.planEntries

                    delegate: TenantOptionCard {
                        required property var modelData

                        objectName: "wizardPlan-" + modelData.plan
                        Layout.fillWidth: true
                        text: modelData.text
                        detail: modelData.detail
                        description: modelData.description
                        checked: modelData.checked
                        onClicked: modelData.choose()
                    }
                }
                TenantFieldError {
                    Layout.fillWidth: true
                    errors: root.errors
                    field: "plan"
                }
                UcCheckBox {
                    objectName: "wizardTrial"
                    Layout.topMargin: Theme.spacingS
                    text: root.planEntry(root.wizard.plan) !== null
                          ? qsTr("Start with a %Ln-day trial", "", root.planEntry(root.wizard.plan).trialDays)
                          : qsTr("Start with a trial")
                    checked: root.wizard.trial
                    onToggled: root.wizard.trial = checked
                }
                Item {
                    Layout.fillHeight: true
                }
            }

            // Placement
            ColumnLayout {
                spacing: Theme.spacingS

                TenantFormLabel {
                    text: qsTr("Home region")
                }
                UcComboBox {
                    objectName: "wizardHomeRegion"
                    Layout.fillWidth: true
                    model: root.regions
                    currentIndex: root.regions.indexOf(root.wizard.homeRegion)
                    onActivated: index => root.wizard.homeRegion = root.regions[index]
                }
                TenantFieldError {
                    Layout.fillWidth: true
                    errors: root.errors
                    field: "homeRegion"
                }

                TenantFormLabel {
                    Layout.topMargin: Theme.spacingXs
                    text: qsTr("Allowed regions (data residency)")
                }
                GridLayout {
                    Layout.fillWidth: true
                    columns: TenantStyle.regionColumns
                    columnSpacing: Theme.spacingM
                    rowSpacing: Theme.spacingXs

                    Repeater {
                        model: root.regionEntries

                        delegate: UcCheckBox {
                            required property var modelData

                            text: UcFormat.ltr(modelData.region)
                            checked: modelData.checked
                            // The home region always holds the data.
                            enabled: !modelData.home
                            onToggled: modelData.toggle(checked)
                        }
                    }
                }
                TenantFieldError {
                    Layout.fillWidth: true
                    errors: root.errors
                    field: "allowedRegions"
                }

                TenantFormLabel {
                    Layout.topMargin: Theme.spacingXs
                    text: qsTr("Isolation")
                }
                TenantOptionCard {
                    objectName: "wizardIsolation-rls"
                    Layout.fillWidth: true
                    text: TenantWords.isolationText("rls")
                    description: TenantWords.isolationDescription("rls")
                    checked: root.wizard.isolation === "rls"
                    onClicked: root.wizard.isolation = "rls"
                }
                TenantOptionCard {
                    objectName: "wizardIsolation-schema"
                    Layout.fillWidth: true
                    text: TenantWords.isolationText("schema")
                    description: TenantWords.isolationDescription("schema")
                    checked: root.wizard.isolation === "schema"
                    onClicked: root.wizard.isolation = "schema"
                }
                TenantOptionCard {
                    objectName: "wizardIsolation-database"
                    Layout.fillWidth: true
                    text: TenantWords.isolationText("database")
                    description: TenantWords.isolationDescription("database")
                    checked: root.wizard.isolation === "database"
                    onClicked: root.wizard.isolation = "database"
                }
                TenantFieldError {
                    Layout.fillWidth: true
                    errors: root.errors
                    field: "isolation"
                }
                Item {
                    Layout.fillHeight: true
                }
            }

            // Owner
            ColumnLayout {
                spacing: Theme.spacingS

                TenantFormLabel {
                    text: qsTr("Owner name")
                }
                UcTextField {
                    objectName: "wizardOwnerName"
                    Layout.fillWidth: true
                    placeholderText: qsTr("Who administers the tenant (optional)")
                    invalid: root.errors.ownerName !== undefined
                    text: root.wizard.ownerName
                    onTextEdited: root.wizard.ownerName = text
                }
                TenantFieldError {
                    Layout.fillWidth: true
                    errors: root.errors
                    field: "ownerName"
                }

                TenantFormLabel {
                    Layout.topMargin: Theme.spacingS
                    text: qsTr("Owner email")
                }
                UcTextField {
                    objectName: "wizardOwnerEmail"
                    Layout.fillWidth: true
                    LayoutMirroring.enabled: false
                    horizontalAlignment: TextInput.AlignLeft
                    placeholderText: qsTr("name@example.com")
                    invalid: root.errors.ownerEmail !== undefined
                    text: root.wizard.ownerEmail
                    onTextEdited: root.wizard.ownerEmail = text
                }
                TenantFieldError {
                    objectName: "wizardOwnerEmailError"
                    Layout.fillWidth: true
                    errors: root.errors
                    field: "ownerEmail"
                }
                Text {
                    Layout.fillWidth: true
                    text: qsTr("The owner receives the invitation to set up the tenant. Contact details are personal data: they are never written to logs or audit events.")
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
                Item {
                    Layout.fillHeight: true
                }
            }

            // Review
            ColumnLayout {
                spacing: Theme.spacingXxs

                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.detailLabelWidth
                    label: qsTr("Name")
                    value: root.wizard.name
                }
                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.detailLabelWidth
                    label: qsTr("Slug")
                    value: root.wizard.slug
                    monospace: true
                }
                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.detailLabelWidth
                    label: qsTr("Plan")
                    value: root.planEntry(root.wizard.plan) !== null
                           ? (root.wizard.trial ? qsTr("%1, trial first").arg(root.planEntry(root.wizard.plan).displayName)
                                                : root.planEntry(root.wizard.plan).displayName)
                           : root.wizard.plan
                }
                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.detailLabelWidth
                    label: qsTr("Home region")
                    value: root.wizard.homeRegion
                    monospace: true
                }
                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.detailLabelWidth
                    label: qsTr("Allowed regions")
                    value: root.allowedRegions.join(", ")
                    monospace: true
                }
                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.detailLabelWidth
                    label: qsTr("Isolation")
                    value: TenantWords.isolationText(root.wizard.isolation)
                }
                UcFieldRow {
                    Layout.fillWidth: true
                    labelWidth: TenantStyle.detailLabelWidth
                    label: qsTr("Owner")
                    value: root.wizard.ownerName.length > 0
                           ? qsTr("%1 <%2>").arg(root.wizard.ownerName).arg(root.wizard.ownerEmail)
                           : root.wizard.ownerEmail
                }
                Text {
                    objectName: "wizardError"
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacingM
                    visible: root.wizard.error.length > 0
                    text: qsTr("The tenant was not created: %1").arg(UcFormat.ltr(root.wizard.error))
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.statusDown
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
                Text {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.spacingM
                    text: root.wizard.busy
                          ? qsTr("Creating the tenant and provisioning its placement%1").arg(Theme.ellipsis)
                          : qsTr("Creating the tenant provisions its placement in the home region and records it in the audit log as %1.")
                                .arg(UcFormat.ltr(root.actor))
                    horizontalAlignment: Text.AlignLeft
                    color: Theme.textMuted
                    wrapMode: Text.Wrap
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontSmall
                }
                Item {
                    Layout.fillHeight: true
                }
            }
        }
    }
}
