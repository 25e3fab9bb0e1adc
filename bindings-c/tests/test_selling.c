/*
 * Back-to-back disputes from C: the customer's dispute (PayPal, Stripe,
 * eBay) beside the seller's own AliExpress dispute for the same goods. The
 * three worked examples of docs/selling-side.md (the shared requests in
 * <data-dir>/back_to_back/) give the binding deadline with its rule id and
 * the first actions; bad input names its field; loaded policies (the
 * supplier's dr_policy, a dr_selling_policy) are the defaults.
 *
 * Usage: test_selling [data-dir]
 */
#define _DEFAULT_SOURCE
#include "check.h"
#include "fixture.h"

static char *paypal;  /* example 1: the AliExpress window binds first */
static char *stripe;  /* example 2: after the AliExpress window closed */
static char *ebay;    /* example 3: eBay's business days bind first */

/* A shared request of <data-dir>/back_to_back/, or exits. */
static char *sample(const char *name) {
    char path[1024];
    char *text;
    snprintf(path, sizeof path, "%s/back_to_back/%s.json", dr_data_dir, name);
    text = read_file(path);
    if (text == NULL) {
        fprintf(stderr, "cannot read %s (pass the data directory as the first argument)\n", path);
        exit(2);
    }
    return text;
}

/* The text of `"key":` up to (not including) `"next":` in an answer, malloc'd
 * ("" when either is missing). Keys appear in the engine's fixed order. */
static char *between(const char *json, const char *key, const char *next) {
    char k[64];
    char n[64];
    const char *a;
    const char *b;
    char *out;
    size_t len = 0;
    snprintf(k, sizeof k, "\"%s\":", key);
    snprintf(n, sizeof n, "\"%s\":", next);
    a = strstr(json, k);
    b = a ? strstr(a, n) : NULL;
    if (a && b) {
        len = (size_t)(b - a);
    }
    out = (char *)malloc(len + 1);
    if (out == NULL) {
        exit(2);
    }
    if (len) {
        memcpy(out, a, len);
    }
    out[len] = '\0';
    return out;
}

/* The answer's own (top-level) `"next_actions":` to the end: the last one, as
 * both timelines inside the answer come before it and have their own. */
static const char *actions_of(const char *json) {
    const char *found = NULL;
    const char *at = json;
    while ((at = strstr(at, "\"next_actions\":")) != NULL) {
        found = at++;
    }
    return found ? found : "";
}

/* Both `a` and `b` are in `text`, `a` first. */
static int in_order(const char *text, const char *a, const char *b) {
    const char *x = strstr(text, a);
    const char *y = strstr(text, b);
    return x != NULL && y != NULL && x < y;
}

/* A copy of `text` with the first `from` replaced by `to` (same length). */
static char *replaced(const char *text, const char *from, const char *to) {
    char *copy = (char *)malloc(strlen(text) + 1);
    char *at;
    if (copy == NULL) {
        exit(2);
    }
    strcpy(copy, text);
    at = strstr(copy, from);
    CHECK(at != NULL && strlen(from) == strlen(to));
    if (at != NULL && strlen(from) == strlen(to)) {
        memcpy(at, to, strlen(to));
    }
    return copy;
}

/* dr_back_to_back_json on a request that must succeed; the answer (free it). */
static char *back_to_back(const char *request) {
    char *answer = NULL;
    dr_error *err = NULL;
    dr_status st = dr_back_to_back_json(request, &answer, &err);
    CHECK(st == DR_STATUS_OK);
    if (st != DR_STATUS_OK) {
        fprintf(stderr, "back_to_back failed: %s\n", dr_error_message(err));
        dr_error_free(err);
    }
    return answer;
}

TEST(operations_are_listed_with_their_wrappers) {
    static const char *ops[] = {"selling_policy", "seller_timeline", "back_to_back"};
    dr_status (*fns[])(const char *, char **, dr_error **) = {
        dr_selling_policy_json, dr_seller_timeline_json, dr_back_to_back_json};
    const char *requests[] = {paypal, "{\"selling_policy\": \"ebay\"}", "{}", "not json"};
    size_t i, j, k;
    for (i = 0; i < 3; i++) {
        int listed = 0;
        for (k = 0; k < dr_operation_count(); k++) {
            listed |= strcmp(dr_operation_name(k), ops[i]) == 0;
        }
        CHECK(listed);
        for (j = 0; j < 4; j++) {
            char *a = NULL;
            char *b = NULL;
            dr_error *ea = NULL;
            dr_error *eb = NULL;
            dr_status sa = dr_call(ops[i], requests[j], &a, &ea);
            dr_status sb = fns[i](requests[j], &b, &eb);
            CHECK(sa == sb);
            if (sa == DR_STATUS_OK) {
                CHECK_STR(a, b);
            } else {
                CHECK_STR(dr_error_json(ea), dr_error_json(eb));
            }
            dr_string_free(a);
            a = NULL;
            dr_string_free(b);
            b = NULL;
            dr_error_free(ea);
            dr_error_free(eb);
        }
    }
}

TEST(example1_paypal_the_supplier_extension_binds_first) {
    char *answer = back_to_back(paypal);
    char *binding = between(answer ? answer : "", "binding", "supplier_route");
    char *route = between(answer ? answer : "", "supplier_route", "gap");
    const char *actions = actions_of(answer ? answer : "");
    /* BB-3: the AliExpress extension cutoff (R-E5), 28 April 10:00 PDT. */
    CHECK_CONTAINS(binding, "\"side\":\"supplier\",\"milestone\":\"extension_request_deadline\"");
    CHECK_CONTAINS(binding, "\"at\":{\"utc\":\"2026-04-28T17:00:00Z\","
                            "\"local\":\"2026-04-28T10:00:00-07:00\"}");
    CHECK_CONTAINS(binding, "\"rule\":\"R-E5\"");
    /* The supplier route is open and closes (1 May) before PayPal may decide. */
    CHECK_CONTAINS(route, "\"state\":\"open\"");
    CHECK_CONTAINS(route, "\"closes_at\":{\"utc\":\"2026-05-01T17:00:00Z\"");
    CHECK_CONTAINS(route, "\"closes_before_customer_decision\":true");
    CHECK_CONTAINS(route, "\"reason\":\"not_received.too_long\"");
    /* The next actions in order: extension, dispute now, answer PayPal by 5 May. */
    CHECK_CONTAINS(actions, "\"next_actions\":[{\"side\":\"supplier\","
                            "\"kind\":\"request_supplier_extension\"");
    CHECK(in_order(actions, "\"kind\":\"request_supplier_extension\"",
                   "\"kind\":\"open_supplier_dispute\""));
    CHECK(in_order(actions, "\"kind\":\"open_supplier_dispute\"",
                   "\"kind\":\"respond_to_customer\""));
    CHECK_CONTAINS(actions, "\"supplier_reason\":\"not_received.too_long\",\"rules\":[\"R-E1\"");
    CHECK_CONTAINS(actions, "\"deadline\":{\"utc\":\"2026-05-05T21:00:00Z\"");
    CHECK_CONTAINS(answer, "\"gap\":{");
    CHECK_CONTAINS(answer, "\"days\":117,");
    CHECK_CONTAINS(answer, "\"uncovered\":null");
    free(binding);
    free(route);
    dr_string_free(answer);
}

TEST(example2_stripe_only_the_platform_deadline_binds) {
    char *answer = back_to_back(stripe);
    char *binding = between(answer ? answer : "", "binding", "supplier_route");
    char *route = between(answer ? answer : "", "supplier_route", "gap");
    const char *actions = actions_of(answer ? answer : "");
    /* BB-4: Stripe's due_by, given by the platform, binds (S-L1). */
    CHECK_CONTAINS(binding, "\"side\":\"customer\",\"milestone\":\"seller_response\","
                            "\"at\":{\"utc\":\"2026-12-08T17:15:00Z\"");
    CHECK_CONTAINS(binding, "\"rule\":\"S-L1\",\"origin\":\"platform\"");
    /* The seller confirmed receipt: the AliExpress window closed 21 October (R-E3). */
    CHECK_CONTAINS(route, "\"state\":\"closed\",\"code\":\"confirmation_window_passed\"");
    /* Uncovered: 45.00 + 15 (S-F1) + 15 (S-F2). */
    CHECK_CONTAINS(answer, "\"uncovered\":{\"amount\":\"75.00\",\"currency\":\"USD\"}");
    CHECK_CONTAINS(actions, "\"next_actions\":[{\"side\":\"customer\","
                            "\"kind\":\"respond_to_customer\","
                            "\"deadline\":{\"utc\":\"2026-12-08T17:15:00Z\"");
    CHECK_CONTAINS(actions, "supplier's tracking (delivered 2026-10-05");
    CHECK_CONTAINS(actions, "\"kind\":\"consider_supplier_chargeback\"");
    CHECK(strstr(actions, "\"kind\":\"open_supplier_dispute\"") == NULL);
    free(binding);
    free(route);
    dr_string_free(answer);
}

TEST(example3_ebay_business_days_bind_first) {
    char *answer = back_to_back(ebay);
    char *binding = between(answer ? answer : "", "binding", "supplier_route");
    char *route = between(answer ? answer : "", "supplier_route", "gap");
    const char *actions = actions_of(answer ? answer : "");
    /* B-L1: three business days after Monday 22 June: the end of Thursday 25 June. */
    CHECK_CONTAINS(binding, "\"side\":\"customer\",\"milestone\":\"seller_response\","
                            "\"at\":{\"utc\":\"2026-06-26T00:00:00Z\"");
    CHECK_CONTAINS(binding, "\"rule\":\"B-L1\",\"origin\":\"computed\"");
    CHECK_CONTAINS(route, "\"state\":\"open\"");
    CHECK_CONTAINS(route, "\"closes_before_customer_decision\":false");
    CHECK_CONTAINS(actions, "\"next_actions\":[{\"side\":\"customer\","
                            "\"kind\":\"respond_to_customer\"");
    CHECK_CONTAINS(answer, "\"B-T1\"");
    free(binding);
    free(route);
    dr_string_free(answer);
}

TEST(seller_timeline_of_the_customer_side_alone) {
    /* Example 3 without the supplier: eBay's own timeline. */
    const char *request =
        "{\"customer_order\": {\"schema_version\": 1, \"order_id\": \"S-3003\", \"platform\": \"ebay\","
        " \"amount\": {\"amount\": \"35.00\", \"currency\": \"USD\"},"
        " \"paid_at\": \"2026-06-01T17:00:00Z\", \"max_estimated_delivery\": \"2026-06-19\"},"
        " \"customer_dispute\": {\"reason\": \"ITEM_NOT_RECEIVED\", \"stage\": \"inr_request\","
        " \"opened_at\": \"2026-06-22T15:00:00Z\"},"
        " \"now\": \"2026-06-22T18:00:00Z\"}";
    char *answer = NULL;
    char *due;
    CHECK(dr_seller_timeline_json(request, &answer, NULL) == DR_STATUS_OK);
    due = between(answer ? answer : "", "response_due", "decision_at");
    CHECK_CONTAINS(due, "\"milestone\":\"seller_response\",\"at\":{\"utc\":\"2026-06-26T00:00:00Z\"");
    CHECK_CONTAINS(due, "\"rule\":\"B-L1\"");
    /* B-L3: the idle close skips Friday 3 July (Independence Day observed). */
    CHECK_CONTAINS(answer, "\"milestone\":\"idle_close\",\"at\":{\"utc\":\"2026-07-23T00:00:00Z\"");
    free(due);
    dr_string_free(answer);
}

/* The request fails with `status`, naming `field` first. */
static void fails_naming(dr_status (*fn)(const char *, char **, dr_error **), const char *request,
                         dr_status status, const char *field) {
    char *answer = NULL;
    dr_error *err = NULL;
    CHECK(fn(request, &answer, &err) == status);
    CHECK(answer == NULL);
    CHECK_STR(dr_error_field(err), field);
    CHECK(dr_error_problem_count(err) >= 1);
    CHECK_CONTAINS(dr_error_json(err), "{\"result\":\"failure\"");
    dr_error_free(err);
}

TEST(bad_input_names_its_field) {
    char *bad = replaced(paypal, "\"paid_at\": \"2026-02-28T", "\"paid_at\": \"2026-02-30T");
    fails_naming(dr_back_to_back_json, bad, DR_STATUS_INVALID_FACTS, "customer_order.paid_at");
    free(bad);
    bad = replaced(paypal, "\"stage\": \"inquiry\"", "\"stage\": \"enquiry\"");
    fails_naming(dr_back_to_back_json, bad, DR_STATUS_INVALID_FACTS, "customer_dispute.stage");
    free(bad);
    bad = replaced(paypal, "\"shipped_at\": \"2026-", "\"shipped_at\": \"2027-");
    fails_naming(dr_back_to_back_json, bad, DR_STATUS_INVALID_FACTS, "facts.shipped_at");
    free(bad);
    bad = replaced(paypal, "\"platform\": \"paypal\"", "\"platform\": \"stripe\"");
    fails_naming(dr_back_to_back_json, bad, DR_STATUS_INVALID_FACTS, "customer_dispute.reason");
    free(bad);
    bad = replaced(paypal, "\"now\": \"2026-04-26T", "\"now\": \"2026-13-26T");
    fails_naming(dr_back_to_back_json, bad, DR_STATUS_INVALID_REQUEST, "now");
    free(bad);
    fails_naming(dr_seller_timeline_json, paypal, DR_STATUS_INVALID_REQUEST, "facts");
    fails_naming(dr_back_to_back_json, "{\"now\": \"2026-04-26T12:00:00Z\"}",
                 DR_STATUS_INVALID_REQUEST, "customer_order");
    fails_naming(dr_selling_policy_json, "{\"selling_policy\": \"venmo\"}",
                 DR_STATUS_INVALID_POLICY, "selling_policy");
}

TEST(a_loaded_supplier_policy_is_the_default) {
    dr_policy *legacy = NULL;
    char *loaded = NULL;
    char *named = NULL;
    char *plain = NULL;
    size_t n = strlen(paypal) + 64;
    char *with_policy = (char *)malloc(n);
    char *brace;
    CHECK(dr_policy_new_preset("aliexpress-legacy", &legacy, NULL) == DR_STATUS_OK);
    /* The same request naming the preset itself. */
    strcpy(with_policy, paypal);
    brace = strrchr(with_policy, '}');
    strcpy(brace, ", \"policy\": \"aliexpress-legacy\"}");
    CHECK(dr_call_with_policy(legacy, "back_to_back", paypal, &loaded, NULL) == DR_STATUS_OK);
    CHECK(dr_call("back_to_back", with_policy, &named, NULL) == DR_STATUS_OK);
    CHECK(dr_call("back_to_back", paypal, &plain, NULL) == DR_STATUS_OK);
    CHECK_STR(loaded, named);
    CHECK(loaded && plain && strcmp(loaded, plain) != 0);
    dr_string_free(loaded);
    dr_string_free(named);
    dr_string_free(plain);
    free(with_policy);
    dr_policy_free(legacy);
}

TEST(a_loaded_selling_policy_is_the_default) {
    dr_selling_policy *pp = NULL;
    dr_selling_policy *again = NULL;
    dr_selling_policy *ebay_policy = NULL;
    dr_error *err = NULL;
    char *json = NULL;
    char *json2 = NULL;
    char *a = NULL;
    char *b = NULL;
    CHECK(dr_selling_policy_new_preset("paypal", &pp, NULL) == DR_STATUS_OK);
    CHECK(dr_selling_policy_new_preset("ebay", &ebay_policy, NULL) == DR_STATUS_OK);
    /* Round trip through its JSON document. */
    CHECK(dr_selling_policy_to_json(pp, &json, NULL) == DR_STATUS_OK);
    CHECK_CONTAINS(json, "\"platform\": \"paypal\"");
    CHECK(dr_selling_policy_new_json(json, &again, NULL) == DR_STATUS_OK);
    CHECK(dr_selling_policy_to_json(again, &json2, NULL) == DR_STATUS_OK);
    CHECK_STR(json, json2);
    /* Used when the request names none; answers as the preset does. */
    CHECK(dr_call_with_policies(NULL, again, "back_to_back", paypal, &a, NULL) == DR_STATUS_OK);
    CHECK(dr_call("back_to_back", paypal, &b, NULL) == DR_STATUS_OK);
    CHECK_STR(a, b);
    dr_string_free(a);
    a = NULL;
    dr_string_free(b);
    b = NULL;
    CHECK(dr_call_with_policies(NULL, ebay_policy, "selling_policy", "{}", &a, NULL) ==
          DR_STATUS_OK);
    CHECK_CONTAINS(a, "\"id\":\"ebay\"");
    dr_string_free(a);
    a = NULL;
    /* A request's own selling policy wins. */
    CHECK(dr_call_with_policies(NULL, ebay_policy, "selling_policy",
                                "{\"selling_policy\": \"amazon\"}", &a, NULL) == DR_STATUS_OK);
    CHECK_CONTAINS(a, "\"id\":\"amazon\"");
    dr_string_free(a);
    a = NULL;
    /* eBay's rules for a PayPal order: the order's platform is named. */
    CHECK(dr_call_with_policies(NULL, ebay_policy, "back_to_back", paypal, &a, &err) ==
          DR_STATUS_INVALID_FACTS);
    CHECK_STR(dr_error_field(err), "customer_order.platform");
    dr_error_free(err);
    err = NULL;
    /* Bad documents and ids. */
    CHECK(dr_selling_policy_new_json("{\"schema_version\": 1}", &again, &err) ==
          DR_STATUS_INVALID_POLICY);
    CHECK(dr_error_field(err) != NULL && strlen(dr_error_field(err)) > 0);
    dr_error_free(err);
    err = NULL;
    CHECK(dr_selling_policy_new_preset("venmo", &again, &err) == DR_STATUS_INVALID_POLICY);
    CHECK_STR(dr_error_field(err), "selling_policy");
    CHECK_CONTAINS(dr_error_message(err), "`venmo`");
    dr_error_free(err);
    err = NULL;
    /* Handles are checked: a supplier policy is not a selling policy. */
    {
        dr_policy *supplier = NULL;
        CHECK(dr_policy_new_preset("aliexpress", &supplier, NULL) == DR_STATUS_OK);
        CHECK(dr_call_with_policies(NULL, (const dr_selling_policy *)(const void *)supplier,
                                    "selling_policy", "{}", &a, &err) ==
              DR_STATUS_INVALID_ARGUMENT);
        CHECK_STR(dr_error_field(err), "selling_policy");
        dr_error_free(err);
        err = NULL;
        CHECK(dr_call_with_policies((const dr_policy *)(const void *)pp, NULL, "back_to_back",
                                    paypal, &a, &err) == DR_STATUS_INVALID_ARGUMENT);
        CHECK_STR(dr_error_field(err), "policy");
        dr_error_free(err);
        err = NULL;
        dr_policy_free(supplier);
    }
    /* Both NULL: dr_call. */
    CHECK(dr_call_with_policies(NULL, NULL, "back_to_back", paypal, &a, NULL) == DR_STATUS_OK);
    CHECK(dr_call("back_to_back", paypal, &b, NULL) == DR_STATUS_OK);
    CHECK_STR(a, b);
    dr_string_free(a);
    a = NULL;
    dr_string_free(b);
    b = NULL;
    dr_string_free(json);
    dr_string_free(json2);
    CHECK(dr_selling_policy_free(pp) == DR_STATUS_OK);
    CHECK(dr_selling_policy_free(again) == DR_STATUS_OK);
    CHECK(dr_selling_policy_free(ebay_policy) == DR_STATUS_OK);
    CHECK(dr_selling_policy_free(NULL) == DR_STATUS_OK);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        dr_data_dir = argv[1];
    }
    paypal = sample("paypal_supplier_binds_first");
    stripe = sample("stripe_after_supplier_window");
    ebay = sample("ebay_business_days_bind_first");
    RUN(operations_are_listed_with_their_wrappers);
    RUN(example1_paypal_the_supplier_extension_binds_first);
    RUN(example2_stripe_only_the_platform_deadline_binds);
    RUN(example3_ebay_business_days_bind_first);
    RUN(seller_timeline_of_the_customer_side_alone);
    RUN(bad_input_names_its_field);
    RUN(a_loaded_supplier_policy_is_the_default);
    RUN(a_loaded_selling_policy_is_the_default);
    free(paypal);
    free(stripe);
    free(ebay);
    return finish("test_selling");
}
