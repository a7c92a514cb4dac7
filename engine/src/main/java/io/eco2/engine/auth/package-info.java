/**
 * Who may call the API and which jobs they see: credentials ({@code auth.mode}: none, api-key, jwt), job
 * ownership, the per-user submit limit and CORS, as generic HTTP capabilities that wrap whatever routes an
 * API surface mounts under {@code /api/v1/}.
 *
 * <p>Entry points: {@link io.eco2.engine.auth.ApiAuth} (the route handler that turns a request's credential
 * into a {@link io.eco2.engine.auth.Caller}, or answers 401), {@link io.eco2.engine.auth.JobOwnership} (a
 * job belongs to the caller who submitted it; others get the same 404 as for an unknown job),
 * {@link io.eco2.engine.auth.UserRateLimit} and {@link io.eco2.engine.auth.Cors}. Everything else in the
 * package is its implementation.
 */
package io.eco2.engine.auth;
