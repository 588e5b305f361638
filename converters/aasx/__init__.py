"""AASX: the package format (IDTA-01005), an OPC archive of JSON or XML parts."""
