// SPDX-License-Identifier: MIT
// Search results: matching messages (open their conversation) and contacts (start or open their
// conversation).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Pane {
    id: pane
    padding: 0
    required property SearchModel model
    signal conversationChosen(string conversationId)
    signal contactChosen(string contactId)

    ListView {
        id: list
        objectName: "searchResults"
        anchors.fill: parent
        clip: true
        model: pane.model
        ScrollBar.vertical: ScrollBar {}
        delegate: ItemDelegate {
            id: row
            required property string kind
            required property string snippet
            required property string contactId
            required property string contactName
            required property string conversationId
            required property var createdAt
            width: ListView.view.width
            onClicked: {
                if (row.kind === "message" && row.conversationId.length > 0)
                    pane.conversationChosen(row.conversationId)
                else
                    pane.contactChosen(row.contactId)
            }
            contentItem: ColumnLayout {
                RowLayout {
                    Label {
                        text: row.contactName
                        font.bold: true
                        Layout.fillWidth: true
                        elide: Text.ElideRight
                    }
                    Label {
                        text: row.kind === "message" ? qsTr("Message") : qsTr("Contact")
                        font.pixelSize: 10
                        opacity: 0.6
                    }
                }
                Label {
                    text: row.snippet
                    textFormat: Text.PlainText
                    elide: Text.ElideRight
                    opacity: 0.75
                    Layout.fillWidth: true
                }
            }
        }
        Label {
            anchors.centerIn: parent
            visible: list.count === 0 && !pane.model.loading
            text: qsTr("Nothing found")
            opacity: 0.6
        }
        BusyIndicator {
            anchors.centerIn: parent
            running: pane.model.loading
        }
    }
}
