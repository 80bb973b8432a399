"""Frozen TorchScript graphs kept on disk, so that a new process need not trace and freeze again.

Tracing and freezing the model's trunk is the slowest step of a new process's start-up; loading
the saved graph takes a fraction of that (benchmarks/RESULTS-startup.md). The caller describes
the graph by a key (a JSON-able dict: which weights, which code, torch version, device,
precision, input shape); ``load(key)`` gives the stored graph or None, ``store(key, graph)`` saves
one.

An entry is one file, ``graphs/<hash of the key>.graph`` in the cache folder
(:func:`genuscreen.cache.cache_dir`): a line of JSON holding the full key and the sha256 of the
payload, then the payload as written by ``torch.jit.save``. Key and graph share one file that is
replaced by rename, so processes writing the same entry at once, or a crash while writing, leave
either a complete entry or the previous one. A file is loaded only when the key it holds equals
the key asked for and its payload has the recorded hash; anything else (damaged, cut short,
written by another version, not ours at all) is a miss: the caller builds the graph and the entry
is overwritten. A cache folder that cannot be created or written only means the graph is built in
memory each time: the cache may make start-up faster, never make a screening fail.

TorchScript files hold code as well as tensors, so only files that this module wrote into the
product's own cache folder are ever loaded.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import warnings
from contextlib import contextmanager
from pathlib import Path

import torch

from genuscreen.cache import cache_dir
from genuscreen.files import atomic_output

# Version of the file layout and of what a graph holds; raising it orphans every older entry.
FORMAT = 1
GRAPHS_FOLDER = "graphs"

log = logging.getLogger(__name__)


def entry_path(key: dict) -> Path:
    """Where the graph for ``key`` is kept (the file may not exist)."""
    name = hashlib.sha256(json.dumps(_stored_key(key), sort_keys=True).encode()).hexdigest()[:32]
    return cache_dir() / GRAPHS_FOLDER / f"{name}.graph"


def load(key: dict, device: str = "cpu") -> torch.jit.ScriptModule | None:
    """The stored graph for ``key`` on ``device``; None when there is no usable entry."""
    try:
        path = entry_path(key)
        data = path.read_bytes()
    except (OSError, RuntimeError):  # no entry yet (the usual miss), unreadable, or no home folder
        return None
    payload = _payload_if_matching(data, key)
    if payload is None:
        log.info("graph cache: %s is damaged or holds another graph; building it again", path)
        return None
    try:
        with _quiet_torchscript():
            return torch.jit.load(io.BytesIO(payload), map_location=device)
    except Exception as error:  # a payload torch cannot read fails in many ways; it is rebuilt
        log.info("graph cache: %s could not be loaded (%s); building it again", path, error)
        return None


def store(key: dict, graph: torch.jit.ScriptModule) -> None:
    """Save ``graph`` as the entry for ``key``, replacing any older one; failures are only logged."""
    buffer = io.BytesIO()
    with _quiet_torchscript():
        torch.jit.save(graph, buffer)
    payload = buffer.getvalue()
    header = json.dumps({"key": _stored_key(key), "sha256": hashlib.sha256(payload).hexdigest()}, sort_keys=True)
    try:
        # A temporary file renamed over the entry: readers see the old file or the new one.
        with atomic_output(entry_path(key)) as tmp:
            tmp.write_bytes(header.encode() + b"\n" + payload)
    except (OSError, RuntimeError) as error:  # read-only folder, disk full, entry open elsewhere (Windows), no home
        log.info("graph cache: entry not written (%s); the graph is kept in memory only", error)


def _payload_if_matching(data: bytes, key: dict) -> bytes | None:
    """The payload of an entry file when its header holds ``key`` and the payload's hash."""
    header, newline, payload = data.partition(b"\n")
    if not newline:
        return None
    try:
        stored = json.loads(header)
    except ValueError:  # not JSON, or not text at all
        return None
    if not isinstance(stored, dict) or stored.get("key") != _stored_key(key):
        return None
    if stored.get("sha256") != hashlib.sha256(payload).hexdigest():  # cut short or changed
        return None
    return payload


def _stored_key(key: dict) -> dict:
    """``key`` with the layout version, as it reads back from JSON (tuples become lists)."""
    return json.loads(json.dumps({"format": FORMAT, **key}))


@contextmanager
def _quiet_torchscript():
    # TorchScript is deprecated in favour of torch.export; model.runtime says why it is used.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield
