"""XML: the AAS XML serialisation."""
