"""AAS V2.0.1 (and V1.0) input: JSON told by its shape (``detect``), XML by its namespace and
read into the V2 JSON form (``xml``), then upgraded to V3.0 or V3.1 (``upgrade``) and built
(``build``). V2 is read, never written: the formats write V3 only."""
