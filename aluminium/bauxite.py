"""The bauxite stage of the chain: its parameters and models."""
from __future__ import annotations

from .params import Param

PARAMETERS: list[Param] = []
