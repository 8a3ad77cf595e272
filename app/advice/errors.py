"""Input errors of the advice calculators, with a user-facing message keyed by form field."""

from __future__ import annotations


class AdviceError(ValueError):
    """An input the calculators cannot use; `message` is fit to show to the player."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FieldError(AdviceError):
    """An input error that belongs to one form field (`field` is the input's name)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

    def as_dict(self) -> dict[str, str]:
        """The error as {field: message}, the shape form pages show beside inputs."""
        return {self.field: self.message}
