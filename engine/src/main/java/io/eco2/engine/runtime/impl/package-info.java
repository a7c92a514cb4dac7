/**
 * How the engine runs the stages of its plan in one process: their init, their worker verticles, the cancel
 * watch and the watchdog. Internal: not part of the engine's API, may change in any release; a stage uses
 * {@link io.eco2.engine.stage.StageSetup} only, an application {@link io.eco2.engine.Engine}.
 */
package io.eco2.engine.runtime.impl;
