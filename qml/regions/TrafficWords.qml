pragma Singleton

import QtQuick

// The Regions page's words for what the traffic view models deliver as identifiers and structured
// values: routing states, rule kinds, a rule's condition and effect, the controls. Imports only
// QtQuick (a second singleton importing UpCoach.Ops would form a load cycle with UcFormat).
QtObject {
    // Lists: "Germany, France and 3 more".
    readonly property int listShown: 4

    function integer(value: real): string {
        return Number(value).toLocaleString(Qt.locale(), "f", 0)
    }

    // "12.5 %" in the current locale (the caller decides what an unknown value shows).
    function percent(value: real, decimals: int): string {
        return qsTr("%1%", "percent").arg(Number(value).toLocaleString(Qt.locale(), "f", decimals))
    }

    // "1,234.5" in the current locale.
    function decimal(value: real, decimals: int): string {
        return Number(value).toLocaleString(Qt.locale(), "f", decimals)
    }

    // "12 countries, 3 tenants", leaving out what is zero.
    function movesText(countries: int, tenants: int): string {
        const countryText = countries > 0 ? qsTr("%Ln country(ies)", "", countries) : ""
        const tenantText = tenants > 0 ? qsTr("%Ln tenant(s)", "", tenants) : ""
        if (countryText.length > 0 && tenantText.length > 0)
            return countryText + qsTr(", ", "list separator") + tenantText
        return countryText + tenantText
    }

    function statusText(status: string): string {
        switch (status) {
        case "healthy":
            return qsTr("Healthy")
        case "unhealthy":
            return qsTr("Unhealthy")
        case "drained":
            return qsTr("Drained")
        case "failed-over":
            return qsTr("Failed over")
        default:
            return qsTr("Unknown")
        }
    }

    function statusDescription(status: string): string {
        switch (status) {
        case "healthy":
            return qsTr("Serving: its health checks pass.")
        case "unhealthy":
            return qsTr("Not serving: its health checks fail. Its clients go to its failover chain.")
        case "drained":
            return qsTr("Not serving: an operator drained it. Its clients go to its failover chain.")
        case "failed-over":
            return qsTr("Not serving: an operator forced its traffic to another region.")
        default:
            return qsTr("Serving, but no health check has reached a verdict yet.")
        }
    }

    function kindText(kind: string): string {
        switch (kind) {
        case "ip-allow":
            return qsTr("IP allow list")
        case "ip-deny":
            return qsTr("IP deny list")
        case "geo-fence":
            return qsTr("Geo-fence")
        case "affinity":
            return qsTr("Sticky sessions")
        case "weighted":
            return qsTr("Weighted split")
        case "latency":
            return qsTr("Lowest latency")
        case "geo-proximity":
            return qsTr("Nearest region")
        case "failover":
            return qsTr("Failover chains")
        default:
            return kind
        }
    }

    // "a, b, c and 2 more" from a list of strings.
    function listText(values: var): string {
        if (values.length <= listShown)
            return values.join(qsTr(", ", "list separator"))
        return qsTr("%1 and %Ln more", "", values.length - listShown)
            .arg(values.slice(0, listShown).join(qsTr(", ", "list separator")))
    }

    function countryNames(countries: var): string {
        return listText(countries.map(country => country.name))
    }

    function conditionText(rule: var): string {
        if (rule.appliesToAll)
            return qsTr("Every request")
        const parts = []
        if (rule.countries.length > 0)
            parts.push(qsTr("clients in %1").arg(countryNames(rule.countries)))
        if (rule.pathPrefixes.length > 0)
            parts.push(qsTr("paths starting with %1").arg(listText(rule.pathPrefixes)))
        if (rule.tenants.length > 0)
            parts.push(qsTr("tenants %1").arg(listText(rule.tenants)))
        const text = parts.join(qsTr("; ", "condition separator"))
        return text.charAt(0).toLocaleUpperCase() + text.slice(1)
    }

    function durationText(seconds: real): string {
        if (seconds >= 3600 && seconds % 3600 === 0)
            return qsTr("%Ln h", "", seconds / 3600)
        if (seconds >= 60 && seconds % 60 === 0)
            return qsTr("%Ln min", "", seconds / 60)
        return qsTr("%Ln s", "", seconds)
    }

    function regionList(regionIds: var): string {
        return listText(regionIds)
    }

    // What a rule does, in a sentence or two, from the policy model's roles.
    function effectText(rule: var): string {
        switch (rule.kind) {
        case "ip-allow":
            return qsTr("Refuses clients outside %Ln network(s): %1", "", rule.cidrCount)
                .arg(listText(rule.cidrs))
        case "ip-deny":
            return qsTr("Refuses clients inside %Ln network(s): %1", "", rule.cidrCount)
                .arg(listText(rule.cidrs))
        case "geo-fence": {
            const parts = []
            if (rule.denyCountries.length > 0)
                parts.push(qsTr("Refuses clients from %1.").arg(countryNames(rule.denyCountries)))
            if (rule.allowCountries.length > 0)
                parts.push(qsTr("Refuses clients outside %1.").arg(countryNames(rule.allowCountries)))
            if (rule.allowRegions.length > 0)
                parts.push(qsTr("Serves them only from %1.").arg(regionList(rule.allowRegions)))
            return parts.length > 0 ? parts.join(" ") : qsTr("Restricts nothing.")
        }
        case "affinity":
            return rule.cookie.length > 0
                    ? qsTr("Keeps a client on its region for %1 (cookie %2).")
                      .arg(durationText(rule.ttlSeconds)).arg(rule.cookie)
                    : qsTr("Keeps a client on its region for %1 (header %2).")
                      .arg(durationText(rule.ttlSeconds)).arg(rule.header)
        case "weighted": {
            const shares = rule.weights.filter(weight => weight.weight > 0).map(
                             weight => qsTr("%1 %2%").arg(weight.regionId)
                             .arg(Number(weight.percent).toLocaleString(Qt.locale(), "f", 0)))
            const split = qsTr("Splits clients: %1.").arg(shares.join(qsTr(", ", "list separator")))
            return rule.hashBySession ? split + " " + qsTr("Each session keeps its bucket.")
                                      : split + " " + qsTr("Each client network keeps its bucket.")
        }
        case "latency":
            return qsTr("Sends a client to the region with the lowest measured round trip from its network (or country), once there are %Ln sample(s).", "", rule.minSamples)
        case "geo-proximity": {
            const text = qsTr("Sends a client to the nearest region by great-circle distance from its country.")
            if (rule.bias.length === 0)
                return text
            return text + " " + qsTr("Bias: %1.").arg(
                        rule.bias.map(entry => qsTr("%1 %2").arg(entry.regionId).arg(
                                          Number(entry.bias).toLocaleString(Qt.locale(), "f", 0)))
                        .join(qsTr(", ", "list separator")))
        }
        case "failover":
            return qsTr("Hands an unavailable region's clients to the next available region of its chain (%Ln chain(s)).", "", rule.chains.length)
        default:
            return ""
        }
    }

    function actionButton(action: string): string {
        switch (action) {
        case "drain":
            return qsTr("Drain")
        case "undrain":
            return qsTr("Undrain")
        case "failover":
            return qsTr("Fail over")
        case "weights":
            return qsTr("Save weights")
        default:
            return action
        }
    }

    function actionDone(action: string, target: string): string {
        switch (action) {
        case "drain":
            return qsTr("%1 drained.").arg(target)
        case "undrain":
            return qsTr("%1 is back in service.").arg(target)
        case "failover":
            return qsTr("%1 failed over.").arg(target)
        case "weights":
            return qsTr("Weights of %1 changed.").arg(target)
        default:
            return ""
        }
    }

    // Before the backend's own (English) message.
    function actionFailed(action: string): string {
        switch (action) {
        case "drain":
            return qsTr("Could not drain the region:")
        case "undrain":
            return qsTr("Could not return the region to service:")
        case "failover":
            return qsTr("Could not fail the region over:")
        case "weights":
            return qsTr("Could not change the weights:")
        default:
            return ""
        }
    }

    function reasonProblemText(problem: string, minimum: int, maximum: int): string {
        switch (problem) {
        case "short":
            return qsTr("Say why in at least %Ln character(s).", "", minimum)
        case "long":
            return qsTr("At most %Ln character(s).", "", maximum)
        case "control":
            return qsTr("Control characters are not allowed.")
        default:
            return ""
        }
    }
}
