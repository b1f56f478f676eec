package org.ktl4j.definition;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ktl4j.internal.protocol.Names;

/**
 * The keywords one dispatcher serves, as declared by a KTL XML bundle file
 * ({@code <bundle name="DISP1" service="svc">}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the bundle name, e.g. {@code DISP1}; empty if the file has none
 * @param service the service name, e.g. {@code testsvc}; empty if the file has none
 * @param dispatcher the dispatcher name from {@code <dispatcher><name>}; empty if the file has none
 * @param keywords the definitions, in file order, names unique
 * @param warnings what the loader ignored, each naming file, line and element
 */
public record Bundle(String name, String service, String dispatcher, List<KeywordDefinition> keywords, List<String> warnings) {
  /** Copies the lists; {@code null} texts become empty. */
  public Bundle {
    name = Objects.requireNonNullElse(name, "");
    service = Objects.requireNonNullElse(service, "");
    dispatcher = Objects.requireNonNullElse(dispatcher, "");
    keywords = List.copyOf(keywords);
    warnings = List.copyOf(warnings);
  }

  /** The definition of a keyword, by name in any case (ASCII case only, as the protocol's names are). */
  public Optional<KeywordDefinition> keyword(String keywordName) {
    if (keywordName == null) {
      return Optional.empty();
    }
    String upper = Names.toUpperAscii(keywordName);
    return keywords.stream().filter(k -> k.name().equals(upper)).findFirst();
  }
}
