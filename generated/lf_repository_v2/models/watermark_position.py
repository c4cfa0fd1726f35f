from enum import StrEnum


class WatermarkPosition(StrEnum):
    BOTTOMCENTER = "BottomCenter"
    BOTTOMLEFT = "BottomLeft"
    BOTTOMRIGHT = "BottomRight"
    DEADCENTER = "DeadCenter"
    MIDDLELEFT = "MiddleLeft"
    MIDDLERIGHT = "MiddleRight"
    TOPCENTER = "TopCenter"
    TOPLEFT = "TopLeft"
    TOPRIGHT = "TopRight"

    def __str__(self) -> str:
        return str(self.value)
