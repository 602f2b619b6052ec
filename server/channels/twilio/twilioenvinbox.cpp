// SPDX-License-Identifier: MIT
#include "twilioenvinbox.h"

#include "config/config.h"
#include "config/secretstore.h"
#include "core/ids.h"
#include "core/logging.h"
#include "domain/inboxes/inboxrules.h"
#include "storage/inboxstore.h"

using namespace Qt::StringLiterals;

namespace TwilioEnvInbox {

bool configured(const Config &config)
{
    return !config.twilioAccountSid.isEmpty() && !config.twilioAuthToken.isEmpty()
           && (!config.twilioSmsFrom.isEmpty() || !config.twilioWhatsappFrom.isEmpty());
}

namespace {

Status ensureOne(DbConnection &db, const Config &config, const SecretStore &secrets,
                 const QString &teamId, const QString &channel, const QString &from)
{
    QString why;
    const std::optional<QString> address = InboxRules::normaliseAddress(channel, from, &why);
    if (!address) {
        qCWarning(lcTwilio) << "ignoring the" << channel << "sender of the environment:" << why;
        return Done{};
    }
    Result<std::optional<Inbox>> existing = InboxStore::byAddress(db, teamId, channel, *address);
    if (!existing) {
        return existing.error();
    }
    if (existing.value()) {
        const Inbox &inbox = *existing.value();
        // Only an inbox the environment made (same account) follows the environment's token.
        if (inbox.accountSid != config.twilioAccountSid || !inbox.credentialsSet()) {
            return Done{};
        }
        Result<std::optional<QByteArray>> stored = secrets.get(inbox.credentialsRef);
        if (stored && stored.value() && *stored.value() == config.twilioAuthToken) {
            return Done{};
        }
        return secrets.put(inbox.credentialsRef, config.twilioAuthToken);
    }
    Inbox inbox;
    inbox.id = newId();
    inbox.teamId = teamId;
    inbox.name = channel == u"whatsapp"_s ? u"WhatsApp"_s : u"SMS"_s;
    inbox.channel = channel;
    inbox.provider = u"twilio"_s;
    inbox.address = *address;
    inbox.accountSid = config.twilioAccountSid;
    inbox.credentialsRef = InboxRules::credentialsRef(inbox.id);
    inbox.createdAt = inbox.updatedAt = QDateTime::currentDateTimeUtc();
    if (Status put = secrets.put(inbox.credentialsRef, config.twilioAuthToken); !put) {
        return put.error();
    }
    if (Status inserted = InboxStore::insert(db, inbox); !inserted) {
        (void)secrets.remove(inbox.credentialsRef);
        return inserted.error();
    }
    qCInfo(lcTwilio) << "created the" << channel << "inbox" << inbox.address
                     << "from TWILIO_* for team" << teamId;
    return Done{};
}

} // namespace

Status ensure(DbConnection &db, const Config &config, const SecretStore &secrets)
{
    if (!configured(config)) {
        return Done{};
    }
    Result<std::optional<QString>> team = InboxStore::firstTeamId(db);
    if (!team) {
        return team.error();
    }
    if (!team.value()) {
        return Done{};
    }
    if (!config.twilioSmsFrom.isEmpty()) {
        if (Status sms = ensureOne(db, config, secrets, *team.value(), u"sms"_s, config.twilioSmsFrom);
            !sms) {
            return sms;
        }
    }
    if (!config.twilioWhatsappFrom.isEmpty()) {
        return ensureOne(db, config, secrets, *team.value(), u"whatsapp"_s,
                         config.twilioWhatsappFrom);
    }
    return Done{};
}

} // namespace TwilioEnvInbox
