package io.portcullis.directory;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How Portcullis keeps the directory off the critical path of a request, under {@code
 * portcullis.directory} (beside {@link DirectoryProperties}, which says where things are).
 *
 * @param groupCacheTtl how long a person's groups are kept after they were read (default 30 s; 0
 *     turns the cache off, at most 5 minutes). Portcullis drops a person's entry at once when it
 *     grants or revokes a group of theirs or offboards them; a change made in the directory by
 *     someone else is seen after at most this long.
 * @param poolMaxSize the most pooled connections per directory identity (the service account, or
 *     one person logging in), default 32: the request threads and job executor threads that can use
 *     the directory at once, so none waits for another's connection
 * @param poolIdleTimeout how long an unused pooled connection stays open (default 60 s): shorter
 *     than the idle timeout of common directories, so the pool does not hand out a connection the
 *     server has already closed
 */
@Validated
@ConfigurationProperties("portcullis.directory")
public record DirectoryPoolProperties(
    Duration groupCacheTtl, @Min(1) @Max(1000) Integer poolMaxSize, Duration poolIdleTimeout) {

  static final Duration MAX_GROUP_CACHE_TTL = Duration.ofMinutes(5);

  public DirectoryPoolProperties {
    groupCacheTtl = groupCacheTtl == null ? Duration.ofSeconds(30) : groupCacheTtl;
    poolMaxSize = poolMaxSize == null ? 32 : poolMaxSize;
    poolIdleTimeout = poolIdleTimeout == null ? Duration.ofSeconds(60) : poolIdleTimeout;
    if (groupCacheTtl.isNegative() || groupCacheTtl.compareTo(MAX_GROUP_CACHE_TTL) > 0) {
      throw new IllegalArgumentException(
          "portcullis.directory.group-cache-ttl must be between 0 and "
              + MAX_GROUP_CACHE_TTL
              + " (an authorization change made outside Portcullis must apply soon), not "
              + groupCacheTtl);
    }
    if (poolIdleTimeout.isNegative() || poolIdleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "portcullis.directory.pool-idle-timeout must be positive, not " + poolIdleTimeout);
    }
  }
}
