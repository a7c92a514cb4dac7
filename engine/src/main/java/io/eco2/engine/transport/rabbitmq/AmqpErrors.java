package io.eco2.engine.transport.rabbitmq;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed RabbitMQ connection attempt into one line an operator can act on: the broker's host:port,
 * the user and vhost when it refused the credentials, and for {@code PRECONDITION_FAILED} the queue, the
 * argument that differs and the fix.
 */
final class AmqpErrors {

  private static final Pattern INEQUIVALENT = Pattern.compile("inequivalent arg '([^']+)' for queue '([^']+)'");

  private AmqpErrors() {
  }

  static String describe(ConnectionFactory factory, String queuePrefix, Throwable failure) {
    String where = factory.getHost() + ":" + factory.getPort();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationFailureException || t instanceof PossibleAuthenticationFailureException) {
        return "RabbitMQ at " + where + " refused user '" + factory.getUsername() + "' on vhost '" + factory.getVirtualHost()
          + "' (" + t.getMessage() + "): check the user, password and vhost of rabbitmq.url";
      }
      if (t instanceof ShutdownSignalException sse && t.getMessage() != null && t.getMessage().contains("PRECONDITION_FAILED")) {
        Matcher m = INEQUIVALENT.matcher(t.getMessage());
        String reason = sse.getReason() == null ? t.getMessage() : sse.getReason().toString();
        if (m.find()) {
          return "RabbitMQ at " + where + ": queue '" + m.group(2) + "' exists with another '" + m.group(1)
            + "' than this engine declares (PRECONDITION_FAILED); delete the queue (rabbitmqctl delete_queue " + m.group(2)
            + ", it holds the stage's messages) or choose another rabbitmq.queue-prefix (now '" + queuePrefix + "')";
        }
        return "RabbitMQ at " + where + " refused a declaration (" + reason + "); delete the queue it names or choose another rabbitmq.queue-prefix (now '"
          + queuePrefix + "')";
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
          || t instanceof java.net.SocketTimeoutException) {
        return "cannot reach RabbitMQ at " + where + " (" + t + "): is it running and is rabbitmq.url right?";
      }
    }
    return "cannot connect to RabbitMQ at " + where + " as user '" + factory.getUsername() + "' on vhost '"
      + factory.getVirtualHost() + "': " + chain(failure);
  }

  private static String chain(Throwable failure) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getClass().getSimpleName()).append(t.getMessage() == null ? "" : ": " + t.getMessage().replace('\n', ' '));
    }
    return sb.toString();
  }
}
