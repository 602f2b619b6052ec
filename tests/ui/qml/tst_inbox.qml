// SPDX-License-Identifier: MIT
// The inbox window as a user drives it: wrong password, sign-in, the conversation list with its
// unread badge, opening a conversation, a message pushed by the server arriving live, sending
// from the composer (status ticks), scheduling with "send later", a note, the contact panel,
// search, filters. Against the real server that tst_inboxqml.cpp starts.
import QtQuick
import QtQuick.Controls
import QtTest
import InboxCentral.Inbox

TestCase {
    id: testCase
    name: "InboxWindow"
    when: windowShown
    width: 400
    height: 300

    Component {
        id: mainComponent
        Main {}
    }

    function child(parentItem, name) {
        const found = findChild(parentItem, name)
        verify(found !== null, "no item named " + name)
        return found
    }

    // Waits for a delegate (created when the view lays out) and returns it.
    function waitChild(parentItem, name) {
        tryVerify(() => findChild(parentItem, name) !== null, 8000, "no item named " + name)
        return findChild(parentItem, name)
    }

    function signIn(win) {
        child(win.contentItem, "emailField").text = testServer.email
        child(win.contentItem, "passwordField").text = testServer.password
        mouseClick(child(win.contentItem, "signInButton"))
        tryVerify(() => win.session.signedIn, 8000, "signed in")
        tryVerify(() => win.session.realtimeConnected, 8000, "real-time connected")
    }

    function openWindow() {
        verify(testServer.error === "", testServer.error)
        const win = createTemporaryObject(mainComponent, testCase, { serverUrl: testServer.serverUrl })
        verify(win !== null)
        win.visible = true
        tryVerify(() => win.active || win.visible)
        return win
    }

    function test_1_wrongPasswordShowsTheError() {
        const win = openWindow()
        verify(child(win.contentItem, "googleSignInButton").visible)
        child(win.contentItem, "emailField").text = testServer.email
        child(win.contentItem, "passwordField").text = "not the password"
        mouseClick(child(win.contentItem, "signInButton"))
        const error = child(win.contentItem, "signInError")
        tryVerify(() => error.visible && error.text.length > 0, 8000)
        verify(!win.session.signedIn)
    }

    function test_2_inboxFlow() {
        const win = openWindow()
        signIn(win)

        // The list: the fixture's conversation with its unread badge.
        tryVerify(() => win.conversations.count === 1, 8000, "one conversation")
        const row = waitChild(win.contentItem, "conversation_" + testServer.conversationId)
        tryVerify(() => child(row, "unreadBadge").visible, 8000, "unread badge")
        compare(win.conversations.unreadConversations, 1)

        // Open it: its message shows, it is read.
        mouseClick(row)
        compare(win.currentConversationId, testServer.conversationId)
        tryVerify(() => win.messages.count === 1, 8000)
        tryCompare(child(win.contentItem, "conversationTitle"), "text", "Grace Hopper", 8000)
        tryVerify(() => !child(row, "unreadBadge").visible, 8000, "read after opening")

        // The server pushes a new inbound message: it appears without any reload.
        compare(testServer.inboundSms("Are you there?"), 200)
        tryVerify(() => win.messages.count === 2, 8000, "pushed message arrived")
        compare(win.messages.get(0).body, "Are you there?")
        const pushed = waitChild(win.contentItem, "message_" + win.messages.get(0).id)
        compare(child(pushed, "messageBody").text, "Are you there?")

        // Reply from the composer: listed with its ticks (Twilio is unreachable here, so the
        // delivery stays pending, retrying).
        const composer = child(win.contentItem, "composerField")
        composer.text = "Yes, how can I help?"
        mouseClick(child(win.contentItem, "sendButton"))
        tryVerify(() => win.messages.count === 3, 8000, "reply listed")
        compare(win.messages.get(0).body, "Yes, how can I help?")
        tryCompare(composer, "text", "", 8000)
        const reply = waitChild(win.contentItem, "message_" + win.messages.get(0).id)
        const ticks = child(reply, "statusTicks")
        verify(ticks.visible)
        tryVerify(() => ticks.text === "…" || ticks.text === "⚠", 8000, "ticks shown")

        // Send later: scheduled, with the clock.
        composer.text = "Reminder for tomorrow"
        win.messages.sendLater(composer.text, UiHelpers.laterPreset(2))
        tryVerify(() => win.messages.count === 4, 8000)
        compare(win.messages.get(0).status, "scheduled")
        const scheduled = waitChild(win.contentItem, "message_" + win.messages.get(0).id)
        tryCompare(child(scheduled, "statusTicks"), "text", "◷", 8000)

        // A note.
        child(win.contentItem, "noteField").text = "VIP customer"
        mouseClick(child(win.contentItem, "addNoteButton"))
        const notes = child(win.contentItem, "notesList")
        tryVerify(() => notes.count === 1, 8000, "note listed")

        // The contact panel shows the contact; not opted out.
        tryCompare(child(win.contentItem, "contactNameLabel"), "text", "Grace Hopper", 8000)
        verify(!child(win.contentItem, "optOutState").visible)

        // An opt-out by SMS shows in the panel, live.
        compare(testServer.inboundSms("STOP"), 200)
        tryVerify(() => child(win.contentItem, "optOutState").visible, 8000, "opt-out shown")

        if (testServer.screenshotPath.length > 0) {
            win.width = 1200
            win.height = 700
            wait(300)
            verify(testServer.saveScreenshot(win, testServer.screenshotPath), "screenshot saved")
        }

        // Search.
        child(win.contentItem, "searchField").text = "help"
        const results = child(win.contentItem, "searchResults")
        tryVerify(() => results.visible && results.count >= 1, 8000, "search results")
        child(win.contentItem, "searchField").text = ""

        // Filters: resolved shows nothing; all shows it again.
        win.conversations.status = "resolved"
        tryVerify(() => !win.conversations.loading && win.conversations.count === 0, 8000)
        win.conversations.status = ""
        tryVerify(() => win.conversations.count === 1, 8000)

        // Sign out: back to the sign-in page.
        mouseClick(child(win.contentItem, "signOutButton"))
        tryVerify(() => !win.session.signedIn)
        tryVerify(() => findChild(win.contentItem, "signInPage") !== null, 8000)
    }

    Component {
        id: ticksComponent
        StatusTicks {}
    }

    function test_3_statusTicks_data() {
        return [
            { tag: "scheduled", state: MessageListModel.Scheduled, text: "◷" },
            { tag: "sent", state: MessageListModel.Sent, text: "✓" },
            { tag: "delivered", state: MessageListModel.Delivered, text: "✓✓" },
            { tag: "read", state: MessageListModel.Read, text: "✓✓" },
            { tag: "failed", state: MessageListModel.Failed, text: "⚠" },
            { tag: "inbound", state: MessageListModel.NoTicks, text: "" },
        ]
    }

    function test_3_statusTicks(data) {
        const ticks = createTemporaryObject(ticksComponent, testCase, { deliveryState: data.state })
        compare(ticks.text, data.text)
    }

    function test_4_newConversationWithANewContact() {
        const win = openWindow()
        signIn(win)
        tryVerify(() => win.conversations.count >= 1, 8000)
        const before = win.conversations.count
        mouseClick(child(win.contentItem, "newConversationButton"))
        const popup = child(win.contentItem, "inboxPage").newConversationPopup
        tryVerify(() => popup.opened, 8000)
        const picker = waitChild(popup.contentItem, "contactPickerList")
        tryVerify(() => picker.count >= 1, 8000, "the team's contacts listed")
        child(popup.contentItem, "newContactName").text = "Katherine Johnson"
        child(popup.contentItem, "newContactPhone").text = "+14155558123"
        mouseClick(child(popup.contentItem, "addContactButton"))
        tryVerify(() => !popup.visible, 8000, "popup closed")
        tryVerify(() => win.conversations.count === before + 1, 8000, "conversation started")
        tryVerify(() => win.currentConversationId.length > 0
                  && win.messages.conversation.contact !== undefined
                  && win.messages.conversation.contact.name === "Katherine Johnson", 8000)
    }

    function test_5_createAnAccount() {
        const win = openWindow()
        mouseClick(child(win.contentItem, "createAccountToggle"))
        const name = child(win.contentItem, "nameField")
        verify(name.visible, "the name field shows when creating an account")
        name.text = "Dorothy Vaughan"
        child(win.contentItem, "emailField").text = "dorothy-" + Date.now() + "@example.test"
        child(win.contentItem, "passwordField").text = "short"
        mouseClick(child(win.contentItem, "signInButton"))
        const error = child(win.contentItem, "signInError")
        tryVerify(() => error.visible && error.text.length > 0, 8000, "a too-short password is refused")
        verify(!win.session.signedIn)
        child(win.contentItem, "passwordField").text = "a long enough password"
        mouseClick(child(win.contentItem, "signInButton"))
        tryVerify(() => win.session.signedIn, 8000, "signed in with the new account")
        compare(win.session.userName, "Dorothy Vaughan")
        tryVerify(() => win.session.teamId.length > 0, 8000, "the new account has a team")
    }
}
