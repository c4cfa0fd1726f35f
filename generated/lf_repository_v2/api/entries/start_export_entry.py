from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_entry_request import ExportEntryRequest
from ...models.problem_details import ProblemDetails
from ...models.start_task_response import StartTaskResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    repository_id: str,
    entry_id: int,
    *,
    body: ExportEntryRequest,
    page_range: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["pageRange"] = page_range

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/Repositories/{repository_id}/Entries/{entry_id}/ExportAsync".format(
            repository_id=quote(str(repository_id), safe=""),
            entry_id=quote(str(entry_id), safe=""),
        ),
        "params": params,
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
    body: ExportEntryRequest,
    page_range: str | Unset = UNSET,
) -> Response[ProblemDetails | StartTaskResponse]:
    """Start exporting an entry as a long operation.

     Starts an export and answers 202 with a task id at once. Poll the task with `ListTasks`; when it is
    `Completed`, `result.uri` is the download link. The task id expires 15 minutes after the export
    completed. Counts against the per-token limit of concurrent long operations (429 when exceeded).
    Not idempotent: a retried request starts a second export.

    Args:
        repository_id (str):
        entry_id (int):
        page_range (str | Unset):
        body (ExportEntryRequest): The body of `ExportEntry` and `StartExportEntry`. Unknown
            members are rejected. Example: {'part': 'Image', 'imageOptions': {'format': 'PDF',
            'watermark': {'text': 'CONFIDENTIAL'}}}.

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
        page_range=page_range,
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
    body: ExportEntryRequest,
    page_range: str | Unset = UNSET,
) -> ProblemDetails | StartTaskResponse | None:
    """Start exporting an entry as a long operation.

     Starts an export and answers 202 with a task id at once. Poll the task with `ListTasks`; when it is
    `Completed`, `result.uri` is the download link. The task id expires 15 minutes after the export
    completed. Counts against the per-token limit of concurrent long operations (429 when exceeded).
    Not idempotent: a retried request starts a second export.

    Args:
        repository_id (str):
        entry_id (int):
        page_range (str | Unset):
        body (ExportEntryRequest): The body of `ExportEntry` and `StartExportEntry`. Unknown
            members are rejected. Example: {'part': 'Image', 'imageOptions': {'format': 'PDF',
            'watermark': {'text': 'CONFIDENTIAL'}}}.

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
        page_range=page_range,
    ).parsed


async def asyncio_detailed(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ExportEntryRequest,
    page_range: str | Unset = UNSET,
) -> Response[ProblemDetails | StartTaskResponse]:
    """Start exporting an entry as a long operation.

     Starts an export and answers 202 with a task id at once. Poll the task with `ListTasks`; when it is
    `Completed`, `result.uri` is the download link. The task id expires 15 minutes after the export
    completed. Counts against the per-token limit of concurrent long operations (429 when exceeded).
    Not idempotent: a retried request starts a second export.

    Args:
        repository_id (str):
        entry_id (int):
        page_range (str | Unset):
        body (ExportEntryRequest): The body of `ExportEntry` and `StartExportEntry`. Unknown
            members are rejected. Example: {'part': 'Image', 'imageOptions': {'format': 'PDF',
            'watermark': {'text': 'CONFIDENTIAL'}}}.

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
        page_range=page_range,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repository_id: str,
    entry_id: int,
    *,
    client: AuthenticatedClient | Client,
    body: ExportEntryRequest,
    page_range: str | Unset = UNSET,
) -> ProblemDetails | StartTaskResponse | None:
    """Start exporting an entry as a long operation.

     Starts an export and answers 202 with a task id at once. Poll the task with `ListTasks`; when it is
    `Completed`, `result.uri` is the download link. The task id expires 15 minutes after the export
    completed. Counts against the per-token limit of concurrent long operations (429 when exceeded).
    Not idempotent: a retried request starts a second export.

    Args:
        repository_id (str):
        entry_id (int):
        page_range (str | Unset):
        body (ExportEntryRequest): The body of `ExportEntry` and `StartExportEntry`. Unknown
            members are rejected. Example: {'part': 'Image', 'imageOptions': {'format': 'PDF',
            'watermark': {'text': 'CONFIDENTIAL'}}}.

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
            page_range=page_range,
        )
    ).parsed
