// SPDX-License-Identifier: MIT
#include "deliverystatus.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace DeliveryStatus {

namespace {

// How far along a message is; terminal failures rank with delivered, so nothing but `read`
// (after delivered) passes them.
int rank(const QString &status)
{
    static const QHash<QString, int> ranks{
        {u"pending"_s, 0},   {u"scheduled"_s, 0},   {u"queued"_s, 0},
        {u"sending"_s, 1},   {u"sent"_s, 2},        {u"delivered"_s, 3},
        {u"undelivered"_s, 3}, {u"failed"_s, 3},    {u"canceled"_s, 3},
        {u"read"_s, 4},
    };
    return ranks.value(status, -1);
}

} // namespace

QString fromTwilio(const QString &twilioStatus)
{
    static const QHash<QString, QString> words{
        {u"accepted"_s, u"queued"_s},     {u"scheduled"_s, u"scheduled"_s},
        {u"queued"_s, u"queued"_s},       {u"sending"_s, u"sending"_s},
        {u"sent"_s, u"sent"_s},           {u"delivered"_s, u"delivered"_s},
        {u"undelivered"_s, u"undelivered"_s}, {u"failed"_s, u"failed"_s},
        {u"read"_s, u"read"_s},           {u"canceled"_s, u"canceled"_s},
        // partially_delivered is a multi-recipient state; for one recipient it means delivered
        {u"partially_delivered"_s, u"delivered"_s},
    };
    return words.value(twilioStatus.toLower());
}

bool isTerminal(const QString &status)
{
    return status == u"delivered"_s || status == u"undelivered"_s || status == u"failed"_s
           || status == u"read"_s || status == u"canceled"_s;
}

bool advances(const QString &current, const QString &next)
{
    const int from = rank(current);
    const int to = rank(next);
    if (from < 0 || to < 0) {
        return false;
    }
    if (isTerminal(current)) {
        return current == u"delivered"_s && next == u"read"_s;
    }
    return to > from;
}

} // namespace DeliveryStatus
