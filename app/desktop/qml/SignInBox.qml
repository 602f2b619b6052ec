// SPDX-License-Identifier: MIT
// Admin sign-in for the Team and Twilio pages (they go through the API).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Desktop

RowLayout {
    id: box
    required property SettingsController controller
    visible: !controller.signedIn

    TextField {
        id: email
        Layout.fillWidth: true
        placeholderText: qsTr("Admin email")
    }
    TextField {
        id: password
        Layout.fillWidth: true
        echoMode: TextInput.Password
        placeholderText: qsTr("Password")
        onAccepted: box.controller.signIn(email.text, password.text)
    }
    Button {
        text: qsTr("Sign in")
        enabled: box.controller.serverUrl !== ""
        onClicked: box.controller.signIn(email.text, password.text)
    }
}
