"""The allocator told to keep large buffers between clips.

A build allocates and frees the same large numpy buffers once per clip (the
FFT of the loudness meter, the levelled samples: about a megabyte each).
glibc serves every block over 128 KiB straight from the kernel and hands it
back when freed, so each clip's buffers are page-faulted in and zeroed anew:
in a cold offline build, a tenth of the CPU time went to clearing pages.
With a higher mmap threshold they come from the heap and are reused; the
trim threshold keeps the heap from being handed back between clips. Peak
memory does not grow: the same buffers are reused, not added to.

Linux with glibc only (mallopt); elsewhere nothing is changed. No library
does this; it is two calls.
"""
from __future__ import annotations

import sys

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 << 20  # blocks this big or more still come from the kernel
TRIM_THRESHOLD = 64 << 20  # free memory kept at the heap's top


def keep_large_buffers() -> bool:
    """Whether the allocator was told (glibc on Linux)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and \
        bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
