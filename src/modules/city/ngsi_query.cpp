#include "modules/city/ngsi_query.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <regex>
#include <utility>

#include "core/text.h"

namespace balai::city {
namespace {

core::Error bad_request(std::string message) {
  return core::make_error(core::ErrorCode::bad_request, std::move(message));
}

std::string_view view(const boost::json::string& s) {
  return {s.data(), s.size()};
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

// --- Pattern limits ---

constexpr size_t kPatternMaxStates = 10'000;

// How many automaton states a pattern compiles to, roughly and from above: libstdc++ copies
// the atom of a counted repetition (x{n,m}) m times, so nesting multiplies. SIZE_MAX for a
// back-reference, which linear-time matching cannot run.
size_t estimate_states(std::string_view p) {
  constexpr size_t kRefuse = std::numeric_limits<size_t>::max();
  std::vector<size_t> open;  // the enclosing groups' sums so far
  size_t sum = 0, last = 0;  // states so far in this group; size of the last atom
  auto saturate = [](size_t v) { return std::min(v, kPatternMaxStates + 1); };
  for (size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      if (i + 1 < p.size() && p[i + 1] >= '1' && p[i + 1] <= '9') return kRefuse;
      ++i, last = 1, sum = saturate(sum + 1);
    } else if (c == '[') {
      for (++i; i < p.size() && p[i] != ']'; ++i)
        if (p[i] == '\\') ++i;
      last = 1, sum = saturate(sum + 1);
    } else if (c == '(') {
      open.push_back(sum);
      sum = 0;
      if (i + 2 < p.size() && p[i + 1] == '?') i += 2;  // (?: (?= (?!
    } else if (c == ')' && !open.empty()) {
      last = sum + 2;
      sum = saturate(open.back() + last);
      open.pop_back();
    } else if (c == '*' || c == '+' || c == '?') {
      sum = saturate(sum + 2);
    } else if (c == '{') {
      size_t j = i + 1, low = 0, high = 0;
      bool comma = false, digits = false;
      for (; j < p.size() && ((p[j] >= '0' && p[j] <= '9') || (p[j] == ',' && !comma)); ++j) {
        if (p[j] == ',') {
          comma = true;
        } else {
          size_t& bound = comma ? high : low;
          bound = saturate(bound * 10 + static_cast<size_t>(p[j] - '0'));
          digits = true;
        }
      }
      if (j >= p.size() || p[j] != '}' || !digits) {  // a literal '{'
        last = 1, sum = saturate(sum + 1);
        continue;
      }
      const size_t copies = std::max<size_t>(1, comma && high == 0 ? low + 1 : std::max(low, high));
      sum = saturate(sum + saturate(last * copies) + 2);
      last = saturate(last * copies);
      i = j;
    } else if (c != '|' && c != '^' && c != '$') {
      last = 1, sum = saturate(sum + 1);
    }
  }
  for (size_t outer : open) sum = saturate(sum + outer);
  return sum;
}

std::regex::flag_type pattern_flags() {
#if defined(__GLIBCXX__)
  // libstdc++'s breadth-first executor: time polynomial in the text, no backtracking blow-up.
  return std::regex::ECMAScript | std::regex_constants::__polynomial;
#else
  return std::regex::ECMAScript;
#endif
}

// --- Dates ---

std::optional<int> digits_at(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return std::nullopt;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// ISO 8601 as NGSI-v2 clients write it: YYYY-MM-DD[THH:MM[:SS[.fraction]]][Z|+HH[:MM]|-HHMM].
// Without an offset the time is UTC (Orion's reading).
std::optional<core::Timestamp> parse_date(std::string_view s) {
  const auto year = digits_at(s, 0, 4), month = digits_at(s, 5, 2), day = digits_at(s, 8, 2);
  if (!year || !month || !day || s[4] != '-' || s[7] != '-') return std::nullopt;
  const core::Date date{*year, *month, *day};
  if (!core::is_valid_date(date)) return std::nullopt;
  int64_t ms = core::days_from_civil(date) * core::kDayMs;
  size_t pos = 10;
  if (pos == s.size()) return core::Timestamp{ms};
  const auto hour = digits_at(s, 11, 2), minute = digits_at(s, 14, 2);
  if (s[pos] != 'T' || !hour || !minute || s[13] != ':' || *hour > 23 || *minute > 59)
    return std::nullopt;
  ms += (*hour * 60 + *minute) * 60'000LL;
  pos = 16;
  if (pos < s.size() && s[pos] == ':') {
    const auto second = digits_at(s, 17, 2);
    if (!second || *second > 59) return std::nullopt;
    ms += *second * 1000LL;
    pos = 19;
    if (pos < s.size() && s[pos] == '.') {
      size_t n = 0;
      for (++pos; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos, ++n)
        if (n < 3) ms += (s[pos] - '0') * (n == 0 ? 100 : n == 1 ? 10 : 1);
      if (n == 0 || n > 9) return std::nullopt;
    }
  }
  if (pos == s.size()) return core::Timestamp{ms};
  if (s[pos] == 'Z') return pos + 1 == s.size() ? std::optional(core::Timestamp{ms}) : std::nullopt;
  if (s[pos] != '+' && s[pos] != '-') return std::nullopt;
  const int direction = s[pos] == '+' ? 1 : -1;
  const auto off_hour = digits_at(s, pos + 1, 2);
  size_t end = pos + 3;
  std::optional<int> off_minute = 0;
  if (end < s.size()) {
    if (s[end] == ':') ++end;
    off_minute = digits_at(s, end, 2);
    end += 2;
  }
  if (!off_hour || !off_minute || end != s.size() || *off_hour > 14 || *off_minute > 59)
    return std::nullopt;
  return core::Timestamp{ms - direction * (*off_hour * 60 + *off_minute) * 60'000LL};
}

// --- Lexing helpers (quotes are NGSI's only escape: inside '...' nothing is special) ---

bool balanced_quotes(std::string_view text) {
  return std::count(text.begin(), text.end(), '\'') % 2 == 0;
}

// Splits at `separator` outside quotes (an open quote runs to the end: check balanced_quotes).
std::vector<std::string_view> split_outside_quotes(std::string_view text,
                                                   std::string_view separator) {
  std::vector<std::string_view> parts;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\'') {
      quoted = !quoted;
    } else if (!quoted && text.substr(i, separator.size()) == separator) {
      parts.push_back(text.substr(start, i - start));
      start = i + separator.size();
      i = start - 1;
    }
  }
  parts.push_back(text.substr(start));
  return parts;
}

bool forbidden_in_field(char c) {
  return c <= 0x20 || c >= 0x7f || c == '&' || c == '?' || c == '/' || c == '#' || c == '<' ||
         c == '>' || c == '"' || c == '\'' || c == '=' || c == ';' || c == '(' || c == ')';
}

bool looks_numeric(std::string_view s) {
  size_t i = s.starts_with('-') ? 1 : 0, digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
  if (i < s.size() && s[i] == '.')
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t start = i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    }
    if (i == start) return false;
  }
  return i == s.size();
}

// --- The Simple Query Language parser ---

struct QueryParser {
  std::string_view prefix;  // "invalid query: " or "invalid metadata query: "
  bool metadata = false;

  core::Error fail(std::string_view problem, std::string_view statement) const {
    return bad_request(std::string(prefix) + std::string(problem) + " in '" +
                       std::string(statement) + "'");
  }

  core::Result<std::vector<std::string>> path(std::string_view lhs, std::string_view st) const {
    const auto segments = split_outside_quotes(lhs, ".");
    if (segments.size() > kQueryMaxPathDepth) return fail("path too deep", st);
    if (metadata && segments.size() < 2) return fail("a path must be attribute.metadata", st);
    std::vector<std::string> out;
    for (std::string_view s : segments) {
      if (s.size() >= 2 && s.front() == '\'' && s.back() == '\'') {
        s = s.substr(1, s.size() - 2);
        if (s.empty() || s.size() > kFieldMaxLength || s.find('\'') != std::string_view::npos ||
            std::any_of(s.begin(), s.end(), [](char c) { return c < 0x20 || c == 0x7f; }))
          return fail("invalid quoted name", st);
      } else if (s.empty()) {
        return fail("empty name in path", st);
      } else if (!is_valid_field(s)) {
        return fail("invalid attribute name", st);
      }
      out.emplace_back(s);
    }
    return out;
  }

  core::Result<QueryValue> value(std::string_view item, std::string_view st) const {
    item = core::trim(item);
    if (item.empty()) return fail("empty value", st);
    if (item.front() == '\'') {
      if (item.size() < 2 || item.back() != '\'' ||
          item.substr(1, item.size() - 2).find('\'') != std::string_view::npos)
        return fail("misplaced quote", st);
      return QueryValue{std::string(item.substr(1, item.size() - 2))};
    }
    if (std::any_of(item.begin(), item.end(), [](char c) {
          return c == '\'' || c == '"' || c == '<' || c == '>' || c == '=' || c == '(' ||
                 c == ')' || static_cast<unsigned char>(c) < 0x20;
        }))
      return fail("invalid character in value (quote it)", st);
    if (looks_numeric(item)) {
      double d = 0;
      const auto r = std::from_chars(item.data(), item.data() + item.size(), d);
      if (r.ec != std::errc{} || r.ptr != item.data() + item.size() || !std::isfinite(d))
        return fail("number out of range", st);
      return QueryValue{d};
    }
    if (auto date = parse_date(item)) return QueryValue{QueryDate{*date}};
    if (item == "true") return QueryValue{true};
    if (item == "false") return QueryValue{false};
    if (item == "null") return QueryValue{nullptr};
    return QueryValue{std::string(item)};
  }

  core::Result<QueryOperand> range(std::string_view rhs, std::string_view st) const {
    const auto ends = split_outside_quotes(rhs, "..");
    if (ends.size() != 2) return fail("a range has two ends", st);
    for (std::string_view end : ends) {
      if (core::trim(end).empty()) return fail("empty item in range", st);
      if (split_outside_quotes(end, ",").size() > 1) return fail("a range cannot be a list", st);
    }
    auto from = value(ends[0], st);
    if (!from) return from.take_error();
    auto to = value(ends[1], st);
    if (!to) return to.take_error();
    const size_t kind = from->index();
    const bool orderable = std::holds_alternative<double>(*from) ||
                           std::holds_alternative<QueryDate>(*from) ||
                           std::holds_alternative<std::string>(*from);
    if (!orderable || kind != to->index())
      return fail("range ends must both be numbers, dates or text", st);
    return QueryOperand{QueryRange{std::move(*from), std::move(*to)}};
  }

  core::Result<QueryOperand> list(std::string_view rhs, std::string_view st) const {
    const auto items = split_outside_quotes(rhs, ",");
    if (items.size() > kQueryMaxListItems) return fail("too many items in list", st);
    std::vector<QueryValue> out;
    for (std::string_view item : items) {
      if (core::trim(item).empty()) return fail("empty item in list", st);
      auto v = value(item, st);
      if (!v) return v.take_error();
      out.push_back(std::move(*v));
    }
    return QueryOperand{std::move(out)};
  }

  core::Result<QueryOperand> operand(QueryOperator op, std::string_view rhs,
                                     std::string_view st) const {
    if (op == QueryOperator::match) {
      if (rhs.size() >= 2 && rhs.front() == '\'' && rhs.back() == '\'')
        rhs = rhs.substr(1, rhs.size() - 2);
      auto pattern = TextPattern::compile(rhs);
      if (!pattern) return fail(pattern.error().message, st);
      return QueryOperand{std::move(*pattern)};
    }
    const bool is_range = split_outside_quotes(rhs, "..").size() > 1;
    const bool is_list = split_outside_quotes(rhs, ",").size() > 1;
    if (op == QueryOperator::equal || op == QueryOperator::unequal) {
      if (is_range) return range(rhs, st);
      if (is_list) return list(rhs, st);
    } else if (is_range || is_list) {
      return fail("ranges and lists need == or !=", st);
    }
    auto v = value(rhs, st);
    if (!v) return v.take_error();
    if (op != QueryOperator::equal && op != QueryOperator::unequal &&
        !std::holds_alternative<double>(*v) && !std::holds_alternative<QueryDate>(*v) &&
        !std::holds_alternative<std::string>(*v))
      return fail("only numbers, dates and text can be ordered", st);
    return QueryOperand{std::move(*v)};
  }

  core::Result<QueryStatement> statement(std::string_view st) const {
    // The first operator outside quotes splits the statement; no operator makes it unary.
    static constexpr std::pair<std::string_view, QueryOperator> kOperators[] = {
        {"==", QueryOperator::equal},         {"!=", QueryOperator::unequal},
        {">=", QueryOperator::greater_equal}, {"<=", QueryOperator::less_equal},
        {"~=", QueryOperator::match},         {"<", QueryOperator::less},
        {">", QueryOperator::greater},        {":", QueryOperator::equal},
    };
    bool quoted = false;
    for (size_t i = 0; i < st.size(); ++i) {
      if (st[i] == '\'') quoted = !quoted;
      if (quoted) continue;
      for (const auto& [symbol, op] : kOperators) {
        if (st.substr(i, symbol.size()) != symbol) continue;
        const std::string_view lhs = core::trim(st.substr(0, i));
        const std::string_view rhs = core::trim(st.substr(i + symbol.size()));
        if (lhs.empty()) return fail("empty left-hand side", st);
        if (rhs.empty()) return fail("empty right-hand side", st);
        if (lhs.front() == '!') return fail("'!' cannot negate a comparison", st);
        auto p = path(lhs, st);
        if (!p) return p.take_error();
        auto o = operand(op, rhs, st);
        if (!o) return o.take_error();
        return QueryStatement{std::move(*p), op, std::move(*o), std::string(st)};
      }
    }
    quoted = false;
    for (char c : st) {
      quoted = quoted != (c == '\'');
      if (!quoted && c == '=') return fail("unknown operator", st);
    }
    const bool negated = st.front() == '!';
    const std::string_view name = core::trim(negated ? st.substr(1) : st);
    if (name.empty()) return fail("empty attribute name", st);
    auto p = path(name, st);
    if (!p) return p.take_error();
    return QueryStatement{std::move(*p),
                          negated ? QueryOperator::not_exists : QueryOperator::exists,
                          std::monostate{}, std::string(st)};
  }

  core::Result<SimpleQuery> query(std::string_view text) const {
    if (text.size() > kQueryMaxLength)
      return bad_request(std::string(prefix) + "longer than " + std::to_string(kQueryMaxLength) +
                         " characters");
    if (core::trim(text).empty()) return bad_request(std::string(prefix) + "empty q");
    if (!balanced_quotes(text)) return fail("unterminated quote", text);
    auto parts = split_outside_quotes(text, ";");
    if (parts.size() > 1 && core::trim(parts.back()).empty()) parts.pop_back();  // "a;b;"
    if (parts.size() > kQueryMaxStatements)
      return bad_request(std::string(prefix) + "more than " + std::to_string(kQueryMaxStatements) +
                         " statements");
    SimpleQuery out{metadata, {}};
    for (std::string_view part : parts) {
      part = core::trim(part);
      if (part.empty()) return fail("empty statement", text);
      auto st = statement(part);
      if (!st) return st.take_error();
      out.statements.push_back(std::move(*st));
    }
    return out;
  }
};

// --- Evaluation ---

// What a statement's path reaches in an entity.
struct Target {
  bool exists = false;
  const boost::json::value* value = nullptr;  // null for builtin dates
  std::optional<core::Timestamp> date;        // a DateTime attribute or metadata, a builtin
};

std::optional<double> number_of(const boost::json::value& v) {
  if (v.is_double()) return v.get_double();
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return std::nullopt;
}

std::optional<core::Timestamp> date_of(const boost::json::value& v) {
  return v.is_string() ? parse_date(view(v.get_string())) : std::nullopt;
}

Target resolve(const QueryStatement& st, bool metadata, const Entity& e) {
  static const boost::json::value kNull;
  const auto& path = st.path;
  const auto attribute = e.attrs.find(path[0]);
  if (attribute == e.attrs.end()) {
    if (metadata || path.size() != 1) return {};
    if (path[0] == "dateCreated") return {true, nullptr, core::Timestamp{e.created_ms}};
    if (path[0] == "dateModified") return {true, nullptr, core::Timestamp{e.modified_ms}};
    return {};
  }
  const boost::json::value* v = &attribute->second.value;
  std::string_view type = attribute->second.type;
  size_t next = 1;
  if (metadata) {
    const auto* md = attribute->second.metadata.if_contains(path[1]);
    if (!md) return {};
    v = md;
    type = {};
    if (const auto* object = md->if_object()) {
      const auto* value = object->if_contains("value");
      v = value ? value : &kNull;
      const auto* md_type = object->if_contains("type");
      if (md_type && md_type->is_string()) type = view(md_type->get_string());
    }
    next = 2;
  }
  const bool typed_date = next == path.size() && type == "DateTime";
  for (size_t i = next; i < path.size(); ++i) {
    const auto* object = v->if_object();
    v = object ? object->if_contains(path[i]) : nullptr;
    if (!v) return {};
  }
  return {true, v, typed_date ? date_of(*v) : std::nullopt};
}

// Three-way comparison of a target (or an element of it) with an orderable literal; nullopt
// when their kinds differ (a number never compares with text).
std::optional<int> compare(const boost::json::value* v, std::optional<core::Timestamp> date,
                           const QueryValue& q) {
  auto three_way = [](const auto& a, const auto& b) { return a < b ? -1 : (b < a ? 1 : 0); };
  return std::visit(Overloaded{
                        [&](double d) -> std::optional<int> {
                          const auto n = v ? number_of(*v) : std::nullopt;
                          return n ? std::optional(three_way(*n, d)) : std::nullopt;
                        },
                        [&](const QueryDate& d) -> std::optional<int> {
                          return date ? std::optional(three_way(date->ms, d.at.ms)) : std::nullopt;
                        },
                        [&](const std::string& s) -> std::optional<int> {
                          if (!v || !v->is_string()) return std::nullopt;
                          const int c = view(v->get_string()).compare(s);
                          return (c > 0) - (c < 0);
                        },
                        [](const auto&) -> std::optional<int> { return std::nullopt; },
                    },
                    q);
}

bool equals(const boost::json::value* v, std::optional<core::Timestamp> date, const QueryValue& q) {
  if (std::holds_alternative<std::nullptr_t>(q)) return v && v->is_null();
  if (const bool* b = std::get_if<bool>(&q)) return v && v->is_bool() && v->get_bool() == *b;
  return compare(v, date, q) == 0;
}

bool in_range(const boost::json::value* v, std::optional<core::Timestamp> date,
              const QueryRange& r) {
  const auto low = compare(v, date, r.from), high = compare(v, date, r.to);
  return low && high && *low >= 0 && *high <= 0;
}

// An array target matches when one of its elements does (NGSI-v2: "or include the value").
template <class Predicate>
bool any_element(const Target& t, Predicate predicate) {
  if (t.value && t.value->is_array()) {
    const auto& items = t.value->get_array();
    return std::any_of(items.begin(), items.end(), [&](const boost::json::value& item) {
      return predicate(&item, std::nullopt);
    });
  }
  return predicate(t.value, t.date);
}

bool holds(const QueryStatement& st, const Target& t) {
  if (st.op == QueryOperator::exists) return t.exists;
  if (st.op == QueryOperator::not_exists) return !t.exists;
  if (!t.exists) return false;
  const bool negate = st.op == QueryOperator::unequal;
  return std::visit(
      Overloaded{
          [&](const QueryValue& q) {
            if (st.op == QueryOperator::equal || negate) {
              return negate !=
                     any_element(t, [&](auto* v, auto date) { return equals(v, date, q); });
            }
            return any_element(t, [&](auto* v, auto date) {
              const auto c = compare(v, date, q);
              if (!c) return false;
              switch (st.op) {
                case QueryOperator::less:
                  return *c < 0;
                case QueryOperator::less_equal:
                  return *c <= 0;
                case QueryOperator::greater:
                  return *c > 0;
                default:
                  return *c >= 0;
              }
            });
          },
          [&](const std::vector<QueryValue>& list) {
            return negate != any_element(t, [&](auto* v, auto date) {
                     return std::any_of(list.begin(), list.end(),
                                        [&](const QueryValue& q) { return equals(v, date, q); });
                   });
          },
          [&](const QueryRange& r) {
            return negate !=
                   any_element(t, [&](auto* v, auto date) { return in_range(v, date, r); });
          },
          [&](const TextPattern& p) {
            return any_element(t, [&](auto* v, auto) {
              return v && v->is_string() && p.search(view(v->get_string()));
            });
          },
          [](std::monostate) { return false; },
      },
      st.operand);
}

// --- Ordering ---

// A value's place in MongoDB's order of kinds, and its value within the kind.
struct SortValue {
  int rank = 0;  // 0 missing/null, 1 number (and DateTime), 2 text, 3 object, 4 array, 5 bool
  double number = 0;
  std::string_view text;
};

SortValue sort_value(const Entity& e, std::string_view field) {
  if (field == "id") return {2, 0, e.id};
  if (field == "type") return {2, 0, e.type};
  const auto attribute = e.attrs.find(std::string(field));
  if (attribute == e.attrs.end()) {
    if (field == "dateCreated") return {1, static_cast<double>(e.created_ms), {}};
    if (field == "dateModified") return {1, static_cast<double>(e.modified_ms), {}};
    return {};
  }
  const auto& v = attribute->second.value;
  if (attribute->second.type == "DateTime")
    if (auto date = date_of(v)) return {1, static_cast<double>(date->ms), {}};
  if (auto n = number_of(v)) return {1, *n, {}};
  if (v.is_string()) return {2, 0, view(v.get_string())};
  if (v.is_object()) return {3, 0, {}};
  if (v.is_array()) return {4, 0, {}};
  if (v.is_bool()) return {5, v.get_bool() ? 1.0 : 0.0, {}};
  return {};
}

int compare_sort(const SortValue& a, const SortValue& b) {
  if (a.rank != b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.number != b.number) return a.number < b.number ? -1 : 1;
  const int c = a.text.compare(b.text);
  return (c > 0) - (c < 0);
}

double distance_key(const Entity& e, core::GeoPoint near) {
  const auto shape = location_of(e);
  return shape ? distance_m(near, *shape) : std::numeric_limits<double>::infinity();
}

}  // namespace

// --- TextPattern ---

struct TextPattern::Compiled {
  std::regex anywhere;  // [\s\S]*(?:source)[\s\S]*: one linear pass instead of a search per start
};

TextPattern::TextPattern(std::string source, std::shared_ptr<const Compiled> compiled)
    : source_(std::move(source)), compiled_(std::move(compiled)) {}

core::Result<TextPattern> TextPattern::compile(std::string_view source) {
  if (source.empty()) return bad_request("empty pattern");
  if (source.size() > kPatternMaxLength)
    return bad_request("pattern longer than " + std::to_string(kPatternMaxLength) + " characters");
  const size_t states = estimate_states(source);
  if (states == std::numeric_limits<size_t>::max())
    return bad_request("back-references are not supported in patterns");
  if (states > kPatternMaxStates) return bad_request("pattern too complex");
  try {
    // The pattern alone first, so that one which only parses once wrapped (an unbalanced ')')
    // is refused.
    const std::regex alone(source.begin(), source.end(), pattern_flags());
    auto compiled = std::make_shared<Compiled>();
    const std::string wrapped = "[\\s\\S]*(?:" + std::string(source) + ")[\\s\\S]*";
    compiled->anywhere = std::regex(wrapped, pattern_flags());
    return TextPattern(std::string(source), std::move(compiled));
  } catch (const std::regex_error&) {
    return bad_request("invalid regular expression");
  }
}

bool TextPattern::search(std::string_view text) const {
  if (!compiled_ || text.size() > kPatternMaxSubject) return false;
  try {
    return std::regex_match(text.begin(), text.end(), compiled_->anywhere);
  } catch (const std::regex_error&) {
    return false;  // the library gave up (complexity): no match rather than an error per entity
  }
}

// --- Simple Query Language ---

core::Result<SimpleQuery> parse_simple_query(std::string_view q) {
  return QueryParser{"invalid query: ", false}.query(q);
}

core::Result<SimpleQuery> parse_metadata_query(std::string_view mq) {
  return QueryParser{"invalid metadata query: ", true}.query(mq);
}

bool matches(const SimpleQuery& query, const Entity& entity) {
  return std::all_of(
      query.statements.begin(), query.statements.end(),
      [&](const QueryStatement& st) { return holds(st, resolve(st, query.metadata, entity)); });
}

// --- Names, order, options, paging ---

bool is_valid_field(std::string_view name) {
  return !name.empty() && name.size() <= kFieldMaxLength &&
         std::none_of(name.begin(), name.end(), forbidden_in_field);
}

core::Result<std::vector<std::string>> parse_name_list(std::string_view text,
                                                       std::string_view param) {
  const std::string where = " URI param /" + std::string(param) + "/";
  if (text.empty()) return bad_request("Empty right-hand-side for" + where);
  std::vector<std::string> out;
  size_t count = 0;
  for (std::string_view item : split_outside_quotes(text, ",")) {
    if (++count > kQueryMaxListItems)
      return bad_request("too many items in" + where + " (at most " +
                         std::to_string(kQueryMaxListItems) + ")");
    if (item.empty()) return bad_request("empty item in" + where);
    if (!is_valid_field(item)) return bad_request("invalid name in" + where);
    if (std::find(out.begin(), out.end(), item) == out.end()) out.emplace_back(item);
  }
  return out;
}

core::Result<std::vector<OrderKey>> parse_order_by(std::string_view text) {
  auto names = parse_name_list(text, "orderBy");
  if (!names) return names.take_error();
  std::vector<OrderKey> out;
  for (std::string_view name : *names) {
    const bool descending = name.starts_with('!');
    if (descending) name.remove_prefix(1);
    if (name.empty()) return bad_request("empty item in URI param /orderBy/");
    out.push_back({std::string(name), descending});
  }
  return out;
}

bool comes_before(std::span<const OrderKey> order, const Entity& a, const Entity& b,
                  std::optional<core::GeoPoint> near) {
  for (const OrderKey& key : order) {
    int c = 0;
    if (key.field == "geo:distance") {
      if (!near) continue;
      const double da = distance_key(a, *near), db = distance_key(b, *near);
      c = da < db ? -1 : (db < da ? 1 : 0);
    } else {
      c = compare_sort(sort_value(a, key.field), sort_value(b, key.field));
    }
    if (c != 0) return key.descending ? c > 0 : c < 0;
  }
  if (a.created_ms != b.created_ms) return a.created_ms < b.created_ms;
  if (a.id != b.id) return a.id < b.id;
  return a.type < b.type;
}

core::Result<QueryOptions> parse_options(std::string_view text) {
  if (text.empty()) return bad_request("Empty right-hand-side for URI param /options/");
  QueryOptions out;
  const std::pair<std::string_view, bool QueryOptions::*> known[] = {
      {"count", &QueryOptions::count},   {"keyValues", &QueryOptions::key_values},
      {"values", &QueryOptions::values}, {"unique", &QueryOptions::unique},
      {"append", &QueryOptions::append}, {"upsert", &QueryOptions::upsert},
  };
  for (std::string_view item : split_outside_quotes(text, ",")) {
    const auto* found = std::find_if(std::begin(known), std::end(known),
                                     [&](const auto& k) { return k.first == item; });
    if (found == std::end(known)) return bad_request("Invalid value for URI param /options/");
    out.*(found->second) = true;
  }
  return out;
}

core::Result<Page> parse_page(std::optional<std::string_view> limit,
                              std::optional<std::string_view> offset) {
  auto decimal = [](std::string_view s) -> std::optional<int64_t> {
    int64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || s.front() == '-' || r.ec != std::errc{} || r.ptr != s.data() + s.size())
      return std::nullopt;
    return v;
  };
  Page page;
  if (limit) {
    const std::string bad = "Bad pagination limit: /" + std::string(*limit) + "/ ";
    const auto v = decimal(*limit);
    if (!v) return bad_request(bad + "[must be a decimal number]");
    if (*v == 0) return bad_request(bad + "[a value of ZERO is unacceptable]");
    if (*v > kMaxLimit) return bad_request(bad + "[max: " + std::to_string(kMaxLimit) + "]");
    page.limit = *v;
  }
  if (offset) {
    const auto v = decimal(*offset);
    if (!v)
      return bad_request("Bad pagination offset: /" + std::string(*offset) +
                         "/ [must be a decimal number]");
    page.offset = *v;
  }
  return page;
}

// --- GET /v2/entities ---

core::Result<EntityListQuery> parse_entity_list_query(const QueryParams& params) {
  auto get = [&](std::string_view name) -> std::optional<std::string_view> {
    const auto it = params.find(name);
    if (it == params.end()) return std::nullopt;
    return std::string_view(it->second);
  };
  for (std::string_view name :
       {"id", "type", "idPattern", "typePattern", "q", "mq", "georel", "geometry", "coords",
        "limit", "offset", "attrs", "metadata", "orderBy", "options"}) {
    if (auto v = get(name); v && v->empty())
      return bad_request("Empty right-hand-side for URI param /" + std::string(name) + "/");
  }
  EntityListQuery out;
  if (get("id") && get("idPattern"))
    return bad_request("URI params /id/ and /idPattern/ cannot be used together");
  if (get("type") && get("typePattern"))
    return bad_request("URI params /type/ and /typePattern/ cannot be used together");
  const std::pair<std::string_view, std::vector<std::string>*> lists[] = {
      {"id", &out.ids}, {"type", &out.types}, {"attrs", &out.attrs}, {"metadata", &out.metadata}};
  for (const auto& [name, target] : lists) {
    if (auto v = get(name)) {
      auto parsed = parse_name_list(*v, name);
      if (!parsed) return parsed.take_error();
      *target = std::move(*parsed);
    }
  }
  const std::pair<std::string_view, std::optional<TextPattern>*> patterns[] = {
      {"idPattern", &out.id_pattern}, {"typePattern", &out.type_pattern}};
  for (const auto& [name, target] : patterns) {
    if (auto v = get(name)) {
      auto pattern = TextPattern::compile(*v);
      if (!pattern)
        return bad_request("Invalid value for URI param /" + std::string(name) +
                           "/: " + pattern.error().message);
      *target = std::move(*pattern);
    }
  }
  if (auto v = get("q")) {
    auto q = parse_simple_query(*v);
    if (!q) return q.take_error();
    out.q = std::move(*q);
  }
  if (auto v = get("mq")) {
    auto mq = parse_metadata_query(*v);
    if (!mq) return mq.take_error();
    out.mq = std::move(*mq);
  }
  const auto georel = get("georel"), geometry = get("geometry"), coords = get("coords");
  if (georel || geometry || coords) {
    if (!georel || !geometry || !coords)
      return bad_request("georel, geometry and coords must be used together");
    auto geo = parse_geo_query(*georel, *geometry, *coords);
    if (!geo) return geo.take_error();
    out.geo = std::move(*geo);
  }
  if (auto v = get("orderBy")) {
    auto order = parse_order_by(*v);
    if (!order) return order.take_error();
    out.order_by = std::move(*order);
    const bool by_distance =
        std::any_of(out.order_by.begin(), out.order_by.end(),
                    [](const OrderKey& k) { return k.field == "geo:distance"; });
    if (by_distance && (!out.geo || out.geo->relation != GeoRelation::near))
      return bad_request("orderBy=geo:distance needs georel=near");
  }
  if (auto v = get("options")) {
    auto options = parse_options(*v);
    if (!options) return options.take_error();
    out.options = *options;
  }
  auto page = parse_page(get("limit"), get("offset"));
  if (!page) return page.take_error();
  out.page = *page;
  return out;
}

bool matches(const EntityListQuery& query, const Entity& entity) {
  auto listed = [](const std::vector<std::string>& names, const std::string& name) {
    return names.empty() || std::find(names.begin(), names.end(), name) != names.end();
  };
  return listed(query.ids, entity.id) && listed(query.types, entity.type) &&
         (!query.id_pattern || query.id_pattern->search(entity.id)) &&
         (!query.type_pattern || query.type_pattern->search(entity.type)) &&
         (!query.q || matches(*query.q, entity)) && (!query.mq || matches(*query.mq, entity)) &&
         (!query.geo || matches(*query.geo, entity));
}

bool comes_before(const EntityListQuery& query, const Entity& a, const Entity& b) {
  std::optional<core::GeoPoint> near;
  if (query.geo && query.geo->relation == GeoRelation::near) near = query.geo->shape.points.front();
  return comes_before(query.order_by, a, b, near);
}

}  // namespace balai::city
