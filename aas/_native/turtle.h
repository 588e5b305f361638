/* The compiled Turtle reader (module aas._turtle): shared declarations.
 *
 * Two parts, one module:
 *   parse.c  Turtle bytes -> a TTStore: every term once, the triples in the order pyoxigraph
 *            emits them (the Python reader's order, converters/rdf/format.py _Terms.fill);
 *            anything it does not take (RDF 1.2 syntax, relative IRIs, language tags, text
 *            it finds not well-formed, ...) is handed back to the Python reader, never
 *            guessed at.
 *   map.c    a TTStore -> the jsonable the Python reader makes (converters/rdf/mapping.py
 *            to_jsonable) when reading it finds nothing and the project's SHACL shapes find
 *            nothing; else it says why not, and the Python reader reads the document.
 * module.c makes the module of both parts' methods.
 */
#ifndef AAS_TURTLE_H
#define AAS_TURTLE_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include <stdint.h>

enum { TT_IRI = 0, TT_BLANK = 1, TT_LITERAL = 2 };

/* One term. Equal terms are one term (interned): kind, text and datatype compared. */
typedef struct {
    uint8_t kind;
    /* literals: the term id of the datatype IRI (xs:string for a plain "..."); else 0 */
    uint32_t datatype;
    /* UTF-8. IRI: the absolute IRI. Blank node: its label without "_:", as the Python
     * reader names it (pyoxigraph's made-up labels renamed b0, b1, ... in order of first
     * mention; see _Terms in converters/rdf/format.py). Literal: the lexical form, escapes
     * undone. */
    const char *text;
    Py_ssize_t len;
    uint64_t hash;
} TTTerm;

typedef struct {
    uint32_t s, p, o;
} TTTriple;

/* A parsed document. Owned by a TTStoreObject; parse.c allocates and frees it. */
typedef struct {
    TTTerm *terms;
    uint32_t nterms, cterms;
    TTTriple *triples;
    size_t ntriples, ctriples;
    void *impl; /* parse.c's own (the intern table, the text arena) */
} TTStore;

/* The Python object that holds a TTStore (type aas._turtle.Store). */
typedef struct {
    PyObject_HEAD
    TTStore store;
} TTStoreObject;

extern PyTypeObject TTStoreType;

/* parse.c: the term id of (kind, text, datatype), made if new; UINT32_MAX when out of
 * memory. For tests that build a store from Python triples, and for the parser itself. */
uint32_t tt_intern(TTStore *store, uint8_t kind, const char *text, Py_ssize_t len,
                   uint32_t datatype);
/* parse.c: append a triple; 0, or -1 when out of memory. */
int tt_add(TTStore *store, uint32_t s, uint32_t p, uint32_t o);

/* store.c: free what a store holds (it stays usable, empty). */
void tt_store_clear(TTStore *store);
int tt_store_init(PyObject *module);

/* Each part's methods, NULL-terminated; module.c joins them. */
extern PyMethodDef tt_parse_methods[];
extern PyMethodDef tt_map_methods[];
/* Each part's set-up when the module is made (types, constants): 0, or -1 with an error set. */
int tt_parse_init(PyObject *module);
int tt_map_init(PyObject *module);

#endif
