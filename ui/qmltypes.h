// SPDX-License-Identifier: MIT
#pragma once

// Registers the client library's types in the QML module. The library itself stays free of
// QtQml (it is also used by C++ tests and could serve another front end), so its classes are
// exposed here as foreign types under their own names.

#include <QtQml/qqml.h>

#include "contactdetails.h"
#include "contactmodel.h"
#include "conversationlistmodel.h"
#include "jsonlistmodel.h"
#include "messagelistmodel.h"
#include "notesmodel.h"
#include "searchmodel.h"
#include "session.h"

struct ForeignSession
{
    Q_GADGET
    QML_FOREIGN(Session)
    QML_NAMED_ELEMENT(Session)
};

struct ForeignJsonListModel
{
    Q_GADGET
    QML_FOREIGN(JsonListModel)
    QML_ANONYMOUS
};

struct ForeignConversationListModel
{
    Q_GADGET
    QML_FOREIGN(ConversationListModel)
    QML_NAMED_ELEMENT(ConversationListModel)
};

struct ForeignMessageListModel
{
    Q_GADGET
    QML_FOREIGN(MessageListModel)
    QML_NAMED_ELEMENT(MessageListModel)
};

struct ForeignNotesModel
{
    Q_GADGET
    QML_FOREIGN(NotesModel)
    QML_NAMED_ELEMENT(NotesModel)
};

struct ForeignContactModel
{
    Q_GADGET
    QML_FOREIGN(ContactModel)
    QML_NAMED_ELEMENT(ContactModel)
};

struct ForeignContactDetails
{
    Q_GADGET
    QML_FOREIGN(ContactDetails)
    QML_NAMED_ELEMENT(ContactDetails)
};

struct ForeignSearchModel
{
    Q_GADGET
    QML_FOREIGN(SearchModel)
    QML_NAMED_ELEMENT(SearchModel)
};
