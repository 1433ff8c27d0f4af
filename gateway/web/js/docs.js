// The API's browsable documentation: Swagger UI (vendored, OpenAPI 3.1) over the document the
// gateway serves. A file of its own, not an inline script, so the content security policy
// stays the same as the web application's.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
  persistAuthorization: true,
});
