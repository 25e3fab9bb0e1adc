/*
 * One test per status code of dr_status, each through the functions that can
 * return it: NULL arguments, invalid UTF-8, malformed JSON, invalid facts and
 * policies, claims, transitions, and a panic caught at the boundary. Every
 * failure must leave the outputs untouched and describe itself in a dr_error
 * whose kind is the status's name.
 *
 * Usage: test_status [data-dir]
 */
#define _DEFAULT_SOURCE
#include "check.h"
#include "fixture.h"

static char *facts;

/* A pointer that no function may overwrite on failure. */
static char untouched_char;
#define UNTOUCHED (&untouched_char)

/* Checks a failure: status, the error's status/kind/field and JSON. */
static void check_failure(dr_status got, dr_status want, dr_error *err, const char *field) {
    CHECK(got == want);
    CHECK(err != NULL);
    CHECK(dr_error_status(err) == want);
    CHECK_STR(dr_error_kind(err), dr_status_name(want));
    CHECK(strlen(dr_error_message(err)) > 0);
    CHECK_CONTAINS(dr_error_json(err), "{\"result\":\"failure\",\"error\":{\"kind\":\"");
    CHECK_CONTAINS(dr_error_json(err), dr_status_name(want));
    if (field != NULL) {
        CHECK_STR(dr_error_field(err), field);
        CHECK(dr_error_problem_count(err) >= 1);
        CHECK_STR(dr_error_problem_field(err, 0), field);
    }
    dr_error_free(err);
}

/* Runs `call` (which may store an error in `err`) and checks its failure. */
#define FAILS(want, field, call)                                                   \
    do {                                                                           \
        dr_status st_;                                                             \
        err = NULL;                                                                \
        st_ = (call);                                                              \
        check_failure(st_, (want), err, (field));                                  \
    } while (0)

/* Runs dr_call and checks the failure; the answer must stay untouched. */
static void call_fails(const char *op, const char *request, dr_status want, const char *field) {
    char *answer = UNTOUCHED;
    dr_error *err = NULL;
    dr_status st = dr_call(op, request, &answer, &err);
    CHECK(answer == UNTOUCHED);
    check_failure(st, want, err, field);
}

TEST(status_numbers_are_fixed) {
    /* The numbers are part of the ABI and never change. */
    CHECK(DR_STATUS_OK == 0);
    CHECK(DR_STATUS_NULL_ARGUMENT == 1);
    CHECK(DR_STATUS_INVALID_UTF8 == 2);
    CHECK(DR_STATUS_INVALID_REQUEST == 3);
    CHECK(DR_STATUS_INVALID_FACTS == 4);
    CHECK(DR_STATUS_INVALID_POLICY == 5);
    CHECK(DR_STATUS_INVALID_CLAIM == 6);
    CHECK(DR_STATUS_ILLEGAL_TRANSITION == 7);
    CHECK(DR_STATUS_INTERNAL == 8);
    CHECK(DR_STATUS_INVALID_ARGUMENT == 9);
    CHECK_STR(dr_status_name(DR_STATUS_OK), "ok");
    CHECK_STR(dr_status_name(DR_STATUS_NULL_ARGUMENT), "null_argument");
    CHECK_STR(dr_status_name(DR_STATUS_INVALID_UTF8), "invalid_utf8");
    CHECK_STR(dr_status_name(DR_STATUS_INVALID_REQUEST), "invalid_request");
    CHECK_STR(dr_status_name(DR_STATUS_INVALID_FACTS), "invalid_facts");
    CHECK_STR(dr_status_name(DR_STATUS_INVALID_POLICY), "invalid_policy");
    CHECK_STR(dr_status_name(DR_STATUS_INVALID_CLAIM), "invalid_claim");
    CHECK_STR(dr_status_name(DR_STATUS_ILLEGAL_TRANSITION), "illegal_transition");
    CHECK_STR(dr_status_name(DR_STATUS_INTERNAL), "internal");
    CHECK_STR(dr_status_name(DR_STATUS_INVALID_ARGUMENT), "invalid_argument");
    CHECK_STR(dr_status_name(10), "unknown");
    CHECK_STR(dr_status_name(0xFFFFFFFFu), "unknown");
}

TEST(status_ok_writes_the_answer_only) {
    char *req = make_request(facts, "2026-03-20T12:00:00Z", "");
    char *answer = NULL;
    dr_error *err = NULL;
    CHECK(dr_eligibility_json(req, &answer, &err) == DR_STATUS_OK);
    CHECK(err == NULL);
    CHECK_CONTAINS(answer, "{\"result\":\"success\",\"answer\":{");
    dr_string_free(answer);
    /* error_out may be NULL when the caller does not want details. */
    answer = NULL;
    CHECK(dr_eligibility_json(req, &answer, NULL) == DR_STATUS_OK);
    CHECK(answer != NULL);
    dr_string_free(answer);
    free(req);
}

TEST(status_null_argument) {
    char *req = make_request(facts, "2026-03-20T12:00:00Z", "");
    char *answer = UNTOUCHED;
    dr_policy *policy = NULL;
    dr_policy *not_written = (dr_policy *)UNTOUCHED;
    dr_error *err = NULL;
    dr_order order = sample_order();
    dr_eligibility out = DR_ELIGIBILITY_INIT;

    call_fails(NULL, req, DR_STATUS_NULL_ARGUMENT, "operation");
    call_fails("eligibility", NULL, DR_STATUS_NULL_ARGUMENT, "request_json");
    FAILS(DR_STATUS_NULL_ARGUMENT, "answer_out", dr_call("eligibility", req, NULL, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "request_json", dr_timeline_json(NULL, &answer, &err));
    CHECK(answer == UNTOUCHED);
    /* Without error_out, the status alone. */
    CHECK(dr_assess_json(NULL, &answer, NULL) == DR_STATUS_NULL_ARGUMENT);
    CHECK(answer == UNTOUCHED);

    FAILS(DR_STATUS_NULL_ARGUMENT, "preset", dr_policy_new_preset(NULL, &not_written, &err));
    CHECK(not_written == (dr_policy *)UNTOUCHED);
    FAILS(DR_STATUS_NULL_ARGUMENT, "policy_out", dr_policy_new_preset("aliexpress", NULL, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "policy_json", dr_policy_new_json(NULL, &not_written, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "policy", dr_policy_to_json(NULL, &answer, &err));

    CHECK(dr_policy_new_preset("aliexpress", &policy, NULL) == DR_STATUS_OK);
    FAILS(DR_STATUS_NULL_ARGUMENT, "json_out", dr_policy_to_json(policy, NULL, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "policy", dr_order_eligibility(NULL, &order, 1774008000, &out, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "order", dr_order_eligibility(policy, NULL, 1774008000, &out, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "eligibility_out", dr_order_eligibility(policy, &order, 1774008000, NULL, &err));
    /* An array pointer that is NULL while its count says otherwise. */
    order.extension_count = 2;
    FAILS(DR_STATUS_NULL_ARGUMENT, "order.extensions", dr_order_eligibility(policy, &order, 1774008000, &out, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "policy", dr_assess_jsonl(NULL, 1774008000, false, "", &answer, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "jsonl", dr_assess_jsonl(policy, 1774008000, false, NULL, &answer, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "answer_out", dr_assess_jsonl(policy, 1774008000, false, "", NULL, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "policy",
          dr_batch_jsonl(NULL, "assess", 1774008000, false, (const uint8_t *)"{}", 2, 1, &answer, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "operation",
          dr_batch_jsonl(policy, NULL, 1774008000, false, (const uint8_t *)"{}", 2, 1, &answer, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "input",
          dr_batch_jsonl(policy, "assess", 1774008000, false, NULL, 2, 1, &answer, &err));
    FAILS(DR_STATUS_NULL_ARGUMENT, "jsonl_out",
          dr_batch_jsonl(policy, "assess", 1774008000, false, (const uint8_t *)"{}", 2, 1, NULL, &err));
    CHECK(answer == UNTOUCHED);

    /* NULL is fine wherever an object is only read or freed. */
    CHECK(dr_error_status(NULL) == DR_STATUS_NULL_ARGUMENT);
    CHECK_STR(dr_error_message(NULL), "");
    CHECK_STR(dr_error_kind(NULL), "");
    CHECK_STR(dr_error_field(NULL), "");
    CHECK_STR(dr_error_code(NULL), "");
    CHECK_STR(dr_error_json(NULL), "");
    CHECK(dr_error_problem_count(NULL) == 0);
    CHECK(dr_error_problem_field(NULL, 0) == NULL);
    CHECK(dr_error_problem_message(NULL, 0) == NULL);
    CHECK(dr_error_free(NULL) == DR_STATUS_OK);
    dr_string_free(NULL);
    CHECK(dr_policy_free(NULL) == DR_STATUS_OK);
    CHECK(dr_policy_free(policy) == DR_STATUS_OK);
    free(req);
}

TEST(status_invalid_utf8) {
    static const char bad[] = {'\xff', '\xfe', 'x', '\0'};
    dr_policy *policy = NULL;
    dr_policy *not_written = (dr_policy *)UNTOUCHED;
    dr_error *err = NULL;
    char *answer = UNTOUCHED;
    dr_order order = sample_order();
    dr_eligibility out = DR_ELIGIBILITY_INIT;
    memset(&out, 0xAB, sizeof out);
    out.struct_size = sizeof out;

    call_fails(bad, "{}", DR_STATUS_INVALID_UTF8, "operation");
    call_fails("eligibility", bad, DR_STATUS_INVALID_UTF8, "request_json");
    FAILS(DR_STATUS_INVALID_UTF8, "preset", dr_policy_new_preset(bad, &not_written, &err));
    FAILS(DR_STATUS_INVALID_UTF8, "policy_json", dr_policy_new_json(bad, &not_written, &err));
    CHECK(not_written == (dr_policy *)UNTOUCHED);

    CHECK(dr_policy_new_preset("aliexpress", &policy, NULL) == DR_STATUS_OK);
    FAILS(DR_STATUS_INVALID_UTF8, "jsonl", dr_assess_jsonl(policy, 1774008000, false, bad, &answer, &err));
    FAILS(DR_STATUS_INVALID_UTF8, "operation",
          dr_batch_jsonl(policy, bad, 1774008000, false, (const uint8_t *)"{}", 2, 1, &answer, &err));
    CHECK(answer == UNTOUCHED);
    order.shipping_method = bad;
    FAILS(DR_STATUS_INVALID_UTF8, "order.shipping_method", dr_order_eligibility(policy, &order, 1774008000, &out, &err));
    /* The output struct was not written. */
    CHECK(out.status == 0xABABABABu);
    dr_policy_free(policy);
}

TEST(status_invalid_request) {
    char *missing_now = (char *)malloc(strlen(facts) + 32);
    char *unknown_field = make_request(facts, "2026-03-20T12:00:00Z", ", \"surprise\": 1");
    char *req = make_request(facts, "2026-03-20T12:00:00Z", "");
    dr_policy *policy = NULL;
    dr_error *err = NULL;
    dr_order order = sample_order();
    dr_eligibility out = DR_ELIGIBILITY_INIT;

    CHECK(missing_now != NULL);
    if (missing_now == NULL) {
        return;
    }
    sprintf(missing_now, "{\"facts\": %s}", facts);
    call_fails("eligibility", "{\"facts\": ", DR_STATUS_INVALID_REQUEST, NULL);
    call_fails("eligibility", "not json", DR_STATUS_INVALID_REQUEST, NULL);
    call_fails("eligibility", "", DR_STATUS_INVALID_REQUEST, NULL);
    call_fails("eligibility", "[1, 2]", DR_STATUS_INVALID_REQUEST, NULL);
    call_fails("eligibility", missing_now, DR_STATUS_INVALID_REQUEST, "now");
    call_fails("eligibility", "{\"now\": \"2026-03-20T12:00:00Z\"}", DR_STATUS_INVALID_REQUEST,
               "facts");
    call_fails("eligibility", "{\"facts\": {}, \"now\": \"yesterday\"}", DR_STATUS_INVALID_REQUEST,
               "now");
    call_fails("no_such_operation", req, DR_STATUS_INVALID_REQUEST, "operation");
    call_fails("timeline", unknown_field, DR_STATUS_INVALID_REQUEST, NULL);

    /* The typed path: a `now` no calendar can hold. */
    CHECK(dr_policy_new_preset("aliexpress", &policy, NULL) == DR_STATUS_OK);
    FAILS(DR_STATUS_INVALID_REQUEST, "now", dr_order_eligibility(policy, &order, INT64_MAX, &out, &err));
    dr_policy_free(policy);
    free(missing_now);
    free(unknown_field);
    free(req);
}

TEST(status_invalid_facts) {
    char *answer = UNTOUCHED;
    dr_error *err = NULL;
    dr_policy *policy = NULL;
    dr_order order = sample_order();
    dr_eligibility out = DR_ELIGIBILITY_INIT;
    const char *bad_facts =
        "{\"schema_version\": 1, \"order_id\": \"8123\", \"line_id\": \"1\","
        " \"unit_price\": {\"amount\": \"19.99\", \"currency\": \"USD\"}, \"quantity\": 0,"
        " \"shipping_cost\": {\"amount\": \"0\", \"currency\": \"USD\"},"
        " \"placed_at\": \"2026-02-27T09:00:00Z\", \"shipped_at\": \"2026-03-01T18:00:00Z\","
        " \"shipping_method\": \"standard\", \"destination_country\": \"usa\","
        " \"payment_method\": \"card\"}";
    char *req = make_request(bad_facts, "2026-03-20T12:00:00Z", "");

    /* Every problem is reported, each naming its field. */
    dr_status st = dr_validate_facts_json(req, &answer, &err);
    CHECK(st == DR_STATUS_INVALID_FACTS);
    CHECK(answer == UNTOUCHED);
    CHECK(dr_error_problem_count(err) == 2);
    CHECK_STR(dr_error_problem_field(err, 0), "facts.quantity");
    CHECK_STR(dr_error_problem_message(err, 0), "must be at least 1");
    CHECK_STR(dr_error_problem_field(err, 1), "facts.destination_country");
    CHECK(dr_error_problem_field(err, 2) == NULL);
    CHECK_CONTAINS(dr_error_message(err), "invalid order facts: `facts.quantity`");
    check_failure(st, DR_STATUS_INVALID_FACTS, err, "facts.quantity");

    /* The typed path: conversion and validation problems alike. */
    CHECK(dr_policy_new_preset("aliexpress", &policy, NULL) == DR_STATUS_OK);
    order.currency = "usd";
    order.tracking = 99;
    order.order_id = NULL;
    err = NULL;
    st = dr_order_eligibility(policy, &order, 1774008000, &out, &err);
    CHECK(dr_error_problem_count(err) == 3);
    CHECK_STR(dr_error_problem_field(err, 1), "unit_price.currency");
    CHECK_STR(dr_error_problem_field(err, 2), "tracking.status");
    check_failure(st, DR_STATUS_INVALID_FACTS, err, "order_id");

    order = sample_order();
    order.quantity = 0;
    order.shipped_at = order.placed_at - 3600; /* shipped before placed and paid */
    err = NULL;
    st = dr_order_eligibility(policy, &order, 1774008000, &out, &err);
    CHECK(dr_error_problem_count(err) == 3);
    CHECK_STR(dr_error_problem_field(err, 2), "shipped_at");
    CHECK_STR(dr_error_problem_field(err, 1), "shipped_at");
    check_failure(st, DR_STATUS_INVALID_FACTS, err, "quantity");
    dr_policy_free(policy);
    free(req);
}

TEST(status_invalid_policy) {
    dr_policy *not_written = (dr_policy *)UNTOUCHED;
    dr_error *err = NULL;
    char *req = make_request(facts, "2026-03-20T12:00:00Z", ", \"policy\": \"ebay\"");
    char *bad_object = make_request(facts, "2026-03-20T12:00:00Z", ", \"policy\": {\"id\": \"x\"}");

    FAILS(DR_STATUS_INVALID_POLICY, "policy", dr_policy_new_preset("ebay", &not_written, &err));
    err = NULL;
    dr_status st = dr_policy_new_json("{\"schema_version\": 1}", &not_written, &err);
    CHECK_CONTAINS(dr_error_message(err), "invalid policy");
    check_failure(st, DR_STATUS_INVALID_POLICY, err, "id");
    FAILS(DR_STATUS_INVALID_POLICY, NULL, dr_policy_new_json("[", &not_written, &err));
    CHECK(not_written == (dr_policy *)UNTOUCHED);
    call_fails("eligibility", req, DR_STATUS_INVALID_POLICY, "policy");
    call_fails("policy", bad_object, DR_STATUS_INVALID_POLICY, NULL);
    free(req);
    free(bad_object);
}

/* Whether the engine offers an operation. */
static int has_operation(const char *name) {
    size_t i;
    for (i = 0; i < dr_operation_count(); i++) {
        if (strcmp(dr_operation_name(i), name) == 0) {
            return 1;
        }
    }
    return 0;
}

TEST(status_invalid_claim) {
    char *answer = UNTOUCHED;
    dr_error *err = NULL;
    /* A claim without a solution (R-S1). */
    char *req = make_request(facts, "2026-03-20T12:00:00Z",
                             ", \"claim\": {\"reason\": \"received.damaged\"}");
    /* Refund above the C-4 cap, and evidence too large (R-V1). */
    char *over = make_request(
        facts, "2026-03-20T12:00:00Z",
        ", \"claim\": {\"reason\": \"not_received.no_tracking\", \"solution\": \"refund_only\","
        " \"refund\": {\"amount\": \"500\", \"currency\": \"USD\"}}");
    call_fails("check_claim", req, DR_STATUS_INVALID_CLAIM, "claim.solution");
    FAILS(DR_STATUS_INVALID_CLAIM, "claim.refund.amount", dr_check_claim_json(over, &answer, &err));
    CHECK(answer == UNTOUCHED);
    free(req);
    free(over);
}

TEST(status_illegal_transition) {
    dr_error *err = NULL;
    char *answer = UNTOUCHED;
    char *req;
    dr_status st;
    if (!has_operation("lifecycle_open")) {
        SKIP("the engine has no lifecycle_open operation yet");
    }
    /* Opening a dispute before the window opens (R-E1): the R-E9 code. */
    req = make_request(
        facts, "2026-03-05T00:00:00Z",
        ", \"claim\": {\"reason\": \"not_received.no_tracking\", \"solution\": \"refund_only\","
        " \"refund\": {\"amount\": \"19.99\", \"currency\": \"USD\"}}");
    st = dr_call("lifecycle_open", req, &answer, &err);
    CHECK(answer == UNTOUCHED);
    CHECK_STR(dr_error_code(err), "too_early");
    CHECK_CONTAINS(dr_error_json(err), "\"code\":\"too_early\"");
    check_failure(st, DR_STATUS_ILLEGAL_TRANSITION, err, "event");
    free(req);
}

TEST(status_internal_from_a_caught_panic) {
    dr_error *err = NULL;
    dr_status st = dr_test_panic(&err);
    CHECK_CONTAINS(dr_error_message(err), "panic caught at the C boundary");
    CHECK_CONTAINS(dr_error_message(err), "deliberate panic");
    check_failure(st, DR_STATUS_INTERNAL, err, "");
    CHECK(dr_test_panic(NULL) == DR_STATUS_INTERNAL);
    /* The library still works after a panic. */
    CHECK(dr_operation_count() >= 5);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        dr_data_dir = argv[1];
    }
    facts = sample_facts();
    RUN(status_numbers_are_fixed);
    RUN(status_ok_writes_the_answer_only);
    RUN(status_null_argument);
    RUN(status_invalid_utf8);
    RUN(status_invalid_request);
    RUN(status_invalid_facts);
    RUN(status_invalid_policy);
    RUN(status_invalid_claim);
    RUN(status_illegal_transition);
    RUN(status_internal_from_a_caught_panic);
    free(facts);
    return finish("test_status");
}
