#pragma once
// The complaints module's use cases and its public face: citizens report, follow, support,
// reopen and rate; the verifier (desk or village office) verifies or rejects; the agency
// follows up and resolves with evidence; supervisors re-route and merge; the system escalates
// late steps and closes resolved reports nobody reopened. Every method authorizes through the
// policy, writes its timeline entry and audit entry in the same transaction as its change, and
// records every staff read of a reporter's identity with its purpose.
// Thread-safe; every method blocks on the database: worker threads only.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "core/result.h"
#include "modules/calendar/working_days.h"
#include "modules/complaints/model.h"
#include "modules/complaints/rules.h"
#include "modules/complaints/store.h"
#include "security/accounts.h"
#include "security/actor.h"

namespace balai::complaints {

// Who is asking, as far as auditing needs to know.
struct RequestFacts {
  std::string address;
  std::string request_id;
  std::string via = "portal";  // "portal", "api", "open311"
};

// A report as one viewer may see it.
struct View {
  Complaint complaint;
  std::vector<Event> timeline;  // public steps; staff of the agencies also see internal ones
  std::vector<Photo> photos;
  bool mine = false;       // the viewer reported it
  bool staff = false;      // the viewer verifies or handles it
  bool supported = false;  // the viewer supports it
  // What the viewer may do now.
  bool can_support = false;
  bool can_comment = false;
  bool can_confirm = false;
  bool can_reopen = false;
  bool can_rate = false;
  std::optional<core::Timestamp> reopen_until;
};

// An open report near a new one's place: "support this one" instead of a duplicate.
struct Nearby {
  Complaint complaint;
  int distance_m = 0;
};

// Who reported, for staff who need to contact them (an audited read with a purpose).
struct Reporter {
  std::string account_id;  // "" for an Open311 report without an account
  std::string name;
  std::string email;
  std::string phone;
};

// The city's record over a period (counts never include reporters' identities).
struct Statistics {
  struct Count {
    std::string key;
    int64_t count = 0;
  };
  int64_t total = 0;
  std::vector<Count> by_category, by_status, by_agency, by_region, by_month;
  std::optional<int64_t> median_verify_ms;   // submitted -> verified (or rejected)
  std::optional<int64_t> median_resolve_ms;  // submitted -> resolved
  double verified_in_time = 0;               // share of verified reports within 3 working days
  double followed_up_in_time = 0;            // share of dispositioned reports followed up within 5
  int64_t reopened = 0;                      // reports reopened after a resolution
  struct AgencyRecord {
    std::string agency;
    int64_t handled = 0;
    int64_t resolved = 0;
    int64_t reopened = 0;  // counted against the agency
    std::optional<double> average_rating;
  };
  std::vector<AgencyRecord> agencies;
  std::optional<double> average_rating;  // 1..4
  int64_t ratings = 0;
};

class ComplaintService final : public app::ModuleState {
 public:
  explicit ComplaintService(app::App& app);

  // --- Categories and routing (categories.cpp) ---
  [[nodiscard]] core::Result<std::shared_ptr<const std::vector<Category>>> categories() const;
  [[nodiscard]] core::Result<Category> category(std::string_view code) const;
  [[nodiscard]] core::Result<std::vector<Route>> routes() const { return store_.routes(); }
  // Administrators: validation_failed for a bad code/name/agency/attribute definition.
  [[nodiscard]] core::Status save_category(const security::Actor& admin, const Category& c,
                                           const RequestFacts& facts);
  [[nodiscard]] core::Status save_route(const security::Actor& admin, const Route& r,
                                        const RequestFacts& facts);
  [[nodiscard]] core::Status delete_route(const security::Actor& admin, std::string_view category,
                                          std::string_view region_prefix,
                                          const RequestFacts& facts);

  // --- Citizens (reports.cpp) ---
  // A citizen's report (actor: a signed-in citizen), or an Open311 client's (actor: an
  // integrator token; submission.attributes and contact allowed). Returns the stored report.
  [[nodiscard]] core::Result<Complaint> submit(const security::Actor& actor, const Submission& s,
                                               const RequestFacts& facts);
  // not_found for unknown reports and for confidential ones the viewer may not see (the
  // same answer, so nobody learns that a confidential report exists).
  [[nodiscard]] core::Result<View> view(const security::Actor* viewer, std::string_view tracking);
  [[nodiscard]] core::Result<StoredPhoto> photo(const security::Actor* viewer,
                                                std::string_view tracking,
                                                std::string_view photo_id);
  [[nodiscard]] core::Result<Page> public_list(const Filter& f) const {
    return store_.list_public(f);
  }
  [[nodiscard]] core::Result<std::vector<Nearby>> nearby(std::string_view category,
                                                         core::GeoPoint point) const;
  [[nodiscard]] core::Result<std::vector<Complaint>> mine(const security::Actor& actor) const;
  [[nodiscard]] core::Result<std::optional<std::string>> tracking_of_token(
      std::string_view token) const {
    return store_.tracking_of_token(token);
  }
  [[nodiscard]] core::Status support(const security::Actor& actor, std::string_view tracking,
                                     const RequestFacts& facts);
  [[nodiscard]] core::Status comment(const security::Actor& actor, std::string_view tracking,
                                     std::string_view text, const RequestFacts& facts);
  [[nodiscard]] core::Status confirm(const security::Actor& actor, std::string_view tracking,
                                     const RequestFacts& facts);
  [[nodiscard]] core::Status reopen(const security::Actor& actor, std::string_view tracking,
                                    std::string_view reason, const RequestFacts& facts);
  [[nodiscard]] core::Status rate(const security::Actor& actor, std::string_view tracking,
                                  int rating, std::string_view comment, const RequestFacts& facts);

  // --- Staff (handling.cpp) ---
  // The actor's agency's queue (submitted reports it verifies, reports dispositioned to it).
  [[nodiscard]] core::Result<Page> queue(const security::Actor& staff, const Filter& f) const;
  // Verifies and dispositions to the agency the routing rules name (supervisors re-route later).
  [[nodiscard]] core::Status verify(const security::Actor& staff, std::string_view tracking,
                                    std::string_view note, const RequestFacts& facts);
  [[nodiscard]] core::Status reject(const security::Actor& staff, std::string_view tracking,
                                    std::string_view reason, std::string_view note,
                                    const RequestFacts& facts);
  // Supervisors of the current agency or of the verifier move a report to another agency.
  [[nodiscard]] core::Status reroute(const security::Actor& staff, std::string_view tracking,
                                     std::string_view agency, std::string_view note,
                                     const RequestFacts& facts);
  // Officers assign themselves; supervisors anyone of their agency ("" unassigns).
  [[nodiscard]] core::Status assign(const security::Actor& staff, std::string_view tracking,
                                    std::string_view assignee, const RequestFacts& facts);
  [[nodiscard]] core::Status follow_up(const security::Actor& staff, std::string_view tracking,
                                       std::string_view text, const RequestFacts& facts);
  [[nodiscard]] core::Status note(const security::Actor& staff, std::string_view tracking,
                                  std::string_view text, const RequestFacts& facts);
  // Needs a public answer and, for a physical category, at least one "after" photo.
  [[nodiscard]] core::Status resolve(const security::Actor& staff, std::string_view tracking,
                                     std::string_view answer,
                                     const std::vector<std::string>& after_photos,
                                     const RequestFacts& facts);
  // Supervisors: the duplicate is closed into the original; its reporter and supporters
  // become the original's supporters (they follow it).
  [[nodiscard]] core::Status merge(const security::Actor& staff, std::string_view duplicate,
                                   std::string_view original, const RequestFacts& facts);
  // Who reported (never for anonymous reports: forbidden). The read is audited with the
  // purpose and appears in the reporter's access log.
  [[nodiscard]] core::Result<Reporter> reporter(const security::Actor& staff,
                                                std::string_view tracking, std::string_view purpose,
                                                const RequestFacts& facts);
  [[nodiscard]] core::Result<std::vector<Template>> templates(const security::Actor& staff) const;
  [[nodiscard]] core::Result<Template> add_template(const security::Actor& staff,
                                                    std::string_view title, std::string_view body,
                                                    const RequestFacts& facts);
  [[nodiscard]] core::Status delete_template(const security::Actor& staff, std::string_view id,
                                             const RequestFacts& facts);

  // --- Jobs (handling.cpp) ---
  // Closes resolved reports whose 10 working days passed; returns how many.
  int close_due(core::Timestamp now);
  // Marks reports whose verification or follow-up deadline passed (the supervisors' queue
  // shows them first); returns how many.
  int escalate_due(core::Timestamp now);

  // --- Statistics (statistics.cpp) ---
  [[nodiscard]] core::Result<Statistics> statistics(core::Timestamp from, core::Timestamp to) const;

  app::App& app() const { return app_; }

 private:
  // What a transition leaves on the timeline (and whether the reporter and followers hear).
  struct Step {
    EventKind event = EventKind::comment;
    std::string body;
    bool notify = false;
  };
  using Apply = std::function<core::Result<Step>(Complaint&, db::Connection&, core::Timestamp)>;
  // One transition in one transaction: loads the report (locked), checks the state machine,
  // lets `apply` authorize and change it, then writes it, its timeline entry, the audit entry
  // "complaints.<action>" and the notifications. not_found for unknown tracking numbers.
  [[nodiscard]] core::Status transition(const security::Actor* actor, std::string_view tracking,
                                        rules::Action action, const RequestFacts& facts,
                                        core::Timestamp now, const Apply& apply);
  // The audit entry of a change to something other than a report (a category, a route, a
  // template), in the caller's transaction.
  [[nodiscard]] core::Status audit_change(db::Connection& conn, const security::Actor& actor,
                                          std::string_view action, std::string_view object_type,
                                          std::string_view object_id, const RequestFacts& facts,
                                          core::Timestamp now) const;
  [[nodiscard]] core::Status audit(db::Connection& conn, const security::Actor* actor,
                                   std::string_view action, const Complaint& c,
                                   const RequestFacts& facts, core::Timestamp now,
                                   std::string_view purpose = "") const;
  // Queues a message about the report to the reporter (by the chosen channel) and to its
  // supporters (email).
  [[nodiscard]] core::Status notify(db::Connection& conn, const Complaint& c, const Step& step,
                                    core::Timestamp now) const;
  std::shared_ptr<const calendar::WorkingDays> working_days() const;
  // The signed-in citizen's account key (unauthenticated/forbidden otherwise).
  [[nodiscard]] core::Result<int64_t> citizen_key(const security::Actor& actor) const;
  // Whether staff verify (submitted) or handle (dispositioned to their agency) this report.
  bool works_on(const security::Actor& actor, const Complaint& c) const;
  // not_found unless the actor may see the report at all: everyone sees public reports;
  // confidential ones (and ones rejected as spam) only their reporter and the staff working on
  // them.
  [[nodiscard]] core::Status must_see(const security::Actor* actor, const Complaint& c) const;
  void forget_categories() const;

  app::App& app_;
  Store store_;
  mutable std::mutex categories_mutex_;
  mutable std::shared_ptr<const std::vector<Category>> categories_;
};

ComplaintService& service_of(app::App& app);

}  // namespace balai::complaints
