/* The module aas._turtle: the methods of parse.c and map.c (see turtle.h). */
#include "turtle.h"

static PyMethodDef *joined;

static struct PyModuleDef turtle_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "aas._turtle",
    .m_doc = "Compiled Turtle reader: parse (parse.c) and map to the AAS jsonable (map.c).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__turtle(void) {
    Py_ssize_t n = 0, m = 0;
    while (tt_parse_methods[n].ml_name != NULL) n++;
    while (tt_map_methods[m].ml_name != NULL) m++;
    joined = PyMem_Calloc((size_t)(n + m + 1), sizeof(PyMethodDef));
    if (joined == NULL) return PyErr_NoMemory();
    memcpy(joined, tt_parse_methods, (size_t)n * sizeof(PyMethodDef));
    memcpy(joined + n, tt_map_methods, (size_t)m * sizeof(PyMethodDef));
    turtle_module.m_methods = joined;
    PyObject *module = PyModule_Create(&turtle_module);
    if (module == NULL) return NULL;
    if (tt_store_init(module) < 0 || tt_parse_init(module) < 0 || tt_map_init(module) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
