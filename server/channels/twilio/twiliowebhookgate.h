// SPDX-License-Identifier: MIT
#pragma once
// The door of every Twilio webhook: finds the inbox the request is for and checks its
// X-Twilio-Signature against that inbox's auth token over PUBLIC_URL + the request's path and
// query (TWILIO.md "Webhook signature"). A request that fails is answered 403 by the route and
// nothing of it is stored.
//
// The inbox is looked up by MessagingServiceSid or by AccountSid + To/From (trying only one of
// the two rejects valid webhooks), with the signature tried against each candidate's token.

#include "channels/twilio/inboxdirectory.h"
#include "channels/twilio/twilioform.h"
#include "http/httprequest.h"

#include <QObject>

#include <functional>

struct VerifiedWebhook
{
    InboxRoute inbox;
    TwilioForm form;
};

class TwilioWebhookGate : public QObject
{
    Q_OBJECT
public:
    // `publicUrl` is PUBLIC_URL, the base Twilio is configured with (no trailing slash).
    TwilioWebhookGate(InboxDirectory *directory, QString publicUrl, QObject *parent = nullptr);

    // Calls `done` exactly once: on the calling thread when the inbox is cached, else on this
    // object's thread. The failure is a 403 ApiError (or 503 if the database is unavailable).
    void verify(const RequestPtr &request, std::function<void(Result<VerifiedWebhook>)> done) const;

    // The URL Twilio signed for `request`: PUBLIC_URL + path + query.
    [[nodiscard]] QString signedUrl(const HttpRequest &request) const;

private:
    InboxDirectory *m_directory;
    QString m_publicUrl;
};
