/**
 * The tests' shared harness; every test of this module goes through it (general waiting, logs and commands
 * come from the {@code eco2-testkit} module, {@link io.eco2.testkit}).
 *
 * <ul>
 *   <li>An engine in the test JVM: {@link io.eco2.tests.support.EmbeddedEngineExtension} — one engine per class
 *       ({@code @RegisterExtension static final EmbeddedEngineExtension ENGINE = EmbeddedEngineExtension.with(config)})
 *       or engines per test ({@code @ExtendWith(EmbeddedEngineExtension.class)} and an
 *       {@link io.eco2.tests.support.EmbeddedEngines} parameter); both close what they started.</li>
 *   <li>The distributed world: {@link io.eco2.tests.support.DistributedEnv}
 *       ({@code @RegisterExtension final DistributedEnv env = new DistributedEnv();}) — the test's own Redis
 *       prefix and queues, engine processes ({@link io.eco2.tests.support.EngineProcess}) killed when it ends.</li>
 *   <li>Front-door abuse: {@link io.eco2.tests.support.StillServing} fails a test that logged a stack trace or
 *       left the engine not serving.</li>
 *   <li>SSE: {@link io.eco2.tests.support.SseClient} (each engine has one: {@code engine.sse()}) opens
 *       {@link io.eco2.tests.support.SseRecording}s and follows streams to their end;
 *       {@link io.eco2.tests.support.Frames} reads the recorded frames; {@link io.eco2.tests.support.HistoryCheck}
 *       checks a whole job history.</li>
 *   <li>Submit bodies: {@link io.eco2.tests.support.Jobs#job} (probe directives), {@link io.eco2.tests.support.ApiChecks}
 *       (scan bodies, the contract's error shape); metrics: {@link io.eco2.tests.support.PromScrape}.</li>
 *   <li>Waiting: {@link io.eco2.testkit.Await} only — conditions are awaited, never slept for.</li>
 * </ul>
 */
package io.eco2.tests.support;
