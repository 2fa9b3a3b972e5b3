#include "VipsShim.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

// libvips is opened with dlopen(3) at the first image a build makes, not linked: linked, it and
// the 120 libraries it needs (X11, HDF5, OpenEXR, curl...) were loaded at every start, 0.3 s of
// a no-change rebuild whose files were not in memory. Each call below goes through a pointer of
// the function's own type (`__typeof__`), so the headers still check every call.
#define VIPS_CALLS(X) \
    X(g_free) \
    X(g_log_set_handler) \
    X(g_object_unref) \
    X(g_strfreev) \
    X(vips_area_unref) \
    X(vips_array_double_new) \
    X(vips_arrayjoin) \
    X(vips_cache_set_max) \
    X(vips_cast_uchar) \
    X(vips_colourspace) \
    X(vips_concurrency_get) \
    X(vips_concurrency_set) \
    X(vips_copy) \
    X(vips_dzsave) \
    X(vips_embed) \
    X(vips_error_buffer) \
    X(vips_error_clear) \
    X(vips_flatten) \
    X(vips_foreign_find_load) \
    X(vips_icc_transform) \
    X(vips_image_copy_memory) \
    X(vips_image_get_fields) \
    X(vips_image_get_height) \
    X(vips_image_get_n_pages) \
    X(vips_image_get_typeof) \
    X(vips_image_get_width) \
    X(vips_image_hasalpha) \
    X(vips_image_new_from_file) \
    X(vips_image_remove) \
    X(vips_image_set_int) \
    X(vips_image_write_to_file) \
    X(vips_init) \
    X(vips_jpegsave) \
    X(vips_linear1) \
    X(vips_resize) \
    X(vips_text) \
    X(vips_version) \
    X(vips_webpsave_buffer)

#define DECLARE(name) static __typeof__(name) *p_##name;
VIPS_CALLS(DECLARE)

static void *library = NULL;
static char load_failure[512] = "";

// Opens libvips and finds every function; 0 on success, else -1 with `load_failure` set.
static int open_library(void) {
    library = dlopen("libvips.so.42", RTLD_NOW | RTLD_GLOBAL);
    if (library == NULL) {
        snprintf(load_failure, sizeof load_failure, "%s (install libvips, e.g. apt-get install libvips42)", dlerror());
        return -1;
    }
#define RESOLVE(name) \
    if ((p_##name = (__typeof__(name) *)dlsym(library, #name)) == NULL) { \
        snprintf(load_failure, sizeof load_failure, "libvips.so.42 has no %s", #name); \
        return -1; \
    }
    VIPS_CALLS(RESOLVE)
    return 0;
}

// libvips reports a damaged but readable file (a PNG chunk's checksum) as a GLib warning on
// standard error; memorial reports only what stops it, as a located error.
static void ignore_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

// libvips' own choice (one per core, or VIPS_CONCURRENCY), as it was at start.
static int default_threads = 0;

int memorial_vips_start(void) {
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static int started = 0;
    static int status = 0;
    pthread_mutex_lock(&lock);
    if (!started) {
        status = open_library();
        // VIPS_INIT's check: the library's ABI is the one the headers describe.
        if (status == 0 && p_vips_version(3) - p_vips_version(5) != VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE) {
            snprintf(load_failure, sizeof load_failure, "libvips.so.42 has ABI version %d, memorial was built for %d",
                p_vips_version(3) - p_vips_version(5), VIPS_LIBRARY_CURRENT - VIPS_LIBRARY_AGE);
            status = -1;
        }
        if (status == 0) status = p_vips_init("memorial") == 0 ? 0 : -1;
        if (status == 0) {
            p_g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, ignore_log, NULL);
            // Decoded pages are not kept between operations: each page is made once.
            p_vips_cache_set_max(0);
            default_threads = p_vips_concurrency_get();
        }
        started = 1;
    }
    pthread_mutex_unlock(&lock);
    return status;
}

void memorial_vips_set_threads(int threads) { p_vips_concurrency_set(threads > 0 ? threads : default_threads); }

char *memorial_vips_error(void) {
    if (library == NULL || load_failure[0] != 0) return strdup(load_failure[0] != 0 ? load_failure : "libvips is not loaded");
    char *message = strdup(p_vips_error_buffer());
    p_vips_error_clear();
    return message;
}

char *memorial_vips_loader(const char *path) {
    const char *name = p_vips_foreign_find_load(path);
    if (name == NULL) {
        p_vips_error_clear();
        return NULL;
    }
    return strdup(name);
}

static VipsImage *open_page(const char *path, int page, int is_pdf, int dpi) {
    if (is_pdf) {
        return p_vips_image_new_from_file(
            path, "page", page, "dpi", (double)dpi, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    }
    if (page > 0) {
        return p_vips_image_new_from_file(path, "page", page, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    }
    return p_vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

int memorial_vips_page_count(const char *path, int is_pdf, int *pages) {
    VipsImage *image = open_page(path, 0, is_pdf, 72);
    if (image == NULL) return -1;
    *pages = p_vips_image_get_n_pages(image);
    p_g_object_unref(image);
    return 0;
}

static int has_prefix(const char *text, const char *prefix) { return strncmp(text, prefix, strlen(prefix)) == 0; }

// Removes every metadata field a saver could write (EXIF with GPS, XMP, IPTC, ICC profiles,
// Photoshop blocks), so that no derivative carries them whatever each saver's `strip` does.
static void strip_metadata(VipsImage *image) {
    gchar **fields = p_vips_image_get_fields(image);
    for (int i = 0; fields[i] != NULL; i++) {
        const char *name = fields[i];
        if (has_prefix(name, "exif-") || has_prefix(name, "xmp-") || has_prefix(name, "iptc-")
            || has_prefix(name, "icc-") || has_prefix(name, "ipct-")
            || has_prefix(name, "photoshop-") || has_prefix(name, "png-comment")
            || has_prefix(name, "jpeg-") || has_prefix(name, "orientation")) {
            p_vips_image_remove(image, name);
        }
    }
    p_g_strfreev(fields);
}

int memorial_vips_load_page(const char *path, int page, int is_pdf, int dpi, VipsImage **out) {
    VipsImage *image = open_page(path, page, is_pdf, dpi);
    if (image == NULL) return -1;
    VipsImage *current = image;
    VipsImage *next = NULL;
    // Colour managed where the file says how (an embedded profile), else as the file's space
    // says; then 8 bits per band, three bands, no alpha.
    if (p_vips_image_get_typeof(current, VIPS_META_ICC_NAME)) {
        if (p_vips_icc_transform(current, &next, "srgb", "embedded", TRUE, "intent",
                VIPS_INTENT_RELATIVE, NULL) == 0) {
            p_g_object_unref(current);
            current = next;
        } else {
            p_vips_error_clear();
        }
    }
    if (p_vips_image_hasalpha(current)) {
        double white[] = {255, 255, 255};
        VipsArrayDouble *background = p_vips_array_double_new(white, 3);
        int failed = p_vips_flatten(current, &next, "background", background, NULL);
        p_vips_area_unref(VIPS_AREA(background));
        p_g_object_unref(current);
        if (failed) return -1;
        current = next;
    }
    if (p_vips_colourspace(current, &next, VIPS_INTERPRETATION_sRGB, NULL)) {
        p_g_object_unref(current);
        return -1;
    }
    p_g_object_unref(current);
    current = next;
    if (current->BandFmt != VIPS_FORMAT_UCHAR) {
        if (p_vips_cast_uchar(current, &next, NULL)) {
            p_g_object_unref(current);
            return -1;
        }
        p_g_object_unref(current);
        current = next;
    }
    // Decoded once into memory: the reading size, the thumbnail and the tiles read it again.
    next = p_vips_image_copy_memory(current);
    p_g_object_unref(current);
    if (next == NULL) return -1;
    strip_metadata(next);
    *out = next;
    return 0;
}

int memorial_vips_resize(VipsImage *in, int width, VipsImage **out) {
    VipsImage *scaled = NULL;
    // p_vips_resize (Lanczos 3, as ImageMagick's -resize) rather than vips_thumbnail_image, which
    // costs a tenth more for the colour handling load_page has done.
    if (width >= p_vips_image_get_width(in)) {
        if (p_vips_copy(in, &scaled, NULL)) return -1;
    } else if (p_vips_resize(in, &scaled, (double)width / p_vips_image_get_width(in), NULL)) {
        return -1;
    }
    // Scaled once into memory: left lazy, each save (WebP, JPEG) and the thumbnail made from it
    // would scale the page again (three times, half the time of a page).
    VipsImage *copy = p_vips_image_copy_memory(scaled);
    p_g_object_unref(scaled);
    if (copy == NULL) return -1;
    *out = copy;
    return 0;
}

int memorial_vips_encode_webp(VipsImage *in, int quality, int effort, void **bytes, size_t *length) {
    return p_vips_webpsave_buffer(in, bytes, length, "Q", quality, "effort", effort, "strip", TRUE, NULL);
}

void memorial_vips_free(void *bytes) { p_g_free(bytes); }

int memorial_vips_save_jpeg(VipsImage *in, const char *path, int quality) {
    return p_vips_jpegsave(in, path, "Q", quality, "strip", TRUE, "optimize_coding", TRUE, NULL);
}

int memorial_vips_tiles(VipsImage *in, const char *path, int tile_size) {
    return p_vips_dzsave(in, path, "layout", VIPS_FOREIGN_DZ_LAYOUT_IIIF3, "tile_size", tile_size,
        "overlap", 0, "suffix", ".jpg[Q=80,strip]", NULL);
}

int memorial_vips_width(VipsImage *image) { return p_vips_image_get_width(image); }

int memorial_vips_height(VipsImage *image) { return p_vips_image_get_height(image); }

void memorial_vips_release(VipsImage *image) {
    if (image != NULL) p_g_object_unref(image);
}

int memorial_vips_card(const char *text, int width, int height, VipsImage **out) {
    VipsImage *mask = NULL;
    if (p_vips_text(&mask, text, "width", width * 8 / 10, "dpi", width / 6, "align", VIPS_ALIGN_CENTRE,
            "rgba", FALSE, NULL)) {
        return -1;
    }
    // Black text on a pale grey page, the text centred.
    VipsImage *ink = NULL;
    if (p_vips_linear1(mask, &ink, -200.0 / 255.0, 235.0, "uchar", TRUE, NULL)) {
        p_g_object_unref(mask);
        return -1;
    }
    int left = (width - p_vips_image_get_width(ink)) / 2;
    int top = (height - p_vips_image_get_height(ink)) / 2;
    double grey[] = {235};
    VipsArrayDouble *background = p_vips_array_double_new(grey, 1);
    VipsImage *page = NULL;
    int failed = p_vips_embed(ink, &page, left > 0 ? left : 0, top > 0 ? top : 0, width, height,
        "extend", VIPS_EXTEND_BACKGROUND, "background", background, NULL);
    p_vips_area_unref(VIPS_AREA(background));
    p_g_object_unref(mask);
    p_g_object_unref(ink);
    if (failed) return -1;
    VipsImage *rgb = NULL;
    failed = p_vips_colourspace(page, &rgb, VIPS_INTERPRETATION_sRGB, NULL);
    p_g_object_unref(page);
    if (failed) return -1;
    *out = rgb;
    return 0;
}

int memorial_vips_save_pages(VipsImage **pages, int count, const char *path) {
    VipsImage *joined = NULL;
    if (p_vips_arrayjoin(pages, &joined, count, "across", 1, NULL)) return -1;
    VipsImage *copy = NULL;
    if (p_vips_copy(joined, &copy, NULL)) {
        p_g_object_unref(joined);
        return -1;
    }
    p_g_object_unref(joined);
    p_vips_image_set_int(copy, VIPS_META_PAGE_HEIGHT, p_vips_image_get_height(pages[0]));
    int failed = p_vips_image_write_to_file(copy, path, NULL);
    p_g_object_unref(copy);
    return failed;
}
