"""Path ids: digits that fit a database integer. A longer number matches no route (404)
instead of overflowing a query."""
from starlette.convertors import Convertor, register_url_convertor


class IdConvertor(Convertor):
    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(int(value))


# Registered under "int", so every {x:int} in the routes is bounded.
register_url_convertor("int", IdConvertor())
