pragma Singleton

import QtQuick

// The Tenants page's words for the values the view models deliver as identifiers (states,
// strategies, actions, setting keys). Unknown identifiers are shown as they are.
QtObject {
    function stateText(state: string): string {
        switch (state) {
        case "trial":
            return qsTr("Trial")
        case "active":
            return qsTr("Active")
        case "suspended":
            return qsTr("Suspended")
        case "canceled":
            return qsTr("Canceled")
        case "deleted":
            return qsTr("Deleted")
        default:
            return state
        }
    }

    function isolationText(isolation: string): string {
        switch (isolation) {
        case "rls":
            return qsTr("Shared (RLS)")
        case "schema":
            return qsTr("Schema")
        case "database":
            return qsTr("Database")
        default:
            return isolation
        }
    }

    function isolationDescription(isolation: string): string {
        switch (isolation) {
        case "rls":
            return qsTr("Shared tables, separated by row-level security. The most economical; fits most tenants.")
        case "schema":
            return qsTr("A schema and database role of its own in the region's database.")
        case "database":
            return qsTr("A database of its own: the strongest separation, for regulated customers.")
        default:
            return ""
        }
    }

    function kindText(kind: string): string {
        switch (kind) {
        case "organization":
            return qsTr("Organization")
        case "sub-organization":
            return qsTr("Sub-organization")
        case "team":
            return qsTr("Team")
        default:
            return kind
        }
    }

    function provisioningText(provisioning: string): string {
        switch (provisioning) {
        case "pending":
            return qsTr("Provisioning")
        case "ready":
            return qsTr("Ready")
        case "failed":
            return qsTr("Provisioning failed")
        case "moving":
            return qsTr("Moving")
        case "removed":
            return qsTr("Removed")
        default:
            return provisioning
        }
    }

    // A button's label.
    function actionText(action: string): string {
        switch (action) {
        case "activate":
            return qsTr("Activate")
        case "reactivate":
            return qsTr("Reactivate")
        case "suspend":
            return qsTr("Suspend")
        case "cancel":
            return qsTr("Cancel subscription")
        default:
            return action
        }
    }

    // What the action does, for the confirmation.
    function actionConsequence(action: string): string {
        switch (action) {
        case "activate":
            return qsTr("Users can sign in and use UpCoach again. A trial becomes a paying subscription.")
        case "reactivate":
            return qsTr("The canceled subscription becomes active again; its data is still there.")
        case "suspend":
            return qsTr("Users can no longer sign in or use the API. Data is kept and operators can still reach it.")
        case "cancel":
            return qsTr("The subscription ends and users lose access. Data is kept until the tenant is deleted.")
        default:
            return ""
        }
    }

    function configLabel(key: string): string {
        switch (key) {
        case "locale":
            return qsTr("Language")
        case "timezone":
            return qsTr("Time zone")
        case "weekStartsOn":
            return qsTr("Week starts on")
        case "sessionLengthMinutes":
            return qsTr("Session length (minutes)")
        case "dataRetentionDays":
            return qsTr("Data retention (days)")
        case "mfaRequired":
            return qsTr("Require MFA")
        case "ssoRequired":
            return qsTr("Require SSO")
        case "allowedEmailDomains":
            return qsTr("Allowed email domains")
        case "brandColor":
            return qsTr("Brand colour")
        default:
            return key
        }
    }

    function limitLabel(key: string): string {
        switch (key) {
        case "seats":
            return qsTr("Seats")
        case "storageBytes":
            return qsTr("Storage")
        case "apiRequestsPerMinute":
            return qsTr("API requests per minute")
        default:
            return key
        }
    }

    function featureLabel(key: string): string {
        switch (key) {
        case "sso":
            return qsTr("Single sign-on")
        case "scim":
            return qsTr("SCIM provisioning")
        case "customDomain":
            return qsTr("Custom domain")
        case "advancedAnalytics":
            return qsTr("Advanced analytics")
        case "aiCoachAssist":
            return qsTr("AI coach assist")
        case "hipaa":
            return qsTr("HIPAA safeguards")
        default:
            return key
        }
    }

    function usageLabel(key: string): string {
        switch (key) {
        case "users":
            return qsTr("Users")
        case "coaches":
            return qsTr("Coaches")
        case "coachees":
            return qsTr("Coachees")
        case "programs":
            return qsTr("Programs")
        case "goals":
            return qsTr("Goals")
        case "sessions":
            return qsTr("Coaching sessions")
        case "messages":
            return qsTr("Messages")
        default:
            return key
        }
    }

    function onOff(value: bool): string {
        return value ? qsTr("On") : qsTr("Off")
    }
}
