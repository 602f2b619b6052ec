// SPDX-License-Identifier: MIT
#include "inboxservice.h"

#include "config/secretstore.h"
#include "core/ids.h"
#include "core/logging.h"
#include "domain/conversations/teamscope.h"
#include "domain/inboxes/inboxrules.h"
#include "domain/teamaccess.h"
#include "storage/accountstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/inboxstore.h"

using namespace Qt::StringLiterals;

namespace {

const QString kInboxUpdated = u"inbox.updated"_s;
constexpr int kCredentialCandidates = 50; // inboxes looked at for a stored token

// The caller's role checked, then the team's inbox (404 when the team has no such inbox).
Result<Inbox> accessInbox(DbConnection &db, const QString &teamId, const QString &actorId,
                          const QString &inboxId, Role minimum)
{
    if (Result<Role> role = requireRole(db, teamId, actorId, minimum); !role) {
        return role.error();
    }
    Result<std::optional<Inbox>> inbox = InboxStore::byId(db, teamId, inboxId);
    if (!inbox) {
        return inbox.error();
    }
    if (!inbox.value()) {
        return ApiError::notFound(u"No such inbox."_s);
    }
    return *inbox.value();
}

ApiError duplicateAddress()
{
    return ApiError::conflict(u"This team already has an inbox for this channel and address."_s);
}

// The rules that need the whole inbox (its channel, its team's members), after the API layer
// checked each field's shape.
Status checkInbox(DbConnection &db, Inbox &inbox)
{
    QList<FieldError> errors;
    QString why;
    if (const std::optional<QString> address =
            InboxRules::normaliseAddress(inbox.channel, inbox.address, &why)) {
        inbox.address = *address;
    } else {
        errors.append({u"address"_s, why});
    }
    if (!inbox.agentNumbers.isEmpty() && inbox.channel != u"voice"_s) {
        errors.append({u"agentNumbers"_s, u"only voice inboxes ring agent numbers"_s});
    }
    if (!inbox.ownerUserId.isEmpty()) {
        Result<std::optional<Role>> role = AccountStore::roleIn(db, inbox.teamId, inbox.ownerUserId);
        if (!role) {
            return role.error();
        }
        if (!role.value()) {
            errors.append({u"ownerUserId"_s, u"is not a member of this team"_s});
        }
    }
    if (!errors.isEmpty()) {
        return ApiError::validation(errors);
    }
    return Done{};
}

Result<qint64> recordEvent(DbConnection &db, const Inbox &inbox, const QString &action)
{
    return EventStore::append(db, inbox.teamId, kInboxUpdated,
                              QJsonObject{{u"inboxId"_s, inbox.id}, {u"action"_s, action}});
}

// After the database said no: a secret written for this attempt is taken back.
void restoreSecret(const SecretStore *secrets, const QString &ref,
                   const std::optional<QByteArray> &previous)
{
    const Status restored = previous ? secrets->put(ref, *previous) : secrets->remove(ref);
    if (!restored) {
        qCWarning(lcConfig) << "could not restore the secret" << ref << "after a failed change";
    }
}

} // namespace

InboxService::InboxService(Database *db, const SecretStore *secrets, QObject *parent)
    : QObject(parent), m_db(db), m_secrets(secrets)
{
}

void InboxService::list(const QString &actorId, const QString &teamId, const PageRequest &page,
                        Reply<Page<Inbox>> done)
{
    m_db->run<Page<Inbox>>(
        DbAccess::Read,
        [actorId, teamId, page](DbConnection &db) -> Result<Page<Inbox>> {
            if (Result<Role> role = requireRole(db, teamId, actorId, Role::Viewer); !role) {
                return role.error();
            }
            return InboxStore::list(db, teamId, page);
        },
        this, done);
}

void InboxService::get(const QString &actorId, const QString &teamId, const QString &inboxId,
                       Reply<Inbox> done)
{
    m_db->run<Inbox>(
        DbAccess::Read,
        [actorId, teamId, inboxId](DbConnection &db) -> Result<Inbox> {
            return accessInbox(db, teamId, actorId, inboxId, Role::Viewer);
        },
        this, done);
}

void InboxService::create(const QString &actorId, const QString &teamId, const InboxDraft &draft,
                          Reply<Inbox> done)
{
    const SecretStore *secrets = m_secrets;
    m_db->run<Inbox>(
        DbAccess::Write,
        [actorId, teamId, draft, secrets](DbConnection &db) -> Result<Inbox> {
            Inbox inbox;
            inbox.id = newId();
            inbox.teamId = teamId;
            inbox.name = draft.name;
            inbox.channel = draft.channel;
            inbox.provider = u"twilio"_s;
            inbox.address = draft.address;
            inbox.messagingServiceSid = draft.messagingServiceSid;
            inbox.accountSid = draft.accountSid;
            inbox.agentNumbers = draft.agentNumbers;
            inbox.ownerUserId = draft.ownerUserId;
            inbox.createdAt = inbox.updatedAt = QDateTime::currentDateTimeUtc();
            if (draft.authToken) {
                inbox.credentialsRef = InboxRules::credentialsRef(inbox.id);
            }
            bool secretWritten = false;
            Result<Inbox> created = runInTransaction<Inbox>(db, [&]() -> Result<Inbox> {
                if (Result<Role> role = requireRole(db, teamId, actorId, Role::Admin); !role) {
                    return role.error();
                }
                if (Status checked = checkInbox(db, inbox); !checked) {
                    return checked.error();
                }
                if (Status inserted = InboxStore::insert(db, inbox); !inserted) {
                    return isUniqueViolation(inserted.error()) ? duplicateAddress()
                                                               : inserted.error();
                }
                if (Result<qint64> event = recordEvent(db, inbox, u"created"_s); !event) {
                    return event.error();
                }
                // Last step before the commit, so a store failure rolls the row back.
                if (draft.authToken) {
                    if (Status put = secrets->put(inbox.credentialsRef, *draft.authToken); !put) {
                        return put.error();
                    }
                    secretWritten = true;
                }
                return inbox;
            });
            if (!created && secretWritten) {
                restoreSecret(secrets, inbox.credentialsRef, std::nullopt);
            }
            return created;
        },
        this, [this, done](auto result) {
            if (result) {
                Q_EMIT inboxesChanged();
            }
            done(std::move(result));
        });
}

void InboxService::update(const QString &actorId, const QString &teamId, const QString &inboxId,
                          const InboxChange &change, Reply<Inbox> done)
{
    const SecretStore *secrets = m_secrets;
    m_db->run<Inbox>(
        DbAccess::Write,
        [actorId, teamId, inboxId, change, secrets](DbConnection &db) -> Result<Inbox> {
            QString ref; // where a new secret goes
            std::optional<QByteArray> previousSecret;
            bool secretWritten = false;
            QString secretToRemove;
            Result<Inbox> updated = runInTransaction<Inbox>(db, [&]() -> Result<Inbox> {
                Result<Inbox> found = accessInbox(db, teamId, actorId, inboxId, Role::Admin);
                if (!found) {
                    return found;
                }
                Inbox inbox = found.value();
                inbox.name = change.name.value_or(inbox.name);
                inbox.address = change.address.value_or(inbox.address);
                inbox.messagingServiceSid =
                    change.messagingServiceSid.value_or(inbox.messagingServiceSid);
                inbox.accountSid = change.accountSid.value_or(inbox.accountSid);
                inbox.agentNumbers = change.agentNumbers.value_or(inbox.agentNumbers);
                inbox.ownerUserId = change.ownerUserId.value_or(inbox.ownerUserId);
                if (change.authToken) {
                    if (!inbox.credentialsSet()) {
                        inbox.credentialsRef = InboxRules::credentialsRef(inbox.id);
                    }
                    ref = inbox.credentialsRef;
                } else if (change.removeAuthToken && inbox.credentialsSet()) {
                    secretToRemove = inbox.credentialsRef;
                    inbox.credentialsRef.clear();
                }
                inbox.updatedAt = QDateTime::currentDateTimeUtc();
                if (Status checked = checkInbox(db, inbox); !checked) {
                    return checked.error();
                }
                if (Status saved = InboxStore::update(db, inbox); !saved) {
                    return isUniqueViolation(saved.error()) ? duplicateAddress() : saved.error();
                }
                if (Result<qint64> event = recordEvent(db, inbox, u"updated"_s); !event) {
                    return event.error();
                }
                if (change.authToken) {
                    // Kept so a failed commit can put the old secret back.
                    Result<std::optional<QByteArray>> previous = secrets->get(ref);
                    if (!previous) {
                        return previous.error();
                    }
                    previousSecret = previous.value();
                    if (Status put = secrets->put(ref, *change.authToken); !put) {
                        return put.error();
                    }
                    secretWritten = true;
                }
                return inbox;
            });
            if (!updated && secretWritten) {
                restoreSecret(secrets, ref, previousSecret);
            }
            // Only once the row no longer points at it: a failure here leaves an orphan file,
            // never a row whose credentials are gone.
            if (updated && !secretToRemove.isEmpty()) {
                if (Status removed = secrets->remove(secretToRemove); !removed) {
                    qCWarning(lcConfig) << "inbox" << inboxId << "left its old secret behind";
                }
            }
            return updated;
        },
        this, [this, done](auto result) {
            if (result) {
                Q_EMIT inboxesChanged();
            }
            done(std::move(result));
        });
}

void InboxService::remove(const QString &actorId, const QString &teamId, const QString &inboxId,
                          Reply<Done> done)
{
    const SecretStore *secrets = m_secrets;
    m_db->run<Done>(
        DbAccess::Write,
        [actorId, teamId, inboxId, secrets](DbConnection &db) -> Result<Done> {
            Result<Inbox> removed = runInTransaction<Inbox>(db, [&]() -> Result<Inbox> {
                Result<Inbox> found = accessInbox(db, teamId, actorId, inboxId, Role::Admin);
                if (!found) {
                    return found;
                }
                if (Result<bool> deleted = InboxStore::remove(db, teamId, inboxId); !deleted) {
                    return deleted.error();
                }
                if (Result<qint64> event = recordEvent(db, found.value(), u"deleted"_s); !event) {
                    return event.error();
                }
                return found;
            });
            if (!removed) {
                return removed.error();
            }
            if (removed->credentialsSet()) {
                if (Status forgotten = secrets->remove(removed->credentialsRef); !forgotten) {
                    qCWarning(lcConfig) << "deleted inbox" << inboxId << "left its secret behind";
                }
            }
            return Done{};
        },
        this, [this, done](auto result) {
            if (result) {
                Q_EMIT inboxesChanged();
            }
            done(std::move(result));
        });
}

void InboxService::firstCredentials(const QString &actorId, const QString &teamId,
                                    Reply<std::optional<InboxCredentials>> done)
{
    const SecretStore *secrets = m_secrets;
    m_db->run<std::optional<InboxCredentials>>(
        DbAccess::Read,
        [actorId, teamId, secrets](DbConnection &db) -> Result<std::optional<InboxCredentials>> {
            Result<TeamScope> scope = resolveTeam(db, teamId, actorId, Role::Viewer);
            if (!scope) {
                return scope.error();
            }
            Result<QList<Inbox>> inboxes =
                InboxStore::withCredentials(db, scope->teamId, kCredentialCandidates);
            if (!inboxes) {
                return inboxes.error();
            }
            // The row may name a secret this machine does not hold (SecretStore is per machine):
            // such an inbox is passed over, not an error.
            for (const Inbox &inbox : inboxes.value()) {
                Result<std::optional<QByteArray>> token = secrets->get(inbox.credentialsRef);
                if (!token) {
                    qCWarning(lcConfig) << "inbox" << inbox.id << "credentials unreadable";
                    continue;
                }
                if (token.value() && !token.value()->isEmpty()) {
                    return std::optional<InboxCredentials>(
                        InboxCredentials{inbox.id, inbox.accountSid, *token.value()});
                }
            }
            return std::optional<InboxCredentials>();
        },
        this, done);
}
