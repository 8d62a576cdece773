"""What every file neurotrace writes or reads shares: one error class, atomic writes.

Nothing here knows what is in the files (networks live in :mod:`neurotrace.io`,
traces in :mod:`neurotrace.trace_data`); this module only makes sure a write is
all or nothing and that every problem with a file is one kind of error.
"""
import math
import os
import secrets
import stat
import zipfile
import zlib

import numpy as np

__all__ = ["NeurotraceFileError", "atomic_write", "read_npz", "MAX_LOAD_BYTES"]

#: The most a load may allocate for a file's arrays, unless told otherwise (``max_bytes=``).
#: A trace is capped at 64 MiB while it is recorded (``nt.trace(max_bytes=)``); twice that
#: leaves room, and a file that says it holds more is refused before anything is allocated.
MAX_LOAD_BYTES = 128 * 2**20


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
    ``path`` before is left as it was and no partial file remains. The file gets
    the permissions ``open(path, "w")`` would give it (a new file: 0o666 less the
    umask; a replaced file: its own).

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
    fd, tmp = _new_temporary(folder, os.path.basename(path))
    try:
        try:                              # replacing a file: keep its permissions, as open() does
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        except FileNotFoundError:
            pass                          # a new file: 0o666 less the umask, as open() gives
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")) as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def _new_temporary(folder, name):
    """``(fd, path)`` of a new, empty file ``name.<random>.tmp`` in ``folder``.

    Not ``tempfile.mkstemp``: its files are private (mode 0o600), and the file it makes
    becomes the user's file (a figure, a viewer page to share). Created with mode 0o666,
    the system's umask applies, exactly as for a file opened with ``open(path, "w")``.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f"{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"Could not create a temporary file next to {name!r} in {folder!r}.")


def read_npz(path, max_bytes=MAX_LOAD_BYTES, what="neurotrace file"):
    """``{name: array}`` from an ``.npz`` archive, with every size checked before it is allocated.

    ``numpy.load`` allocates whatever an array's header declares before reading
    it, so a damaged or hostile file can ask for terabytes, or a small compressed
    file can unpack to hundreds of MiB. Here each array's header is read first:
    its declared size must match the size the archive records for it, and all
    arrays together must stay within ``max_bytes``. Object arrays (pickles) are
    refused; nothing is ever unpickled.

    Parameters
    ----------
    path : str or path-like
        The ``.npz`` file.
    max_bytes : int, default=MAX_LOAD_BYTES (128 MiB)
        The most the arrays may take in memory, all together.
    what : str, default="neurotrace file"
        What the file should be, for the messages (e.g. "neurotrace trace").

    Returns
    -------
    arrays : dict of str to ndarray

    Raises
    ------
    NeurotraceFileError
        The file is not a readable archive, an array is damaged, holds objects,
        or is larger than the file or ``max_bytes`` allows; the message names the file.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "a.npz")
    >>> np.savez_compressed(path, w=np.arange(3.0))
    >>> read_npz(path)["w"].tolist()
    [0.0, 1.0, 2.0]
    >>> read_npz(path, max_bytes=8)
    Traceback (most recent call last):
    neurotrace._files.NeurotraceFileError: ...'w' needs 24 bytes ... more than max_bytes=8 ...
    """
    path = os.fspath(path)
    arrays, total = {}, 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.endswith(".npy"):
                    raise NeurotraceFileError(f"{path!r}: the archive holds {info.filename!r}, "
                                              f"which is not a numpy array (.npy).")
                key = info.filename[:-4]
                with archive.open(info) as f:
                    shape, fortran, dtype = _npy_header(f, path, key, what)
                    count = math.prod(shape)
                    nbytes = count * dtype.itemsize
                    if nbytes != info.file_size - f.tell():
                        raise NeurotraceFileError(
                            f"{path!r}: array {key!r} declares shape {shape} of {dtype} "
                            f"({nbytes} bytes), but the archive holds "
                            f"{info.file_size - f.tell()} bytes for it: the file is damaged.")
                    total += nbytes
                    if total > max_bytes:
                        raise NeurotraceFileError(
                            f"{path!r}: array {key!r} needs {nbytes} bytes ({total} so far), "
                            f"more than max_bytes={max_bytes} allows. If you trust this file "
                            f"and have the memory, load it with a larger max_bytes=.")
                    array = np.empty(shape[::-1] if fortran else shape, dtype)
                    view = memoryview(array.reshape(-1).view(np.uint8))
                    filled = 0
                    while filled < nbytes:
                        n = f.readinto(view[filled:])
                        if not n:
                            raise NeurotraceFileError(f"{path!r}: array {key!r} is truncated "
                                                      f"({filled} of {nbytes} bytes).")
                        filled += n
                    if f.read(1):                   # also makes zipfile check the CRC
                        raise NeurotraceFileError(f"{path!r}: array {key!r} holds more data "
                                                  f"than its header declares.")
                arrays[key] = array.T if fortran else array
    except NeurotraceFileError:
        raise
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError) as error:
        raise NeurotraceFileError(f"{path!r} is truncated or corrupt: it cannot be read as a "
                                  f"{what} (.npz archive; {type(error).__name__}: {error}).") \
            from None
    return arrays


def _npy_header(f, path, key, what):
    """``(shape, fortran_order, dtype)`` from the start of one ``.npy`` member, checked."""
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
    else:
        raise NeurotraceFileError(f"{path!r}: array {key!r} has .npy format version {version}, "
                                  f"which neurotrace does not read.")
    if dtype.hasobject:
        raise NeurotraceFileError(
            f"{path!r} holds pickled Python objects. neurotrace never loads pickles, because "
            f"loading a pickle can run arbitrary code (array {key!r}: this is not a {what} "
            f"written by neurotrace).")
    if not all(isinstance(n, int) and n >= 0 for n in shape):
        raise NeurotraceFileError(f"{path!r}: array {key!r} declares the shape {shape!r}.")
    return shape, fortran, dtype
