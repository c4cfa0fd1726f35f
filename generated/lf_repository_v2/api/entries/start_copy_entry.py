from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.start_copy_entry_request import StartCopyEntryRequest
from ...models.start_task_response import StartTaskResponse
from ...types import Response


def _get_kwargs(
    repository_id: str,
    entry_id: int,
    *,
    body: StartCopyEntryRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/Repositories/{repository_id}/Entries/{entry_id}/Folder/CopyAsync".format(
            repository_id=quote(str(repository_id), safe=""),
            entry_id=quote(str(entry_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | StartTaskResponse | None:
    if response.status_code == 202:
        response_202 = StartTaskResponse.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ProblemDetails.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ProblemDetails | StartTaskResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: StartCopyEntryRequest,
) -> Response[ProblemDetails | StartTaskResponse]:
    """Start copying an entry into a folder as a long operation.

     `entryId` is the **destination folder**; the body's `sourceId` is the entry to copy (a folder is
    copied
    with everything under it). Answers 202 with a task id at once; poll it with `ListTasks`. When the
    task
    is `Completed`, `result.entryId` is the new entry and `result.uri` its absolute `GetEntry` URL on
    the
    API origin (fetch it **with** the token; a `uri` on any other origin never gets the token). `name`
    is
    used as given (no name token substitution); with `autoRename` a name already taken in the
    destination
    gets a suffix such as ` (2)`, without it the copy fails. Cancelling a copy in progress can leave the
    entries copied so far. Counts against the per-token limit of concurrent long operations (429 when
    exceeded). Requires OAuth scope `repository.Write`. Not idempotent: a retried request starts a
    second
    copy.

    Args:
        repository_id (str):
        entry_id (int):
        body (StartCopyEntryRequest): The body of `StartCopyEntry`. Unknown members are rejected.
            Example: {'sourceId': 9, 'name': 'CopiedEntry', 'autoRename': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | StartTaskResponse]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        entry_id=entry_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: StartCopyEntryRequest,
) -> ProblemDetails | StartTaskResponse | None:
    """Start copying an entry into a folder as a long operation.

     `entryId` is the **destination folder**; the body's `sourceId` is the entry to copy (a folder is
    copied
    with everything under it). Answers 202 with a task id at once; poll it with `ListTasks`. When the
    task
    is `Completed`, `result.entryId` is the new entry and `result.uri` its absolute `GetEntry` URL on
    the
    API origin (fetch it **with** the token; a `uri` on any other origin never gets the token). `name`
    is
    used as given (no name token substitution); with `autoRename` a name already taken in the
    destination
    gets a suffix such as ` (2)`, without it the copy fails. Cancelling a copy in progress can leave the
    entries copied so far. Counts against the per-token limit of concurrent long operations (429 when
    exceeded). Requires OAuth scope `repository.Write`. Not idempotent: a retried request starts a
    second
    copy.

    Args:
        repository_id (str):
        entry_id (int):
        body (StartCopyEntryRequest): The body of `StartCopyEntry`. Unknown members are rejected.
            Example: {'sourceId': 9, 'name': 'CopiedEntry', 'autoRename': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | StartTaskResponse
    """

    return sync_detailed(
        repository_id=repository_id,
        entry_id=entry_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: StartCopyEntryRequest,
) -> Response[ProblemDetails | StartTaskResponse]:
    """Start copying an entry into a folder as a long operation.

     `entryId` is the **destination folder**; the body's `sourceId` is the entry to copy (a folder is
    copied
    with everything under it). Answers 202 with a task id at once; poll it with `ListTasks`. When the
    task
    is `Completed`, `result.entryId` is the new entry and `result.uri` its absolute `GetEntry` URL on
    the
    API origin (fetch it **with** the token; a `uri` on any other origin never gets the token). `name`
    is
    used as given (no name token substitution); with `autoRename` a name already taken in the
    destination
    gets a suffix such as ` (2)`, without it the copy fails. Cancelling a copy in progress can leave the
    entries copied so far. Counts against the per-token limit of concurrent long operations (429 when
    exceeded). Requires OAuth scope `repository.Write`. Not idempotent: a retried request starts a
    second
    copy.

    Args:
        repository_id (str):
        entry_id (int):
        body (StartCopyEntryRequest): The body of `StartCopyEntry`. Unknown members are rejected.
            Example: {'sourceId': 9, 'name': 'CopiedEntry', 'autoRename': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | StartTaskResponse]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        entry_id=entry_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: StartCopyEntryRequest,
) -> ProblemDetails | StartTaskResponse | None:
    """Start copying an entry into a folder as a long operation.

     `entryId` is the **destination folder**; the body's `sourceId` is the entry to copy (a folder is
    copied
    with everything under it). Answers 202 with a task id at once; poll it with `ListTasks`. When the
    task
    is `Completed`, `result.entryId` is the new entry and `result.uri` its absolute `GetEntry` URL on
    the
    API origin (fetch it **with** the token; a `uri` on any other origin never gets the token). `name`
    is
    used as given (no name token substitution); with `autoRename` a name already taken in the
    destination
    gets a suffix such as ` (2)`, without it the copy fails. Cancelling a copy in progress can leave the
    entries copied so far. Counts against the per-token limit of concurrent long operations (429 when
    exceeded). Requires OAuth scope `repository.Write`. Not idempotent: a retried request starts a
    second
    copy.

    Args:
        repository_id (str):
        entry_id (int):
        body (StartCopyEntryRequest): The body of `StartCopyEntry`. Unknown members are rejected.
            Example: {'sourceId': 9, 'name': 'CopiedEntry', 'autoRename': True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | StartTaskResponse
    """

    return (
        await asyncio_detailed(
            repository_id=repository_id,
            entry_id=entry_id,
            client=client,
            body=body,
        )
    ).parsed
