"""JSON: the AAS JSON serialisation, read in parts, with source positions."""
