package org.ktl4j.definition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a KTL XML bundle file ({@code <bundle name="DISP1" service="svc">}) into a {@link Bundle}.
 *
 * <p>Understood elements, inside {@code <bundle>}: {@code <dispatcher><name>} and one {@code <keyword>}
 * per keyword with {@code <name>}, {@code <type>} (any {@link org.ktl4j.type.KtlType#fromKtlName} name,
 * including {@code basic}), {@code <units>}, {@code <help level="brief|verbose">} (no level: brief),
 * {@code <range><minimum/><maximum/></range>}, {@code <values><entry><key/><value/></entry>…} (for a
 * mask the key is the bit number, or {@code none} for the label of 0; for a boolean 0 and 1),
 * {@code <elements>} (one {@code <entry>} per array element, labelled by its {@code <label>} or
 * {@code <value>}; or a plain length, {@code <elements>3</elements>}), {@code <capability
 * type="read|write|broadcast">true|false</capability>}, {@code <format>} and
 * {@code <serverside><initialize><value/><use_cache>True</use_cache></initialize></serverside>}.
 *
 * <p>Anything else is ignored with a warning naming file, line and element, returned in
 * {@link Bundle#warnings()} and logged at WARN. Everything that would make a wrong keyword is an error
 * ({@link KtlXmlException}, naming file, line, keyword and problem): malformed XML, a missing name or
 * type, an unknown type, a bad number, a duplicate keyword, an inconsistent definition (e.g. duplicate
 * labels) and an initial value its type refuses. Element text is trimmed (so a string keyword's
 * initial value cannot start or end with whitespace); initial values are stored in canonical form.
 *
 * <p>The parser reads no DTD and resolves no external entity. Stateless and thread-safe; each load
 * parses one file.
 */
public final class KtlXmlBundle {
  private static final Logger log = LoggerFactory.getLogger(KtlXmlBundle.class);

  private KtlXmlBundle() {}

  /**
   * Loads a bundle file; messages name it as given.
   *
   * @throws IOException if the file cannot be read
   * @throws KtlXmlException if it is not a valid bundle
   */
  public static Bundle load(Path file) throws IOException, KtlXmlException {
    try (InputStream in = Files.newInputStream(file)) {
      return load(in, file.toString());
    }
  }

  /**
   * Loads a bundle from a stream, which the caller closes.
   *
   * @param sourceName the name to use in messages, e.g. the file name or resource path
   * @throws KtlXmlException if it is not a valid bundle, or cannot be read
   */
  public static Bundle load(InputStream in, String sourceName) throws KtlXmlException {
    Context context = new Context(sourceName);
    XmlElement root;
    try {
      root = XmlElement.parse(in);
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      String message = e.getMessage() == null ? "unreadable" : e.getMessage().replaceFirst("(?s)^ParseError at \\[row,col]:\\[\\d+,\\d+]\\s*Message: ", "");
      throw new KtlXmlException(sourceName, line, null, "malformed XML: " + message, e);
    }
    if (!root.name().equals("bundle")) {
      throw context.error(root, null, "root element is <" + root.name() + ">, expected <bundle>");
    }
    String service = root.attribute("service").orElse("").strip();
    if (service.isEmpty()) {
      context.warn(root, null, "<bundle> has no service attribute");
    }
    String dispatcher = "";
    Map<String, Integer> lineByKeyword = new LinkedHashMap<>();
    List<KeywordDefinition> keywords = new ArrayList<>();
    for (XmlElement child : root.children()) {
      switch (child.name()) {
        case "dispatcher" -> dispatcher = child.child("name").map(XmlElement::text).orElse("");
        case "keyword" -> {
          KeywordDefinition definition = new KtlXmlKeywordReader(context, service, child).read();
          Integer first = lineByKeyword.putIfAbsent(definition.name(), child.line());
          if (first != null) {
            throw context.error(child, definition.name(), "duplicate keyword (first defined at line " + first + ")");
          }
          keywords.add(definition);
        }
        default -> context.warn(child, null, "unknown element <" + child.name() + "> ignored");
      }
    }
    if (dispatcher.isEmpty()) {
      context.warn(root, null, "no <dispatcher><name>");
    }
    return new Bundle(root.attribute("name").orElse("").strip(), service, dispatcher, keywords, context.warnings);
  }

  /** Where the load is, and what it has ignored so far. */
  static final class Context {
    private final String source;
    private final List<String> warnings = new ArrayList<>();

    private Context(String source) {
      this.source = source;
    }

    void warn(XmlElement element, String keyword, String problem) {
      String warning = source + ":" + element.line() + ": " + (keyword == null ? "" : "keyword " + keyword + ": ") + problem;
      warnings.add(warning);
      log.warn("{}", warning);
    }

    KtlXmlException error(XmlElement element, String keyword, String problem) {
      return new KtlXmlException(source, element == null ? -1 : element.line(), keyword, problem, null);
    }
  }
}
