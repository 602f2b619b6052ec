// SPDX-License-Identifier: MIT
#include "noteservice.h"

#include "core/ids.h"
#include "domain/conversations/teamscope.h"
#include "domain/conversations/timekeyset.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/notestore.h"

using namespace Qt::StringLiterals;

namespace {

ApiError noteNotFound()
{
    return ApiError::notFound(u"No such note."_s);
}

// The note, for a caller who may change it: its author, or an admin.
Result<Note> editableNote(DbConnection &db, const TeamScope &scope, const QString &actorId,
                          const QString &id)
{
    Result<std::optional<Note>> note = NoteStore::byId(db, scope.teamId, id, actorId);
    if (!note) {
        return note.error();
    }
    if (!note.value()) {
        return noteNotFound();
    }
    if (note.value()->authorId != actorId && scope.role != Role::Admin) {
        return ApiError::forbidden(u"Only the note's author or a team admin may change it."_s);
    }
    return *note.value();
}

} // namespace

NoteService::NoteService(Database *db, QObject *parent) : QObject(parent), m_db(db)
{
}

void NoteService::list(const QString &actorId, const QString &teamId, const NoteFilter &filter,
                       const PageRequest &page, Reply<Page<Note>> done)
{
    m_db->run<Page<Note>>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<Page<Note>> {
            Result<PageRequest> checked = checkTimeCursor(page);
            if (!checked) {
                return checked.error();
            }
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            return NoteStore::list(db, scope->teamId, actorId, filter, checked.value());
        },
        this, done);
}

void NoteService::create(const QString &actorId, const QString &teamId, const NewNote &input,
                         Reply<Note> done)
{
    m_db->run<Note>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Note> {
            return runInTransaction<Note>(db, [&]() -> Result<Note> {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Note note;
                note.id = newId();
                note.teamId = scope->teamId;
                note.content = input.content;
                note.isPrivate = input.isPrivate;
                note.authorId = actorId;
                QList<FieldError> errors;
                if (!input.contactId.isEmpty()) {
                    Result<std::optional<ContactSummary>> contact =
                        liveContact(db, scope->teamId, input.contactId);
                    if (!contact) {
                        return contact.error();
                    }
                    if (contact.value()) {
                        note.contactId = contact.value()->id;
                    } else {
                        errors.append({u"contactId"_s, u"is not a contact of this team"_s});
                    }
                }
                if (!input.conversationId.isEmpty()) {
                    Result<std::optional<Conversation>> conversation =
                        ConversationStore::byId(db, scope->teamId, input.conversationId);
                    if (!conversation) {
                        return conversation.error();
                    }
                    if (!conversation.value()) {
                        errors.append(
                            {u"conversationId"_s, u"is not a conversation of this team"_s});
                    } else if (note.contactId.isEmpty() && errors.isEmpty()) {
                        // A note on a conversation is also a note on its contact.
                        note.contactId = conversation.value()->contact.id;
                        note.conversationId = input.conversationId;
                    } else if (!note.contactId.isEmpty()
                               && note.contactId != conversation.value()->contact.id) {
                        errors.append({u"conversationId"_s,
                                       u"belongs to another contact than contactId"_s});
                    } else {
                        note.conversationId = input.conversationId;
                    }
                }
                if (!errors.isEmpty()) {
                    return ApiError::validation(errors);
                }
                note.createdAt = note.updatedAt = QDateTime::currentDateTimeUtc();
                if (Status inserted = NoteStore::insert(db, note); !inserted) {
                    return inserted.error();
                }
                Result<std::optional<Note>> stored =
                    NoteStore::byId(db, scope->teamId, note.id, actorId);
                if (!stored) {
                    return stored.error();
                }
                if (!stored.value()) {
                    return noteNotFound();
                }
                if (Result<qint64> event = EventStore::append(db, scope->teamId, u"note_added"_s,
                                                              noteJson(*stored.value()));
                    !event) {
                    return event.error();
                }
                return *stored.value();
            });
        },
        this, done);
}

void NoteService::get(const QString &actorId, const QString &teamId, const QString &id,
                      Reply<Note> done)
{
    m_db->run<Note>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<Note> {
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            Result<std::optional<Note>> note = NoteStore::byId(db, scope->teamId, id, actorId);
            if (!note) {
                return note.error();
            }
            if (!note.value()) {
                return noteNotFound();
            }
            return *note.value();
        },
        this, done);
}

void NoteService::update(const QString &actorId, const QString &teamId, const QString &id,
                         const NoteChange &change, Reply<Note> done)
{
    m_db->run<Note>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Note> {
            return runInTransaction<Note>(db, [&]() -> Result<Note> {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Result<Note> note = editableNote(db, scope.value(), actorId, id);
                if (!note) {
                    return note.error();
                }
                if (change.content) {
                    note->content = *change.content;
                }
                if (change.isPrivate) {
                    note->isPrivate = *change.isPrivate;
                }
                note->updatedAt = QDateTime::currentDateTimeUtc();
                if (Status updated = NoteStore::update(db, note.value()); !updated) {
                    return updated.error();
                }
                if (Result<qint64> event = EventStore::append(db, scope->teamId, u"note_updated"_s,
                                                              noteJson(note.value()));
                    !event) {
                    return event.error();
                }
                return note;
            });
        },
        this, done);
}

void NoteService::remove(const QString &actorId, const QString &teamId, const QString &id,
                         Reply<Done> done)
{
    m_db->run<Done>(
        DbAccess::Write,
        [=](DbConnection &db) -> Status {
            return runInTransaction<Done>(db, [&]() -> Status {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Result<Note> note = editableNote(db, scope.value(), actorId, id);
                if (!note) {
                    return note.error();
                }
                if (Status removed = NoteStore::remove(db, scope->teamId, id); !removed) {
                    return removed.error();
                }
                // Who may receive it follows the note: a private note's deletion goes to its
                // author only.
                const QJsonObject payload{
                    {u"id"_s, note->id},
                    {u"teamId"_s, note->teamId},
                    {u"contactId"_s, jsonTextOrNull(note->contactId)},
                    {u"conversationId"_s, jsonTextOrNull(note->conversationId)},
                    {u"isPrivate"_s, note->isPrivate},
                    {u"authorId"_s, jsonTextOrNull(note->authorId)}};
                if (Result<qint64> event =
                        EventStore::append(db, scope->teamId, u"note.deleted"_s, payload);
                    !event) {
                    return event.error();
                }
                return Done{};
            });
        },
        this, done);
}
