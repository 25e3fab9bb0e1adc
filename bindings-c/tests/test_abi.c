/*
 * The ABI's growth and hygiene rules, as a C program sees them:
 * - the header's version macros and the library's dr_version_number();
 * - struct_size of dr_order and dr_eligibility: checked, a clear status when
 *   wrong, an older or newer caller's struct read and written to its size;
 * - handles: a pointer that is not a live dr_policy or dr_error (something
 *   else entirely) is answered with DR_STATUS_INVALID_ARGUMENT, not a crash.
 * Everything here is well-defined C, so it also runs under valgrind. The
 * use-after-free and double-free cases are in test_misuse.c.
 *
 * Usage: test_abi [data-dir]
 */
#define _DEFAULT_SOURCE
#include <stdint.h>

#include "check.h"
#include "fixture.h"

/* Runs `call` (which may store an error in `err`): it must fail with
 * DR_STATUS_INVALID_ARGUMENT naming `field`, the message containing `text`. */
#define INVALID(field, text, call)                                                 \
    do {                                                                           \
        dr_error *err = NULL;                                                      \
        dr_status st_ = (call);                                                    \
        CHECK(st_ == DR_STATUS_INVALID_ARGUMENT);                                  \
        CHECK(dr_error_status(err) == DR_STATUS_INVALID_ARGUMENT);                 \
        CHECK_STR(dr_error_kind(err), "invalid_argument");                         \
        CHECK_STR(dr_error_field(err), (field));                                   \
        CHECK_CONTAINS(dr_error_message(err), (text));                             \
        CHECK(dr_error_free(err) == DR_STATUS_OK);                                 \
    } while (0)

static dr_policy *preset(void) {
    dr_policy *p = NULL;
    CHECK(dr_policy_new_preset("aliexpress", &p, NULL) == DR_STATUS_OK);
    return p;
}

TEST(version_macros_match_the_library) {
    char text[64];
    CHECK(DR_VERSION_NUMBER == DR_VERSION_MAJOR * 1000000 + DR_VERSION_MINOR * 1000 + DR_VERSION_PATCH);
    CHECK(dr_version_number() == DR_VERSION_NUMBER);
    snprintf(text, sizeof text, "%d.%d.%d", DR_VERSION_MAJOR, DR_VERSION_MINOR, DR_VERSION_PATCH);
    CHECK_STR(dr_version(), text);
    /* The compatibility rule of the header: same major.minor, patch >= ours. */
    CHECK(dr_version_number() / 1000 == DR_VERSION_NUMBER / 1000);
    CHECK(dr_version_number() >= DR_VERSION_NUMBER);
}

TEST(struct_size_is_required) {
    dr_policy *policy = preset();
    dr_order order = sample_order();
    dr_eligibility out = DR_ELIGIBILITY_INIT;
    long long now = utc(2026, 3, 20, 12, 0);

    order.struct_size = 0; /* a zeroed struct: the size was forgotten */
    INVALID("order.struct_size", "set it to sizeof(dr_order)",
            dr_order_eligibility(policy, &order, now, &out, &err));
    order.struct_size = sizeof order - 8; /* smaller than any dr_order ever was */
    INVALID("order.struct_size", "is not a size of this struct",
            dr_order_eligibility(policy, &order, now, &out, &err));
    order.struct_size = sizeof order;
    out.struct_size = 0;
    out.status = 0xABABABABu;
    INVALID("eligibility_out.struct_size", "set it to sizeof(dr_eligibility)",
            dr_order_eligibility(policy, &order, now, &out, &err));
    CHECK(out.status == 0xABABABABu); /* not written */
    out.struct_size = sizeof out;
    CHECK(dr_order_eligibility(policy, &order, now, &out, NULL) == DR_STATUS_OK);
    CHECK(out.struct_size == sizeof out);
    CHECK(out.status == DR_ELIGIBILITY_STATUS_ELIGIBLE);
    CHECK(dr_policy_free(policy) == DR_STATUS_OK);
}

/* A caller built with a newer header: its structs have fields at the end
 * that this library does not know. */
struct newer_order {
    dr_order known;
    uint64_t future[3];
};
struct newer_eligibility {
    dr_eligibility known;
    uint64_t future[3];
};

TEST(a_newer_callers_structs) {
    dr_policy *policy = preset();
    struct newer_order order;
    struct newer_eligibility out;
    dr_eligibility plain = DR_ELIGIBILITY_INIT;
    long long now = utc(2026, 3, 20, 12, 0);

    memset(&order, 0, sizeof order);
    order.known = sample_order();
    order.known.struct_size = sizeof order;
    memset(&out, 0xAB, sizeof out);
    out.known.struct_size = sizeof out;
    /* Unknown fields left at zero (absent): accepted, read as before. */
    CHECK(dr_order_eligibility(policy, &order.known, now, &out.known, NULL) == DR_STATUS_OK);
    CHECK(dr_order_eligibility(policy, &order.known, now, &plain, NULL) == DR_STATUS_OK);
    /* The known part is the answer; the unknown tail is zeroed, the size kept. */
    CHECK(out.known.struct_size == sizeof out);
    CHECK(out.known.status == plain.status);
    CHECK(out.known.opens_at == plain.opens_at && out.known.closes_at == plain.closes_at);
    CHECK(out.known.rules == plain.rules);
    CHECK(out.future[0] == 0 && out.future[1] == 0 && out.future[2] == 0);
    /* An unknown field that is set would be silently ignored: refused. */
    order.future[1] = 7;
    INVALID("order.struct_size", "does not know them",
            dr_order_eligibility(policy, &order.known, now, &out.known, &err));
    CHECK(dr_policy_free(policy) == DR_STATUS_OK);
}

TEST(a_foreign_pointer_is_not_a_policy) {
    /* Memory that never held a policy: zeros, then text. */
    uint64_t junk[32];
    dr_policy *fake = (dr_policy *)junk;
    dr_order order = sample_order();
    dr_eligibility out = DR_ELIGIBILITY_INIT;
    char *answer = NULL;
    dr_error *an_error = NULL;
    dr_policy *policy = preset();

    memset(junk, 0, sizeof junk);
    INVALID("policy", "not a live dr_policy", dr_policy_to_json(fake, &answer, &err));
    INVALID("policy", "not a live dr_policy",
            dr_order_eligibility(fake, &order, utc(2026, 3, 20, 12, 0), &out, &err));
    INVALID("policy", "not a live dr_policy",
            dr_call_with_policy(fake, "eligibility", "{}", &answer, &err));
    INVALID("policy", "not a live dr_policy",
            dr_assess_jsonl(fake, 1774008000, false, "", &answer, &err));
    INVALID("policy", "not a live dr_policy",
            dr_batch_jsonl(fake, "assess", 1774008000, false, NULL, 0, 1, &answer, &err));
    CHECK(answer == NULL);
    memcpy(junk, "not a policy, just some text", 29);
    CHECK(dr_policy_free(fake) == DR_STATUS_INVALID_ARGUMENT);
    CHECK(strcmp((const char *)junk, "not a policy, just some text") == 0); /* untouched */

    /* A live object of the wrong kind: an error passed as a policy, and a
     * policy passed as an error. */
    CHECK(dr_policy_new_preset("no-such-preset", &(dr_policy *){NULL}, &an_error) ==
          DR_STATUS_INVALID_POLICY);
    INVALID("policy", "not a live dr_policy",
            dr_policy_to_json((dr_policy *)an_error, &answer, &err));
    CHECK(dr_policy_free((dr_policy *)an_error) == DR_STATUS_INVALID_ARGUMENT);
    CHECK(dr_error_status(an_error) == DR_STATUS_INVALID_POLICY); /* still intact */
    CHECK(dr_error_status((dr_error *)policy) == DR_STATUS_INVALID_ARGUMENT);
    CHECK_STR(dr_error_message((dr_error *)policy), "");
    CHECK(dr_error_problem_count((dr_error *)policy) == 0);
    CHECK(dr_error_free((dr_error *)policy) == DR_STATUS_INVALID_ARGUMENT);
    /* Both still work. */
    CHECK(dr_policy_to_json(policy, &answer, NULL) == DR_STATUS_OK);
    dr_string_free(answer);
    CHECK(dr_error_free(an_error) == DR_STATUS_OK);
    CHECK(dr_policy_free(policy) == DR_STATUS_OK);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        dr_data_dir = argv[1];
    }
    RUN(version_macros_match_the_library);
    RUN(struct_size_is_required);
    RUN(a_newer_callers_structs);
    RUN(a_foreign_pointer_is_not_a_policy);
    return finish("test_abi");
}
