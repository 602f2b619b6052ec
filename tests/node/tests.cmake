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
    realtime
    engineio
    roles
    openapi
    compat-settings
    compat-twilio
    media
)

foreach(test IN LISTS INBOX_NODE_TESTS)
    foreach(db IN ITEMS sqlite postgresql)
        inbox_add_node_test(${test} ${test}.test.mjs ${db})
    endforeach()
endforeach()
inbox_add_node_test(contacts contacts.test.mjs sqlite)
inbox_add_node_test(contacts contacts.test.mjs postgresql)
inbox_add_node_test(conversations conversations.test.mjs sqlite)
inbox_add_node_test(conversations conversations.test.mjs postgresql)
inbox_add_node_test(inboxes inboxes.test.mjs sqlite)
inbox_add_node_test(inboxes inboxes.test.mjs postgresql)
inbox_add_node_test(settings settings.test.mjs sqlite)
inbox_add_node_test(settings settings.test.mjs postgresql)
inbox_add_node_test(search search.test.mjs sqlite)
inbox_add_node_test(search search.test.mjs postgresql)
inbox_add_node_test(messages messages.test.mjs sqlite)
inbox_add_node_test(messages messages.test.mjs postgresql)
inbox_add_node_test(notes notes.test.mjs sqlite)
inbox_add_node_test(notes notes.test.mjs postgresql)
inbox_add_node_test(compat-inbox compat-inbox.test.mjs sqlite)
inbox_add_node_test(compat-inbox compat-inbox.test.mjs postgresql)
inbox_add_node_test(readcache readcache.test.mjs sqlite)
inbox_add_node_test(readcache readcache.test.mjs postgresql)

# The fake Twilio against the real twilio npm client: no server, no database, so no db variant.
add_test(NAME inbox.node.fake-twilio
         COMMAND node --test ${CMAKE_CURRENT_SOURCE_DIR}/node/fake-twilio.test.mjs
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(inbox.node.fake-twilio PROPERTIES TIMEOUT 120)
inbox_add_node_test(voice voice.test.mjs sqlite)
inbox_add_node_test(voice voice.test.mjs postgresql)
inbox_add_node_test(twilio-messages twilio-messages.test.mjs sqlite)
inbox_add_node_test(twilio-messages twilio-messages.test.mjs postgresql)
inbox_add_node_test(maintenance maintenance.test.mjs sqlite)
inbox_add_node_test(maintenance maintenance.test.mjs postgresql)
inbox_add_node_test(jobs-durability jobs-durability.test.mjs sqlite)
inbox_add_node_test(jobs-durability jobs-durability.test.mjs postgresql)
inbox_add_node_test(scheduled scheduled.test.mjs sqlite)
inbox_add_node_test(scheduled scheduled.test.mjs postgresql)
inbox_add_node_test(nginx nginx.test.mjs postgresql)
# The import reads its source from the test PostgreSQL cluster whatever the target is, so the
# SQLite variant needs the pg fixture too.
inbox_add_node_test(import import.test.mjs sqlite)
inbox_add_node_test(import import.test.mjs postgresql)
set_tests_properties(inbox.node.sqlite.import PROPERTIES FIXTURES_REQUIRED pg)
inbox_add_node_test(google google.test.mjs sqlite)
inbox_add_node_test(google google.test.mjs postgresql)
