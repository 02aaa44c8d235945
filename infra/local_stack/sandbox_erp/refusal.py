"""What the sandbox ERP refuses to do, as the HTTP status and message its server answers."""

from datetime import UTC, datetime


class Refused(Exception):
    """A request the sandbox does not do: its HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def now_text() -> str:
    """Now, as the sandbox ERP stamps its sales, bookings and errors."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
