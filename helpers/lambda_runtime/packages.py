"""The zip files environments unpack, written once per content into the engine's folder.

Each new environment extracts its function's package and layers itself (as Lambda
does for every new sandbox); this store only makes sure the bytes moto holds are on
disk once, named by their SHA-256, so a cold start never copies megabytes through
the server.
"""
from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path


class PackageStore:
    def __init__(self, folder: Path):
        self.folder = folder
        self._lock = threading.Lock()
        self._known: dict[int, tuple[bytes, Path]] = {}

    def path_for(self, data: bytes) -> Path:
        """The file holding ``data`` (keyed by object identity first: moto keeps the same bytes)."""
        known = self._known.get(id(data))
        if known is not None and known[0] is data:
            return known[1]
        path = self.folder / f"{hashlib.sha256(data).hexdigest()}.zip"
        with self._lock:
            if not path.exists():
                self.folder.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
                partial.write_bytes(data)
                os.replace(partial, path)
            if len(self._known) > 256:  # keeps bytes alive: forget old ones now and then
                self._known.clear()
            self._known[id(data)] = (data, path)
        return path

    def clear(self) -> None:
        with self._lock:
            self._known.clear()
