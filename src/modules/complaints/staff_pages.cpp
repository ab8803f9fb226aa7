// HTML routes of complaints for officers and supervisors, for browsers without JavaScript
// (ComplaintService authorizes, changes and audits; every answer is Cache-Control: no-store):
//   GET  /petugas/pengaduan                  my agency's queue: status, kategori, terlambat=1,
//                                            saya=1 (assigned to me), halaman
//   GET  /petugas/pengaduan/templat          my agency's answer templates and the form to add one
//   POST /petugas/pengaduan/templat          add one (judul, isi)
//   POST /petugas/pengaduan/templat/hapus    delete one (id)
// One report's work page and its actions are in staff_case_pages.cpp. Anonymous visitors are
// sent to sign in; everyone but officers and supervisors of an agency gets 403.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>

#include "core/text.h"
#include "http/form.h"
#include "http/json.h"
#include "modules/complaints/routes.h"
#include "modules/complaints/rules.h"
#include "modules/complaints/staff_page_support.h"
#include "security/actor.h"

namespace balai::complaints {
namespace {

using staff_pages::FieldErrors;
using staff_pages::text;
using staff_pages::value;

constexpr int kPageSize = 20;
// The statuses a queue holds (store.h: waiting for verification, or with the agency).
constexpr Status kQueueStatuses[] = {Status::submitted, Status::dispositioned, Status::in_progress,
                                     Status::resolved};

// The queue's filters as the query string gives them.
struct QueueQuery {
  std::string status;
  std::string category;
  bool overdue = false;
  bool mine = false;
  int page = 1;
};

std::string query_href(const QueueQuery& q, int page) {
  std::string out(staff_pages::kQueuePath);
  std::string params;
  auto add = [&](std::string_view name, std::string_view v) {
    params += (params.empty() ? "?" : "&") + std::string(name) + "=" + std::string(v);
  };
  if (!q.status.empty()) add("status", q.status);
  if (!q.category.empty()) add("kategori", q.category);
  if (q.overdue) add("terlambat", "1");
  if (q.mine) add("saya", "1");
  if (page > 1) add("halaman", std::to_string(page));
  return out + params;
}

std::string ok_message(const app::App& app, const http::Request& req,
                       std::initializer_list<std::string_view> known) {
  auto ok = req.query_param("ok");
  if (!ok) return {};
  for (auto k : known)
    if (*ok == k) return text(app, req, "complaints_staff.ok." + std::string(k));
  return {};
}

http::Response queue_page(app::App& app, ComplaintService& service, const http::Request& req,
                          const security::Actor& staff) {
  auto all_categories = service.categories();
  if (!all_categories) return staff_pages::refusal_page(app, req, all_categories.error());
  const auto& categories = **all_categories;
  const std::string lang = req.context.lang;

  // The filters come from the page's own controls; a value they cannot send is reported and
  // left out of the filter, never silently widened into something else.
  QueueQuery q;
  Filter f;
  f.page_size = kPageSize;
  FieldErrors errors;
  if (auto v = req.query_param("status"); v && !v->empty()) {
    auto s = parse_status(*v);
    if (s && std::find(std::begin(kQueueStatuses), std::end(kQueueStatuses), *s) !=
                 std::end(kQueueStatuses)) {
      f.status = s;
      q.status = *v;
    } else {
      errors.add("status", "filter-status",
                 staff_pages::field_message(app, req, "filter_status", "invalid"));
    }
  }
  if (auto v = req.query_param("kategori"); v && !v->empty()) {
    const bool known = std::any_of(categories.begin(), categories.end(),
                                   [&](const Category& c) { return c.code == *v; });
    if (known) {
      f.category = q.category = *v;
    } else {
      errors.add("category", "filter-category",
                 staff_pages::field_message(app, req, "filter_category", "invalid"));
    }
  }
  q.overdue = f.overdue_only = req.query_param("terlambat") == std::optional<std::string>("1");
  q.mine = req.query_param("saya") == std::optional<std::string>("1");
  if (q.mine) f.assignee = staff.id;
  if (auto v = req.query_param("halaman")) {
    int page = 0;
    auto r = std::from_chars(v->data(), v->data() + v->size(), page);
    if (r.ec == std::errc{} && r.ptr == v->data() + v->size() && page >= 1 && page <= 100'000)
      q.page = page;
  }
  f.page = q.page;

  auto queue = service.queue(staff, f);
  if (!queue) return staff_pages::refusal_page(app, req, queue.error());
  const core::Timestamp now = app.clock.now();
  std::vector<std::string> assignees;
  for (const auto& c : queue->items) assignees.push_back(c.assignee);
  const auto names = staff_pages::staff_names(app, assignees);
  std::map<std::string, std::string> category_names;
  for (const auto& c : categories) category_names[c.code] = c.name(lang);

  boost::json::array rows;
  for (const auto& c : queue->items) {
    boost::json::object row{
        {"tracking", c.tracking},
        {"title", rules::display_title(c.title, c.description)},
        {"category", staff_pages::name_or_code(category_names, c.category_code)},
        {"status", staff_pages::status_label(app, req, c.status)},
        {"status_code", to_string(c.status)},
        {"overdue", rules::overdue(c, now)},
        {"escalated", c.escalated_at.has_value()},
        {"mine", !c.assignee.empty() && c.assignee == staff.id}};
    if (c.due_at) {
      row["due"] = staff_pages::local_time(app, req, *c.due_at);
      row["due_iso"] = staff_pages::iso_time(app, *c.due_at);
    }
    if (!c.assignee.empty()) row["assignee"] = staff_pages::name_or_code(names, c.assignee);
    rows.push_back(std::move(row));
  }

  boost::json::array statuses;
  for (Status s : kQueueStatuses)
    statuses.push_back({{"value", to_string(s)},
                        {"label", staff_pages::status_label(app, req, s)},
                        {"selected", f.status == s}});
  boost::json::array category_options;
  for (const auto& c : categories)
    category_options.push_back(
        {{"value", c.code}, {"label", c.name(lang)}, {"selected", c.code == f.category}});

  const int64_t pages = (queue->total + kPageSize - 1) / kPageSize;
  boost::json::object paging;
  if (q.page > 1) paging["previous_href"] = query_href(q, q.page - 1);
  if (q.page < pages) paging["next_href"] = query_href(q, q.page + 1);

  const auto agencies = staff_pages::agency_names(app, lang);
  boost::json::object model{
      {"title", text(app, req, "complaints_staff.queue.title")},
      {"nav_current", {{"officer_complaints", true}}},
      {"agency", staff_pages::name_or_code(agencies, staff.agency)},
      {"statuses", std::move(statuses)},
      {"categories", std::move(category_options)},
      {"overdue_only", q.overdue},
      {"mine_only", q.mine},
      {"has_reports", !rows.empty()},
      {"reports", std::move(rows)},
      {"total", queue->total},
      {"page", q.page},
      {"pages", std::max<int64_t>(pages, 1)},
      {"paging", paging.empty() ? boost::json::value(false) : boost::json::value(paging)}};
  if (auto ok = ok_message(app, req, {"verified", "rejected", "rerouted", "merged"}); !ok.empty())
    model["ok_message"] = ok;
  errors.put(model);
  return staff_pages::private_page(app, errors.empty() ? 200 : 422, "complaints_staff/queue", req,
                                   std::move(model));
}

// --- Answer templates -----------------------------------------------------------------------

http::Response templates_page(app::App& app, ComplaintService& service, const http::Request& req,
                              const security::Actor& staff, int status, const FieldErrors& errors,
                              std::string_view title = "", std::string_view body = "") {
  auto list = service.templates(staff);
  if (!list) return staff_pages::refusal_page(app, req, list.error());
  boost::json::array items;
  for (const auto& t : *list) items.push_back({{"id", t.id}, {"title", t.title}, {"body", t.body}});
  const auto agencies = staff_pages::agency_names(app, req.context.lang);
  boost::json::object model{{"title", text(app, req, "complaints_staff.templates.title")},
                            {"nav_current", {{"officer_complaints", true}}},
                            {"agency", staff_pages::name_or_code(agencies, staff.agency)},
                            {"has_templates", !items.empty()},
                            {"templates", std::move(items)},
                            {"form", {{"title", title}, {"body", body}}}};
  if (status == 200)
    if (auto ok = ok_message(app, req, {"template_added", "template_deleted"}); !ok.empty())
      model["ok_message"] = ok;
  errors.put(model);
  return staff_pages::private_page(app, status, "complaints_staff/templates", req,
                                   std::move(model));
}

}  // namespace

void install_staff_pages(app::App& app, ComplaintService& service) {
  auto& router = app.router;
  const std::string queue_path(staff_pages::kQueuePath);
  const std::string templates_path(staff_pages::kTemplatesPath);

  router.get(queue_path, [&app, &service](http::Request& req) {
    const auto* staff = security::current_actor(req);
    if (auto refused = staff_pages::refuse_unless_staff(app, req, staff, staff_pages::kQueuePath))
      return std::move(*refused);
    return queue_page(app, service, req, *staff);
  });

  // The templates' routes come before /petugas/pengaduan/{tracking}: the first match wins.
  router.get(templates_path, [&app, &service](http::Request& req) {
    const auto* staff = security::current_actor(req);
    if (auto refused =
            staff_pages::refuse_unless_staff(app, req, staff, staff_pages::kTemplatesPath))
      return std::move(*refused);
    return templates_page(app, service, req, *staff, 200, FieldErrors{});
  });

  router
      .post(templates_path,
            [&app, &service](http::Request& req) {
              const auto* staff = security::current_actor(req);
              if (auto refused = staff_pages::refuse_unless_staff(app, req, staff,
                                                                  staff_pages::kTemplatesPath))
                return std::move(*refused);
              auto form = http::parse_form(req);
              if (!form) return staff_pages::refusal_page(app, req, form.error());
              const std::string title = value(*form, "judul");
              const std::string body = value(*form, "isi");
              auto added = service.add_template(*staff, title, body, facts_of(req, "portal"));
              if (added)
                return http::Response::redirect(std::string(staff_pages::kTemplatesPath) +
                                                "?ok=template_added");
              if (added.error().code != core::ErrorCode::validation_failed)
                return staff_pages::refusal_page(app, req, added.error());
              FieldErrors errors;
              if (!staff_pages::add_service_errors(errors, app, req, added.error(),
                                                   {{"title", "template_title", "template-title"},
                                                    {"body", "template_body", "template-body"}}))
                errors.add_general(text(app, req, "complaints_staff.errors.generic"));
              return templates_page(app, service, req, *staff, 422, errors, title, body);
            })
      .body_limit(staff_pages::kFormLimit);

  router
      .post(templates_path + "/hapus",
            [&app, &service](http::Request& req) {
              const auto* staff = security::current_actor(req);
              if (auto refused = staff_pages::refuse_unless_staff(app, req, staff,
                                                                  staff_pages::kTemplatesPath))
                return std::move(*refused);
              auto form = http::parse_form(req);
              if (!form) return staff_pages::refusal_page(app, req, form.error());
              auto deleted =
                  service.delete_template(*staff, value(*form, "id"), facts_of(req, "portal"));
              if (deleted)
                return http::Response::redirect(std::string(staff_pages::kTemplatesPath) +
                                                "?ok=template_deleted");
              if (deleted.error().code != core::ErrorCode::not_found)
                return staff_pages::refusal_page(app, req, deleted.error());
              // Deleted meanwhile (another tab, a colleague): the list as it is now.
              FieldErrors gone;
              gone.add_general(text(app, req, "complaints_staff.templates.already_deleted"));
              return templates_page(app, service, req, *staff, 404, gone);
            })
      .body_limit(staff_pages::kFormLimit);

  staff_pages::install_case_pages(app, service);
}

}  // namespace balai::complaints
