/*
 * Shared fixtures of the C and C++ tests: the sample facts file and a few
 * helpers. The data directory is the program's first argument (default
 * dispute-rules/tests/data, relative to the repository root).
 */
#ifndef DR_TEST_FIXTURE_H
#define DR_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dispute_rules.h"

static const char *dr_data_dir = "dispute-rules/tests/data";

/* Reads a whole file into a malloc'd, NUL-terminated buffer (NULL on error). */
static inline char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = (char *)malloc((size_t)n + 1);
        if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/* The sample facts (dispute-rules/tests/data/not_received.json), or exits. */
static inline char *sample_facts(void) {
    char path[1024];
    char *text;
    snprintf(path, sizeof path, "%s/not_received.json", dr_data_dir);
    text = read_file(path);
    if (text == NULL) {
        fprintf(stderr, "cannot read %s (pass the data directory as the first argument)\n", path);
        exit(2);
    }
    return text;
}

/* A request {"facts": <facts>, "now": <now><extra>}, malloc'd. */
static inline char *make_request(const char *facts, const char *now, const char *extra) {
    size_t n = strlen(facts) + strlen(now) + strlen(extra) + 64;
    char *req = (char *)malloc(n);
    if (req == NULL) {
        exit(2);
    }
    snprintf(req, n, "{\"facts\": %s, \"now\": \"%s\"%s}", facts, now, extra);
    return req;
}

/* Unix seconds as RFC 3339 UTC the way the engine writes it: 2026-03-12T07:00:00Z. */
static inline void rfc3339(long long secs, char *out, size_t size) {
    time_t t = (time_t)secs;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Unix seconds of a UTC calendar time. */
static inline long long utc(int year, int month, int day, int hour, int minute) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    return (long long)timegm(&tm);
}

/* The sample order (not_received.json) as a dr_order. */
static inline dr_order sample_order(void) {
    dr_order o;
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.order_id = "8123";
    o.line_id = "1";
    o.currency = "USD";
    o.amount_scale = 2;
    o.quantity = 1;
    o.unit_price_minor = 1999;
    o.shipping_cost_minor = 0;
    o.placed_at = utc(2026, 2, 27, 9, 0);
    o.paid_at = utc(2026, 2, 27, 9, 1);
    o.shipped_at = utc(2026, 3, 1, 18, 0);
    o.shipping_method = "standard";
    o.destination_country = "US";
    o.tracking = DR_TRACKING_NONE;
    o.payment_method = DR_PAYMENT_METHOD_CARD;
    return o;
}

#endif /* DR_TEST_FIXTURE_H */
