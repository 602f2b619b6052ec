// SPDX-License-Identifier: MIT
// The conversation list with its filters; rows show the contact, the last message, the time of
// the last activity and an unread badge. Updates arrive through the model.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Pane {
    id: pane
    padding: 0
    required property ConversationListModel model
    property string currentConversationId
    signal conversationChosen(string conversationId)

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 6
            ComboBox {
                id: statusFilter
                objectName: "statusFilter"
                Layout.fillWidth: true
                textRole: "label"
                valueRole: "value"
                model: [
                    { label: qsTr("All"), value: "" },
                    { label: qsTr("Open"), value: "open" },
                    { label: qsTr("Pending"), value: "pending" },
                    { label: qsTr("Snoozed"), value: "snoozed" },
                    { label: qsTr("Resolved"), value: "resolved" }
                ]
                onActivated: pane.model.status = currentValue
            }
            ComboBox {
                id: assigneeFilter
                objectName: "assigneeFilter"
                Layout.fillWidth: true
                textRole: "label"
                valueRole: "value"
                model: [
                    { label: qsTr("Anyone"), value: "any" },
                    { label: qsTr("Mine"), value: "mine" },
                    { label: qsTr("Unassigned"), value: "none" }
                ]
                onActivated: {
                    pane.model.unassigned = currentValue === "none"
                    pane.model.assigneeId = currentValue === "mine" ? pane.model.session.userId : ""
                }
            }
            CheckBox {
                objectName: "unreadFilter"
                text: qsTr("Unread")
                checked: pane.model.unreadOnly
                onToggled: pane.model.unreadOnly = checked
            }
        }

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: pane.model
            ScrollBar.vertical: ScrollBar {}

            delegate: ItemDelegate {
                id: row
                required property int index
                required property string conversationId
                required property string contactName
                required property string preview
                required property var lastMessageAt
                required property int unreadCount
                required property string status
                required property string channel
                objectName: "conversation_" + conversationId
                width: ListView.view.width
                highlighted: conversationId === pane.currentConversationId
                onClicked: pane.conversationChosen(conversationId)

                contentItem: RowLayout {
                    spacing: 8
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 2
                        RowLayout {
                            Label {
                                text: row.contactName.length > 0 ? row.contactName : qsTr("Unknown contact")
                                font.bold: row.unreadCount > 0
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                            Label {
                                text: UiHelpers.shortTime(row.lastMessageAt)
                                opacity: 0.6
                                font.pixelSize: 11
                            }
                        }
                        RowLayout {
                            Label {
                                text: row.preview
                                elide: Text.ElideRight
                                opacity: 0.75
                                Layout.fillWidth: true
                            }
                            Label {
                                visible: row.status !== "open"
                                text: row.status === "resolved" ? qsTr("Resolved")
                                    : row.status === "snoozed" ? qsTr("Snoozed")
                                    : row.status === "pending" ? qsTr("Pending") : ""
                                font.pixelSize: 10
                                opacity: 0.6
                            }
                            Rectangle {
                                objectName: "unreadBadge"
                                visible: row.unreadCount > 0
                                radius: height / 2
                                color: "#1e6fd9"
                                implicitHeight: 18
                                implicitWidth: Math.max(18, badgeText.implicitWidth + 8)
                                Label {
                                    id: badgeText
                                    anchors.centerIn: parent
                                    text: row.unreadCount
                                    color: "white"
                                    font.pixelSize: 11
                                }
                            }
                        }
                    }
                }
            }

            footer: BusyIndicator {
                width: ListView.view.width
                running: pane.model.loading
                visible: running
            }

            Label {
                anchors.centerIn: parent
                visible: list.count === 0 && !pane.model.loading
                text: qsTr("No conversations")
                opacity: 0.6
            }
        }
    }
}
