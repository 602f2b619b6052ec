// SPDX-License-Identifier: MIT
// The signed-in inbox: conversation list (with search), the open conversation, and the contact
// panel with its notes.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Page {
    id: page
    objectName: "inboxPage"
    required property Session session
    required property ConversationListModel conversations
    required property MessageListModel messages
    // Popups are not in the item tree: reachable here for tests.
    readonly property Popup newConversationPopup: newConversation

    header: ToolBar {
        RowLayout {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
            Label {
                text: qsTr("Inbox")
                font.bold: true
            }
            Label {
                objectName: "unreadTotal"
                visible: page.conversations.unreadConversations > 0
                text: qsTr("%n unread", "", page.conversations.unreadConversations)
            }
            ToolButton {
                objectName: "newConversationButton"
                text: qsTr("New")
                onClicked: newConversation.open()
            }
            TextField {
                id: searchField
                objectName: "searchField"
                placeholderText: qsTr("Search messages and contacts")
                Layout.fillWidth: true
                onTextChanged: searchModel.query = text
            }
            Label {
                objectName: "realtimeState"
                text: page.session.realtimeConnected ? qsTr("Live") : qsTr("Offline")
                color: page.session.realtimeConnected ? "seagreen" : "darkorange"
            }
            ToolButton {
                objectName: "signOutButton"
                text: qsTr("Sign out")
                onClicked: page.session.signOut()
            }
        }
    }

    NewConversationPopup {
        id: newConversation
        session: page.session
        onContactChosen: (id) => page.conversations.startConversation(id)
    }

    SearchModel {
        id: searchModel
        session: page.session
    }

    SplitView {
        anchors.fill: parent

        Item {
            SplitView.preferredWidth: 320
            SplitView.minimumWidth: 240
            ConversationList {
                anchors.fill: parent
                visible: searchField.text.length === 0
                model: page.conversations
                currentConversationId: page.messages.conversationId
                onConversationChosen: (id) => page.messages.conversationId = id
            }
            SearchPanel {
                anchors.fill: parent
                visible: searchField.text.length > 0
                model: searchModel
                onConversationChosen: (id) => {
                    page.messages.conversationId = id
                    searchField.text = ""
                }
                onContactChosen: (id) => page.conversations.startConversation(id)
            }
        }
        ConversationView {
            SplitView.fillWidth: true
            SplitView.minimumWidth: 320
            messages: page.messages
            conversations: page.conversations
        }
        ColumnLayout {
            SplitView.preferredWidth: 280
            visible: page.messages.conversationId.length > 0
            ContactPanel {
                Layout.fillWidth: true
                session: page.session
                contactId: page.messages.conversation.contact ? page.messages.conversation.contact.id : ""
            }
            NotesPanel {
                Layout.fillWidth: true
                Layout.fillHeight: true
                session: page.session
                conversationId: page.messages.conversationId
            }
        }
    }

    Connections {
        target: page.conversations
        function onConversationStarted(id) { page.messages.conversationId = id }
    }
}
