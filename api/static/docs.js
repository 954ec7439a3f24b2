// Swagger UI for /docs. Requests made with "Try it out" on the signed-in cookie carry the CSRF
// token like the pages' own requests do.
"use strict";
window.addEventListener("load", () => {
  const csrf = () => (document.cookie.split("; ").find((c) => c.startsWith("formcheck_csrf=")) || "")
    .slice("formcheck_csrf=".length);
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    requestInterceptor: (req) => {
      req.headers["X-CSRF-Token"] = csrf();
      return req;
    },
  });
});
