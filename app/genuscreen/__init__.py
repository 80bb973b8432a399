"""GenuScreen: screening support for genu valgum (knock-knees) in children from a walking video.

Screening support only: not a diagnosis and not clinically validated. Everything runs on the
user's machine; nothing leaves it.
"""

__version__ = "0.1.0"
