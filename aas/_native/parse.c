/* Turtle bytes -> a TTStore (see turtle.h).
 *
 * A recursive-descent parser over a hand-written lexer, bounded in depth (MAX_DEPTH levels
 * of '[' and '(': deeper input is handed back, never recursed into). It takes the Turtle 1.1
 * that writers produce and hands everything else back to the Python reader (pyoxigraph) with
 * a short reason: it must give pyoxigraph's exact triples or nothing.
 *
 * The order of the triples is pyoxigraph's (oxttl's). oxttl is a state machine fed one token
 * at a time; the triples one token completes are collected and then given out last first.
 * So here every triple is "emitted" while the token that completes it in oxttl is the current
 * token, into a small pending list, and the list is stored in reverse when the lexer moves on.
 * Which token completes a triple: a plain object's own token; a string's the token after it
 * (or its datatype's); '[ ... ]' and '()' their closing token; a collection's link to its first
 * cell that cell's first token, and each rdf:rest link the next element's first token.
 *
 * Blank nodes are named as the Python reader names them (converters/rdf/format.py _Terms):
 * pyoxigraph's made-up labels, and written labels of the same form, become b0, b1, ... in the
 * order the stored triples first mention them (subject before object); other labels are kept.
 * Until a triple is stored a blank node is a "ref" with BLANK_BIT set: an index into a table
 * that gets its term when the node is first stored. */
#include "turtle.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 1000
#define MAX_LINE ((size_t)8 << 20) /* pyoxigraph refuses lines near 16 MiB */
#define BLANK_BIT 0x80000000u
#define NO_TERM UINT32_MAX

#define RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define XSD "http://www.w3.org/2001/XMLSchema#"

enum {
    T_EOF,
    T_IRI,    /* <...>: text decoded */
    T_PNAME,  /* prefix (raw, src) and local (decoded, text) */
    T_BLANK,  /* _:label: text */
    T_STRING, /* any of the four quotes: text decoded */
    T_INTEGER,
    T_DECIMAL,
    T_DOUBLE,
    T_WORD,   /* a bare word: a, true, false, PREFIX, BASE */
    T_AT,     /* @prefix or @base: text the word */
    T_PUNCT,  /* one of . , ; [ ] ( ) and ^^ (as '^') */
};

typedef struct {
    int kind;
    char punct;
    const char *prefix; /* T_PNAME: the prefix as written (ASCII, checked) */
    size_t prefix_len;
    char *text; /* decoded text (in one of the two token buffers) */
    size_t len;
    size_t at; /* offset of the token in the input */
} Token;

typedef struct {
    char *name;
    size_t name_len;
    char *iri;
    size_t iri_len;
} Prefix;

typedef struct {
    uint32_t s, p, o;
} Ref3;

typedef struct {
    const unsigned char *src;
    size_t n, pos;
    TTStore *store;
    Token tok;
    /* Two token buffers, used in turn: a string's text stays valid while the token after it
     * is read (to see whether a datatype follows). */
    char *buf[2];
    size_t cap[2];
    int which;
    char *scratch; /* a prefixed name's IRI, a blank node's new name */
    size_t scratch_cap;
    Prefix *prefixes;
    size_t nprefixes, cprefixes;
    Ref3 *pending;
    size_t npending, cpending;
    uint32_t *blanks; /* term id of each blank ref, NO_TERM until first stored */
    size_t nblanks, cblanks;
    TTStore labels; /* written labels of the renamed form -> blank ref (by term id) */
    uint32_t *label_refs;
    size_t clabel_refs;
    uint32_t renamed;
    int depth;
    uint32_t rdf_type, rdf_first, rdf_rest, rdf_nil;
    uint32_t xsd_string, xsd_integer, xsd_decimal, xsd_double, xsd_boolean;
    /* What a relative reference is appended to (RFC 3986 5.2.2 and 5.2.3 for a reference
     * with a path and no dot segments, against a base without dot segments); NULL when the
     * base is one this parser does not resolve against. */
    char *base_prefix;
    size_t base_prefix_len;
    const char *why; /* the reason it is not taken; NULL while all is well */
    size_t why_at;
    int nomem;
} P;

/* ---- failing ---------------------------------------------------------------------------- */

static int fail_at(P *p, const char *why, size_t at) {
    if (p->why == NULL && !p->nomem) {
        p->why = why;
        p->why_at = at;
    }
    return -1;
}

static int fail(P *p, const char *why) { return fail_at(p, why, p->tok.at); }

static int oom(P *p) {
    p->nomem = 1;
    return -1;
}

static int reserve(P *p, void **items, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 0;
    size_t next = *cap ? *cap : 16;
    while (next < need) {
        if (next > ((size_t)PY_SSIZE_T_MAX / size) / 2) return oom(p);
        next *= 2;
    }
    void *grown = realloc(*items, next * size);
    if (grown == NULL) return oom(p);
    *items = grown;
    *cap = next;
    return 0;
}

/* ---- terms and triples ------------------------------------------------------------------ */

static uint32_t intern(P *p, uint8_t kind, const char *text, size_t len, uint32_t datatype) {
    uint32_t id = tt_intern(p->store, kind, text, (Py_ssize_t)len, datatype);
    if (id == NO_TERM) {
        oom(p);
    } else if (id & BLANK_BIT) { /* a term id must not read as a blank ref */
        fail(p, "more than 2**31 terms");
        return NO_TERM;
    }
    return id;
}

static uint32_t new_blank(P *p) {
    if (p->nblanks >= BLANK_BIT - 1) {
        fail(p, "too many blank nodes");
        return NO_TERM;
    }
    if (reserve(p, (void **)&p->blanks, &p->cblanks, p->nblanks + 1, sizeof(uint32_t)) < 0)
        return NO_TERM;
    p->blanks[p->nblanks] = NO_TERM;
    return (uint32_t)(p->nblanks++) | BLANK_BIT;
}

static int emit(P *p, uint32_t s, uint32_t pr, uint32_t o) {
    if (reserve(p, (void **)&p->pending, &p->cpending, p->npending + 1, sizeof(Ref3)) < 0)
        return -1;
    p->pending[p->npending++] = (Ref3){s, pr, o};
    return 0;
}

/* The term of a ref: a blank ref is named when first stored. */
static uint32_t resolve(P *p, uint32_t ref) {
    if (!(ref & BLANK_BIT)) return ref;
    uint32_t *slot = &p->blanks[ref & ~BLANK_BIT];
    if (*slot == NO_TERM) {
        char digits[12], name[16];
        size_t n = 0, len = 0;
        uint32_t number = p->renamed++;
        do digits[n++] = (char)('0' + number % 10);
        while ((number /= 10) != 0);
        name[len++] = 'b';
        while (n > 0) name[len++] = digits[--n];
        *slot = intern(p, TT_BLANK, name, len, 0);
    }
    return *slot;
}

/* Store the pending triples, last first (see the top of the file). */
static int flush(P *p) {
    while (p->npending > 0) {
        Ref3 t = p->pending[--p->npending];
        uint32_t s = resolve(p, t.s);
        uint32_t o = resolve(p, t.o);
        if (s == NO_TERM || o == NO_TERM || tt_add(p->store, s, t.p, o) < 0) return oom(p);
    }
    return 0;
}

/* ---- characters ------------------------------------------------------------------------- */

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int hex_value(int c) {
    return is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : c - 'A' + 10;
}

static int is_ws(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

enum { PN_NOT = 0, PN_OTHER = 1, PN_U = 2, PN_BASE = 3 };

/* The Turtle class of the character at i: PN_BASE (PN_CHARS_BASE), PN_U ('_'), PN_OTHER (the
 * rest of PN_CHARS: '-', digits, U+00B7, U+0300-036F, U+203F-2040) or PN_NOT; *len its bytes.
 * The input is valid UTF-8 (checked first). */
static int pn_class(const P *p, size_t i, size_t *len) {
    const unsigned char *u = p->src + i;
    unsigned c = u[0];
    *len = 1;
    if (c < 0x80) {
        if (is_alpha((int)c)) return PN_BASE;
        if (c == '_') return PN_U;
        return (is_digit((int)c) || c == '-') ? PN_OTHER : PN_NOT;
    }
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    if (i + n > p->n) return PN_NOT;
    uint32_t cp = c & (0x7Fu >> n);
    for (size_t k = 1; k < n; k++) cp = (cp << 6) | (u[k] & 0x3Fu);
    *len = n;
    if ((cp >= 0xC0 && cp <= 0xD6) || (cp >= 0xD8 && cp <= 0xF6) || (cp >= 0xF8 && cp <= 0x2FF) ||
        (cp >= 0x370 && cp <= 0x37D) || (cp >= 0x37F && cp <= 0x1FFF) ||
        (cp >= 0x200C && cp <= 0x200D) || (cp >= 0x2070 && cp <= 0x218F) ||
        (cp >= 0x2C00 && cp <= 0x2FEF) || (cp >= 0x3001 && cp <= 0xD7FF) ||
        (cp >= 0xF900 && cp <= 0xFDCF) || (cp >= 0xFDF0 && cp <= 0xFFFD) ||
        (cp >= 0x10000 && cp <= 0xEFFFF))
        return PN_BASE;
    if (cp == 0xB7 || (cp >= 0x300 && cp <= 0x36F) || (cp >= 0x203F && cp <= 0x2040))
        return PN_OTHER;
    return PN_NOT;
}

/* What may follow a bare word, a name or a number: anything else (N3 paths '/', '^', '!',
 * '{', language tags, ...) is handed back rather than lexed as oxttl might. */
static int ends_word(P *p, size_t at) {
    if (at >= p->n) return 1;
    switch (p->src[at]) {
    case ' ': case '\t': case '\n': case '\r': case ',': case ';': case '.': case ')': case ']':
    case '(': case '[': case '#': case '<': case '"': case '\'':
        return 1;
    default:
        return 0;
    }
}

/* Valid UTF-8 (no surrogates, no overlongs, at most U+10FFFF) and no line longer than
 * MAX_LINE: else 0. */
static int check_text(P *p) {
    const unsigned char *s = p->src;
    size_t n = p->n, i = 0, line_start = 0;
    while (i < n) {
        /* eight ASCII bytes at a time where there is no newline among them */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ULL) break;
            uint64_t x = w ^ 0x0A0A0A0A0A0A0A0AULL; /* a zero byte where '\n' was */
            if ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned c = s[i];
        if (c < 0x80) {
            if (c == '\n') {
                if (i - line_start > MAX_LINE) return fail_at(p, "a line longer than 8 MiB", i), 0;
                line_start = i + 1;
            }
            i++;
            continue;
        }
        size_t len;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return fail_at(p, "invalid UTF-8", i), 0;
        }
        if (i + len > n) return fail_at(p, "invalid UTF-8", i), 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80) return fail_at(p, "invalid UTF-8", i), 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return fail_at(p, "invalid UTF-8", i), 0;
        i += len;
    }
    if (n - line_start > MAX_LINE) return fail_at(p, "a line longer than 8 MiB", n), 0;
    return 1;
}

/* The length of the UTF-8 character at t if it is an RFC 3987 ucschar, else 0 (not one, or
 * not valid UTF-8; iprivate, allowed only in a query, is not taken either). */
static size_t ucschar_len(const char *t, size_t n) {
    const unsigned char *u = (const unsigned char *)t;
    size_t len = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 0;
    if (len == 0 || len > n || u[0] > 0xF4) return 0;
    uint32_t cp = u[0] & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((u[k] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (u[k] & 0x3F);
    }
    if (cp < 0x80 || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
    if ((cp >= 0xA0 && cp <= 0xD7FF) || (cp >= 0xF900 && cp <= 0xFDCF) ||
        (cp >= 0xFDF0 && cp <= 0xFFEF))
        return len;
    if (cp >= 0x10000 && cp < 0xF0000 && (cp & 0xFFFF) <= 0xFFFD && !(cp >= 0xE0000 && cp < 0xE1000))
        return len;
    return 0;
}

/* A conservative check of an absolute IRI, stricter than oxiri: a scheme; an authority of
 * ASCII reg-name characters and a numeric port (no user information, no '['); a path, query
 * and fragment of ASCII IRI characters and ucschar; no second '#'. */
static int iri_ok(const char *t, size_t n) {
    size_t i = 0;
    if (n == 0 || !is_alpha((unsigned char)t[0])) return 0;
    while (i < n && (is_alpha((unsigned char)t[i]) || is_digit((unsigned char)t[i]) ||
                     t[i] == '+' || t[i] == '-' || t[i] == '.'))
        i++;
    if (i >= n || t[i] != ':') return 0;
    i++;
    int part = 0; /* 0 path, 1 query, 2 fragment */
    if (i + 1 < n && t[i] == '/' && t[i + 1] == '/') {
        i += 2;
        size_t colon = SIZE_MAX;
        while (i < n && t[i] != '/' && t[i] != '?' && t[i] != '#') {
            unsigned char c = (unsigned char)t[i];
            if (c == '@') {
                return 0; /* user information: rare, and oxiri is particular about it */
            } else if (c == ':') {
                if (colon == SIZE_MAX) colon = i;
            } else if (c == '%') {
                if (i + 2 >= n || !is_hex((unsigned char)t[i + 1]) ||
                    !is_hex((unsigned char)t[i + 2]))
                    return 0;
                i += 2;
            } else if (!(is_alpha(c) || is_digit(c) || strchr("-._~!$&'()*+,;=", c) != NULL) ||
                       c == 0) {
                return 0;
            }
            i++;
        }
        if (colon != SIZE_MAX)
            for (size_t k = colon + 1; k < i; k++)
                if (!is_digit((unsigned char)t[k])) return 0;
    }
    for (; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (is_alpha(c) || is_digit(c)) continue;
        if (c >= 0x80) { /* RFC 3987 ucschar in the path, query or fragment (valid UTF-8) */
            size_t len = ucschar_len(t + i, n - i);
            if (len == 0) return 0;
            i += len - 1;
            continue;
        }
        if (c == '%') {
            if (i + 2 >= n || !is_hex((unsigned char)t[i + 1]) || !is_hex((unsigned char)t[i + 2]))
                return 0;
            i += 2;
            continue;
        }
        if (c == '?') {
            if (part == 0) part = 1;
            continue;
        }
        if (c == '#') {
            if (part == 2) return 0;
            part = 2;
            continue;
        }
        if (c == 0 || strchr("-._~!$&'()*+,;=:@/", c) == NULL) return 0;
    }
    return 1;
}

/* ---- the lexer -------------------------------------------------------------------------- */

static int put(P *p, const char *text, size_t len) {
    char **buf = &p->buf[p->which];
    size_t *cap = &p->cap[p->which];
    if (reserve(p, (void **)buf, cap, p->tok.len + len + 1, 1) < 0) return -1;
    memcpy(*buf + p->tok.len, text, len);
    p->tok.len += len;
    return 0;
}

static int put_cp(P *p, uint32_t cp) {
    char out[4];
    size_t len;
    if (cp < 0x80) {
        out[0] = (char)cp;
        len = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        len = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        len = 3;
    } else {
        out[0] = (char)(0xF0 | (cp >> 18));
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        len = 4;
    }
    return put(p, out, len);
}

/* \uXXXX or \UXXXXXXXX at pos (the backslash): the code point, pos moved past it. */
static int uchar(P *p, size_t *pos) {
    size_t i = *pos, digits = p->src[i + 1] == 'u' ? 4 : 8;
    if (i + 2 + digits > p->n) return fail_at(p, "a bad \\u escape", i);
    uint32_t cp = 0;
    for (size_t k = 0; k < digits; k++) {
        int c = p->src[i + 2 + k];
        if (!is_hex(c)) return fail_at(p, "a bad \\u escape", i);
        cp = (cp << 4) | (uint32_t)hex_value(c);
    }
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return fail_at(p, "a surrogate or out-of-range \\u escape", i);
    *pos = i + 2 + digits;
    return put_cp(p, cp);
}

static int lex_iri(P *p) {
    size_t i = p->pos + 1;
    for (;;) {
        size_t start = i;
        while (i < p->n && p->src[i] > ' ' && p->src[i] != '>' && p->src[i] != '\\' &&
               p->src[i] != '<' && p->src[i] != '"' && p->src[i] != '{' && p->src[i] != '}' &&
               p->src[i] != '|' && p->src[i] != '^' && p->src[i] != '`')
            i++;
        if (put(p, (const char *)p->src + start, i - start) < 0) return -1;
        if (i >= p->n) return fail(p, "an IRI not closed");
        if (p->src[i] == '>') break;
        if (p->src[i] == '\\' && i + 1 < p->n && (p->src[i + 1] == 'u' || p->src[i + 1] == 'U')) {
            if (uchar(p, &i) < 0) return -1;
            continue;
        }
        return fail_at(p, "an IRI with a character it may not hold", i);
    }
    p->pos = i + 1;
    p->tok.kind = T_IRI;
    return 0;
}

static int lex_string(P *p) {
    unsigned char q = p->src[p->pos];
    size_t i = p->pos + 1;
    int longq = i + 1 < p->n && p->src[i] == q && p->src[i + 1] == q;
    if (longq) i += 2;
    for (;;) {
        size_t start = i;
        if (longq) {
            while (i < p->n && p->src[i] != q && p->src[i] != '\\') i++;
        } else {
            while (i < p->n && p->src[i] != q && p->src[i] != '\\' && p->src[i] != '\n' &&
                   p->src[i] != '\r')
                i++;
        }
        if (put(p, (const char *)p->src + start, i - start) < 0) return -1;
        if (i >= p->n) return fail(p, "a string not closed");
        unsigned char c = p->src[i];
        if (c == q) {
            if (!longq) {
                i++;
                break;
            }
            if (i + 2 < p->n && p->src[i + 1] == q && p->src[i + 2] == q) {
                i += 3;
                /* a quote right after the closing three: oxttl's reading may differ */
                if (i < p->n && p->src[i] == q) return fail_at(p, "a quote after a long string", i);
                break;
            }
            if (i + 2 >= p->n) return fail(p, "a string not closed");
            if (put(p, (const char *)p->src + i, 1) < 0) return -1;
            i++;
            continue;
        }
        if (c != '\\') return fail_at(p, "a line break in a short string", i);
        if (i + 1 >= p->n) return fail(p, "a string not closed");
        char e = (char)p->src[i + 1], out;
        switch (e) {
        case 't': out = '\t'; break;
        case 'b': out = '\b'; break;
        case 'n': out = '\n'; break;
        case 'r': out = '\r'; break;
        case 'f': out = '\f'; break;
        case '"': out = '"'; break;
        case '\'': out = '\''; break;
        case '\\': out = '\\'; break;
        case 'u':
        case 'U':
            if (uchar(p, &i) < 0) return -1;
            continue;
        default: return fail_at(p, "an unknown escape in a string", i);
        }
        if (put(p, &out, 1) < 0) return -1;
        i += 2;
    }
    p->pos = i;
    p->tok.kind = T_STRING;
    return 0;
}

static int lex_number(P *p) {
    size_t i = p->pos, start = i;
    int kind = T_INTEGER;
    if (p->src[i] == '+' || p->src[i] == '-') i++;
    size_t digits = i;
    while (i < p->n && is_digit(p->src[i])) i++;
    int whole = i > digits;
    if (i + 1 < p->n && p->src[i] == '.' && is_digit(p->src[i + 1])) {
        i++;
        while (i < p->n && is_digit(p->src[i])) i++;
        kind = T_DECIMAL;
    } else if (whole && i + 1 < p->n && p->src[i] == '.' &&
               (p->src[i + 1] == 'e' || p->src[i + 1] == 'E')) {
        i++; /* 1.e5: a double */
        kind = T_DECIMAL;
    } else if (!whole) {
        return fail_at(p, "a sign without a number", start);
    }
    if (i < p->n && (p->src[i] == 'e' || p->src[i] == 'E')) {
        size_t e = i + 1;
        if (e < p->n && (p->src[e] == '+' || p->src[e] == '-')) e++;
        if (e >= p->n || !is_digit(p->src[e])) return fail_at(p, "a bad exponent", i);
        while (e < p->n && is_digit(p->src[e])) e++;
        i = e;
        kind = T_DOUBLE;
    } else if (kind == T_DECIMAL && p->src[i - 1] == '.') {
        return fail_at(p, "a bad exponent", i);
    }
    if (!ends_word(p, i)) return fail_at(p, "a number followed by a name", i);
    if (put(p, (const char *)p->src + start, i - start) < 0) return -1;
    p->pos = i;
    p->tok.kind = kind;
    return 0;
}

/* PN_LOCAL (ASCII) from pos into the token buffer; trailing unescaped dots given back. */
static int lex_local(P *p, size_t i) {
    size_t keep_pos = i, keep_len = p->tok.len;
    int first = 1, escaped = 0;
    while (i < p->n) {
        int c = p->src[i];
        if (is_alpha(c) || is_digit(c) || c == '_' || (c == '-' && !first)) {
            /* a run of plain ASCII name characters, copied at once */
            size_t run = i + 1;
            while (run < p->n && (is_alpha(p->src[run]) || is_digit(p->src[run]) ||
                                  p->src[run] == '_' || p->src[run] == '-'))
                run++;
            if (put(p, (const char *)p->src + i, run - i) < 0) return -1;
            i = keep_pos = run;
            keep_len = p->tok.len;
            first = 0;
            continue;
        }
        size_t len;
        int kind = pn_class(p, i, &len);
        /* the first: PN_CHARS_U, a digit or ':'; the others: PN_CHARS or ':' */
        if ((kind != PN_NOT && !(first && kind == PN_OTHER && !is_digit(c))) || c == ':') {
            if (put(p, (const char *)p->src + i, len) < 0) return -1;
            i += len;
            keep_pos = i;
            keep_len = p->tok.len;
        } else if (c == '.' && !first) {
            if (put(p, (const char *)p->src + i, 1) < 0) return -1;
            i++;
        } else if (c == '%') {
            if (i + 2 >= p->n || !is_hex(p->src[i + 1]) || !is_hex(p->src[i + 2]))
                return fail_at(p, "a bad % escape in a name", i);
            if (put(p, (const char *)p->src + i, 3) < 0) return -1;
            i += 3;
            keep_pos = i;
            keep_len = p->tok.len;
        } else if (c == '\\') {
            if (i + 1 >= p->n || strchr("_~.-!$&'()*+,;=/?#@%", p->src[i + 1]) == NULL ||
                p->src[i + 1] == 0)
                return fail_at(p, "a bad escape in a name", i);
            if (put(p, (const char *)p->src + i + 1, 1) < 0) return -1;
            i += 2;
            escaped = 1;
            keep_pos = i;
            keep_len = p->tok.len;
        } else {
            break;
        }
        first = 0;
    }
    p->tok.len = keep_len;
    /* pyoxigraph reads a name with a '\' escape differently when it ends the input or is
     * followed only by the final '.' (drops the escaped character, or fails) */
    if (escaped && keep_pos + 1 >= p->n) return fail_at(p, "an escaped name at the end of the input", keep_pos);
    if (!ends_word(p, keep_pos)) return fail_at(p, "a name followed by an unexpected character", keep_pos);
    p->pos = keep_pos;
    return 0;
}

static int lex_word(P *p) {
    size_t i = p->pos, start = i;
    /* a blank node label */
    if (p->src[i] == '_' && i + 1 < p->n && p->src[i + 1] == ':') {
        i += 2;
        size_t len;
        int kind = i < p->n ? pn_class(p, i, &len) : PN_NOT;
        if (!(kind == PN_BASE || kind == PN_U || (i < p->n && is_digit(p->src[i]))))
            return fail_at(p, "a bad blank node label", i);
        size_t end = i, keep = i;
        while (end < p->n) {
            if (p->src[end] == '.') {
                end++;
            } else if (pn_class(p, end, &len) != PN_NOT) {
                end += len;
                keep = end;
            } else {
                break;
            }
        }
        if (!ends_word(p, keep)) return fail_at(p, "a label followed by an unexpected character", keep);
        if (put(p, (const char *)p->src + i, keep - i) < 0) return -1;
        p->pos = keep;
        p->tok.kind = T_BLANK;
        return 0;
    }
    /* a prefix (PN_PREFIX) or a bare word */
    size_t len;
    if (pn_class(p, i, &len) == PN_BASE) {
        while (i < p->n) {
            if (p->src[i] == '.')
                i++;
            else if (pn_class(p, i, &len) != PN_NOT)
                i += len;
            else
                break;
        }
    }
    if (i < p->n && p->src[i] == ':') {
        if (i > start && p->src[i - 1] == '.') return fail_at(p, "a prefix ending in a dot", i);
        p->tok.kind = T_PNAME;
        p->tok.prefix = (const char *)p->src + start;
        p->tok.prefix_len = i - start;
        return lex_local(p, i + 1);
    }
    while (i > start && p->src[i - 1] == '.') i--;
    if (i == start) return fail_at(p, "an unexpected character", start);
    if (!ends_word(p, i)) return fail_at(p, "a word followed by an unexpected character", i);
    if (put(p, (const char *)p->src + start, i - start) < 0) return -1;
    p->pos = i;
    p->tok.kind = T_WORD;
    return 0;
}

/* Store what the current token completed, then read the next token. */
static int advance(P *p) {
    if (flush(p) < 0) return -1;
    const unsigned char *s = p->src;
    for (;;) {
        while (p->pos < p->n && is_ws(s[p->pos])) p->pos++;
        if (p->pos < p->n && s[p->pos] == '#') {
            while (p->pos < p->n && s[p->pos] != '\n' && s[p->pos] != '\r') p->pos++;
            continue;
        }
        break;
    }
    p->tok.at = p->pos;
    p->tok.len = 0;
    if (p->pos >= p->n) {
        p->tok.kind = T_EOF;
        return 0;
    }
    int c = s[p->pos];
    int r;
    /* A token with text takes the other buffer; punctuation (as '^^') takes none, so that a
     * string stays readable across its '^^' and datatype. */
    if (!(c == ',' || c == ';' || c == '[' || c == ']' || c == '(' || c == ')' || c == '^')) {
        p->which ^= 1;
        if (reserve(p, (void **)&p->buf[p->which], &p->cap[p->which], 64, 1) < 0) return -1;
    }
    switch (c) {
    case '<':
        if (p->pos + 1 < p->n && s[p->pos + 1] == '<') return fail(p, "RDF 1.2 syntax ('<<')");
        r = lex_iri(p);
        break;
    case '"':
    case '\'':
        r = lex_string(p);
        break;
    case ',':
    case ';':
    case '[':
    case ']':
    case '(':
    case ')':
        p->tok.kind = T_PUNCT;
        p->tok.punct = (char)c;
        p->pos++;
        return 0;
    case '.':
        if (p->pos + 1 < p->n && is_digit(s[p->pos + 1])) {
            r = lex_number(p);
            break;
        }
        p->tok.kind = T_PUNCT;
        p->tok.punct = '.';
        p->pos++;
        return 0;
    case '{':
    case '~':
        return fail(p, "RDF 1.2 or N3 syntax ('{', '~')");
    case '^':
        if (p->pos + 1 < p->n && s[p->pos + 1] == '^') {
            p->tok.kind = T_PUNCT;
            p->tok.punct = '^';
            p->pos += 2;
            return 0;
        }
        return fail(p, "a lone '^'");
    case '@': {
        size_t i = p->pos + 1;
        while (i < p->n && is_alpha(s[i])) i++;
        size_t len = i - p->pos - 1;
        if (!((len == 6 && memcmp(s + p->pos + 1, "prefix", 6) == 0) ||
              (len == 4 && memcmp(s + p->pos + 1, "base", 4) == 0)))
            return fail(p, "a language tag or an unknown @ keyword");
        if (i < p->n && !is_ws(s[i])) return fail(p, "an unknown @ keyword");
        if (put(p, (const char *)s + p->pos + 1, len) < 0) return -1;
        p->tok.kind = T_AT;
        p->pos = i;
        return 0;
    }
    default:
        if (is_digit(c) || c == '+' || c == '-') {
            r = lex_number(p);
        } else if (is_alpha(c) || c == '_' || c == ':' || c >= 0x80) {
            r = lex_word(p);
        } else {
            return fail(p, "an unexpected character");
        }
    }
    if (r < 0) return -1;
    p->tok.text = p->buf[p->which];
    p->tok.text[p->tok.len] = '\0';
    return 0;
}

/* ---- the grammar ------------------------------------------------------------------------ */

static int is_punct(P *p, char c) { return p->tok.kind == T_PUNCT && p->tok.punct == c; }

static int is_word(P *p, const char *w) {
    size_t len = strlen(w);
    return p->tok.kind == T_WORD && p->tok.len == len && memcmp(p->tok.text, w, len) == 0;
}

static int is_word_ci(P *p, const char *w) {
    size_t len = strlen(w);
    if (p->tok.kind != T_WORD || p->tok.len != len) return 0;
    for (size_t i = 0; i < len; i++) {
        char c = p->tok.text[i];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (c != w[i]) return 0;
    }
    return 1;
}

/* Whether an IRI reference is absolute: a scheme (ALPHA *(ALPHA / DIGIT / + - .)) and ':'
 * before any '/', '?' or '#'. */
static int has_scheme(const char *t, size_t n) {
    if (n == 0 || !is_alpha((unsigned char)t[0])) return 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == ':') return 1;
        if (!(is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.')) return 0;
    }
    return 0;
}

/* Whether a path (up to '?', '#' or the end) has a "." or ".." segment, or is empty, or
 * starts with '/' or has a ':' in its first segment: what a relative reference must not have
 * here (those would need more of RFC 3986's resolution than this parser does). */
static int plain_relative_path(const char *t, size_t n) {
    size_t end = 0;
    while (end < n && t[end] != '?' && t[end] != '#') end++;
    if (end == 0 || t[0] == '/') return 0;
    size_t start = 0;
    int first = 1;
    for (size_t i = 0; i <= end; i++) {
        if (i == end || t[i] == '/') {
            size_t len = i - start;
            if ((len == 1 && t[start] == '.') ||
                (len == 2 && t[start] == '.' && t[start + 1] == '.'))
                return 0;
            if (first && memchr(t + start, ':', len) != NULL) return 0;
            first = 0;
            start = i + 1;
        }
    }
    return 1;
}

/* Set the base: what relative references are appended to (see base_prefix). 0, or -1 when
 * out of memory; a base it does not resolve against leaves base_prefix NULL. */
static int set_base(P *p, const char *t, size_t n) {
    free(p->base_prefix);
    p->base_prefix = NULL;
    p->base_prefix_len = 0;
    if (!iri_ok(t, n)) return 0;
    size_t i = 0;
    while (t[i] != ':') i++;
    i++;
    size_t path = i;
    int authority = 0;
    if (i + 1 < n && t[i] == '/' && t[i + 1] == '/') {
        authority = 1;
        path = i + 2;
        while (path < n && t[path] != '/' && t[path] != '?' && t[path] != '#') path++;
    }
    size_t end = path;
    while (end < n && t[end] != '?' && t[end] != '#') end++;
    size_t cut; /* the prefix is t[0:cut], plus a '/' when add_slash */
    int add_slash = 0;
    if (authority && end == path) {
        cut = path;
        add_slash = 1;
    } else {
        cut = path;
        for (size_t k = path; k < end; k++)
            if (t[k] == '/') cut = k + 1;
        /* dot segments in the base's path would be removed by the resolution */
        for (size_t k = path; k < cut;) {
            size_t seg = k;
            while (seg < cut && t[seg] != '/') seg++;
            size_t len = seg - k;
            if ((len == 1 && t[k] == '.') || (len == 2 && t[k] == '.' && t[k + 1] == '.'))
                return 0;
            k = seg + 1;
        }
    }
    p->base_prefix = malloc(cut + 2);
    if (p->base_prefix == NULL) return oom(p);
    memcpy(p->base_prefix, t, cut);
    if (add_slash) p->base_prefix[cut++] = '/';
    p->base_prefix_len = cut;
    return 0;
}

/* An IRI reference made absolute in p->scratch (its length returned), or SIZE_MAX when not
 * taken. */
static size_t resolved(P *p, const char *t, size_t n) {
    if (p->base_prefix == NULL || !plain_relative_path(t, n)) {
        fail(p, "a relative IRI this parser does not resolve");
        return SIZE_MAX;
    }
    size_t len = p->base_prefix_len + n;
    if (reserve(p, (void **)&p->scratch, &p->scratch_cap, len + 1, 1) < 0) return SIZE_MAX;
    memcpy(p->scratch, p->base_prefix, p->base_prefix_len);
    memcpy(p->scratch + p->base_prefix_len, t, n);
    return len;
}

/* An IRI term, checked when new (an IRI met before was checked then). */
static uint32_t iri_term(P *p, const char *text, size_t len) {
    uint32_t before = p->store->nterms;
    uint32_t id = intern(p, TT_IRI, text, len, 0);
    if (id != NO_TERM && p->store->nterms != before && !iri_ok(text, len)) {
        fail(p, "an IRI that is relative, not ASCII or not plainly valid");
        return NO_TERM;
    }
    return id;
}

/* The current token as an IRI (IRIREF or prefixed name), or NO_TERM. */
static uint32_t iri_of(P *p) {
    if (p->tok.kind == T_IRI) {
        if (has_scheme(p->tok.text, p->tok.len)) return iri_term(p, p->tok.text, p->tok.len);
        size_t len = resolved(p, p->tok.text, p->tok.len);
        return len == SIZE_MAX ? NO_TERM : iri_term(p, p->scratch, len);
    }
    if (p->tok.kind != T_PNAME) {
        fail(p, "an IRI expected");
        return NO_TERM;
    }
    const Prefix *found = NULL;
    for (size_t k = p->nprefixes; k-- > 0;) {
        const Prefix *prefix = &p->prefixes[k];
        if (prefix->name_len == p->tok.prefix_len &&
            memcmp(prefix->name, p->tok.prefix, p->tok.prefix_len) == 0) {
            found = prefix;
            break;
        }
    }
    if (found == NULL) {
        fail(p, "an undeclared prefix");
        return NO_TERM;
    }
    size_t len = found->iri_len + p->tok.len;
    if (reserve(p, (void **)&p->scratch, &p->scratch_cap, len + 1, 1) < 0) return NO_TERM;
    memcpy(p->scratch, found->iri, found->iri_len);
    memcpy(p->scratch + found->iri_len, p->tok.text, p->tok.len);
    return iri_term(p, p->scratch, len);
}

static uint32_t blank_of_label(P *p) {
    const char *label = p->tok.text;
    size_t len = p->tok.len;
    /* the forms _Terms renames: [a-f][0-9a-f]{16,31} and b[0-9]+ */
    int renamed = 0;
    if (len >= 17 && len <= 32 && label[0] >= 'a' && label[0] <= 'f') {
        renamed = 1;
        for (size_t i = 1; i < len; i++)
            if (!(is_digit((unsigned char)label[i]) || (label[i] >= 'a' && label[i] <= 'f')))
                renamed = 0;
    } else if (len >= 2 && label[0] == 'b') {
        renamed = 1;
        for (size_t i = 1; i < len; i++)
            if (!is_digit((unsigned char)label[i])) renamed = 0;
    }
    if (!renamed) return intern(p, TT_BLANK, label, len, 0);
    uint32_t before = p->labels.nterms;
    uint32_t id = tt_intern(&p->labels, TT_BLANK, label, (Py_ssize_t)len, 0);
    if (id == NO_TERM) {
        oom(p);
        return NO_TERM;
    }
    if (p->labels.nterms != before) {
        if (reserve(p, (void **)&p->label_refs, &p->clabel_refs, (size_t)id + 1,
                    sizeof(uint32_t)) < 0)
            return NO_TERM;
        uint32_t ref = new_blank(p);
        if (ref == NO_TERM) return NO_TERM;
        p->label_refs[id] = ref;
    }
    return p->label_refs[id];
}

static int predicate_objects(P *p, uint32_t subject);

static int enter(P *p) {
    if (++p->depth > MAX_DEPTH) return fail(p, "nesting deeper than 1000 levels");
    return 0;
}

/* An object of (subject, predicate), emitted at the token oxttl completes it on; the current
 * token is the object's first. Leaves the token after the object current. */
static int object(P *p, uint32_t s, uint32_t pr) {
    Token *t = &p->tok;
    uint32_t o;
    switch (t->kind) {
    case T_IRI:
    case T_PNAME:
        if ((o = iri_of(p)) == NO_TERM) return -1;
        break;
    case T_BLANK:
        if ((o = blank_of_label(p)) == NO_TERM) return -1;
        break;
    case T_INTEGER:
        o = intern(p, TT_LITERAL, t->text, t->len, p->xsd_integer);
        break;
    case T_DECIMAL:
        o = intern(p, TT_LITERAL, t->text, t->len, p->xsd_decimal);
        break;
    case T_DOUBLE:
        o = intern(p, TT_LITERAL, t->text, t->len, p->xsd_double);
        break;
    case T_WORD:
        if (is_word(p, "true") || is_word(p, "false")) {
            o = intern(p, TT_LITERAL, t->text, t->len, p->xsd_boolean);
            break;
        }
        return fail(p, "an unexpected word");
    case T_STRING: {
        const char *text = t->text;
        size_t len = t->len;
        if (advance(p) < 0) return -1;
        uint32_t datatype = p->xsd_string;
        if (is_punct(p, '^')) {
            if (advance(p) < 0) return -1;
            if ((datatype = iri_of(p)) == NO_TERM) return -1;
            if ((o = intern(p, TT_LITERAL, text, len, datatype)) == NO_TERM) return -1;
            if (emit(p, s, pr, o) < 0) return -1;
            return advance(p);
        }
        /* the token after the string completes it (see the top of the file) */
        if ((o = intern(p, TT_LITERAL, text, len, datatype)) == NO_TERM) return -1;
        return emit(p, s, pr, o);
    }
    case T_PUNCT:
        if (t->punct == '[') {
            if (enter(p) < 0 || advance(p) < 0) return -1;
            uint32_t b = new_blank(p);
            if (b == NO_TERM) return -1;
            if (!is_punct(p, ']') && predicate_objects(p, b) < 0) return -1;
            if (!is_punct(p, ']')) return fail(p, "']' expected");
            p->depth--;
            o = b;
            break;
        }
        if (t->punct == '(') {
            if (enter(p) < 0 || advance(p) < 0) return -1;
            if (is_punct(p, ')')) {
                p->depth--;
                o = p->rdf_nil;
                break;
            }
            uint32_t cell = new_blank(p);
            if (cell == NO_TERM || emit(p, s, pr, cell) < 0) return -1;
            for (;;) {
                if (object(p, cell, p->rdf_first) < 0) return -1;
                if (is_punct(p, ')')) {
                    if (emit(p, cell, p->rdf_rest, p->rdf_nil) < 0) return -1;
                    p->depth--;
                    return advance(p);
                }
                if (t->kind == T_EOF) return fail(p, "')' expected");
                uint32_t next = new_blank(p);
                if (next == NO_TERM || emit(p, cell, p->rdf_rest, next) < 0) return -1;
                cell = next;
            }
        }
        return fail(p, "an object expected");
    default:
        return fail(p, "an object expected");
    }
    if (o == NO_TERM || emit(p, s, pr, o) < 0) return -1;
    return advance(p);
}

/* verb objectList (';' (verb objectList)?)*; the current token is the first verb. */
static int predicate_objects(P *p, uint32_t subject) {
    for (;;) {
        uint32_t pr;
        if (is_word(p, "a")) {
            pr = p->rdf_type;
        } else if ((pr = iri_of(p)) == NO_TERM) {
            return -1;
        }
        if (advance(p) < 0) return -1;
        for (;;) {
            if (object(p, subject, pr) < 0) return -1;
            if (!is_punct(p, ',')) break;
            if (advance(p) < 0) return -1;
        }
        if (!is_punct(p, ';')) return 0;
        while (is_punct(p, ';'))
            if (advance(p) < 0) return -1;
        if (is_punct(p, '.') || is_punct(p, ']')) return 0;
    }
}

static int directive(P *p, int sparql, int is_prefix) {
    if (advance(p) < 0) return -1;
    Prefix made = {NULL, 0, NULL, 0};
    if (is_prefix) {
        if (p->tok.kind != T_PNAME || p->tok.len != 0) return fail(p, "a prefix name expected");
        made.name_len = p->tok.prefix_len;
        made.name = malloc(made.name_len + 1);
        if (made.name == NULL) return oom(p);
        memcpy(made.name, p->tok.prefix, made.name_len);
        if (reserve(p, (void **)&p->prefixes, &p->cprefixes, p->nprefixes + 1, sizeof(Prefix)) <
            0) {
            free(made.name);
            return -1;
        }
        p->prefixes[p->nprefixes++] = made; /* owned by the table from here */
        if (advance(p) < 0) return -1;
    }
    if (p->tok.kind != T_IRI) return fail(p, "an IRI expected");
    const char *iri = p->tok.text;
    size_t len = p->tok.len;
    if (!has_scheme(iri, len)) {
        if ((len = resolved(p, iri, len)) == SIZE_MAX) return -1;
        iri = p->scratch;
    }
    if (!iri_ok(iri, len)) return fail(p, "a non-ASCII or unusual IRI in a directive");
    if (is_prefix) {
        Prefix *prefix = &p->prefixes[p->nprefixes - 1];
        prefix->iri = malloc(len + 1);
        if (prefix->iri == NULL) return oom(p);
        memcpy(prefix->iri, iri, len);
        prefix->iri_len = len;
        /* a later declaration of the same name wins: iri_of searches from the end */
    } else if (set_base(p, iri, len) < 0) {
        return -1;
    }
    if (advance(p) < 0) return -1;
    if (!sparql) {
        if (!is_punct(p, '.')) return fail(p, "'.' expected");
        return advance(p);
    }
    return 0;
}

static int statement(P *p) {
    Token *t = &p->tok;
    if (t->kind == T_AT) {
        int is_prefix = t->len == 6;
        return directive(p, 0, is_prefix);
    }
    if (is_word_ci(p, "PREFIX")) return directive(p, 1, 1);
    if (is_word_ci(p, "BASE")) return directive(p, 1, 0);
    if (is_word_ci(p, "VERSION")) return fail(p, "RDF 1.2 syntax (VERSION)");
    uint32_t subject;
    if (t->kind == T_IRI || t->kind == T_PNAME) {
        if ((subject = iri_of(p)) == NO_TERM || advance(p) < 0) return -1;
    } else if (t->kind == T_BLANK) {
        if ((subject = blank_of_label(p)) == NO_TERM || advance(p) < 0) return -1;
    } else if (is_punct(p, '[')) {
        if (enter(p) < 0 || advance(p) < 0) return -1;
        if ((subject = new_blank(p)) == NO_TERM) return -1;
        if (is_punct(p, ']')) {
            p->depth--;
            if (advance(p) < 0) return -1;
        } else {
            if (predicate_objects(p, subject) < 0) return -1;
            if (!is_punct(p, ']')) return fail(p, "']' expected");
            p->depth--;
            if (advance(p) < 0) return -1;
            if (is_punct(p, '.')) return advance(p);
        }
    } else if (is_punct(p, '(')) {
        if (enter(p) < 0 || advance(p) < 0) return -1;
        if (is_punct(p, ')')) {
            subject = p->rdf_nil;
        } else {
            uint32_t cell = subject = new_blank(p);
            if (cell == NO_TERM) return -1;
            for (;;) {
                if (object(p, cell, p->rdf_first) < 0) return -1;
                if (is_punct(p, ')')) {
                    if (emit(p, cell, p->rdf_rest, p->rdf_nil) < 0) return -1;
                    break;
                }
                if (t->kind == T_EOF) return fail(p, "')' expected");
                uint32_t next = new_blank(p);
                if (next == NO_TERM || emit(p, cell, p->rdf_rest, next) < 0) return -1;
                cell = next;
            }
        }
        p->depth--;
        if (advance(p) < 0) return -1;
    } else {
        return fail(p, "a subject expected");
    }
    if (predicate_objects(p, subject) < 0) return -1;
    if (!is_punct(p, '.')) return fail(p, "'.' expected");
    return advance(p);
}

/* ---- the module function ---------------------------------------------------------------- */

static void parser_free(P *p) {
    free(p->buf[0]);
    free(p->buf[1]);
    free(p->scratch);
    for (size_t k = 0; k < p->nprefixes; k++) {
        free(p->prefixes[k].name);
        free(p->prefixes[k].iri);
    }
    free(p->prefixes);
    free(p->pending);
    free(p->blanks);
    free(p->label_refs);
    free(p->base_prefix);
    tt_store_clear(&p->labels);
}

static int run(P *p) {
#define TERM(field, text)                                                                      \
    if ((p->field = intern(p, TT_IRI, text, sizeof(text) - 1, 0)) == NO_TERM) return -1
    TERM(rdf_type, RDF "type");
    TERM(rdf_first, RDF "first");
    TERM(rdf_rest, RDF "rest");
    TERM(rdf_nil, RDF "nil");
    TERM(xsd_string, XSD "string");
    TERM(xsd_integer, XSD "integer");
    TERM(xsd_decimal, XSD "decimal");
    TERM(xsd_double, XSD "double");
    TERM(xsd_boolean, XSD "boolean");
#undef TERM
    if (!check_text(p)) return -1;
    if (p->n >= 3 && memcmp(p->src, "\xEF\xBB\xBF", 3) == 0) return fail_at(p, "a byte order mark", 0);
    if (advance(p) < 0) return -1;
    while (p->tok.kind != T_EOF)
        if (statement(p) < 0) return -1;
    return flush(p);
}

static size_t line_of(const unsigned char *src, size_t n, size_t at) {
    size_t line = 1;
    for (size_t i = 0; i < at && i < n; i++) line += src[i] == '\n';
    return line;
}

static PyObject *tt_parse(PyObject *module, PyObject *args) {
    (void)module;
    Py_buffer data;
    const char *base;
    if (!PyArg_ParseTuple(args, "y*s:parse", &data, &base)) return NULL;
    /* The base only resolves relative IRIs, which are handed back: it must be absolute. */
    if (!iri_ok(base, strlen(base))) {
        PyBuffer_Release(&data);
        return PyUnicode_FromString("a base IRI this parser does not take");
    }
    TTStoreObject *made = (TTStoreObject *)TTStoreType.tp_alloc(&TTStoreType, 0);
    if (made == NULL) {
        PyBuffer_Release(&data);
        return NULL;
    }
    memset(&made->store, 0, sizeof(made->store));
    P p;
    memset(&p, 0, sizeof(p));
    p.src = data.buf;
    p.n = (size_t)data.len;
    p.store = &made->store;
    int ok = set_base(&p, base, strlen(base));
    if (ok == 0) {
        Py_BEGIN_ALLOW_THREADS
        ok = run(&p);
        Py_END_ALLOW_THREADS
    }
    parser_free(&p);
    PyObject *result;
    if (p.nomem) {
        Py_DECREF(made);
        result = PyErr_NoMemory();
    } else if (ok < 0) {
        Py_DECREF(made);
        result = PyUnicode_FromFormat("%s at line %zu", p.why ? p.why : "not taken",
                                      line_of(p.src, p.n, p.why_at));
    } else {
        result = (PyObject *)made;
    }
    PyBuffer_Release(&data);
    return result;
}

/* Store.triples(iri, blank, literal): [(subject, predicate, object), ...] in order, each term
 * made once by the constructor of its kind: iri(text), blank(label), literal(lexical,
 * datatype); the predicate a str. */
static PyObject *store_triples(PyObject *self, PyObject *args) {
    PyObject *iri, *blank, *literal;
    if (!PyArg_ParseTuple(args, "OOO:triples", &iri, &blank, &literal)) return NULL;
    TTStore *store = &((TTStoreObject *)self)->store;
    PyObject **made = PyMem_Calloc(store->nterms ? store->nterms : 1, sizeof(PyObject *));
    PyObject **names = PyMem_Calloc(store->nterms ? store->nterms : 1, sizeof(PyObject *));
    PyObject *out = NULL;
    if (made == NULL || names == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (uint32_t id = 0; id < store->nterms; id++) {
        const TTTerm *term = &store->terms[id];
        names[id] = PyUnicode_DecodeUTF8(term->text, term->len, "strict");
        if (names[id] == NULL) goto done;
    }
    for (uint32_t id = 0; id < store->nterms; id++) {
        const TTTerm *term = &store->terms[id];
        if (term->kind == TT_IRI)
            made[id] = PyObject_CallOneArg(iri, names[id]);
        else if (term->kind == TT_BLANK)
            made[id] = PyObject_CallOneArg(blank, names[id]);
        else
            made[id] = PyObject_CallFunctionObjArgs(literal, names[id], names[term->datatype], NULL);
        if (made[id] == NULL) goto done;
    }
    out = PyList_New((Py_ssize_t)store->ntriples);
    if (out == NULL) goto done;
    for (size_t k = 0; k < store->ntriples; k++) {
        const TTTriple *t = &store->triples[k];
        PyObject *triple = PyTuple_Pack(3, made[t->s], names[t->p], made[t->o]);
        if (triple == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, (Py_ssize_t)k, triple);
    }
done:
    for (uint32_t id = 0; made != NULL && names != NULL && id < store->nterms; id++) {
        Py_XDECREF(made[id]);
        Py_XDECREF(names[id]);
    }
    PyMem_Free(made);
    PyMem_Free(names);
    return out;
}

PyMethodDef tt_parse_methods[] = {
    {"parse", tt_parse, METH_VARARGS,
     "parse(data: bytes, base: str) -> Store | str: the Turtle document's triples, or why "
     "this parser does not take it (the Python reader then reads it)."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef triples_method = {
    "triples", store_triples, METH_VARARGS,
    "triples(iri, blank, literal) -> list: the triples in order, terms made by the three "
    "constructors, predicates as str."};

int tt_parse_init(PyObject *module) {
    (void)module;
    /* Store.triples, added to the type store.c made ready (store.c stays the parts' shared
     * store; this reading of it belongs to the parser's tests). */
    PyObject *descr = PyDescr_NewMethod(&TTStoreType, &triples_method);
    if (descr == NULL) return -1;
    int r = PyDict_SetItemString(TTStoreType.tp_dict, "triples", descr);
    Py_DECREF(descr);
    PyType_Modified(&TTStoreType);
    return r;
}
