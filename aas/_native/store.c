/* The store both parts share (turtle.h): terms interned in an open-addressing table, their
 * text in an arena of large blocks, triples in one growing array; and the Python type that
 * owns a store (aas._turtle.Store). */
#include "turtle.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK (1 << 20) /* arena block size; longer texts get a block of their own */

typedef struct Block {
    struct Block *next;
    size_t used, size;
    char data[];
} Block;

typedef struct {
    uint32_t *slots; /* term id + 1; 0 = empty */
    size_t mask;     /* slots - 1, a power of two less one */
    Block *blocks;
} Impl;

/* Eight bytes at a time (a multiply and a rotate each): terms are hashed once per mention, and
 * a byte-at-a-time hash was the largest part of parsing. */
static uint64_t hash_of(uint8_t kind, const char *text, Py_ssize_t len, uint32_t datatype) {
    const uint64_t k = 0x9E3779B97F4A7C15ULL;
    uint64_t h = (1469598103934665603ULL ^ ((uint64_t)kind << 32) ^ datatype ^ (uint64_t)len) * k;
    size_t n = (size_t)len, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        h = ((h ^ w) * k);
        h ^= h >> 32;
    }
    uint64_t tail = 0;
    if (n > i) memcpy(&tail, text + i, n - i);
    h = (h ^ tail) * k;
    return h ^ (h >> 29);
}

static Impl *impl_of(TTStore *store) {
    if (store->impl == NULL) {
        Impl *impl = calloc(1, sizeof(Impl));
        if (impl == NULL) return NULL;
        impl->mask = 1023;
        impl->slots = calloc(impl->mask + 1, sizeof(uint32_t));
        if (impl->slots == NULL) {
            free(impl);
            return NULL;
        }
        store->impl = impl;
    }
    return store->impl;
}

static char *arena_copy(Impl *impl, const char *text, Py_ssize_t len) {
    Block *block = impl->blocks;
    size_t need = (size_t)len + 1;
    if (block == NULL || block->size - block->used < need) {
        size_t size = need > BLOCK / 4 ? need : BLOCK;
        Block *made = malloc(sizeof(Block) + size);
        if (made == NULL) return NULL;
        made->used = 0;
        made->size = size;
        if (need > BLOCK / 4 && block != NULL) { /* keep filling the current block */
            made->next = block->next;
            block->next = made;
        } else {
            made->next = block;
            impl->blocks = made;
        }
        block = made;
    }
    char *out = block->data + block->used;
    memcpy(out, text, (size_t)len);
    out[len] = '\0';
    block->used += need;
    return out;
}

static int grow_table(TTStore *store, Impl *impl) {
    size_t size = (impl->mask + 1) * 2;
    uint32_t *slots = calloc(size, sizeof(uint32_t));
    if (slots == NULL) return -1;
    for (uint32_t id = 0; id < store->nterms; id++) {
        size_t at = (size_t)store->terms[id].hash & (size - 1);
        while (slots[at] != 0) at = (at + 1) & (size - 1);
        slots[at] = id + 1;
    }
    free(impl->slots);
    impl->slots = slots;
    impl->mask = size - 1;
    return 0;
}

uint32_t tt_intern(TTStore *store, uint8_t kind, const char *text, Py_ssize_t len,
                   uint32_t datatype) {
    Impl *impl = impl_of(store);
    if (impl == NULL) return UINT32_MAX;
    uint64_t hash = hash_of(kind, text, len, datatype);
    size_t at = (size_t)hash & impl->mask;
    for (;;) {
        uint32_t slot = impl->slots[at];
        if (slot == 0) break;
        TTTerm *term = &store->terms[slot - 1];
        if (term->hash == hash && term->kind == kind && term->len == len &&
            term->datatype == datatype && memcmp(term->text, text, (size_t)len) == 0)
            return slot - 1;
        at = (at + 1) & impl->mask;
    }
    if (store->nterms == UINT32_MAX - 1) return UINT32_MAX;
    if (store->nterms == store->cterms) {
        uint32_t size = store->cterms ? store->cterms * 2 : 1024;
        TTTerm *terms = realloc(store->terms, (size_t)size * sizeof(TTTerm));
        if (terms == NULL) return UINT32_MAX;
        store->terms = terms;
        store->cterms = size;
    }
    char *copy = arena_copy(impl, text, len);
    if (copy == NULL) return UINT32_MAX;
    uint32_t id = store->nterms++;
    store->terms[id] = (TTTerm){kind, datatype, copy, len, hash};
    impl->slots[at] = id + 1;
    if ((size_t)store->nterms * 2 > impl->mask + 1 && grow_table(store, impl) < 0)
        return UINT32_MAX;
    return id;
}

int tt_add(TTStore *store, uint32_t s, uint32_t p, uint32_t o) {
    if (store->ntriples == store->ctriples) {
        size_t size = store->ctriples ? store->ctriples * 2 : 4096;
        TTTriple *triples = realloc(store->triples, size * sizeof(TTTriple));
        if (triples == NULL) return -1;
        store->triples = triples;
        store->ctriples = size;
    }
    store->triples[store->ntriples++] = (TTTriple){s, p, o};
    return 0;
}

void tt_store_clear(TTStore *store) {
    Impl *impl = store->impl;
    if (impl != NULL) {
        Block *block = impl->blocks;
        while (block != NULL) {
            Block *next = block->next;
            free(block);
            block = next;
        }
        free(impl->slots);
        free(impl);
    }
    free(store->terms);
    free(store->triples);
    memset(store, 0, sizeof(*store));
}

static void store_dealloc(TTStoreObject *self) {
    tt_store_clear(&self->store);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *store_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    (void)args;
    (void)kwargs;
    TTStoreObject *self = (TTStoreObject *)type->tp_alloc(type, 0);
    if (self != NULL) memset(&self->store, 0, sizeof(self->store));
    return (PyObject *)self;
}

static PyObject *store_len(TTStoreObject *self, PyObject *unused) {
    (void)unused;
    return PyLong_FromSize_t(self->store.ntriples);
}

static PyMethodDef store_methods[] = {
    {"triple_count", (PyCFunction)store_len, METH_NOARGS, "The number of triples."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject TTStoreType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "aas._turtle.Store",
    .tp_basicsize = sizeof(TTStoreObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A parsed Turtle document: its terms and triples (turtle.h).",
    .tp_new = store_new,
    .tp_dealloc = (destructor)store_dealloc,
    .tp_methods = store_methods,
};

int tt_store_init(PyObject *module) {
    if (PyType_Ready(&TTStoreType) < 0) return -1;
    Py_INCREF(&TTStoreType);
    if (PyModule_AddObject(module, "Store", (PyObject *)&TTStoreType) < 0) {
        Py_DECREF(&TTStoreType);
        return -1;
    }
    return 0;
}
