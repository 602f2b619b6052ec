// SPDX-License-Identifier: MIT
#pragma once
// The note use cases: list, create, read, edit, delete. Notes hang off the team, and optionally
// a contact and/or a conversation. Viewers read; editors write; editing and deleting are for the
// note's author or a team admin. A private note exists for its author only: everyone else gets
// 404 for it and never sees it in a list.

#include "core/result.h"
#include "domain/notes/notetypes.h"
#include "domain/page.h"

#include <QObject>

#include <functional>

class Database;

class NoteService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    explicit NoteService(Database *db, QObject *parent = nullptr);

    void list(const QString &actorId, const QString &teamId, const NoteFilter &filter,
              const PageRequest &page, Reply<Page<Note>> done);
    // An unknown contactId / conversationId is a 422 on that field.
    void create(const QString &actorId, const QString &teamId, const NewNote &note,
                Reply<Note> done);
    void get(const QString &actorId, const QString &teamId, const QString &id, Reply<Note> done);
    void update(const QString &actorId, const QString &teamId, const QString &id,
                const NoteChange &change, Reply<Note> done);
    void remove(const QString &actorId, const QString &teamId, const QString &id,
                Reply<Done> done);

private:
    Database *m_db;
};
