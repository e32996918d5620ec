"""Spare environments: processes started and parked ahead of need.

Much of a cold start does not depend on the function: starting a process (a fork from
the zygote, or a whole interpreter with the spawn method), loading the runtime
interface client, creating the environment's folders. A spare has done all that and
waits on its own Runtime API endpoint at ``/runtime/_localcloud/assignment`` (a
local-cloud-only route); a cold start hands it the function, and the INIT phase that
is measured is what Lambda's INIT would run for that function: unpacking its code and
layers, importing the handler module, starting the runtime loop.
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from .environment import ExecutionEnvironment

log = logging.getLogger("localcloud.lambda")
REFILL_DELAY_SECONDS = 0.05


class SparePool:
    def __init__(self, make: Callable[[], ExecutionEnvironment | None], size: int = 2):
        self._make = make
        self.size = size
        self._ready: list[ExecutionEnvironment] = []
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._fill_forever, name="lambda-spares", daemon=True)

    def start(self) -> None:
        if self.size > 0:
            self._wanted.set()
            self._thread.start()

    def take(self, python_client: str | None) -> ExecutionEnvironment | None:
        """A parked spare with this Python client (any, for None), or None."""
        doomed = []
        found = None
        with self._lock:
            for env in list(self._ready):
                if python_client is not None and env.python_client != python_client:
                    continue
                self._ready.remove(env)
                if env.spare_alive():
                    found = env
                    break
                doomed.append(env)
        for env in doomed:
            env.kill()
            env.remove_files()
        self._wanted.set()
        return found

    def _fill_forever(self) -> None:
        while not self._stopping.is_set():
            self._wanted.wait()
            # Let the cold start that took a spare finish first: making the next one right
            # away would compete with it for the server's CPU (and its GIL).
            if self._stopping.wait(REFILL_DELAY_SECONDS):
                return
            self._wanted.clear()
            failures = 0
            while not self._stopping.is_set() and len(self._ready) < self.size and failures < 3:
                try:
                    env = self._make()
                except Exception:
                    log.exception("could not start a spare Lambda environment")
                    env = None
                if env is None:
                    failures += 1
                    continue
                with self._lock:
                    if self._stopping.is_set():
                        env.kill()
                        env.remove_files()
                        return
                    self._ready.append(env)

    def discard_mismatched(self, python_client: str) -> None:
        """After a settings change, spares with the other client are replaced."""
        with self._lock:
            doomed = [env for env in self._ready if env.python_client != python_client]
            self._ready = [env for env in self._ready if env.python_client == python_client]
        for env in doomed:
            env.kill()
            env.remove_files()
        self._wanted.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wanted.set()
        with self._lock:
            doomed, self._ready = self._ready, []
        for env in doomed:
            env.kill()
            env.remove_files()
        if self._thread.is_alive():
            self._thread.join(5)
