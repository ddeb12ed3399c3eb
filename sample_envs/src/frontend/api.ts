// Frontend API client (server-side rendering reads these at build time).
const apiBase = process.env.PUBLIC_API_BASE ?? "/api";
const { SENTRY_DSN } = process.env;
export const paymentsUrl = process.env["PAYMENTS_URL"];
export { apiBase, SENTRY_DSN };
