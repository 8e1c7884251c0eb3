"""aluminium: data, models and charts for the Aluminium Chain Book.

The package behind the book's six chapters (macro, bauxite, alumina, smelting, demand,
pricing): the validated data package, chapter parameters, models, key figures and the build.
"""
__version__ = "0.1.0"

from aluminium import lifeline as _lifeline

_lifeline.watch()  # in a process a build started: die with the build (see aluminium.lifeline)
