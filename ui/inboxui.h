// SPDX-License-Identifier: MIT
#pragma once

// The one C++ entry the desktop app uses to show the QML inbox. Everything else in ui/ is
// reached through QML; the desktop app only needs to open a window on a given server.

#include <QUrl>

class QQmlEngine;
class QQuickWindow;

namespace InboxUi {

// Registers the QML module InboxCentral.Inbox (once per process) and adds qrc:/ to the engine's
// import path (Qt 6.4 does not search it by default). openInboxWindow() calls it too.
void registerTypes(QQmlEngine &engine);

// Creates the inbox window on `engine` for the server at `serverUrl` (e.g. http://127.0.0.1:3000)
// and shows it. The caller owns the returned window (delete it or give it a parent); nullptr when
// the QML failed to load (the errors are logged under the "inbox.ui" category).
//
// The window's root object (objectName "inboxWindow") exposes, for the tray and for tests:
//   url serverUrl
//   Session session                      — signedIn, busy, errorString, userId, userName, teamId,
//                                          role, realtimeConnected, refreshToken;
//                                          signIn(email, password), signInWithTokens(access,
//                                          refresh), startGoogleSignIn() → url, signOut()
//   ConversationListModel conversations  — roles conversationId, contactName, preview,
//                                          unreadCount, status, lastMessageAt, …
//   MessageListModel messages            — the open conversation; roles messageId, body,
//                                          direction, status, deliveryState, kind, media, …
//   string currentConversationId
//   function openConversation(conversationId)
QQuickWindow *openInboxWindow(QQmlEngine &engine, const QUrl &serverUrl);

} // namespace InboxUi
