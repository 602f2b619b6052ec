// SPDX-License-Identifier: MIT
#include "socketiopackets.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace SocketIoPackets {

std::optional<std::pair<EngineType, QString>> parseEngine(const QString &frame)
{
    if (frame.isEmpty()) {
        return std::nullopt;
    }
    const int type = frame.at(0).digitValue();
    if (type < 0 || type > 6) {
        return std::nullopt;
    }
    return std::pair {static_cast<EngineType>(type), frame.mid(1)};
}

std::optional<Packet> parse(const QString &payload)
{
    if (payload.isEmpty()) {
        return std::nullopt;
    }
    Packet packet;
    const int type = payload.at(0).digitValue();
    if (type < 0 || type > 6) {
        return std::nullopt;
    }
    packet.type = static_cast<Type>(type);
    qsizetype i = 1;
    const qsizetype n = payload.size();
    if (packet.type == Type::BinaryEvent || packet.type == Type::BinaryAck) {
        const qsizetype dash = payload.indexOf(u'-', i);
        if (dash < 0) {
            return std::nullopt;
        }
        bool ok = false;
        packet.attachments = payload.mid(i, dash - i).toInt(&ok);
        if (!ok) {
            return std::nullopt;
        }
        i = dash + 1;
    }
    if (i < n && payload.at(i) == u'/') {
        // The namespace runs to the comma, or to the end ("41/custom").
        const qsizetype comma = payload.indexOf(u',', i);
        packet.nsp = payload.mid(i, comma < 0 ? n - i : comma - i);
        i = comma < 0 ? n : comma + 1;
    }
    const qsizetype idStart = i;
    while (i < n && payload.at(i).isDigit()) {
        ++i;
    }
    if (i > idStart) {
        packet.ackId = payload.mid(idStart, i - idStart).toLongLong();
    }
    if (i < n) {
        QJsonParseError error;
        // QJsonDocument reads objects and arrays only; wrap to accept any JSON value.
        const QJsonDocument doc = QJsonDocument::fromJson(
                u"["_s.append(QStringView(payload).mid(i)).append(u']').toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || doc.array().size() != 1) {
            return std::nullopt;
        }
        packet.data = doc.array().first();
    }
    return packet;
}

QString encode(const Packet &packet)
{
    QString out = u"4"_s + QString::number(static_cast<int>(packet.type));
    if (packet.nsp != u"/"_s) {
        out += packet.nsp + u',';
    }
    if (packet.ackId >= 0) {
        out += QString::number(packet.ackId);
    }
    if (packet.data.isObject()) {
        out += QString::fromUtf8(
                QJsonDocument(packet.data.toObject()).toJson(QJsonDocument::Compact));
    } else if (packet.data.isArray()) {
        out += QString::fromUtf8(
                QJsonDocument(packet.data.toArray()).toJson(QJsonDocument::Compact));
    }
    return out;
}

} // namespace SocketIoPackets
