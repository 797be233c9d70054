"""A dependency-free progress bar on stderr (bytes done, rate, time left)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

_WIDTH = 24


class Progress:
    """Redraws one stderr line at most every `interval` seconds; does nothing when disabled.

    Args:
        label: what is being processed (a file name).
        total: bytes expected, or None when unknown.
        enabled: draw at all.
        stream: where to draw (stderr).
    """

    def __init__(
        self, label: str, total: int | None, enabled: bool, stream: TextIO | None = None, interval: float = 0.1
    ) -> None:
        self.label = label
        self.total = total
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.done = 0
        self.start = time.monotonic()
        self._last = 0.0
        self._drawn = False

    def update(self, n: int) -> None:
        """`n` more bytes were processed."""
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last >= self.interval:
            self._last = now
            self._draw(now)

    def close(self) -> None:
        """Draw the final state and end the line."""
        if self.enabled:
            self._draw(time.monotonic())
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        mb = self.done / 1e6
        if self.total:
            frac = min(self.done / self.total, 1.0)
            filled = int(frac * _WIDTH)
            bar = "█" * filled + "·" * (_WIDTH - filled)
            left = (self.total - self.done) / rate if rate > 0 and self.done < self.total else 0.0
            size = f"{mb:,.1f}/{self.total / 1e6:,.1f} MB"
            line = f"{self.label} {frac:6.1%} |{bar}| {size} {rate / 1e6:,.1f} MB/s {_clock(left)} left"
        else:
            line = f"{self.label} {mb:,.1f} MB {rate / 1e6:,.1f} MB/s"
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self._drawn = True


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def wants_progress(mode: str, size: int | None, quiet: bool, stream: TextIO | None = None) -> bool:
    """Whether to draw: ``on`` always, ``off`` never, ``auto`` for a file input on a terminal."""
    if quiet or mode == "off":
        return False
    if mode == "on":
        return True
    stream = stream if stream is not None else sys.stderr
    return size is not None and stream.isatty()
