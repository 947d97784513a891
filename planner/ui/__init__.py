"""The desktop app: the only package that imports PySide6."""

import sys

if sys.version_info < (3, 12):
    # WORKAROUND for PySide6 6.12 on CPython 3.11: void methods and signal emission drop a
    # reference to None / True / False they never took (harmless on 3.12+, where these objects
    # are immortal, PEP 683). After enough calls CPython aborts with "none_dealloc". Give the
    # three singletons a reference count no session can exhaust. Remove with Python 3.11.
    import ctypes

    for _singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(_singleton)).value += 1 << 40
