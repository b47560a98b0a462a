import QtQuick
import QtCharts
import UpCoach.Ops
import UpCoach.ViewModels

// The selected region's last five minutes: requests per second (left axis) and p95 latency
// (right axis) over time, mapped straight from TrafficTimelineModel's columns. The axes' ranges
// come from the model too.
ChartView {
    id: root

    required property TrafficTimelineModel timeline
    // How much time the timeline covers (TrafficWorkspace.timelineMinutes).
    property int minutes
    // The points the series carry (what the model mapped onto them).
    readonly property int requestsPoints: requestsSeries.count
    readonly property int latencyPoints: latencySeries.count

    antialiasing: true
    // Axis numbers in the console's language (Arabic-Indic digits in Arabic).
    localizeNumbers: true
    backgroundColor: Theme.transparent
    plotAreaColor: Theme.codeBackground
    backgroundRoundness: Theme.spacingNone
    dropShadowEnabled: false
    // The panel shows the key above the chart: more height for the lines.
    legend.visible: false
    margins.top: Theme.spacingXs
    margins.bottom: Theme.spacingXs
    margins.left: Theme.spacingXs
    margins.right: Theme.spacingXs
    Accessible.role: Accessible.Chart
    Accessible.name: qsTr("Requests per second and p95 latency, last %Ln minute(s)", "",
                          root.minutes)

    DateTimeAxis {
        id: timeAxis

        min: root.timeline.from
        max: root.timeline.to
        format: Theme.trafficChartTimeFormat
        tickCount: root.timeline.timeTickCount
        labelsColor: Theme.textMuted
        labelsFont.family: Theme.fontFamily
        labelsFont.pixelSize: Theme.fontCaption
        gridLineColor: Theme.chartGrid
        color: Theme.border
    }

    // ValuesAxis is QValueAxis under its older QML name: Qt 6.4's QtCharts type description lists
    // QValueAxis twice and the second entry hides the "ValueAxis" name from qmllint.
    ValuesAxis {
        id: requestsAxis

        min: 0
        max: root.timeline.maxRequestsPerSecond
        tickCount: root.timeline.axisTickCount
        labelFormat: Theme.trafficChartValueFormat
        labelsColor: Theme.chartRequests
        labelsFont.family: Theme.fontFamily
        labelsFont.pixelSize: Theme.fontCaption
        gridLineColor: Theme.chartGrid
        color: Theme.border
    }

    ValuesAxis {
        id: latencyAxis

        min: 0
        max: root.timeline.maxP95Ms
        tickCount: root.timeline.axisTickCount
        labelFormat: Theme.trafficChartValueFormat
        labelsColor: Theme.chartLatency
        labelsFont.family: Theme.fontFamily
        labelsFont.pixelSize: Theme.fontCaption
        gridVisible: false
        color: Theme.border
    }

    LineSeries {
        id: requestsSeries

        objectName: "requestsSeries"
        name: qsTr("Requests/s")
        axisX: timeAxis
        axisY: requestsAxis
        color: Theme.chartRequests
        width: Theme.trafficChartLineWidth
    }

    LineSeries {
        id: latencySeries

        objectName: "latencySeries"
        name: qsTr("p95 (ms)")
        axisX: timeAxis
        axisYRight: latencyAxis
        color: Theme.chartLatency
        width: Theme.trafficChartLineWidth
    }

    VXYModelMapper {
        model: root.timeline
        series: requestsSeries
        xColumn: TrafficTimelineModel.TimeColumn
        yColumn: TrafficTimelineModel.RequestsPerSecondColumn
    }

    VXYModelMapper {
        model: root.timeline
        series: latencySeries
        xColumn: TrafficTimelineModel.TimeColumn
        yColumn: TrafficTimelineModel.P95MsColumn
    }
}
