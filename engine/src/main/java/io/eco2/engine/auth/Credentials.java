package io.eco2.engine.auth;

import io.vertx.core.Future;

/**
 * Checks one bearer credential. The future fails with an {@link AuthFailure} whose message is safe to send
 * back (it never contains the credential).
 */
interface Credentials {

  Future<Caller> verify(String token);
}
