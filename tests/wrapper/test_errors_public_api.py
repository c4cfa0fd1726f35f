"""The modules' public names exist, and the examples in their docstrings run."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest
from lf_export import _errors as errors
from lf_export import _options as options
from lf_export import _pages as pages
from lf_export import _text_rules


@pytest.mark.parametrize("module", [errors, pages, options, _text_rules])
def test_all_names_exist(module: ModuleType) -> None:
    names = module.__all__
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(module, name), name


@pytest.mark.parametrize("module", [errors, pages, options, _text_rules])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0


def test_hierarchy() -> None:
    assert issubclass(errors.OptionsError, errors.LaserficheError)
    assert issubclass(errors.OptionsError, ValueError)
    for cls in (
        errors.BadRequestError,
        errors.AuthenticationError,
        errors.AccessDeniedError,
        errors.NotFoundError,
        errors.RequestTooLargeError,
        errors.EntryLockedError,
        errors.RateLimitedError,
        errors.ServerError,
    ):
        assert issubclass(cls, errors.ApiError)
    assert issubclass(errors.AuditReasonRequiredError, errors.BadRequestError)
    for cls in (errors.TaskFailedError, errors.TaskCancelledError, errors.TaskExpiredError):
        assert issubclass(cls, errors.TaskError)
    for cls in (
        errors.ApiError,
        errors.NetworkError,
        errors.TaskError,
        errors.ExportTimeoutError,
        errors.DownloadError,
    ):
        assert issubclass(cls, errors.LaserficheError)
    assert issubclass(errors.OptionsWarning, UserWarning)


def test_positional_forms_of_task_and_download_errors() -> None:
    assert errors.ExportTimeoutError(["a"], True).cancelled is True
    assert errors.DownloadError("gone", "https://h.example/f?sig=1").url == "https://h.example/f"
