/**
 * The engine's HTTP internals: the request-head rules of the front door, and the routes and servers an
 * engine runs. Internal: not part of the engine's API, may change in any release; an application mounts the
 * routes with {@link io.eco2.engine.Engine#mountRoutes} and reads the ports from {@link io.eco2.engine.Engine}.
 */
package io.eco2.engine.http.impl;
