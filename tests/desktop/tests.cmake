# SPDX-License-Identifier: MIT
# The desktop app's tests (app/desktop): Qt Test executables linked to the inboxdesktop library,
# on the offscreen platform and without a D-Bus session, so the keychain fallback is what runs.
set(INBOX_TEST_OUTPUT ${CMAKE_BINARY_DIR}/test-output)

function(inbox_add_desktop_test name)
    cmake_parse_arguments(ARG "NEEDS_PG;SOFTWARE_QUICK" "" "" ${ARGN})
    add_executable(${name} desktop/${name}.cpp)
    target_link_libraries(${name} PRIVATE inboxdesktop inboxdesktopplugin Qt6::Test
                                          inbox_test_support)
    add_test(NAME inbox.desktop.${name} COMMAND ${name})
    set_tests_properties(inbox.desktop.${name} PROPERTIES
        ENVIRONMENT "INBOX_PG_DIR=${INBOX_PG_DIR};QT_QPA_PLATFORM=offscreen;DBUS_SESSION_BUS_ADDRESS=;INBOX_TEST_OUTPUT=${INBOX_TEST_OUTPUT};INBOX_BIN=${INBOX_BIN}"
        TIMEOUT 300)
    if(ARG_SOFTWARE_QUICK)
        # The offscreen platform has no OpenGL: Qt Quick draws with its software renderer.
        set_property(TEST inbox.desktop.${name} APPEND PROPERTY ENVIRONMENT QT_QUICK_BACKEND=software)
    endif()
    if(ARG_NEEDS_PG)
        set_tests_properties(inbox.desktop.${name} PROPERTIES FIXTURES_REQUIRED pg)
    endif()
    set_property(GLOBAL APPEND PROPERTY INBOX_DESKTOP_TESTS ${name})
endfunction()

inbox_add_desktop_test(tst_desktopsettings)
inbox_add_desktop_test(tst_secretfallback SOFTWARE_QUICK)
inbox_add_desktop_test(tst_servercontroller)
inbox_add_desktop_test(tst_traymenu)
inbox_add_desktop_test(tst_settingsteam)
inbox_add_desktop_test(tst_databasetester NEEDS_PG)
inbox_add_desktop_test(tst_desktope2e SOFTWARE_QUICK)
inbox_add_desktop_test(tst_translations SOFTWARE_QUICK)

# Every string of the German translation is translated: none unfinished, none left over.
add_test(NAME inbox.desktop.translations_complete
         COMMAND sh -c "! grep -nE 'type=\"(unfinished|vanished|obsolete)\"' \"$1\""
                 sh ${PROJECT_SOURCE_DIR}/translations/inbox-central_de.ts)

# ... and no string in the sources is missing from it: lupdate, run on a copy, finds nothing new.
add_test(NAME inbox.desktop.translations_up_to_date
         COMMAND sh -c [=[
set -e
out="$4/lupdate-check"; mkdir -p "$out"
cp "$1" "$out/check_de.ts"
cmake -DIN_FILE="$3" -DOUT_FILE="$out/project.json" -P "$5"
"$2" -project "$out/project.json" -no-obsolete -locations none -ts "$out/check_de.ts" >"$out/log" 2>&1
! grep -nE 'type="(unfinished|vanished|obsolete)"' "$out/check_de.ts"
]=] sh ${PROJECT_SOURCE_DIR}/translations/inbox-central_de.ts $<TARGET_FILE:Qt6::lupdate>
       ${CMAKE_BINARY_DIR}/app/desktop/.lupdate/inboxdesktop_project.cmake ${CMAKE_BINARY_DIR}
       ${Qt6LinguistTools_DIR}/GenerateLUpdateProject.cmake)
