// SPDX-License-Identifier: MIT
#pragma once
// The contact use cases: list, read, create, edit, delete, merge, CSV import and export. Each
// database step is one transaction on a database thread that checks the caller's role first and
// writes its events in the same transaction; results come back on this object's thread.

#include "core/result.h"
#include "domain/contacts/contacttypes.h"
#include "domain/page.h"

#include <QByteArray>
#include <QObject>

#include <functional>

class Database;
class QThreadPool;

class ContactService : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Reply = std::function<void(Result<T>)>;

    ContactService(Database *db, QThreadPool *cpu, QObject *parent = nullptr);

    // Viewer and up.
    void list(const QString &actorId, const QString &teamId, const ContactFilter &filter,
              const PageRequest &page, Reply<Page<Contact>> done);
    void get(const QString &actorId, const QString &teamId, const QString &contactId,
             Reply<Contact> done);
    // The CSV export (ContactCsv::exportContacts) of the team's live contacts.
    void exportCsv(const QString &actorId, const QString &teamId, Reply<QByteArray> done);

    // Editor and up. `change.phone` as the client wrote it: normalised in the team's region.
    void create(const QString &actorId, const QString &teamId, ContactChange change,
                Reply<Contact> done);
    void update(const QString &actorId, const QString &teamId, const QString &contactId,
                ContactChange change, Reply<Contact> done);
    // `survivorId` keeps everything of `sourceId`; answers the survivor.
    void merge(const QString &actorId, const QString &teamId, const QString &survivorId,
               const QString &sourceId, Reply<Contact> done);
    // Creates or updates (same phone, else same email) a contact per good row, all in one
    // transaction; bad rows are reported, not written.
    void importCsv(const QString &actorId, const QString &teamId, const QByteArray &csv,
                   Reply<ImportReport> done);

    // Admin.
    void remove(const QString &actorId, const QString &teamId, const QString &contactId,
                Reply<Done> done);

private:
    Database *m_db;
    QThreadPool *m_cpu;
};
