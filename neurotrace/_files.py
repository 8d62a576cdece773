"""What every file neurotrace writes or reads shares: one error class, atomic writes.

Nothing here knows what is in the files (networks live in :mod:`neurotrace.io`,
traces in :mod:`neurotrace.trace_data`); this module only makes sure a write is
all or nothing and that every problem with a file is one kind of error.
"""
import os
import tempfile

__all__ = ["NeurotraceFileError", "atomic_write"]


class NeurotraceFileError(ValueError):
    """A file neurotrace cannot save or load; the message names the file and the problem.

    Raised by :func:`neurotrace.save` and :func:`neurotrace.load` for networks and
    traces alike. A ``ValueError``; a file that does not exist is a
    ``FileNotFoundError`` instead.

    Examples
    --------
    >>> import os, tempfile, neurotrace as nt
    >>> path = os.path.join(tempfile.mkdtemp(), "notes.json")
    >>> with open(path, "w") as f:
    ...     _ = f.write("{}")
    >>> nt.load(path)
    Traceback (most recent call last):
    ...
    neurotrace._files.NeurotraceFileError: '...notes.json': the key 'arrays' ... is missing.
    """


def atomic_write(path, write, binary=True):
    """Write ``path`` all or nothing: ``write(f)`` fills a temporary file that then replaces it.

    If anything fails (the disk is full, ``write`` raises), the file that was at
    ``path`` before is left as it was and no partial file remains.

    Parameters
    ----------
    path : str or path-like
        The file to (re)write.
    write : callable
        ``write(f)`` writes the whole content to the open file ``f``.
    binary : bool, default=True
        Open the temporary file in binary mode (else text, UTF-8).

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "note.txt")
    >>> atomic_write(path, lambda f: f.write("hello"), binary=False)
    >>> open(path).read()
    'hello'
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
