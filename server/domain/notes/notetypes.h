// SPDX-License-Identifier: MIT
#pragma once
// The note model shared by the storage, domain and API layers. A note belongs to a team and
// optionally to a contact and/or a conversation; a private note is seen by its author only.

#include <QDateTime>
#include <QJsonObject>
#include <QString>

#include <optional>

struct Note
{
    QString id;
    QString teamId;
    QString contactId;
    QString conversationId;
    QString content;
    bool isPrivate = false;
    QString authorId; // empty once the author's account is gone
    QString authorName;
    QDateTime createdAt;
    QDateTime updatedAt;
};

struct NoteFilter
{
    QString contactId;
    QString conversationId;
};

struct NewNote
{
    QString content;
    QString contactId;
    QString conversationId;
    bool isPrivate = false;
};

struct NoteChange
{
    std::optional<QString> content;
    std::optional<bool> isPrivate;
};

// The /api/v1 shape, also the payload of the note events.
[[nodiscard]] QJsonObject noteJson(const Note &note);
