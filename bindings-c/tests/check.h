/*
 * A tiny test harness for the C and C++ tests of dispute-rules.
 *
 * TEST(name) defines a test; RUN(name) runs it. A test fails when any CHECK
 * in it fails. finish() prints "<program>: N passed, M failed, K skipped" and
 * returns the exit code (non-zero when a test failed). SKIP(why) ends a test
 * that cannot run here (it then counts neither as passed nor as failed).
 */
#ifndef DR_TEST_CHECK_H
#define DR_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int dr_test_passed = 0;
static int dr_test_failed = 0;
static int dr_test_skipped = 0;
static int dr_test_current_failed = 0;
static int dr_test_current_skipped = 0;

#define TEST(name) static void name(void)

#define RUN(name)                                                                  \
    do {                                                                           \
        dr_test_current_failed = 0;                                                \
        dr_test_current_skipped = 0;                                               \
        name();                                                                    \
        if (dr_test_current_failed) {                                              \
            dr_test_failed++;                                                      \
            printf("FAIL %s\n", #name);                                            \
        } else if (dr_test_current_skipped) {                                      \
            dr_test_skipped++;                                                     \
        } else {                                                                   \
            dr_test_passed++;                                                      \
            printf("ok   %s\n", #name);                                            \
        }                                                                          \
    } while (0)

#define CHECK(cond)                                                                \
    do {                                                                           \
        if (!(cond)) {                                                             \
            dr_test_current_failed = 1;                                            \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                          \
    } while (0)

/* Both strings non-NULL and equal. */
#define CHECK_STR(a, b)                                                            \
    do {                                                                           \
        const char *dr_a_ = (a);                                                   \
        const char *dr_b_ = (b);                                                   \
        if (dr_a_ == NULL || dr_b_ == NULL || strcmp(dr_a_, dr_b_) != 0) {         \
            dr_test_current_failed = 1;                                            \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" vs \"%s\"\n", __FILE__,  \
                    __LINE__, #a, #b, dr_a_ ? dr_a_ : "(null)",                    \
                    dr_b_ ? dr_b_ : "(null)");                                     \
        }                                                                          \
    } while (0)

/* `haystack` is non-NULL and contains `needle`. */
#define CHECK_CONTAINS(haystack, needle)                                           \
    do {                                                                           \
        const char *dr_h_ = (haystack);                                            \
        if (dr_h_ == NULL || strstr(dr_h_, (needle)) == NULL) {                    \
            dr_test_current_failed = 1;                                            \
            fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__,     \
                    __LINE__, dr_h_ ? dr_h_ : "(null)", (needle));                 \
        }                                                                          \
    } while (0)

#define SKIP(why)                                                                  \
    do {                                                                           \
        dr_test_current_skipped = 1;                                               \
        printf("skip %s: %s\n", __func__, (why));                                  \
        return;                                                                    \
    } while (0)

static inline int finish(const char *program) {
    printf("%s: %d passed, %d failed, %d skipped\n", program, dr_test_passed, dr_test_failed,
           dr_test_skipped);
    return dr_test_failed ? 1 : 0;
}

#endif /* DR_TEST_CHECK_H */
