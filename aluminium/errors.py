"""Errors the book reports to its user: each names the file, row, parameter or chapter at fault."""


class BookError(Exception):
    """Base class: a problem with the user's input or the data, not a bug."""


class DataError(BookError):
    """A data file or the catalogue breaks a rule (message names file, line and rule)."""


class ParameterError(BookError):
    """A parameter override is unknown, of the wrong type or out of range."""


class BuildError(BookError):
    """A chapter failed to execute or the site could not be assembled."""
