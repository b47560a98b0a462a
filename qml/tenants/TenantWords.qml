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
        case "rotate-key":
            return qsTr("Rotate data key")
        case "end-impersonation":
            return qsTr("End impersonation")
        default:
            return action
        }
    }

    // Lifecycle actions depend on the tenant's state; the others (rotate-key, end-impersonation)
    // are offered only where they apply.
    function isLifecycle(action: string): bool {
        return action === "activate" || action === "reactivate" || action === "suspend"
               || action === "cancel"
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
        case "rotate-key":
            return qsTr("A new data key version becomes current and every encrypted value is re-encrypted under it. Older versions keep decrypting until the tenant is deleted.")
        case "end-impersonation":
            return qsTr("You stop acting as this user now. The impersonation cannot be resumed; start a new one with a reason if you need it again.")
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

    // The coaching model's tables (TenantQuota measures each).
    function tableLabel(table: string): string {
        switch (table) {
        case "users":
            return qsTr("Users")
        case "programs":
            return qsTr("Programs")
        case "goals":
            return qsTr("Goals")
        case "habits":
            return qsTr("Habits")
        case "habit_checkins":
            return qsTr("Habit check-ins")
        case "coaching_sessions":
            return qsTr("Coaching sessions")
        case "session_notes":
            return qsTr("Session notes")
        case "messages":
            return qsTr("Messages")
        case "scim_groups":
            return qsTr("Directory groups")
        case "scim_group_members":
            return qsTr("Group memberships")
        default:
            return table
        }
    }

    function userRoleText(role: string): string {
        switch (role) {
        case "coach":
            return qsTr("Coach")
        case "coachee":
            return qsTr("Coachee")
        case "admin":
            return qsTr("Administrator")
        default:
            return role
        }
    }

    function goalStatusText(status: string): string {
        switch (status) {
        case "open":
            return qsTr("Open")
        case "achieved":
            return qsTr("Achieved")
        case "abandoned":
            return qsTr("Abandoned")
        default:
            return status
        }
    }

    function cadenceText(cadence: string): string {
        switch (cadence) {
        case "daily":
            return qsTr("Daily")
        case "weekly":
            return qsTr("Weekly")
        default:
            return cadence
        }
    }

    function sessionStatusText(status: string): string {
        switch (status) {
        case "scheduled":
            return qsTr("Scheduled")
        case "completed":
            return qsTr("Completed")
        case "canceled":
            return qsTr("Canceled")
        case "no-show":
            return qsTr("No-show")
        default:
            return status
        }
    }

    // An impersonation in the tenant's history: open, ended or expired.
    function impersonationStatusText(status: string): string {
        switch (status) {
        case "open":
            return qsTr("Open")
        case "ended":
            return qsTr("Ended")
        case "expired":
            return qsTr("Expired")
        default:
            return status
        }
    }

    // A duration choice of the impersonation dialog ({value, unit: "min" | "h"}).
    function durationText(choice: var): string {
        if (choice.unit === "h")
            return qsTr("%Ln h", "", choice.value)
        return qsTr("%Ln min", "", choice.value)
    }

    function onOff(value: bool): string {
        return value ? qsTr("On") : qsTr("Off")
    }
}
