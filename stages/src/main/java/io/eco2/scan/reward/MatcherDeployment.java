package io.eco2.scan.reward;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.Map;

/**
 * Deploys at most one {@link CharacterMatcher} per Vert.x instance and address, however many reward stage
 * objects ask: two consumers on one address would only split the requests, and a second deploy on re-init
 * would leak a verticle. Counted: the last {@link #release} undeploys it.
 */
final class MatcherDeployment {

  private record Key(Vertx vertx, String address) {
  }

  private static final class Shared {
    final Future<String> deployment;
    int users = 1;

    Shared(Future<String> deployment) {
      this.deployment = deployment;
    }
  }

  private static final Map<Key, Shared> DEPLOYED = new HashMap<>();

  private MatcherDeployment() {
  }

  /** Deploys the matcher for (vertx, address) unless it is deployed or deploying, and counts one more user. */
  static synchronized Future<Void> acquire(Vertx vertx, String address) {
    Key key = new Key(vertx, address);
    Shared shared = DEPLOYED.get(key);
    if (shared != null) {
      shared.users++;
      return shared.deployment.mapEmpty();
    }
    Future<String> deployment = vertx.deployVerticle(new CharacterMatcher(address));
    DEPLOYED.put(key, new Shared(deployment));
    // A failed deploy must not stay cached, or every later init would see the same failure.
    deployment.onFailure(e -> forget(key, deployment));
    return deployment.mapEmpty();
  }

  /** Counts one user less; the last one undeploys the matcher. */
  static Future<Void> release(Vertx vertx, String address) {
    Key key = new Key(vertx, address);
    Future<String> toUndeploy;
    synchronized (MatcherDeployment.class) {
      Shared shared = DEPLOYED.get(key);
      if (shared == null || --shared.users > 0) {
        return Future.succeededFuture();
      }
      DEPLOYED.remove(key);
      toUndeploy = shared.deployment;
    }
    return toUndeploy.compose(vertx::undeploy, e -> Future.succeededFuture());
  }

  private static synchronized void forget(Key key, Future<String> deployment) {
    Shared shared = DEPLOYED.get(key);
    if (shared != null && shared.deployment == deployment) {
      DEPLOYED.remove(key);
    }
  }
}
