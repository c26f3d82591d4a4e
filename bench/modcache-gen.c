/*
 * Builds a synthetic GOMODCACHE for bench/modcache.sh: cache/download laid out as cmd/go writes it
 * (per module: @v/list and, per version, .info .mod .zip .ziphash .lock), a few leftovers of
 * interrupted downloads, and extracted module trees. Written in C because Python or the shell need
 * minutes for a million files.
 *
 *   modcache-gen ROOT DOWNLOAD_FILES EXTRACTED_FILES
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char EMPTY_ZIP[22] = {'P', 'K', 5, 6};
static const char *HASH = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

static void mkdirs(char *path) {
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            if (mkdir(path, 0755) != 0 && errno != EEXIST) { perror(path); exit(1); }
            *p = '/';
        }
    }
    if (mkdir(path, 0755) != 0 && errno != EEXIST) { perror(path); exit(1); }
}

static void put(const char *dir, const char *name, const void *data, size_t len) {
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) { perror(path); exit(1); }
    if (len && write(fd, data, len) != (ssize_t)len) { perror(path); exit(1); }
    close(fd);
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s ROOT DOWNLOAD_FILES EXTRACTED_FILES\n", argv[0]); return 2; }
    const char *root = argv[1];
    long download = atol(argv[2]), extracted = atol(argv[3]);
    const int versions = 3, per_module = 1 + versions * 5;
    long modules = download / per_module;
    char dir[4096], name[256], info[256];
    long files = 0;
    for (long m = 0; m < modules; m++) {
        snprintf(dir, sizeof dir, "%s/cache/download/example.com/o%ld/m%ld/@v", root, m / 100, m);
        mkdirs(dir);
        put(dir, "list", "v1.0.0\nv1.1.0\nv1.2.0\n", 21);
        for (int v = 0; v < versions; v++) {
            int n = snprintf(info, sizeof info, "{\"Version\":\"v1.%d.0\",\"Time\":\"2024-01-01T00:00:00Z\"}", v);
            snprintf(name, sizeof name, "v1.%d.0.info", v); put(dir, name, info, n);
            n = snprintf(info, sizeof info, "module example.com/o%ld/m%ld\n", m / 100, m);
            snprintf(name, sizeof name, "v1.%d.0.mod", v); put(dir, name, info, n);
            snprintf(name, sizeof name, "v1.%d.0.zip", v); put(dir, name, EMPTY_ZIP, sizeof EMPTY_ZIP);
            snprintf(name, sizeof name, "v1.%d.0.ziphash", v); put(dir, name, HASH, strlen(HASH));
            snprintf(name, sizeof name, "v1.%d.0.lock", v); put(dir, name, "", 0);
        }
        files += per_module;
        /* A few leftovers of interrupted downloads, as a real long-lived cache has. */
        if (m % 5000 == 4999) { put(dir, "v1.2.0.partial", "", 0); files++; }
        if (m % 5000 == 2499) { put(dir, "v1.3.0.zip123456.tmp", "x", 1); files++; }
    }
    /* Extracted trees: never walked by the scan, present so that it can be shown they cost nothing. */
    const int per_dir = 80;
    for (long i = 0, d = 0; i < extracted; d++) {
        snprintf(dir, sizeof dir, "%s/example.com/o%ld/m%ld@v1.0.0/pkg", root, d / 100, d);
        mkdirs(dir);
        for (int k = 0; k < per_dir && i < extracted; k++, i++) {
            snprintf(name, sizeof name, "f%d.go", k);
            put(dir, name, "package pkg\n", 12);
        }
    }
    printf("%s: %ld files under cache/download (%ld modules), %ld extracted files\n", root, files, modules, extracted);
    return 0;
}
