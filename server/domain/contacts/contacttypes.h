// SPDX-License-Identifier: MIT
#pragma once
// The contact model shared by the storage, domain and API layers.

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

struct Contact
{
    QString id;
    QString teamId;
    QString name;  // empty: none
    QString phone; // E.164; empty: none
    QString email; // lower case; empty: none
    QJsonObject attributes;
    QDateTime optedOutAt; // invalid: not opted out
    QString optedOutChannel;
    QString mergedInto; // the survivor's id once merged; empty otherwise
    QDateTime createdAt;
    QDateTime updatedAt;
};

// The list's filters (GET /contacts).
struct ContactFilter
{
    QString query;                 // prefix of a name word, the phone or the email; empty: all
    std::optional<bool> optedOut;  // nullopt: both
    bool includeMerged = false;
};

// The fields a create or an edit sets. Absent (nullopt) keeps the current value; an empty string
// clears it. `phone` holds what the client sent; the service normalises it to E.164.
struct ContactChange
{
    std::optional<QString> name;
    std::optional<QString> phone;
    std::optional<QString> email;
    std::optional<QJsonObject> attributes; // replaces the whole object
};

struct ImportRowError
{
    int row = 0; // the CSV record number, the header being row 1 (what a spreadsheet shows)
    QString field;
    QString message;
};

struct ImportReport
{
    int created = 0;
    int updated = 0;
    int failed = 0;
    QList<ImportRowError> errors;
};
