"""Contains all the data models used in inputs/outputs"""

from .audit_event_type import AuditEventType
from .audit_reason import AuditReason
from .audit_reason_collection_response import AuditReasonCollectionResponse
from .cancel_task_result import CancelTaskResult
from .cancel_tasks_response import CancelTasksResponse
from .create_access_token_request import CreateAccessTokenRequest
from .create_access_token_request_grant_type import CreateAccessTokenRequestGrantType
from .document import Document
from .document_entry_type import DocumentEntryType
from .entry_base import EntryBase
from .entry_collection_response import EntryCollectionResponse
from .entry_type import EntryType
from .export_entry_request import ExportEntryRequest
from .export_entry_response import ExportEntryResponse
from .export_part import ExportPart
from .field import Field
from .field_collection_response import FieldCollectionResponse
from .field_type import FieldType
from .folder import Folder
from .folder_child_info import FolderChildInfo
from .folder_entry_type import FolderEntryType
from .fuzzy_type import FuzzyType
from .get_entry_by_path_response import GetEntryByPathResponse
from .image_export_options import ImageExportOptions
from .image_format import ImageFormat
from .link import Link
from .link_collection_response import LinkCollectionResponse
from .link_custom_properties import LinkCustomProperties
from .problem_details import ProblemDetails
from .record_series import RecordSeries
from .record_series_entry_type import RecordSeriesEntryType
from .session_key_info import SessionKeyInfo
from .shortcut import Shortcut
from .shortcut_entry_type import ShortcutEntryType
from .start_copy_entry_request import StartCopyEntryRequest
from .start_delete_entry_request import StartDeleteEntryRequest
from .start_search_entry_request import StartSearchEntryRequest
from .start_task_response import StartTaskResponse
from .tag import Tag
from .tag_collection_response import TagCollectionResponse
from .tag_definition_watermark import TagDefinitionWatermark
from .task_collection_response import TaskCollectionResponse
from .task_progress import TaskProgress
from .task_result_type_0 import TaskResultType0
from .task_status import TaskStatus
from .task_type import TaskType
from .text_export_options import TextExportOptions
from .watermark import Watermark
from .watermark_position import WatermarkPosition

__all__ = (
    "AuditEventType",
    "AuditReason",
    "AuditReasonCollectionResponse",
    "CancelTaskResult",
    "CancelTasksResponse",
    "CreateAccessTokenRequest",
    "CreateAccessTokenRequestGrantType",
    "Document",
    "DocumentEntryType",
    "EntryBase",
    "EntryCollectionResponse",
    "EntryType",
    "ExportEntryRequest",
    "ExportEntryResponse",
    "ExportPart",
    "Field",
    "FieldCollectionResponse",
    "FieldType",
    "Folder",
    "FolderChildInfo",
    "FolderEntryType",
    "FuzzyType",
    "GetEntryByPathResponse",
    "ImageExportOptions",
    "ImageFormat",
    "Link",
    "LinkCollectionResponse",
    "LinkCustomProperties",
    "ProblemDetails",
    "RecordSeries",
    "RecordSeriesEntryType",
    "SessionKeyInfo",
    "Shortcut",
    "ShortcutEntryType",
    "StartCopyEntryRequest",
    "StartDeleteEntryRequest",
    "StartSearchEntryRequest",
    "StartTaskResponse",
    "Tag",
    "TagCollectionResponse",
    "TagDefinitionWatermark",
    "TaskCollectionResponse",
    "TaskProgress",
    "TaskResultType0",
    "TaskStatus",
    "TaskType",
    "TextExportOptions",
    "Watermark",
    "WatermarkPosition",
)
