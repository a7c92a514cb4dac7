package io.eco2.tests.distributed;

import com.rabbitmq.client.GetResponse;
import io.eco2.engine.plugin.SpiVersion;
import io.eco2.engine.stage.Stage;
import io.eco2.testkit.Await;
import io.eco2.tests.stages.HaltingStage;
import io.eco2.tests.support.DistributedEnv;
import io.eco2.tests.support.EngineProcess;
import io.eco2.tests.support.HistoryCheck;
import io.eco2.tests.support.SseFrame;
import io.eco2.tests.support.SseRecording;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poison messages are bounded (README "How it stays correct"): a delivery whose processing kills its worker
 * process is handed out at most {@code stages.<name>.max-deliveries} times over all workers, then parked in
 * the stage's dead-letter queue with the reason, and the job ends with one {@code error} event, code
 * {@code POISON_MESSAGE}. Real processes: each worker that takes the message halts its JVM.
 */
class PoisonMessageTest {

  private static final int MAX_DELIVERIES = 3;

  @RegisterExtension
  final DistributedEnv env = new DistributedEnv();

  @TempDir
  Path dir;

  @Test
  void aMessageThatKillsEveryWorkerIsDeliveredMaxDeliveriesTimesThenParkedAndTheJobEndsWithOneError() throws Exception {
    Path conf = env.config("poison", new JsonObject()
      .put("plugins", new JsonObject().put("dir", haltingPluginDir().toString()))
      .put("pipeline", new JsonObject().put("stages", new JsonArray().add("halt")))
      .put("stages", new JsonObject().put("halt", new JsonObject().put("max-deliveries", MAX_DELIVERIES))));
    EngineProcess api = env.start("api", conf, "api");
    String id = env.submit(api.port(), "https://example.com/photos/pet-bottle.jpg");
    SseRecording stream = env.stream(api.port(), id, null);

    // One worker at a time: each takes the message and dies, until one parks it instead.
    List<EngineProcess> workers = new ArrayList<>();
    try {
      while (!stream.ended().isComplete() && workers.size() <= MAX_DELIVERIES + 2) {
        EngineProcess worker = EngineProcess.start("worker-" + workers.size(), conf, "worker");
        workers.add(worker);
        Await.until(Duration.ofSeconds(90), worker.label() + " halted or the job ended",
          () -> !worker.isAlive() || stream.ended().isComplete());
      }
      List<SseFrame> frames = Await.result(stream.ended());

      List<EngineProcess> halted = workers.stream().filter(w -> !w.isAlive()).toList();
      assertThat(halted).as("workers the message killed").hasSize(MAX_DELIVERIES);
      for (EngineProcess w : halted) {
        assertThat(w.awaitExit(10)).as("exit status of " + w.label()).isEqualTo(99);
      }
      assertThat(workers.get(workers.size() - 1).isAlive()).as("the worker that parked it lives").isTrue();

      List<HistoryCheck.Step> steps = HistoryCheck.fromFrames(frames);
      HistoryCheck.assertWhole("SSE of " + id, steps, "error");
      assertThat(steps).extracting(HistoryCheck.Step::name).containsExactly("queued/completed", "halt/started", "error/failed");
      JsonObject error = frames.stream().filter(f -> "error".equals(f.event())).findFirst().orElseThrow().json();
      assertThat(error.getJsonObject("result").getString("code")).isEqualTo("POISON_MESSAGE");
      assertThat(error.getJsonObject("result").getString("error")).contains("stages.halt.max-deliveries");

      String dlq = env.prefix() + ".halt.dlq";
      Await.until("the job parked in " + dlq, () -> env.messageCount(dlq) >= 1);
      GetResponse parked = env.basicGet(dlq);
      assertThat(parked.getProps().getHeaders().get("x-reason").toString()).startsWith("POISON_MESSAGE");
      assertThat(new String(parked.getBody(), StandardCharsets.UTF_8)).contains(id);
      assertThat(env.messageCount(dlq)).as("nothing else parked").isZero();
      assertThat(env.messageCount(env.prefix() + ".halt")).as("nothing left to deliver").isZero();
    } finally {
      workers.forEach(EngineProcess::close);
    }
  }

  /** A plugins directory whose one jar holds {@link HaltingStage} (never on the engine's own class path). */
  private Path haltingPluginDir() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue(SpiVersion.MANIFEST_ATTRIBUTE, SpiVersion.CURRENT.toString());
    String classFile = HaltingStage.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(plugins.resolve("halting-stage.jar"));
         JarOutputStream jar = new JarOutputStream(file, manifest);
         InputStream bytes = HaltingStage.class.getClassLoader().getResourceAsStream(classFile)) {
      jar.putNextEntry(new JarEntry("META-INF/services/" + Stage.class.getName()));
      jar.write((HaltingStage.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      jar.closeEntry();
      jar.putNextEntry(new JarEntry(classFile));
      jar.write(bytes.readAllBytes());
      jar.closeEntry();
    }
    return plugins;
  }
}
