"""The API's paginator."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class Pages(LimitOffsetPagination):
    """``?limit=&offset=`` with bounds, so a huge value is a 422 in Chinese, not a database error:
    use ``@paginate(Pages)`` under ``@allow``."""

    MAX_LIMIT = 500

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500, description="每页条数（1–500）")
        offset: int = Field(0, ge=0, le=1_000_000_000, description="跳过的条数")

    def __init__(self, **kwargs):
        super().__init__(max_limit=self.MAX_LIMIT, **kwargs)
