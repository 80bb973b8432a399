"""Training data: synthetic windows cached and reused, splits by child, labelled video folders."""

from pathlib import Path

import numpy as np
import pytest

from genuscreen.train import data as data_module
from genuscreen.train.data import DataError, list_videos, load_windows, split_by_child, target_of


def test_synthetic_windows_are_cached_and_reused(tiny_windows, monkeypatch) -> None:
    windows, cache = tiny_windows
    assert len(windows) >= 20  # a child the fast path cannot cut a window from is dropped
    assert windows.windows.dtype == np.uint8 and windows.windows.shape[1:] == (16, 64, 44)
    assert sum(c["count"] for c in windows.clips) == windows.windows.shape[0]
    assert {target_of(c["label"]) for c in windows.clips} == {0, 1}
    assert windows.source["synthetic"]["generator_version"]

    def no_rendering(*_a, **_k):
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(data_module, "_make_synthetic", no_rendering)
    again = load_windows({"synthetic": {"n": 24, "seed": 5, "mask_noise_px": 0.0}}, cache)
    assert np.array_equal(np.asarray(again.windows), np.asarray(windows.windows))
    with pytest.raises(AssertionError, match="cache"):  # another seed is another data set
        load_windows({"synthetic": {"n": 24, "seed": 6, "mask_noise_px": 0.0}}, cache)


def test_a_broken_cache_is_rebuilt_not_trusted(tmp_path) -> None:
    source = {"synthetic": {"n": 2, "seed": 9}}
    first = np.array(load_windows(source, tmp_path, workers=1).windows)  # a copy: the file is about to break
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    (folder / "windows.npy").write_bytes(b"not an array")
    again = load_windows(source, tmp_path, workers=1)
    assert np.array_equal(np.asarray(again.windows), first)


def test_unknown_synthetic_setting_is_refused(tmp_path) -> None:
    with pytest.raises(DataError, match="unknown synthetic data settings"):
        load_windows({"synthetic": {"n": 2, "sede": 1}}, tmp_path)
    with pytest.raises(DataError, match="data source"):
        load_windows({"files": "x"}, tmp_path)


def test_split_by_child_keeps_each_child_in_one_split() -> None:
    clips = [{"child": f"c{i // 3}"} for i in range(60)]  # 20 children, 3 clips each
    train, val, test = split_by_child(clips, (0.6, 0.2, 0.2), seed=1)
    assert sorted(train + val + test) == list(range(60))
    owner = {}
    for name, split in (("train", train), ("val", val), ("test", test)):
        for i in split:
            assert owner.setdefault(clips[i]["child"], name) == name
    assert len(val) == 12 and len(test) == 12
    assert split_by_child(clips, (0.6, 0.2, 0.2), seed=1) == (train, val, test)
    assert split_by_child(clips, (0.6, 0.2, 0.2), seed=2) != (train, val, test)
    with pytest.raises(DataError, match="sum to 1"):
        split_by_child(clips, (0.5, 0.2, 0.2), seed=1)


def test_video_folder_layouts_and_their_errors(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="does not exist"):
        list_videos(tmp_path / "nowhere")
    with pytest.raises(DataError, match="labels.csv"):
        list_videos(tmp_path)
    for cls in ("normal", "genu_valgum"):
        (tmp_path / cls).mkdir()
        (tmp_path / cls / "a.mp4").write_bytes(b"x")
    (tmp_path / "normal" / "notes.txt").write_text("not a video")
    items = list_videos(tmp_path)
    assert [(i["file"], i["label"]) for i in items] == [("normal/a.mp4", "normal"), ("genu_valgum/a.mp4", "genu_valgum")]
    assert items[0]["child"] != items[1]["child"]

    (tmp_path / "labels.csv").write_text("file,label,tfa_deg,child_id\nnormal/a.mp4,0,4.5,K1\ngenu_valgum/a.mp4,valgum,,K1\n")
    items = list_videos(tmp_path)
    assert [i["label"] for i in items] == ["normal", "genu_valgum"]
    assert items[0]["tfa_deg"] == 4.5 and items[1]["tfa_deg"] is None
    assert items[0]["child"] == items[1]["child"] == "K1"

    (tmp_path / "labels.csv").write_text("file,label\nnormal/a.mp4,knock\n")
    with pytest.raises(DataError, match="line 2: unknown label 'knock'"):
        list_videos(tmp_path)
    (tmp_path / "labels.csv").write_text("file,label\nmissing.mp4,normal\n")
    with pytest.raises(DataError, match="line 2: video missing.mp4 not found"):
        list_videos(tmp_path)
    (tmp_path / "labels.csv").write_text("video,class\na,b\n")
    with pytest.raises(DataError, match="columns 'file' and 'label'"):
        list_videos(tmp_path)
    (tmp_path / "labels.csv").write_bytes("file,label\nnormal/ä.mp4,normal\n".encode("latin-1"))
    with pytest.raises(DataError, match="UTF-8"):
        list_videos(tmp_path)


def test_rgb_videos_go_through_the_product_pipeline(tmp_path: Path) -> None:
    """A folder written by the synthetic generator is read like a clinic's: every clip through
    inspect_video, the windows cached, rejected clips kept with their reasons."""
    from genuscreen.synth import write_dataset

    write_dataset(tmp_path / "videos", 2, seed=3, size=(640, 480), fps=25.0, workers=1)
    (tmp_path / "videos" / "clips" / "junk.mp4").write_bytes(b"\x00" * 100)
    with open(tmp_path / "videos" / "labels.csv", "a") as fh:
        fh.write("junk,clips/junk.mp4,normal" + "," * 20 + "\n")  # id, file, label, 20 empty columns
    ws = load_windows({"videos": str(tmp_path / "videos")}, tmp_path / "cache")
    assert len(ws.clips) == 3
    junk = ws.clips[-1]
    assert junk["count"] == 0 and not junk["quality_ok"] and junk["problems"][0].startswith("unreadable")
    assert any(c["count"] > 0 for c in ws.clips[:2])


def test_windows_cached_from_videos_are_keyed_by_the_video_stage_version(monkeypatch) -> None:
    import genuscreen.video
    from genuscreen.train.data import _cache_key
    from genuscreen.video.clips import ClipSpec

    videos, synthetic = {"videos": "/data/clinic"}, {"synthetic": {"n": 4, "seed": 1}}
    before = _cache_key(videos, ClipSpec()), _cache_key(synthetic, ClipSpec())
    monkeypatch.setattr(genuscreen.video, "PIPELINE_VERSION", genuscreen.video.PIPELINE_VERSION + 1)
    assert _cache_key(videos, ClipSpec()) != before[0]  # a newer video stage reads the videos again
    assert _cache_key(synthetic, ClipSpec()) == before[1]  # rendered silhouettes do not depend on it
