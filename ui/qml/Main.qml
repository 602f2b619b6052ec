// SPDX-License-Identifier: MIT
// The inbox window: sign-in until a session exists, then the inbox. Its root properties are the
// surface the desktop app and the end-to-end test use (see ui/inboxui.h).
import QtQuick
import QtQuick.Controls
import InboxCentral.Inbox

ApplicationWindow {
    id: root
    objectName: "inboxWindow"
    width: 1100
    height: 720
    visible: false
    title: session.signedIn ? qsTr("Inbox Central — %1").arg(session.userName) : qsTr("Inbox Central")

    property url serverUrl
    readonly property Session session: theSession
    readonly property ConversationListModel conversations: conversationModel
    readonly property MessageListModel messages: messageModel
    readonly property string currentConversationId: messageModel.conversationId

    function openConversation(conversationId) {
        messageModel.conversationId = conversationId
    }

    Session {
        id: theSession
        serverUrl: root.serverUrl
    }
    ConversationListModel {
        id: conversationModel
        session: theSession
    }
    MessageListModel {
        id: messageModel
        session: theSession
    }

    Connections {
        target: theSession
        function onSignedInChanged() {
            if (!theSession.signedIn)
                messageModel.conversationId = ""
        }
    }

    Loader {
        anchors.fill: parent
        sourceComponent: theSession.signedIn ? inboxComponent : signInComponent
    }
    Component {
        id: signInComponent
        SignInPage { session: theSession }
    }
    Component {
        id: inboxComponent
        InboxPage {
            session: theSession
            conversations: conversationModel
            messages: messageModel
        }
    }
}
