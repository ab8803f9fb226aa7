#include "security/ids/detail/windows.h"

#include <algorithm>

namespace balai::security::ids::detail {

size_t EventWindow::add(core::Timestamp at, int64_t window_ms, size_t cap) {
  // Nearly always appends: only a late event from another thread lands earlier.
  times_.insert(std::upper_bound(times_.begin(), times_.end(), at.ms), at.ms);
  const auto inside = std::upper_bound(times_.begin(), times_.end(), times_.back() - window_ms);
  times_.erase(times_.begin(), inside);
  if (times_.size() > cap) times_.erase(times_.begin(), times_.end() - static_cast<long>(cap));
  return times_.size();
}

size_t DistinctWindow::add(uint64_t member, core::Timestamp at, int64_t window_ms, size_t cap) {
  newest_ms_ = seen_any_ ? std::max(newest_ms_, at.ms) : at.ms;
  seen_any_ = true;
  const int64_t edge = newest_ms_ - window_ms;  // at or before this, a sighting is outside
  std::erase_if(sightings_, [&](const Sighting& s) { return s.last_ms <= edge; });
  if (at.ms <= edge) return sightings_.size();  // arrived too late to count

  auto known = std::find_if(sightings_.begin(), sightings_.end(),
                            [&](const Sighting& s) { return s.member == member; });
  if (known != sightings_.end()) {
    known->last_ms = std::max(known->last_ms, at.ms);
  } else if (sightings_.size() < cap) {
    sightings_.push_back({member, at.ms});
  } else {
    // Keeping the `cap` most recently seen members keeps "at least N inside" exact for N <= cap.
    auto oldest = std::min_element(
        sightings_.begin(), sightings_.end(),
        [](const Sighting& a, const Sighting& b) { return a.last_ms < b.last_ms; });
    if (oldest->last_ms < at.ms) *oldest = {member, at.ms};
  }
  return sightings_.size();
}

}  // namespace balai::security::ids::detail
