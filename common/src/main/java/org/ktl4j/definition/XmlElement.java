package org.ktl4j.definition;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A read-only element tree with line numbers, built with StAX (the JDK's DOM does not keep lines).
 * Only what KTL XML needs: local names, attributes, direct text, child elements.
 */
final class XmlElement {
  private final String name;
  private final int line;
  private final Map<String, String> attributes;
  private final List<XmlElement> children = new ArrayList<>();
  private final StringBuilder text = new StringBuilder();

  private XmlElement(String name, int line, Map<String, String> attributes) {
    this.name = name;
    this.line = line;
    this.attributes = attributes;
  }

  /**
   * Parses a document without DTDs or external entities (a bundle needs neither, and they are the
   * classic XML attack surface).
   *
   * @throws XMLStreamException for malformed XML, with its location
   */
  static XmlElement parse(InputStream in) throws XMLStreamException {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    trySetProperty(factory, XMLConstants.ACCESS_EXTERNAL_DTD, "");
    XMLStreamReader reader = factory.createXMLStreamReader(in);
    try {
      List<XmlElement> open = new ArrayList<>();
      XmlElement root = null;
      while (reader.hasNext()) {
        switch (reader.next()) {
          case XMLStreamConstants.START_ELEMENT -> {
            Map<String, String> attributes = new HashMap<>();
            for (int i = 0; i < reader.getAttributeCount(); i++) {
              attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
            }
            XmlElement element = new XmlElement(reader.getLocalName(), reader.getLocation().getLineNumber(), attributes);
            if (open.isEmpty()) {
              root = element;
            } else {
              open.get(open.size() - 1).children.add(element);
            }
            open.add(element);
          }
          case XMLStreamConstants.END_ELEMENT -> open.remove(open.size() - 1);
          case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
            if (!open.isEmpty()) {
              open.get(open.size() - 1).text.append(reader.getText());
            }
          }
          case XMLStreamConstants.ENTITY_REFERENCE ->
              throw new XMLStreamException("entity references are not supported: &" + reader.getLocalName() + ";",
                  reader.getLocation());
          default -> { }
        }
      }
      if (root == null) {
        throw new XMLStreamException("no root element", reader.getLocation());
      }
      return root;
    } finally {
      reader.close();
    }
  }

  private static void trySetProperty(XMLInputFactory factory, String property, Object value) {
    try {
      factory.setProperty(property, value);
    } catch (IllegalArgumentException e) {
      // not every StAX implementation knows every property; the two above are standard
    }
  }

  String name() {
    return name;
  }

  int line() {
    return line;
  }

  Optional<String> attribute(String attributeName) {
    return Optional.ofNullable(attributes.get(attributeName));
  }

  /** The element's own text, stripped. */
  String text() {
    return text.toString().strip();
  }

  List<XmlElement> children() {
    return children;
  }

  /** The children with this local name. */
  List<XmlElement> children(String childName) {
    return children.stream().filter(c -> c.name.equals(childName)).toList();
  }

  /** The first child with this local name. */
  Optional<XmlElement> child(String childName) {
    return children.stream().filter(c -> c.name.equals(childName)).findFirst();
  }
}
