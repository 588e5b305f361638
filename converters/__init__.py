"""The formats: one package per format, installed as aas.converters. Each package declares its
formats (an ``aas.formats.Format``, registered as an ``aas.formats`` entry point in
pyproject.toml) and keeps its reader and writer in modules imported only when used."""
