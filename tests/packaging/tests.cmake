# SPDX-License-Identifier: MIT
# The .deb: CPack builds it from the built tree into a temporary folder, and check-deb.sh checks
# its control fields, contents, maintainer scripts, unit and .desktop entry, then runs the
# unpacked server as the systemd unit would and asks /healthz.
add_test(NAME inbox.packaging.deb
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/check-deb.sh ${CMAKE_BINARY_DIR} ${PROJECT_VERSION}
                 $<BOOL:${INBOX_BUILD_DESKTOP}>)
set_tests_properties(inbox.packaging.deb PROPERTIES TIMEOUT 180)
