/**
 * The engine's side of the API-surface SPI (what a surface is given at init). Internal: not part of the
 * engine's API, may change in any release; a surface uses {@link io.eco2.engine.api.SurfaceSetup} only.
 */
package io.eco2.engine.api.impl;
