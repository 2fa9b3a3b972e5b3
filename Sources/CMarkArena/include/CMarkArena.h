#ifndef MEMORIAL_CMARK_ARENA_H
#define MEMORIAL_CMARK_ARENA_H

#include <cmark-gfm.h>

/// The calling thread's arena as a cmark-gfm allocator, emptied: everything one document's
/// parse and render allocate comes from it, and `memorial_cmark_arena_end` gives it all back.
cmark_mem *memorial_cmark_arena_begin(void);

/// Gives back what the calling thread's arena handed out since `memorial_cmark_arena_begin`
/// (one block is kept for the next document).
void memorial_cmark_arena_end(void);

#endif
