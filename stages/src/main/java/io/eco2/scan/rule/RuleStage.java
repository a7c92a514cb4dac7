package io.eco2.scan.rule;

import io.eco2.engine.stage.Stage;
import io.eco2.engine.stage.StageContext;
import io.eco2.engine.stage.StageFailure;
import io.eco2.engine.stage.StagePolicy;
import io.eco2.scan.EcoPolicies;
import io.eco2.engine.stage.StageSetup;
import io.eco2.scan.data.Category;
import io.eco2.scan.data.RuleBook;
import io.eco2.scan.data.Taxonomy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.lang.System.Logger.Level;

/**
 * The {@code rule} stage: finds the bundled disposal rule for the job's classification.
 *
 * <p>Reads {@code classification_result}; writes {@code disposal_rules}, the rule for the exact minor
 * category, else for its (major, middle), else null (CONTRACT §3: no rule is not an error). The rules are
 * read once at {@link #init} on a worker thread; {@link #process} is an in-memory lookup that never blocks.
 */
public final class RuleStage implements Stage {

  /** The stage's name in {@code pipeline.stages}. */
  public static final String NAME = "rule";

  private static final System.Logger LOG = System.getLogger(RuleStage.class.getName());

  private volatile RuleBook rules;

  @Override
  public String name() {
    return NAME;
  }

  /** {@link EcoPolicies#localLookup()}. */
  @Override
  public StagePolicy defaultPolicy() {
    return EcoPolicies.localLookup();
  }

  @Override
  public Future<Void> init(StageSetup setup) {
    return setup.vertx().executeBlocking(() -> RuleBook.loadBundled(Taxonomy.bundled()))
      .map(book -> {
        rules = book;
        LOG.log(Level.INFO, "rule stage: {0} disposal rules loaded", book.size());
        return null;
      });
  }

  @Override
  public Future<JsonObject> process(StageContext ctx) {
    RuleBook book = rules;
    if (book == null) {
      return Future.failedFuture(new IllegalStateException("stages.rule: process called before init completed"));
    }
    Object result = ctx.job().getValue("classification_result");
    Category category = result instanceof JsonObject r && r.getValue("classification") instanceof JsonObject c
      ? Category.fromClassification(c) : null;
    if (category == null) {
      return Future.failedFuture(StageFailure.permanent("INVALID_INPUT",
        "classification_result.classification.major_category: missing"));
    }
    JsonObject rule = book.lookup(category);
    return Future.succeededFuture(new JsonObject().put("disposal_rules", rule));
  }

  /** The loaded rules (null before {@link #init} completes); for tests and diagnostics. */
  public RuleBook rules() {
    return rules;
  }
}
