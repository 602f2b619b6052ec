// SPDX-License-Identifier: MIT
// The delivery state of an outgoing message (MessageListModel.DeliveryState) as ticks.
import QtQuick
import QtQuick.Controls
import InboxCentral.Inbox

Label {
    required property int deliveryState
    font.pixelSize: 11
    text: {
        switch (deliveryState) {
        case MessageListModel.Scheduled: return "◷"
        case MessageListModel.Pending: return "…"
        case MessageListModel.Sent: return "✓"
        case MessageListModel.Delivered: return "✓✓"
        case MessageListModel.Read: return "✓✓"
        case MessageListModel.Failed: return "⚠"
        case MessageListModel.Canceled: return "⨯"
        default: return ""
        }
    }
    color: deliveryState === MessageListModel.Read ? "#1e6fd9"
         : deliveryState === MessageListModel.Failed ? "firebrick" : palette.text
    ToolTip.visible: hover.hovered && text.length > 0
    ToolTip.text: {
        switch (deliveryState) {
        case MessageListModel.Scheduled: return qsTr("Scheduled")
        case MessageListModel.Pending: return qsTr("Sending")
        case MessageListModel.Sent: return qsTr("Sent")
        case MessageListModel.Delivered: return qsTr("Delivered")
        case MessageListModel.Read: return qsTr("Read")
        case MessageListModel.Failed: return qsTr("Not delivered")
        case MessageListModel.Canceled: return qsTr("Canceled")
        default: return ""
        }
    }
    HoverHandler { id: hover }
}
