#pragma once
// The region picker of HTML forms (partials/region_picker.mustache): a fieldset with four
// <select>s, province, regency/city (kabupaten/kota), district (kecamatan) and village
// (kelurahan/desa), each listing the regions under the one chosen above it.
//
// It works without JavaScript. Each level's list is filled only once the level above has a
// choice, so the picker carries a submit button named kRefreshButton ("_region_refresh", its
// value the picker's field prefix) labelled "Perbarui pilihan wilayah". A form handler that
// uses a picker must check refresh_requested() first: when that button was pressed the person
// has not finished the form, so the handler re-renders the same form (every value the person
// typed kept, no error summary, nothing stored) with picker_view(..., chosen_region(...)), which
// fills the next level. Because the refresh button comes before the form's own submit button,
// pressing Enter in a text field also refreshes; that is harmless because nothing is lost.
//
// With JavaScript, web/static/js/region-picker.js fills the next level from
// GET /api/v1/regions?parent= when a level changes, and removes the refresh button.
//
// Usage in a page handler:
//   model["domicile"] = regions::picker_view(app.regions, "domicile", code,
//                                            {.script_url = statics.url_for(kPickerScript)});
// and in the page's template, inside the <form>:
//   {{#domicile}}{{> partials/region_picker}}{{/domicile}}
//
// Pure functions of their arguments; thread-safe.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "http/form.h"
#include "modules/regions/directory.h"

namespace balai::regions {

// The static file of the picker's enhancement; pages pass statics.url_for(kPickerScript).
inline constexpr std::string_view kPickerScript = "js/region-picker.js";
// The name of the picker's submit button that asks for the form to be shown again.
inline constexpr std::string_view kRefreshButton = "_region_refresh";

// The form field of one level of a picker: ("domicile", Level::district) -> "domicile_district".
// `prefix` is chosen by the page: lower-case ASCII letters, digits and '_'.
std::string picker_field(std::string_view prefix, Level level);

struct PickerOptions {
  // The fieldset's legend, already translated ("Alamat tempat tinggal"); "" shows the generic
  // t.regions.picker.legend.
  std::string legend;
  // A message shown under the legend when the form was rejected because of the region (already
  // translated); "" for none. The page's error summary links to the view's "focus_id".
  std::string error;
  // statics.url_for(kPickerScript); "" leaves the picker without JavaScript.
  std::string script_url;
  // The last level the form asks for (a form that needs only a district stops there).
  Level deepest = Level::village;
};

// The view model of partials/region_picker.mustache for a picker whose fields are named
// picker_field(prefix, level), with `selected_code` chosen (any level; "" or a malformed code
// selects nothing, a code not in `regions` selects its deepest known ancestor, a code deeper
// than options.deepest is cut to that level). Each
// level down to options.deepest is an object {id, name, options: [{code, name, selected}],
// chosen, next}; levels below `deepest` are false. Later levels list nothing until the level
// above is chosen. Also: prefix, legend/has_legend, error/has_error/error_id, hint_id,
// focus_id (the first level still to choose, for an error summary link), script/has_script,
// show_refresh.
boost::json::object picker_view(const Directory& regions, std::string_view field_prefix,
                                std::string_view selected_code, const PickerOptions& options = {});

// The deepest region the form's picker names consistently: the province field's code if it
// exists in `regions`, then the regency if it exists and lies in that province, and so on; ""
// when not even the province is valid. Forged or stale values (a district of another regency,
// left over after the person changed the regency without JavaScript) end the walk there.
std::string chosen_region(const Directory& regions, const http::Form& form,
                          std::string_view prefix);

// True when the form was posted by this picker's refresh button (see the top of this file).
bool refresh_requested(const http::Form& form, std::string_view prefix);

}  // namespace balai::regions
