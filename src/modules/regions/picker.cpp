#include "modules/regions/picker.h"

#include <boost/json/array.hpp>
#include <vector>

namespace balai::regions {
namespace {

constexpr Level kLevels[] = {Level::province, Level::regency, Level::district, Level::village};

// The id of an element of the picker: ("domicile", "district") -> "domicile-district".
std::string element_id(std::string_view prefix, std::string_view what) {
  std::string id;
  for (char c : prefix) id.push_back(c == '_' ? '-' : c);
  id.push_back('-');
  id.append(what);
  return id;
}

// The regions chosen at each level, from the province down, for a selected code: the deepest
// known code that is `selected` or one of its ancestors, cut to `deepest`.
std::vector<const Region*> chosen_lineage(const Directory& regions, std::string_view selected,
                                          Level deepest) {
  if (!level_of(selected)) return {};
  std::vector<const Region*> chain;
  for (size_t end = 0; end <= selected.size(); ++end) {
    if (end != selected.size() && selected[end] != '.') continue;
    const Region* r = regions.find(selected.substr(0, end));
    if (r == nullptr || r->level > deepest) break;
    chain.push_back(r);
  }
  return chain;
}

}  // namespace

std::string picker_field(std::string_view prefix, Level level) {
  std::string name(prefix);
  name.push_back('_');
  name.append(to_string(level));
  return name;
}

boost::json::object picker_view(const Directory& regions, std::string_view field_prefix,
                                std::string_view selected_code, const PickerOptions& options) {
  const std::vector<const Region*> chain = chosen_lineage(regions, selected_code, options.deepest);

  boost::json::object view;
  view["prefix"] = field_prefix;
  view["legend"] = options.legend;
  view["has_legend"] = !options.legend.empty();
  view["error"] = options.error;
  view["has_error"] = !options.error.empty();
  view["error_id"] = element_id(field_prefix, "error");
  view["hint_id"] = element_id(field_prefix, "hint");
  view["script"] = options.script_url;
  view["has_script"] = !options.script_url.empty();
  view["show_refresh"] = options.deepest != Level::province;
  view["refresh_name"] = kRefreshButton;

  std::string focus_id;
  for (size_t i = 0; i < std::size(kLevels); ++i) {
    const Level level = kLevels[i];
    const std::string_view key = to_string(level);
    if (level > options.deepest) {
      view[key] = false;
      continue;
    }
    const Region* chosen = i < chain.size() ? chain[i] : nullptr;
    // A level lists the children of the level above, once that one is chosen.
    const bool listed = i == 0 || i <= chain.size();
    boost::json::array items;
    if (listed) {
      const std::string_view parent = i == 0 ? std::string_view{} : chain[i - 1]->code;
      for (const Region* r : regions.children(parent))
        items.push_back(
            boost::json::object{{"code", r->code}, {"name", r->name}, {"selected", r == chosen}});
    }
    const std::string id = element_id(field_prefix, key);
    if (chosen == nullptr && focus_id.empty()) focus_id = id;
    const bool has_next = level < options.deepest;
    view[key] = boost::json::object{
        {"id", id},
        {"name", picker_field(field_prefix, level)},
        {"options", std::move(items)},
        {"chosen", chosen != nullptr},
        {"next", has_next ? element_id(field_prefix, to_string(kLevels[i + 1])) : std::string()},
    };
  }
  // Everything chosen: an error is about the last level.
  if (focus_id.empty()) focus_id = element_id(field_prefix, to_string(kLevels[chain.size() - 1]));
  view["focus_id"] = focus_id;
  return view;
}

std::string chosen_region(const Directory& regions, const http::Form& form,
                          std::string_view prefix) {
  std::string chosen;
  for (Level level : kLevels) {
    const auto value = form.get(picker_field(prefix, level));
    if (!value || value->empty()) break;
    // The right shape for this level, and directly under the region chosen above it.
    if (level_of(*value) != level) break;
    if (!chosen.empty() && !(value->starts_with(chosen) && (*value)[chosen.size()] == '.')) break;
    if (regions.find(*value) == nullptr) break;
    chosen.assign(*value);
  }
  return chosen;
}

bool refresh_requested(const http::Form& form, std::string_view prefix) {
  const auto value = form.get(kRefreshButton);
  return value && *value == prefix;
}

}  // namespace balai::regions
