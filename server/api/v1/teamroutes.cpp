// SPDX-License-Identifier: MIT
#include "teamroutes.h"

#include "api/servercontext.h"
#include "api/v1/accountjson.h"
#include "api/validation.h"
#include "domain/accounts/accountservice.h"
#include "http/router.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

std::optional<Role> roleField(JsonInput &input, const QJsonObject &body)
{
    const QString text = input.requiredString(u"role"_s, 20);
    if (text.isEmpty() || !body.value(u"role"_s).isString()) {
        return std::nullopt;
    }
    std::optional<Role> role = parseRole(text);
    if (!role) {
        input.addError(u"role"_s, u"must be viewer, editor or admin"_s);
    }
    return role;
}

template<typename T, typename ToJson>
auto answerList(const ResponderPtr &responder, ToJson toJson)
{
    return [responder, toJson](Result<QList<T>> items) {
        if (!items) {
            return responder->fail(items.error());
        }
        QJsonArray data;
        for (const T &item : items.value()) {
            data.append(toJson(item));
        }
        responder->send(HttpResponse::json(QJsonObject{{u"data"_s, data},
                                                       {u"nextCursor"_s, QJsonValue::Null}}));
    };
}

void answerEmpty(const ResponderPtr &responder, const Status &status)
{
    if (!status) {
        return responder->fail(status.error());
    }
    responder->send(HttpResponse::noContent());
}

} // namespace

void registerTeamRoutes(Router &router, const ServerContext &context)
{
    router.add("GET"_ba, u"/api/v1/teams"_s, [context](const RequestPtr &, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.accounts->me(principal->userId, false, [responder](Result<User> user) {
            if (!user) {
                return responder->fail(user.error());
            }
            QJsonArray data;
            for (const Membership &membership : user->teams) {
                data.append(QJsonObject{{u"id"_s, membership.teamId},
                                        {u"name"_s, membership.teamName},
                                        {u"role"_s, roleName(membership.role)}});
            }
            responder->send(HttpResponse::json(QJsonObject{{u"data"_s, data},
                                                           {u"nextCursor"_s, QJsonValue::Null}}));
        });
    });

    router.add("GET"_ba, u"/api/v1/teams/{teamId}/members"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.accounts->listMembers(principal->userId, request->param(u"teamId"_s),
                                      answerList<Member>(responder, memberJson));
    });

    router.add("POST"_ba, u"/api/v1/teams/{teamId}/members"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        const QString email = input.requiredEmail(u"email"_s);
        const std::optional<Role> role = roleField(input, *body);
        if (!input.ok() || !role) {
            return responder->fail(input.error());
        }
        context.accounts->addMember(principal->userId, request->param(u"teamId"_s), email, *role,
                                    [responder](Result<Member> member) {
                                        if (!member) {
                                            return responder->fail(member.error());
                                        }
                                        responder->send(HttpResponse::json(memberJson(member.value()), 201));
                                    });
    });

    router.add("PATCH"_ba, u"/api/v1/teams/{teamId}/members/{userId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        const std::optional<Role> role = roleField(input, *body);
        if (!input.ok() || !role) {
            return responder->fail(input.error());
        }
        context.accounts->changeMemberRole(principal->userId, request->param(u"teamId"_s),
                                           request->param(u"userId"_s), *role,
                                           [responder](Result<Member> member) {
                                               if (!member) {
                                                   return responder->fail(member.error());
                                               }
                                               responder->send(HttpResponse::json(memberJson(member.value())));
                                           });
    });

    router.add("DELETE"_ba, u"/api/v1/teams/{teamId}/members/{userId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.accounts->removeMember(principal->userId, request->param(u"teamId"_s),
                                       request->param(u"userId"_s),
                                       [responder](Status status) { answerEmpty(responder, status); });
    });

    router.add("GET"_ba, u"/api/v1/teams/{teamId}/invitations"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.accounts->listInvitations(principal->userId, request->param(u"teamId"_s),
                                          answerList<Invitation>(responder, invitationJson));
    });

    router.add("POST"_ba, u"/api/v1/teams/{teamId}/invitations"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto call = authenticatedBody(context, responder);
        if (!call) {
            return;
        }
        const Principal *principal = &call->principal;
        const QJsonObject *body = &call->body;
        JsonInput input(*body);
        const QString email = input.requiredEmail(u"email"_s);
        const std::optional<Role> role = roleField(input, *body);
        if (!input.ok() || !role) {
            return responder->fail(input.error());
        }
        context.accounts->invite(principal->userId, request->param(u"teamId"_s), email, *role,
                                 [responder](Result<Invitation> invitation) {
                                     if (!invitation) {
                                         return responder->fail(invitation.error());
                                     }
                                     responder->send(HttpResponse::json(invitationJson(invitation.value()), 201));
                                 });
    });

    router.add("DELETE"_ba, u"/api/v1/teams/{teamId}/invitations/{invitationId}"_s, [context](const RequestPtr &request, const ResponderPtr &responder) {
        const auto principal = authenticate(context, responder);
        if (!principal) {
            return;
        }
        context.accounts->revokeInvitation(principal->userId, request->param(u"teamId"_s),
                                           request->param(u"invitationId"_s),
                                           [responder](Status status) { answerEmpty(responder, status); });
    });
}
