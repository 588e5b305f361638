"""Format plugins: one module per format, registered in aas.formats; installed as aas.converters."""
