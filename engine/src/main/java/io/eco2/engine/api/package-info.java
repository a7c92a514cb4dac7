/**
 * The API-surface SPI: how a pipeline presents its jobs over HTTP ({@link io.eco2.engine.api.ApiSurface}).
 * The engine's job lifecycle routes live in {@code io.eco2.engine.http}; the Eco² scan API is the stages
 * module's implementation.
 */
package io.eco2.engine.api;
