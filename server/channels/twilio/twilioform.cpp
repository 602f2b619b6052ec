// SPDX-License-Identifier: MIT
#include "twilioform.h"

namespace {

QString decodeComponent(QByteArray raw)
{
    raw.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(raw));
}

} // namespace

TwilioForm TwilioForm::parse(const QByteArray &body)
{
    QList<Item> items;
    qsizetype start = 0;
    while (start <= body.size()) {
        qsizetype end = body.indexOf('&', start);
        if (end < 0) {
            end = body.size();
        }
        const QByteArrayView pair = QByteArrayView(body).sliced(start, end - start);
        start = end + 1;
        if (pair.isEmpty()) {
            continue;
        }
        const qsizetype equals = pair.indexOf('=');
        if (equals < 0) {
            items.append({decodeComponent(pair.toByteArray()), QString()});
        } else {
            items.append({decodeComponent(pair.first(equals).toByteArray()),
                          decodeComponent(pair.sliced(equals + 1).toByteArray())});
        }
    }
    return TwilioForm(std::move(items));
}

QString TwilioForm::value(QStringView name) const
{
    for (const Item &item : m_items) {
        if (item.first == name) {
            return item.second;
        }
    }
    return {};
}

bool TwilioForm::contains(QStringView name) const
{
    for (const Item &item : m_items) {
        if (item.first == name) {
            return true;
        }
    }
    return false;
}
