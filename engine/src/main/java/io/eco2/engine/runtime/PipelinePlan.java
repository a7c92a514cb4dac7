package io.eco2.engine.runtime;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StagePolicy;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The ordered stages of the pipeline with their effective policies, and the progress each step reports.
 *
 * <p>Progress: a stage's {@code started} reports the progress of the stage before it completing, its
 * {@code completed} reports {@code (index + 1) * 100 / n}; so with four stages: 25, 50, 75, 100.
 */
public final class PipelinePlan {

  private final List<String> names;
  private final Map<String, Stage> stages;
  private final Map<String, StagePolicy> policies;

  private PipelinePlan(List<String> names, Map<String, Stage> stages, Map<String, StagePolicy> policies) {
    this.names = List.copyOf(names);
    this.stages = stages;
    this.policies = policies;
  }

  /**
   * Picks the named stages from those {@code available} (the class path's, the plugins', the application's)
   * and merges each one's {@code stages.<name>} configuration into its default policy.
   *
   * @throws IllegalArgumentException naming the stage or key when a stage is unknown or a value is invalid
   */
  public static PipelinePlan load(List<String> names, JsonObject stagesConfig, Map<String, Stage> available) {
    if (names.isEmpty()) {
      // The engine ships no pipeline of its own: a product's defaults layer, the file or the embedder names it.
      throw new IllegalArgumentException("pipeline.stages: no stages configured; set pipeline.stages (in the configuration file, "
        + "or ECO2_PIPELINE_STAGES=a,b) to the stages a job goes through, in order (found on the class path or in the plugins: "
        + new TreeSet<>(available.keySet()) + ")");
    }
    Map<String, Stage> chosen = new LinkedHashMap<>();
    Map<String, StagePolicy> policies = new LinkedHashMap<>();
    for (String name : names) {
      Stage s = available.get(name);
      if (s == null) {
        throw new IllegalArgumentException("pipeline.stages: no stage named '" + name + "' on the class path or in the plugins (found: "
          + new TreeSet<>(available.keySet()) + ")");
      }
      chosen.put(name, s);
      JsonObject section = stagesConfig == null ? null : stagesConfig.getJsonObject(name);
      JsonObject policyKeys = section == null ? null : section.copy();
      if (policyKeys != null) {
        policyKeys.remove("options");
      }
      policies.put(name, s.defaultPolicy().merge(name, policyKeys));
    }
    return new PipelinePlan(names, chosen, policies);
  }

  /** A plan over given stage objects (tests and embedding applications). */
  public static PipelinePlan of(List<Stage> stageList, Map<String, StagePolicy> policies) {
    List<String> names = new ArrayList<>();
    Map<String, Stage> map = new LinkedHashMap<>();
    Map<String, StagePolicy> pol = new LinkedHashMap<>();
    for (Stage s : stageList) {
      names.add(s.name());
      map.put(s.name(), s);
      pol.put(s.name(), policies.getOrDefault(s.name(), s.defaultPolicy()));
    }
    return new PipelinePlan(names, map, pol);
  }

  public List<String> names() {
    return Collections.unmodifiableList(names);
  }

  public String first() {
    return names.get(0);
  }

  /** The stage after {@code stage}, or null when it is the last. */
  public String next(String stage) {
    int i = index(stage);
    return i + 1 < names.size() ? names.get(i + 1) : null;
  }

  public Stage stage(String name) {
    return stages.get(name);
  }

  public StagePolicy policy(String name) {
    return policies.get(name);
  }

  public int progressBefore(String stage) {
    return index(stage) * 100 / names.size();
  }

  public int progressAfter(String stage) {
    return (index(stage) + 1) * 100 / names.size();
  }

  private int index(String stage) {
    int i = names.indexOf(stage);
    if (i < 0) {
      throw new IllegalArgumentException("stage '" + stage + "' is not in the pipeline " + names);
    }
    return i;
  }
}
