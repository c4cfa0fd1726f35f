"""The root of lf-export's exception tree, and what every branch shares (pickling, field parsing).

`LaserficheError` lives here so that the branches in `_errors` and `_api_errors` can both derive from it
without importing each other; import it, like every other exception, from `_errors`.
"""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = ["LaserficheError"]

_E = TypeVar("_E", bound=BaseException)


def _str_or_none(value: object) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _int_or_none(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        return int(value.strip())
    return None


def _rebuild(cls: type[_E], args: tuple[Any, ...], state: dict[str, Any]) -> _E:
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


class LaserficheError(Exception):
    """Base of every error lf-export raises on purpose."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take keyword-only arguments, which the default exception pickling cannot replay.
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))
