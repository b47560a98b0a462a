pragma Singleton

import QtQuick
import UpCoach.Ops

// Locale-aware formatting of the figures the view models deliver. Unknown values (-1, null,
// empty) become Theme.unknownValue (an em dash) so a page never shows a made-up number.
QtObject {
    function isKnownNumber(value: var): bool {
        return value !== undefined && value !== null && value >= 0
    }

    function integer(value: var): string {
        if (!isKnownNumber(value))
            return Theme.unknownValue
        return Number(value).toLocaleString(Qt.locale(), "f", Theme.integerDecimals)
    }

    function milliseconds(value: var): string {
        if (!isKnownNumber(value))
            return Theme.unknownValue
        return qsTr("%1 ms").arg(Number(value).toLocaleString(Qt.locale(), "f", Theme.latencyDecimals))
    }

    // Dates arrive as null (unknown role) or an invalid Date (unset QDateTime property).
    function isKnownDate(value: var): bool {
        return value !== undefined && value !== null && !isNaN(value.getTime())
    }

    function time(value: var): string {
        if (!isKnownDate(value))
            return Theme.unknownValue
        return value.toLocaleTimeString(Qt.locale(), Theme.timeFormat)
    }

    // A time today, or a date and time when it was on another day.
    function moment(value: var): string {
        if (!isKnownDate(value))
            return Theme.unknownValue
        if (value.toDateString() === new Date().toDateString())
            return value.toLocaleTimeString(Qt.locale(), Theme.timeFormat)
        return value.toLocaleString(Qt.locale(), Theme.dateTimeFormat)
    }

    // Technical text (paths, times, hashes, messages) kept left to right inside a sentence of a
    // right-to-left language.
    function ltr(value: string): string {
        return Theme.leftToRightIsolate + value + Theme.popDirectionalIsolate
    }

    function textOrUnknown(value: string): string {
        return value.length > 0 ? value : Theme.unknownValue
    }

    function statusText(status: string): string {
        if (status === "up")
            return qsTr("Up")
        if (status === "down")
            return qsTr("Down")
        return qsTr("Unknown")
    }

    function roleText(role: string): string {
        if (role === "primary")
            return qsTr("Primary")
        if (role === "standby")
            return qsTr("Standby")
        return Theme.unknownValue
    }

    function statusColor(status: string): color {
        if (status === "up")
            return Theme.statusUp
        if (status === "down")
            return Theme.statusDown
        return Theme.statusUnknown
    }

    function statusSoftColor(status: string): color {
        if (status === "up")
            return Theme.statusUpSoft
        if (status === "down")
            return Theme.statusDownSoft
        return Theme.statusUnknownSoft
    }

    // Audit events: outcome ("success", "failure", "denied") in words and colours.
    function outcomeText(outcome: string): string {
        if (outcome === "success")
            return qsTr("Success")
        if (outcome === "failure")
            return qsTr("Failure")
        if (outcome === "denied")
            return qsTr("Denied")
        return outcome
    }

    function outcomeColor(outcome: string): color {
        if (outcome === "success")
            return Theme.statusUp
        if (outcome === "failure")
            return Theme.statusWarn
        if (outcome === "denied")
            return Theme.statusDown
        return Theme.textSecondary
    }

    function outcomeSoftColor(outcome: string): color {
        if (outcome === "success")
            return Theme.statusUpSoft
        if (outcome === "failure")
            return Theme.statusWarnSoft
        if (outcome === "denied")
            return Theme.statusDownSoft
        return Theme.statusUnknownSoft
    }

    // Audit events without a tenant belong to the platform itself.
    function tenantText(tenant: string): string {
        return tenant.length > 0 ? tenant : qsTr("Platform")
    }
}
