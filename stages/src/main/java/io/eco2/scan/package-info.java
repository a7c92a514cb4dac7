/**
 * The Eco² scan pipeline's stages ({@code vision → rule → answer → reward}), their bundled data and the
 * simulated LLM, plugged into the engine through {@code META-INF/services}.
 */
package io.eco2.scan;
