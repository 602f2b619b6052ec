// SPDX-License-Identifier: MIT
#include "jsonlistmodel.h"

#include "apiclient.h"

#include <QJsonArray>

#include <utility>

using namespace Qt::StringLiterals;

JsonListModel::JsonListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void JsonListModel::setSession(Session *session)
{
    if (m_session == session) {
        return;
    }
    if (m_session) {
        m_session->disconnect(this);
    }
    m_session = session;
    if (m_session) {
        connect(m_session, &Session::realtimeEvent, this,
                [this](const QString &name, const QJsonValue &payload) {
                    takeEvent(name, payload.toObject());
                });
        connect(m_session, &Session::signedInChanged, this, &JsonListModel::reload);
        connect(m_session, &Session::teamIdChanged, this, &JsonListModel::reload);
        connect(m_session, &Session::resyncNeeded, this, &JsonListModel::reload);
    }
    Q_EMIT sessionChanged();
    reload();
}

void JsonListModel::setPageSize(int size)
{
    size = std::clamp(size, 1, 200);
    if (m_pageSize != size) {
        m_pageSize = size;
        Q_EMIT pageSizeChanged();
    }
}

int JsonListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

bool JsonListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && hasMore() && !m_loading;
}

void JsonListModel::fetchMore(const QModelIndex &parent)
{
    if (!parent.isValid()) {
        loadMore();
    }
}

namespace {
// More held events than this while the first page is slow: reload once it is in instead.
constexpr qsizetype MaxHeldEvents = 1000;
} // namespace

void JsonListModel::takeEvent(const QString &name, const QJsonObject &payload)
{
    if (!m_firstPageInFlight) {
        handleEvent(name, payload);
        return;
    }
    // Applied now, an event would land in an empty list: rows older than the page (say a
    // delivery update of an old message) would be listed, and the page would go after them.
    if (m_heldEvents.size() >= MaxHeldEvents) {
        m_heldEventsOverflowed = true;
        m_heldEvents.clear();
    }
    if (!m_heldEventsOverflowed) {
        m_heldEvents.append({name, payload});
    }
}

bool JsonListModel::replayHeldEvents()
{
    const auto held = std::exchange(m_heldEvents, {});
    if (std::exchange(m_heldEventsOverflowed, false)) {
        return false;
    }
    // In arrival order, so a row ends in its latest state even when the page was read before
    // some of these changes and after others.
    for (const auto &[name, payload] : held) {
        handleEvent(name, payload);
    }
    return true;
}

void JsonListModel::reload()
{
    ++m_generation;
    clear();
    m_firstPageInFlight = false;
    m_heldEventsOverflowed = false;
    m_heldEvents.clear();
    const bool hadMore = hasMore();
    m_nextCursor.clear();
    if (hadMore) {
        Q_EMIT hasMoreChanged();
    }
    setLoading(false);
    if (!m_session || !m_session->isSignedIn() || m_session->teamId().isEmpty()
        || listPath().isEmpty()) {
        return;
    }
    requestPage({});
}

void JsonListModel::loadMore()
{
    if (!m_loading && hasMore()) {
        requestPage(m_nextCursor);
    }
}

void JsonListModel::requestPage(const QString &cursor)
{
    QUrlQuery query = listQuery();
    query.addQueryItem(u"limit"_s, QString::number(m_pageSize));
    if (!cursor.isEmpty()) {
        query.addQueryItem(u"cursor"_s, cursor);
    }
    setLoading(true);
    const bool firstPage = cursor.isEmpty();
    m_firstPageInFlight = firstPage;
    const int generation = m_generation;
    m_session->api()->get(listPath(), query, this, [this, generation, firstPage](const ApiResult &result) {
        if (generation != m_generation) {
            return; // answer to a list that was reloaded meanwhile
        }
        setLoading(false);
        if (firstPage) {
            m_firstPageInFlight = false;
        }
        if (!result.ok()) {
            // Held events are dropped with the page: a reload brings the current state.
            m_heldEvents.clear();
            m_heldEventsOverflowed = false;
            setError(result.problem.message());
            return;
        }
        setError({});
        const QJsonObject page = result.object();
        const QJsonArray data = page.value(u"data"_s).toArray();
        QList<QJsonObject> fresh;
        for (const QJsonValue &value : data) {
            const QJsonObject object = value.toObject();
            if (indexOf(object.value(u"id"_s).toString()) < 0) {
                fresh.append(object);
            }
        }
        if (!fresh.isEmpty()) {
            const int first = int(m_items.size());
            beginInsertRows({}, first, first + int(fresh.size()) - 1);
            m_items.append(fresh);
            endInsertRows();
            Q_EMIT countChanged();
        }
        const bool hadMore = hasMore();
        m_nextCursor = page.value(u"nextCursor"_s).toString();
        if (hadMore != hasMore()) {
            Q_EMIT hasMoreChanged();
        }
        if (firstPage && !replayHeldEvents()) {
            reload(); // too much changed while the page was on its way
            return;
        }
        Q_EMIT pageLoaded();
    });
}

QVariantMap JsonListModel::get(int row) const
{
    return row >= 0 && row < m_items.size() ? m_items.at(row).toVariantMap() : QVariantMap();
}

QJsonObject JsonListModel::item(int row) const
{
    return row >= 0 && row < m_items.size() ? m_items.at(row) : QJsonObject();
}

int JsonListModel::indexOf(const QString &id) const
{
    for (int i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).value(u"id"_s).toString() == id) {
            return i;
        }
    }
    return -1;
}

bool JsonListModel::before(const QJsonObject &a, const QJsonObject &b) const
{
    // ISO-8601 UTC with milliseconds sorts as text.
    const QString ta = a.value(u"createdAt"_s).toString();
    const QString tb = b.value(u"createdAt"_s).toString();
    if (ta != tb) {
        return ta > tb;
    }
    return a.value(u"id"_s).toString() > b.value(u"id"_s).toString();
}

void JsonListModel::handleEvent(const QString &, const QJsonObject &) { }

int JsonListModel::insertionRow(const QJsonObject &item) const
{
    int row = 0;
    while (row < m_items.size() && !before(item, m_items.at(row))) {
        ++row;
    }
    return row;
}

int JsonListModel::upsert(const QJsonObject &item)
{
    const int existing = indexOf(item.value(u"id"_s).toString());
    if (existing >= 0) {
        m_items[existing] = item;
        // Where would it go among the others?
        QList<QJsonObject> others = m_items;
        others.removeAt(existing);
        int target = 0;
        while (target < others.size() && !before(item, others.at(target))) {
            ++target;
        }
        if (target != existing) {
            beginMoveRows({}, existing, existing, {}, target > existing ? target + 1 : target);
            m_items.move(existing, target);
            endMoveRows();
        }
        const QModelIndex changed = index(target);
        Q_EMIT dataChanged(changed, changed);
        return target;
    }
    const int row = insertionRow(item);
    if (row == m_items.size() && hasMore()) {
        return -1;
    }
    beginInsertRows({}, row, row);
    m_items.insert(row, item);
    endInsertRows();
    Q_EMIT countChanged();
    return row;
}

void JsonListModel::removeById(const QString &id)
{
    const int row = indexOf(id);
    if (row < 0) {
        return;
    }
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
    Q_EMIT countChanged();
}

void JsonListModel::clear()
{
    if (m_items.isEmpty()) {
        return;
    }
    beginResetModel();
    m_items.clear();
    endResetModel();
    Q_EMIT countChanged();
}

void JsonListModel::setLoading(bool loading)
{
    if (m_loading != loading) {
        m_loading = loading;
        Q_EMIT loadingChanged();
    }
}

void JsonListModel::setError(const QString &error)
{
    if (m_error != error) {
        m_error = error;
        Q_EMIT errorStringChanged();
    }
}

QVariant JsonListModel::field(int row, const QString &key) const
{
    if (row < 0 || row >= m_items.size()) {
        return {};
    }
    return m_items.at(row).value(key).toVariant();
}
