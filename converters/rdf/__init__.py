"""RDF: the official AAS RDF mapping in Turtle, N-Triples, JSON-LD and RDF/XML."""
