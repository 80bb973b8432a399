"""Frozen entry point of ``genuscreen-gui`` (the windowed executable of the bundle).

A file given on the command line (as a file manager's "Open with" passes it) opens at once.
``--version`` and ``--self-test`` answer as the ``genuscreen`` command does, so that the GUI
executable can be checked on its own without opening a window.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    if len(sys.argv) > 1 and sys.argv[1] in ("--version", "--self-test"):
        from genuscreen.cli import main

        sys.exit(main(sys.argv[1:]))
    from genuscreen.gui.app import run
    from genuscreen.native_logs import silence_native_logs

    silence_native_logs()
    sys.exit(run(sys.argv))
