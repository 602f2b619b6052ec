// SPDX-License-Identifier: MIT
#include "contactdetails.h"

#include "apiclient.h"

#include <QDateTime>
#include <QJsonArray>

using namespace Qt::StringLiterals;

ContactDetails::ContactDetails(QObject *parent)
    : QObject(parent)
{
}

void ContactDetails::setSession(Session *session)
{
    if (m_session == session) {
        return;
    }
    if (m_session) {
        m_session->disconnect(this);
    }
    m_session = session;
    if (m_session) {
        connect(m_session, &Session::realtimeEvent, this,
                [this](const QString &event, const QJsonValue &payload) {
                    const QJsonObject p = payload.toObject();
                    if (m_contactId.isEmpty()) {
                        return;
                    }
                    if (event == u"contact.updated"_s
                        && p.value(u"contactId"_s).toString() == m_contactId) {
                        reload();
                    } else if (event == u"contact.deleted"_s
                               && p.value(u"contactId"_s).toString() == m_contactId) {
                        setContact({});
                    }
                });
        connect(m_session, &Session::resyncNeeded, this, &ContactDetails::reload);
    }
    Q_EMIT sessionChanged();
    reload();
}

void ContactDetails::setContactId(const QString &id)
{
    if (m_contactId != id) {
        m_contactId = id;
        Q_EMIT contactIdChanged();
        setContact({});
        setError({});
        reload();
    }
}

QString ContactDetails::name() const
{
    return m_contact.value(u"name"_s).toString();
}

QString ContactDetails::phone() const
{
    return m_contact.value(u"phone"_s).toString();
}

QString ContactDetails::email() const
{
    return m_contact.value(u"email"_s).toString();
}

bool ContactDetails::optedOut() const
{
    return m_contact.value(u"optedOut"_s).toBool();
}

QDateTime ContactDetails::optedOutAt() const
{
    return QDateTime::fromString(m_contact.value(u"optedOutAt"_s).toString(), Qt::ISODateWithMs);
}

QString ContactDetails::optedOutChannel() const
{
    return m_contact.value(u"optedOutChannel"_s).toString();
}

QVariantMap ContactDetails::attributes() const
{
    return m_contact.value(u"attributes"_s).toObject().toVariantMap();
}

void ContactDetails::setContact(const QJsonObject &contact)
{
    m_contact = contact;
    Q_EMIT contactChanged();
}

void ContactDetails::setError(const QString &error, const QVariantMap &fieldErrors)
{
    m_error = error;
    m_fieldErrors = fieldErrors;
    Q_EMIT errorChanged();
}

void ContactDetails::reload()
{
    if (!m_session || !m_session->isSignedIn() || m_contactId.isEmpty()) {
        return;
    }
    const QString id = m_contactId;
    m_session->api()->get(m_session->teamPath(u"/contacts/"_s + id), {}, this,
                          [this, id](const ApiResult &result) {
                              if (id != m_contactId) {
                                  return;
                              }
                              if (result.ok()) {
                                  setContact(result.object());
                              } else {
                                  setError(result.problem.message());
                              }
                          });
}

void ContactDetails::save(const QString &name, const QString &phone, const QString &email)
{
    if (!m_session || m_contactId.isEmpty()) {
        return;
    }
    QJsonObject change;
    const auto consider = [&](const QString &key, const QString &value, const QString &current) {
        if (value.trimmed() != current) {
            change.insert(key,
                          value.trimmed().isEmpty() ? QJsonValue(QJsonValue::Null)
                                                    : QJsonValue(value.trimmed()));
        }
    };
    consider(u"name"_s, name, this->name());
    consider(u"phone"_s, phone, this->phone());
    consider(u"email"_s, email, this->email());
    if (change.isEmpty()) {
        Q_EMIT saved();
        return;
    }
    m_saving = true;
    Q_EMIT savingChanged();
    m_session->api()->patch(m_session->teamPath(u"/contacts/"_s + m_contactId), change, this,
                            [this](const ApiResult &result) {
                                m_saving = false;
                                Q_EMIT savingChanged();
                                if (!result.ok()) {
                                    QVariantMap fields;
                                    for (const QJsonValue &e : result.problem.fieldErrors) {
                                        fields.insert(e.toObject().value(u"field"_s).toString(),
                                                      e.toObject().value(u"message"_s).toString());
                                    }
                                    setError(result.problem.message(), fields);
                                    return;
                                }
                                setError({});
                                setContact(result.object());
                                Q_EMIT saved();
                            });
}
