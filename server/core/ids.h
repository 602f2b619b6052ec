// SPDX-License-Identifier: MIT
#pragma once
// Primary keys for every table: UUIDv7 (RFC 9562), so ids sort by creation time, index well,
// and can be minted on any instance without coordination.

#include <QString>

// A new lower-case canonical UUIDv7 ("0190b6e4-1c2a-7d3e-8f00-0123456789ab"). Within one process
// the ids are strictly increasing, even when several are made in the same millisecond, from
// several threads, or while the wall clock steps backwards.
[[nodiscard]] QString newId();
