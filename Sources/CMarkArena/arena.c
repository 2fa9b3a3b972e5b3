// A bump allocator per thread for cmark-gfm's parses.
//
// Why by hand: cmark-gfm allocates every node, every inline delimiter and every growth of its
// buffers through calloc and realloc, and a build of 90,000 narratives on two threads spent a
// tenth of its time in glibc's _int_malloc (perf), much of it under the lock the inline pass
// holds (see MarkdownRenderer). cmark-gfm's own arena (cmark_get_arena_mem_allocator) is one
// per process and not thread-safe, and its allocator struct has no context pointer, so the
// arena is found through a thread-local variable. One document's memory lives from
// `memorial_cmark_arena_begin` to `memorial_cmark_arena_end` on one thread.

#include "CMarkArena.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
} block;

// Each allocation is preceded by its size, so that realloc knows how much to copy.
typedef struct header {
    size_t size;
    size_t pad;
} header;

enum { BLOCK_SIZE = 64 * 1024 };

static __thread block *blocks;

// The block a thread keeps between documents is freed when the thread ends (a preview server's
// worker threads come and go).
static pthread_key_t thread_end;
static pthread_once_t thread_end_made = PTHREAD_ONCE_INIT;

static void free_blocks(void *unused) {
    (void)unused;
    while (blocks != NULL) {
        block *next = blocks->next;
        free(blocks);
        blocks = next;
    }
}

static void make_thread_end(void) { pthread_key_create(&thread_end, free_blocks); }

static block *new_block(size_t at_least) {
    size_t size = at_least > BLOCK_SIZE ? at_least : BLOCK_SIZE;
    if (size > SIZE_MAX - sizeof(block)) abort();
    if (blocks == NULL) {
        pthread_once(&thread_end_made, make_thread_end);
        pthread_setspecific(thread_end, &blocks);
    }
    block *made = malloc(sizeof(block) + size);
    if (made == NULL) abort();
    made->size = size;
    made->used = 0;
    return made;
}

static void *arena_alloc(size_t size) {
    size_t needed = sizeof(header) + ((size + 15) & ~(size_t)15);
    if (needed < size) abort();
    block *current = blocks;
    if (current == NULL || current->size - current->used < needed) {
        block *made = new_block(needed);
        if (current != NULL && needed > BLOCK_SIZE / 2) {
            // A large allocation gets a block of its own behind the current one, which stays
            // the one small allocations come from.
            made->next = current->next;
            current->next = made;
        } else {
            made->next = current;
            blocks = made;
        }
        current = made;
    }
    header *found = (header *)(current->data + current->used);
    current->used += needed;
    found->size = size;
    return found + 1;
}

static void *arena_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) abort();
    void *memory = arena_alloc(count * size);
    memset(memory, 0, count * size);
    return memory;
}

static void *arena_realloc(void *memory, size_t size) {
    if (memory == NULL) return arena_alloc(size);
    header *old = (header *)memory - 1;
    if (size <= old->size) return memory;
    // The last allocation of the current block grows where it is when there is room.
    block *current = blocks;
    size_t old_needed = sizeof(header) + ((old->size + 15) & ~(size_t)15);
    size_t new_needed = sizeof(header) + ((size + 15) & ~(size_t)15);
    if (new_needed < size) abort();
    if (current != NULL && (unsigned char *)old + old_needed == current->data + current->used
        && current->size - current->used >= new_needed - old_needed) {
        current->used += new_needed - old_needed;
        old->size = size;
        return memory;
    }
    void *moved = arena_alloc(size);
    memcpy(moved, memory, old->size);
    return moved;
}

// Freed all at once, by memorial_cmark_arena_end.
static void arena_free(void *memory) { (void)memory; }

static cmark_mem allocator = {arena_calloc, arena_realloc, arena_free};

void memorial_cmark_arena_end(void) {
    // One block of the usual size is kept for the next document; the others go.
    block *kept = NULL;
    block *current = blocks;
    while (current != NULL) {
        block *next = current->next;
        if (kept == NULL && current->size == BLOCK_SIZE) {
            kept = current;
            kept->used = 0;
            kept->next = NULL;
        } else {
            free(current);
        }
        current = next;
    }
    blocks = kept;
}

cmark_mem *memorial_cmark_arena_begin(void) {
    memorial_cmark_arena_end();
    return &allocator;
}
