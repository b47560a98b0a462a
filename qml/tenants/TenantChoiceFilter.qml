import QtQuick
import UpCoach.Ops

// A drop-down filter over one field: "any" first, then the choices (labelled by `labelFor`).
// `value` is "" for any; `picked` reports a new choice the same way.
UcComboBox {
    id: root

    property var choices: []
    property string value
    property string anyText
    property var labelFor: function (choice) {
        return choice
    }

    readonly property var entries: {
        const list = [{ text: root.anyText, value: "" }]
        for (const choice of root.choices)
            list.push({ text: root.labelFor(choice), value: choice })
        return list
    }

    signal picked(string value)

    implicitWidth: TenantStyle.filterWidth
    model: root.entries
    textRole: "text"
    valueRole: "value"
    currentIndex: Math.max(0, root.choices.indexOf(root.value) + 1)
    onActivated: index => root.picked(root.entries[index].value)
}
