package dev.vaultreplicator.capture;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Which key paths of a mount are replicated: those matching an include glob (all, when there is
 * none) and no exclude glob. Globs are the JDK's: {@code *} within a segment, {@code **} across.
 */
public final class PathFilter {

  public static final PathFilter ALL = new PathFilter(List.of(), List.of());

  private final List<PathMatcher> include;
  private final List<PathMatcher> exclude;

  private PathFilter(List<PathMatcher> include, List<PathMatcher> exclude) {
    this.include = include;
    this.exclude = exclude;
  }

  /** @throws IllegalArgumentException for a glob that does not parse */
  public static PathFilter of(List<String> include, List<String> exclude) {
    return new PathFilter(matchers(include), matchers(exclude));
  }

  public boolean accepts(String keyPath) {
    Path path = Path.of(keyPath);
    boolean included = include.isEmpty() || include.stream().anyMatch(m -> m.matches(path));
    return included && exclude.stream().noneMatch(m -> m.matches(path));
  }

  private static List<PathMatcher> matchers(List<String> globs) {
    return globs.stream().map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
  }
}
