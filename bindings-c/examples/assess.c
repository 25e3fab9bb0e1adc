/*
 * assess: can a dispute be opened for this order, and by when?
 *
 *   assess [facts.json] [now]
 *
 * Reads order facts (default: dispute-rules/tests/data/not_received.json),
 * prints the eligibility answer of the engine as JSON, then the same order's
 * key deadlines through the typed API (no JSON on the hot path).
 *
 * Build: cc assess.c $(pkg-config --cflags --libs dispute_rules) -o assess
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dispute_rules.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

static void print_time(const char *label, long long secs) {
    char text[32] = "-";
    if (secs != 0) {
        time_t t = (time_t)secs;
        struct tm tm;
        strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", gmtime_r(&t, &tm));
    }
    printf("  %-20s %s\n", label, text);
}

/* "2026-03-20T12:00:00Z" as unix seconds (0 if malformed). */
static long long parse_utc(const char *rfc3339) {
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (sscanf(rfc3339, "%d-%d-%dT%d:%d:%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6) {
        return 0;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return (long long)timegm(&tm);
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "dispute-rules/tests/data/not_received.json";
    const char *now = argc > 2 ? argv[2] : "2026-03-20T12:00:00Z";
    char *facts = read_file(path);
    char *request;
    char *answer = NULL;
    dr_error *err = NULL;
    dr_policy *policy = NULL;
    dr_order order = DR_ORDER_INIT;
    dr_eligibility e = DR_ELIGIBILITY_INIT;
    size_t size;

    if (facts == NULL) {
        fprintf(stderr, "assess: cannot read %s\n", path);
        return 2;
    }

    /* 1. JSON in, JSON out: the same answer as Rust and Python give. */
    size = strlen(facts) + strlen(now) + 64;
    request = malloc(size);
    if (request == NULL) {
        free(facts);
        return 2;
    }
    snprintf(request, size, "{\"facts\": %s, \"now\": \"%s\", \"policy\": \"aliexpress\"}", facts,
             now);
    free(facts);
    if (dr_eligibility_json(request, &answer, &err) != DR_STATUS_OK) {
        fprintf(stderr, "assess: %s (field `%s`)\n", dr_error_message(err), dr_error_field(err));
        dr_error_free(err);
        free(request);
        return 1;
    }
    printf("%s\n", answer);
    dr_string_free(answer);
    free(request);

    /* 2. The typed hot path: the sample order as a plain struct. */
    if (dr_policy_new_preset("aliexpress", &policy, &err) != DR_STATUS_OK) {
        fprintf(stderr, "assess: %s\n", dr_error_message(err));
        dr_error_free(err);
        return 1;
    }
    order.order_id = "8123";
    order.line_id = "1";
    order.currency = "USD";
    order.amount_scale = 2;
    order.unit_price_minor = 1999; /* 19.99 USD */
    order.quantity = 1;
    order.placed_at = parse_utc("2026-02-27T09:00:00Z");
    order.paid_at = parse_utc("2026-02-27T09:01:00Z");
    order.shipped_at = parse_utc("2026-03-01T18:00:00Z");
    order.shipping_method = "standard";
    order.destination_country = "US";
    order.tracking = DR_TRACKING_NONE;
    order.payment_method = DR_PAYMENT_METHOD_CARD;
    if (dr_order_eligibility(policy, &order, parse_utc(now), &e, &err) != DR_STATUS_OK) {
        fprintf(stderr, "assess: %s\n", dr_error_message(err));
        dr_error_free(err);
        dr_policy_free(policy);
        return 1;
    }
    printf("order 8123/1 at %s: %s", now, dr_eligibility_status_name(e.status));
    if (e.ineligible != DR_INELIGIBLE_NONE) {
        printf(" (%s: %s)", dr_ineligible_code(e.ineligible), dr_ineligible_text(e.ineligible));
    }
    printf("\n");
    print_time("window opens", e.opens_at);
    print_time("window closes", e.closes_at);
    print_time("protection ends", e.protection_end);
    print_time("extension deadline", e.extension_deadline);
    if (e.next_action != DR_ACTION_NONE) {
        printf("  next: %s\n", dr_action_name(e.next_action));
        print_time("  before", e.next_action_deadline);
    }
    dr_policy_free(policy);
    return 0;
}
