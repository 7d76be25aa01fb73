"""The error the stacking reads raise for a wrong parameter, naming the parameter."""

from __future__ import annotations


class ParameterError(ValueError):
    """A parameter is wrong; ``parameter`` names it (the API answers 400 under that name,
    the commands print ``--parameter: message``)."""

    def __init__(self, parameter: str, message: str):
        super().__init__(message)
        self.parameter = parameter
