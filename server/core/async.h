// SPDX-License-Identifier: MIT
#pragma once
// CPU-heavy work (bcrypt) off the HTTP thread: run on a thread pool, continue on `context`'s
// thread. Never used for database work (connections belong to the database threads).

#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>

#include <functional>
#include <memory>

template<typename T>
void runOnPool(QThreadPool *pool, QObject *context, std::function<T()> work,
               std::function<void(T)> then)
{
    QPointer<QObject> guard(context);
    pool->start([guard, work = std::move(work), then = std::move(then)] {
        auto result = std::make_shared<T>(work());
        if (guard) {
            QMetaObject::invokeMethod(guard, [guard, then, result] { then(std::move(*result)); });
        }
    });
}
