import pytest

from genuscreen.train.data import load_windows


@pytest.fixture(scope="session")
def tiny_windows(tmp_path_factory):
    """Windows of 24 synthetic children (12 valgum, 12 not), cached once for the session."""
    cache = tmp_path_factory.mktemp("cache")
    return load_windows({"synthetic": {"n": 24, "seed": 5, "mask_noise_px": 0.0}}, cache, workers=2), cache
