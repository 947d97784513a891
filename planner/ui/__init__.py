"""The desktop app: the only package that imports PySide6."""

import sys

if sys.version_info < (3, 12):
    # WORKAROUND for PySide6 6.12 on CPython 3.11: void methods and signal emission drop a
    # reference to None / True / False they never took (harmless on 3.12+, where these objects
    # are immortal, PEP 683). After enough calls CPython aborts with "none_dealloc". Give the
    # three singletons a reference count no session can exhaust. Kept (issue 18): reproduced at
    # ~4,500 calls, and no public API can give the references back; the public fix is CPython
    # 3.12+. tests/ui/test_python311_workaround.py shows the abort without it. Remove with 3.11.
    import ctypes

    for _singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40
