from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_entry_request import ExportEntryRequest
from ...models.export_entry_response import ExportEntryResponse
from ...models.problem_details import ProblemDetails
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
        "url": "/v2/Repositories/{repository_id}/Entries/{entry_id}/Export".format(
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
) -> ExportEntryResponse | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = ExportEntryResponse.from_dict(response.json())

        return response_200

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
) -> Response[ExportEntryResponse | ProblemDetails]:
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
) -> Response[ExportEntryResponse | ProblemDetails]:
    """Export an entry and get a download link (simple export).

     Exports the entry synchronously and answers with a download link. The server gives up after about
    60 seconds: use `StartExportEntry` for large documents. Requires OAuth scope `repository.Read`.
    Fetch the link with a plain GET **without** the `Authorization` header.

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
        Response[ExportEntryResponse | ProblemDetails]
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
) -> ExportEntryResponse | ProblemDetails | None:
    """Export an entry and get a download link (simple export).

     Exports the entry synchronously and answers with a download link. The server gives up after about
    60 seconds: use `StartExportEntry` for large documents. Requires OAuth scope `repository.Read`.
    Fetch the link with a plain GET **without** the `Authorization` header.

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
        ExportEntryResponse | ProblemDetails
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
) -> Response[ExportEntryResponse | ProblemDetails]:
    """Export an entry and get a download link (simple export).

     Exports the entry synchronously and answers with a download link. The server gives up after about
    60 seconds: use `StartExportEntry` for large documents. Requires OAuth scope `repository.Read`.
    Fetch the link with a plain GET **without** the `Authorization` header.

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
        Response[ExportEntryResponse | ProblemDetails]
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
) -> ExportEntryResponse | ProblemDetails | None:
    """Export an entry and get a download link (simple export).

     Exports the entry synchronously and answers with a download link. The server gives up after about
    60 seconds: use `StartExportEntry` for large documents. Requires OAuth scope `repository.Read`.
    Fetch the link with a plain GET **without** the `Authorization` header.

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
        ExportEntryResponse | ProblemDetails
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
