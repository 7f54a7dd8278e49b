"""Run the schemathesis CLI with one guard. On CPython 3.11 before 3.11.8 (Debian 12 has 3.11.2),
`ast.parse` deep in a stack can raise SystemError "AST constructor recursion depth mismatch"
(CPython gh-106905). Hypothesis parses source only to print a lambda, so a plain name will do."""

import sys

import hypothesis.internal.lambda_sources as lambda_sources

_describe = lambda_sources._lambda_description


def _guarded(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: ..."


lambda_sources._lambda_description = _guarded

from schemathesis.cli import schemathesis  # noqa: E402

sys.exit(schemathesis())
