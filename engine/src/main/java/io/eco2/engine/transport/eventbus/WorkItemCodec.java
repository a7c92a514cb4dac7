package io.eco2.engine.transport.eventbus;

import io.eco2.engine.transport.WorkItem;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * Carries {@link WorkItem}s over the event bus without copying them locally (they are immutable records;
 * handlers copy the data they change), and as JSON over a clustered bus.
 */
final class WorkItemCodec implements MessageCodec<WorkItem, WorkItem> {

  static final String NAME = "eco2-work-item";

  @Override
  public void encodeToWire(Buffer buffer, WorkItem item) {
    Buffer json = item.toJson().toBuffer();
    buffer.appendInt(json.length()).appendBuffer(json);
  }

  @Override
  public WorkItem decodeFromWire(int pos, Buffer buffer) {
    int len = buffer.getInt(pos);
    return WorkItem.fromJson(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + len)));
  }

  @Override
  public WorkItem transform(WorkItem item) {
    return item;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
