"""AAS V2.0.1 (and V1.0) input: read into the V2 JSON form, then upgraded to V3.

V2 is read, never written: the formats write V3 only.
"""
