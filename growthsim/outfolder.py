"""Output folders that touch only what the run wrote.

:func:`replace_folder` is the one function a command calls to write its output
folder (``run``, ``backtest``, ``monitor``, ``seek``, ``sensitivity``,
``discover``; a new command does the same: build ``{name: bytes}`` with its
manifest among them and call ``replace_folder(out, files, manifest=...,
command=...)``). What it promises:

- **Only its own files.** A file already in the folder is replaced or removed
  only when a manifest that growthsim wrote for the same command lists it with
  the content it still has. A manifest is recognised by its ``growthsim``
  block: the command, the SHA-256 of every file and a signature over both, so a
  ``manifest.json`` of another program, a list edited by hand or another
  command's manifest decides nothing. Any other file -- the planner's notes, a
  sub-folder, an output the planner edited -- stays; a run that would have to
  replace one is refused before anything is written, naming it.
- **One run at a time, swapped in whole.** The run's files are written into a
  new folder beside the output folder (manifest first), every other entry of
  the output folder gets a second name there (a hard link: the same file, never
  moved or copied; sub-folders are made anew with their permissions), and the
  two folders are exchanged in one atomic step (``renameat2(RENAME_EXCHANGE)``).
  At every moment each of the planner's files is at its path with its content,
  so a ``kill -9`` or a SIGTERM at any moment loses nothing; the next run
  settles what a killed run left (extra links removed, growthsim's own files
  removed, anything else put back).
- **The folder stays the planner's.** The new folder gets the old one's
  permission bits (setgid and sticky included), owner, group and access-control
  list before it is swapped in. Where that cannot be done (a folder owned by
  another user), where links cannot be made (a file system without hard
  links, another user's file under ``protected_hardlinks``) or the exchange is
  not supported, the files are replaced one by one in place instead, each
  atomically, under a manifest that names both the earlier and the new files
  until the last is written.
- A lock file beside the folder (``.<folder>.growthsim.lock``) refuses a second
  run into the same folder while one is writing.

Names starting with ``.growthsim-tmp-`` inside the folder, and
``.<folder>.growthsim-*`` beside it, are growthsim's temporary names.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import glob
import hashlib
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from growthsim.calibration.textfile import TextFileError, check_nesting, read_text

from .errors import UserInputError
from .i18n import Message
from .settings import check_out_folder

__all__ = ["replace_folder", "lock_path", "signed_manifest", "own_files", "read_manifest", "file_sha256",
           "MANIFEST_MARK"]

MANIFEST_MARK = "growthsim"        # the block of a manifest growthsim wrote
_SALT = b"growthsim output manifest v1\n"
STAGE = "growthsim-stage-"         # beside the folder: .<folder>.growthsim-stage-XXXXXXXX~<manifest>
LEGACY = ("growthsim-new-", "growthsim-old-")   # the swap folders of growthsim before issue 22
TMP = ".growthsim-tmp-"            # a file being written, inside a folder
MAX_MANIFEST_BYTES = 5_000_000
_CANNOT_LINK = {errno.EPERM, errno.EACCES, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP,
                errno.ENOSYS, errno.EINVAL}
_CANNOT_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV, errno.EBUSY}


# ---------------------------------------------------------------- manifests


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of the file at ``path`` (read in 1 MiB pieces), as hexadecimal text."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _signature(command: str, hashes: Mapping[str, str], earlier: Mapping[str, str]) -> str:
    body = json.dumps([command, sorted(hashes.items()), sorted(earlier.items())], ensure_ascii=False)
    return hashlib.sha256(_SALT + body.encode("utf-8")).hexdigest()


def signed_manifest(facts: Mapping, files: Mapping[str, bytes], command: str,
                    earlier: Mapping[str, str] | None = None) -> bytes:
    """The manifest's JSON: ``facts``, the file list and the ``growthsim`` block that marks it as growthsim's.

    ``earlier`` (name -> SHA-256) lists files of the earlier run still in the
    folder while it is rewritten in place, so that a run killed meanwhile
    leaves every file recognisable.

    Parameters
    ----------
    facts : Mapping
        The run's facts.
    files : Mapping[str, bytes]
        File contents by name (names may have sub-folders) [bytes].
    command : str
        The command's name, written in the manifest.
    earlier : Mapping[str, str] | None
        SHA-256 by name of the earlier run's files still in the folder, or None.
    """
    hashes = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
    earlier = dict(sorted((earlier or {}).items()))
    block = {"command": command, "sha256": hashes}
    if earlier:
        block["earlier_sha256"] = earlier
    block["signature"] = _signature(command, hashes, earlier)
    body = dict(facts)
    body.setdefault("files", sorted(files))
    body[MANIFEST_MARK] = block
    return (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read_manifest(path: str | Path) -> dict | None:
    """A manifest's JSON object, read through the bounded reader; None if it is not one (or not a regular file)."""
    what = Message("file.what_manifest")
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        text = read_text(path, what=what, max_bytes=MAX_MANIFEST_BYTES)
        check_nesting(text, name=str(path), what=what)
        data = json.loads(text)
    except (OSError, TextFileError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _safe_name(name: object) -> bool:
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return not PurePosixPath(name).is_absolute() and all(p not in ("", ".", "..") for p in parts)


def _text_map(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _signed_block(data: dict | None) -> dict | None:
    block = data.get(MANIFEST_MARK) if data else None
    if not isinstance(block, dict) or not isinstance(block.get("command"), str):
        return None
    hashes, earlier = block.get("sha256"), block.get("earlier_sha256", {})
    if not (_text_map(hashes) and _text_map(earlier)):
        return None
    return block if block.get("signature") == _signature(block["command"], hashes, earlier) else None


def own_files(folder: str | Path, manifest: str, command: str | None) -> dict[str, set[str]] | None:
    """The files an earlier run of ``command`` wrote into ``folder``, each with the content(s) it gave them.

    None when ``folder/manifest`` is not a manifest growthsim wrote for
    ``command`` (any command when None).

    Parameters
    ----------
    folder : str | Path
        The folder.
    manifest : str
        The manifest's file name.
    command : str | None
        The command's name (None: any command's).
    """
    block = _signed_block(read_manifest(Path(folder) / manifest))
    if block is None or (command is not None and block["command"] != command):
        return None
    out: dict[str, set[str]] = {}
    for name, digest in [*block["sha256"].items(), *block.get("earlier_sha256", {}).items()]:
        if _safe_name(name):
            out.setdefault(name, set()).add(digest)
    return out


def _manifest_command(path: Path) -> str | None:
    block = _signed_block(read_manifest(path))
    return None if block is None else block["command"]


def _unchanged(path: Path, name: str, own: Mapping[str, set[str]] | None) -> bool:
    """Whether ``path`` is a regular file an earlier run wrote as ``name`` and still holds what it wrote."""
    if not own or name not in own:
        return False
    try:
        return stat.S_ISREG(os.lstat(path).st_mode) and file_sha256(path) in own[name]
    except OSError:
        return False


# ---------------------------------------------------------------- the folder's entries


def _walk(root: Path) -> Iterator[tuple[str, os.DirEntry]]:
    """Every entry under ``root`` as (relative path, entry), folders before their contents; links not followed."""
    stack = [("", root)]
    while stack:
        prefix, folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except FileNotFoundError:
            continue
        for e in entries:
            rel = prefix + e.name
            yield rel, e
            if e.is_dir(follow_symlinks=False):
                stack.append((rel + "/", Path(e.path)))


def _is_temp(name: str) -> bool:
    return name.startswith(TMP)


def _linked(entry: os.DirEntry, device: int, there: str) -> bool:
    """Whether ``entry`` (on ``device``) and the path ``there`` are two names of one file (a link the swap made)."""
    try:
        st = os.lstat(there)
    except OSError:
        return False
    return st.st_ino == entry.inode() and st.st_dev == device


def _write_file(path: Path, data: bytes) -> None:
    """Write ``data`` under a temporary name beside ``path``, flush it to disk, then rename it to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f"{TMP}{os.urandom(4).hex()}-{path.name}"[:255]
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------- permissions, owner, group


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _copy_acl(src: Path, dst: Path) -> None:
    """Copy the access-control lists (and user attributes) of ``src`` to ``dst``; labels set by policy are left."""
    if not hasattr(os, "listxattr"):
        return
    try:
        names = os.listxattr(src, follow_symlinks=False)
    except OSError as err:
        if err.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return
        raise
    for name in names:
        if name.startswith(("system.posix_acl_", "user.")):
            os.setxattr(dst, name, os.getxattr(src, name, follow_symlinks=False), follow_symlinks=False)


def _copy_attrs(src: Path, like: os.stat_result, dst: Path) -> bool:
    """Give the folder ``dst`` the permission bits, owner, group and ACL of ``src``; whether they now match."""
    try:
        now = os.lstat(dst)
        if (now.st_uid, now.st_gid) != (like.st_uid, like.st_gid):
            os.chown(dst, like.st_uid, like.st_gid, follow_symlinks=False)
        os.chmod(dst, stat.S_IMODE(like.st_mode))
        _copy_acl(src, dst)
        got = os.lstat(dst)
    except OSError:
        return False
    return (stat.S_IMODE(got.st_mode), got.st_uid, got.st_gid) == (stat.S_IMODE(like.st_mode), like.st_uid,
                                                                     like.st_gid)


def _new_folder_mode(stage: Path) -> None:
    """A folder that did not exist gets what ``mkdir`` would give it (the umask; the parent's setgid bit)."""
    inherited = os.lstat(stage).st_mode & stat.S_ISGID  # set by the kernel in a setgid parent
    os.chmod(stage, (0o777 & ~_umask()) | inherited)


# ---------------------------------------------------------------- the swap


def lock_path(out: Path) -> Path:
    """The lock file of an output folder: beside it, so that it survives the folder's swap."""
    return out.parent / f".{out.name}.growthsim.lock"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in _CANNOT_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(b))


def _make_stage(out: Path, manifest: str, like: os.stat_result | None) -> Path | None:
    """A new folder beside ``out`` with ``out``'s permissions, owner and group; None where it cannot be made so."""
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.{STAGE}", suffix=f"~{manifest}", dir=out.parent))
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENAMETOOLONG):
            return None
        raise
    if like is None:
        _new_folder_mode(stage)
    elif not _copy_attrs(out, like, stage):
        os.rmdir(stage)
        return None
    return stage


def _ensure_folder(out: str, stage: str, rel: str, made: set[str]) -> bool:
    """Make the folder ``rel`` (and its parents) in ``stage`` as they are in ``out``; whether it could be done."""
    if rel in made:
        return True
    parent = rel.rpartition("/")[0]
    if parent and not _ensure_folder(out, stage, parent, made):
        return False
    dst = os.path.join(stage, rel)
    if not os.path.isdir(dst):
        os.mkdir(dst)
        src = os.path.join(out, rel)
        if not _copy_attrs(Path(src), os.lstat(src), Path(dst)):
            return False
    made.add(rel)
    return True


def _link_others(out: Path, stage: Path, skip: set[str]) -> bool:
    """Give every entry of ``out`` not in ``skip`` a second name at the same place in ``stage``.

    Files (and symbolic links, pipes ...) are hard-linked, never moved or
    copied; folders are made anew with their attributes, an empty one too.
    Returns False where that is impossible here (the caller writes in place).
    """
    out_s, stage_s, made = str(out), str(stage), set()
    for rel, entry in _walk(out):
        if rel in skip or _is_temp(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            empty = next(os.scandir(entry.path), None) is None
            if empty and not _ensure_folder(out_s, stage_s, rel, made):
                return False
            continue
        parent = rel.rpartition("/")[0]
        if parent and not _ensure_folder(out_s, stage_s, parent, made):
            return False
        dst = os.path.join(stage_s, rel)
        if os.path.lexists(dst):  # a planner's file where this run writes one: refused earlier, unless just made
            raise FileExistsError(errno.EEXIST, "appeared while the run was writing", entry.path)
        try:
            os.link(entry.path, dst, follow_symlinks=False)
        except FileNotFoundError:
            continue  # removed by the planner meanwhile
        except OSError as err:
            if err.errno in _CANNOT_LINK:
                return False
            raise
    return True


def _match_own_folders(out: Path, stage: Path, names: Mapping[str, bytes]) -> None:
    """This run's sub-folders keep the attributes their namesakes in ``out`` had (best effort)."""
    folders = {str(PurePosixPath(n).parent) for n in names} - {"."}
    for sub in sorted(folders):
        src = out / sub
        if src.is_dir() and not src.is_symlink():
            _copy_attrs(src, os.lstat(src), stage / sub)


def _swap_in(out: Path, body: Mapping[str, bytes], manifest_bytes: bytes, manifest: str, keep_out: set[str]) -> bool:
    """Write the run beside ``out``, link everything else, swap; False where the swap cannot be made here."""
    like = os.lstat(out) if out.is_dir() else None
    stage = _make_stage(out, manifest, like)
    if stage is None:
        return False
    try:
        _write_file(stage / manifest, manifest_bytes)  # first: from now on it names what in here is growthsim's
        for name, data in body.items():
            _write_file(stage / name, data)
        if like is None:
            os.rename(stage, out)
            return True
        _match_own_folders(out, stage, body)
        if not _link_others(out, stage, keep_out | {manifest}):
            return False
        return _exchange(stage, out)
    finally:
        # before the swap: this run's files and the extra links; after it: the earlier run
        _settle(stage, out, manifest)


# ---------------------------------------------------------------- what a killed run left


def _legacy_names(folder: Path) -> set[str]:
    """What a swap folder of growthsim before issue 22 holds of its own: its manifest's list (trusted there only)."""
    names: set[str] = set()
    for manifest in ("manifest.json", "seek.json", "discovery.json"):
        data = read_manifest(folder / manifest)
        if data is not None:
            names |= {manifest, *(n for n in data.get("files", []) if _safe_name(n))}
    return names


def _restore(src: str, dst: str) -> bool:
    """Put ``src`` back at ``dst`` unless something is there; whether it went back."""
    if os.path.lexists(dst):
        return False
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    os.rename(src, dst)
    return True


def _settle(folder: Path, out: Path, manifest: str | None) -> bool:
    """Empty a swap folder beside ``out``: remove growthsim's files and extra links, put anything else back.

    Returns whether the folder is gone; it stays when something in it could not
    be put back (a file of the same name is in ``out`` by now).
    """
    if not folder.is_dir() or folder.is_symlink():
        return not os.path.lexists(folder)
    own = (own_files(folder, manifest, None) if manifest else None) or {}
    legacy = _legacy_names(folder) if any(p in folder.name for p in LEGACY) else set()
    out_s, kept, device = str(out), False, os.lstat(folder).st_dev
    entries = list(_walk(folder))
    # contents before their folder, and the manifest last: it names what in here is growthsim's, so a run
    # killed while settling leaves the rest recognisable
    ordered = [e for e in reversed(entries) if e[0] != manifest] + [e for e in entries if e[0] == manifest]
    for rel, entry in ordered:
        if entry.is_dir(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.rmdir(entry.path)  # a folder still holding something stays
            continue
        there = os.path.join(out_s, rel)
        ours = (_is_temp(entry.name) or _linked(entry, device, there) or rel in legacy
                or _unchanged(Path(entry.path), rel, own) or (rel == manifest and bool(own)))
        if ours:
            os.unlink(entry.path)
        elif not _restore(entry.path, there):
            kept = True
    try:
        os.rmdir(folder)
    except OSError:
        return False
    return not kept


def _settle_leftovers(out: Path) -> None:
    """Settle what killed runs left beside ``out`` and the temporary files they left in it (under the lock)."""
    parent = out.parent
    if not parent.is_dir():
        return
    mine = sorted((p for p in parent.glob(f".{glob.escape(out.name)}.growthsim-*")
                   if p.is_dir() and not p.is_symlink()), key=lambda p: p.lstat().st_mtime)
    olds = [p for p in mine if LEGACY[1] in p.name]
    if olds and not os.path.lexists(out):  # an old version killed between its two renames: its earlier run
        os.rename(olds[-1], out)
        mine.remove(olds[-1])
    for folder in mine:
        manifest = folder.name.split("~", 1)[1] if STAGE in folder.name and "~" in folder.name else None
        _settle(folder, out, manifest)
    if out.is_dir() and not out.is_symlink():
        for _rel, entry in list(_walk(out)):
            if _is_temp(entry.name) and not entry.is_dir(follow_symlinks=False):
                os.unlink(entry.path)


# ---------------------------------------------------------------- checks before anything is written


def _refuse_manifest(out: Path, manifest: str, command: str, option: str, shown: Path) -> None:
    other = _manifest_command(out / manifest)
    out = shown  # the folder as the user gave it, in the message
    if other is not None:
        raise UserInputError("out.other_command", option=option, out=str(out), manifest=manifest, other=other,
                             command=command, suggestion=str(out / command))
    raise UserInputError("out.foreign_manifest", option=option, out=str(out), manifest=manifest,
                         command=command)


# The keys by which a manifest of growthsim before issue 22 (no signature) is known, per command.
LEGACY_MARKS = {"run": {"package_version", "seed", "draws", "files"}, "sensitivity": {"command", "files"},
                "seek": {"reproduce", "levers", "mode", "targets"},
                "discover": {"sentence_zh", "sentence_en", "method", "runs_in_box"}}


def _legacy_outputs(out: Path, body: Mapping[str, bytes], manifest: str, command: str) -> set[str] | None:
    """The files an unsigned manifest of an earlier growthsim lets this run replace; None if it is not one.

    Only files this run writes again under the same name (and, where the old manifest lists files, listed
    there) may be replaced; nothing is ever removed on its word. An upgraded planner's ``out/`` keeps working.
    """
    marks = LEGACY_MARKS.get(command)
    data = read_manifest(out / manifest)
    if not marks or data is None or MANIFEST_MARK in data or not marks <= set(data):
        return None
    if command == "sensitivity" and data.get("command") != "sensitivity":
        return None
    listed = data.get("files")
    names = set(body)
    if isinstance(listed, list):
        names &= {n for n in listed if isinstance(n, str)}
    return {n for n in names if os.path.isfile(out / n) and not os.path.islink(out / n)}


def _refuse_foreign(out: Path, body: Mapping[str, bytes], manifest: str, own: dict | None, command: str,
                    option: str, shown: Path) -> set[str]:
    """Refuse a run that would replace a file growthsim did not write; return the earlier run's unchanged files.

    ``shown`` is the folder as the user gave it: messages name it so.
    """
    if not out.is_dir():
        return set()
    legacy = _legacy_outputs(out, body, manifest, command) if own is None else None
    if os.path.lexists(out / manifest) and own is None and legacy is None:
        _refuse_manifest(out, manifest, command, option, shown)
    unchanged = legacy if legacy is not None else {n for n in (own or {}) if _unchanged(out / n, n, own)}
    for name in body:
        parts = PurePosixPath(name).parts
        for i in range(1, len(parts)):
            folder = out.joinpath(*parts[:i])
            if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
                folder = shown.joinpath(*parts[:i])
                raise UserInputError("out.sub_not_folder", option=option, folder=str(folder), name=name)
        path = out / name
        if os.path.lexists(path) and name not in unchanged:
            path = shown / name
            if own and name in own:
                raise UserInputError("out.file_changed", option=option, path=str(path))
            raise UserInputError("out.foreign_file", option=option, path=str(path))
    return unchanged


# ---------------------------------------------------------------- writing in place


def _write_in_place(out: Path, body: Mapping[str, bytes], facts: dict, manifest: str, command: str,
                    unchanged: set[str]) -> None:
    """Replace this command's files one by one inside ``out``; the manifest names old and new files meanwhile."""
    out.mkdir(parents=True, exist_ok=True)
    earlier = {name: file_sha256(out / name) for name in unchanged}
    _write_file(out / manifest, signed_manifest(facts, body, command, earlier))
    for name, data in body.items():
        _write_file(out / name, data)
    for name in sorted(unchanged - set(body)):
        os.unlink(out / name)
        folder = (out / name).parent
        while folder != out:
            try:
                os.rmdir(folder)  # only a folder left empty
            except OSError:
                break
            folder = folder.parent
    _write_file(out / manifest, signed_manifest(facts, body, command))


# ---------------------------------------------------------------- the one entry point


@contextlib.contextmanager
def _locked(out: Path, option: str, shown: Path) -> Iterator[None]:
    # deferred: filelock (21 modules) is needed only on this path
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(out)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise UserInputError("out.locked", option=option, out=str(shown), lock=lock_path(out).name) from None
    try:
        yield
    finally:
        lock.release()


def _facts(data: bytes, manifest: str) -> dict:
    facts = json.loads(data.decode("utf-8"))
    if not isinstance(facts, dict):
        raise ValueError(f"the manifest {manifest} must be a JSON object")
    facts.pop(MANIFEST_MARK, None)
    return facts


def replace_folder(out: str | Path, files: Mapping[str, bytes], manifest: str = "manifest.json",
                   option: str = "--out", command: str = "run") -> list[Path]:
    """Make ``out`` hold this run of ``command``: its ``files`` (names may have sub-folders), nothing else changed.

    ``files[manifest]`` holds the run's facts as a JSON object; it is written
    with the file list and the ``growthsim`` block that marks it as this
    command's. Returns the paths written, as ``out`` was given. Raises
    UserInputError when ``out`` is not a usable folder, another run is writing
    it, a file growthsim did not write stands where this run writes one, or the
    disk refuses (then no file of the planner's has been touched). See the
    module notes for the guarantees.

    Parameters
    ----------
    out : str | Path
        The output folder.
    files : Mapping[str, bytes]
        File contents by name (names may have sub-folders) [bytes].
    manifest : str
        The manifest's file name.
    option : str
        The command-line option the value came from, for messages.
    command : str
        The command's name, written in the manifest.
    """
    if manifest not in files:
        raise ValueError(f"the files must include the manifest {manifest}")
    if not all(_safe_name(n) for n in files):
        raise ValueError("file names must be relative paths inside the folder")
    given = Path(out)
    out = check_out_folder(out, option)
    facts = _facts(files[manifest], manifest)
    body = {n: d for n, d in files.items() if n != manifest}
    swapped = True
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with _locked(out, option, given):
            _settle_leftovers(out)
            own = own_files(out, manifest, command) if out.is_dir() else None
            unchanged = _refuse_foreign(out, body, manifest, own, command, option, given)
            if not _swap_in(out, body, signed_manifest(facts, body, command), manifest, unchanged):
                swapped = False
                _write_in_place(out, body, facts, manifest, command, unchanged)
    except OSError as err:
        what, out = err.strerror or str(err), given
        if swapped:
            raise UserInputError("out.not_written_unchanged", option=option, out=str(out), reason=what) from err
        raise UserInputError("out.not_written_partly", option=option, out=str(out), reason=what) from err
    return [given / name for name in files]
