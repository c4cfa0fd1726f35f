from enum import StrEnum


class ImageFormat(StrEnum):
    JPEG = "JPEG"
    MULTIPAGETIFF = "MultiPageTIFF"
    PDF = "PDF"
    PNG = "PNG"
    SINGLEPAGETIFF = "SinglePageTIFF"

    def __str__(self) -> str:
        return str(self.value)
