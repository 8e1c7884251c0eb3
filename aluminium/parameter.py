"""A chapter parameter, the type: its name, unit, default and where the default comes from, and
the checks a value passes before anything runs (type, range, choices; a file that exists).

A parameter is named ``chapter.name`` with its unit in the name (``smelting.power_price_cny_kwh``).
Its default is either a fact from the data package (``fact=``) or a stated value with the
derivation it came from (``origin=``). Values typed as text (``--set``) and YAML files are read
here too; which parameters exist is the registry's business (:mod:`aluminium.registry`).
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from aluminium.data.facts import fact
from aluminium.errors import ParameterError
from aluminium.numbers import DECIMAL, DECIMAL_RE

_TYPES = {"float": float, "int": int, "bool": bool, "str": str, "path": str}


@dataclass(frozen=True)
class Param:
    name: str  # chapter.short_name_with_unit
    type: str  # float | int | bool | str
    unit: str
    description: str
    value: Any = None  # literal default, with `origin` saying where it came from
    fact: str | None = None  # or: the id of the fact whose value is the default
    fact_field: str = "central"  # value | low | high | central
    derive: Callable[[], Any] | None = None  # or: a tested function that derives it from facts
    origin: str = ""
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple = ()
    # An upstream result that used to be a parameter: unset (None) = the chain's value, set = pinned.
    pin_of: str = ""

    @property
    def chapter(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def short(self) -> str:
        return self.name.split(".", 1)[1]

    def default(self) -> Any:
        if self.pin_of:
            return None  # modelled: the chain supplies the value
        if self.fact:
            f = fact(self.fact)
            raw = f.central if self.fact_field == "central" else getattr(f, self.fact_field)
            return _TYPES[self.type](raw)
        if self.derive is not None:
            return _TYPES[self.type](self.derive())
        return self.value

    def source(self) -> str:
        if self.pin_of:
            return f"modelled by the chain (`{self.pin_of}`) unless pinned; {self.origin}".rstrip("; ")
        if self.fact:
            f = fact(self.fact)
            which = "" if self.fact_field in ("value", "central") else f" ({self.fact_field} of the range)"
            return f"fact `{self.fact}`{which}: {f.source}, {f.location}"
        return self.origin

    def check(self, value: Any, where: str = "") -> Any:
        """The value converted to the parameter's type, or a ParameterError naming it.

        Text (from ``--set``) is read as the type asks: numbers in any decimal spelling
        (``0.4``, ``4e-1``, ``1e3``), never hex, octal or words; only finite numbers; a month
        parameter (unit ``YYYY-MM``) as a real month."""
        at = f"{where}: " if where else ""
        if self.type == "path":
            return _check_path(self, value, at)
        if self.pin_of and value in (None, "", "modelled"):
            return None
        if isinstance(value, str) and self.type != "str":
            value = _from_text(self.type, value)
        if self.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if self.type == "int" and isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
            value = int(value)
        expected = _TYPES[self.type]
        if not isinstance(value, expected) or (expected in (int, float) and isinstance(value, bool)):
            raise ParameterError(
                f"{at}parameter '{self.name}' takes a {self.type} ({self.unit}), got {shown_value(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise ParameterError(f"{at}parameter '{self.name}' takes a finite number ({self.unit}), got {value!r}")
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            raise ParameterError(
                f"{at}parameter '{self.name}' = {value!r} is out of range "
                f"[{self.minimum}, {self.maximum}] {self.unit}")
        if self.choices and value not in self.choices:
            raise ParameterError(f"{at}parameter '{self.name}' = {value!r} is not one of {list(self.choices)}")
        if self.unit == "YYYY-MM" and not _MONTH.fullmatch(value):
            raise ParameterError(f"{at}parameter '{self.name}' takes a month as YYYY-MM (e.g. 2012-01), "
                                 f"got {shown_value(value)}")
        return value

    def describe(self) -> dict:
        return {
            "name": self.name, "type": self.type, "unit": self.unit, "default": self.default(),
            "minimum": self.minimum, "maximum": self.maximum,
            "choices": list(self.choices) or None, "description": self.description,
            "source": self.source(),
        }


_DECIMAL_INT = re.compile(r"[-+]?[0-9]+")
_DECIMAL_FLOAT = DECIMAL_RE
_MONTH = re.compile(r"[0-9]{4}-(?:0[1-9]|1[0-2])")
_TRUE, _FALSE = {"true", "yes", "on"}, {"false", "no", "off"}
PATH_SUFFIXES = (".xlsx",)  # what a file parameter reads: a World Bank workbook


def _from_text(kind: str, text: str) -> Any:
    """A value typed as text, read as the parameter's type; left as text when it is not one
    (the type check then names it)."""
    t = text.strip()
    if kind in ("float", "int"):
        if _DECIMAL_INT.fullmatch(t):
            return int(t) if len(t) < 400 else text
        if _DECIMAL_FLOAT.fullmatch(t):
            return float(t)
        return text
    if kind == "bool":
        low = t.lower()
        return True if low in _TRUE else False if low in _FALSE else text
    return text


def shown_value(value: Any) -> str:
    """A refused value as the message shows it: short, on one line."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_path(p: Param, value: Any, at: str) -> str:
    """A file parameter: empty for none, else an existing regular file of the expected kind,
    made absolute (chapters run elsewhere). Checked here, before anything starts."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ParameterError(f"{at}parameter '{p.name}' takes a file path, got {shown_value(value)}")
    given = Path(value).expanduser()
    path = given.resolve()
    if path.suffix.lower() not in PATH_SUFFIXES:
        raise ParameterError(f"{at}parameter '{p.name}' takes a {' or '.join(PATH_SUFFIXES)} workbook, got {value}")
    if not path.exists():
        raise ParameterError(f"{at}parameter '{p.name}': file not found: {value}")
    if not path.is_file():
        raise ParameterError(f"{at}parameter '{p.name}': not a regular file: {value}")
    if not os.access(path, os.R_OK):
        raise ParameterError(f"{at}parameter '{p.name}': cannot read {value} (permission denied)")
    return str(path)


def shown_path(value: Any) -> Any:
    """A file parameter's value as pages show it: the file's name only (no local folders)."""
    return Path(value).name if isinstance(value, str) and value else value


def mode(p: Param, value: Any) -> str:
    """How an upstream-result parameter stands: "modelled" (unset) or "pinned"; "" for others."""
    if not p.pin_of:
        return ""
    return "modelled" if value is None else "pinned"



def parse_set(assignments: list[str]) -> dict[str, Any]:
    """``["smelting.power_price_cny_kwh=0.45", ...]`` → overrides (values not yet checked)."""
    out: dict[str, Any] = {}
    for item in assignments:
        if "=" not in item:
            raise ParameterError(f"--set {item!r}: expected NAME=VALUE")
        name, value = item.split("=", 1)
        name = name.strip()
        if name in out:
            raise ParameterError(f"--set: parameter '{name}' is set twice")
        out[name] = value.strip()
    return out


MAX_DEPTH = 8  # parameter files nest two levels deep; a scenario three
MAX_YAML_BYTES = 1_000_000


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader for user files: a key given twice is refused (a silent last-one-wins would
    hide a mistake), as are aliases (``*name``, which can multiply a small file into gigabytes
    before anything is printed) and nesting deeper than a parameter file needs. Numbers are
    read in decimal only (``0.4``, ``4e-1``, ``1e3``); ``0x10``, ``0o17``, ``1_000``, ``.nan``,
    ``.inf`` and ``1:30`` stay text, which a number parameter refuses."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ParameterError(f"{event.start_mark.name}, line {event.start_mark.line + 1}: YAML aliases "
                                 f"(*{event.anchor}) are not accepted; write the value out")
        depth = getattr(self, "_depth", 0)
        if depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise ParameterError(f"{mark.name}, line {mark.line + 1}: nested more than {MAX_DEPTH} levels deep")
        self._depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, str):
            raise ParameterError(
                f"{node.start_mark.name}, line {key_node.start_mark.line + 1}: key {shown_value(key)} is not a name")
        if key in seen:
            raise ParameterError(
                f"{node.start_mark.name}, line {key_node.start_mark.line + 1}: key '{key}' is given twice")
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Numbers in decimal only: SafeLoader's int and float resolvers (hex, octal, sexagesimal,
# underscores, .nan, .inf) are replaced by the spellings Python's float() and YAML share.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_UniqueKeyLoader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_UniqueKeyLoader.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(f"^{DECIMAL}$"), list("-+0123456789."))


def _decimal_int(loader, node):
    return int(loader.construct_scalar(node))


def _decimal_float(loader, node):
    return float(loader.construct_scalar(node))


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _decimal_int)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:float", _decimal_float)


def read_yaml(path: Path) -> Any:
    """YAML from a user file, with errors that name the file and line (one line each)."""
    path = Path(path)
    if not path.exists():
        raise ParameterError(f"{path}: file not found")
    if path.is_dir():
        raise ParameterError(f"{path}: is a folder, not a YAML file")
    if not path.is_file():
        raise ParameterError(f"{path}: not a regular file")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_YAML_BYTES + 1)
    except OSError as exc:
        raise ParameterError(f"{path}: cannot read it ({exc.strerror})") from None
    if len(data) > MAX_YAML_BYTES:
        raise ParameterError(f"{path}: larger than {MAX_YAML_BYTES:,} bytes; a parameter file is a few lines")
    if b"\0" in data:
        raise ParameterError(f"{path}: a binary file, not YAML text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ParameterError(f"{path}, line {line}: not UTF-8 text (byte {exc.start})") from None
    try:
        loader = _UniqueKeyLoader(text)
        loader.name = str(path)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark else ""
        raise ParameterError(f"{path}{where}: malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: malformed YAML: {' '.join(str(exc).split())}") from None


def flatten(mapping: dict, where: str) -> dict[str, Any]:
    """Accept ``{"smelting.x": 1}`` or ``{"smelting": {"x": 1}}``; refuse a name given twice."""
    if mapping is None:
        return {}
    if not isinstance(mapping, dict):
        raise ParameterError(f"{where}: expected a mapping of parameter names to values")
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        items = ({f"{key}.{k}": v for k, v in value.items()} if isinstance(value, dict) else {key: value})
        for name, v in items.items():
            if name in out:
                raise ParameterError(f"{where}: parameter '{name}' is set twice")
            out[name] = v
    return out


def find(params: Iterable[Param], name: str) -> Param:
    """The parameter of that full name among some declared ones (a stage reading a sibling's)."""
    for p in params:
        if p.name == name:
            return p
    raise KeyError(f"no parameter '{name}' among those given")
