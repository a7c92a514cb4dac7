package io.eco2.engine.auth;

import java.util.Objects;

/**
 * Who made a request, as far as the API cares: the user id jobs are owned by, or {@link #ANONYMOUS} when
 * authentication is off ({@code auth.mode: none}), in which case every job is everyone's.
 *
 * @param userId the user's id (a JWT's user claim, or a digest of the API key); empty for anonymous
 */
public record Caller(String userId) {

  /** The caller of a server without authentication. */
  public static final Caller ANONYMOUS = new Caller("");

  public Caller {
    Objects.requireNonNull(userId, "userId");
  }

  public boolean isAnonymous() {
    return userId.isEmpty();
  }
}
