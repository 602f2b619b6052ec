// SPDX-License-Identifier: MIT
// One entry of a conversation: a message bubble (text, media thumbnails, time, status ticks) or
// a call log entry (call, missed call, voicemail with its recording).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Item {
    id: bubble
    required property string messageId
    required property string body
    required property bool outbound
    required property string kind
    required property var media
    required property var createdAt
    required property var scheduledAt
    required property int deliveryState
    required property string errorText
    signal cancelRequested(string messageId)

    readonly property bool isCall: kind !== "message"
    objectName: "message_" + messageId
    implicitHeight: frame.implicitHeight + 8

    Rectangle {
        id: frame
        objectName: "bubbleFrame"
        anchors.right: bubble.outbound ? parent.right : undefined
        anchors.left: bubble.outbound ? undefined : parent.left
        anchors.horizontalCenter: bubble.isCall ? parent.horizontalCenter : undefined
        anchors.margins: 10
        width: Math.min(content.implicitWidth + 20, bubble.width * 0.75)
        implicitHeight: content.implicitHeight + 14
        radius: 10
        color: bubble.isCall ? "#eeeeee" : bubble.outbound ? "#d6e8ff" : "#f2f2f2"
        border.color: bubble.deliveryState === MessageListModel.Failed ? "firebrick" : "transparent"

        ColumnLayout {
            id: content
            anchors.fill: parent
            anchors.margins: 7
            spacing: 4

            Label {
                visible: bubble.isCall
                font.bold: true
                text: bubble.kind === "voicemail" ? qsTr("Voicemail")
                    : bubble.kind === "missedCall" ? qsTr("Missed call") : qsTr("Call")
            }
            Label {
                objectName: "messageBody"
                visible: text.length > 0
                text: bubble.body
                wrapMode: Text.Wrap
                textFormat: Text.PlainText
                Layout.maximumWidth: bubble.width * 0.75 - 24
            }
            Repeater {
                model: bubble.media
                delegate: Loader {
                    required property var modelData
                    sourceComponent: modelData.isImage ? imageItem : linkItem
                    property var entry: modelData
                }
            }
            RowLayout {
                spacing: 6
                Layout.alignment: Qt.AlignRight
                Label {
                    visible: bubble.deliveryState === MessageListModel.Scheduled
                    text: qsTr("Scheduled for %1").arg(UiHelpers.longTime(bubble.scheduledAt))
                    font.pixelSize: 11
                    opacity: 0.7
                }
                Label {
                    text: UiHelpers.shortTime(bubble.createdAt)
                    font.pixelSize: 11
                    opacity: 0.6
                }
                StatusTicks {
                    objectName: "statusTicks"
                    deliveryState: bubble.deliveryState
                    visible: bubble.outbound && !bubble.isCall
                }
            }
            Label {
                visible: bubble.deliveryState === MessageListModel.Failed && bubble.errorText.length > 0
                text: bubble.errorText
                color: "firebrick"
                font.pixelSize: 11
                wrapMode: Text.Wrap
                Layout.maximumWidth: bubble.width * 0.75 - 24
            }
            Button {
                visible: bubble.deliveryState === MessageListModel.Scheduled
                text: qsTr("Cancel")
                flat: true
                onClicked: bubble.cancelRequested(bubble.messageId)
            }
        }
    }

    Component {
        id: imageItem
        Image {
            objectName: "mediaThumbnail"
            source: parent.entry.displayUrl
            fillMode: Image.PreserveAspectFit
            sourceSize.width: 220
            sourceSize.height: 220
            asynchronous: true
            width: 220
            height: status === Image.Ready ? paintedHeight : 60
            BusyIndicator {
                anchors.centerIn: parent
                running: parent.status === Image.Loading || parent.source.toString().length === 0
            }
        }
    }
    Component {
        id: linkItem
        Label {
            objectName: "mediaLink"
            text: parent.entry.isAudio ? qsTr("▶ Play recording") : qsTr("Attachment (%1)").arg(parent.entry.contentType)
            color: "#1e6fd9"
            font.underline: true
            TapHandler {
                onTapped: Qt.openUrlExternally(parent.entry.displayUrl.toString().length > 0 ? parent.entry.displayUrl : parent.entry.url)
            }
        }
    }
}
