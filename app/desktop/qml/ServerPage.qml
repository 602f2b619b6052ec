// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Desktop

GridLayout {
    id: page
    required property SettingsController controller
    columns: 2
    columnSpacing: 12

    Label { text: qsTr("Server") }
    RowLayout {
        RadioButton {
            text: qsTr("Run the server in this app")
            checked: !page.controller.remoteMode
            onToggled: page.controller.remoteMode = !checked
        }
        RadioButton {
            text: qsTr("Use a remote server")
            checked: page.controller.remoteMode
            onToggled: page.controller.remoteMode = checked
        }
    }

    Label { text: qsTr("Remote server URL"); visible: page.controller.remoteMode }
    TextField {
        Layout.fillWidth: true
        visible: page.controller.remoteMode
        placeholderText: "https://inbox.example.com"
        text: page.controller.remoteUrl
        onEditingFinished: page.controller.remoteUrl = text
    }

    Label { text: qsTr("Listen address") }
    TextField {
        Layout.fillWidth: true
        enabled: !page.controller.remoteMode
        text: page.controller.host
        onEditingFinished: page.controller.host = text
    }

    Label { text: qsTr("Port") }
    SpinBox {
        enabled: !page.controller.remoteMode
        from: 0
        to: 65535
        editable: true
        value: page.controller.port
        // A port is a number, not an amount: no thousands separator.
        textFromValue: (value, locale) => value.toString()
        valueFromText: (text, locale) => parseInt(text)
        onValueModified: page.controller.port = value
    }

    Label { text: qsTr("Public URL") }
    TextField {
        Layout.fillWidth: true
        enabled: !page.controller.remoteMode
        placeholderText: qsTr("How Twilio and browsers reach this server")
        text: page.controller.publicUrl
        onEditingFinished: page.controller.publicUrl = text
    }

    Label { text: qsTr("CORS origins") }
    TextField {
        Layout.fillWidth: true
        enabled: !page.controller.remoteMode
        placeholderText: qsTr("Comma separated, e.g. https://app.example.com")
        text: page.controller.corsOrigins
        onEditingFinished: page.controller.corsOrigins = text
    }

    Label { text: qsTr("Settings file") }
    Label {
        Layout.fillWidth: true
        elide: Text.ElideMiddle
        text: page.controller.settingsFile
    }

    Item { Layout.fillHeight: true; Layout.columnSpan: 2 }
}
