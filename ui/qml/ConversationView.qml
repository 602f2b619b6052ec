// SPDX-License-Identifier: MIT
// The open conversation: header (contact, status actions), the messages newest at the bottom
// (the model is newest-first; the list grows upwards and pages older entries in at the top),
// and the composer.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Pane {
    id: view
    padding: 0
    required property MessageListModel messages
    required property ConversationListModel conversations
    readonly property var conversation: messages.conversation
    readonly property bool open: messages.conversationId.length > 0

    Label {
        anchors.centerIn: parent
        visible: !view.open
        text: qsTr("Choose a conversation")
        opacity: 0.6
    }

    ColumnLayout {
        anchors.fill: parent
        visible: view.open
        spacing: 0

        ToolBar {
            Layout.fillWidth: true
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 8
                Label {
                    objectName: "conversationTitle"
                    font.bold: true
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                    text: {
                        const c = view.conversation.contact
                        if (!c) return ""
                        return c.name ? c.name : (c.phone ? c.phone : (c.email ? c.email : qsTr("Unknown contact")))
                    }
                }
                Label {
                    text: view.conversation.channel ? view.conversation.channel.toUpperCase() : ""
                    opacity: 0.6
                }
                ToolButton {
                    objectName: "resolveButton"
                    text: view.conversation.status === "resolved" ? qsTr("Reopen") : qsTr("Resolve")
                    onClicked: view.conversations.changeStatus(view.messages.conversationId,
                        view.conversation.status === "resolved" ? "open" : "resolved")
                }
                ToolButton {
                    objectName: "snoozeButton"
                    text: qsTr("Snooze")
                    onClicked: view.conversations.snooze(view.messages.conversationId, UiHelpers.laterPreset(2))
                }
                ToolButton {
                    objectName: "markUnreadButton"
                    text: qsTr("Mark unread")
                    onClicked: {
                        view.messages.autoMarkRead = false
                        view.conversations.markUnread(view.messages.conversationId)
                    }
                }
            }
        }

        ListView {
            id: list
            objectName: "messageList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: view.messages
            verticalLayoutDirection: ListView.BottomToTop
            spacing: 2
            ScrollBar.vertical: ScrollBar {}
            delegate: MessageBubble {
                width: ListView.view.width
                onCancelRequested: (id) => view.messages.cancelScheduled(id)
            }
            header: Item { height: 6 }
            footer: BusyIndicator {
                width: ListView.view.width
                running: view.messages.loading
                visible: running
            }
            Label {
                anchors.centerIn: parent
                visible: list.count === 0 && !view.messages.loading
                text: qsTr("No messages yet")
                opacity: 0.6
            }
        }

        Label {
            objectName: "messageError"
            visible: text.length > 0
            text: view.messages.errorString
            color: "firebrick"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Layout.margins: 6
        }

        Composer {
            Layout.fillWidth: true
            messages: view.messages
            channel: view.conversation.channel ? view.conversation.channel : ""
        }
    }

    onOpenChanged: if (open) messages.autoMarkRead = true
}
