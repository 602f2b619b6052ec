// SPDX-License-Identifier: MIT
// `socketio-conformance`: our Engine.IO/Socket.IO code with the fixed handlers, timings and paths
// the official protocol test suites expect (../shared/SOCKETIO.md "A conformance server").
// Built with the project for testing, never installed.

#include "http/httpworkers.h"
#include "http/router.h"
#include "realtime/realtimeendpoint.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace {

EngineIoSettings suiteTimings(const QString &path)
{
    EngineIoSettings settings;
    settings.path = path;
    settings.pingIntervalMs = 300;
    settings.pingTimeoutMs = 200;
    settings.maxPayload = 1000000;
    return settings;
}

void serveSocketIo(SocketIoServer *io)
{
    for (const QString &nsp : {u"/"_s, u"/custom"_s}) {
        io->addNamespace(nsp, [io](const SioSocket &socket, const QJsonObject &auth, const Handshake &,
                                   SocketIoServer::Decide decide) {
            decide(ConnectDecision{true, {}, {}, QJsonValue::Undefined, {}, {}});
            // After the CONNECT reply: the suites expect it first.
            const QString id = socket.id;
            QMetaObject::invokeMethod(io, [io, id, auth] { io->emitTo(id, u"auth"_s, {auth}); },
                                      Qt::QueuedConnection);
        });
        io->on(nsp, u"message"_s, [io](SioSocket &socket, const QJsonArray &args,
                                        const QList<QByteArray> &buffers, const SocketIoServer::Ack &) {
            io->emitTo(socket.id, u"message-back"_s, args, buffers);
        });
        io->on(nsp, u"message-with-ack"_s, [](SioSocket &, const QJsonArray &args,
                                               const QList<QByteArray> &buffers,
                                               const SocketIoServer::Ack &ack) {
            if (ack) {
                ack(args, buffers);
            }
        });
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Engine.IO/Socket.IO conformance server for the protocol suites."_s);
    parser.addHelpOption();
    parser.addOption({u"port"_s, u"Port to listen on (default 3000)."_s, u"port"_s, u"3000"_s});
    parser.addOption({u"host"_s, u"Address to listen on (default 127.0.0.1)."_s, u"host"_s, u"127.0.0.1"_s});
    parser.process(app);

    SocketIoSettings ioSettings;
    ioSettings.connectTimeoutMs = 1000;
    RealtimeEndpoint engineEcho(suiteTimings(u"/engine.io/"_s), ioSettings, true);
    RealtimeEndpoint socketIo(suiteTimings(u"/socket.io/"_s), ioSettings);

    EngineIoServer *echo = engineEcho.engine();
    engineEcho.post([echo] {
        QObject::connect(echo, &EngineIoServer::message, echo,
                         [echo](const QString &sid, const EngineIo::Packet &packet) { echo->send(sid, packet); });
    });
    SocketIoServer *io = socketIo.io();
    socketIo.post([io] { serveSocketIo(io); });

    Router router;
    engineEcho.registerRoutes(router);
    socketIo.registerRoutes(router);
    HttpSettings http;
    http.accessLog = false;
    http.corsOrigins = {u"*"_s};
    http.webSockets = {engineEcho.webSocketEndpoint(), socketIo.webSocketEndpoint()};
    HttpWorkers workers(http, &router);
    if (Status started = workers.start(parser.value(u"host"_s), quint16(parser.value(u"port"_s).toUInt()), 1);
        !started) {
        QTextStream(stderr) << started.error().detail << "\n";
        return 2;
    }
    QTextStream(stdout) << "conformance server on http://" << parser.value(u"host"_s) << ":"
                        << workers.port() << "\n";
    return QCoreApplication::exec();
}
