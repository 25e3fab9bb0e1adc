// assess (C++): eligibility of the sample order over its whole window, with
// RAII ownership of the policy and exceptions for failures.
//
//   assess_cpp [facts.json]
//
// Build: c++ -std=c++17 assess.cpp $(pkg-config --cflags --libs dispute_rules)
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>

#include "dispute_rules.h"

namespace {

struct PolicyFree {
    void operator()(dr_policy *p) const noexcept { dr_policy_free(p); }
};
struct StringFree {
    void operator()(char *s) const noexcept { dr_string_free(s); }
};
struct ErrorFree {
    void operator()(dr_error *e) const noexcept { dr_error_free(e); }
};

// Throws the message of a failed call (and frees the error).
void check(dr_status status, dr_error *raw) {
    std::unique_ptr<dr_error, ErrorFree> err(raw);
    if (status != DR_STATUS_OK) {
        throw std::runtime_error(std::string(dr_status_name(status)) + ": " + dr_error_message(err.get()));
    }
}

std::string day(long long secs) {
    if (secs == 0) {
        return "-";
    }
    std::time_t t = static_cast<std::time_t>(secs);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M", std::gmtime(&t));
    return text;
}

}  // namespace

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "dispute-rules/tests/data/not_received.json";
    try {
        std::ifstream in(path);
        if (!in) {
            throw std::runtime_error(std::string("cannot read ") + path);
        }
        std::stringstream facts;
        facts << in.rdbuf();

        dr_policy *raw_policy = nullptr;
        dr_error *err = nullptr;
        check(dr_policy_new_preset("aliexpress", &raw_policy, &err), err);
        std::unique_ptr<dr_policy, PolicyFree> policy(raw_policy);

        // The timeline of the order, as JSON.
        std::string request = "{\"facts\": " + facts.str() + ", \"now\": \"2026-03-20T12:00:00Z\"}";
        char *raw_answer = nullptr;
        err = nullptr;
        check(dr_timeline_json(request.c_str(), &raw_answer, &err), err);
        std::unique_ptr<char, StringFree> answer(raw_answer);
        std::cout << answer.get() << "\n";

        // The typed path, week by week (times in UTC).
        dr_order order{};
        order.struct_size = sizeof order;
        order.order_id = "8123";
        order.line_id = "1";
        order.currency = "USD";
        order.amount_scale = 2;
        order.unit_price_minor = 1999;
        order.quantity = 1;
        order.placed_at = 1772182800;   // 2026-02-27T09:00:00Z
        order.shipped_at = 1772388000;  // 2026-03-01T18:00:00Z
        order.shipping_method = "standard";
        order.destination_country = "US";
        order.payment_method = DR_PAYMENT_METHOD_CARD;
        for (int week = 0; week < 10; week++) {
            long long now = order.shipped_at + week * 7LL * 86400;
            dr_eligibility e{};
            e.struct_size = sizeof e;
            err = nullptr;
            check(dr_order_eligibility(policy.get(), &order, now, &e, &err), err);
            std::printf("%s  %-9s %-22s closes %s\n", day(now).c_str(), dr_eligibility_status_name(e.status),
                        e.ineligible ? dr_ineligible_code(e.ineligible) : "", day(e.closes_at).c_str());
        }
    } catch (const std::exception &e) {
        std::cerr << "assess_cpp: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
