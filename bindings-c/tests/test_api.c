/*
 * The C API at work: the JSON operations, the typed hot path (checked against
 * the JSON answer for the same order), policies, the batch call, and the
 * name lookups.
 *
 * Usage: test_api [data-dir]
 */
#define _DEFAULT_SOURCE
#include "check.h"
#include "fixture.h"

static char *facts;

/* Runs a JSON operation that must succeed; returns the answer (free it). */
static char *ok_call(const char *op, const char *request) {
    char *answer = NULL;
    dr_error *err = NULL;
    dr_status st = dr_call(op, request, &answer, &err);
    CHECK(st == DR_STATUS_OK);
    if (st != DR_STATUS_OK) {
        fprintf(stderr, "%s failed: %s\n", op, dr_error_message(err));
        dr_error_free(err);
        return NULL;
    }
    return answer;
}

/* `"key":{"utc":"<secs as RFC 3339>"` appears in the JSON answer. */
static void check_json_instant(const char *json, const char *key, long long secs) {
    char when[64];
    char needle[128];
    rfc3339(secs, when, sizeof when);
    snprintf(needle, sizeof needle, "\"%s\":{\"utc\":\"%s\"", key, when);
    CHECK_CONTAINS(json, needle);
}

static dr_policy *preset(const char *id) {
    dr_policy *p = NULL;
    CHECK(dr_policy_new_preset(id, &p, NULL) == DR_STATUS_OK);
    return p;
}

TEST(operations_are_listed) {
    size_t n = dr_operation_count();
    size_t i;
    int eligibility = 0;
    CHECK(n >= 5);
    for (i = 0; i < n; i++) {
        CHECK(dr_operation_name(i) != NULL);
        if (dr_operation_name(i) && strcmp(dr_operation_name(i), "eligibility") == 0) {
            eligibility = 1;
        }
    }
    CHECK(eligibility);
    CHECK(dr_operation_name(n) == NULL);
    CHECK(strlen(dr_version()) >= 5);
}

/* Runs `op` through dr_call and `fn`; both must answer alike (success or failure). */
static void same_answer(const char *op, dr_status (*fn)(const char *, char **, dr_error **),
                        const char *req) {
    char *a = NULL;
    char *b = NULL;
    dr_error *ea = NULL;
    dr_error *eb = NULL;
    dr_status sa = dr_call(op, req, &a, &ea);
    dr_status sb = fn(req, &b, &eb);
    CHECK(sa == sb);
    if (sa == DR_STATUS_OK && sb == DR_STATUS_OK) {
        CHECK_STR(a, b);
    } else {
        CHECK_STR(dr_error_json(ea), dr_error_json(eb));
    }
    dr_string_free(a);
    dr_string_free(b);
    dr_error_free(ea);
    dr_error_free(eb);
}

TEST(named_wrappers_answer_as_dr_call) {
    typedef dr_status (*json_fn)(const char *, char **, dr_error **);
    static const struct {
        const char *op;
        json_fn fn;
    } named[] = {
        {"eligibility", dr_eligibility_json},
        {"timeline", dr_timeline_json},
        {"assess", dr_assess_json},
        {"validate_facts", dr_validate_facts_json},
        {"policy", dr_policy_json},
        {"reasons", dr_reasons_json},
        {"suggest_reasons", dr_suggest_reasons_json},
        {"check_claim", dr_check_claim_json},
        {"evidence_checklist", dr_evidence_checklist_json},
        {"lifecycle_open", dr_lifecycle_open_json},
        {"lifecycle_apply", dr_lifecycle_apply_json},
        {"lifecycle_advance", dr_lifecycle_advance_json},
        {"lifecycle_status", dr_lifecycle_status_json},
        {"lifecycle_allowed", dr_lifecycle_allowed_json},
    };
    const char *extras[] = {
        ", \"explain\": true",
        ", \"policy\": \"aliexpress-legacy\", \"report\": {\"received\": false}",
        ", \"claim\": {\"reason\": \"not_received.no_tracking\", \"solution\": \"refund_only\","
        " \"refund\": {\"amount\": \"19.99\", \"currency\": \"USD\"}}",
    };
    size_t n = sizeof named / sizeof named[0];
    size_t i, j, k;
    /* (That every operation has a wrapper is checked on the Rust side.) */
    for (i = 0; i < n; i++) {
        int listed = 0;
        for (k = 0; k < dr_operation_count(); k++) {
            listed |= strcmp(dr_operation_name(k), named[i].op) == 0;
        }
        CHECK(listed);
        for (j = 0; j < 3; j++) {
            char *req = make_request(facts, "2026-03-20T12:00:00Z", extras[j]);
            same_answer(named[i].op, named[i].fn, req);
            free(req);
        }
        same_answer(named[i].op, named[i].fn, "{\"facts\": {}}");
    }
}

TEST(check_claim_json) {
    char *req = make_request(
        facts, "2026-03-20T12:00:00Z",
        ", \"claim\": {\"reason\": \"not_received.no_tracking\", \"solution\": \"refund_only\","
        " \"refund\": {\"amount\": \"19.99\", \"currency\": \"USD\"}}");
    char *answer = NULL;
    CHECK(dr_check_claim_json(req, &answer, NULL) == DR_STATUS_OK);
    CHECK_CONTAINS(answer, "{\"result\":\"success\"");
    CHECK_CONTAINS(answer, "\"R-R3\"");
    dr_string_free(answer);
    free(req);
}

TEST(a_loaded_policy_is_the_default) {
    dr_policy *legacy = preset("aliexpress-legacy");
    char *answer = NULL;
    dr_error *err = NULL;
    char *req = make_request(facts, "2026-03-20T12:00:00Z", "");
    char *own = make_request(facts, "2026-03-20T12:00:00Z", ", \"policy\": \"aliexpress\"");
    CHECK(dr_call_with_policy(legacy, "policy", req, &answer, NULL) == DR_STATUS_OK);
    CHECK_CONTAINS(answer, "\"id\":\"aliexpress-legacy\"");
    dr_string_free(answer);
    /* The request's own policy wins. */
    CHECK(dr_call_with_policy(legacy, "policy", own, &answer, NULL) == DR_STATUS_OK);
    CHECK_CONTAINS(answer, "\"id\":\"aliexpress\"");
    dr_string_free(answer);
    CHECK(dr_call_with_policy(NULL, "policy", req, &answer, &err) == DR_STATUS_NULL_ARGUMENT);
    CHECK_STR(dr_error_field(err), "policy");
    dr_error_free(err);
    free(req);
    free(own);
    dr_policy_free(legacy);
}

TEST(eligibility_json_of_the_sample) {
    char *req = make_request(facts, "2026-03-20T12:00:00Z", "");
    char *answer = ok_call("eligibility", req);
    /* R-E1: opens 00:00 Pacific on the 11th day after shipment. */
    CHECK_CONTAINS(answer, "\"status\":\"eligible\"");
    CHECK_CONTAINS(answer, "\"opens_at\":{\"utc\":\"2026-03-12T07:00:00Z\"");
    CHECK_CONTAINS(answer, "\"R-E1\"");
    CHECK(strstr(answer, "\"explanation\"") == NULL);
    dr_string_free(answer);
    free(req);
    /* Explanations only when asked for. */
    req = make_request(facts, "2026-03-20T12:00:00Z", ", \"explain\": true");
    answer = ok_call("eligibility", req);
    CHECK_CONTAINS(answer, "\"explanation\"");
    dr_string_free(answer);
    free(req);
}

TEST(typed_eligibility_matches_the_json_answer) {
    const char *nows[] = {"2026-03-02T12:00:00Z", "2026-03-20T12:00:00Z", "2026-04-28T00:00:00Z",
                          "2026-09-01T00:00:00Z"};
    const long long now_secs[] = {utc(2026, 3, 2, 12, 0), utc(2026, 3, 20, 12, 0),
                                  utc(2026, 4, 28, 0, 0), utc(2026, 9, 1, 0, 0)};
    dr_policy *policy = preset("aliexpress");
    dr_order order = sample_order();
    size_t i;
    for (i = 0; i < 4; i++) {
        dr_eligibility e = DR_ELIGIBILITY_INIT;
        char needle[128];
        char *req = make_request(facts, nows[i], "");
        char *json = ok_call("eligibility", req);
        CHECK(dr_order_eligibility(policy, &order, now_secs[i], &e, NULL) == DR_STATUS_OK);
        snprintf(needle, sizeof needle, "\"status\":\"%s\"", dr_eligibility_status_name(e.status));
        CHECK_CONTAINS(json, needle);
        if (e.ineligible == DR_INELIGIBLE_NONE) {
            CHECK_CONTAINS(json, "\"code\":null");
        } else {
            snprintf(needle, sizeof needle, "\"code\":\"%s\"", dr_ineligible_code(e.ineligible));
            CHECK_CONTAINS(json, needle);
        }
        check_json_instant(json, "opens_at", e.opens_at);
        check_json_instant(json, "closes_at", e.closes_at);
        check_json_instant(json, "protection_end", e.protection_end);
        if (e.next_action != DR_ACTION_NONE) {
            snprintf(needle, sizeof needle, "\"kind\":\"%s\"", dr_action_name(e.next_action));
            CHECK_CONTAINS(json, needle);
        }
        if (e.extension_deadline != 0) {
            CHECK_CONTAINS(json, "\"kind\":\"request_extension\"");
        }
        dr_string_free(json);
        free(req);
    }
    dr_policy_free(policy);
}

TEST(typed_eligibility_through_the_window) {
    dr_policy *policy = preset("aliexpress");
    dr_order order = sample_order();
    dr_eligibility e = DR_ELIGIBILITY_INIT;
    int bit;
    int has_e1 = 0;

    /* Too early (R-E1): the window opens 2026-03-12 00:00 Pacific. */
    CHECK(dr_order_eligibility(policy, &order, utc(2026, 3, 5, 0, 0), &e, NULL) == DR_STATUS_OK);
    CHECK(e.status == DR_ELIGIBILITY_STATUS_NOT_YET);
    CHECK(e.ineligible == DR_INELIGIBLE_TOO_EARLY);
    CHECK_STR(dr_ineligible_code(e.ineligible), "too_early");
    CHECK(e.opens_at == utc(2026, 3, 12, 7, 0));
    /* Soonest deadline first: ask for an extension, then open the dispute. */
    CHECK(e.action_count == 2);
    CHECK(e.next_action == DR_ACTION_REQUEST_EXTENSION);
    CHECK(e.next_action_from == 0);
    CHECK(e.next_action_deadline == e.extension_deadline);
    CHECK(e.extension_deadline > e.opens_at && e.extension_deadline < e.closes_at);

    /* Eligible, with time left to ask for an extension (R-E5). */
    CHECK(dr_order_eligibility(policy, &order, utc(2026, 3, 20, 12, 0), &e, NULL) == DR_STATUS_OK);
    CHECK(e.status == DR_ELIGIBILITY_STATUS_ELIGIBLE);
    CHECK(e.ineligible == DR_INELIGIBLE_NONE);
    CHECK(dr_ineligible_code(e.ineligible) == NULL);
    CHECK(e.closes_at == e.protection_end);
    CHECK(e.extension_deadline > 0 && e.extension_deadline < e.protection_end);
    CHECK(e.action_count >= 2);
    for (bit = 0; bit < 64; bit++) {
        if (e.rules & ((uint64_t)1 << bit)) {
            CHECK(dr_rule_id((uint32_t)bit) != NULL);
            if (dr_rule_id((uint32_t)bit) && strcmp(dr_rule_id((uint32_t)bit), "R-E1") == 0) {
                has_e1 = 1;
            }
        }
    }
    CHECK(has_e1);

    /* Closed after protection ends unconfirmed (R-E4), card: chargeback (R-L7). */
    CHECK(dr_order_eligibility(policy, &order, e.protection_end, &e, NULL) == DR_STATUS_OK);
    CHECK(e.status == DR_ELIGIBILITY_STATUS_CLOSED);
    CHECK(e.ineligible == DR_INELIGIBLE_CONFIRMATION_TIMEOUT);
    CHECK(e.next_action == DR_ACTION_CONSIDER_CHARGEBACK);
    CHECK(dr_ineligible_text(e.ineligible) != NULL);

    /* Not shipped (R-E1): no window at all. */
    order.shipped_at = 0;
    CHECK(dr_order_eligibility(policy, &order, utc(2026, 3, 20, 12, 0), &e, NULL) == DR_STATUS_OK);
    CHECK(e.status == DR_ELIGIBILITY_STATUS_BLOCKED);
    CHECK(e.ineligible == DR_INELIGIBLE_NOT_SHIPPED);
    CHECK(e.opens_at == 0 && e.closes_at == 0 && e.protection_end == 0);
    CHECK(e.next_action == DR_ACTION_NONE);
    dr_policy_free(policy);
}

TEST(typed_eligibility_with_arrays) {
    dr_policy *policy = preset("aliexpress");
    dr_order order = sample_order();
    dr_eligibility plain = DR_ELIGIBILITY_INIT;
    dr_eligibility extended = DR_ELIGIBILITY_INIT;
    dr_eligibility open = DR_ELIGIBILITY_INIT;
    dr_extension ext;
    dr_prior_dispute dispute;
    long long now = utc(2026, 3, 20, 12, 0);

    CHECK(dr_order_eligibility(policy, &order, now, &plain, NULL) == DR_STATUS_OK);
    /* An approved extension pushes the protection end (R-E5). */
    memset(&ext, 0, sizeof ext);
    ext.requested_at = utc(2026, 3, 15, 0, 0);
    ext.days = 10;
    ext.status = DR_EXTENSION_STATUS_APPROVED;
    ext.decided_at = utc(2026, 3, 16, 0, 0);
    order.extensions = &ext;
    order.extension_count = 1;
    CHECK(dr_order_eligibility(policy, &order, now, &extended, NULL) == DR_STATUS_OK);
    CHECK(extended.protection_end > plain.protection_end + 9 * 86400);
    CHECK(extended.protection_end < plain.protection_end + 11 * 86400);

    /* A dispute already open (R-E6). */
    memset(&dispute, 0, sizeof dispute);
    dispute.opened_at = utc(2026, 3, 18, 0, 0);
    dispute.status = DR_PRIOR_DISPUTE_STATUS_OPEN;
    order.disputes = &dispute;
    order.dispute_count = 1;
    CHECK(dr_order_eligibility(policy, &order, now, &open, NULL) == DR_STATUS_OK);
    CHECK(open.status == DR_ELIGIBILITY_STATUS_BLOCKED);
    CHECK(open.ineligible == DR_INELIGIBLE_DISPUTE_ALREADY_OPEN);
    CHECK(open.next_action == DR_ACTION_FOLLOW_OPEN_DISPUTE);
    dr_policy_free(policy);
}

TEST(policies_round_trip_and_differ) {
    dr_policy *a = preset("aliexpress");
    dr_policy *legacy = preset("aliexpress-legacy");
    dr_policy *again = NULL;
    char *json = NULL;
    char *json2 = NULL;
    char *legacy_json = NULL;
    CHECK(dr_policy_to_json(a, &json, NULL) == DR_STATUS_OK);
    CHECK_CONTAINS(json, "\"earliest_open_day\"");
    CHECK(dr_policy_new_json(json, &again, NULL) == DR_STATUS_OK);
    CHECK(dr_policy_to_json(again, &json2, NULL) == DR_STATUS_OK);
    CHECK_STR(json, json2);
    CHECK(dr_policy_to_json(legacy, &legacy_json, NULL) == DR_STATUS_OK);
    CHECK(strcmp(json, legacy_json) != 0);
    dr_string_free(json);
    dr_string_free(json2);
    dr_string_free(legacy_json);
    dr_policy_free(a);
    dr_policy_free(again);
    dr_policy_free(legacy);
}

TEST(batch_reports_each_line) {
    dr_policy *policy = preset("aliexpress");
    size_t n = strlen(facts) * 2 + 64;
    char *jsonl = (char *)malloc(n);
    char *answer = NULL;
    char *flat = facts;
    size_t i;
    /* One document per line: flatten the sample's newlines. */
    for (i = 0; flat[i]; i++) {
        if (flat[i] == '\n') {
            flat[i] = ' ';
        }
    }
    snprintf(jsonl, n, "%s\n\n{\"broken\": true}\n%s\n", flat, flat);
    CHECK(dr_assess_jsonl(policy, utc(2026, 3, 20, 12, 0), false, jsonl, &answer, NULL) ==
          DR_STATUS_OK);
    CHECK_CONTAINS(answer, "{\"result\":\"success\",\"answer\":[{\"line\":1,\"result\":\"success\"");
    CHECK_CONTAINS(answer, "{\"line\":3,\"result\":\"failure\",\"error\":{\"kind\":\"invalid_facts\"");
    CHECK_CONTAINS(answer, "{\"line\":4,\"result\":\"success\"");
    dr_string_free(answer);
    free(jsonl);
    dr_policy_free(policy);
}

/* Counts the lines of `text` (each ends with '\n'). */
static size_t count_lines(const char *text) {
    size_t n = 0;
    for (; *text; text++) {
        n += *text == '\n';
    }
    return n;
}

TEST(batch_jsonl_answers_every_line_in_input_order) {
    dr_policy *policy = preset("aliexpress");
    size_t len = strlen(facts);
    size_t cap = (len + 32) * 600 + 64;
    uint8_t *input = (uint8_t *)malloc(cap);
    size_t at = 0;
    char *one = NULL;
    char *two = NULL;
    char *every = NULL;
    dr_error *err = NULL;
    const char *line;
    const char *first = "{\"index\":0,\"line\":1,\"result\":\"success\",\"answer\":{\"order_id\":\"8123\"";
    char sentinel = 0;
    int i;
    /* One document per line: flatten the sample's newlines. */
    for (i = 0; facts[i]; i++) {
        if (facts[i] == '\n') {
            facts[i] = ' ';
        }
    }
    /* 600 lines (more than the library hands two threads at once): the
     * sample (newlines flattened, as in batch_reports_each_line), a line of
     * invalid UTF-8, garbage, a blank line, CRLF line ends. */
    for (i = 0; i < 600; i++) {
        if (i % 100 == 1) {
            static const uint8_t bad[] = {'{', '"', 'o', '"', ':', '"', 0xFF, '"', '}'};
            memcpy(input + at, bad, sizeof bad);
            at += sizeof bad;
        } else if (i % 100 == 2) {
            memcpy(input + at, "not json", 8);
            at += 8;
        } else if (i % 100 == 3) {
            input[at++] = ' ';
        } else {
            memcpy(input + at, facts, len);
            at += len;
        }
        input[at++] = '\r';
        input[at++] = '\n';
    }
    CHECK(dr_batch_jsonl(policy, "eligibility_timeline", utc(2026, 3, 20, 12, 0), false, input, at,
                         1, &one, &err) == DR_STATUS_OK);
    CHECK(err == NULL);
    CHECK(dr_batch_jsonl(policy, "eligibility_timeline", utc(2026, 3, 20, 12, 0), false, input, at,
                         2, &two, NULL) == DR_STATUS_OK);
    CHECK(dr_batch_jsonl(policy, "eligibility_timeline", utc(2026, 3, 20, 12, 0), false, input, at,
                         0, &every, NULL) == DR_STATUS_OK);
    /* The same answers whatever the number of threads. */
    CHECK(one && two && every && strcmp(one, two) == 0 && strcmp(one, every) == 0);
    /* One line per non-blank input line, in input order. */
    CHECK(count_lines(one) == 600 - 6);
    CHECK(strncmp(one, first, strlen(first)) == 0);
    /* The bad UTF-8 line fails alone, named by its line. */
    line = strstr(one, "{\"index\":1,\"line\":2,\"result\":\"failure\"");
    CHECK(line != NULL);
    if (line != NULL) {
        const char *message = strstr(line, "not UTF-8");
        CHECK(message != NULL && message < strchr(line, '\n'));
    }
    CHECK_CONTAINS(one, "{\"index\":2,\"line\":3,\"result\":\"failure\",\"error\":{\"kind\":\"invalid_facts\"");
    CHECK_CONTAINS(one, "{\"index\":3,\"line\":5,\"result\":\"success\"");
    CHECK_CONTAINS(one, "{\"index\":593,\"line\":600,\"result\":\"success\"");
    dr_string_free(one);
    dr_string_free(two);
    dr_string_free(every);

    /* Bad shared arguments fail the call, naming the argument. */
    one = &sentinel;
    CHECK(dr_batch_jsonl(policy, "lifecycle_open", 0, false, input, at, 1, &one, &err) ==
          DR_STATUS_INVALID_REQUEST);
    CHECK_STR(dr_error_field(err), "operation");
    CHECK(one == &sentinel);
    dr_error_free(err);
    err = NULL;
    CHECK(dr_batch_jsonl(policy, "assess", 0, false, input, at, 100000, &one, &err) ==
          DR_STATUS_INVALID_REQUEST);
    CHECK_STR(dr_error_field(err), "threads");
    dr_error_free(err);
    /* Empty input (NULL with length 0): no lines. */
    CHECK(dr_batch_jsonl(policy, "assess", utc(2026, 3, 20, 12, 0), true, NULL, 0, 0, &one, NULL) ==
          DR_STATUS_OK);
    CHECK_STR(one, "");
    dr_string_free(one);
    free(input);
    dr_policy_free(policy);
}

TEST(name_lookups) {
    CHECK_STR(dr_eligibility_status_name(DR_ELIGIBILITY_STATUS_ELIGIBLE), "eligible");
    CHECK_STR(dr_eligibility_status_name(DR_ELIGIBILITY_STATUS_BLOCKED), "blocked");
    CHECK(dr_eligibility_status_name(4) == NULL);
    CHECK_STR(dr_ineligible_code(DR_INELIGIBLE_NOT_SHIPPED), "not_shipped");
    CHECK_STR(dr_ineligible_code(DR_INELIGIBLE_TOO_EARLY), "too_early");
    CHECK(dr_ineligible_code(9) == NULL);
    CHECK_STR(dr_action_name(DR_ACTION_REQUEST_EXTENSION), "request_extension");
    CHECK(dr_action_name(DR_ACTION_NONE) == NULL);
    CHECK(dr_rule_id(64) == NULL);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        dr_data_dir = argv[1];
    }
    facts = sample_facts();
    RUN(operations_are_listed);
    RUN(named_wrappers_answer_as_dr_call);
    RUN(check_claim_json);
    RUN(a_loaded_policy_is_the_default);
    RUN(eligibility_json_of_the_sample);
    RUN(typed_eligibility_matches_the_json_answer);
    RUN(typed_eligibility_through_the_window);
    RUN(typed_eligibility_with_arrays);
    RUN(policies_round_trip_and_differ);
    RUN(batch_reports_each_line);
    RUN(batch_jsonl_answers_every_line_in_input_order);
    RUN(name_lookups);
    free(facts);
    return finish("test_api");
}
