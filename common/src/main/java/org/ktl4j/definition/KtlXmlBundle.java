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
 * Loads a KTL XML bundle file ({@code <bundle name="DISP1" service="svc">}), or a service's {@code index.xml} and the
 * bundles it lists ({@link #load(Path)}), into a {@link Bundle}.
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
   * Loads a bundle file, or a service's {@code index.xml} with all the bundles it lists; messages name each file as
   * given.
   *
   * <p>An index ({@code <index service="svc"><files><file><name>DISP1.xml</name><location>.</location></file>…}),
   * as Cauldron and Lick's {@code ktlxml} write it, names bundle files relative to the index's directory
   * ({@code location}, then {@code name}; {@code .xml} is added to a name without it). Their keywords are merged
   * into one bundle, in file order, since one ktl4j dispatcher serves a whole service: a keyword defined in two
   * files is an error naming both. Files of other kinds ({@code messages.xml}, {@code keyword_ids.xml}) and
   * {@code <include>} elements are ignored with a warning.
   *
   * @throws IOException if a file cannot be read
   * @throws KtlXmlException if it is not a valid bundle or index, or a bundle it lists is not
   */
  public static Bundle load(Path file) throws IOException, KtlXmlException {
    XmlElement root;
    try (InputStream in = Files.newInputStream(file)) {
      root = parse(in, file.toString());
    }
    if (root.name().equals("index")) {
      return loadIndex(file, root);
    }
    return read(root, file.toString());
  }

  private static Bundle loadIndex(Path index, XmlElement root) throws IOException, KtlXmlException {
    Context context = new Context(index.toString());
    String service = root.attribute("service").orElse("").strip();
    Path dir = index.toAbsolutePath().getParent();
    List<KeywordDefinition> keywords = new ArrayList<>();
    Map<String, String> fileByKeyword = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    List<String> names = new ArrayList<>();
    String dispatcher = "";
    for (XmlElement child : root.children()) {
      if (!child.name().equals("files")) {
        context.warn(child, null, "<" + child.name() + "> ignored (only <files> is read from an index)");
        continue;
      }
      for (XmlElement f : child.children("file")) {
        String name = f.child("name").map(XmlElement::text).orElse("").strip();
        if (name.isEmpty()) {
          throw context.error(f, null, "<file> without <name>");
        }
        String location = f.child("location").map(XmlElement::text).orElse("").strip();
        Path path = dir.resolve(location.isEmpty() ? "." : location).resolve(name).normalize();
        if (!Files.exists(path) && !name.endsWith(".xml")) {
          path = path.resolveSibling(name + ".xml");
        }
        if (!Files.isRegularFile(path)) {
          throw context.error(f, null, "bundle file " + path + " not found");
        }
        XmlElement bundleRoot;
        try (InputStream in = Files.newInputStream(path)) {
          bundleRoot = parse(in, path.toString());
        }
        if (!bundleRoot.name().equals("bundle")) {
          context.warn(f, null, path.getFileName() + " is not a bundle (<" + bundleRoot.name() + ">): ignored");
          continue;
        }
        Bundle b = read(bundleRoot, path.toString());
        if (!service.isEmpty() && !b.service().isEmpty() && !b.service().equalsIgnoreCase(service)) {
          throw context.error(f, null, path + " is a bundle of service '" + b.service() + "', not '" + service + "'");
        }
        for (KeywordDefinition k : b.keywords()) {
          String first = fileByKeyword.putIfAbsent(k.name(), path.toString());
          if (first != null) {
            throw context.error(f, k.name(), "defined in " + first + " and again in " + path);
          }
          keywords.add(k);
        }
        names.add(b.name());
        if (dispatcher.isEmpty()) {
          dispatcher = b.dispatcher();
        }
        warnings.addAll(b.warnings());
      }
    }
    if (names.isEmpty()) {
      throw context.error(root, null, "the index lists no bundle file (<files><file><name>…)");
    }
    warnings.addAll(0, context.warnings);
    return new Bundle(String.join("+", names), service, dispatcher, keywords, warnings);
  }

  /**
   * Loads a bundle from a stream, which the caller closes.
   *
   * @param sourceName the name to use in messages, e.g. the file name or resource path
   * @throws KtlXmlException if it is not a valid bundle, or cannot be read
   */
  public static Bundle load(InputStream in, String sourceName) throws KtlXmlException {
    XmlElement root = parse(in, sourceName);
    if (root.name().equals("index")) {
      throw new Context(sourceName).error(root, null, "an index.xml names its bundle files relative to its own "
          + "directory: load it from a file (KtlXmlBundle.load(Path), ktl dispatcher --config PATH/index.xml)");
    }
    return read(root, sourceName);
  }

  private static XmlElement parse(InputStream in, String sourceName) throws KtlXmlException {
    try {
      return XmlElement.parse(in);
    } catch (XMLStreamException e) {
      int line = e.getLocation() == null ? -1 : e.getLocation().getLineNumber();
      String message = e.getMessage() == null ? "unreadable" : e.getMessage().replaceFirst("(?s)^ParseError at \\[row,col]:\\[\\d+,\\d+]\\s*Message: ", "");
      throw new KtlXmlException(sourceName, line, null, "malformed XML: " + message, e);
    }
  }

  private static Bundle read(XmlElement root, String sourceName) throws KtlXmlException {
    Context context = new Context(sourceName);
    if (!root.name().equals("bundle")) {
      throw context.error(root, null, "root element is <" + root.name() + ">, expected <bundle> or <index>");
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
