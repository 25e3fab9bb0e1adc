/*
 * Handle misuse that the library answers with a status instead of a crash:
 * a dr_policy or dr_error used after dr_*_free, or freed twice. Each reads
 * freed memory on purpose (that is the misuse), so this program runs without
 * valgrind or AddressSanitizer, which rightly report it. The guarantee holds
 * while the allocator has not handed the memory out again for a new policy:
 * the tests create none between a free and the misuse.
 *
 * What is not detected, and stays the caller's contract (see the header):
 * a double dr_string_free, or using a string after it was freed.
 *
 * Usage: test_misuse [data-dir]
 */
#define _DEFAULT_SOURCE
#include "check.h"
#include "fixture.h"

TEST(policy_used_after_free) {
    dr_policy *policy = NULL;
    dr_order order = sample_order();
    dr_eligibility out = DR_ELIGIBILITY_INIT;
    char *answer = NULL;
    dr_error *err = NULL;
    dr_status st;

    CHECK(dr_policy_new_preset("aliexpress", &policy, NULL) == DR_STATUS_OK);
    CHECK(dr_policy_free(policy) == DR_STATUS_OK);
    st = dr_order_eligibility(policy, &order, utc(2026, 3, 20, 12, 0), &out, &err);
    CHECK(st == DR_STATUS_INVALID_ARGUMENT);
    CHECK_STR(dr_error_field(err), "policy");
    CHECK(dr_error_free(err) == DR_STATUS_OK);
    err = NULL;
    CHECK(dr_policy_to_json(policy, &answer, &err) == DR_STATUS_INVALID_ARGUMENT);
    CHECK(answer == NULL);
    CHECK(dr_error_free(err) == DR_STATUS_OK);
    CHECK(dr_call_with_policy(policy, "eligibility", "{}", &answer, NULL) ==
          DR_STATUS_INVALID_ARGUMENT);
}

TEST(policy_freed_twice) {
    dr_policy *policy = NULL;
    CHECK(dr_policy_new_preset("aliexpress", &policy, NULL) == DR_STATUS_OK);
    CHECK(dr_policy_free(policy) == DR_STATUS_OK);
    /* glibc would abort ("free(): double free detected"): answered instead. */
    CHECK(dr_policy_free(policy) == DR_STATUS_INVALID_ARGUMENT);
    CHECK(dr_policy_free(policy) == DR_STATUS_INVALID_ARGUMENT);
}

TEST(error_used_after_free_and_freed_twice) {
    dr_policy *none = NULL;
    dr_error *err = NULL;
    CHECK(dr_policy_new_preset("no-such-preset", &none, &err) == DR_STATUS_INVALID_POLICY);
    CHECK(dr_error_status(err) == DR_STATUS_INVALID_POLICY);
    CHECK(dr_error_free(err) == DR_STATUS_OK);
    CHECK(dr_error_status(err) == DR_STATUS_INVALID_ARGUMENT);
    CHECK_STR(dr_error_message(err), "");
    CHECK(dr_error_problem_field(err, 0) == NULL);
    CHECK(dr_error_free(err) == DR_STATUS_INVALID_ARGUMENT);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        dr_data_dir = argv[1];
    }
    RUN(policy_used_after_free);
    RUN(policy_freed_twice);
    RUN(error_used_after_free_and_freed_twice);
    return finish("test_misuse");
}
