"""Allows ``python -m genuscreen``."""

from genuscreen.cli import main

raise SystemExit(main())
