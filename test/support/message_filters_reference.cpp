// Reference driver for test/sync: feeds a stamp stream to ROS message_filters' own C++
// ApproximateTime policy (Debian libmessage-filters-dev) and prints every set it emits, so the
// TypeScript port can be compared set for set. Built by the test in a temporary directory.
//
// stdin:  line 1: N queue_size max_interval_ns(-1 = none) age_penalty lb_0 .. lb_{N-1} (ns)
//         then one message per line: topic_index stamp_ns
// stdout: one line per emitted set: "S stamp_0 .. stamp_{N-1}"
#include <message_filters/synchronizer.h>
#include <message_filters/sync_policies/approximate_time.h>
#include <ros/time.h>
#include <boost/make_shared.hpp>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <vector>

struct Stamped { ros::Time stamp; };
typedef boost::shared_ptr<Stamped const> StampedPtr;

namespace ros { namespace message_traits {
template<> struct TimeStamp<Stamped> {
  static ros::Time* pointer(Stamped& m) { return &m.stamp; }
  static ros::Time const* pointer(const Stamped& m) { return &m.stamp; }
  static ros::Time value(const Stamped& m) { return m.stamp; }
};
}}

static void printStamp(const StampedPtr& m) { std::printf(" %llu", (unsigned long long)m->stamp.toNSec()); }

template<typename... P> void onSet(const P&... m) {
  std::printf("S");
  (printStamp(m), ...);
  std::printf("\n");
}

template<typename Policy, typename... P> int run(uint32_t n, uint32_t queue, long long max_interval, double age_penalty,
                                                 const std::vector<long long>& lb) {
  Policy policy(queue);
  if (max_interval >= 0) policy.setMaxIntervalDuration(ros::Duration().fromNSec(max_interval));
  policy.setAgePenalty(age_penalty);
  for (uint32_t i = 0; i < n; i++) policy.setInterMessageLowerBound(i, ros::Duration().fromNSec(lb[i]));
  message_filters::Synchronizer<Policy> sync(policy);
  sync.registerCallback(&onSet<P...>);
  unsigned topic;
  unsigned long long stamp;
  while (std::cin >> topic >> stamp) {
    auto msg = boost::make_shared<Stamped>();
    msg->stamp.fromNSec(stamp);
    ros::MessageEvent<Stamped const> evt(msg, ros::Time(0, 0));
    switch (topic) {
      case 0: sync.template add<0>(evt); break;
      case 1: sync.template add<1>(evt); break;
      case 2: if constexpr (sizeof...(P) > 2) sync.template add<2>(evt); break;
      case 3: if constexpr (sizeof...(P) > 3) sync.template add<3>(evt); break;
      case 4: if constexpr (sizeof...(P) > 4) sync.template add<4>(evt); break;
      case 5: if constexpr (sizeof...(P) > 5) sync.template add<5>(evt); break;
      case 6: if constexpr (sizeof...(P) > 6) sync.template add<6>(evt); break;
      case 7: if constexpr (sizeof...(P) > 7) sync.template add<7>(evt); break;
      default: std::cerr << "bad topic " << topic << "\n"; return 2;
    }
  }
  std::fflush(stdout);
  return 0;
}

int main() {
  using message_filters::sync_policies::ApproximateTime;
  typedef Stamped M;
  uint32_t n, queue;
  long long max_interval;
  double age_penalty;
  if (!(std::cin >> n >> queue >> max_interval >> age_penalty) || n < 2 || n > 8) {
    std::cerr << "bad header line\n";
    return 2;
  }
  std::vector<long long> lb(n);
  for (auto& v : lb) std::cin >> v;
  typedef const StampedPtr& P;
  switch (n) {
    case 2: return run<ApproximateTime<M, M>, P, P>(n, queue, max_interval, age_penalty, lb);
    case 3: return run<ApproximateTime<M, M, M>, P, P, P>(n, queue, max_interval, age_penalty, lb);
    case 4: return run<ApproximateTime<M, M, M, M>, P, P, P, P>(n, queue, max_interval, age_penalty, lb);
    case 5: return run<ApproximateTime<M, M, M, M, M>, P, P, P, P, P>(n, queue, max_interval, age_penalty, lb);
    case 6: return run<ApproximateTime<M, M, M, M, M, M>, P, P, P, P, P, P>(n, queue, max_interval, age_penalty, lb);
    case 7: return run<ApproximateTime<M, M, M, M, M, M, M>, P, P, P, P, P, P, P>(n, queue, max_interval, age_penalty, lb);
    default: return run<ApproximateTime<M, M, M, M, M, M, M, M>, P, P, P, P, P, P, P, P>(n, queue, max_interval, age_penalty, lb);
  }
}
