package org.ktl4j.definition;

import java.util.Optional;

/**
 * A KTL XML bundle that cannot be loaded: malformed XML, or a keyword that is not valid. The message
 * reads {@code testsvc.xml:42: keyword AZ: unknown type 'doubel'}.
 *
 * <p>Immutable.
 */
public final class KtlXmlException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final int line;
  private final String keyword;
  private final String problem;

  /**
   * @param source the file name (or other source name) as given to the loader
   * @param line the 1-based line, or -1 if unknown
   * @param keyword the keyword being read, or {@code null} outside a keyword
   * @param problem what is wrong
   */
  public KtlXmlException(String source, int line, String keyword, String problem, Throwable cause) {
    super(source + ":" + (line > 0 ? line : "?") + ": " + (keyword == null ? "" : "keyword " + keyword + ": ") + problem, cause);
    this.source = source;
    this.line = line;
    this.keyword = keyword;
    this.problem = problem;
  }

  /** The file name or other source name. */
  public String source() {
    return source;
  }

  /** The 1-based line, or -1 if unknown. */
  public int line() {
    return line;
  }

  /** The keyword being read, if the problem is inside a keyword. */
  public Optional<String> keyword() {
    return Optional.ofNullable(keyword);
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }
}
