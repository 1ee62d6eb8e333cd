"""Path ids: digits that fit a database integer. A longer number matches no route (404)
instead of overflowing a query."""
from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor):
    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


def register() -> None:
    """Adds the {x:id} convertor under a name of its own: Starlette's int stays as it is for
    everything else in the process. Starlette keeps convertors in one table, read when a Route
    is built, so this runs before any of our route modules is imported (consult/__init__.py)."""
    register_url_convertor("id", IdConvertor())
