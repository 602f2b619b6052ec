// SPDX-License-Identifier: MIT
#pragma once
// A Twilio webhook's application/x-www-form-urlencoded body, decoded ('+' is a space, then
// percent-decoding, then UTF-8) and kept in order with repeated names, as the signature needs
// every parameter exactly as received.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringView>

#include <utility>

class TwilioForm
{
public:
    using Item = std::pair<QString, QString>;

    TwilioForm() = default;
    explicit TwilioForm(QList<Item> items) : m_items(std::move(items)) { }

    [[nodiscard]] static TwilioForm parse(const QByteArray &body);

    // The first value of `name` (empty when absent).
    [[nodiscard]] QString value(QStringView name) const;
    [[nodiscard]] bool contains(QStringView name) const;
    [[nodiscard]] const QList<Item> &items() const { return m_items; }

private:
    QList<Item> m_items;
};
