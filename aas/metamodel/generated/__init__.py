"""Code generated from the metamodel description; regenerate, never edit (see each module)."""
