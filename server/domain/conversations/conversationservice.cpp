// SPDX-License-Identifier: MIT
#include "conversationservice.h"

#include "core/ids.h"
#include "domain/conversations/snoozewake.h"
#include "domain/conversations/teamscope.h"
#include "domain/conversations/timekeyset.h"
#include "storage/accountstore.h"
#include "storage/conversationstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"

using namespace Qt::StringLiterals;

namespace {

// The conversation as it is after a change, announced to the team.
Result<Conversation> reloadAndAnnounce(DbConnection &db, const QString &teamId, const QString &id)
{
    Result<Conversation> conversation = ConversationService::existing(db, teamId, id);
    if (!conversation) {
        return conversation;
    }
    if (Result<qint64> event = EventStore::append(db, teamId, u"conversation.updated"_s,
                                                  conversationJson(conversation.value()));
        !event) {
        return event.error();
    }
    return conversation;
}

} // namespace

ConversationService::ConversationService(Database *db, QObject *parent) : QObject(parent), m_db(db)
{
}

void ConversationService::list(const QString &actorId, const QString &teamId,
                               const ConversationFilter &filter, const PageRequest &page,
                               Reply<Page<Conversation>> done)
{
    m_db->run<Page<Conversation>>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<Page<Conversation>> {
            Result<PageRequest> checked = checkTimeCursor(page);
            if (!checked) {
                return checked.error();
            }
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            return ConversationStore::list(db, scope->teamId, filter, checked.value());
        },
        this, done);
}

Result<Conversation> ConversationService::existing(DbConnection &db, const QString &teamId,
                                                 const QString &id)
{
    Result<std::optional<Conversation>> found = ConversationStore::byId(db, teamId, id);
    if (!found) {
        return found.error();
    }
    if (!found.value()) {
        return ApiError::notFound(u"No such conversation."_s);
    }
    return *found.value();
}

Result<OpenedConversation> ConversationService::findOrCreate(DbConnection &db,
                                                             const QString &teamId,
                                                             const ContactSummary &contact,
                                                             const QString &inboxId,
                                                             const QString &channel)
{
    QString resolvedChannel = channel;
    QString resolvedInbox = inboxId;
    if (!inboxId.isEmpty()) {
        Result<std::optional<QString>> inboxChannel =
            ConversationStore::inboxChannel(db, teamId, inboxId);
        if (!inboxChannel) {
            return inboxChannel.error();
        }
        if (!inboxChannel.value()) {
            return ApiError::validation({{u"inboxId"_s, u"is not an inbox of this team"_s}});
        }
        if (!channel.isEmpty() && channel != *inboxChannel.value()) {
            return ApiError::validation({{u"channel"_s, u"does not match the inbox's channel (%1)"_s
                                                            .arg(*inboxChannel.value())}});
        }
        resolvedChannel = *inboxChannel.value();
    } else if (resolvedChannel.isEmpty()) {
        resolvedChannel = u"sms"_s;
    }

    if (Status locked = ConversationStore::lockContact(db, contact.id); !locked) {
        return locked.error();
    }
    Result<std::optional<QString>> existing = ConversationStore::findUnresolved(
        db, teamId, contact.id, resolvedChannel, resolvedInbox);
    if (!existing) {
        return existing.error();
    }
    if (existing.value()) {
        Result<std::optional<Conversation>> found =
            ConversationStore::byId(db, teamId, *existing.value());
        if (!found) {
            return found.error();
        }
        if (found.value()) {
            return OpenedConversation{*found.value(), false};
        }
    }

    if (resolvedInbox.isEmpty()) {
        Result<std::optional<QString>> fallback =
            ConversationStore::defaultInbox(db, teamId, resolvedChannel);
        if (!fallback) {
            return fallback.error();
        }
        resolvedInbox = fallback.value().value_or(QString());
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Conversation conversation;
    conversation.id = newId();
    conversation.teamId = teamId;
    conversation.inboxId = resolvedInbox;
    conversation.contact = contact;
    conversation.channel = resolvedChannel;
    conversation.status = ConversationStatus::Open;
    // Sorting on one key keeps the list a single index range: a conversation without messages
    // sorts by when it was opened.
    conversation.lastMessageAt = now;
    conversation.createdAt = now;
    conversation.updatedAt = now;
    if (Status inserted = ConversationStore::insert(db, conversation); !inserted) {
        return inserted.error();
    }
    if (Result<qint64> event = EventStore::append(db, teamId, u"conversation.updated"_s,
                                                  conversationJson(conversation));
        !event) {
        return event.error();
    }
    return OpenedConversation{conversation, true};
}

void ConversationService::open(const QString &actorId, const QString &teamId,
                               const QString &contactId, const QString &inboxId,
                               const QString &channel, Reply<OpenedConversation> done)
{
    m_db->run<OpenedConversation>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<OpenedConversation> {
            return runInTransaction<OpenedConversation>(db, [&]() -> Result<OpenedConversation> {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Result<std::optional<ContactSummary>> contact =
                    liveContact(db, scope->teamId, contactId);
                if (!contact) {
                    return contact.error();
                }
                if (!contact.value()) {
                    return ApiError::validation(
                        {{u"contactId"_s, u"is not a contact of this team"_s}});
                }
                return findOrCreate(db, scope->teamId, *contact.value(), inboxId, channel);
            });
        },
        this, done);
}

void ConversationService::get(const QString &actorId, const QString &teamId, const QString &id,
                              Reply<Conversation> done)
{
    m_db->run<Conversation>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<Conversation> {
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            return existing(db, scope->teamId, id);
        },
        this, done);
}

void ConversationService::update(const QString &actorId, const QString &teamId, const QString &id,
                                 const ConversationChange &change, Reply<Conversation> done)
{
    m_db->run<Conversation>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Conversation> {
            return runInTransaction<Conversation>(db, [&]() -> Result<Conversation> {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Result<Conversation> found = existing(db, scope->teamId, id);
                if (!found) {
                    return found;
                }
                Conversation conversation = found.value();
                QList<FieldError> errors;

                if (change.status) {
                    conversation.status = *change.status;
                }
                if (conversation.status == ConversationStatus::Snoozed) {
                    if (change.snoozedUntil) {
                        conversation.snoozedUntil = *change.snoozedUntil;
                    } else if (change.status) {
                        errors.append({u"snoozedUntil"_s, u"is required to snooze"_s});
                    }
                    if (conversation.snoozedUntil.isValid()
                        && conversation.snoozedUntil <= QDateTime::currentDateTimeUtc()) {
                        errors.append({u"snoozedUntil"_s, u"must be in the future"_s});
                    }
                } else {
                    if (change.snoozedUntil) {
                        errors.append(
                            {u"snoozedUntil"_s, u"is only allowed with status snoozed"_s});
                    }
                    conversation.snoozedUntil = QDateTime();
                }

                if (change.assigneeId) {
                    if (!change.assigneeId->isEmpty()) {
                        Result<std::optional<Role>> member =
                            AccountStore::roleIn(db, scope->teamId, *change.assigneeId);
                        if (!member) {
                            return member.error();
                        }
                        if (!member.value()) {
                            errors.append({u"assigneeId"_s, u"is not a member of this team"_s});
                        }
                    }
                    conversation.assigneeId = *change.assigneeId;
                }
                if (!errors.isEmpty()) {
                    return ApiError::validation(errors);
                }
                conversation.updatedAt = QDateTime::currentDateTimeUtc();
                if (Status updated = ConversationStore::update(db, conversation); !updated) {
                    return updated.error();
                }
                if (conversation.status == ConversationStatus::Snoozed
                    && conversation.snoozedUntil != found->snoozedUntil) {
                    if (Status wake = SnoozeWake::schedule(db, conversation); !wake) {
                        return wake.error();
                    }
                }
                return reloadAndAnnounce(db, scope->teamId, id);
            });
        },
        this, done);
}

void ConversationService::markRead(const QString &actorId, const QString &teamId,
                                   const QString &id, Reply<Conversation> done)
{
    changeUnread(actorId, teamId, id, false, std::move(done));
}

void ConversationService::markUnread(const QString &actorId, const QString &teamId,
                                     const QString &id, Reply<Conversation> done)
{
    changeUnread(actorId, teamId, id, true, std::move(done));
}

void ConversationService::changeUnread(const QString &actorId, const QString &teamId,
                                       const QString &id, bool unread, Reply<Conversation> done)
{
    m_db->run<Conversation>(
        DbAccess::Write,
        [=](DbConnection &db) -> Result<Conversation> {
            return runInTransaction<Conversation>(db, [&]() -> Result<Conversation> {
                Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Editor);
                if (!scope) {
                    return scope.error();
                }
                Result<Conversation> found = existing(db, scope->teamId, id);
                if (!found) {
                    return found;
                }
                const int current = found->unreadCount;
                // Unread keeps a real count if there is one; marking unread never lowers it.
                const int wanted = unread ? std::max(current, 1) : 0;
                if (wanted == current) {
                    return found; // nothing changed: no event
                }
                if (Status set = ConversationStore::setUnreadCount(db, id, wanted); !set) {
                    return set.error();
                }
                return reloadAndAnnounce(db, scope->teamId, id);
            });
        },
        this, done);
}

void ConversationService::contactThreads(const QString &actorId, const QString &teamId, int limit,
                                         Reply<QList<ContactThread>> done)
{
    m_db->run<QList<ContactThread>>(
        DbAccess::Read,
        [=](DbConnection &db) -> Result<QList<ContactThread>> {
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            return ConversationStore::contactThreads(db, scope->teamId, limit);
        },
        this, done);
}
