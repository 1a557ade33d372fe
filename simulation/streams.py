"""Random streams keyed by name: each parameter's draws and each year shock come from a stream of their own.

A run takes one ``numpy.random.Generator`` from its caller and draws exactly one
root from it; every random quantity of the model (a parameter's prior spread, a
posterior row, a year shock, the filter's prior and moves) then comes from
``Streams.generator(key)``, a generator seeded by the root and a hash of the key.
The numbers of one key never depend on which other keys exist, so adding a
parameter (or a shock) to the model changes only what reads it, and every
published figure stops depending on the registry's order or composition.
"""

from __future__ import annotations

import hashlib

import numpy as np


def _key_words(key: str) -> tuple[int, ...]:
    """Four 32-bit words of the key's SHA-256: stable across runs, platforms and Python versions."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))


class Streams:
    """Independent named random streams from one root.

    Parameters
    ----------
    root : int
        The root entropy (a non-negative integer, below 2**128).
    """

    __slots__ = ("root",)

    def __init__(self, root: int):
        """Hold the root entropy; nothing is drawn until a stream is asked for."""
        if not isinstance(root, (int, np.integer)) or root < 0:
            raise ValueError(f"a stream root is a non-negative integer, got {root!r}")
        self.root = int(root)

    @classmethod
    def from_generator(cls, rng: np.random.Generator) -> Streams:
        """Streams whose root is one draw of ``rng`` (128 bits): the only number taken from ``rng``.

        Parameters
        ----------
        rng : numpy.random.Generator
            The caller's generator; advanced by exactly one draw of two 64-bit words.

        Returns
        -------
        Streams
        """
        hi, lo = (int(v) for v in rng.integers(0, 2**63, size=2, dtype=np.int64))
        return cls((hi << 64) | lo)

    def generator(self, key: str) -> np.random.Generator:
        """A fresh generator for ``key``: the same key gives the same numbers, another key independent ones.

        Parameters
        ----------
        key : str
            The stream's name, e.g. ``"spread/growth_long_run"`` or ``"shock/cycle"``.

        Returns
        -------
        numpy.random.Generator
        """
        seq = np.random.SeedSequence(self.root, spawn_key=_key_words(key))
        return np.random.Generator(np.random.PCG64(seq))

    def __repr__(self) -> str:
        """The root, so two runs can be told apart in a log."""
        return f"Streams(root={self.root:#x})"


def as_streams(rng: np.random.Generator | Streams | None) -> Streams | None:
    """The streams of a run: ``rng`` itself if it is already :class:`Streams`, else one draw of it (None stays None).

    Parameters
    ----------
    rng : numpy.random.Generator, Streams or None
        What the caller passed.

    Returns
    -------
    Streams or None
    """
    if rng is None or isinstance(rng, Streams):
        return rng
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"random numbers come from a numpy.random.Generator, got {type(rng).__name__}")
    return Streams.from_generator(rng)


__all__ = ["Streams", "as_streams"]
