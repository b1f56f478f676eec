package org.ktl4j.definition;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.ktl4j.type.InvalidValueException;
import org.ktl4j.type.KeywordType;
import org.ktl4j.type.KtlType;

/** Reads one {@code <keyword>} element of a KTL XML bundle into a checked definition. */
final class KtlXmlKeywordReader {
  private final KtlXmlBundle.Context context;
  private final String service;
  private final XmlElement keyword;
  private String name;
  private KtlType type;
  private KeywordDefinition.Builder builder;

  KtlXmlKeywordReader(KtlXmlBundle.Context context, String service, XmlElement keyword) {
    this.context = context;
    this.service = service;
    this.keyword = keyword;
  }

  KeywordDefinition read() throws KtlXmlException {
    XmlElement nameElement = keyword.child("name").orElseThrow(() -> context.error(keyword, null, "missing <name>"));
    try {
      name = DefinitionRules.name(nameElement.text());
    } catch (IllegalArgumentException e) {
      throw context.error(nameElement, null, e.getMessage());
    }
    XmlElement typeElement = keyword.child("type").orElseThrow(() -> context.error(keyword, name, "missing <type>"));
    type = KtlType.fromKtlName(typeElement.text()).orElseThrow(() -> context.error(typeElement, name,
        "unknown type '" + typeElement.text() + "' (known: basic, "
            + Arrays.stream(KtlType.values()).map(KtlType::ktlName).collect(Collectors.joining(", ")) + ")"));
    builder = KeywordDefinition.builder(name, type);
    XmlElement initialElement = null;
    for (XmlElement child : keyword.children()) {
      switch (child.name()) {
        case "name", "type" -> {
          if (child != nameElement && child != typeElement) {
            context.warn(child, name, "second <" + child.name() + "> ignored");
          }
        }
        case "units" -> builder.units(child.text());
        case "help" -> help(child);
        case "range" -> range(child);
        case "values" -> values(child);
        case "elements" -> elements(child);
        case "capability" -> capability(child);
        case "format" -> builder.format(child.text());
        case "serverside" -> initialElement = serverside(child);
        default -> context.warn(child, name, "unknown element <" + child.name() + "> ignored");
      }
    }
    KeywordDefinition definition;
    try {
      definition = builder.build();
    } catch (IllegalArgumentException e) {
      throw context.error(keyword, name, withoutKeyword(e));
    }
    KeywordType keywordType;
    try {
      keywordType = KeywordType.of(service, definition);
    } catch (IllegalArgumentException e) {
      // a consistent definition the type cannot serve: its format
      throw context.error(keyword.child("format").orElse(keyword), name, withoutKeyword(e));
    }
    if (definition.initialValue().isPresent()) {
      try {
        String canonical = keywordType.canonicalize(definition.initialValue().get());
        definition = definition.toBuilder().initialValue(canonical).build();
      } catch (InvalidValueException e) {
        throw context.error(initialElement, name, "invalid initial value '" + e.value() + "': " + e.reason());
      }
    }
    return definition;
  }

  /** The message of a definition's refusal without its {@code "keyword NAME: "} prefix, which the error adds. */
  private String withoutKeyword(IllegalArgumentException e) {
    String prefix = "keyword " + name + ": ";
    String message = String.valueOf(e.getMessage());
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private void help(XmlElement help) {
    String level = help.attribute("level").orElse("brief").strip().toLowerCase(Locale.ROOT);
    switch (level) {
      case "brief" -> builder.help(help.text());
      case "verbose" -> builder.longHelp(help.text());
      default -> context.warn(help, name, "<help level=\"" + level + "\"> ignored (levels: brief, verbose)");
    }
  }

  private void range(XmlElement range) throws KtlXmlException {
    for (XmlElement bound : range.children()) {
      switch (bound.name()) {
        case "minimum" -> builder.minimum(number(bound));
        case "maximum" -> builder.maximum(number(bound));
        default -> context.warn(bound, name, "unknown element <" + bound.name() + "> in <range> ignored");
      }
    }
  }

  private BigDecimal number(XmlElement element) throws KtlXmlException {
    if (!type.isNumeric()) {
      context.warn(element, name, "<" + element.name() + "> ignored: a " + type.ktlName() + " keyword has no range");
      return null;
    }
    try {
      return new BigDecimal(element.text());
    } catch (NumberFormatException e) {
      throw context.error(element, name, "bad number '" + element.text() + "' in <" + element.name() + ">");
    }
  }

  private void values(XmlElement values) throws KtlXmlException {
    if (type != KtlType.ENUMERATED && type != KtlType.BOOLEAN && type != KtlType.MASK) {
      context.warn(values, name, "<values> ignored: a " + type.ktlName() + " keyword has no enumerators");
      return;
    }
    for (XmlElement entry : values.children()) {
      if (!entry.name().equals("entry")) {
        context.warn(entry, name, "unknown element <" + entry.name() + "> in <values> ignored");
        continue;
      }
      XmlElement key = entry.child("key").orElseThrow(() -> context.error(entry, name, "<entry> without <key>"));
      XmlElement value = entry.child("value").orElseThrow(() -> context.error(entry, name, "<entry> without <value>"));
      if (type == KtlType.MASK && key.text().equalsIgnoreCase("none")) {
        builder.noneLabel(value.text());
        continue;
      }
      long number;
      try {
        number = Long.parseLong(key.text());
      } catch (NumberFormatException e) {
        throw context.error(key, name, "bad number '" + key.text() + "' in <key>"
            + (type == KtlType.MASK ? " (a bit number, or 'none')" : ""));
      }
      try {
        builder.enumerator(number, value.text());
      } catch (IllegalArgumentException e) {
        throw context.error(value, name, e.getMessage());
      }
    }
  }

  private void elements(XmlElement elements) throws KtlXmlException {
    if (!type.isArray()) {
      context.warn(elements, name, "<elements> ignored: a " + type.ktlName() + " keyword is not an array");
      return;
    }
    List<XmlElement> entries = elements.children("entry");
    if (entries.isEmpty()) {
      try {
        builder.length(Integer.parseInt(elements.text()));
      } catch (NumberFormatException e) {
        throw context.error(elements, name, "<elements> has neither <entry> children nor a length: '" + elements.text() + "'");
      }
      return;
    }
    List<String> labels = new ArrayList<>();
    for (XmlElement entry : entries) {
      entry.child("label").or(() -> entry.child("value")).map(XmlElement::text).filter(t -> !t.isEmpty())
          .ifPresent(labels::add);
    }
    builder.length(entries.size());
    if (labels.size() == entries.size()) {
      builder.elementLabels(labels);
    } else if (!labels.isEmpty()) {
      throw context.error(elements, name, "only " + labels.size() + " of " + entries.size() + " <entry> elements have a <label>");
    }
  }

  private void capability(XmlElement capability) throws KtlXmlException {
    boolean enabled = bool(capability);
    String kind = capability.attribute("type").orElse("").strip().toLowerCase(Locale.ROOT);
    switch (kind) {
      case "write" -> builder.readonly(!enabled);
      case "broadcast" -> builder.broadcasts(enabled);
      case "read" -> {
        if (!enabled) {
          context.warn(capability, name, "<capability type=\"read\">false ignored: every keyword can be read");
        }
      }
      default -> context.warn(capability, name, "<capability type=\"" + kind + "\"> ignored (types: read, write, broadcast)");
    }
  }

  /** Reads {@code <initialize>}; returns the {@code <value>} element, if any, for error lines. */
  private XmlElement serverside(XmlElement serverside) throws KtlXmlException {
    XmlElement valueElement = null;
    for (XmlElement child : serverside.children()) {
      if (!child.name().equals("initialize")) {
        context.warn(child, name, "unknown element <" + child.name() + "> in <serverside> ignored");
        continue;
      }
      for (XmlElement setting : child.children()) {
        switch (setting.name()) {
          case "value" -> {
            builder.initialValue(setting.text());
            valueElement = setting;
          }
          case "use_cache" -> builder.useCache(bool(setting));
          default -> context.warn(setting, name, "unknown element <" + setting.name() + "> in <initialize> ignored");
        }
      }
    }
    return valueElement;
  }

  private boolean bool(XmlElement element) throws KtlXmlException {
    return switch (element.text().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw context.error(element, name, "<" + element.name() + "> is '" + element.text() + "', expected True or False");
    };
  }
}
