#pragma once
// The web layer's part of the request's way: the language of the request and the error pages.

#include "http/server.h"
#include "web/renderer.h"

namespace balai::web {

// Sets req.context.lang ("?lang=" > cookie "lang" > "id"). When "?lang=" names a known
// language, the answer also remembers it in the "lang" cookie for a year, so the switch link
// works without JavaScript. `renderer` must outlive the server.
http::Middleware language_middleware(const Renderer& renderer);

// Errors as their audience expects them: the /api/ JSON error body with the request id under
// /api/, NGSI-v2's {"error", "description"} under /v2, an HTML page in the request's language
// elsewhere. Never shows internals.
http::ErrorRenderer error_renderer(const Renderer& renderer);

}  // namespace balai::web
