# The C versions of nlp/positions.py (cimported by the augmenting .pxd of nlp.tagger, nlp.status_scope and
# nlp.disposer_features; see that module's docstring). Keep them the same as the .py.

cdef inline Py_ssize_t first_at_least(list a, Py_ssize_t x, Py_ssize_t lo) except -1:
    cdef Py_ssize_t hi = len(a), mid, v
    while lo < hi:
        mid = (lo + hi) >> 1
        v = a[mid]
        if v < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef inline Py_ssize_t first_after(list a, Py_ssize_t x, Py_ssize_t lo) except -1:
    cdef Py_ssize_t hi = len(a), mid, v
    while lo < hi:
        mid = (lo + hi) >> 1
        v = a[mid]
        if x < v:
            hi = mid
        else:
            lo = mid + 1
    return lo
