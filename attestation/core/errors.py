class DomainError(Exception):
    """A request that the current state does not allow. `message` is translated and shown to
    the user; `code` is stable for API clients (CONTRACT.md error format)."""

    status = 409

    def __init__(self, message: str, code: str = "conflict", status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        if status is not None:
            self.status = status
