// SPDX-License-Identifier: MIT
#pragma once

// The common part of the list models: rows are the API's JSON objects, identified by `id`, loaded
// page by page through the keyset paging every list route has (`limit` + `cursor` →
// `nextCursor`), and kept current from real-time events. Subclasses name the route, its filters,
// the row order and their roles; this class does the paging, the stale-answer guard (a reload
// while a page is in flight drops that page), the ordered upsert live updates need, and holding
// back the events that come while the first page is on its way (applied once it is in, so a
// row changed meanwhile is neither lost nor listed out of order).

#include <QAbstractListModel>
#include <QJsonObject>
#include <QList>
#include <QPointer>
#include <QUrlQuery>

#include "session.h"

class JsonListModel : public QAbstractListModel
{
    Q_OBJECT
    Q_PROPERTY(Session *session READ session WRITE setSession NOTIFY sessionChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    Q_PROPERTY(bool hasMore READ hasMore NOTIFY hasMoreChanged)
    Q_PROPERTY(int pageSize READ pageSize WRITE setPageSize NOTIFY pageSizeChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)

public:
    explicit JsonListModel(QObject *parent = nullptr);

    [[nodiscard]] Session *session() const { return m_session; }
    void setSession(Session *session);
    [[nodiscard]] int count() const { return int(m_items.size()); }
    [[nodiscard]] bool isLoading() const { return m_loading; }
    [[nodiscard]] bool hasMore() const { return !m_nextCursor.isEmpty(); }
    [[nodiscard]] int pageSize() const { return m_pageSize; }
    void setPageSize(int size);
    [[nodiscard]] QString errorString() const { return m_error; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Drops the rows and loads the first page again.
    Q_INVOKABLE void reload();
    // Loads the next page, if any (also what a ListView's fetchMore does).
    Q_INVOKABLE void loadMore();
    // The row's JSON as a map ({} when out of range).
    Q_INVOKABLE QVariantMap get(int row) const;
    Q_INVOKABLE int indexOf(const QString &id) const;
    [[nodiscard]] QJsonObject item(int row) const;

Q_SIGNALS:
    void sessionChanged();
    void countChanged();
    void loadingChanged();
    void hasMoreChanged();
    void pageSizeChanged();
    void errorStringChanged();
    // A page (the first one too) was added.
    void pageLoaded();

protected:
    // The list route ("/api/v1/teams/…/conversations"); empty when there is nothing to list.
    [[nodiscard]] virtual QString listPath() const = 0;
    [[nodiscard]] virtual QUrlQuery listQuery() const { return {}; }
    // Whether `a` is listed before `b`; default: newest `createdAt` first, then higher id.
    [[nodiscard]] virtual bool before(const QJsonObject &a, const QJsonObject &b) const;
    virtual void handleEvent(const QString &name, const QJsonObject &payload);

    // Inserts a new row at its place or replaces (and if needed moves) the row with its id.
    // A new row that would land after the last loaded row while more pages exist is left for
    // the paging to bring. Returns the row, or -1.
    int upsert(const QJsonObject &item);
    void removeById(const QString &id);
    void clear();
    void setError(const QString &error);
    // The value of `key` in row `row`, converted for QML.
    [[nodiscard]] QVariant field(int row, const QString &key) const;

    QList<QJsonObject> m_items;

private:
    void setLoading(bool loading);
    void requestPage(const QString &cursor);
    [[nodiscard]] int insertionRow(const QJsonObject &item) const;
    void takeEvent(const QString &name, const QJsonObject &payload);
    // False when too many were held: the caller reloads instead.
    [[nodiscard]] bool replayHeldEvents();

    QPointer<Session> m_session;
    QString m_nextCursor;
    bool m_loading = false;
    int m_pageSize = 50;
    int m_generation = 0;
    QString m_error;
    // Events that came while the first page was in flight, in arrival order.
    bool m_firstPageInFlight = false;
    bool m_heldEventsOverflowed = false;
    QList<std::pair<QString, QJsonObject>> m_heldEvents;
};
