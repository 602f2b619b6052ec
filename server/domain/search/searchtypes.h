// SPDX-License-Identifier: MIT
#pragma once
// A search result and the position a page of results continues from.

#include <QDateTime>
#include <QString>

struct SearchHit
{
    QString kind; // "message" | "contact"
    QString id;
    double score = 0; // higher is better; an exact name/phone/email match adds 1
    QString text;    // what was searched: a message's body; a contact's name, phone and email
    QString snippet; // an excerpt of `text` around the match
    QString contactId;
    QString contactName;
    QString contactPhone;
    QString conversationId; // messages only
    QDateTime createdAt;
};

// Results are ordered by score descending, then kind and id ascending (a total order); a page
// continues after the last row served. Scores come from the engines' statistics, so a page
// fetched after the data changed may repeat or miss a row near its edge.
struct SearchPosition
{
    double score = 0;
    QString kind;
    QString id;
};
