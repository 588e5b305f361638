/* A TTStore -> the AAS jsonable (see turtle.h). Not written yet: maps nothing. */
#include "turtle.h"

PyMethodDef tt_map_methods[] = {
    {NULL, NULL, 0, NULL},
};

int tt_map_init(PyObject *module) {
    (void)module;
    return 0;
}
