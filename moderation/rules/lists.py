"""Reading list files (and rules.yaml itself) without letting a rule reach the rest of the disk.

A draft's ``file:`` comes from whoever types in the Rules editor, so a list file may only be a
regular file inside the rules folder: no absolute paths, no ``..``, no symbolic links anywhere
on the way (each component is opened with O_NOFOLLOW relative to its parent), nothing that is
not a regular file (a FIFO would block, /dev/zero would never end), and never more bytes than
the budget. A refused name is refused before the disk is touched, so the answer says nothing
about files outside the folder.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path, PurePosixPath

MAX_LIST_BYTES = 4 * 1024 * 1024  # one list file; the maintained profanity list is 7 KB
MAX_TOTAL_LIST_BYTES = 16 * 1024 * 1024  # every list file of one rule set together
MAX_ENTRIES = 100_000  # entries of every word list together (inline and from files)

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class ListFileError(ValueError):
    """A list file that may not or cannot be read; the message is one line for the reader."""


def check_name(name: str) -> PurePosixPath:
    """``name`` as a relative path inside the rules folder, or ListFileError."""
    if not name or not name.strip():
        raise ListFileError("a list file name is empty")
    if "\x00" in name or "\\" in name:
        raise ListFileError("a list file name may not contain NUL or backslashes")
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("~"):
        raise ListFileError("list files are named relative to the rules folder, not absolute")
    if any(part == ".." for part in path.parts):
        raise ListFileError("list files must be inside the rules folder ('..' is not allowed)")
    parts = [p for p in path.parts if p != "."]
    if not parts:
        raise ListFileError("a list file name must name a file")
    return PurePosixPath(*parts)


def read_list_file(base_dir: Path, name: str, limit: int = MAX_LIST_BYTES) -> bytes:
    """The bytes of list file ``name`` inside ``base_dir`` (see the module docstring)."""
    relative = check_name(name)
    *folders, leaf = relative.parts
    try:
        fd = os.open(base_dir, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError as exc:
        raise ListFileError(f"cannot open the rules folder: {exc.strerror or exc}") from None
    try:
        for folder in folders:
            try:
                child = os.open(folder, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
            except OSError as exc:
                raise ListFileError(_why(exc, "folder")) from None
            os.close(fd)
            fd = child
        try:
            leaf_fd = os.open(leaf, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=fd)
        except OSError as exc:
            raise ListFileError(_why(exc, "file")) from None
    finally:
        os.close(fd)
    return _read_fd(leaf_fd, limit)


def read_bounded(path: Path, limit: int) -> bytes:
    """A regular file's bytes (following links: rules.yaml is the operator's own setting), at
    most ``limit`` of them, without blocking on FIFOs or devices."""
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    except OSError as exc:
        raise ListFileError(_why(exc, "file")) from None
    return _read_fd(fd, limit)


def _read_fd(fd: int, limit: int) -> bytes:
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ListFileError("not a regular file")
        if info.st_size > limit:
            raise ListFileError(
                f"the file is {info.st_size:,} bytes, over the {limit:,}-byte limit"
            )
        chunks: list[bytes] = []
        size = 0
        while True:  # a file that grows while read still stops at the limit
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ListFileError(f"the file is over the {limit:,}-byte limit")
        return b"".join(chunks)
    except OSError as exc:
        raise ListFileError(_why(exc, "file")) from None
    finally:
        os.close(fd)


def _why(exc: OSError, what: str) -> str:
    if exc.errno == errno.ELOOP or (exc.errno == errno.ENOTDIR and what == "folder"):
        return f"the {what} is a symbolic link or not a {what}; list files must be regular files"
    if exc.errno == errno.ENOENT:
        return "no such file in the rules folder"
    return exc.strerror or str(exc)
