#pragma once
// A string-keyed map that remembers the order in which entries were last touched, so the
// least recently touched one can be dropped in O(1). One shard of the rate limiter or the ban
// list; not thread-safe (the shard's lock guards it).

#include <cstddef>
#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "security/firewall/detail/keyed_hash.h"

namespace balai::security::firewall::detail {

template <class V>
class LruMap {
 public:
  // `hash` must outlive the map.
  explicit LruMap(const KeyedHash& hash) : index_(0, KeyedStringHash{&hash}) {}
  LruMap(const LruMap&) = delete;
  LruMap& operator=(const LruMap&) = delete;

  size_t size() const { return index_.size(); }
  bool empty() const { return index_.empty(); }

  // The entry, or nullptr; marks it the most recently touched.
  V* touch(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }
  // The entry without touching it, or nullptr.
  V* peek(std::string_view key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  const V* peek(std::string_view key) const {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  // Precondition: the key is absent. The new entry is the most recently touched.
  V& insert(std::string_view key, V value) {
    order_.emplace_front(std::string(key), std::move(value));
    // The index views the key inside the list node, which never moves.
    index_.emplace(std::string_view(order_.front().first), order_.begin());
    return order_.front().second;
  }
  bool erase(std::string_view key) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    auto node = it->second;
    index_.erase(it);
    order_.erase(node);
    return true;
  }

  // Precondition: !empty().
  std::pair<const std::string&, const V&> oldest() const {
    return {order_.back().first, order_.back().second};
  }
  void pop_oldest() {
    index_.erase(std::string_view(order_.back().first));
    order_.pop_back();
  }
  // Drops the oldest entries while `pred(key, value)` holds, at most `limit` of them; stops at
  // the first that does not hold.
  template <class Pred>
  size_t pop_oldest_while(size_t limit, Pred pred) {
    size_t dropped = 0;
    while (dropped < limit && !order_.empty() && pred(order_.back().first, order_.back().second)) {
      pop_oldest();
      ++dropped;
    }
    return dropped;
  }
  // Among the `limit` oldest entries, drops the oldest for which `pred(key, value)` holds.
  template <class Pred>
  bool erase_oldest_matching(size_t limit, Pred pred) {
    auto node = order_.end();
    for (size_t seen = 0; seen < limit && node != order_.begin(); ++seen) {
      --node;
      if (pred(node->first, node->second)) {
        index_.erase(std::string_view(node->first));
        order_.erase(node);
        return true;
      }
    }
    return false;
  }
  // Drops every entry for which `pred(key, value)` holds.
  template <class Pred>
  size_t erase_if(Pred pred) {
    size_t dropped = 0;
    for (auto node = order_.begin(); node != order_.end();) {
      if (pred(node->first, node->second)) {
        index_.erase(std::string_view(node->first));
        node = order_.erase(node);
        ++dropped;
      } else {
        ++node;
      }
    }
    return dropped;
  }
  // Visits entries from the most to the least recently touched.
  template <class F>
  void for_each(F visit) const {
    for (const auto& [key, value] : order_) visit(key, value);
  }

 private:
  using Order = std::list<std::pair<std::string, V>>;
  Order order_;  // most recently touched first
  std::unordered_map<std::string_view, typename Order::iterator, KeyedStringHash> index_;
};

}  // namespace balai::security::firewall::detail
