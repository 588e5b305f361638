"""Help text a person reads: ``--from FORMAT`` rather than typer's ``--from <str>``.

Typer (0.20 and later) prints the Python type of every parameter in angle brackets
(``<str>``, ``<bool>``, ``<int>``) and writes a required argument as ``{IN}`` in the usage
line. The command's group (:class:`PlainGroup`, the ``cls`` of the ``aas`` app) turns every
parameter below it into one that shows what click always showed: the metavar the option
names, a flag's name alone, a choice's values, and ``IN`` for a required argument. This is
done once, when typer builds the command tree, so a command added with one line in
:mod:`aas.cli.commands` gets it too.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption


class _PlainOption(TyperOption):
    def display_type_rich(self, ctx: Any) -> str | None:
        if self.metavar is not None:
            return self.metavar
        if self.is_flag or self.count:
            return None  # a flag takes no value: nothing to show after it
        return _placeholder(self)

    def _get_number_range_help_str(self) -> str | None:
        # click's "[x>=0]" beside the metavar reads as part of the value; the option's help
        # says what it takes, in words.
        return None


class _PlainArgument(TyperArgument):
    def display_type_rich(self, ctx: Any) -> str | None:
        return None  # the argument's name (its metavar) already says what it is

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        if not self.required:
            name = f"[{name}]"
        if self.nargs != 1 and not name.rstrip("]").endswith("..."):
            name += "..."
        return name


def _placeholder(param: TyperOption) -> str:
    """A choice's values (``text|json``), else the parameter's name in capitals."""
    descriptor = getattr(param, "type_descriptor", None)  # typer 0.20 and later
    choices = getattr(descriptor, "choices", None) or getattr(
        getattr(param, "type", None), "choices", None
    )
    if choices:
        return "|".join(str(getattr(choice, "value", choice)) for choice in choices)
    return (param.name or "value").upper()


def _plain_params(params: list[Any]) -> list[Any]:
    for param in params:
        if type(param) is TyperOption:
            param.__class__ = _PlainOption
        elif type(param) is TyperArgument:
            param.__class__ = _PlainArgument
    return params


def _adopt(command: Any) -> Any:
    """``command`` (a sub-command typer built) as one whose help is plain."""
    if type(command) is TyperGroup:
        command.__class__ = PlainGroup
    elif type(command) is TyperCommand:
        command.__class__ = _PlainCommand
    if command.short_help is None and command.help:
        # The group's list of commands shows the first paragraph of each one's help with its
        # line breaks (typer's rich mode keeps them), which then break mid-sentence.
        command.short_help = " ".join(command.help.strip().split("\n\n")[0].split())
    return command


class _PlainCommand(TyperCommand):
    # The parameters are asked for here, the help option and typer's completion options
    # included (they are made when first asked for).
    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_params(super().get_params(ctx))


class PlainGroup(TyperGroup):
    """The ``aas`` group: its commands' help without type placeholders (see the module)."""

    def get_params(self, ctx: Any) -> list[Any]:
        return _plain_params(super().get_params(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        return None if command is None else _adopt(command)
