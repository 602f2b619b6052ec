// SPDX-License-Identifier: MIT
// The settings window: shows and edits a SettingsController (all logic is there).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Desktop

ApplicationWindow {
    id: window
    required property SettingsController controller

    title: qsTr("Inbox Central settings")
    width: 720
    height: 620
    visible: true

    header: TabBar {
        id: tabs
        TabButton { text: qsTr("Server") }
        TabButton { text: qsTr("Database") }
        TabButton { text: qsTr("Sign-in") }
        TabButton { text: qsTr("Team") }
        TabButton { text: qsTr("Twilio") }
    }

    footer: Pane {
        RowLayout {
            anchors.fill: parent
            Label {
                objectName: "secretBackendLabel"
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                text: window.controller.secretBackendDescription
            }
            Label {
                objectName: "statusLabel"
                Layout.maximumWidth: window.width / 3
                wrapMode: Text.WordWrap
                text: window.controller.statusMessage
            }
            Button {
                objectName: "saveButton"
                text: qsTr("Save")
                onClicked: window.controller.save()
            }
        }
    }

    StackLayout {
        anchors.fill: parent
        anchors.margins: 12
        currentIndex: tabs.currentIndex

        // Server
        ServerPage { controller: window.controller }
        // Database
        DatabasePage { controller: window.controller }
        // Google sign-in
        GooglePage { controller: window.controller }
        // Team members and roles
        TeamPage { controller: window.controller }
        // Twilio credentials per inbox
        TwilioPage { controller: window.controller }
    }
}
