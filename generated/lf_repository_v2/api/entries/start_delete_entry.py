from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.start_delete_entry_request import StartDeleteEntryRequest
from ...models.start_task_response import StartTaskResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    repository_id: str,
    entry_id: int,
    *,
    body: StartDeleteEntryRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v2/Repositories/{repository_id}/Entries/{entry_id}".format(
            repository_id=quote(str(repository_id), safe=""),
            entry_id=quote(str(entry_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
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

    if response.status_code == 423:
        response_423 = ProblemDetails.from_dict(response.json())

        return response_423

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
    body: StartDeleteEntryRequest | Unset = UNSET,
) -> Response[ProblemDetails | StartTaskResponse]:
    """Start deleting an entry (a folder with everything under it) as a long operation.

     Answers 202 with a task id at once; poll it with `ListTasks` until it ends. A folder is deleted with
    everything under it. A completed delete task has no `result` to rely on: success is the task's
    `Completed` status. Cancelling a delete in progress can leave some entries already deleted. A
    repository may require an audit reason (a `DeleteEntry` reason from `ListAuditReasons`); without it
    the
    task fails with errorCode 216. Counts against the per-token limit of concurrent long operations (429
    when exceeded). Requires OAuth scope `repository.Write`.

    Args:
        repository_id (str):
        entry_id (int):
        body (StartDeleteEntryRequest | Unset): The optional body of `StartDeleteEntry`. Unknown
            members are rejected. Example: {'auditReasonId': 2, 'auditReasonComment': 'Retention
            period ended.'}.

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
    body: StartDeleteEntryRequest | Unset = UNSET,
) -> ProblemDetails | StartTaskResponse | None:
    """Start deleting an entry (a folder with everything under it) as a long operation.

     Answers 202 with a task id at once; poll it with `ListTasks` until it ends. A folder is deleted with
    everything under it. A completed delete task has no `result` to rely on: success is the task's
    `Completed` status. Cancelling a delete in progress can leave some entries already deleted. A
    repository may require an audit reason (a `DeleteEntry` reason from `ListAuditReasons`); without it
    the
    task fails with errorCode 216. Counts against the per-token limit of concurrent long operations (429
    when exceeded). Requires OAuth scope `repository.Write`.

    Args:
        repository_id (str):
        entry_id (int):
        body (StartDeleteEntryRequest | Unset): The optional body of `StartDeleteEntry`. Unknown
            members are rejected. Example: {'auditReasonId': 2, 'auditReasonComment': 'Retention
            period ended.'}.

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
    body: StartDeleteEntryRequest | Unset = UNSET,
) -> Response[ProblemDetails | StartTaskResponse]:
    """Start deleting an entry (a folder with everything under it) as a long operation.

     Answers 202 with a task id at once; poll it with `ListTasks` until it ends. A folder is deleted with
    everything under it. A completed delete task has no `result` to rely on: success is the task's
    `Completed` status. Cancelling a delete in progress can leave some entries already deleted. A
    repository may require an audit reason (a `DeleteEntry` reason from `ListAuditReasons`); without it
    the
    task fails with errorCode 216. Counts against the per-token limit of concurrent long operations (429
    when exceeded). Requires OAuth scope `repository.Write`.

    Args:
        repository_id (str):
        entry_id (int):
        body (StartDeleteEntryRequest | Unset): The optional body of `StartDeleteEntry`. Unknown
            members are rejected. Example: {'auditReasonId': 2, 'auditReasonComment': 'Retention
            period ended.'}.

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
    body: StartDeleteEntryRequest | Unset = UNSET,
) -> ProblemDetails | StartTaskResponse | None:
    """Start deleting an entry (a folder with everything under it) as a long operation.

     Answers 202 with a task id at once; poll it with `ListTasks` until it ends. A folder is deleted with
    everything under it. A completed delete task has no `result` to rely on: success is the task's
    `Completed` status. Cancelling a delete in progress can leave some entries already deleted. A
    repository may require an audit reason (a `DeleteEntry` reason from `ListAuditReasons`); without it
    the
    task fails with errorCode 216. Counts against the per-token limit of concurrent long operations (429
    when exceeded). Requires OAuth scope `repository.Write`.

    Args:
        repository_id (str):
        entry_id (int):
        body (StartDeleteEntryRequest | Unset): The optional body of `StartDeleteEntry`. Unknown
            members are rejected. Example: {'auditReasonId': 2, 'auditReasonComment': 'Retention
            period ended.'}.

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
