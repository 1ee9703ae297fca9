"""The one error type for bad input, carrying where and what went wrong."""

from __future__ import annotations


class InputError(Exception):
    """Bad user input: names the file, the line, the field, the value and what is allowed.

    Interfaces print ``str(error)`` as one line and exit with code 2.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        value: object = None,
        allowed: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.allowed = allowed
        super().__init__(self.render())

    def render(self) -> str:
        """The single line shown to the user."""
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        field = self.field if self.field is None or len(self.field) <= 80 else self.field[:77] + "..."
        parts = [p for p in (where, f"field {field!r}" if field else "") if p]
        head = ": ".join(parts)
        text = self.message
        if self.value is not None:
            shown = repr(self.value)
            if len(shown) > 80:
                shown = shown[:77] + "..."
            text += f" (got {shown})"
        if self.allowed:
            allowed = self.allowed if len(self.allowed) <= 400 else self.allowed[:397] + "..."
            text += f"; allowed: {allowed}"
        line = f"{head}: {text}" if head else text
        return " ".join(line.split())

    def at(self, file: str | None = None, line: int | None = None) -> "InputError":
        """A copy of this error located in ``file`` (and ``line``) when it had no location."""
        return InputError(
            self.message,
            file=self.file or file,
            line=self.line or line,
            field=self.field,
            value=self.value,
            allowed=self.allowed,
        )
