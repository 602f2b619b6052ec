// SPDX-License-Identifier: MIT
#pragma once
// Result<T>: a value or an ApiError. No exception crosses the event loop (STYLE.md habit 4).

#include "apierror.h"

#include <utility>
#include <variant>

template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::move(value)) { }
    Result(ApiError error) : m_data(std::move(error)) { }

    [[nodiscard]] bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] T &value() { return std::get<0>(m_data); }
    [[nodiscard]] const T &value() const { return std::get<0>(m_data); }
    [[nodiscard]] const ApiError &error() const { return std::get<1>(m_data); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }

private:
    std::variant<T, ApiError> m_data;
};

// For operations that succeed with nothing to return.
struct Done
{
};
using Status = Result<Done>;
