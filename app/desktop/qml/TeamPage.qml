// SPDX-License-Identifier: MIT
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Desktop

ColumnLayout {
    id: page
    required property SettingsController controller
    readonly property var roles: ["viewer", "editor", "admin"]
    readonly property var roleNames: [qsTr("Viewer"), qsTr("Editor"), qsTr("Admin")]
    spacing: 8

    SignInBox { controller: page.controller; Layout.fillWidth: true }
    Label {
        visible: page.controller.signedIn
        font.bold: true
        text: qsTr("Team: %1").arg(page.controller.teamName)
    }
    Label {
        Layout.fillWidth: true
        wrapMode: Text.WordWrap
        text: page.controller.teamMessage
    }
    ListView {
        Layout.fillWidth: true
        Layout.fillHeight: true
        clip: true
        visible: page.controller.signedIn
        model: page.controller.members
        delegate: RowLayout {
            required property string userId
            required property string name
            required property string email
            required property string role
            width: ListView.view.width
            Label {
                Layout.fillWidth: true
                elide: Text.ElideRight
                text: name !== "" ? qsTr("%1 <%2>").arg(name).arg(email) : email
            }
            ComboBox {
                model: page.roleNames
                currentIndex: page.roles.indexOf(role)
                onActivated: index => page.controller.setMemberRole(userId, page.roles[index])
            }
            Button {
                text: qsTr("Remove")
                onClicked: page.controller.removeMember(userId)
            }
        }
    }
    RowLayout {
        visible: page.controller.signedIn
        TextField {
            id: newEmail
            Layout.fillWidth: true
            placeholderText: qsTr("Email of the new member")
        }
        ComboBox {
            id: newRole
            model: page.roleNames
            currentIndex: 1
        }
        Button {
            text: qsTr("Add or invite")
            onClicked: page.controller.addMember(newEmail.text, page.roles[newRole.currentIndex])
        }
    }
}
