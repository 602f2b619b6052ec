// SPDX-License-Identifier: MIT
// Sign-in with email and password, or with Google in the browser (the session listens on a
// loopback port for the tokens); or creating an account (the first one on a new server is its
// admin).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import InboxCentral.Inbox

Page {
    id: page
    objectName: "signInPage"
    required property Session session
    property bool creatingAccount: false

    function submit() {
        if (emailField.text.length === 0 || passwordField.text.length === 0)
            return
        if (creatingAccount)
            session.signUp(nameField.text, emailField.text, passwordField.text)
        else
            session.signIn(emailField.text, passwordField.text)
    }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(360, parent.width - 40)
        spacing: 12

        Label {
            text: page.creatingAccount ? qsTr("Create your Inbox Central account")
                                       : qsTr("Sign in to Inbox Central")
            font.pixelSize: 22
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            text: page.session.serverUrl.toString()
            opacity: 0.6
            Layout.alignment: Qt.AlignHCenter
        }
        TextField {
            id: nameField
            objectName: "nameField"
            visible: page.creatingAccount
            placeholderText: qsTr("Your name")
            Layout.fillWidth: true
            onAccepted: emailField.forceActiveFocus()
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
            placeholderText: page.creatingAccount ? qsTr("Password (at least 8 characters)")
                                                  : qsTr("Password")
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
            text: page.session.busy ? qsTr("Signing in…")
                                    : page.creatingAccount ? qsTr("Create account") : qsTr("Sign in")
            enabled: !page.session.busy && emailField.text.length > 0 && passwordField.text.length > 0
            highlighted: true
            Layout.fillWidth: true
            onClicked: page.submit()
        }
        Button {
            objectName: "createAccountToggle"
            flat: true
            text: page.creatingAccount ? qsTr("I have an account: sign in")
                                       : qsTr("New here? Create an account")
            enabled: !page.session.busy
            Layout.fillWidth: true
            onClicked: page.creatingAccount = !page.creatingAccount
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
