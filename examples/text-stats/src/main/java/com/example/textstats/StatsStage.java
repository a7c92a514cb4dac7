package com.example.textstats;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stage {@code stats}: counts the {@code tokens} of {@code tokenize}. Output: {@code stats} with
 * {@code words}, {@code distinct} and {@code top} (the {@code top} most frequent words, most frequent first,
 * ties in alphabetical order, each {@code {"word", "count"}}).
 */
public final class StatsStage implements Stage {

  @Override
  public String name() {
    return "stats";
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    JsonArray tokens = ctx.job().getJsonArray("tokens", new JsonArray());
    Map<String, Integer> counts = new TreeMap<>();
    tokens.forEach(t -> counts.merge(String.valueOf(t), 1, Integer::sum));
    JsonArray top = new JsonArray();
    counts.entrySet().stream()
      .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
      .limit(ctx.job().getInteger("top", TextStatsSurface.DEFAULT_TOP))
      .forEach(e -> top.add(new JsonObject().put("word", e.getKey()).put("count", e.getValue())));
    return Future.succeededFuture(new JsonObject().put("stats", new JsonObject()
      .put("words", tokens.size()).put("distinct", counts.size()).put("top", top)));
  }
}
