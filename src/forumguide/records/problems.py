"""What a check found: one problem (file, line, field, message) and the error that carries a list of them.

Kept apart from `validate` so that the command line can name them without importing the schema
machinery (jsonschema and friends take a noticeable part of a short command's run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Guidance


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity}: {self.field}: {self.message}"


class HasProblems:
    """Errors and warnings of anything that carries a `problems` list."""

    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


@dataclass
class Report(HasProblems):
    """What loading a project found: every problem, and the model when there is no error."""

    problems: list[Problem] = field(default_factory=list)
    guidance: Guidance | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


class InvalidGuidance(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
