"""Fast "is this instance clean?" checks, generated from aas-core's own verification code.

aas-core's verification is a tree of generators: every instance, every property and every
constrained string gets a generator of its own, and each error found deep down is passed up
through every level, its path prepended on the way. On a clean 15 MB model that machinery cost
more than the checks themselves (a quarter of a conversion). Most models read for conversion
are clean, so this module asks a cheaper question first: is the instance clean at all?

The answer is generated from the source of aas-core's ``_Transformer`` and ``verify_*``
functions, rewritten statement by statement (with :mod:`ast`), so every condition is aas-core's
own expression, unchanged:

- ``if CONDITION: yield Error(...)`` becomes ``if CONDITION: return False``;
- ``for error in self.transform(EXPR): ...`` becomes a call of the check of ``EXPR``'s class
  (``OK[EXPR.__class__]``), and ``for error in verify_X(EXPR): ...`` a call of the
  generated ``v_X``; a loop over ``enumerate(ITEMS)`` loops over the items;
- a bare ``return`` (aas-core's empty generators) returns True; what follows it never ran;
- anything else stops the generator with an error (aas-core changed: look again).

The first error found ends a check, so a check says False exactly where aas-core yields at
least one error, and True where it yields none. Four shortcuts, all decided before aas-core's
condition and all only ever answering True where it would: a printable text passes
``matches_xml_serializable_string`` (it holds no control character, surrogate or
noncharacter); the verdict on a language tag (a pure function of the text) is cached; an
xs:double in plain notation is consistent with its type (``_PREAMBLE``); and a list's items
are of its type when each class among them, asked of aas-core once in a row, was
(``isinstance`` answers alike for instances of one class). The last two spare a huge
submodel of numbers three calls per number.

The caller (:mod:`aas.checks.memoverify`) asks the root's check first; only when it says False
(or raises) does aas-core's verification run, and it makes every error, path and message as it
always did. ``python -m aas.metamodel.verifyok --write`` regenerates the committed modules
under ``aas/metamodel/generated/``; a test keeps them current.
"""

from __future__ import annotations

import ast
import builtins
import copy
import inspect
import sys
from collections.abc import Callable

from aas.metamodel import codegen
from aas.metamodel.description import describe
from aas.metamodel.names import snake
from aas.model import Root
from aas.versions import Version, binding

#: ``OK[cls](instance, seen)``: whether aas-core's verification finds nothing in ``instance``
#: (``seen``: the instances found clean so far in the run, see ``_REMEMBERED``).
Check = Callable[[Root, set[object]], bool]
GENERATED: codegen.Generated[dict[type, Check]] = codegen.Generated(
    "verify_ok", "aas.metamodel.verifyok", "OK"
)
checks = GENERATED.table
module_path = GENERATED.path

#: The one pattern check with a cheap sufficient condition (see the module's docstring).
_XML_SERIALIZABLE = "matches_xml_serializable_string"
#: Calls with a cheaper sufficient condition put before them, or a cheaper loop (see below).
_XSD_CONSISTENT = "value_consistent_with_xsd_type"
_OF_TYPE = "submodel_element_is_of_type"
#: What those shortcuts use. A double in plain notation (at most 15 digits before the point,
#: an exponent of at most 2 digits) matches aas-core's xs:double pattern and is finite, so
#: aas-core accepts it; anything else is asked of aas-core. ``isinstance`` answers the same for
#: instances of one class, so a list's items are asked of aas-core once per class in a row.
_PREAMBLE = [
    "import re as _re",
    "_XS_DOUBLE = aas_types.DataTypeDefXSD.DOUBLE",
    '_plain_double = _re.compile(r"-?[0-9]{1,15}(?:\\.[0-9]{1,15})?(?:[eE][-+]?[0-9]{1,2})?",'
    " _re.ASCII).fullmatch",
    "",
    "",
    "def _all_of_type(elements, expected):",
    "    same = None",
    "    for element in elements:",
    "        if element.__class__ is not same:",
    f"            if not {_OF_TYPE}(element, expected):",
    "                return False",
    "            same = element.__class__",
    "    return True",
]
_PREAMBLE_DEFINES = ("_XS_DOUBLE", "_plain_double", "_all_of_type")
#: Constrained-string checks whose verdict is cached: few distinct texts, a costly pattern.
_CACHED = frozenset({"verify_bcp_47_language_tag"})


#: Classes whose instances found clean are remembered for the run (``seen``): a model read for
#: conversion shares equal References as one instance (``jsonbuild.sharing``), and a model
#: names the same few concepts thousands of times.
_REMEMBERED = ("Reference",)


def _remembering(class_name: str) -> str:
    return "\n".join(
        [
            f"def c_{class_name}(that, seen):",
            "    if that in seen:",
            "        return True",
            f"    if _c_{class_name}(that, seen):",
            "        seen.add(that)",
            "        return True",
            "    return False",
        ]
    )


class Unexpected(Exception):
    """aas-core's verification holds a statement this generator does not know."""


def _is_self_transform(call: ast.expr) -> bool:
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "transform"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id == "self"
        and len(call.args) == 1
    )


def _is_verify_call(call: ast.expr) -> bool:
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id.startswith("verify_")
        and len(call.args) == 1
    )


def _yields_only(body: list[ast.stmt]) -> bool:
    """Whether ``body`` is ``yield Error(...)`` (or passes an error up: ``yield error``)."""
    return len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Yield)


_FALSE = ast.Return(value=ast.Constant(value=False))
#: The run's set of instances found clean (References only), passed down to every check.
_SEEN = ast.Name(id="seen", ctx=ast.Load())


def _check_of(expr: ast.expr) -> ast.expr:
    """``OK[(x := EXPR).__class__](x)``: the generated check of the instance ``EXPR``."""
    if isinstance(expr, ast.Name):  # a loop's item: no need to bind it
        table = ast.Subscript(
            value=ast.Name(id="OK", ctx=ast.Load()),
            slice=ast.Attribute(value=expr, attr="__class__", ctx=ast.Load()),
            ctx=ast.Load(),
        )
        return ast.Call(func=table, args=[expr, _SEEN], keywords=[])
    bound = ast.NamedExpr(target=ast.Name(id="x", ctx=ast.Store()), value=expr)
    table = ast.Subscript(
        value=ast.Name(id="OK", ctx=ast.Load()),
        slice=ast.Attribute(value=bound, attr="__class__", ctx=ast.Load()),
        ctx=ast.Load(),
    )
    return ast.Call(func=table, args=[ast.Name(id="x", ctx=ast.Load()), _SEEN], keywords=[])


def _unless(test: ast.expr) -> ast.stmt:
    return ast.If(test=ast.UnaryOp(op=ast.Not(), operand=test), body=[_FALSE], orelse=[])


def _statements(body: list[ast.stmt], where: str) -> list[ast.stmt]:
    out: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.Return) and statement.value is None:
            out.append(ast.Return(value=ast.Constant(value=True)))
            return out  # what follows never runs (aas-core's empty generators)
        out.extend(_statement(statement, where))
    return out


def _statement(statement: ast.stmt, where: str) -> list[ast.stmt]:
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return []  # a docstring
    if isinstance(statement, ast.If):
        if _yields_only(statement.body) and not statement.orelse:
            return [ast.If(test=statement.test, body=[_FALSE], orelse=[])]
        if statement.orelse:
            raise Unexpected(f"{where}: an if with an else")
        return [ast.If(test=statement.test, body=_statements(statement.body, where), orelse=[])]
    if isinstance(statement, ast.For) and not statement.orelse:
        if _is_self_transform(statement.iter):
            assert isinstance(statement.iter, ast.Call)
            return [_unless(_check_of(statement.iter.args[0]))]
        if _is_verify_call(statement.iter):
            called = statement.iter
            assert isinstance(called, ast.Call) and isinstance(called.func, ast.Name)
            name = "v_" + called.func.id[len("verify_") :]
            call = ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=called.args, keywords=[])
            return [_unless(call)]
        iterated = statement.iter
        target = statement.target
        if (
            isinstance(iterated, ast.Call)
            and isinstance(iterated.func, ast.Name)
            and iterated.func.id == "enumerate"
            and len(iterated.args) == 1
            and isinstance(target, ast.Tuple)
            and len(target.elts) == 2
        ):
            body = _statements(statement.body, where)
            index = target.elts[0]
            used = any(
                isinstance(node, ast.Name) and isinstance(index, ast.Name) and node.id == index.id
                for item in body
                for node in ast.walk(item)
            )
            if not used:  # the index only named the error's place
                iterated, target = iterated.args[0], target.elts[1]
            return [ast.For(target=target, iter=iterated, body=body, orelse=[])]
    raise Unexpected(f"{where}: {ast.unparse(statement)[:80]}")


class _Shortcuts(ast.NodeTransformer):
    """``matches_xml_serializable_string(NAME)`` -> ``NAME.isprintable() or ...(NAME)``;
    ``value_consistent_with_xsd_type(V, T)`` -> ``(T is _XS_DOUBLE and _plain_double(V)) or
    ...(V, T)``; ``all(submodel_element_is_of_type(E, T) for E in ITEMS)`` ->
    ``_all_of_type(ITEMS, T)`` (see ``_PREAMBLE``)."""

    def visit_Call(self, node: ast.Call) -> ast.expr:
        self.generic_visit(node)
        if not isinstance(node.func, ast.Name):
            return node
        called, args = node.func.id, node.args
        if called == _XML_SERIALIZABLE and len(args) == 1 and isinstance(args[0], ast.Name):
            printable = ast.Call(
                func=ast.Attribute(value=args[0], attr="isprintable", ctx=ast.Load()),
                args=[],
                keywords=[],
            )
            return ast.BoolOp(op=ast.Or(), values=[printable, node])
        if (
            called == _XSD_CONSISTENT
            and len(args) == 2
            and all(isinstance(arg, ast.Name | ast.Attribute) for arg in args)
        ):  # (a method call as the type is not repeated: it is asked once, as aas-core does)
            return ast.BoolOp(op=ast.Or(), values=[_plain_double(args[0], args[1]), node])
        return _all_of_type(node) or node


def _plain_double(value: ast.expr, value_type: ast.expr) -> ast.expr:
    test = f"({ast.unparse(value_type)} is _XS_DOUBLE and _plain_double({ast.unparse(value)}))"
    return ast.parse(test, mode="eval").body


def _all_of_type(node: ast.Call) -> ast.expr | None:
    """``_all_of_type(ITEMS, T)`` for ``all(submodel_element_is_of_type(E, T) for E in ITEMS)``
    (T not naming E), else None."""
    if not (
        isinstance(node.func, ast.Name)
        and node.func.id == "all"
        and len(node.args) == 1
        and isinstance(loop := node.args[0], ast.GeneratorExp)
        and len(loop.generators) == 1
        and not (over := loop.generators[0]).ifs
        and isinstance(over.target, ast.Name)
        and isinstance(each := loop.elt, ast.Call)
        and isinstance(each.func, ast.Name)
        and each.func.id == _OF_TYPE
        and len(each.args) == 2
        and ast.unparse(each.args[0]) == over.target.id
    ):
        return None
    named = over.target.id
    if any(isinstance(n, ast.Name) and n.id == named for n in ast.walk(each.args[1])):
        return None
    call = f"_all_of_type({ast.unparse(over.iter)}, {ast.unparse(each.args[1])})"
    return ast.parse(call, mode="eval").body


def _function(name: str, arguments: list[str], body: list[ast.stmt], where: str) -> ast.FunctionDef:
    statements = _statements(body, where)
    if not statements or not isinstance(statements[-1], ast.Return):
        statements.append(ast.Return(value=ast.Constant(value=True)))
    # Parsed rather than constructed: the fields of a function's node differ across Pythons.
    function = ast.parse(f"def {name}({', '.join(arguments)}): pass").body[0]
    assert isinstance(function, ast.FunctionDef)
    function.body = statements
    fixed: ast.FunctionDef = _Shortcuts().visit(function)
    return ast.fix_missing_locations(fixed)


def _inlinable(function: ast.FunctionDef) -> list[ast.stmt] | None:
    """The conditions of a ``v_`` check that is nothing but ``if CONDITION: return False``
    statements (every constrained string type's is), to be written where it is called;
    None for any other."""
    body = function.body
    if not body or not _returns(body[-1], True):
        return None
    for statement in body[:-1]:
        if not (
            isinstance(statement, ast.If)
            and not statement.orelse
            and len(statement.body) == 1
            and _returns(statement.body[0], False)
        ):
            return None
    return body[:-1]


def _returns(statement: ast.stmt, value: bool) -> bool:
    return (
        isinstance(statement, ast.Return)
        and isinstance(statement.value, ast.Constant)
        and statement.value.value is value
    )


class _Substitute(ast.NodeTransformer):
    """``that`` replaced by the argument a ``v_`` check was called with (a name or an
    attribute of one: reading it again has no effect but the read)."""

    def __init__(self, argument: ast.expr) -> None:
        self.argument = argument

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return copy.deepcopy(self.argument) if node.id == "that" else node


def _inline(statements: list[ast.stmt], inlinable: dict[str, list[ast.stmt]]) -> list[ast.stmt]:
    """``if not v_X(ARGUMENT): return False`` replaced by the conditions of ``v_X``, with
    ``that`` standing for ``ARGUMENT``: a call less per constrained string."""
    out: list[ast.stmt] = []
    for statement in statements:
        called = _called_check(statement)
        if called is not None and called[0] in inlinable:
            name, argument = called
            out += [
                _Substitute(argument).visit(copy.deepcopy(condition))
                for condition in inlinable[name]
            ]
            continue
        if isinstance(statement, ast.If | ast.For):
            # (a check with no conditions, such as a blob's, leaves nothing to do)
            statement.body = _inline(statement.body, inlinable) or [ast.Pass()]
        out.append(statement)
    return out


def _called_check(statement: ast.stmt) -> tuple[str, ast.expr] | None:
    """``(v_X, ARGUMENT)`` of ``if not v_X(ARGUMENT): return False``, else None."""
    if not isinstance(statement, ast.If) or statement.orelse or len(statement.body) != 1:
        return None
    test = statement.test
    if not (isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)):
        return None
    call = test.operand
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Name)
        and call.func.id.startswith("v_")
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Name | ast.Attribute)
        and _returns(statement.body[0], False)
    ):
        return None
    return call.func.id, call.args[0]


def _leaf_loops(
    function: ast.FunctionDef, item_types: dict[str, str], leaves: dict[str, list[ast.stmt]]
) -> None:
    """In ``function``, a loop over a list property whose items are of a leaf class (one whose
    check is nothing but conditions: a language string's, a Key's) checks an item of exactly
    that class in place, a call less per item; an item of any other class is dispatched as
    before (one the checks do not know raises, and aas-core decides)."""
    for node in ast.walk(function):
        if not isinstance(node, ast.For) or len(node.body) != 1:
            continue
        iterated, item = node.iter, node.target
        if not (
            isinstance(iterated, ast.Attribute)
            and isinstance(iterated.value, ast.Name)
            and iterated.value.id == "that"
            and isinstance(item, ast.Name)
        ):
            continue
        class_name = item_types.get(iterated.attr)
        dispatch = node.body[0]
        if class_name not in leaves or not _is_dispatch(dispatch, item.id):
            continue
        exact = ast.Compare(
            left=ast.Attribute(value=ast.Name(id=item.id, ctx=ast.Load()), attr="__class__"),
            ops=[ast.Is()],
            comparators=[
                ast.Attribute(value=ast.Name(id="aas_types", ctx=ast.Load()), attr=class_name)
            ],
        )
        in_place = [
            _Substitute(ast.Name(id=item.id, ctx=ast.Load())).visit(copy.deepcopy(condition))
            for condition in leaves[class_name]
        ]
        node.body = [ast.If(test=exact, body=in_place or [ast.Pass()], orelse=[dispatch])]
    ast.fix_missing_locations(function)


def _is_dispatch(statement: ast.stmt, item: str) -> bool:
    """Whether ``statement`` is ``if not OK[ITEM.__class__](ITEM, seen): return False``."""
    expected = f"if not OK[{item}.__class__]({item}, seen):\n    return False"
    return ast.unparse(statement) == expected


def _free_names(functions: list[ast.FunctionDef], defined: set[str]) -> list[str]:
    """The names the functions read that the generated module must take from aas-core."""
    names: set[str] = set()
    for function in functions:
        local = {arg.arg for arg in function.args.args}
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                local.add(node.id)
        for node in ast.walk(function):
            if not isinstance(node, ast.Name) or not isinstance(node.ctx, ast.Load):
                continue
            if node.id not in local and node.id not in defined:
                names.add(node.id)
    return sorted(name for name in names if not hasattr(builtins, name))


def source(version: Version) -> str:
    """The generated module of ``version``: ``c_<Class>`` per concrete class, ``v_<type>``
    per constrained string type, and ``OK``, the checks by aas-core class."""
    verification = binding(version).verification
    tree = ast.parse(inspect.getsource(verification))
    methods: dict[str, ast.FunctionDef] = {}
    strings: dict[str, ast.FunctionDef] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == "_Transformer":
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name.startswith("transform_"):
                    methods[item.name] = item
        elif isinstance(node, ast.FunctionDef) and node.name.startswith("verify_"):
            strings[node.name] = node  # ("verify" itself, the entry, does not match)
    model = describe(version)
    functions: list[ast.FunctionDef] = []
    for name, node in strings.items():
        function = _function("v_" + name[len("verify_") :], ["that"], node.body, name)
        functions.append(function)
    classes = [cls.name for cls in model.concrete()]
    for class_name in classes:
        method = methods.get(f"transform_{snake(class_name)}")
        if method is None:
            raise Unexpected(f"aas-core verifies no {class_name}")
        checked = f"c_{class_name}" if class_name not in _REMEMBERED else f"_c_{class_name}"
        functions.append(_function(checked, ["that", "seen"], method.body, method.name))
    inlinable = {
        function.name: conditions
        for function in functions
        if function.name.startswith("v_")
        and "verify_" + function.name[len("v_") :] not in _CACHED
        and (conditions := _inlinable(function)) is not None
    }
    for function in functions:
        if not function.name.startswith("v_"):
            function.body = _inline(function.body, inlinable)
            ast.fix_missing_locations(function)
    leaves = {
        function.name[len("c_") :]: conditions
        for function in functions
        if function.name.startswith("c_") and (conditions := _inlinable(function)) is not None
    }
    for function in functions:
        if function.name.startswith(("c_", "_c_")):
            cls = model.classes[function.name.split("c_", 1)[1]]
            items = {p.name: p.type_name for p in cls.properties if p.many and p.type_name}
            _leaf_loops(function, items, leaves)
    defined = {function.name for function in functions} | {"OK", *_PREAMBLE_DEFINES}
    taken = _free_names(functions, defined)
    module = binding(version).verification.__name__
    lines = GENERATED.header(
        version,
        "Whether aas-core's verification finds nothing in an instance",
        "how they are made from aas-core's verification",
        [
            "from functools import lru_cache as _lru_cache",
            f"from {module} import (\n"
            + "".join(f"    {name},\n" for name in sorted({*taken, "aas_types", _OF_TYPE}))
            + ")",
        ],
    )
    lines += ["", *_PREAMBLE]
    for function in functions:
        lines += ["", ""]
        if "verify_" + function.name[len("v_") :] in _CACHED:
            lines.append("@_lru_cache(maxsize=4096)")
        lines.append(ast.unparse(function))
        if function.name.startswith("_c_"):
            lines += ["", "", _remembering(function.name[len("_c_") :])]
    lines += ["", ""]
    lines.append("OK = {")
    lines += [f"    aas_types.{name}: c_{name}," for name in classes]
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(GENERATED.main(sys.argv[1:], source))
