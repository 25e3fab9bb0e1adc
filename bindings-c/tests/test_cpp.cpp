// The C API from C++17: RAII ownership of every returned object, errors
// turned into exceptions, and one policy shared by several threads.
//
// Usage: test_cpp [data-dir]
#include "check.h"
#include "fixture.h"

#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

struct StringFree {
    void operator()(char *s) const noexcept { dr_string_free(s); }
};
struct ErrorFree {
    void operator()(dr_error *e) const noexcept { dr_error_free(e); }
};
struct PolicyFree {
    void operator()(dr_policy *p) const noexcept { dr_policy_free(p); }
};
using String = std::unique_ptr<char, StringFree>;
using Error = std::unique_ptr<dr_error, ErrorFree>;
using Policy = std::unique_ptr<dr_policy, PolicyFree>;

// A failure of the engine, with its status and field.
class DisputeError : public std::runtime_error {
  public:
    DisputeError(dr_status status, const dr_error *e)
        : std::runtime_error(dr_error_message(e)), status_(status), field_(dr_error_field(e)) {}
    dr_status status() const noexcept { return status_; }
    const std::string &field() const noexcept { return field_; }

  private:
    dr_status status_;
    std::string field_;
};

std::string call(const char *op, const std::string &request) {
    char *answer = nullptr;
    dr_error *raw = nullptr;
    dr_status st = dr_call(op, request.c_str(), &answer, &raw);
    Error err(raw);
    String owned(answer);
    if (st != DR_STATUS_OK) {
        throw DisputeError(st, err.get());
    }
    return std::string(owned.get());
}

Policy load(const char *preset) {
    dr_policy *p = nullptr;
    dr_error *raw = nullptr;
    dr_status st = dr_policy_new_preset(preset, &p, &raw);
    Error err(raw);
    if (st != DR_STATUS_OK) {
        throw DisputeError(st, err.get());
    }
    return Policy(p);
}

dr_eligibility eligibility(const dr_policy *policy, const dr_order &order, long long now) {
    dr_eligibility e{};
    e.struct_size = sizeof e;
    dr_error *raw = nullptr;
    dr_status st = dr_order_eligibility(policy, &order, now, &e, &raw);
    Error err(raw);
    if (st != DR_STATUS_OK) {
        throw DisputeError(st, err.get());
    }
    return e;
}

std::string facts_text;

}  // namespace

TEST(json_calls_with_raii) {
    std::string req = "{\"facts\": " + facts_text + ", \"now\": \"2026-03-20T12:00:00Z\"}";
    std::string answer = call("assess", req);
    CHECK(answer.find("\"eligibility\":{\"status\":\"eligible\"") != std::string::npos);
    CHECK(answer.find("\"timeline\":{\"entries\":[") != std::string::npos);
}

TEST(failures_become_exceptions) {
    bool thrown = false;
    try {
        call("eligibility", "{\"facts\": {}, \"now\": \"2026-03-20T12:00:00Z\"}");
    } catch (const DisputeError &e) {
        thrown = true;
        CHECK(e.status() == DR_STATUS_INVALID_FACTS);
        CHECK(e.field().rfind("facts", 0) == 0);
        CHECK(std::string(e.what()).find("invalid order facts") == 0);
    }
    CHECK(thrown);
    thrown = false;
    try {
        load("ebay");
    } catch (const DisputeError &e) {
        thrown = true;
        CHECK(e.status() == DR_STATUS_INVALID_POLICY);
        CHECK(e.field() == "policy");
    }
    CHECK(thrown);
}

TEST(typed_path_with_vectors) {
    Policy policy = load("aliexpress");
    dr_order order = sample_order();
    std::vector<dr_extension> extensions(2);
    extensions[0].requested_at = utc(2026, 3, 15, 0, 0);
    extensions[0].days = 5;
    extensions[0].status = DR_EXTENSION_STATUS_DECLINED;
    extensions[0].decided_at = utc(2026, 3, 16, 0, 0);
    extensions[1].requested_at = utc(2026, 3, 17, 0, 0);
    extensions[1].days = 15;
    extensions[1].status = DR_EXTENSION_STATUS_PENDING;
    order.extensions = extensions.data();
    order.extension_count = extensions.size();
    dr_eligibility e = eligibility(policy.get(), order, utc(2026, 3, 20, 12, 0));
    CHECK(e.status == DR_ELIGIBILITY_STATUS_ELIGIBLE);
    // A pending request: no new extension to ask for; open the dispute if it
    // is not approved in time (R-E5).
    CHECK(e.extension_deadline == 0);
    CHECK(e.next_action == DR_ACTION_OPEN_DISPUTE_IF_EXTENSION_NOT_APPROVED ||
          e.next_action == DR_ACTION_OPEN_DISPUTE);
    bool thrown = false;
    order.extensions = nullptr;
    try {
        eligibility(policy.get(), order, utc(2026, 3, 20, 12, 0));
    } catch (const DisputeError &err) {
        thrown = true;
        CHECK(err.status() == DR_STATUS_NULL_ARGUMENT);
        CHECK(err.field() == "order.extensions");
    }
    CHECK(thrown);
}

TEST(one_policy_shared_by_threads) {
    Policy policy = load("aliexpress");
    dr_order order = sample_order();
    const long long start = utc(2026, 3, 2, 0, 0);
    std::vector<dr_eligibility> expected;
    for (int day = 0; day < 80; day++) {
        expected.push_back(eligibility(policy.get(), order, start + day * 86400LL));
    }
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; t++) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 2; round++) {
                for (int day = 0; day < 80; day++) {
                    dr_eligibility e = eligibility(policy.get(), order, start + day * 86400LL);
                    const dr_eligibility &x = expected[static_cast<size_t>(day)];
                    if (e.status != x.status || e.ineligible != x.ineligible ||
                        e.closes_at != x.closes_at || e.rules != x.rules) {
                        mismatches[static_cast<size_t>(t)]++;
                    }
                }
            }
        });
    }
    for (std::thread &th : threads) {
        th.join();
    }
    for (int m : mismatches) {
        CHECK(m == 0);
    }
    // The days cover every status of the unconfirmed order.
    CHECK(expected.front().status == DR_ELIGIBILITY_STATUS_NOT_YET);
    CHECK(expected[30].status == DR_ELIGIBILITY_STATUS_ELIGIBLE);
    CHECK(expected.back().status == DR_ELIGIBILITY_STATUS_CLOSED);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        dr_data_dir = argv[1];
    }
    char *text = sample_facts();
    facts_text = text;
    free(text);
    RUN(json_calls_with_raii);
    RUN(failures_become_exceptions);
    RUN(typed_path_with_vectors);
    RUN(one_policy_shared_by_threads);
    return finish("test_cpp");
}
