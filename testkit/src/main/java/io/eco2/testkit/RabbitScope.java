package io.eco2.testkit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One test's share of the real local RabbitMQ ({@link #DEFAULT_URL}): a queue prefix of its own, a plain
 * amqp-client connection to look at queues as an operator would, {@code rabbitmqctl} for the broker's view of
 * connections, and, on {@link #close()}, the deletion of the queues the test named with {@link #queue}.
 */
public final class RabbitScope implements AutoCloseable {

  public static final String DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672";

  private final String prefix;
  private final Set<String> queues = new LinkedHashSet<>();
  private Connection admin;

  /** A scope with a fresh random prefix. */
  public RabbitScope() {
    this(RedisScope.randomPrefix());
  }

  public RabbitScope(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  public String url() {
    return DEFAULT_URL;
  }

  /** {@code prefix.suffix}, deleted on {@link #close()}. */
  public synchronized String queue(String suffix) {
    String name = prefix + "." + suffix;
    queues.add(name);
    return name;
  }

  /** A fresh channel per inspection: a failed passive declare (404) closes its channel. */
  public synchronized Channel channel() throws IOException {
    if (admin == null || !admin.isOpen()) {
      ConnectionFactory f = new ConnectionFactory();
      try {
        f.setUri(DEFAULT_URL);
        f.setAutomaticRecoveryEnabled(false);
        admin = f.newConnection("eco2-test-" + prefix);
      } catch (Exception e) {
        throw new IOException("RabbitMQ at " + DEFAULT_URL + " unreachable (scripts/start-services.sh starts it): " + e, e);
      }
    }
    return admin.createChannel();
  }

  /** Messages ready in a queue (passive declare; fails if the queue does not exist). */
  public long messageCount(String queue) throws Exception {
    try (Channel ch = channel()) {
      return ch.queueDeclarePassive(queue).getMessageCount();
    }
  }

  /** Whether the queue exists. */
  public boolean exists(String queue) throws Exception {
    Channel ch = channel();
    try {
      ch.queueDeclarePassive(queue);
      return true;
    } catch (IOException notFound) {
      return false;
    } finally {
      closeQuietly(ch);
    }
  }

  /** Takes one message from a queue and acknowledges it (null when the queue is empty). */
  public GetResponse basicGet(String queue) throws Exception {
    try (Channel ch = channel()) {
      return ch.basicGet(queue, true);
    }
  }

  /** Deletes the queues (those already gone are skipped). */
  public void deleteQueues(Collection<String> names) {
    for (String q : names) {
      Channel ch = null;
      try {
        ch = channel();
        ch.queueDelete(q);
      } catch (Exception e) {
        // not declared: the broker closed that channel, the next one is fresh
      } finally {
        if (ch != null) {
          closeQuietly(ch);
        }
      }
    }
  }

  /**
   * Every queue on the broker named {@code prefix.…} (those the engine declares as well as those the test
   * named), from {@code rabbitmqctl list_queues}: about a second.
   */
  public List<String> queuesUnderPrefix() {
    List<String> out = new ArrayList<>();
    for (String line : Command.run("rabbitmqctl", "-q", "list_queues", "name").split("\n")) {
      String name = line.strip();
      if (name.startsWith(prefix + ".")) {
        out.add(name);
      }
    }
    return out;
  }

  /** The broker-side ids ({@code <rabbit@host.N.M.K>}) of the connections whose client name is {@code name}. */
  public static List<String> connectionPids(String name) {
    List<String> pids = new ArrayList<>();
    Pattern pid = Pattern.compile("<[^>]+>");
    for (String line : Command.run("rabbitmqctl", "-q", "list_connections", "pid", "client_properties").split("\n")) {
      if (line.contains("\"" + name + "\"") || line.contains("<<\"" + name + "\">>") || line.contains(name + "\"")) {
        Matcher m = pid.matcher(line);
        if (m.find()) {
          pids.add(m.group());
        }
      }
    }
    return pids;
  }

  /**
   * Closes, on the broker's side, the connections with the given broker ids, all at once (each
   * {@code rabbitmqctl} call takes about a second: one after another they would outlast short jobs).
   */
  public static void closeConnections(List<String> brokerPids) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    for (String pid : brokerPids) {
      Thread t = new Thread(() -> {
        try {
          Command.run("rabbitmqctl", "-q", "close_connection", pid, "test: connection dropped");
        } catch (Throwable e) {
          errors.add(e);
        }
      }, "rabbitmqctl-close-" + pid);
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join(Command.DEFAULT_TIMEOUT.toMillis());
    }
    if (!errors.isEmpty()) {
      throw new AssertionError("close_connection failed: " + errors);
    }
  }

  /** Closes, on the broker's side, every connection whose client name is {@code name}; returns how many. */
  public static int closeConnectionsNamed(String name) throws InterruptedException {
    List<String> pids = connectionPids(name);
    if (pids.isEmpty()) {
      throw new AssertionError("no RabbitMQ connection named " + name);
    }
    closeConnections(pids);
    return pids.size();
  }

  /** Deletes the queues named with {@link #queue}, then closes the inspection connection. */
  @Override
  public synchronized void close() {
    deleteQueues(List.copyOf(queues));
    try {
      if (admin != null && admin.isOpen()) {
        admin.close();
      }
    } catch (Exception ignored) {
      // best effort: the broker may already have closed it
    }
  }

  private static void closeQuietly(Channel ch) {
    try {
      if (ch.isOpen()) {
        ch.close();
      }
    } catch (Exception ignored) {
      // already closed
    }
  }
}
