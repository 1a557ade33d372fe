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

Messages are Chinese first, English second, and name the file as the user gave
it. The module reads files, so it lives in ``calibration`` (which may do I/O),
not in the pure ``simulation`` package, and imports nothing from ``growthsim``.
"""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

__all__ = ["TextFileError", "check_file", "read_text", "decode_text", "check_nesting", "MAX_DEPTH"]

MAX_DEPTH = 32  # nested [ or { in one value: scenario files use 2 ({ year = value } inside a table)


class TextFileError(ValueError):
    """A file that cannot be read as text: which file, where, what is wrong and what is allowed.

    ``str(err)`` is the whole message, Chinese first, then English. The parts are
    kept as attributes (``file``, ``line``, ``problem_zh``, ``problem_en``,
    ``allowed_zh``, ``allowed_en``) for callers that show one language.
    """

    def __init__(self, file: str, problem_zh: str, problem_en: str, allowed_zh: str, allowed_en: str,
                 line: int | None = None):
        """Describe why a file cannot be read as text.

        Parameters
        ----------
        file : str
            The file, as shown to the user.
        problem_zh, problem_en : str
            What is wrong, in Chinese and in English.
        allowed_zh, allowed_en : str
            What is allowed, in Chinese and in English.
        line : int, optional
            The line at fault, when there is one.
        """
        self.file, self.line = file, line
        self.problem_zh, self.problem_en = problem_zh, problem_en
        self.allowed_zh, self.allowed_en = allowed_zh, allowed_en
        super().__init__(self.message("zh") + "\n" + self.message("en"))

    def where(self, lang: str = "en") -> str:
        """The file, with its line when known, in ``lang`` (``zh`` or ``en``)."""
        if self.line is None:
            return self.file
        return f"{self.file}，第 {self.line} 行" if lang == "zh" else f"{self.file}, line {self.line}"

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` (``zh`` or ``en``): where, what is wrong, what is allowed."""
        if lang == "zh":
            return f"{self.where('zh')}：{self.problem_zh}；允许：{self.allowed_zh}"
        return f"{self.where('en')}: {self.problem_en}; allowed: {self.allowed_en}"


def _size_text(n: int) -> str:
    for unit, size in (("MB", 1_000_000), ("KB", 1_000)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def _what(what: str | tuple[str, str]) -> tuple[str, str]:
    """``what`` in Chinese and English: a pair, or one text used for both."""
    return (what, what) if isinstance(what, str) else (what[0], what[1])


def _allowed(what: str | tuple[str, str], max_bytes: int) -> tuple[str, str]:
    zh, en = _what(what)
    return (f"{zh}，UTF-8 文本，不超过 {_size_text(max_bytes)}", f"{en}, UTF-8 text, at most {_size_text(max_bytes)}")


def check_file(path: str | Path, *, what: str | tuple[str, str], max_bytes: int,
              name: str | None = None) -> None:
    """Refuse, without reading it, anything but an existing regular file of at most ``max_bytes``."""
    shown = str(path) if name is None else name
    allowed_zh, allowed_en = _allowed(what, max_bytes)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise TextFileError(shown, "文件不存在", "no such file", allowed_zh, allowed_en) from None
    except OSError as err:
        raise TextFileError(shown, f"无法读取（{err.strerror}）", f"cannot be read ({err.strerror})",
                            allowed_zh, allowed_en) from None
    if stat.S_ISDIR(st.st_mode):
        raise TextFileError(shown, "是文件夹，不是文件", "is a folder, not a file", allowed_zh, allowed_en)
    if not stat.S_ISREG(st.st_mode):
        raise TextFileError(shown, "不是普通文件（设备、管道或套接字）",
                            "is not a regular file (a device, pipe or socket)", allowed_zh, allowed_en)
    if st.st_size > max_bytes:
        raise TextFileError(shown, f"文件过大（{st.st_size:,} 字节）", f"file too large ({st.st_size:,} bytes)",
                            allowed_zh, allowed_en)


def read_text(path: str | Path, *, what: str | tuple[str, str], max_bytes: int,
              name: str | None = None) -> str:
    """The text of a regular file of at most ``max_bytes`` bytes, UTF-8 with or without a BOM.

    Parameters
    ----------
    path : the file to read.
    what : what the file should be, in words, used in messages: ("情景文件 (TOML)", "a scenario file (TOML)").
    max_bytes : the largest file accepted, in bytes.
    name : how to name the file in messages (default: ``path`` as given).

    Raises
    ------
    TextFileError
        the file is missing, not a regular file, too large or not UTF-8 text.
    """
    shown = str(path) if name is None else name
    allowed_zh, allowed_en = _allowed(what, max_bytes)
    check_file(path, what=what, max_bytes=max_bytes, name=shown)
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since the check, opening does not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise TextFileError(shown, "不是普通文件", "is not a regular file", allowed_zh, allowed_en)
            data = fh.read(max_bytes + 1)  # a file that grew since the check is still bounded
    except OSError as err:
        raise TextFileError(shown, f"无法读取（{err.strerror}）", f"cannot be read ({err.strerror})",
                            allowed_zh, allowed_en) from None
    return decode_text(data, name=shown, what=what, max_bytes=max_bytes)


def decode_text(data: bytes, *, name: str, what: str | tuple[str, str], max_bytes: int) -> str:
    """Uploaded bytes as text, with the same checks as :func:`read_text` (size, UTF-8, BOM)."""
    allowed_zh, allowed_en = _allowed(what, max_bytes)
    if len(data) > max_bytes:
        raise TextFileError(name, f"文件过大（超过 {_size_text(max_bytes)}）", f"file too large (over "
                            f"{_size_text(max_bytes)})", allowed_zh, allowed_en)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = guess_encoding(data)
        raise TextFileError(name, f"不是 UTF-8 文本（看起来是 {guess} 编码）；请另存为 UTF-8 编码后重试",
                            f"not UTF-8 text (it looks like {guess}); save it as UTF-8 (另存为 UTF-8) and try again",
                            allowed_zh, allowed_en, line=line) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise TextFileError(name, "含有空字符（\\0），不是文本文件", "contains a NUL character (\\0); not a text file",
                            allowed_zh, allowed_en, line=line)
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


def check_nesting(text: str, *, name: str, what: str | tuple[str, str], max_depth: int = MAX_DEPTH) -> None:
    """Refuse text whose ``[`` / ``{`` nest deeper than ``max_depth`` (outside quoted strings and comments).

    A guard in front of recursive parsers (``tomllib``, ``json``): 5,000 nested
    ``[`` in 10 KB would otherwise end in a RecursionError.
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
                zh, en = _what(what)
                raise TextFileError(name, f"括号嵌套超过 {max_depth} 层", f"brackets nested deeper than {max_depth}",
                                    f"{zh}，嵌套不超过 {max_depth} 层", f"{en} nested at most {max_depth} deep",
                                    line=line)
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
