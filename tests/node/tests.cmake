# SPDX-License-Identifier: MIT
# Black-box tests in Node (node:test) against the real binary: every file runs twice, once on
# SQLite and once on PostgreSQL (the latter on the throwaway cluster of the `pg` fixture).

set(INBOX_NODE_TESTS
    accounts
    http-conventions
    compat
    interop
    cli-and-restart
    disconnects
)

foreach(test IN LISTS INBOX_NODE_TESTS)
    foreach(db IN ITEMS sqlite postgresql)
        inbox_add_node_test(${test} ${test}.test.mjs ${db})
    endforeach()
endforeach()
