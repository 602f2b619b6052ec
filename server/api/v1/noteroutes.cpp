// SPDX-License-Identifier: MIT
#include "noteroutes.h"

#include "api/servercontext.h"
#include "api/v1/messaginginput.h"
#include "domain/notes/noteservice.h"
#include "http/router.h"

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxNoteLength = 10000;

// Content as written; blank content is refused.
QString noteContent(JsonInput &input, const QJsonObject &body, bool required)
{
    const QJsonValue value = body.value(u"content"_s);
    if (value.isUndefined() && !required) {
        return {};
    }
    if (!value.isString()) {
        input.addError(u"content"_s, value.isUndefined() || value.isNull() ? u"is required"_s
                                                                           : u"must be a string"_s);
        return {};
    }
    const QString content = value.toString();
    if (content.trimmed().isEmpty()) {
        input.addError(u"content"_s, u"must not be empty"_s);
    } else if (content.size() > kMaxNoteLength) {
        input.addError(u"content"_s, u"must be at most %1 characters"_s.arg(kMaxNoteLength));
    }
    return content;
}

std::optional<bool> optionalFlag(JsonInput &input, const QJsonObject &body, const QString &field)
{
    const QJsonValue value = body.value(field);
    if (value.isUndefined()) {
        return std::nullopt;
    }
    if (!value.isBool()) {
        input.addError(field, u"must be true or false"_s);
        return std::nullopt;
    }
    return value.toBool();
}

auto answerNote(const ResponderPtr &responder, int status = 200)
{
    return [responder, status](Result<Note> note) {
        if (!note) {
            return responder->fail(note.error());
        }
        responder->send(HttpResponse::json(noteJson(note.value()), status));
    };
}

} // namespace

void registerNoteRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, u"/api/v1/teams/{teamId}/notes"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        Result<PageRequest> page = parsePageRequest(*request);
        if (!page) {
            return responder->fail(page.error());
        }
        const NoteFilter filter{request->queryValue(u"contactId"_s),
                                request->queryValue(u"conversationId"_s)};
        if (filter.contactId.size() > 64 || filter.conversationId.size() > 64) {
            return responder->fail(
                ApiError::validation({{u"query"_s, u"ids are at most 64 characters"_s}}));
        }
        context.notes->list(principal->userId, request->param(u"teamId"_s), filter, page.value(),
                            answerPage<Note>(responder, noteJson));
    });

    router.add("POST"_ba, u"/api/v1/teams/{teamId}/notes"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        rejectUnknownFields(input, *body,
                            {u"content"_s, u"contactId"_s, u"conversationId"_s, u"isPrivate"_s});
        NewNote note;
        note.content = noteContent(input, *body, true);
        note.contactId = input.optionalString(u"contactId"_s, 64).value_or(QString());
        note.conversationId = input.optionalString(u"conversationId"_s, 64).value_or(QString());
        note.isPrivate = optionalFlag(input, *body, u"isPrivate"_s).value_or(false);
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.notes->create(principal->userId, request->param(u"teamId"_s), note,
                              answerNote(responder, 201));
    });

    router.add("GET"_ba, u"/api/v1/teams/{teamId}/notes/{noteId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.notes->get(principal->userId, request->param(u"teamId"_s),
                           request->param(u"noteId"_s), answerNote(responder));
    });

    router.add("PATCH"_ba, u"/api/v1/teams/{teamId}/notes/{noteId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        rejectUnknownFields(input, *body, {u"content"_s, u"isPrivate"_s});
        NoteChange change;
        if (input.has(u"content"_s)) {
            change.content = noteContent(input, *body, false);
        }
        change.isPrivate = optionalFlag(input, *body, u"isPrivate"_s);
        if (input.ok() && !change.content && !change.isPrivate) {
            input.addError(u"body"_s, u"must change content or isPrivate"_s);
        }
        if (!input.ok()) {
            return responder->fail(input.error());
        }
        context.notes->update(principal->userId, request->param(u"teamId"_s),
                              request->param(u"noteId"_s), change, answerNote(responder));
    });

    router.add("DELETE"_ba, u"/api/v1/teams/{teamId}/notes/{noteId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.notes->remove(principal->userId, request->param(u"teamId"_s),
                              request->param(u"noteId"_s), [responder](Status status) {
                                  if (!status) {
                                      return responder->fail(status.error());
                                  }
                                  responder->send(HttpResponse::noContent());
                              });
    });
}
