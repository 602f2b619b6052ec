// SPDX-License-Identifier: MIT
// Starts (or reopens) a conversation with a contact: pick one from the team's contacts, or add a
// new contact by phone number first.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Popup {
    id: popup
    objectName: "newConversationPopup"
    required property Session session
    signal contactChosen(string contactId)
    modal: true
    width: 360
    height: 440
    anchors.centerIn: Overlay.overlay

    ContactModel {
        id: contacts
        session: popup.session
        onContactCreated: (id) => { popup.contactChosen(id); popup.close() }
        onActionFailed: (error) => errorLabel.text = error
    }

    onOpened: {
        filterField.text = ""
        errorLabel.text = ""
        contacts.reload()
        filterField.forceActiveFocus()
    }

    ColumnLayout {
        anchors.fill: parent
        Label {
            text: qsTr("New conversation")
            font.bold: true
        }
        TextField {
            id: filterField
            objectName: "contactFilterField"
            placeholderText: qsTr("Find a contact by name, phone or email")
            Layout.fillWidth: true
            onTextChanged: contacts.query = text
        }
        ListView {
            objectName: "contactPickerList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: contacts
            ScrollBar.vertical: ScrollBar {}
            delegate: ItemDelegate {
                id: contactRow
                required property string contactId
                required property string displayName
                required property string phone
                required property bool optedOut
                width: ListView.view.width
                text: contactRow.displayName + (contactRow.phone.length > 0 && contactRow.phone !== contactRow.displayName
                                                ? "  ·  " + contactRow.phone : "")
                      + (contactRow.optedOut ? "  ·  " + qsTr("opted out") : "")
                onClicked: {
                    popup.contactChosen(contactRow.contactId)
                    popup.close()
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: newName
                objectName: "newContactName"
                placeholderText: qsTr("Name")
                Layout.fillWidth: true
            }
            TextField {
                id: newPhone
                objectName: "newContactPhone"
                placeholderText: qsTr("Phone")
                Layout.fillWidth: true
            }
            Button {
                objectName: "addContactButton"
                text: qsTr("Add")
                enabled: newPhone.text.trim().length > 0
                onClicked: contacts.createContact(newName.text, newPhone.text, "")
            }
        }
        Label {
            id: errorLabel
            visible: text.length > 0
            color: "firebrick"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
    }
}
