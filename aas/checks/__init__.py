"""Checks that hold for a model in any format: the metamodel's constraints and unique ids
(``constraints``), model references that must resolve (``references``), and the JSON Schema
and XSD validators (``schemas``) the JSON and XML formats check their documents with."""
