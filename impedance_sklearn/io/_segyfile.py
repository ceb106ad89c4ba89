"""The SEG-Y file layer shared by the readers, the writers and the streamed prediction (private
to :mod:`impedance_sklearn.io`): opening with errors that name the file, the byte order and the
sample format, the textual-header stamp, and the temporary copy every output starts as."""

from __future__ import annotations

import contextlib
import shutil
import struct

from impedance_sklearn.io._files import atomic_path, check_destination, check_input_file

__all__ = ["FLOAT_FORMATS", "INT_FORMATS", "TEXT_LINES", "segyio_module", "check_exists",
           "endian_of", "open_segy", "format_code", "check_float_format", "stamp_text",
           "check_segy_destination", "temporary_copy"]

FLOAT_FORMATS = {1: "4-byte IBM float", 5: "4-byte IEEE float", 6: "8-byte IEEE float"}
INT_FORMATS = {2: "4-byte integer", 3: "2-byte integer", 8: "1-byte integer",
                9: "8-byte integer", 10: "4-byte unsigned integer",
                11: "2-byte unsigned integer", 12: "8-byte unsigned integer",
                16: "1-byte unsigned integer"}


def segyio_module():
    import segyio

    return segyio


def check_exists(path, what="SEG-Y file"):
    return check_input_file(path, what)


def endian_of(path):
    """'big' or 'little', from the sample-format code (binary header bytes 3225-3226)."""
    with open(path, "rb") as fh:
        head = fh.read(3600)
    if len(head) < 3600:
        raise ValueError(
            f"{str(path)!r} is not a SEG-Y file: {len(head)} bytes, shorter than the 3,600-byte "
            "textual + binary file header."
        )
    big, little = struct.unpack(">h", head[3224:3226])[0], struct.unpack("<h", head[3224:3226])[0]
    known = set(FLOAT_FORMATS) | set(INT_FORMATS)
    if big in known:
        return "big"
    if little in known:
        return "little"
    raise ValueError(
        f"{str(path)!r} is not a SEG-Y file: the sample-format code (bytes 3225-3226) is "
        f"{big}, not one of {sorted(known)}."
    )


@contextlib.contextmanager
def open_segy(path, mode="r", *, geometry=False, endian=None):
    """segyio.open with errors that name the file; geometry inferred only when asked."""
    segyio = segyio_module()
    path = check_exists(path)
    endian = endian or endian_of(path)
    try:
        f = segyio.open(str(path), mode, strict=False, ignore_geometry=not geometry,
                        endian=endian)
    except Exception as exc:  # segyio raises RuntimeError/OSError/ValueError on bad files
        raise ValueError(
            f"{str(path)!r} is not a readable SEG-Y file ({type(exc).__name__}: {exc})."
        ) from exc
    try:
        if f.tracecount == 0 or len(f.samples) == 0:
            raise ValueError(
                f"{str(path)!r} holds no traces ({f.tracecount} traces of {len(f.samples)} "
                "samples)."
            )
        yield f
    finally:
        f.close()


def format_code(f):
    return int(f.bin[segyio_module().BinField.Format])


def check_float_format(f, path):
    code = format_code(f)
    if code not in FLOAT_FORMATS:
        raise ValueError(
            f"{str(path)!r} stores samples as {INT_FORMATS.get(code, f'format {code}')} "
            f"(format code {code}); impedance would be truncated. Convert the source to "
            "IEEE float (format 5) first."
        )
    return code


#: Lines (1-based, of the 40-line textual header) that the package rewrites in its outputs.
TEXT_LINES = (36, 37, 38, 39)


def stamp_text(f, lines):
    """Replace textual-header lines C36-C39 of an open (r+) file with ``lines`` (<= 4 strings)."""
    if not lines:
        return
    if len(lines) > len(TEXT_LINES):
        raise ValueError(f"at most {len(TEXT_LINES)} textual-header lines, got {len(lines)}.")
    text = bytearray(bytes(f.text[0]).ljust(3200)[:3200])
    for number, line in zip(TEXT_LINES, lines):
        body = f"C{number:<2d} {line}".encode("ascii", "replace")[:80].ljust(80)
        text[(number - 1) * 80 : number * 80] = body
    f.text[0] = bytes(text)


def check_segy_destination(dst, src, overwrite):
    return check_destination(dst, overwrite=overwrite, sources=[src])


@contextlib.contextmanager
def temporary_copy(src, dst):
    """Copy ``src`` to a temporary file beside ``dst``; yield its path; rename it on success.

    Any exception (KeyboardInterrupt and SIGTERM included) removes the temporary file and
    re-raises; leftovers of a killed process are removed by the next write to ``dst``.
    """
    with atomic_path(dst, overwrite=True, sources=[src]) as tmp:
        shutil.copyfile(src, tmp)
        yield tmp
