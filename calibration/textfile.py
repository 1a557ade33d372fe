"""Reading a user's text file safely: a regular file, a stated size, UTF-8 (a BOM is fine).

Every input file of the project (the calibration CSV, scenario TOML, project
lists, saved scenarios, uploads) goes through :func:`read_text` (files) or
:func:`decode_text` (uploaded bytes) before any parser sees it:

- only a regular file is read: a folder, a device (``/dev/zero``), a FIFO or a
  socket is refused without being opened for reading;
- at most ``max_bytes`` are read; a larger file is refused with its size and the
  limit, so no input can exhaust the memory;
- a UTF-8 byte-order mark (Excel's "CSV UTF-8", Notepad's default) is removed;
- text that is not UTF-8 is refused naming the line of the first bad byte, a
  guess of the encoding (GBK/GB18030, UTF-16, Big5 ...) and the fix: save the
  file as UTF-8 (另存为 UTF-8);
- :func:`check_nesting` bounds how deeply brackets nest (TOML, JSON), so a file
  of thousands of ``[`` is refused instead of exhausting the parser's stack.

Messages are catalogue entries (``file.*``, rendered in the reader's language) and name the file as the
user gave it. The module reads files, so it lives in ``calibration`` (which may do I/O),
not in the pure ``simulation`` package, and imports nothing from ``growthsim`` but its text catalogue.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

from growthsim.i18n import Message, MessageError

__all__ = ["TextFileError", "check_file", "read_text", "decode_text", "check_nesting", "MAX_DEPTH"]

MAX_DEPTH = 32  # nested [ or { in one value: scenario files use 2 ({ year = value } inside a table)


class TextFileError(MessageError, ValueError):
    """A file that cannot be read as text: which file, where, what is wrong and what is allowed.

    A catalogue message (``file.problem``): ``err.text(lang)`` in the reader's language, ``str(err)`` English.
    The parts are kept as attributes (``file``, ``line``, ``problem``, ``allowed``) for callers that name
    them on their own.
    """

    def __init__(self, file: str, problem: Message, allowed: Message, line: int | None = None):
        """Describe why a file cannot be read as text.

        Parameters
        ----------
        file : str
            The file, as shown to the user.
        problem : Message
            What is wrong.
        allowed : Message
            What is allowed.
        line : int, optional
            The line at fault, when there is one.
        """
        self.file, self.line, self.problem, self.allowed = file, line, problem, allowed
        where = file if line is None else Message("file.where_line", file=file, line=line)
        super().__init__("file.problem", where=where, problem=problem, allowed=allowed)

    # the parts in each language, for the readers that name them in an error of their own
    @property
    def problem_zh(self) -> str:
        """What is wrong, in Chinese."""
        return self.problem.text("zh")

    @property
    def problem_en(self) -> str:
        """What is wrong, in English."""
        return self.problem.text("en")

    @property
    def allowed_zh(self) -> str:
        """What is allowed, in Chinese."""
        return self.allowed.text("zh")

    @property
    def allowed_en(self) -> str:
        """What is allowed, in English."""
        return self.allowed.text("en")


def _size(n: int) -> Message:
    for code, size in (("file.size_mb", 1_000_000), ("file.size_kb", 1_000)):
        if n >= size:
            return Message(code, n=n / size)
    return Message("file.size_bytes", n=n)


def _allowed(what: Message, max_bytes: int) -> Message:
    return Message("file.allowed", what=what, size=_size(max_bytes))


def check_file(path: str | Path, *, what: Message, max_bytes: int, name: str | None = None) -> None:
    """Refuse, without reading it, anything but an existing regular file of at most ``max_bytes``.

    Parameters
    ----------
    path : str | Path
        The file.
    what : Message
        What the file is, in both languages, for messages.
    max_bytes : int
        Largest size accepted [bytes].
    name : str | None
        The file's name, for messages.
    """
    shown = str(path) if name is None else name
    allowed = _allowed(what, max_bytes)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise TextFileError(shown, Message("file.not_found"), allowed) from None
    except OSError as err:
        raise TextFileError(shown, Message("file.unreadable", reason=err.strerror), allowed) from None
    if stat.S_ISDIR(st.st_mode):
        raise TextFileError(shown, Message("file.folder"), allowed)
    if not stat.S_ISREG(st.st_mode):
        raise TextFileError(shown, Message("file.not_regular_kind"), allowed)
    if st.st_size > max_bytes:
        raise TextFileError(shown, Message("file.too_large_size", size=st.st_size), allowed)


def read_text(path: str | Path, *, what: Message, max_bytes: int, name: str | None = None) -> str:
    """The text of a regular file of at most ``max_bytes`` bytes, UTF-8 with or without a BOM.

    Parameters
    ----------
    path : str or Path
        The file to read.
    what : Message
        What the file should be, in words, used in messages (``Message("file.what_scenario")``).
    max_bytes : int
        The largest file accepted [bytes].
    name : str, optional
        How to name the file in messages (default: ``path`` as given).

    Raises
    ------
    TextFileError
        the file is missing, not a regular file, too large or not UTF-8 text.
    """
    shown = str(path) if name is None else name
    check_file(path, what=what, max_bytes=max_bytes, name=shown)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, opening does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise TextFileError(shown, Message("file.not_regular"), _allowed(what, max_bytes))
            data = fh.read(max_bytes + 1)  # a file that grew since the check is still bounded
    except OSError as err:
        raise TextFileError(shown, Message("file.unreadable", reason=err.strerror), _allowed(what, max_bytes)) from None
    return decode_text(data, name=shown, what=what, max_bytes=max_bytes)


def decode_text(data: bytes, *, name: str, what: Message, max_bytes: int) -> str:
    """Uploaded bytes as text, with the same checks as :func:`read_text` (size, UTF-8, BOM).

    Parameters
    ----------
    data : bytes
        The uploaded bytes.
    name : str
        The file's name, for messages.
    what : Message
        What the file is, in both languages, for messages.
    max_bytes : int
        Largest size accepted [bytes].
    """
    allowed = _allowed(what, max_bytes)
    if len(data) > max_bytes:
        raise TextFileError(name, Message("file.too_large_over", limit=_size(max_bytes)), allowed)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = guess_encoding(data)
        raise TextFileError(name, Message("file.not_utf8", guess=guess), allowed, line=line) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise TextFileError(name, Message("file.nul"), allowed, line=line)
    return text


def guess_encoding(data: bytes) -> str:
    """A best guess of a non-UTF-8 text's encoding, for the message (not for reading it)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    sample = data[:200_000]
    if sample.count(b"\x00") > len(sample) // 4:
        return "UTF-16"
    for label, codec in (("GBK/GB18030", "gb18030"), ("Big5", "big5"), ("Shift-JIS", "shift_jis")):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if label != "GBK/GB18030" or any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return label
    return "Windows-1252/Latin-1"


def check_nesting(text: str, *, name: str, what: Message, max_depth: int = MAX_DEPTH) -> None:
    """Refuse text whose ``[`` / ``{`` nest deeper than ``max_depth`` (outside quoted strings and comments).

    A guard in front of recursive parsers (``tomllib``, ``json``): 5,000 nested
    ``[`` in 10 KB would otherwise end in a RecursionError.

    Parameters
    ----------
    text : str
        The text.
    name : str
        The file's name, for messages.
    what : Message
        What the file is, in both languages, for messages.
    max_depth : int
        Deepest nesting accepted [brackets].
    """
    depth, line, i, n = 0, 1, 0, len(text)
    quote: str | None = None
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
        if quote is not None:
            if text.startswith(quote, i):
                i += len(quote)
                quote = None
                continue
            if ch == "\\" and quote in ('"', '"""'):
                i += 2
                continue
        elif ch == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            i += len(quote)
            continue
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                raise TextFileError(name, Message("file.nesting", depth=max_depth),
                                    Message("file.allowed_nesting", what=what, depth=max_depth), line=line)
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
