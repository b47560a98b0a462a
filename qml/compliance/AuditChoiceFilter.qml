import QtQuick
import UpCoach.Ops

// One filter over a field: a drop-down of the values seen when the model offers them (few
// distinct values), free text otherwise. `value` is undefined for "any"; `picked` reports a new
// choice the same way.
Item {
    id: root

    property var choices: []
    property var value
    property string anyText
    property string placeholderText
    property var labelFor: function (choice) {
        return choice
    }

    readonly property bool offersChoices: root.choices.length > 0
    readonly property var entries: {
        const list = [{ text: root.anyText, value: undefined }]
        for (const choice of root.choices)
            list.push({ text: root.labelFor(choice), value: choice })
        return list
    }

    signal picked(var value)

    function entryIndex(): int {
        if (root.value === undefined || root.value === null)
            return 0
        const at = root.choices.indexOf(root.value)
        return at < 0 ? 0 : at + 1
    }

    implicitWidth: combo.implicitWidth
    implicitHeight: Theme.controlHeight

    UcComboBox {
        id: combo

        anchors.fill: parent
        visible: root.offersChoices
        model: root.entries
        textRole: "text"
        valueRole: "value"
        currentIndex: root.entryIndex()
        onActivated: index => root.picked(root.entries[index].value)
    }

    UcTextField {
        anchors.fill: parent
        visible: !root.offersChoices
        placeholderText: root.placeholderText
        text: root.value === undefined || root.value === null ? "" : root.value
        onTextEdited: root.picked(text.length > 0 ? text : undefined)
    }
}
