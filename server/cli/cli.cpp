// SPDX-License-Identifier: MIT
#include "cli.h"

#include "app/inboxserver.h"
#include "app/signalwatcher.h"
#include "auth/passwordhasher.h"
#include "config/config.h"
#include "config/secretstore.h"
#include "core/ids.h"
#include "core/logging.h"
#include "domain/accounts/accounttypes.h"
#include "domain/contacts/phonenormalizer.h"
#include "importer/importer.h"
#include "importer/importprogress.h"
#include "storage/accountstore.h"
#include "storage/database.h"
#include "storage/eventstore.h"
#include "storage/migrator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

const QString kCommandsHelp = uR"(Commands:
  serve                      Run the HTTP + real-time server and the job runner (default).
                             Applies migrations first. --no-worker leaves the jobs to workers.
  worker                     Run only the job runner: scheduled and retried deliveries, media
                             downloads, maintenance. Any number may share one PostgreSQL.
  migrate                    Apply database migrations and exit (running it twice is a no-op).
  user create                Create an account: --email, --name, --role, --team; the password
                             comes from --password-stdin, INBOX_PASSWORD, or a prompt. The first
                             account of an empty install becomes admin of the default team.
  user list                  List accounts with their teams and roles.
  user reset-password        Set a new password for --email (same password sources as create);
                             ends the account's sessions.
  user set-role              Set --role (viewer|editor|admin) of --email in --team.
  user invite                Invite --email into --team with --role (for SIGNUP_MODE=invite).
  import --from URL          Bring in the original Node backend's data from its PostgreSQL
                             database (postgresql://user:pw@host:port/db) into DATABASE_URL.
                             Idempotent and resumable; --dry-run writes nothing;
                             --batch-size N rows per transaction (500); --region XX for
                             contact numbers without a country code (US).
)"_s;

int usageError(const QString &message)
{
    err() << "inbox-central: " << message << "\n" << "Run `inbox-central --help` for usage.\n";
    err().flush();
    return 2;
}

int failure(const ApiError &error)
{
    err() << "inbox-central: " << (error.detail.isEmpty() ? error.title : error.detail);
    for (const FieldError &field : error.fieldErrors) {
        err() << "\n  " << field.field << ": " << field.message;
    }
    err() << "\n";
    err().flush();
    return error.status >= 500 ? 1 : 2;
}

// Reads a password without echo from a terminal, or a line from stdin.
std::optional<QString> readPassword(const QCommandLineParser &parser, const QProcessEnvironment &env)
{
    if (parser.isSet(u"password-stdin"_s)) {
        QTextStream in(stdin);
        return in.readLine();
    }
    if (env.contains(u"INBOX_PASSWORD"_s)) {
        return env.value(u"INBOX_PASSWORD"_s);
    }
    if (!::isatty(STDIN_FILENO)) {
        return std::nullopt;
    }
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~tcflag_t(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    out() << "Password: ";
    out().flush();
    QTextStream in(stdin);
    const QString password = in.readLine();
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    out() << "\n";
    out().flush();
    return password;
}

std::optional<QString> validPassword(const QCommandLineParser &parser, const QProcessEnvironment &env,
                                     QString *problem)
{
    std::optional<QString> password = readPassword(parser, env);
    if (!password) {
        *problem = u"no password given: use --password-stdin, INBOX_PASSWORD, or run on a terminal"_s;
        return std::nullopt;
    }
    if (password->size() < 8) {
        *problem = u"the password must be at least 8 characters"_s;
        return std::nullopt;
    }
    if (password->toUtf8().size() > 72) {
        *problem = u"the password must be at most 72 bytes"_s;
        return std::nullopt;
    }
    return password;
}

// --team as an id or a name; empty means the default team (or the oldest one).
Result<QString> resolveTeam(DbConnection &db, const QString &team, const QString &defaultName)
{
    if (!team.isEmpty()) {
        Result<std::optional<SqlRow>> row = db.queryOne(
            u"SELECT id FROM teams WHERE id = ? OR name = ? ORDER BY created_at LIMIT 1"_s, {team, team});
        if (!row) {
            return row.error();
        }
        if (!row.value()) {
            return ApiError::notFound(u"no team \"%1\""_s.arg(team));
        }
        return row.value()->text(u"id"_s);
    }
    Result<std::optional<QString>> byName = AccountStore::teamIdByName(db, defaultName);
    if (!byName) {
        return byName.error();
    }
    if (byName.value()) {
        return *byName.value();
    }
    Result<std::optional<SqlRow>> oldest =
        db.queryOne(u"SELECT id FROM teams ORDER BY created_at LIMIT 1"_s);
    if (!oldest) {
        return oldest.error();
    }
    if (oldest.value()) {
        return oldest.value()->text(u"id"_s);
    }
    return AccountStore::insertTeam(db, defaultName);
}

int serve(const Config &config, ServerRoles roles)
{
    InboxServer server(config);
    // Before start(): from the moment /healthz can answer, a SIGTERM must mean a clean stop, not
    // the default action (exit 143). One that arrives while starting waits in the watcher's
    // socket and stops the server once the event loop runs.
    SignalWatcher signals;
    QObject::connect(&signals, &SignalWatcher::terminationRequested, &server, [&server](int signal) {
        qCInfo(lcApp) << "signal" << signal << "received; shutting down";
        server.stop();
    });
    QObject::connect(&server, &InboxServer::stopped, qApp, &QCoreApplication::quit);
    if (Status started = server.start(roles); !started) {
        return failure(started.error());
    }
    const QString database = config.isSqlite() ? config.databaseUrl : u"postgresql"_s;
    if (!roles.http) {
        out() << "Inbox Central " << QCoreApplication::applicationVersion()
              << " worker running  (database: " << database << ")\n";
    } else {
        const QString shownHost = config.host == u"0.0.0.0"_s ? u"localhost"_s : config.host;
        out() << "Inbox Central " << QCoreApplication::applicationVersion() << " listening on http://"
              << shownHost << ":" << server.port() << "  (database: " << database << ")"
              << (roles.worker ? "" : "  (no job runner: --no-worker)") << "\n";
    }
    if (config.jwtSecretGenerated) {
        out() << "Generated a JWT secret and stored it in " << config.dataDir << "/jwt-secret\n";
    }
    if (roles.http && !server.hasUsers()) {
        out() << "No account yet. Create the first admin with:\n"
              << "  inbox-central user create --email you@example.com --name \"Your Name\"\n"
              << "or sign up through POST /api/v1/auth/signup: the first account becomes admin "
                 "of the team \""
              << config.defaultTeamName << "\".\n";
    }
    out().flush();

    return QCoreApplication::exec();
}

int migrateCommand(const Config &config)
{
    Result<std::unique_ptr<Database>> db = Database::open(config.databaseUrl, 1);
    if (!db) {
        return failure(db.error());
    }
    const Dialect dialect = db.value()->dialect();
    Result<QStringList> applied = db.value()->runBlocking<QStringList>(
        DbAccess::Write, [dialect](DbConnection &c) { return Migrator(dialect).apply(c.database()); });
    if (!applied) {
        return failure(applied.error());
    }
    if (applied->isEmpty()) {
        out() << "Database is up to date; nothing to apply.\n";
    }
    for (const QString &name : applied.value()) {
        out() << "applied " << name << "\n";
    }
    out().flush();
    return 0;
}

int userCommand(const QString &action, const QCommandLineParser &parser, const Config &config,
                const QProcessEnvironment &env)
{
    Result<std::unique_ptr<Database>> opened = Database::open(config.databaseUrl, 1);
    if (!opened) {
        return failure(opened.error());
    }
    Database &db = *opened.value();
    const Dialect dialect = db.dialect();
    if (Result<QStringList> migrated = db.runBlocking<QStringList>(
            DbAccess::Write, [dialect](DbConnection &c) { return Migrator(dialect).apply(c.database()); });
        !migrated) {
        return failure(migrated.error());
    }
    const QString email = parser.value(u"email"_s).trimmed().toLower();
    const QString team = parser.value(u"team"_s);
    const QString roleText = parser.value(u"role"_s);
    std::optional<Role> role;
    if (!roleText.isEmpty()) {
        role = parseRole(roleText);
        if (!role) {
            return usageError(u"--role must be viewer, editor or admin"_s);
        }
    }

    if (action == u"list"_s) {
        Result<QList<User>> users = db.runBlocking<QList<User>>(
            DbAccess::Read, [](DbConnection &c) { return AccountStore::listUsers(c); });
        if (!users) {
            return failure(users.error());
        }
        for (const User &user : users.value()) {
            QStringList teams;
            for (const Membership &m : user.teams) {
                teams.append(m.teamName + u" ("_s + roleName(m.role) + u")"_s);
            }
            out() << user.id << "  " << user.email << "  " << (user.name.isEmpty() ? u"-"_s : user.name)
                  << (user.disabled ? u"  [disabled]"_s : QString()) << "  " << teams.join(u", "_s)
                  << "\n";
        }
        if (users->isEmpty()) {
            out() << "No accounts yet.\n";
        }
        out().flush();
        return 0;
    }

    if (email.isEmpty()) {
        return usageError(u"--email is required"_s);
    }

    if (action == u"create"_s) {
        QString problem;
        const std::optional<QString> password = validPassword(parser, env, &problem);
        if (!password) {
            return usageError(problem);
        }
        Result<QByteArray> hash = PasswordHasher::hash(password->toUtf8(), config.bcryptCost);
        if (!hash) {
            return failure(hash.error());
        }
        const QString name = parser.value(u"name"_s);
        const QString defaultTeam = config.defaultTeamName;
        Result<QString> created = db.runBlocking<QString>(DbAccess::Write, [&](DbConnection &c) {
            return runInTransaction<QString>(c, [&]() -> Result<QString> {
                Result<std::optional<User>> existing = AccountStore::userByEmail(c, email);
                if (!existing) {
                    return existing.error();
                }
                if (existing.value()) {
                    return ApiError::conflict(u"an account with %1 already exists"_s.arg(email));
                }
                Result<qint64> count = AccountStore::countUsers(c);
                if (!count) {
                    return count.error();
                }
                Result<QString> teamId = resolveTeam(c, team, defaultTeam);
                if (!teamId) {
                    return teamId.error();
                }
                const Role memberRole = count.value() == 0 ? Role::Admin : role.value_or(Role::Editor);
                User user;
                user.id = newId();
                user.email = email;
                user.name = name;
                user.passwordHash = hash.value();
                if (Status s = AccountStore::insertUser(c, user); !s) {
                    return s.error();
                }
                if (Status s = AccountStore::insertMember(c, teamId.value(), user.id, memberRole); !s) {
                    return s.error();
                }
                if (auto e = EventStore::append(c, teamId.value(), u"member.added"_s,
                                                {{u"userId"_s, user.id}, {u"role"_s, roleName(memberRole)}});
                    !e) {
                    return e.error();
                }
                return QString(user.id + u" "_s + roleName(memberRole));
            });
        });
        if (!created) {
            return failure(created.error());
        }
        const QStringList parts = created->split(u' ');
        out() << "Created " << email << " (" << parts.value(0) << ") as " << parts.value(1) << ".\n";
        out().flush();
        return 0;
    }

    if (action == u"reset-password"_s) {
        QString problem;
        const std::optional<QString> password = validPassword(parser, env, &problem);
        if (!password) {
            return usageError(problem);
        }
        Result<QByteArray> hash = PasswordHasher::hash(password->toUtf8(), config.bcryptCost);
        if (!hash) {
            return failure(hash.error());
        }
        Result<Done> reset = db.runBlocking<Done>(DbAccess::Write, [&](DbConnection &c) {
            return runInTransaction<Done>(c, [&]() -> Result<Done> {
                Result<std::optional<User>> user = AccountStore::userByEmail(c, email);
                if (!user) {
                    return user.error();
                }
                if (!user.value()) {
                    return ApiError::notFound(u"no account with %1"_s.arg(email));
                }
                if (Status s = AccountStore::updatePasswordHash(c, user.value()->id, hash.value()); !s) {
                    return s.error();
                }
                return AccountStore::revokeRefreshTokensOfUser(c, user.value()->id);
            });
        });
        if (!reset) {
            return failure(reset.error());
        }
        out() << "Password of " << email << " reset; its sessions were ended.\n";
        out().flush();
        return 0;
    }

    if (action == u"set-role"_s || action == u"invite"_s) {
        if (!role) {
            return usageError(u"--role is required (viewer, editor or admin)"_s);
        }
        const QString defaultTeam = config.defaultTeamName;
        const int invitationTtl = config.invitationTtlSeconds;
        const bool invite = action == u"invite"_s;
        Result<QString> done = db.runBlocking<QString>(DbAccess::Write, [&](DbConnection &c) {
            return runInTransaction<QString>(c, [&]() -> Result<QString> {
                Result<QString> teamId = resolveTeam(c, team, defaultTeam);
                if (!teamId) {
                    return teamId.error();
                }
                if (invite) {
                    Invitation invitation;
                    invitation.id = newId();
                    invitation.teamId = teamId.value();
                    invitation.email = email;
                    invitation.role = *role;
                    invitation.createdAt = QDateTime::currentDateTimeUtc();
                    invitation.expiresAt = invitation.createdAt.addSecs(invitationTtl);
                    Result<std::optional<Invitation>> pending =
                        AccountStore::pendingInvitation(c, teamId.value(), email, nowIso());
                    if (!pending) {
                        return pending.error();
                    }
                    if (pending.value()) {
                        return ApiError::conflict(u"%1 already has a pending invitation"_s.arg(email));
                    }
                    if (Status s = AccountStore::insertInvitation(c, invitation); !s) {
                        return s.error();
                    }
                    if (auto e = EventStore::append(c, teamId.value(), u"invitation.created"_s,
                                                    {{u"invitationId"_s, invitation.id}});
                        !e) {
                        return e.error();
                    }
                    return invitation.expiresAt.toString(Qt::ISODate);
                }
                Result<std::optional<User>> user = AccountStore::userByEmail(c, email);
                if (!user) {
                    return user.error();
                }
                if (!user.value()) {
                    return ApiError::notFound(u"no account with %1"_s.arg(email));
                }
                Result<std::optional<Member>> member = AccountStore::member(c, teamId.value(), user.value()->id);
                if (!member) {
                    return member.error();
                }
                if (!member.value()) {
                    if (Status s = AccountStore::insertMember(c, teamId.value(), user.value()->id, *role); !s) {
                        return s.error();
                    }
                } else {
                    if (member.value()->role == Role::Admin && *role != Role::Admin) {
                        Result<qint64> admins = AccountStore::adminCount(c, teamId.value());
                        if (!admins) {
                            return admins.error();
                        }
                        if (admins.value() <= 1) {
                            return ApiError::conflict(u"the last admin of a team cannot be demoted"_s);
                        }
                    }
                    if (Status s = AccountStore::setMemberRole(c, teamId.value(), user.value()->id, *role); !s) {
                        return s.error();
                    }
                }
                if (auto e = EventStore::append(c, teamId.value(), u"member.updated"_s,
                                                {{u"userId"_s, user.value()->id}, {u"role"_s, roleName(*role)}});
                    !e) {
                    return e.error();
                }
                return QString();
            });
        });
        if (!done) {
            return failure(done.error());
        }
        if (invite) {
            out() << "Invited " << email << " as " << roleName(*role) << " (valid until " << done.value()
                  << "): they can now sign up with this email.\n";
        } else {
            out() << email << " is now " << roleName(*role) << ".\n";
        }
        out().flush();
        return 0;
    }
    return usageError(u"unknown user action \"%1\""_s.arg(action));
}

int importCommand(const QCommandLineParser &parser, const Config &config)
{
    ImportOptions options;
    options.sourceUrl = parser.value(u"from"_s);
    if (!options.sourceUrl.startsWith(u"postgresql://"_s)
        && !options.sourceUrl.startsWith(u"postgres://"_s)) {
        return usageError(u"import needs --from postgresql://user:password@host:port/database"_s);
    }
    options.targetUrl = config.databaseUrl;
    options.secretsFolder = SecretStore::defaultFolder(config.dataDir);
    options.dryRun = parser.isSet(u"dry-run"_s);
    if (parser.isSet(u"batch-size"_s)) {
        bool ok = false;
        options.batchSize = parser.value(u"batch-size"_s).toInt(&ok);
        if (!ok || options.batchSize < 1 || options.batchSize > 5000) {
            return usageError(u"--batch-size must be a number from 1 to 5000"_s);
        }
    }
    if (parser.isSet(u"region"_s)) {
        options.region = parser.value(u"region"_s).toUpper();
        if (!PhoneNormalizer::isSupportedRegion(options.region)) {
            return usageError(u"--region must be a two-letter region code such as US or GB"_s);
        }
    }
    ImportProgress progress(stdout, ::isatty(STDOUT_FILENO) != 0);
    Importer importer(options, &progress);
    Result<ImportSummary> summary = importer.run();
    if (!summary) {
        out().flush();
        return failure(summary.error());
    }
    progress.summary(summary.value(), options.dryRun);
    return 0;
}

} // namespace

int runCli(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Inbox Central: a self-hosted unified inbox for small teams.\n\n"_s + kCommandsHelp);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    parser.addPositionalArgument(u"command"_s, u"serve (default), worker, migrate, user or import"_s,
                                 u"[command]"_s);
    parser.addPositionalArgument(u"action"_s, u"for user: create, list, reset-password, set-role, invite"_s,
                                 u"[action]"_s);
    addConfigOptions(parser);
    parser.addOption({u"no-migrate"_s, u"serve, worker: do not apply pending migrations at start."_s});
    parser.addOption({u"no-worker"_s, u"serve: leave the jobs to `inbox-central worker` processes."_s});
    parser.addOption({u"email"_s, u"user: the account's email."_s, u"email"_s});
    parser.addOption({u"name"_s, u"user create: the display name."_s, u"name"_s});
    parser.addOption({u"role"_s, u"user: viewer, editor or admin."_s, u"role"_s});
    parser.addOption({u"team"_s, u"user: team id or name (default: DEFAULT_TEAM_NAME)."_s, u"team"_s});
    parser.addOption({u"password-stdin"_s, u"user: read the password from the first line of stdin."_s});
    parser.addOption({u"from"_s, u"import: the original backend's database, postgresql://..."_s, u"url"_s});
    parser.addOption({u"dry-run"_s, u"import: read and check everything, write nothing."_s});
    parser.addOption({u"batch-size"_s, u"import: source rows per transaction (default 500)."_s, u"n"_s});
    parser.addOption({u"region"_s, u"import: region of contact numbers without a country code (US)."_s,
                      u"XX"_s});

    if (!parser.parse(arguments)) {
        return usageError(parser.errorText());
    }
    if (parser.isSet(help)) {
        out() << parser.helpText() << "\n" << environmentHelp() << "\n";
        out().flush();
        return 0;
    }
    if (parser.isSet(version)) {
        out() << "inbox-central " << QCoreApplication::applicationVersion() << "\n";
        out().flush();
        return 0;
    }
    const QStringList positional = parser.positionalArguments();
    const QString command = positional.value(0, u"serve"_s);
    if (command != u"serve"_s && command != u"worker"_s && command != u"migrate"_s
        && command != u"user"_s && command != u"import"_s) {
        return usageError(u"unknown command \"%1\""_s.arg(command));
    }
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    Result<Config> config = loadConfig(parser, env, true);
    if (!config) {
        return failure(config.error());
    }
    if (command == u"serve"_s || command == u"worker"_s) {
        ServerRoles roles;
        roles.migrate = !parser.isSet(u"no-migrate"_s);
        roles.http = command == u"serve"_s;
        roles.worker = command == u"worker"_s || !parser.isSet(u"no-worker"_s);
        return serve(config.value(), roles);
    }
    if (command == u"migrate"_s) {
        return migrateCommand(config.value());
    }
    if (command == u"import"_s) {
        return importCommand(parser, config.value());
    }
    if (positional.size() < 2) {
        return usageError(u"`user` needs an action: create, list, reset-password, set-role or invite"_s);
    }
    return userCommand(positional.at(1), parser, config.value(), env);
}
