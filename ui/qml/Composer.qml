// SPDX-License-Identifier: MIT
// Writes a message: send now, or "send later" at a preset time.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Pane {
    id: composer
    required property MessageListModel messages
    property string channel
    readonly property bool canSend: channel !== "voice" && field.text.trim().length > 0 && !messages.sending

    function sendNow() {
        if (!canSend) return
        messages.send(field.text)
    }

    Connections {
        target: composer.messages
        function onMessageSent() { field.clear() }
    }

    RowLayout {
        anchors.fill: parent
        ScrollView {
            Layout.fillWidth: true
            Layout.maximumHeight: 120
            TextArea {
                id: field
                objectName: "composerField"
                placeholderText: composer.channel === "voice"
                    ? qsTr("Calls cannot be answered with a message")
                    : qsTr("Write a message…")
                enabled: composer.channel !== "voice"
                wrapMode: TextEdit.Wrap
                Keys.onReturnPressed: (event) => {
                    if (event.modifiers & Qt.ShiftModifier) event.accepted = false
                    else composer.sendNow()
                }
            }
        }
        Button {
            objectName: "sendButton"
            text: qsTr("Send")
            highlighted: true
            enabled: composer.canSend
            onClicked: composer.sendNow()
        }
        Button {
            objectName: "sendLaterButton"
            text: qsTr("Send later")
            enabled: composer.canSend
            onClicked: laterMenu.open()
            Menu {
                id: laterMenu
                objectName: "sendLaterMenu"
                Repeater {
                    model: UiHelpers.laterPresetNames()
                    MenuItem {
                        required property int index
                        required property string modelData
                        text: modelData
                        onTriggered: composer.messages.sendLater(field.text, UiHelpers.laterPreset(index))
                    }
                }
            }
        }
    }
}
