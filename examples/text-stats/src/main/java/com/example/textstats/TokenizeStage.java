package com.example.textstats;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Stage {@code tokenize}: the submitted {@code text} as lower-cased words (letters and digits of any
 * script). Output: {@code tokens}, an array of strings.
 */
public final class TokenizeStage implements Stage {

  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{Nd}]+");

  @Override
  public String name() {
    return "tokenize";
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    JsonArray tokens = new JsonArray();
    for (String word : SEPARATORS.split(ctx.job().getString("text", "").toLowerCase(Locale.ROOT))) {
      if (!word.isEmpty()) {
        tokens.add(word);
      }
    }
    return Future.succeededFuture(new JsonObject().put("tokens", tokens));
  }
}
