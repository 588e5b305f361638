/* Turtle bytes -> a TTStore (see turtle.h). Not written yet: takes nothing. */
#include "turtle.h"

PyMethodDef tt_parse_methods[] = {
    {NULL, NULL, 0, NULL},
};

int tt_parse_init(PyObject *module) {
    (void)module;
    return 0;
}
