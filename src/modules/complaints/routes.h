#pragma once
// Internal to the complaints module: its route tables and what they share.

#include <boost/json/object.hpp>
#include <string_view>

#include "app/app.h"
#include "core/result.h"
#include "http/request.h"
#include "http/response.h"
#include "modules/complaints/service.h"

namespace balai::complaints {

void install_api(app::App& app, ComplaintService& service);          // api.cpp: /api/v1/complaints
void install_staff_api(app::App& app, ComplaintService& service);    // staff_api.cpp
void install_open311(app::App& app, ComplaintService& service);      // open311.cpp: /open311/v2
void install_pages(app::App& app, ComplaintService& service);        // pages.cpp: /pengaduan
void install_staff_pages(app::App& app, ComplaintService& service);  // staff_pages.cpp

// What the service needs to know about a request (address, request id, portal/api/open311).
RequestFacts facts_of(const http::Request& req, std::string_view via);

}  // namespace balai::complaints
