// Swagger UI for /docs, from the service's own copy (swagger-ui-py): no validator badge (it would
// call an outside server). Requests made with "Try it out" on the signed-in cookie carry the CSRF
// token like the pages' own requests do.
"use strict";
window.addEventListener("load", () => {
  const csrf = () => (document.cookie.split("; ").find((c) => c.startsWith("formcheck_csrf=")) || "")
    .slice("formcheck_csrf=".length);
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    validatorUrl: null,
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    requestInterceptor: (req) => {
      req.headers["X-CSRF-Token"] = csrf();
      return req;
    },
  });
});
