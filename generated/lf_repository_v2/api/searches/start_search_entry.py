from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.start_search_entry_request import StartSearchEntryRequest
from ...models.start_task_response import StartTaskResponse
from ...types import Response


def _get_kwargs(
    repository_id: str,
    *,
    body: StartSearchEntryRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/Repositories/{repository_id}/Searches/SearchAsync".format(
            repository_id=quote(str(repository_id), safe=""),
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
    *,
    client: AuthenticatedClient | Client,
    body: StartSearchEntryRequest,
) -> Response[ProblemDetails | StartTaskResponse]:
    """Start a search as a long operation.

     Starts a search in Laserfiche search syntax and answers 202 with a task id at once. Poll it with
    `ListTasks`; when it is `Completed`, `result.entryId` is 0 and `result.uri` the results URL: page
    the
    results with `ListSearchResults`. The results are cached about 5 minutes (reading them again keeps
    them).
    Close a search you are done with (`CancelTasks` on its task id): Cloud allows about 2 open searches
    per
    user, and 429 beyond. Not idempotent: a retried request starts a second search.

    Args:
        repository_id (str):
        body (StartSearchEntryRequest): The body of `StartSearchEntry`. Unknown members are
            rejected. Example: {'searchCommand': '{LF:Name="Invoice*", Type="D"} &
            {LF:LOOKIN="\\\\Invoices"}'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | StartTaskResponse]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: StartSearchEntryRequest,
) -> ProblemDetails | StartTaskResponse | None:
    """Start a search as a long operation.

     Starts a search in Laserfiche search syntax and answers 202 with a task id at once. Poll it with
    `ListTasks`; when it is `Completed`, `result.entryId` is 0 and `result.uri` the results URL: page
    the
    results with `ListSearchResults`. The results are cached about 5 minutes (reading them again keeps
    them).
    Close a search you are done with (`CancelTasks` on its task id): Cloud allows about 2 open searches
    per
    user, and 429 beyond. Not idempotent: a retried request starts a second search.

    Args:
        repository_id (str):
        body (StartSearchEntryRequest): The body of `StartSearchEntry`. Unknown members are
            rejected. Example: {'searchCommand': '{LF:Name="Invoice*", Type="D"} &
            {LF:LOOKIN="\\\\Invoices"}'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | StartTaskResponse
    """

    return sync_detailed(
        repository_id=repository_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: StartSearchEntryRequest,
) -> Response[ProblemDetails | StartTaskResponse]:
    """Start a search as a long operation.

     Starts a search in Laserfiche search syntax and answers 202 with a task id at once. Poll it with
    `ListTasks`; when it is `Completed`, `result.entryId` is 0 and `result.uri` the results URL: page
    the
    results with `ListSearchResults`. The results are cached about 5 minutes (reading them again keeps
    them).
    Close a search you are done with (`CancelTasks` on its task id): Cloud allows about 2 open searches
    per
    user, and 429 beyond. Not idempotent: a retried request starts a second search.

    Args:
        repository_id (str):
        body (StartSearchEntryRequest): The body of `StartSearchEntry`. Unknown members are
            rejected. Example: {'searchCommand': '{LF:Name="Invoice*", Type="D"} &
            {LF:LOOKIN="\\\\Invoices"}'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | StartTaskResponse]
    """

    kwargs = _get_kwargs(
        repository_id=repository_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    repository_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: StartSearchEntryRequest,
) -> ProblemDetails | StartTaskResponse | None:
    """Start a search as a long operation.

     Starts a search in Laserfiche search syntax and answers 202 with a task id at once. Poll it with
    `ListTasks`; when it is `Completed`, `result.entryId` is 0 and `result.uri` the results URL: page
    the
    results with `ListSearchResults`. The results are cached about 5 minutes (reading them again keeps
    them).
    Close a search you are done with (`CancelTasks` on its task id): Cloud allows about 2 open searches
    per
    user, and 429 beyond. Not idempotent: a retried request starts a second search.

    Args:
        repository_id (str):
        body (StartSearchEntryRequest): The body of `StartSearchEntry`. Unknown members are
            rejected. Example: {'searchCommand': '{LF:Name="Invoice*", Type="D"} &
            {LF:LOOKIN="\\\\Invoices"}'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | StartTaskResponse
    """

    return (
        await asyncio_detailed(
            repository_id=repository_id,
            client=client,
            body=body,
        )
    ).parsed
