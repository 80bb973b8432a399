"""Frozen entry point of the ``genuscreen`` command (the console executable of the bundle)."""

import multiprocessing
import sys

if __name__ == "__main__":
    # `genuscreen synth --workers N` starts processes; a frozen executable on Windows and macOS
    # starts them by running itself again, which freeze_support() turns into the worker.
    multiprocessing.freeze_support()
    from genuscreen.cli import main

    sys.exit(main())
