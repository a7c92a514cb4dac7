package io.eco2.scan.reward;

import io.eco2.scan.data.Category;
import io.eco2.scan.data.CharacterCatalog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * The character-matching service: answers requests on an event-bus address with the collectible character a
 * classification earns.
 *
 * <p>Request body: a {@code classification} object ({@code major_category}, {@code middle_category},
 * {@code minor_category}). Reply body: {@code {"reward": {"name", "dialog", "match_reason", "type"}}}, or
 * {@code {"reward": null}} when no character matches. A body that is not a classification is answered with
 * a failure (code 400). The catalog is read at start on a worker thread; matching is in memory.
 */
public final class CharacterMatcher extends VerticleBase {

  /** The address the matcher listens on unless configured otherwise. */
  public static final String ADDRESS = "eco2.reward.match";

  private final String address;
  private CharacterCatalog catalog;
  private MessageConsumer<Object> consumer;

  /** A matcher on {@link #ADDRESS}. */
  public CharacterMatcher() {
    this(ADDRESS);
  }

  /** A matcher on {@code address}. */
  public CharacterMatcher(String address) {
    this.address = address;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(CharacterCatalog::loadBundled).compose(loaded -> {
      catalog = loaded;
      consumer = vertx.eventBus().consumer(address, this::match);
      return consumer.completion();
    });
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void match(Message<Object> message) {
    Category category = message.body() instanceof JsonObject body ? Category.fromClassification(body) : null;
    if (category == null) {
      message.fail(400, address + ": body must be a classification object with a string major_category");
      return;
    }
    CharacterCatalog.Entry entry = catalog.match(category);
    JsonObject reward = entry == null ? null : new JsonObject()
      .put("name", entry.name())
      .put("dialog", entry.dialog())
      .put("match_reason", category.label() + " 분리배출 완료")
      .put("type", entry.type());
    message.reply(new JsonObject().put("reward", reward));
  }
}
