// SPDX-License-Identifier: MIT
// The conversation's notes, newest first, and a field to add one (optionally private).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Pane {
    id: panel
    required property Session session
    property alias conversationId: notes.conversationId
    readonly property NotesModel model: notes

    NotesModel {
        id: notes
        session: panel.session
    }

    ColumnLayout {
        anchors.fill: parent
        Label {
            text: qsTr("Notes")
            font.bold: true
        }
        TextArea {
            id: noteField
            objectName: "noteField"
            placeholderText: qsTr("Add a note for your team…")
            wrapMode: TextEdit.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            CheckBox {
                id: privateBox
                objectName: "notePrivate"
                text: qsTr("Only me")
            }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "addNoteButton"
                text: qsTr("Add note")
                enabled: noteField.text.trim().length > 0
                onClicked: notes.addNote(noteField.text, privateBox.checked)
            }
        }
        Connections {
            target: notes
            function onNoteAdded() { noteField.clear() }
        }
        ListView {
            objectName: "notesList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: notes
            spacing: 6
            delegate: Frame {
                id: noteRow
                required property string noteId
                required property string content
                required property string authorName
                required property bool isPrivate
                required property var createdAt
                required property bool mine
                width: ListView.view.width
                ColumnLayout {
                    anchors.fill: parent
                    Label {
                        text: noteRow.content
                        wrapMode: Text.Wrap
                        textFormat: Text.PlainText
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        Label {
                            text: (noteRow.isPrivate ? qsTr("Private · ") : "")
                                  + noteRow.authorName + " · " + UiHelpers.shortTime(noteRow.createdAt)
                            font.pixelSize: 11
                            opacity: 0.6
                            Layout.fillWidth: true
                        }
                        ToolButton {
                            visible: noteRow.mine
                            text: qsTr("Delete")
                            font.pixelSize: 11
                            onClicked: notes.removeNote(noteRow.noteId)
                        }
                    }
                }
            }
        }
    }
}
