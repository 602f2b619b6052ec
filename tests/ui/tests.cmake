# SPDX-License-Identifier: MIT
# The desktop client's tests (ui/): C++ tests of the Socket.IO client and the models, and a Qt
# Quick Test of the QML views, all against the real inbox-central binary (and the Node
# socket.io reference server for the Socket.IO client). Included from tests/CMakeLists.txt when
# INBOX_BUILD_DESKTOP is on.

add_library(inbox_ui_test_support STATIC
    ${CMAKE_CURRENT_SOURCE_DIR}/ui/uitestserver.cpp ${CMAKE_CURRENT_SOURCE_DIR}/ui/uitestserver.h)
target_include_directories(inbox_ui_test_support PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/ui)
target_link_libraries(inbox_ui_test_support PUBLIC Qt6::Core Qt6::Network PRIVATE inbox_flags)

# A test of the client library from tests/ui/<name>.cpp, run against a server it starts itself.
function(inbox_add_ui_test name)
    add_executable(${name} ui/${name}.cpp)
    target_link_libraries(${name} PRIVATE Inbox::Client Qt6::Test inbox_ui_test_support
                                          inbox_flags)
    target_compile_definitions(${name} PRIVATE INBOX_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    add_test(NAME inbox.ui.${name} COMMAND ${name})
    set_tests_properties(inbox.ui.${name} PROPERTIES
        ENVIRONMENT "INBOX_BIN=${INBOX_BIN};QT_QPA_PLATFORM=offscreen"
        TIMEOUT 60)
endfunction()

inbox_add_ui_test(tst_socketioclient)
inbox_add_ui_test(tst_uimodels)
target_link_libraries(tst_socketioclient PRIVATE Qt6::WebSockets)

# The QML views under Qt Quick Test (tests/ui/qml/tst_*.qml), signed in to a real server.
add_executable(tst_inboxqml ui/tst_inboxqml.cpp)
target_link_libraries(tst_inboxqml PRIVATE Inbox::Ui Qt6::QuickTest Qt6::Quick
                                           inbox_ui_test_support inbox_flags)
target_compile_definitions(tst_inboxqml PRIVATE
    QUICK_TEST_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/ui/qml")
add_test(NAME inbox.ui.tst_inboxqml COMMAND tst_inboxqml)
set_tests_properties(inbox.ui.tst_inboxqml PROPERTIES
    ENVIRONMENT "INBOX_BIN=${INBOX_BIN};QT_QPA_PLATFORM=offscreen"
    TIMEOUT 60)
