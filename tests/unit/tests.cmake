# SPDX-License-Identifier: MIT
# Unit tests: one line per test, each built from tests/unit/<name>.cpp.
inbox_add_qt_test(tst_crypto)
inbox_add_qt_test(tst_ids)
inbox_add_qt_test(tst_passwordhasher)
inbox_add_qt_test(tst_jwt)
inbox_add_qt_test(tst_migrations NEEDS_PG)
inbox_add_qt_test(tst_config)
inbox_add_qt_test(tst_validation)
inbox_add_qt_test(tst_router)
inbox_add_qt_test(tst_loginthrottle)
inbox_add_qt_test(tst_secretstore)
