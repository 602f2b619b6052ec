// SPDX-License-Identifier: MIT
#include "dialect.h"

#include <QSqlDatabase>

using namespace Qt::StringLiterals;

Dialect dialectOf(const QSqlDatabase &db)
{
    return db.driverName() == u"QSQLITE"_s ? Dialect::Sqlite : Dialect::Postgres;
}

QString dialectName(Dialect dialect)
{
    return dialect == Dialect::Sqlite ? u"sqlite"_s : u"postgresql"_s;
}
