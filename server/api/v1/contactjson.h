// SPDX-License-Identifier: MIT
#pragma once
// The /api/v1 JSON shapes of contacts and of a CSV import's report.

#include "domain/contacts/contacttypes.h"

#include <QJsonObject>

// {id, teamId, name, phone, email, attributes, optedOut, optedOutAt, optedOutChannel,
//  mergedInto, createdAt, updatedAt}; absent values are null.
[[nodiscard]] QJsonObject contactJson(const Contact &contact);
// {created, updated, failed, errors: [{row, field, message}]}
[[nodiscard]] QJsonObject importReportJson(const ImportReport &report);
