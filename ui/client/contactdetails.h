// SPDX-License-Identifier: MIT
#pragma once

// One contact for the contact panel: its fields, its opt-out state, and saving edits
// (PATCH /contacts/{id}, field errors per field for the form). Reloads on `contact.updated` for
// its id, so an opt-out by SMS ("STOP") shows while the panel is open.

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QVariantMap>

#include "session.h"

class ContactDetails : public QObject
{
    Q_OBJECT
    Q_PROPERTY(Session *session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(QString contactId READ contactId WRITE setContactId NOTIFY contactIdChanged)
    Q_PROPERTY(bool loaded READ isLoaded NOTIFY contactChanged)
    Q_PROPERTY(QString name READ name NOTIFY contactChanged)
    Q_PROPERTY(QString phone READ phone NOTIFY contactChanged)
    Q_PROPERTY(QString email READ email NOTIFY contactChanged)
    Q_PROPERTY(bool optedOut READ optedOut NOTIFY contactChanged)
    Q_PROPERTY(QDateTime optedOutAt READ optedOutAt NOTIFY contactChanged)
    Q_PROPERTY(QString optedOutChannel READ optedOutChannel NOTIFY contactChanged)
    Q_PROPERTY(QVariantMap attributes READ attributes NOTIFY contactChanged)
    Q_PROPERTY(bool saving READ isSaving NOTIFY savingChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorChanged)
    // field name → message, from the last refused save.
    Q_PROPERTY(QVariantMap fieldErrors READ fieldErrors NOTIFY errorChanged)

public:
    explicit ContactDetails(QObject *parent = nullptr);

    [[nodiscard]] Session *session() const { return m_session; }
    void setSession(Session *session);
    [[nodiscard]] QString contactId() const { return m_contactId; }
    void setContactId(const QString &id);
    [[nodiscard]] bool isLoaded() const { return !m_contact.isEmpty(); }
    [[nodiscard]] QString name() const;
    [[nodiscard]] QString phone() const;
    [[nodiscard]] QString email() const;
    [[nodiscard]] bool optedOut() const;
    [[nodiscard]] QDateTime optedOutAt() const;
    [[nodiscard]] QString optedOutChannel() const;
    [[nodiscard]] QVariantMap attributes() const;
    [[nodiscard]] bool isSaving() const { return m_saving; }
    [[nodiscard]] QString errorString() const { return m_error; }
    [[nodiscard]] QVariantMap fieldErrors() const { return m_fieldErrors; }

    Q_INVOKABLE void reload();
    // Sends the fields that differ from the stored ones (an empty string clears a field).
    Q_INVOKABLE void save(const QString &name, const QString &phone, const QString &email);

Q_SIGNALS:
    void sessionChanged();
    void contactIdChanged();
    void contactChanged();
    void savingChanged();
    void errorChanged();
    void saved();

private:
    void setContact(const QJsonObject &contact);
    void setError(const QString &error, const QVariantMap &fieldErrors = {});

    QPointer<Session> m_session;
    QString m_contactId;
    QJsonObject m_contact;
    bool m_saving = false;
    QString m_error;
    QVariantMap m_fieldErrors;
};
