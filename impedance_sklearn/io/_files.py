"""Files in and out: input checks and atomic outputs.

* :func:`check_input_file` -- an input exists and is a regular file (not a folder, a FIFO or a
  device), with a message that says which.

Every file the package writes goes to a temporary file beside its destination and is renamed
into place only when it is complete:

* :func:`atomic_paths` -- yield temporary paths for one or several destinations (a model and its
  sidecar, say); rename them all at the end, remove them all on any error, Ctrl-C or SIGTERM.
* :func:`check_destination` -- the checks every writer makes before any work: not the source,
  not a folder, an existing file only with ``overwrite``, the folder exists.
* :func:`remove_stale_temporaries` -- temporaries are named ``.<name>.isk-<pid>-<token>.tmp<ext>``;
  one whose process no longer runs (killed with SIGKILL, a power cut) is removed by the next
  write to the same destination.
* :func:`sigterm_as_exit` -- SIGTERM (what ``kill``, ``timeout`` and job schedulers send) raises
  ``SystemExit(143)`` in the main thread for the duration of a write, so that clean-up runs as it
  does for Ctrl-C.

Permissions: outputs get the usual ``0o666 & ~umask`` (``mkstemp`` makes 0600 files).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import signal
import threading
from pathlib import Path

__all__ = [
    "check_input_file",
    "atomic_paths",
    "atomic_path",
    "check_destination",
    "remove_stale_temporaries",
    "sigterm_as_exit",
    "write_text",
    "same_file",
]

_TAG = "isk"
_STALE = re.compile(r"^\.(?P<name>.+)\.isk-(?P<pid>\d+)-[0-9a-f]+\.tmp")


def same_file(a, b):
    """True when ``a`` and ``b`` name the same file (links included) or the same path."""
    a, b = Path(a), Path(b)
    with contextlib.suppress(OSError):
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    return a.resolve() == b.resolve()


def check_input_file(path, what="file"):
    """Return ``path`` as a Path if it is a regular file; else raise naming what it is.

    Raises
    ------
    FileNotFoundError
        Nothing exists at ``path``.
    IsADirectoryError
        ``path`` is a folder.
    ValueError
        ``path`` is something else (a FIFO, a socket, a device).
    """
    import stat

    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise FileNotFoundError(f"{what} {str(path)!r} does not exist.") from None
    except OSError as exc:
        raise OSError(exc.errno, f"cannot read {what} {str(path)!r}: {exc.strerror}") from None
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(f"{what} {str(path)!r} is a folder; expected a file.")
    if not stat.S_ISREG(mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "not a regular file"
        raise ValueError(f"{what} {str(path)!r} is {kind}; expected a regular file.")
    return path


def check_destination(path, *, overwrite=False, sources=()):
    """Check that ``path`` may be written; return it as a :class:`~pathlib.Path`.

    Raises
    ------
    ValueError
        ``path`` is one of ``sources`` (the data being read is never overwritten).
    IsADirectoryError
        ``path`` is a folder.
    FileExistsError
        ``path`` exists and ``overwrite`` is False.
    FileNotFoundError
        The folder of ``path`` does not exist.
    """
    path = Path(path)
    for src in sources:
        if src is not None and same_file(path, src):
            raise ValueError(
                f"destination {str(path)!r} is the source file {str(src)!r}; choose another name "
                "(the source is never overwritten)."
            )
    if path.is_dir():
        raise IsADirectoryError(f"destination {str(path)!r} is a folder; expected a file name.")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{str(path)!r} exists; pass overwrite=True to replace it.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise FileNotFoundError(f"folder {str(parent)!r} of the destination does not exist.")
    return path


def _pid_alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    except OSError:
        return True
    return True


def remove_stale_temporaries(path):
    """Remove temporaries of ``path`` left by processes that no longer run; return their paths.

    Only files named like the package's own temporaries for this destination
    (``.<name>.isk-<pid>-<token>.tmp*``) whose writer process is gone are removed.
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    removed = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = _STALE.match(entry.name)
        if m is None or m.group("name") != path.name:
            continue
        if _pid_alive(int(m.group("pid"))):
            continue
        with contextlib.suppress(OSError):
            entry.unlink()
            removed.append(entry)
    return removed


def _temporary_name(path):
    return path.with_name(
        f".{path.name}.{_TAG}-{os.getpid()}-{secrets.token_hex(4)}.tmp{path.suffix}"
    )


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


class _Terminated(SystemExit):
    """SIGTERM turned into an exception (exit status 143 = 128 + 15)."""

    def __init__(self):
        super().__init__(143)


def _raise_terminated(signum, frame):
    raise _Terminated()


@contextlib.contextmanager
def sigterm_as_exit():
    """Within the block, SIGTERM raises ``SystemExit(143)`` instead of killing the process.

    Only in the main thread and only when SIGTERM has its default action (a handler the
    application installed is left alone). The previous handler is restored afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        previous = signal.getsignal(signal.SIGTERM)
    except (ValueError, OSError):  # pragma: no cover - platform without SIGTERM
        yield
        return
    if previous is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _explain_os_error(exc, path):
    """An OSError of writing, re-raised with the destination (not the temporary) named."""
    reason = {
        errno.ENOSPC: "no space left on the device",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EDQUOT: "disk quota exceeded",
    }.get(exc.errno)
    if reason is None:
        return exc
    return type(exc)(exc.errno, f"cannot write {str(path)!r}: {reason}")


@contextlib.contextmanager
def atomic_paths(paths, *, overwrite=True, sources=()):
    """Yield temporary paths beside each of ``paths``; rename them all into place at the end.

    Parameters
    ----------
    paths : sequence of str or path-like
        Destinations. The temporaries keep each destination's suffix (some writers need it).
    overwrite : bool, default=True
        Passed to :func:`check_destination` for every destination.
    sources : sequence of path-like
        Input files that no destination may be.

    Yields
    ------
    list of pathlib.Path
        The temporary paths, in the order of ``paths``; write each completely.

    Notes
    -----
    Every temporary is removed when the block raises (any exception, Ctrl-C, SIGTERM in the main
    thread). When the block succeeds the temporaries are renamed one after the other with
    :func:`os.replace` (atomic for each file); if a rename fails, the destinations already
    renamed in this call are removed again, so that a model is never left without its sidecar.
    """
    paths = [check_destination(p, overwrite=overwrite, sources=sources) for p in paths]
    for p in paths:
        remove_stale_temporaries(p)
    tmps = [_temporary_name(p) for p in paths]
    done = []
    mode = 0o666 & ~_umask()
    with sigterm_as_exit():
        try:
            for t in tmps:
                try:
                    t.touch(mode=0o600, exist_ok=False)
                except OSError as exc:
                    raise _explain_os_error(exc, paths[tmps.index(t)]) from exc
            try:
                yield tmps
            except OSError as exc:
                raise _explain_os_error(exc, paths[0]) from exc
            for t, _ in zip(tmps, paths):
                os.chmod(t, mode)
            for t, p in zip(tmps, paths):
                os.replace(t, p)
                done.append(p)
        except BaseException:
            if len(done) < len(paths):
                for p in done:
                    with contextlib.suppress(OSError):
                        p.unlink()
            raise
        finally:
            for t in tmps:
                with contextlib.suppress(OSError):
                    t.unlink()


@contextlib.contextmanager
def atomic_path(path, *, overwrite=True, sources=()):
    """One-destination form of :func:`atomic_paths`: yields a single temporary path.

    Examples
    --------
    >>> import os, tempfile
    >>> out = os.path.join(tempfile.mkdtemp(), "result.txt")
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> open(out).read(), sorted(os.listdir(os.path.dirname(out)))
    ('done', ['result.txt'])
    """
    with atomic_paths([path], overwrite=overwrite, sources=sources) as (tmp,):
        yield tmp


def write_text(text, path, *, overwrite=True):
    """Write ``text`` to ``path`` atomically (a temporary file beside it, then renamed).

    Parameters
    ----------
    text : str
        The file's content.
    path : str or path-like
        The destination.
    overwrite : bool, default=True
        Whether an existing ``path`` may be replaced (else ``FileExistsError``).

    Returns
    -------
    Path
        ``path``.
    """
    with atomic_path(path, overwrite=overwrite) as tmp:
        tmp.write_text(text)
    return Path(path)
