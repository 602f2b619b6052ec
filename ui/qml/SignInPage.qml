// SPDX-License-Identifier: MIT
// Sign-in with email and password, or with Google in the browser (the session listens on a
// loopback port for the tokens).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Page {
    id: page
    objectName: "signInPage"
    required property Session session

    function submit() {
        if (emailField.text.length > 0 && passwordField.text.length > 0)
            session.signIn(emailField.text, passwordField.text)
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(360, parent.width - 40)
        spacing: 12

        Label {
            text: qsTr("Sign in to Inbox Central")
            font.pixelSize: 22
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            text: page.session.serverUrl.toString()
            opacity: 0.6
            Layout.alignment: Qt.AlignHCenter
        }
        TextField {
            id: emailField
            objectName: "emailField"
            placeholderText: qsTr("Email")
            inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
            Layout.fillWidth: true
            onAccepted: passwordField.forceActiveFocus()
        }
        TextField {
            id: passwordField
            objectName: "passwordField"
            placeholderText: qsTr("Password")
            echoMode: TextInput.Password
            Layout.fillWidth: true
            onAccepted: page.submit()
        }
        Label {
            objectName: "signInError"
            text: page.session.errorString
            visible: text.length > 0
            color: "firebrick"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Button {
            objectName: "signInButton"
            text: page.session.busy ? qsTr("Signing in…") : qsTr("Sign in")
            enabled: !page.session.busy && emailField.text.length > 0 && passwordField.text.length > 0
            highlighted: true
            Layout.fillWidth: true
            onClicked: page.submit()
        }
        Button {
            objectName: "googleSignInButton"
            text: qsTr("Sign in with Google")
            enabled: !page.session.busy
            Layout.fillWidth: true
            onClicked: {
                const url = page.session.startGoogleSignIn()
                if (url.toString().length > 0)
                    Qt.openUrlExternally(url)
            }
        }
    }
}
