#ifndef MEMORIAL_VIPS_SHIM_H
#define MEMORIAL_VIPS_SHIM_H

/* Non-variadic wrappers of the libvips calls memorial makes: Swift cannot call C's variadic
   functions. Each returns 0 on success, -1 on failure (the message is in memorial_vips_error). */

#include <stddef.h>

typedef struct _VipsImage VipsImage;

/* Starts libvips once per process (idempotent); 0 on success. */
int memorial_vips_start(void);

/* How many threads each libvips operation uses; 0 for libvips' default (one per core). */
void memorial_vips_set_threads(int threads);

/* The last error's message for this thread, and clears it. The caller frees it with free(). */
char *memorial_vips_error(void);

/* The name of the loader libvips would use for the file ("jpegload", "pdfload", ...), or NULL.
   The caller frees it with free(). */
char *memorial_vips_loader(const char *path);

/* The number of pages of the file (1 for a single image). */
int memorial_vips_page_count(const char *path, int is_pdf, int *pages);

/* Page `page` (0-based) of the file, decoded into memory once (read sequentially), as 8-bit
   sRGB with no alpha (flattened on white) and no metadata. PDFs are rendered at `dpi`. */
int memorial_vips_load_page(const char *path, int page, int is_pdf, int dpi, VipsImage **out);

/* The image scaled down to `width` (never up), keeping its proportions, into memory. */
int memorial_vips_resize(VipsImage *in, int width, VipsImage **out);

/* Encodes as WebP (`effort` 0-6: CPU spent on a smaller file) into `*bytes` (`*length` of them,
   freed with memorial_vips_free), or saves as baseline JPEG with optimized Huffman tables; every
   metadata block (EXIF, GPS, XMP, ICC) the image had is left out. */
int memorial_vips_encode_webp(VipsImage *in, int quality, int effort, void **bytes, size_t *length);
void memorial_vips_free(void *bytes);
int memorial_vips_save_jpeg(VipsImage *in, const char *path, int quality);

/* IIIF Image API 3 level 0 tiles (`tile_size`, JPEG, stripped) in the folder `path`. */
int memorial_vips_tiles(VipsImage *in, const char *path, int tile_size);

int memorial_vips_width(VipsImage *image);
int memorial_vips_height(VipsImage *image);
void memorial_vips_release(VipsImage *image);

/* A placeholder card: `text` (Pango markup, escaped by the caller) in black on a pale grey
   page of `width` x `height`. */
int memorial_vips_card(const char *text, int width, int height, VipsImage **out);

/* Joins `count` images into one multi-page image and saves it as TIFF or PDF-less formats by
   the file name's suffix (a test helper for multi-page TIFFs). */
int memorial_vips_save_pages(VipsImage **pages, int count, const char *path);

#endif
