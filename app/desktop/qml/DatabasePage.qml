// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Desktop

ColumnLayout {
    id: page
    required property SettingsController controller
    spacing: 8

    Label {
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        text: qsTr("A SQLite file (sqlite:///path/to/inbox.db) or a PostgreSQL URL (postgresql://user:password@host/db). Empty: a SQLite file in the data folder.")
    }
    TextField {
        objectName: "databaseUrlField"
        Layout.fillWidth: true
        enabled: !page.controller.remoteMode
        text: page.controller.databaseUrl
        onEditingFinished: page.controller.databaseUrl = text
    }
    RowLayout {
        Button {
            objectName: "testDatabaseButton"
            text: qsTr("Test connection")
            enabled: !page.controller.databaseTestRunning && !page.controller.remoteMode
            onClicked: page.controller.testDatabase()
        }
        BusyIndicator {
            running: page.controller.databaseTestRunning
            visible: running
            implicitHeight: 24
            implicitWidth: 24
        }
        Label {
            objectName: "databaseTestLabel"
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: page.controller.databaseTestOk ? "darkgreen" : "darkred"
            text: page.controller.databaseTestMessage
        }
    }
    Item { Layout.fillHeight: true }
}
