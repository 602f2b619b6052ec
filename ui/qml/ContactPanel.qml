// SPDX-License-Identifier: MIT
// The conversation's contact: name, phone and email (editable), its opt-out state.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Pane {
    id: panel
    required property Session session
    property alias contactId: details.contactId
    readonly property ContactDetails details: details
    property bool editing: false

    ContactDetails {
        id: details
        session: panel.session
        onSaved: panel.editing = false
    }

    ColumnLayout {
        anchors.fill: parent
        RowLayout {
            Label {
                text: qsTr("Contact")
                font.bold: true
                Layout.fillWidth: true
            }
            ToolButton {
                objectName: "editContactButton"
                text: panel.editing ? qsTr("Cancel") : qsTr("Edit")
                enabled: details.loaded
                onClicked: {
                    nameField.text = details.name
                    phoneField.text = details.phone
                    emailField.text = details.email
                    panel.editing = !panel.editing
                }
            }
        }
        Label {
            objectName: "optOutState"
            visible: details.optedOut
            text: qsTr("Opted out of messages since %1").arg(UiHelpers.longTime(details.optedOutAt))
            color: "firebrick"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        GridLayout {
            columns: 2
            Layout.fillWidth: true
            Label { text: qsTr("Name") }
            Label {
                objectName: "contactNameLabel"
                visible: !panel.editing
                text: details.name
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            TextField {
                id: nameField
                objectName: "contactNameField"
                visible: panel.editing
                Layout.fillWidth: true
            }
            Label { text: qsTr("Phone") }
            Label {
                objectName: "contactPhoneLabel"
                visible: !panel.editing
                text: details.phone
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            TextField {
                id: phoneField
                objectName: "contactPhoneField"
                visible: panel.editing
                Layout.fillWidth: true
            }
            Label { text: qsTr("Email") }
            Label {
                objectName: "contactEmailLabel"
                visible: !panel.editing
                text: details.email
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            TextField {
                id: emailField
                objectName: "contactEmailField"
                visible: panel.editing
                Layout.fillWidth: true
            }
        }
        Label {
            objectName: "contactError"
            visible: text.length > 0
            text: details.errorString
            color: "firebrick"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Button {
            objectName: "saveContactButton"
            visible: panel.editing
            text: details.saving ? qsTr("Saving…") : qsTr("Save")
            enabled: !details.saving
            onClicked: details.save(nameField.text, phoneField.text, emailField.text)
        }
    }
}
