"""PySide6 user interface: the only package of GenuScreen that imports Qt."""
