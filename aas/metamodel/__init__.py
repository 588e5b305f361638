"""The metamodel: one description of each version's classes (read from aas-core), the names
its serialisations give them, and the generators that write code and schemas from it
(``generated/`` holds what they wrote)."""
