/**
 * How the engine creates the process's LLM provider from {@code llm.provider}. Internal: not part of the
 * engine's API, may change in any release; a provider sees {@link io.eco2.engine.llm.LlmProviderContext} only.
 */
package io.eco2.engine.llm.impl;
