"""Opening inputs and writing outputs atomically.

An output file is written to a temporary file in the same directory and
renamed over the target only when the command succeeded, so an error, a
Ctrl-C or a SIGTERM never leaves a partial or corrupted file behind (and
converting a file onto itself is safe). Devices, FIFOs and descriptor paths
(``/dev/null``, ``/dev/stdout``) are written in place: they are not files to replace.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from typing import BinaryIO, cast

from tst.cli.options import CLIError

TEMP_SUFFIX = ".tst-partial"


@contextlib.contextmanager
def open_input(path: str) -> Iterator[BinaryIO]:
    """A binary stream for `path` (``-`` is stdin), or CLIError when it cannot be opened."""
    if path == "-":
        try:
            fd = sys.stdin.fileno()
        except (AttributeError, OSError, ValueError):  # replaced by an in-memory stream (tests, embedding)
            yield sys.stdin.buffer
            return
        # Unbuffered as below: at exit, CPython aborts ("could not acquire lock for <stdin>") when a
        # worker thread still holds sys.stdin.buffer's lock in a read, e.g. after an error in a pipe.
        with open(fd, "rb", buffering=0, closefd=False) as raw:
            yield cast(BinaryIO, raw)
        return
    try:
        # Unbuffered: closing it never waits on a read still blocked in a worker thread
        # (a FIFO or device after an interrupt); reads are large blocks anyway.
        f = open(path, "rb", buffering=0)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise CLIError(f"cannot read {path}: {exc.strerror or exc}") from None
    with f:
        _refuse_compressed(path, f)
        yield cast(BinaryIO, f)


#: Magic numbers of compressed files (none is valid UTF-8 or Parquet), and the tool that reads each.
_COMPRESSED = {b"\x1f\x8b": "gzip (zcat)", b"\x28\xb5\x2f\xfd": "zstd (zstdcat)", b"\xfd7zXZ": "xz (xzcat)"}


def refuse_compressed(path: str) -> None:
    """CLIError when the file at `path` is compressed (see `_refuse_compressed`)."""
    with open(path, "rb") as f:
        _refuse_compressed(path, f)


def _refuse_compressed(path: str, f: BinaryIO) -> None:
    """CLIError for a compressed file (read as text it fails on its bytes with a misleading hint)."""
    if not f.seekable():
        return
    head = f.read(6)
    f.seek(0)
    for magic, kind in _COMPRESSED.items():
        if head.startswith(magic):
            tool = kind.split("(")[1].rstrip(")")
            raise CLIError(f"{path} is {kind.split()[0]}-compressed; decompress it first ({tool} {path} | tst ...)")


def input_size(path: str) -> int | None:
    """Size of a regular file, else None (stdin, pipes)."""
    if path == "-":
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size if stat.S_ISREG(st.st_mode) else None


#: Failures only a write gives (a full disk, a quota, a size limit): raised inside an output's block
#: with no file named, they are the output's.
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@contextlib.contextmanager
def _named_write_errors(path: str) -> Iterator[None]:
    """Name `path` in a write failure that names no file (``/dev/full``: "No space left on device")."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None and exc.errno in _WRITE_ERRNOS:
            exc.filename = path
        raise


@contextlib.contextmanager
def atomic_output(path: str) -> Iterator[BinaryIO]:
    """A binary stream that becomes `path` only if the block completes (``-`` is stdout).

    The new file keeps the mode, owner and group of the file it replaces where
    allowed (or gets the default mode for new files); on any exception the
    temporary file is removed and the target is left as it was; a loop of
    links is an error. A symbolic link keeps pointing where it
    did: the file it names is the one replaced. A target that is no regular
    file (``/dev/null``, a FIFO, ``/dev/stdout``: see `writes_in_place`) is
    opened and written as it goes, since replacing it would put a regular
    file in its place.

    Raises:
        CLIError: `path` is a directory, or its folder cannot take a new file (exit status 1).
    """
    if path == "-":
        out = _WholeWrites(sys.stdout.buffer)
        with _named_write_errors("<stdout>"):
            yield cast(BinaryIO, out)
            out.flush()
        return
    if os.path.isdir(path):
        raise CLIError(f"cannot write {path}: it is a directory")
    if os.path.islink(path):
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a loop of links names no file (a dangling link names one to create)
                raise CLIError(f"cannot write {path}: {exc.strerror}", status=1) from None
    if writes_in_place(path):
        try:
            f = open(path, "wb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise CLIError(f"cannot write {path}: {exc.strerror or exc}", status=1) from None
        with _named_write_errors(path), f:
            yield f
        return
    # The file a link names (a chain of links resolved; a dangling one names the file to create).
    target = os.path.realpath(path)
    directory = os.path.dirname(target)
    try:
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=TEMP_SUFFIX)
    except OSError as exc:  # no such folder, no permission, read-only disk: an I/O failure (exit 1)
        raise CLIError(f"cannot write {path}: {exc.strerror or exc}", status=1) from None
    try:
        with _named_write_errors(path), os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, _mode_for(target))
        _keep_owner(temp, target)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


#: Paths that name an open file descriptor (a link to whatever it is: a pipe, a terminal, the file
#: a shell redirected it to); replacing what they resolve to would not reach the descriptor.
_DESCRIPTOR_PATHS = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/")


def writes_in_place(path: str) -> bool:
    """Whether `atomic_output` writes `path` as it goes instead of replacing it at the end.

    True for a path that exists and is no regular file once links are followed (a character
    device such as ``/dev/null``, a FIFO, a socket) and for paths that name a file descriptor
    (``/dev/stdout``, ``/dev/fd/N``, ``/proc/...``); these cannot be replaced by a new file
    without breaking them (as root, a replaced ``/dev/null`` is a regular file for every process).
    """
    if path == "-":
        return False
    target = os.path.abspath(path)
    if target in _DESCRIPTOR_PATHS[:2] or target.startswith(_DESCRIPTOR_PATHS[2:]):
        return True
    try:
        return not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:  # nothing there (or a dangling link): a new regular file
        return False


class _WholeWrites:
    """Writes every byte or raises: a pipe whose reader left can make `write` return short."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        while view:
            n = self._stream.write(view)
            if not n:
                raise BrokenPipeError("stdout accepts no more data")
            view = view[n:]
        return len(data)

    def flush(self) -> None:
        self._stream.flush()


def _keep_owner(temp: str, target: str) -> None:
    """Give `temp` the owner and group of the file it replaces, where allowed (as root: a file of
    another user keeps its owner; otherwise only a group the user belongs to can be kept)."""
    try:
        st = os.stat(target)
    except OSError:
        return  # a new file
    with contextlib.suppress(OSError):
        os.chown(temp, st.st_uid, st.st_gid)


def _mode_for(target: str) -> int:
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
