// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Desktop

ColumnLayout {
    id: page
    required property SettingsController controller
    spacing: 8

    SignInBox { controller: page.controller; Layout.fillWidth: true }
    RowLayout {
        enabled: !page.controller.remoteMode
        Label { text: qsTr("Twilio API base") }
        TextField {
            Layout.fillWidth: true
            placeholderText: "https://api.twilio.com"
            text: page.controller.twilioApiBase
            onEditingFinished: page.controller.twilioApiBase = text
        }
    }
    Label {
        visible: page.controller.signedIn && list.count === 0
        text: qsTr("This team has no inbox yet.")
    }
    ListView {
        id: list
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        spacing: 12
        visible: page.controller.signedIn
        model: page.controller.inboxes
        delegate: ColumnLayout {
            id: row
            required property int index
            required property string name
            required property string channel
            required property string address
            required property string accountSid
            required property bool credentialsSet
            required property string testMessage
            required property bool testOk
            width: ListView.view.width
            Label {
                font.bold: true
                text: qsTr("%1 (%2, %3)").arg(row.name).arg(row.channel).arg(row.address)
            }
            RowLayout {
                TextField {
                    id: sid
                    Layout.fillWidth: true
                    placeholderText: qsTr("Account SID (AC…)")
                    text: row.accountSid
                }
                TextField {
                    id: token
                    Layout.fillWidth: true
                    echoMode: TextInput.Password
                    placeholderText: row.credentialsSet ? qsTr("Auth token stored; type to replace") : qsTr("Auth token")
                }
                Button {
                    text: qsTr("Test credentials")
                    onClicked: page.controller.testInboxCredentials(row.index, sid.text, token.text)
                }
                Button {
                    text: qsTr("Save")
                    onClicked: page.controller.saveInboxCredentials(row.index, sid.text, token.text)
                }
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.WordWrap
                visible: row.testMessage !== ""
                color: row.testOk ? "darkgreen" : "darkred"
                text: row.testMessage
            }
        }
    }
}
