package org.opencallback.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.opencallback.config.Account;
import org.opencallback.config.Configuration;

/**
 * The management UI's login sessions, in memory on this node: a random id (the cookie), a random
 * CSRF token, the account and when it logged in. A session ends {@code [server] session-idle-timeout}
 * after its last use, {@code session-absolute-timeout} after the login, at logout, and when its
 * account's password hash, role or agent changes in the configuration (checked on every use).
 *
 * <p>Bound: at most {@link #MAX_SESSIONS} sessions (Caffeine; beyond it the least recently used end
 * first), each removed when it expires. Thread-safe.
 */
final class Sessions {
  static final int MAX_SESSIONS = 10_000;
  static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
  static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(12);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One login; {@link #toString} leaves out the id and token. */
  record Session(String id, String csrfToken, String user, Account.Role role, String agentId, String fingerprint,
      Instant created) {
    @Override
    public String toString() {
      return "Session[user=" + user + ", role=" + role.word() + ", created=" + created + "]";
    }
  }

  private final Supplier<Configuration> config;
  private final Clock clock;
  private final Cache<String, Session> sessions;

  Sessions(Supplier<Configuration> config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.sessions = Caffeine.newBuilder()
        .maximumSize(MAX_SESSIONS)
        .ticker(() -> nanos(clock.instant()))
        .expireAfter(new Expiry<String, Session>() {
          @Override
          public long expireAfterCreate(String id, Session session, long now) {
            return left(session, now);
          }

          @Override
          public long expireAfterUpdate(String id, Session session, long now, long current) {
            return left(session, now);
          }

          @Override
          public long expireAfterRead(String id, Session session, long now, long current) {
            return left(session, now);
          }
        })
        .build();
  }

  /** A new session for the account (a new id every login: no fixation). */
  Session create(Account account) {
    Session session = new Session(token(), token(), account.name(), account.role(), account.agentId(),
        fingerprint(account), clock.instant());
    sessions.put(session.id(), session);
    return session;
  }

  /** The live session with this id; a read counts as use. Empty for unknown, expired or stale ones. */
  Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > 100) {
      return Optional.empty();
    }
    Session session = sessions.getIfPresent(id);
    if (session == null) {
      return Optional.empty();
    }
    Account account = config.get().accounts().get(session.user());
    if (account == null || !fingerprint(account).equals(session.fingerprint())) {
      sessions.invalidate(id);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  void end(String id) {
    if (id != null) {
      sessions.invalidate(id);
    }
  }

  /** Sessions held now (expired ones may count until Caffeine's next clean-up). */
  long size() {
    return sessions.estimatedSize();
  }

  /** Nanoseconds the session has left: the sooner of idle and absolute expiry. */
  private long left(Session session, long now) {
    Duration idle = config.get().server().duration("session-idle-timeout", DEFAULT_IDLE);
    Duration absolute = config.get().server().duration("session-absolute-timeout", DEFAULT_ABSOLUTE);
    long untilAbsolute = nanos(session.created().plus(absolute)) - now;
    return Math.max(0, Math.min(idle.toNanos(), untilAbsolute));
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  private static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What must not change under a session: hash, role and agent (a SHA-256, the hash is not kept twice). */
  private static String fingerprint(Account account) {
    String text = account.passwordHash() + '\u0000' + account.role() + '\u0000' + account.agentId();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
