from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.task_status import TaskStatus
from ..models.task_type import TaskType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.problem_details import ProblemDetails
    from ..models.task_result_type_0 import TaskResultType0


T = TypeVar("T", bound="TaskProgress")


@_attrs_define
class TaskProgress:
    """The progress of one long operation.

    Example:
        {'id': '98b07b1d-2a0f-4f7e-843d-28335a7ddfa2', 'taskType': 'ExportEntry', 'percentComplete': 40, 'status':
            'InProgress', 'startTime': '2023-09-07T14:12:26.6577411Z', 'lastUpdateTime': '2023-09-07T14:12:28.0012345Z',
            'errors': [], 'result': None}

    Attributes:
        id (UUID):
        status (str | TaskStatus): `TaskStatus` as an open enum: one of its values, or a value added by a newer server
            (treat as running).
             Example: InProgress.
        task_type (str | TaskType | Unset): `TaskType` as an open enum: one of its values, or a value added by a newer
            server.
             Example: ExportEntry.
        percent_complete (int | Unset):
        errors (list[ProblemDetails] | Unset): For a `Failed` task, why (one or more ProblemDetails). Empty otherwise.
        result (None | TaskResultType0 | Unset): The result of a completed long operation; null (or absent) while the
            task runs or when it failed. What
            it holds depends on `taskType`:
            * `CopyEntry`: `entryId` is the new entry, `uri` its absolute `GetEntry` URL on the API origin
              (e.g. `https://api.laserfiche.com/repository/v2/Repositories/r-abc123/Entries/2161935`).
            * `ExportEntry`: `uri` is the download link (fetch it without the token; do not log its query string).
            * `SearchEntry`: `entryId` is 0 and `uri` is the results URL
            (`.../v2/Repositories/{repositoryId}/Searches/{taskId}/Results`);
              read the results with `ListSearchResults`.
            * `DeleteEntry`: nothing to rely on; success is the task's `Completed` status.

            A `uri` on the API origin (same scheme, host and port as the base URL) is the API and is fetched with
            the token; a `uri` on any other origin never gets the token.
             Example: {'entryId': 2161949, 'uri':
            'https://storage.example.com/exports/2161949.pdf?sig=abc123&exp=1700000000'}.
        start_time (datetime.datetime | None | Unset): ISO 8601 in UTC, up to 7 fractional digits (e.g.
            `2023-09-07T14:12:26.6577411Z`).
        last_update_time (datetime.datetime | None | Unset): ISO 8601 in UTC, up to 7 fractional digits.
    """

    id: UUID
    status: str | TaskStatus
    task_type: str | TaskType | Unset = UNSET
    percent_complete: int | Unset = UNSET
    errors: list[ProblemDetails] | Unset = UNSET
    result: None | TaskResultType0 | Unset = UNSET
    start_time: datetime.datetime | None | Unset = UNSET
    last_update_time: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_result_type_0 import TaskResultType0

        id = str(self.id)

        status: str
        if isinstance(self.status, TaskStatus):
            status = self.status.value
        else:
            status = self.status

        task_type: str | Unset
        if isinstance(self.task_type, Unset):
            task_type = UNSET
        elif isinstance(self.task_type, TaskType):
            task_type = self.task_type.value
        else:
            task_type = self.task_type

        percent_complete = self.percent_complete

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, TaskResultType0):
            result = self.result.to_dict()
        else:
            result = self.result

        start_time: None | str | Unset
        if isinstance(self.start_time, Unset):
            start_time = UNSET
        elif isinstance(self.start_time, datetime.datetime):
            start_time = self.start_time.isoformat()
        else:
            start_time = self.start_time

        last_update_time: None | str | Unset
        if isinstance(self.last_update_time, Unset):
            last_update_time = UNSET
        elif isinstance(self.last_update_time, datetime.datetime):
            last_update_time = self.last_update_time.isoformat()
        else:
            last_update_time = self.last_update_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
            }
        )
        if task_type is not UNSET:
            field_dict["taskType"] = task_type
        if percent_complete is not UNSET:
            field_dict["percentComplete"] = percent_complete
        if errors is not UNSET:
            field_dict["errors"] = errors
        if result is not UNSET:
            field_dict["result"] = result
        if start_time is not UNSET:
            field_dict["startTime"] = start_time
        if last_update_time is not UNSET:
            field_dict["lastUpdateTime"] = last_update_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.problem_details import ProblemDetails
        from ..models.task_result_type_0 import TaskResultType0

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        def _parse_status(data: object) -> str | TaskStatus:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_task_status_value_type_0 = TaskStatus(data)

                return componentsschemas_task_status_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | TaskStatus, data)

        status = _parse_status(d.pop("status"))

        def _parse_task_type(data: object) -> str | TaskType | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                componentsschemas_task_type_value_type_0 = TaskType(data)

                return componentsschemas_task_type_value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | TaskType | Unset, data)

        task_type = _parse_task_type(d.pop("taskType", UNSET))

        percent_complete = d.pop("percentComplete", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[ProblemDetails] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = ProblemDetails.from_dict(errors_item_data)

                errors.append(errors_item)

        def _parse_result(data: object) -> None | TaskResultType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_task_result_type_0 = TaskResultType0.from_dict(data)

                return componentsschemas_task_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TaskResultType0 | Unset, data)

        result = _parse_result(d.pop("result", UNSET))

        def _parse_start_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_time_type_0 = datetime.datetime.fromisoformat(data)

                return start_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        start_time = _parse_start_time(d.pop("startTime", UNSET))

        def _parse_last_update_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_update_time_type_0 = datetime.datetime.fromisoformat(data)

                return last_update_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_update_time = _parse_last_update_time(d.pop("lastUpdateTime", UNSET))

        task_progress = cls(
            id=id,
            status=status,
            task_type=task_type,
            percent_complete=percent_complete,
            errors=errors,
            result=result,
            start_time=start_time,
            last_update_time=last_update_time,
        )

        task_progress.additional_properties = d
        return task_progress

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
