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
    enabled: !controller.remoteMode

    Label {
        Layout.columnSpan: 2
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        text: qsTr("Google sign-in: the OAuth client of your Google Cloud project.")
    }
    Label { text: qsTr("Client ID") }
    TextField {
        Layout.fillWidth: true
        text: page.controller.googleClientId
        onEditingFinished: page.controller.googleClientId = text
    }
    Label { text: qsTr("Client secret") }
    TextField {
        Layout.fillWidth: true
        echoMode: TextInput.Password
        placeholderText: page.controller.googleClientSecretStored ? qsTr("Stored; type to replace") : qsTr("Not set")
        text: page.controller.googleClientSecret
        onEditingFinished: page.controller.googleClientSecret = text
    }
    Label { text: qsTr("Callback URL") }
    TextField {
        Layout.fillWidth: true
        placeholderText: qsTr("Default: the public URL + /api/auth/google/callback")
        text: page.controller.googleCallbackUrl
        onEditingFinished: page.controller.googleCallbackUrl = text
    }
    Item { Layout.fillHeight: true; Layout.columnSpan: 2 }
}
