#include "VipsShim.h"

#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

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
    static int started = 0;
    static int status = 0;
    static GMutex lock;
    g_mutex_lock(&lock);
    if (!started) {
        status = VIPS_INIT("memorial") == 0 ? 0 : -1;
        g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, ignore_log, NULL);
        if (status == 0) {
            // Decoded pages are not kept between operations: each page is made once.
            vips_cache_set_max(0);
            default_threads = vips_concurrency_get();
        }
        started = 1;
    }
    g_mutex_unlock(&lock);
    return status;
}

void memorial_vips_set_threads(int threads) { vips_concurrency_set(threads > 0 ? threads : default_threads); }

char *memorial_vips_error(void) {
    char *message = strdup(vips_error_buffer());
    vips_error_clear();
    return message;
}

char *memorial_vips_loader(const char *path) {
    const char *name = vips_foreign_find_load(path);
    if (name == NULL) {
        vips_error_clear();
        return NULL;
    }
    return strdup(name);
}

static VipsImage *open_page(const char *path, int page, int is_pdf, int dpi) {
    if (is_pdf) {
        return vips_image_new_from_file(
            path, "page", page, "dpi", (double)dpi, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    }
    if (page > 0) {
        return vips_image_new_from_file(path, "page", page, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    }
    return vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
}

int memorial_vips_page_count(const char *path, int is_pdf, int *pages) {
    VipsImage *image = open_page(path, 0, is_pdf, 72);
    if (image == NULL) return -1;
    *pages = vips_image_get_n_pages(image);
    g_object_unref(image);
    return 0;
}

// Removes every metadata field a saver could write (EXIF with GPS, XMP, IPTC, ICC profiles,
// Photoshop blocks), so that no derivative carries them whatever each saver's `strip` does.
static void strip_metadata(VipsImage *image) {
    gchar **fields = vips_image_get_fields(image);
    for (int i = 0; fields[i] != NULL; i++) {
        const char *name = fields[i];
        if (g_str_has_prefix(name, "exif-") || g_str_has_prefix(name, "xmp-") || g_str_has_prefix(name, "iptc-")
            || g_str_has_prefix(name, "icc-") || g_str_has_prefix(name, "ipct-")
            || g_str_has_prefix(name, "photoshop-") || g_str_has_prefix(name, "png-comment")
            || g_str_has_prefix(name, "jpeg-") || g_str_has_prefix(name, "orientation")) {
            vips_image_remove(image, name);
        }
    }
    g_strfreev(fields);
}

int memorial_vips_load_page(const char *path, int page, int is_pdf, int dpi, VipsImage **out) {
    VipsImage *image = open_page(path, page, is_pdf, dpi);
    if (image == NULL) return -1;
    VipsImage *current = image;
    VipsImage *next = NULL;
    // Colour managed where the file says how (an embedded profile), else as the file's space
    // says; then 8 bits per band, three bands, no alpha.
    if (vips_image_get_typeof(current, VIPS_META_ICC_NAME)) {
        if (vips_icc_transform(current, &next, "srgb", "embedded", TRUE, "intent",
                VIPS_INTENT_RELATIVE, NULL) == 0) {
            g_object_unref(current);
            current = next;
        } else {
            vips_error_clear();
        }
    }
    if (vips_image_hasalpha(current)) {
        double white[] = {255, 255, 255};
        VipsArrayDouble *background = vips_array_double_new(white, 3);
        int failed = vips_flatten(current, &next, "background", background, NULL);
        vips_area_unref(VIPS_AREA(background));
        g_object_unref(current);
        if (failed) return -1;
        current = next;
    }
    if (vips_colourspace(current, &next, VIPS_INTERPRETATION_sRGB, NULL)) {
        g_object_unref(current);
        return -1;
    }
    g_object_unref(current);
    current = next;
    if (current->BandFmt != VIPS_FORMAT_UCHAR) {
        if (vips_cast_uchar(current, &next, NULL)) {
            g_object_unref(current);
            return -1;
        }
        g_object_unref(current);
        current = next;
    }
    // Decoded once into memory: the reading size, the thumbnail and the tiles read it again.
    next = vips_image_copy_memory(current);
    g_object_unref(current);
    if (next == NULL) return -1;
    strip_metadata(next);
    *out = next;
    return 0;
}

int memorial_vips_resize(VipsImage *in, int width, VipsImage **out) {
    VipsImage *scaled = NULL;
    // vips_resize (Lanczos 3, as ImageMagick's -resize) rather than vips_thumbnail_image, which
    // costs a tenth more for the colour handling load_page has done.
    if (width >= vips_image_get_width(in)) {
        if (vips_copy(in, &scaled, NULL)) return -1;
    } else if (vips_resize(in, &scaled, (double)width / vips_image_get_width(in), NULL)) {
        return -1;
    }
    // Scaled once into memory: left lazy, each save (WebP, JPEG) and the thumbnail made from it
    // would scale the page again (three times, half the time of a page).
    VipsImage *copy = vips_image_copy_memory(scaled);
    g_object_unref(scaled);
    if (copy == NULL) return -1;
    *out = copy;
    return 0;
}

int memorial_vips_save_webp(VipsImage *in, const char *path, int quality, int effort) {
    return vips_webpsave(in, path, "Q", quality, "effort", effort, "strip", TRUE, NULL);
}

int memorial_vips_save_jpeg(VipsImage *in, const char *path, int quality) {
    return vips_jpegsave(in, path, "Q", quality, "strip", TRUE, "optimize_coding", TRUE, NULL);
}

int memorial_vips_tiles(VipsImage *in, const char *path, int tile_size) {
    return vips_dzsave(in, path, "layout", VIPS_FOREIGN_DZ_LAYOUT_IIIF3, "tile_size", tile_size,
        "overlap", 0, "suffix", ".jpg[Q=80,strip]", NULL);
}

int memorial_vips_width(VipsImage *image) { return vips_image_get_width(image); }

int memorial_vips_height(VipsImage *image) { return vips_image_get_height(image); }

void memorial_vips_release(VipsImage *image) {
    if (image != NULL) g_object_unref(image);
}

int memorial_vips_card(const char *text, int width, int height, VipsImage **out) {
    VipsImage *mask = NULL;
    if (vips_text(&mask, text, "width", width * 8 / 10, "dpi", width / 6, "align", VIPS_ALIGN_CENTRE,
            "rgba", FALSE, NULL)) {
        return -1;
    }
    // Black text on a pale grey page, the text centred.
    VipsImage *ink = NULL;
    if (vips_linear1(mask, &ink, -200.0 / 255.0, 235.0, "uchar", TRUE, NULL)) {
        g_object_unref(mask);
        return -1;
    }
    int left = (width - vips_image_get_width(ink)) / 2;
    int top = (height - vips_image_get_height(ink)) / 2;
    double grey[] = {235};
    VipsArrayDouble *background = vips_array_double_new(grey, 1);
    VipsImage *page = NULL;
    int failed = vips_embed(ink, &page, left > 0 ? left : 0, top > 0 ? top : 0, width, height,
        "extend", VIPS_EXTEND_BACKGROUND, "background", background, NULL);
    vips_area_unref(VIPS_AREA(background));
    g_object_unref(mask);
    g_object_unref(ink);
    if (failed) return -1;
    VipsImage *rgb = NULL;
    failed = vips_colourspace(page, &rgb, VIPS_INTERPRETATION_sRGB, NULL);
    g_object_unref(page);
    if (failed) return -1;
    *out = rgb;
    return 0;
}

int memorial_vips_save_pages(VipsImage **pages, int count, const char *path) {
    VipsImage *joined = NULL;
    if (vips_arrayjoin(pages, &joined, count, "across", 1, NULL)) return -1;
    VipsImage *copy = NULL;
    if (vips_copy(joined, &copy, NULL)) {
        g_object_unref(joined);
        return -1;
    }
    g_object_unref(joined);
    vips_image_set_int(copy, VIPS_META_PAGE_HEIGHT, vips_image_get_height(pages[0]));
    int failed = vips_image_write_to_file(copy, path, NULL);
    g_object_unref(copy);
    return failed;
}
