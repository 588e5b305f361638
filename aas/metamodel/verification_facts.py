"""What aas-core's verification code says about constrained strings and lengths, read for the
schema generator (:mod:`aas.metamodel.schemagen`, build time) only.

aas-core exposes the metamodel's constraints only as code: which constrained string type a
property has (``IdShortType``, ``Identifier``, ...) is the ``verify_<type>(that.<property>)``
call in its ``transform_<class>`` method, what that type allows (length, pattern) is the body
of ``verify_<type>``, and which lists must not be empty are ``if not (len(that.x) >= 1)``
invariants. There is no table of them to import, so they are read from the source with
``ast``. That reading takes some 80 ms a version, which is why it is here and not in
:func:`aas.metamodel.description.describe`, which the library calls at run time (the RDF
mapping, paths): nothing at run time needs these facts, since aas-core checks the constraints
itself. The patterns themselves are this project's (``aas/metamodel/patterns.py``).
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from functools import cache

from aas.metamodel.classes import class_names
from aas.metamodel.names import snake
from aas.versions import Version, binding

#: (class, property), as aas-core names them: ("Referable", "id_short").
Key = tuple[str, str]


@dataclass(frozen=True)
class Constrained:
    """A constrained string type of the metamodel (``IdShortType``), as its verifier checks it."""

    name: str  # the verify function's stem, such as "id_short_type"
    min_length: int | None = None
    max_length: int | None = None
    patterns: tuple[str, ...] = ()  # names of aas.metamodel.patterns entries
    base64: bool = False


@dataclass(frozen=True)
class VerificationFacts:
    """The constrained types and length invariants of one version's classes."""

    #: (class, property) -> the constrained type its values have
    constrained: dict[Key, Constrained]
    #: (class, property) -> (minimum, maximum) length (items of a list, characters of a
    #: string) that the class's invariants put on it
    lengths: dict[Key, tuple[int | None, int | None]]

    def length(self, class_name: str, attribute: str) -> tuple[int | None, int | None]:
        return self.lengths.get((class_name, attribute), (None, None))


@cache
def verification_facts(version: Version) -> VerificationFacts:
    """The facts of ``version``, read once from aas-core's verification module."""
    bound = binding(version)
    tree = ast.parse(inspect.getsource(bound.verification))
    verifiers = {
        node.name.removeprefix("verify_"): _constrained_of(node)
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("verify_")
    }
    by_method = {snake(name): name for name in class_names(bound).values()}
    constrained: dict[Key, Constrained] = {}
    lengths: dict[Key, tuple[int | None, int | None]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("transform_")):
            continue
        class_name = by_method.get(node.name.removeprefix("transform_"))
        if class_name is None:
            continue
        for inner in ast.walk(node):
            call = _verify_call(inner)
            if call is not None and call[0] in verifiers:
                constrained[(class_name, call[1])] = verifiers[call[0]]
        # Plain invariants on a property's length stand alone as `if not (...)` in the
        # method body; lengths inside the numbered constraints' conditions are not bounds.
        for statement in node.body:
            if isinstance(statement, ast.If) and isinstance(statement.test, ast.UnaryOp):
                bound_found = _length_invariant(statement.test.operand)
                if bound_found is not None:
                    attribute, minimum, maximum = bound_found
                    old_min, old_max = lengths.get((class_name, attribute), (None, None))
                    lengths[(class_name, attribute)] = (
                        minimum if minimum is not None else old_min,
                        maximum if maximum is not None else old_max,
                    )
    return VerificationFacts(constrained, lengths)


def _verify_call(node: ast.AST) -> tuple[str, str] | None:
    """``verify_<type>(that.<attribute>)`` -> (type, attribute)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("verify_")
        and node.args
        and isinstance(node.args[0], ast.Attribute)
        and isinstance(node.args[0].value, ast.Name)
        and node.args[0].value.id == "that"
    ):
        return node.func.id.removeprefix("verify_"), node.args[0].attr
    return None


def _length_invariant(test: ast.expr) -> tuple[str, int | None, int | None] | None:
    """``len(that.x) >= n``, ``len(that.x) <= n``, or either behind ``not (that.x is not None)
    or ...`` (an optional property) -> (x, minimum, maximum)."""
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.Or) and len(test.values) == 2:
        test = test.values[1]
    if not (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Call)
        and isinstance(test.left.func, ast.Name)
        and test.left.func.id == "len"
        and test.left.args
        and isinstance(test.left.args[0], ast.Attribute)
        and isinstance(test.left.args[0].value, ast.Name)
        and test.left.args[0].value.id == "that"
        and len(test.ops) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and isinstance(test.comparators[0].value, int)
    ):
        return None
    attribute = test.left.args[0].attr
    value = test.comparators[0].value
    if isinstance(test.ops[0], ast.GtE):
        return attribute, value, None
    if isinstance(test.ops[0], ast.LtE):
        return attribute, None, value
    return None


def _constrained_of(function: ast.FunctionDef) -> Constrained:
    """Lengths and patterns a ``verify_<type>(that)`` function checks."""
    minimum = maximum = None
    patterns: list[str] = []
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id.startswith("matches_")
            and node.func.id.removeprefix("matches_") not in patterns
        ):
            patterns.append(node.func.id.removeprefix("matches_"))
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Call)
            and isinstance(node.left.func, ast.Name)
            and node.left.func.id == "len"
            and isinstance(node.comparators[0], ast.Constant)
            and isinstance(node.comparators[0].value, int)
        ):
            bound = node.comparators[0].value
            if isinstance(node.ops[0], ast.GtE):
                minimum = bound
            elif isinstance(node.ops[0], ast.LtE):
                maximum = bound
    name = function.name.removeprefix("verify_")
    return Constrained(name, minimum, maximum, tuple(patterns), base64=name == "blob_type")
