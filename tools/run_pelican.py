"""Pelican's command line (``python -m pelican``), ending the process at
once when it is done.

A build of a few thousand articles leaves a few hundred megabytes of Python
objects. The interpreter's own shutdown frees them one by one (0.04–0.06 s
after a build of 5,000 articles, measured from ``pelican.main()`` returning
to the process ending) in a process whose memory the system takes back
anyway. This runs ``pelican.main()`` with the same arguments, waits for
the threads that are not daemons, runs the exit handlers (logging's flush,
multiprocessing's clean-up, any a plugin registered), flushes stdout and
stderr, and leaves with ``os._exit`` and
the exit status ``python -m pelican`` would have had.

``make html``, ``make check``, ``make serve``, ``make publish`` and the
benchmark run Pelican through this file; the devserver's forked builds end
with :func:`leave` too. Usage: ``python tools/run_pelican.py [pelican
arguments]``.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import traceback
from collections.abc import Callable

import pelican


def build_status(build: Callable[[], object]) -> int:
    """Run ``build()``; return the exit status ``python -m pelican`` would
    have (Pelican and the strict build leave through SystemExit). Any other
    exception (Pelican raises again with ``-D``, or Ctrl-C) is printed and
    is status 1."""
    try:
        build()
    except SystemExit as leaving:
        if leaving.code is None or isinstance(leaving.code, int):
            return leaving.code or 0
        print(leaving.code, file=sys.stderr)
        return 1
    except BaseException:  # reported, and the process ends
        traceback.print_exc()
        return 1
    return 0


def leave(status: int) -> None:
    """End the process with ``status`` the way the interpreter's shutdown
    begins (wait for the threads that are not daemons, then run the exit
    handlers), flush the standard streams, and leave without freeing
    anything."""
    threading._shutdown()  # what Py_FinalizeEx calls first: threading's own exit hooks, then the joins
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # closed, or not a file any more
            pass
    os._exit(status)


def main() -> None:
    sys.argv[0] = "pelican"  # the name Pelican's usage and error messages give
    leave(build_status(pelican.main))


if __name__ == "__main__":
    main()
