"""AAS V2.0.1: its JSON serialisation detected by shape and upgraded to V3.0 or V3.1
(``upgrade``), the upgraded model built (``build``). V2 is read, never written."""
