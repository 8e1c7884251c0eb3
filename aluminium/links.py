"""What a chain link is: a small vectorised function of the parameters and of the outputs of the
links before it. Each stage module declares its own links (``LINKS``) and the figures they pass on
(``OUTPUTS``) next to its parameters; :mod:`aluminium.chain` puts them in order and runs them.

A link's ``reads`` (the parameters it uses, full names) are not typed by hand: they are recorded
from a dry run of the link's function through a mapping that notes every name asked for, so a
stage-scoped run of the chain gets every value its links read.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from aluminium.parameter import Param


@dataclass(frozen=True)
class Link:
    name: str
    stage: str
    needs: tuple[str, ...]  # links whose outputs it uses in the same pass
    fn: Callable[[Mapping[str, object], Mapping[str, object]], dict]
    outputs: tuple[str, ...]
    feedback: tuple[str, ...] = ()  # links whose outputs it reads from the previous pass

    @property
    def reads(self) -> tuple[str, ...]:
        """The parameters (full names) the link's function reads, sorted."""
        return recorded_reads(self.fn)


@dataclass(frozen=True)
class Output:
    id: str  # the key figure id
    unit: str
    label: str


def pinned(v: Mapping, name: str, modelled):
    """A pin's value: the chain's (``modelled``) unless the parameter is set."""
    value = v.get(name)
    return modelled if value is None else value


class _Recorder(Mapping):
    """Parameter values for a dry run: 1.0 for every name, each name asked for noted."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def __getitem__(self, name: str) -> float:
        self.seen.add(name)
        return 1.0

    def get(self, name, default=None):
        return self[name]

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class _AnyOutputs(dict):
    """Upstream outputs for a dry run: four ones for every output (lists of blocks unpack, too);
    an output of a later link is absent, as on the chain's first pass."""

    def __missing__(self, name: str):
        return np.ones(4)


@functools.cache
def recorded_reads(fn: Callable) -> tuple[str, ...]:
    """The parameter names a link function reads, recorded from a dry run (values 1.0)."""
    rec = _Recorder()
    with np.errstate(all="ignore"):
        fn(rec, _AnyOutputs())
    return tuple(sorted(rec.seen))


class Defaults(Mapping):
    """The declared defaults of some parameters, by full name, each derived when first read (a stage
    that evaluates links of its own needs only the defaults they read, and reads only their data)."""

    def __init__(self, params: Iterable[Param]) -> None:
        self._params = {p.name: p for p in params}
        self._values: dict[str, object] = {}

    def __getitem__(self, name: str):
        if name not in self._values:
            self._values[name] = self._params[name].default()
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)
