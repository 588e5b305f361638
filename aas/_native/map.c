/* A TTStore -> the AAS jsonable (see turtle.h), with the project's SHACL shapes checked.
 *
 * What converters/rdf/mapping.py to_jsonable makes, for a store where the Python reader
 * would find nothing and the project's shapes (converters/rdf/shapes.py) would give no
 * result; for anything else read() returns a reason (a str) and the Python reader reads the
 * document. Every branch of the Python reader that appends a finding or raises is a hand-over
 * here, as are the rare shapes of data the Python reader does take but this file does not
 * (an untyped node, a node nothing reaches, an empty-list annotation, ...): a hand-over is only
 * slower, a different answer would be a defect.
 *
 * The tables (type aas._turtle.Tables) are made once per version from what
 * converters/rdf/native.py describes (the metamodel and the shapes); sh:pattern other than
 * the XML-characters one is checked by Python: read() collects each such pattern's distinct
 * values. Recursion follows the model's nesting, bounded by the nesting-depth limit and by
 * MAX_LEVELS whatever the limit.
 */
#include "turtle.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LEVELS 4096 /* nodes on one path; deeper hands over (the C stack is bounded) */
#define MAX_PROPS 64    /* properties of one class (AAS classes have at most 20) */
#define MAX_PATTERNS 32

/* The IRIs at fixed ids of every table (native.py _FIXED). */
enum {
    V_TYPE = 0,
    V_INDEX,
    V_EMPTY,
    V_SUBCLASS,
    V_STRING,
    V_BOOLEAN,
    V_INTEGER,
    V_BASE64,
    V_ENVIRONMENT
};
enum { K_STRING = 0, K_BOOL, K_BYTES, K_INT, K_ENUM, K_CLASS };
static const int32_t KIND_DATATYPE[] = {V_STRING, V_BOOLEAN, V_BASE64, V_INTEGER};

typedef struct {
    long min_count, max_count, min_len, max_len; /* -1: none */
    int xml_chars;
    uint32_t patterns;     /* bit k: the Python pattern k */
    uint8_t *in;           /* per vocabulary id: allowed by sh:in; NULL: no sh:in */
    int32_t *classes;      /* sh:class, each required */
    Py_ssize_t nclasses;
    uint8_t **alternatives; /* sh:or: per alternative, per vocabulary id: allowed */
    Py_ssize_t nalternatives;
    int node_kind; /* bits: 1 IRI, 2 blank node, 4 literal */
} Check;

typedef struct {
    int32_t predicate;
    PyObject *key; /* borrowed from the spec */
    int kind, many, supported;
    PyObject **enum_values; /* K_ENUM: per vocabulary id, the value (borrowed) or NULL */
    uint8_t *allowed;       /* K_CLASS: per class index, allowed */
    Check *checks;
    Py_ssize_t nchecks;
} Prop;

typedef struct {
    int32_t type;
    PyObject *model_type; /* borrowed; NULL: none */
    Prop *props;
    Py_ssize_t nprops;
    int supported;
    int16_t *prop_of; /* per vocabulary id: the property's place, or -1 */
    int top;          /* the Environment key's slot, or -1 */
} Class;

typedef struct {
    PyObject_HEAD
    PyObject *spec;
    Py_ssize_t nvocab;
    const char **texts;
    Py_ssize_t *lens;
    uint32_t *slots; /* vocabulary id + 1 by hash; 0 empty */
    size_t mask;
    Class *classes;
    Py_ssize_t nclasses;
    int32_t *class_of; /* per vocabulary id: the class index or -1 */
    PyObject **top_keys; /* borrowed */
    Py_ssize_t ntops;
    /* the Environment's lists in its class's order: predicate and key (for empty lists) */
    int32_t *env_predicates;
    PyObject **env_keys; /* borrowed */
    Py_ssize_t nenv;
    Py_ssize_t npatterns;
    PyObject *iri_type, *blank_type; /* borrowed from the spec */
    void **blocks;
    size_t nblocks, cblocks;
} Tables;

static uint64_t text_hash(const char *text, Py_ssize_t len) {
    uint64_t h = 1469598103934665603ULL;
    for (Py_ssize_t i = 0; i < len; i++) {
        h ^= (unsigned char)text[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

static void *tables_alloc(Tables *t, size_t count, size_t size) {
    if (t->nblocks == t->cblocks) {
        size_t c = t->cblocks ? t->cblocks * 2 : 64;
        void **blocks = PyMem_Realloc(t->blocks, c * sizeof(void *));
        if (blocks == NULL) {
            PyErr_NoMemory();
            return NULL;
        }
        t->blocks = blocks;
        t->cblocks = c;
    }
    void *made = PyMem_Calloc(count ? count : 1, size);
    if (made == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    t->blocks[t->nblocks++] = made;
    return made;
}

static int32_t vocab_find(Tables *t, const char *text, Py_ssize_t len) {
    size_t at = (size_t)text_hash(text, len) & t->mask;
    for (;;) {
        uint32_t slot = t->slots[at];
        if (slot == 0) return -1;
        Py_ssize_t id = (Py_ssize_t)slot - 1;
        if (t->lens[id] == len && memcmp(t->texts[id], text, (size_t)len) == 0)
            return (int32_t)id;
        at = (at + 1) & t->mask;
    }
}

static void tables_dealloc(Tables *t) {
    for (size_t i = 0; i < t->nblocks; i++) PyMem_Free(t->blocks[i]);
    PyMem_Free(t->blocks);
    Py_XDECREF(t->spec);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static PyTypeObject TablesType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "aas._turtle.Tables",
    .tp_basicsize = sizeof(Tables),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "What map.c reads a store by: one version's metamodel and shapes.",
    .tp_dealloc = (destructor)tables_dealloc,
};

/* region making the tables from native.py's spec */

static long as_long(PyObject *item, int *bad) {
    if (!PyLong_Check(item)) {
        *bad = 1;
        return 0;
    }
    long v = PyLong_AsLong(item);
    if (v == -1 && PyErr_Occurred()) *bad = 1;
    return v;
}

static int32_t vocab_id(Tables *t, PyObject *item, int *bad) {
    long v = as_long(item, bad);
    if (*bad || v < 0 || v >= t->nvocab) {
        *bad = 1;
        return 0;
    }
    return (int32_t)v;
}

static uint8_t *id_set(Tables *t, PyObject *ids, int *bad) {
    if (!PyTuple_Check(ids)) {
        *bad = 1;
        return NULL;
    }
    uint8_t *set = tables_alloc(t, (size_t)t->nvocab, 1);
    if (set == NULL) return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(ids); i++) {
        int32_t id = vocab_id(t, PyTuple_GET_ITEM(ids, i), bad);
        if (*bad) return NULL;
        set[id] = 1;
    }
    return set;
}

static int make_check(Tables *t, Check *c, PyObject *spec) {
    int bad = 0;
    if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != 10) goto wrong;
    c->min_count = as_long(PyTuple_GET_ITEM(spec, 0), &bad);
    c->max_count = as_long(PyTuple_GET_ITEM(spec, 1), &bad);
    c->min_len = as_long(PyTuple_GET_ITEM(spec, 2), &bad);
    c->max_len = as_long(PyTuple_GET_ITEM(spec, 3), &bad);
    c->xml_chars = PyObject_IsTrue(PyTuple_GET_ITEM(spec, 4));
    if (bad || c->xml_chars < 0) goto wrong;
    PyObject *patterns = PyTuple_GET_ITEM(spec, 5);
    if (!PyTuple_Check(patterns)) goto wrong;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(patterns); i++) {
        long k = as_long(PyTuple_GET_ITEM(patterns, i), &bad);
        if (bad || k < 0 || k >= MAX_PATTERNS || k >= t->npatterns) goto wrong;
        c->patterns |= (uint32_t)1 << k;
    }
    PyObject *in = PyTuple_GET_ITEM(spec, 6);
    if (in != Py_None) {
        c->in = id_set(t, in, &bad);
        if (c->in == NULL) goto fail;
    }
    PyObject *classes = PyTuple_GET_ITEM(spec, 7);
    if (!PyTuple_Check(classes)) goto wrong;
    c->nclasses = PyTuple_GET_SIZE(classes);
    c->classes = tables_alloc(t, (size_t)c->nclasses, sizeof(int32_t));
    if (c->classes == NULL) return -1;
    for (Py_ssize_t i = 0; i < c->nclasses; i++) {
        c->classes[i] = vocab_id(t, PyTuple_GET_ITEM(classes, i), &bad);
        if (bad) goto wrong;
    }
    PyObject *alternatives = PyTuple_GET_ITEM(spec, 8);
    if (!PyTuple_Check(alternatives)) goto wrong;
    c->nalternatives = PyTuple_GET_SIZE(alternatives);
    c->alternatives = tables_alloc(t, (size_t)c->nalternatives, sizeof(uint8_t *));
    if (c->alternatives == NULL) return -1;
    for (Py_ssize_t i = 0; i < c->nalternatives; i++) {
        c->alternatives[i] = id_set(t, PyTuple_GET_ITEM(alternatives, i), &bad);
        if (c->alternatives[i] == NULL) goto fail;
    }
    c->node_kind = (int)as_long(PyTuple_GET_ITEM(spec, 9), &bad);
    if (bad) goto wrong;
    return 0;
fail:
    if (!bad) return -1;
wrong:
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "tables: a malformed check");
    return -1;
}

static int make_prop(Tables *t, Prop *p, PyObject *spec) {
    int bad = 0;
    if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != 7) goto wrong;
    p->predicate = vocab_id(t, PyTuple_GET_ITEM(spec, 0), &bad);
    p->key = PyTuple_GET_ITEM(spec, 1);
    p->kind = (int)as_long(PyTuple_GET_ITEM(spec, 2), &bad);
    p->many = PyObject_IsTrue(PyTuple_GET_ITEM(spec, 3));
    p->supported = PyObject_IsTrue(PyTuple_GET_ITEM(spec, 6));
    if (bad || !PyUnicode_Check(p->key) || p->kind < K_STRING || p->kind > K_CLASS ||
        p->many < 0 || p->supported < 0)
        goto wrong;
    PyObject *extra = PyTuple_GET_ITEM(spec, 4);
    if (p->kind == K_ENUM) {
        if (!PyDict_Check(extra)) goto wrong;
        p->enum_values = tables_alloc(t, (size_t)t->nvocab, sizeof(PyObject *));
        if (p->enum_values == NULL) return -1;
        Py_ssize_t pos = 0;
        PyObject *k, *v;
        while (PyDict_Next(extra, &pos, &k, &v)) {
            int32_t id = vocab_id(t, k, &bad);
            if (bad || !PyUnicode_Check(v)) goto wrong;
            p->enum_values[id] = v;
        }
    } else if (p->kind == K_CLASS) {
        if (!PyTuple_Check(extra)) goto wrong;
        p->allowed = tables_alloc(t, (size_t)t->nclasses, 1);
        if (p->allowed == NULL) return -1;
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(extra); i++) {
            long ci = as_long(PyTuple_GET_ITEM(extra, i), &bad);
            if (bad || ci < 0 || ci >= t->nclasses) goto wrong;
            p->allowed[ci] = 1;
        }
    }
    PyObject *checks = PyTuple_GET_ITEM(spec, 5);
    if (!PyTuple_Check(checks)) goto wrong;
    p->nchecks = PyTuple_GET_SIZE(checks);
    p->checks = tables_alloc(t, (size_t)p->nchecks, sizeof(Check));
    if (p->checks == NULL) return -1;
    for (Py_ssize_t i = 0; i < p->nchecks; i++)
        if (make_check(t, &p->checks[i], PyTuple_GET_ITEM(checks, i)) < 0) return -1;
    return 0;
wrong:
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "tables: a malformed property");
    return -1;
}

static int make_tables(Tables *t, PyObject *spec) {
    int bad = 0;
    if (!PyTuple_Check(spec) || PyTuple_GET_SIZE(spec) != 7) goto wrong;
    PyObject *vocab = PyTuple_GET_ITEM(spec, 0), *classes = PyTuple_GET_ITEM(spec, 1),
             *tops = PyTuple_GET_ITEM(spec, 2);
    t->npatterns = as_long(PyTuple_GET_ITEM(spec, 3), &bad);
    t->iri_type = PyTuple_GET_ITEM(spec, 4);
    t->blank_type = PyTuple_GET_ITEM(spec, 5);
    if (bad || !PyTuple_Check(vocab) || !PyTuple_Check(classes) || !PyTuple_Check(tops) ||
        t->npatterns < 0 || t->npatterns > MAX_PATTERNS || PyTuple_GET_SIZE(vocab) > INT16_MAX)
        goto wrong;
    t->nvocab = PyTuple_GET_SIZE(vocab);
    if (t->nvocab <= V_ENVIRONMENT) goto wrong;
    t->texts = tables_alloc(t, (size_t)t->nvocab, sizeof(char *));
    t->lens = tables_alloc(t, (size_t)t->nvocab, sizeof(Py_ssize_t));
    size_t size = 64;
    while (size < (size_t)t->nvocab * 4) size *= 2;
    t->slots = tables_alloc(t, size, sizeof(uint32_t));
    t->class_of = tables_alloc(t, (size_t)t->nvocab, sizeof(int32_t));
    if (t->texts == NULL || t->lens == NULL || t->slots == NULL || t->class_of == NULL)
        return -1;
    t->mask = size - 1;
    for (Py_ssize_t i = 0; i < t->nvocab; i++) {
        PyObject *text = PyTuple_GET_ITEM(vocab, i);
        if (!PyUnicode_Check(text)) goto wrong;
        t->texts[i] = PyUnicode_AsUTF8AndSize(text, &t->lens[i]);
        if (t->texts[i] == NULL) return -1;
        if (vocab_find(t, t->texts[i], t->lens[i]) >= 0) goto wrong; /* each IRI once */
        size_t at = (size_t)text_hash(t->texts[i], t->lens[i]) & t->mask;
        while (t->slots[at] != 0) at = (at + 1) & t->mask;
        t->slots[at] = (uint32_t)i + 1;
        t->class_of[i] = -1;
    }
    t->nclasses = PyTuple_GET_SIZE(classes);
    t->classes = tables_alloc(t, (size_t)t->nclasses, sizeof(Class));
    if (t->classes == NULL) return -1;
    for (Py_ssize_t ci = 0; ci < t->nclasses; ci++) {
        Class *c = &t->classes[ci];
        PyObject *cs = PyTuple_GET_ITEM(classes, ci);
        if (!PyTuple_Check(cs) || PyTuple_GET_SIZE(cs) != 4) goto wrong;
        c->type = vocab_id(t, PyTuple_GET_ITEM(cs, 0), &bad);
        if (bad || t->class_of[c->type] >= 0) goto wrong;
        t->class_of[c->type] = (int32_t)ci;
        c->model_type = PyTuple_GET_ITEM(cs, 1);
        if (c->model_type == Py_None) c->model_type = NULL;
        else if (!PyUnicode_Check(c->model_type)) goto wrong;
        c->supported = PyObject_IsTrue(PyTuple_GET_ITEM(cs, 3));
        c->top = -1;
    }
    for (Py_ssize_t ci = 0; ci < t->nclasses; ci++) { /* properties name classes by index */
        Class *c = &t->classes[ci];
        PyObject *props = PyTuple_GET_ITEM(PyTuple_GET_ITEM(classes, ci), 2);
        if (!PyTuple_Check(props) || PyTuple_GET_SIZE(props) > MAX_PROPS) goto wrong;
        c->nprops = PyTuple_GET_SIZE(props);
        c->props = tables_alloc(t, (size_t)c->nprops, sizeof(Prop));
        c->prop_of = tables_alloc(t, (size_t)t->nvocab, sizeof(int16_t));
        if (c->props == NULL || c->prop_of == NULL) return -1;
        for (Py_ssize_t v = 0; v < t->nvocab; v++) c->prop_of[v] = -1;
        for (Py_ssize_t i = 0; i < c->nprops; i++) {
            if (make_prop(t, &c->props[i], PyTuple_GET_ITEM(props, i)) < 0) return -1;
            int32_t predicate = c->props[i].predicate;
            if (predicate <= V_ENVIRONMENT || c->prop_of[predicate] >= 0) goto wrong;
            c->prop_of[predicate] = (int16_t)i;
        }
    }
    t->top_keys = tables_alloc(t, (size_t)PyTuple_GET_SIZE(tops), sizeof(PyObject *));
    if (t->top_keys == NULL) return -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tops); i++) {
        PyObject *top = PyTuple_GET_ITEM(tops, i);
        if (!PyTuple_Check(top) || PyTuple_GET_SIZE(top) != 2) goto wrong;
        long ci = as_long(PyTuple_GET_ITEM(top, 0), &bad);
        PyObject *key = PyTuple_GET_ITEM(top, 1);
        if (bad || ci < 0 || ci >= t->nclasses || !PyUnicode_Check(key)) goto wrong;
        Py_ssize_t slot = 0;
        while (slot < t->ntops) {
            int same = PyUnicode_Compare(t->top_keys[slot], key);
            if (same == -1 && PyErr_Occurred()) return -1;
            if (same == 0) break;
            slot++;
        }
        if (slot == t->ntops) t->top_keys[t->ntops++] = key;
        t->classes[ci].top = (int)slot;
    }
    PyObject *env = PyTuple_GET_ITEM(spec, 6);
    if (!PyTuple_Check(env)) goto wrong;
    t->nenv = PyTuple_GET_SIZE(env);
    t->env_predicates = tables_alloc(t, (size_t)t->nenv, sizeof(int32_t));
    t->env_keys = tables_alloc(t, (size_t)t->nenv, sizeof(PyObject *));
    if (t->env_predicates == NULL || t->env_keys == NULL) return -1;
    for (Py_ssize_t i = 0; i < t->nenv; i++) {
        PyObject *item = PyTuple_GET_ITEM(env, i);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2) goto wrong;
        t->env_predicates[i] = vocab_id(t, PyTuple_GET_ITEM(item, 0), &bad);
        t->env_keys[i] = PyTuple_GET_ITEM(item, 1);
        if (bad || !PyUnicode_Check(t->env_keys[i])) goto wrong;
    }
    return 0;
wrong:
    if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "tables: a malformed spec");
    return -1;
}

static PyObject *tables(PyObject *module, PyObject *spec) {
    (void)module;
    Tables *t = PyObject_New(Tables, &TablesType);
    if (t == NULL) return NULL;
    memset((char *)t + sizeof(PyObject), 0, sizeof(Tables) - sizeof(PyObject));
    Py_INCREF(spec);
    t->spec = spec;
    if (make_tables(t, spec) < 0) {
        Py_DECREF(t);
        return NULL;
    }
    return (PyObject *)t;
}

/* endregion */

/* region reading */

typedef struct {
    Tables *t;
    TTStore *st;
    int shacl;
    long max_depth;
    int32_t *vid;      /* per term: its vocabulary id, or -1 */
    size_t *start;     /* per term: where its triples begin in order[] */
    uint32_t *count;   /* per term: how many triples it is the subject of */
    uint32_t *order;   /* triple indices grouped by subject, in document order */
    int32_t *cls;      /* per subject: its class index */
    uint8_t *visited;
    uint32_t *subjects; /* the subjects in the order the triples first name them */
    size_t nsubjects;
    PyObject **strs;   /* per literal term: its text as a str, made once */
    uint32_t *pmask;   /* per term: the Python patterns it is already pending for */
    PyObject *pending; /* per Python pattern, a list of the distinct values to match */
    PyObject *origins; /* id(object) -> node; NULL when not asked for */
    uint8_t *env_empty; /* per Environment list: named empty by the Environment's node */
    const char *reason;
} Reading;

typedef struct {
    double position;
    size_t number;
    PyObject *value;
} Item;

static int by_position(const void *a, const void *b) {
    const Item *x = a, *y = b;
    if (x->position != y->position) return x->position < y->position ? -1 : 1;
    return x->number < y->number ? -1 : x->number > y->number;
}

static PyObject *hand_over(Reading *r, const char *reason) {
    if (r->reason == NULL) r->reason = reason;
    return NULL;
}

static PyObject *text_of(Reading *r, uint32_t term) {
    PyObject *found = r->strs[term];
    if (found == NULL) {
        TTTerm *tt = &r->st->terms[term];
        found = PyUnicode_DecodeUTF8(tt->text, tt->len, "strict");
        if (found == NULL) {
            if (!PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) return NULL;
            PyErr_Clear();
            return hand_over(r, "a literal that is not UTF-8");
        }
        r->strs[term] = found;
    }
    Py_INCREF(found);
    return found;
}

/* The number of code points of UTF-8 text, and whether each is a character XML 1.0 holds
 * (the shapes' pattern ^[\t\n\r -\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*$). */
static Py_ssize_t code_points(const char *text, Py_ssize_t len, int *xml_ok) {
    Py_ssize_t n = 0;
    *xml_ok = 1;
    for (Py_ssize_t i = 0; i < len;) {
        unsigned char b = (unsigned char)text[i];
        uint32_t cp;
        int extra;
        if (b < 0x80) cp = b, extra = 0;
        else if ((b & 0xE0) == 0xC0) cp = b & 0x1F, extra = 1;
        else if ((b & 0xF0) == 0xE0) cp = b & 0x0F, extra = 2;
        else cp = b & 0x07, extra = 3;
        if (i + extra >= len + (extra == 0)) { /* truncated: not a character at all */
            *xml_ok = 0;
            return n + 1;
        }
        for (int k = 1; k <= extra; k++) cp = (cp << 6) | ((unsigned char)text[i + k] & 0x3F);
        i += extra + 1;
        n++;
        if (!(cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
              (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF)))
            *xml_ok = 0;
    }
    return n;
}

/* A property shape's checks on one value: 0 when it passes, -1 with a reason (or an error). */
static int check_value(Reading *r, const Check *c, uint32_t term) {
    TTTerm *tt = &r->st->terms[term];
    int bit = tt->kind == TT_IRI ? 1 : tt->kind == TT_BLANK ? 2 : 4;
    if (!(c->node_kind & bit)) return hand_over(r, "sh:nodeKind"), -1;
    if (c->in != NULL && (r->vid[term] < 0 || !c->in[r->vid[term]]))
        return hand_over(r, "sh:in"), -1;
    if (c->nclasses || c->nalternatives) {
        /* a value's classes are its types (no rdfs:subClassOf: handed over before) */
        int32_t type = tt->kind == TT_LITERAL || r->cls[term] < 0
                           ? -1
                           : r->t->classes[r->cls[term]].type;
        for (Py_ssize_t i = 0; i < c->nclasses; i++)
            if (type != c->classes[i]) return hand_over(r, "sh:class"), -1;
        for (Py_ssize_t i = 0; i < c->nalternatives; i++)
            if (type < 0 || !c->alternatives[i][type]) return hand_over(r, "sh:or"), -1;
    }
    if (c->min_len >= 0 || c->max_len >= 0 || c->xml_chars || c->patterns) {
        /* only on xs:string literals (native.py's tables leave other values to Python) */
        if (tt->kind != TT_LITERAL) return hand_over(r, "a string constraint on a node"), -1;
        int xml_ok;
        Py_ssize_t n = code_points(tt->text, tt->len, &xml_ok);
        if (c->min_len > 0 && n < c->min_len) return hand_over(r, "sh:minLength"), -1;
        if (c->max_len >= 0 && n > c->max_len) return hand_over(r, "sh:maxLength"), -1;
        if (c->xml_chars && !xml_ok) return hand_over(r, "sh:pattern (XML characters)"), -1;
        uint32_t todo = c->patterns & ~r->pmask[term];
        if (todo) {
            PyObject *text = text_of(r, term);
            if (text == NULL) return -1;
            for (int k = 0; k < MAX_PATTERNS; k++) {
                if (!(todo & ((uint32_t)1 << k))) continue;
                if (PyList_Append(PyTuple_GET_ITEM(r->pending, k), text) < 0) {
                    Py_DECREF(text);
                    return -1;
                }
            }
            Py_DECREF(text);
            r->pmask[term] |= todo;
        }
    }
    return 0;
}

static int plain_digits(const char *text, Py_ssize_t len, int minus_ok, long long *out) {
    Py_ssize_t i = 0;
    int negative = 0;
    if (minus_ok && len > 0 && text[0] == '-') negative = 1, i = 1;
    if (len - i < 1 || len - i > 15) return 0;
    long long v = 0;
    for (; i < len; i++) {
        if (text[i] < '0' || text[i] > '9') return 0;
        v = v * 10 + (text[i] - '0');
    }
    *out = negative ? -v : v;
    return 1;
}

/* base64 that Python's b64decode(validate=True) takes, in its canonical shape only. */
static int base64_ok(const char *text, Py_ssize_t len) {
    if (len % 4 != 0) return 0;
    for (Py_ssize_t i = 0; i < len; i++) {
        char ch = text[i];
        int alpha = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                    (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
        if (alpha) continue;
        if (ch != '=') return 0;
        /* padding: the last one or two characters only */
        if (!(i == len - 1 || (i == len - 2 && text[len - 1] == '='))) return 0;
    }
    return 1;
}

/* The index annotation of a node: 1 with *index set, 0 when it has none, -1 (hand-over). */
static int index_of(Reading *r, uint32_t node, long long *index) {
    TTStore *st = r->st;
    size_t from = r->start[node];
    int found = 0;
    for (uint32_t i = 0; i < r->count[node]; i++) {
        TTTriple *tr = &st->triples[r->order[from + i]];
        if (r->vid[tr->p] != V_INDEX) continue;
        TTTerm *o = &st->terms[tr->o];
        if (found || o->kind != TT_LITERAL || !plain_digits(o->text, o->len, 0, index)) {
            hand_over(r, "an index annotation that is not one plain integer");
            return -1;
        }
        found = 1;
    }
    return found;
}

static PyObject *read_node(Reading *r, uint32_t node, long depth, long level);

static PyObject *value_of(Reading *r, const Prop *p, uint32_t o, long depth, long level) {
    TTTerm *term = &r->st->terms[o];
    if (p->kind == K_CLASS) {
        if (term->kind == TT_LITERAL) return hand_over(r, "a literal where a node belongs");
        if (r->count[o] == 0 || r->cls[o] < 0) return hand_over(r, "a node without a type");
        if (!p->allowed[r->cls[o]]) return hand_over(r, "a node of a class the property does not allow");
        long step = p->many ? 2 : 1;
        if (depth + step > r->max_depth) return hand_over(r, "deeper than the nesting-depth limit");
        return read_node(r, o, depth + step, level + 1);
    }
    if (p->kind == K_ENUM) {
        int32_t v = r->vid[o];
        if (term->kind != TT_IRI || v < 0 || p->enum_values[v] == NULL)
            return hand_over(r, "not a value of the enumeration");
        if (r->count[o] != 0) return hand_over(r, "an enumeration value that is a node too");
        Py_INCREF(p->enum_values[v]);
        return p->enum_values[v];
    }
    if (term->kind != TT_LITERAL) return hand_over(r, "a node where a literal belongs");
    if (r->vid[term->datatype] != KIND_DATATYPE[p->kind])
        return hand_over(r, "a datatype other than the mapping's");
    if (p->kind == K_BOOL) {
        if (term->len == 4 && memcmp(term->text, "true", 4) == 0) Py_RETURN_TRUE;
        if (term->len == 1 && term->text[0] == '1') Py_RETURN_TRUE;
        if (term->len == 5 && memcmp(term->text, "false", 5) == 0) Py_RETURN_FALSE;
        if (term->len == 1 && term->text[0] == '0') Py_RETURN_FALSE;
        return hand_over(r, "not a boolean");
    }
    if (p->kind == K_INT) {
        long long v;
        if (!plain_digits(term->text, term->len, 1, &v)) return hand_over(r, "not a plain integer");
        return PyLong_FromLongLong(v);
    }
    if (p->kind == K_BYTES && !base64_ok(term->text, term->len))
        return hand_over(r, "base64 not in its plain form");
    return text_of(r, o);
}

static int has_duplicates(const uint32_t *objects, size_t n) {
    if (n <= 32) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (objects[i] == objects[j]) return 1;
        return 0;
    }
    return -1; /* the caller sorts a copy */
}

static int compare_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static PyObject *read_list(Reading *r, const Prop *p, const uint32_t *objects, size_t n,
                           long depth, long level) {
    int dup = has_duplicates(objects, n);
    if (dup < 0) {
        uint32_t *copy = PyMem_Malloc(n * sizeof(uint32_t));
        if (copy == NULL) return PyErr_NoMemory();
        memcpy(copy, objects, n * sizeof(uint32_t));
        qsort(copy, n, sizeof(uint32_t), compare_u32);
        dup = 0;
        for (size_t i = 1; i < n; i++)
            if (copy[i] == copy[i - 1]) dup = 1;
        PyMem_Free(copy);
    }
    if (dup) return hand_over(r, "a statement made twice");
    PyObject *list = PyList_New((Py_ssize_t)n);
    if (list == NULL) return NULL;
    if (n == 1 || p->kind != K_CLASS) { /* literals keep the document's order */
        for (size_t i = 0; i < n; i++) {
            PyObject *value = value_of(r, p, objects[i], depth, level);
            if (value == NULL) {
                Py_DECREF(list);
                return NULL;
            }
            PyList_SET_ITEM(list, (Py_ssize_t)i, value);
        }
        return list;
    }
    Item *items = PyMem_Calloc(n, sizeof(Item));
    if (items == NULL) {
        Py_DECREF(list);
        return PyErr_NoMemory();
    }
    size_t made = 0;
    PyObject *result = list;
    for (size_t i = 0; i < n; i++) {
        long long index;
        int has = r->st->terms[objects[i]].kind == TT_LITERAL ? 0 : index_of(r, objects[i], &index);
        if (has < 0) {
            result = NULL;
            break;
        }
        items[i].position = has ? (double)index : (double)i + 1e9;
        items[i].number = i;
        items[i].value = value_of(r, p, objects[i], depth, level);
        if (items[i].value == NULL) {
            result = NULL;
            break;
        }
        made++;
    }
    if (result != NULL) {
        qsort(items, n, sizeof(Item), by_position);
        for (size_t i = 0; i < n; i++) PyList_SET_ITEM(list, (Py_ssize_t)i, items[i].value);
    } else {
        for (size_t i = 0; i < made; i++) Py_DECREF(items[i].value);
        Py_DECREF(list);
    }
    PyMem_Free(items);
    return result;
}

static PyObject *read_node(Reading *r, uint32_t node, long depth, long level) {
    if (level > MAX_LEVELS) return hand_over(r, "nested deeper than the compiled reader goes");
    if (r->visited[node]) return hand_over(r, "a node read twice (or a cycle)");
    r->visited[node] = 1;
    const Class *c = &r->t->classes[r->cls[node]];
    if (!c->supported) return hand_over(r, "a class whose shapes the compiled reader does not check");
    TTStore *st = r->st;
    size_t from = r->start[node];
    uint32_t k = r->count[node];
    uint32_t counts[MAX_PROPS] = {0};
    uint64_t empty = 0; /* the properties the node names as empty lists */
    int indexes = 0;
    for (uint32_t i = 0; i < k; i++) {
        TTTriple *tr = &st->triples[r->order[from + i]];
        int32_t v = r->vid[tr->p];
        if (v == V_TYPE) continue; /* one, an IRI: checked when the store was indexed */
        if (v == V_EMPTY) { /* the Python reader takes the IRIs of its properties, no other */
            int32_t named = r->vid[tr->o];
            int16_t at = named >= 0 ? c->prop_of[named] : -1;
            if (at >= 0) empty |= (uint64_t)1 << at;
            continue;
        }
        if (v == V_INDEX) {
            if (indexes++) return hand_over(r, "two index annotations");
            continue;
        }
        int16_t at = v >= 0 ? c->prop_of[v] : -1;
        if (at < 0) return hand_over(r, "a predicate the class does not have");
        counts[at]++;
    }
    PyObject *value = PyDict_New();
    if (value == NULL) return NULL;
    uint32_t *objects = NULL;
    size_t cobjects = 0;
    for (Py_ssize_t pi = 0; pi < c->nprops; pi++) {
        const Prop *p = &c->props[pi];
        uint32_t n = counts[pi];
        if (r->shacl)
            for (Py_ssize_t ci = 0; ci < p->nchecks; ci++) {
                const Check *ch = &p->checks[ci];
                if ((ch->min_count >= 0 && n < (uint32_t)ch->min_count) ||
                    (ch->max_count >= 0 && n > (uint32_t)ch->max_count)) {
                    hand_over(r, "sh:minCount or sh:maxCount");
                    goto fail;
                }
            }
        if (n == 0) {
            if (p->many && (empty >> pi) & 1) {
                PyObject *list = PyList_New(0);
                int failed = list == NULL || PyDict_SetItem(value, p->key, list) < 0;
                Py_XDECREF(list);
                if (failed) goto fail;
            }
            continue;
        }
        if (!p->supported) {
            hand_over(r, "a property whose shapes the compiled reader does not check");
            goto fail;
        }
        if (!p->many && n > 1) {
            hand_over(r, "too many values");
            goto fail;
        }
        if (n > cobjects) {
            PyMem_Free(objects);
            objects = PyMem_Malloc(n * sizeof(uint32_t));
            if (objects == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            cobjects = n;
        }
        size_t got = 0;
        for (uint32_t i = 0; i < k && got < n; i++) {
            TTTriple *tr = &st->triples[r->order[from + i]];
            if (r->vid[tr->p] == p->predicate) objects[got++] = tr->o;
        }
        if (r->shacl)
            for (size_t i = 0; i < n; i++)
                for (Py_ssize_t ci = 0; ci < p->nchecks; ci++)
                    if (check_value(r, &p->checks[ci], objects[i]) < 0) goto fail;
        PyObject *item = p->many ? read_list(r, p, objects, n, depth, level)
                                 : value_of(r, p, objects[0], depth, level);
        if (item == NULL) goto fail;
        int failed = PyDict_SetItem(value, p->key, item);
        Py_DECREF(item);
        if (failed < 0) goto fail;
    }
    PyMem_Free(objects);
    objects = NULL;
    if (c->model_type != NULL && PyDict_SetItemString(value, "modelType", c->model_type) < 0)
        goto fail;
    if (r->origins != NULL) {
        TTTerm *tt = &st->terms[node];
        PyObject *name;
        if (tt->kind == TT_IRI) {
            name = PyObject_CallFunction(r->t->iri_type, "s#", tt->text, tt->len);
        } else {
            name = PyObject_CallFunction(r->t->blank_type, "s#", tt->text, tt->len);
        }
        if (name == NULL) goto fail;
        PyObject *id = PyLong_FromVoidPtr(value);
        int failed = id == NULL || PyDict_SetItem(r->origins, id, name) < 0;
        Py_XDECREF(id);
        Py_DECREF(name);
        if (failed) goto fail;
    }
    return value;
fail:
    PyMem_Free(objects);
    Py_DECREF(value);
    return NULL;
}

/* The Environment's own node (untyped: it names the Environment's empty lists and nothing
 * else, as the writers make it), read into env_empty and marked read; anything else it
 * states hands over. 0, or -1. */
static int environment_node(Reading *r) {
    Tables *t = r->t;
    TTStore *st = r->st;
    for (size_t i = 0; i < r->nsubjects; i++) {
        uint32_t s = r->subjects[i];
        if (r->vid[s] != V_ENVIRONMENT) continue;
        if (r->cls[s] >= 0) return hand_over(r, "the Environment's node has a type"), -1;
        r->env_empty = PyMem_Calloc(t->nenv ? (size_t)t->nenv : 1, 1);
        if (r->env_empty == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        for (uint32_t k = 0; k < r->count[s]; k++) {
            TTTriple *tr = &st->triples[r->order[r->start[s] + k]];
            if (r->vid[tr->p] != V_EMPTY || st->terms[tr->o].kind != TT_IRI)
                return hand_over(r, "the Environment's node states more than empty lists"), -1;
            for (Py_ssize_t e = 0; e < t->nenv; e++)
                if (r->vid[tr->o] == t->env_predicates[e]) r->env_empty[e] = 1;
        }
        r->visited[s] = 1;
    }
    return 0;
}

/* Index the store: vocabulary ids of its IRIs, triples grouped by subject, each subject's one
 * type. 0, or -1 with a reason or an error. */
static int index_store(Reading *r) {
    TTStore *st = r->st;
    Tables *t = r->t;
    size_t nterms = st->nterms;
    r->vid = PyMem_Malloc((nterms ? nterms : 1) * sizeof(int32_t));
    r->start = PyMem_Calloc(nterms ? nterms : 1, sizeof(size_t));
    r->count = PyMem_Calloc(nterms ? nterms : 1, sizeof(uint32_t));
    r->cls = PyMem_Malloc((nterms ? nterms : 1) * sizeof(int32_t));
    r->visited = PyMem_Calloc(nterms ? nterms : 1, 1);
    r->subjects = PyMem_Malloc((nterms ? nterms : 1) * sizeof(uint32_t));
    r->strs = PyMem_Calloc(nterms ? nterms : 1, sizeof(PyObject *));
    r->pmask = PyMem_Calloc(nterms ? nterms : 1, sizeof(uint32_t));
    r->order = PyMem_Malloc((st->ntriples ? st->ntriples : 1) * sizeof(uint32_t));
    if (!r->vid || !r->start || !r->count || !r->cls || !r->visited || !r->subjects ||
        !r->strs || !r->pmask || !r->order) {
        PyErr_NoMemory();
        return -1;
    }
    if (st->ntriples >= UINT32_MAX) return hand_over(r, "too many triples"), -1;
    for (size_t i = 0; i < nterms; i++) {
        TTTerm *tt = &st->terms[i];
        r->vid[i] = tt->kind == TT_IRI ? vocab_find(t, tt->text, tt->len) : -1;
        r->cls[i] = -1;
    }
    for (size_t i = 0; i < st->ntriples; i++) {
        TTTriple *tr = &st->triples[i];
        if (tr->s >= nterms || tr->p >= nterms || tr->o >= nterms)
            return hand_over(r, "a store out of bounds"), -1;
        if (st->terms[tr->s].kind == TT_LITERAL || st->terms[tr->p].kind != TT_IRI)
            return hand_over(r, "a literal subject or a predicate that is no IRI"), -1;
        if (st->terms[tr->o].kind == TT_LITERAL && st->terms[tr->o].datatype >= nterms)
            return hand_over(r, "a store out of bounds"), -1;
        int32_t p = r->vid[tr->p];
        if (p == V_SUBCLASS) return hand_over(r, "rdfs:subClassOf"), -1;
        if (r->count[tr->s]++ == 0) r->subjects[r->nsubjects++] = tr->s;
        if (p == V_TYPE) {
            int32_t o = r->vid[tr->o];
            if (r->cls[tr->s] != -1) return hand_over(r, "a node with two types"), -1;
            if (o < 0 || t->class_of[o] < 0) return hand_over(r, "a type that is no AAS class"), -1;
            r->cls[tr->s] = t->class_of[o];
        }
    }
    size_t at = 0;
    for (size_t i = 0; i < r->nsubjects; i++) {
        uint32_t s = r->subjects[i];
        if (r->cls[s] < 0 && r->vid[s] != V_ENVIRONMENT)
            return hand_over(r, "a node without a type"), -1;
        r->start[s] = at;
        at += r->count[s];
    }
    /* fill: a second cursor per subject, reusing visited[] as "placed" would not do; the
     * counts are rebuilt as the triples are placed */
    for (size_t i = 0; i < r->nsubjects; i++) r->count[r->subjects[i]] = 0;
    for (size_t i = 0; i < st->ntriples; i++) {
        uint32_t s = st->triples[i].s;
        r->order[r->start[s] + r->count[s]++] = (uint32_t)i;
    }
    return environment_node(r);
}

static void reading_free(Reading *r) {
    if (r->strs != NULL)
        for (size_t i = 0; i < r->st->nterms; i++) Py_XDECREF(r->strs[i]);
    PyMem_Free(r->vid);
    PyMem_Free(r->start);
    PyMem_Free(r->count);
    PyMem_Free(r->cls);
    PyMem_Free(r->visited);
    PyMem_Free(r->subjects);
    PyMem_Free(r->strs);
    PyMem_Free(r->pmask);
    PyMem_Free(r->order);
    PyMem_Free(r->env_empty);
    Py_XDECREF(r->pending);
}

typedef struct {
    double position;
    size_t number;
    PyObject *value;
    int slot;
} Top;

static int by_top(const void *a, const void *b) {
    const Top *x = a, *y = b;
    if (x->slot != y->slot) return x->slot < y->slot ? -1 : 1;
    if (x->position != y->position) return x->position < y->position ? -1 : 1;
    return x->number < y->number ? -1 : x->number > y->number;
}

static PyObject *environment(Reading *r) {
    Tables *t = r->t;
    Top *tops = PyMem_Calloc(r->nsubjects ? r->nsubjects : 1, sizeof(Top));
    int *first = PyMem_Malloc((t->ntops ? (size_t)t->ntops : 1) * sizeof(int));
    PyObject *env = NULL;
    size_t ntops = 0;
    if (tops == NULL || first == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    int seen = 0; /* the keys in the order their first identifiable is read */
    for (Py_ssize_t i = 0; i < t->ntops; i++) first[i] = -1;
    for (size_t i = 0; i < r->nsubjects; i++) {
        uint32_t s = r->subjects[i];
        if (r->cls[s] < 0) continue; /* the Environment's node */
        const Class *c = &t->classes[r->cls[s]];
        if (c->top < 0) continue; /* read again if read already: read_node hands over */
        long long index;
        int has = index_of(r, s, &index);
        if (has < 0) goto done;
        PyObject *value = read_node(r, s, 3, 1);
        if (value == NULL) goto done;
        if (first[c->top] < 0) first[c->top] = seen++;
        tops[ntops++] = (Top){has ? (double)index : (double)i + 1e9, i, value, first[c->top]};
    }
    for (size_t i = 0; i < r->nsubjects; i++)
        if (!r->visited[r->subjects[i]]) {
            hand_over(r, "a node nothing reaches");
            goto done;
        }
    qsort(tops, ntops, sizeof(Top), by_top);
    env = PyDict_New();
    if (env == NULL) goto done;
    for (size_t i = 0; i < ntops;) {
        size_t j = i;
        while (j < ntops && tops[j].slot == tops[i].slot) j++;
        PyObject *list = PyList_New((Py_ssize_t)(j - i));
        if (list == NULL) {
            Py_CLEAR(env);
            goto done;
        }
        for (size_t k = i; k < j; k++) {
            PyList_SET_ITEM(list, (Py_ssize_t)(k - i), tops[k].value);
            tops[k].value = NULL;
        }
        PyObject *key = NULL;
        for (Py_ssize_t slot = 0; slot < t->ntops; slot++)
            if (first[slot] == tops[i].slot) key = t->top_keys[slot];
        int failed = key == NULL || PyDict_SetItem(env, key, list) < 0;
        Py_DECREF(list);
        if (failed) {
            Py_CLEAR(env);
            goto done;
        }
        i = j;
    }
    for (Py_ssize_t e = 0; env != NULL && r->env_empty != NULL && e < t->nenv; e++) {
        if (!r->env_empty[e]) continue;
        int there = PyDict_Contains(env, t->env_keys[e]);
        PyObject *list = there == 0 ? PyList_New(0) : NULL;
        if (there < 0 || (there == 0 && (list == NULL ||
                                         PyDict_SetItem(env, t->env_keys[e], list) < 0)))
            Py_CLEAR(env);
        Py_XDECREF(list);
    }
done:
    if (tops != NULL)
        for (size_t i = 0; i < ntops; i++) Py_XDECREF(tops[i].value);
    PyMem_Free(tops);
    PyMem_Free(first);
    return env;
}

static PyObject *map_read(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *store, *tables_obj;
    long max_depth;
    int shacl, want_origins;
    if (!PyArg_ParseTuple(args, "O!O!lpp", &TTStoreType, &store, &TablesType, &tables_obj,
                          &max_depth, &shacl, &want_origins))
        return NULL;
    Reading r = {0};
    r.t = (Tables *)tables_obj;
    r.st = &((TTStoreObject *)store)->store;
    r.shacl = shacl;
    r.max_depth = max_depth;
    PyObject *result = NULL, *env = NULL;
    if (r.st->ntriples == 0) {
        r.reason = "an empty document";
        goto done;
    }
    r.pending = PyTuple_New(r.t->npatterns);
    if (r.pending == NULL) goto done;
    for (Py_ssize_t k = 0; k < r.t->npatterns; k++) {
        PyObject *list = PyList_New(0);
        if (list == NULL) goto done;
        PyTuple_SET_ITEM(r.pending, k, list);
    }
    if (want_origins && (r.origins = PyDict_New()) == NULL) goto done;
    if (index_store(&r) < 0) goto done;
    env = environment(&r);
    if (env != NULL)
        result = PyTuple_Pack(3, env, r.origins ? r.origins : Py_None, r.pending);
done:
    Py_XDECREF(env);
    Py_XDECREF(r.origins);
    if (result == NULL && !PyErr_Occurred())
        result = PyUnicode_FromString(r.reason ? r.reason : "not read");
    reading_free(&r);
    return result;
}

/* endregion */

/* first_type(store, prefixes, rdf_type): the place in ``prefixes`` of the namespace of the
 * first rdf:type IRI, in the order mapping.version_of_graph looks (subjects in the order the
 * triples first name them, each one's triples in order); -1 when none. */
static PyObject *first_type(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *store, *prefixes;
    const char *rdf_type;
    Py_ssize_t type_len;
    if (!PyArg_ParseTuple(args, "O!O!s#", &TTStoreType, &store, &PyTuple_Type, &prefixes,
                          &rdf_type, &type_len))
        return NULL;
    TTStore *st = &((TTStoreObject *)store)->store;
    size_t nterms = st->nterms;
    size_t *rank = PyMem_Malloc((nterms ? nterms : 1) * sizeof(size_t));
    if (rank == NULL) return PyErr_NoMemory();
    for (size_t i = 0; i < nterms; i++) rank[i] = SIZE_MAX;
    size_t next = 0, best_rank = SIZE_MAX;
    long best = -1;
    for (size_t i = 0; i < st->ntriples; i++) {
        TTTriple *tr = &st->triples[i];
        if (tr->s >= nterms || tr->p >= nterms || tr->o >= nterms) break;
        if (rank[tr->s] == SIZE_MAX) rank[tr->s] = next++;
        if (rank[tr->s] >= best_rank) continue; /* an earlier subject found one already */
        TTTerm *p = &st->terms[tr->p], *o = &st->terms[tr->o];
        if (p->len != type_len || memcmp(p->text, rdf_type, (size_t)type_len) != 0 ||
            o->kind != TT_IRI)
            continue;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(prefixes); k++) {
            Py_ssize_t len;
            const char *prefix = PyUnicode_AsUTF8AndSize(PyTuple_GET_ITEM(prefixes, k), &len);
            if (prefix == NULL) {
                PyMem_Free(rank);
                return NULL;
            }
            if (o->len >= len && memcmp(o->text, prefix, (size_t)len) == 0) {
                best = (long)k;
                best_rank = rank[tr->s];
                break;
            }
        }
    }
    PyMem_Free(rank);
    return PyLong_FromLong(best);
}

/* store_from_triples(triples, Iri, Blank): a store of (subject, predicate, object) named as
 * converters/rdf/format.py _Terms names them; for tests and for measuring read() alone. */
static uint32_t term_of(TTStore *st, PyObject *term, PyObject *iri_type, PyObject *blank_type) {
    Py_ssize_t len;
    const char *text;
    if (PyObject_TypeCheck(term, (PyTypeObject *)blank_type)) {
        text = PyUnicode_AsUTF8AndSize(term, &len);
        if (text == NULL) return UINT32_MAX - 1;
        if (len < 2) return UINT32_MAX - 1;
        return tt_intern(st, TT_BLANK, text + 2, len - 2, 0);
    }
    if (PyUnicode_Check(term)) {
        text = PyUnicode_AsUTF8AndSize(term, &len);
        if (text == NULL) return UINT32_MAX - 1;
        return tt_intern(st, TT_IRI, text, len, 0);
    }
    (void)iri_type;
    PyObject *lexical = PyObject_GetAttrString(term, "lexical");
    PyObject *datatype = lexical ? PyObject_GetAttrString(term, "datatype") : NULL;
    uint32_t id = UINT32_MAX - 1;
    if (datatype != NULL && PyUnicode_Check(lexical) && PyUnicode_Check(datatype)) {
        Py_ssize_t dlen;
        const char *dtext = PyUnicode_AsUTF8AndSize(datatype, &dlen);
        text = PyUnicode_AsUTF8AndSize(lexical, &len);
        if (dtext != NULL && text != NULL) {
            uint32_t d = tt_intern(st, TT_IRI, dtext, dlen, 0);
            id = d == UINT32_MAX ? UINT32_MAX : tt_intern(st, TT_LITERAL, text, len, d);
        }
    }
    Py_XDECREF(lexical);
    Py_XDECREF(datatype);
    if (id == UINT32_MAX - 1 && !PyErr_Occurred())
        PyErr_SetString(PyExc_TypeError, "store_from_triples: a term of no known kind");
    return id;
}

static PyObject *store_from_triples(PyObject *module, PyObject *args) {
    (void)module;
    PyObject *triples, *iri_type, *blank_type;
    if (!PyArg_ParseTuple(args, "OOO", &triples, &iri_type, &blank_type)) return NULL;
    if (!PyType_Check(blank_type)) {
        PyErr_SetString(PyExc_TypeError, "Blank must be a type");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(triples, "triples must be a sequence");
    if (seq == NULL) return NULL;
    TTStoreObject *made = (TTStoreObject *)TTStoreType.tp_new(&TTStoreType, NULL, NULL);
    if (made == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    TTStore *st = &made->store;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *triple = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyTuple_Check(triple) || PyTuple_GET_SIZE(triple) != 3) {
            PyErr_SetString(PyExc_TypeError, "store_from_triples: a triple is a 3-tuple");
            goto fail;
        }
        uint32_t ids[3];
        for (int k = 0; k < 3; k++) {
            ids[k] = term_of(st, PyTuple_GET_ITEM(triple, k), iri_type, blank_type);
            if (ids[k] >= UINT32_MAX - 1) {
                if (!PyErr_Occurred()) PyErr_NoMemory();
                goto fail;
            }
        }
        if (tt_add(st, ids[0], ids[1], ids[2]) < 0) {
            PyErr_NoMemory();
            goto fail;
        }
    }
    Py_DECREF(seq);
    return (PyObject *)made;
fail:
    Py_DECREF(seq);
    Py_DECREF(made);
    return NULL;
}

PyMethodDef tt_map_methods[] = {
    {"tables", (PyCFunction)tables, METH_O, "tables(spec): map.c's tables of one version."},
    {"read", (PyCFunction)map_read, METH_VARARGS,
     "read(store, tables, max_depth, shacl, origins): (jsonable, origins, pending) or a reason."},
    {"first_type", (PyCFunction)first_type, METH_VARARGS,
     "first_type(store, prefixes, rdf_type): the place of the first type's namespace, or -1."},
    {"store_from_triples", (PyCFunction)store_from_triples, METH_VARARGS,
     "store_from_triples(triples, Iri, Blank): a store of Python terms (tests)."},
    {NULL, NULL, 0, NULL},
};

int tt_map_init(PyObject *module) {
    if (PyType_Ready(&TablesType) < 0) return -1;
    Py_INCREF(&TablesType);
    if (PyModule_AddObject(module, "Tables", (PyObject *)&TablesType) < 0) {
        Py_DECREF(&TablesType);
        return -1;
    }
    return 0;
}
