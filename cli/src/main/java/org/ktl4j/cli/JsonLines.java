package org.ktl4j.cli;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.ktl4j.client.DispatcherInfo;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.definition.Enumerator;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.StoredValue;
import org.ktl4j.type.KtlType;

/**
 * The {@code --json} output of {@code show}, {@code describe}, {@code list} and {@code monitor}: JSON Lines, one
 * object per line, written with gson's streaming {@link JsonWriter} (the writer {@code common} uses for the
 * protocol). The schema is in the guide, section 5; the field writers for a value, a definition and a lease are
 * here once, so that the four commands name the same thing the same way.
 *
 * <p>Every line is pure ASCII: gson escapes quotes, backslashes and control characters, and {@link #line} then
 * writes every character from DEL (U+007F) up as {@code \}{@code uXXXX} (a character outside the BMP as its two
 * surrogates, as JSON says). So a line is one line whatever a value holds, is safe on a terminal, and reads the
 * same whatever the platform's output encoding. Non-finite floats (which JSON numbers cannot hold) are written as
 * the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 *
 * <p>Stateless; thread-safe.
 */
final class JsonLines {
  /** Writes the fields of one object (the braces are written around them). */
  @FunctionalInterface
  interface Fields {
    void write(JsonWriter w) throws IOException;
  }

  private JsonLines() {}

  /** Prints one object as one line and flushes. */
  static void print(PrintWriter out, Fields fields) {
    out.println(line(fields));
    out.flush();
  }

  /** One object as one line of ASCII (without the line separator). */
  static String line(Fields fields) {
    StringWriter text = new StringWriter();
    try (JsonWriter w = new JsonWriter(text)) {
      w.setHtmlSafe(false);
      w.setSerializeNulls(true); // null is part of the schema: "never set", "no lease"
      w.beginObject();
      fields.write(w);
      w.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return asciiOnly(text.toString());
  }

  /** Escapes every character from DEL up; the JSON structure itself is ASCII, so this only touches strings. */
  static String asciiOnly(String json) {
    StringBuilder b = null;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c < 0x7f) {
        if (b != null) {
          b.append(c);
        }
        continue;
      }
      if (b == null) {
        b = new StringBuilder(json.length() + 16).append(json, 0, i);
      }
      b.append(String.format("\\u%04x", (int) c));
    }
    return b == null ? json : b.toString();
  }

  /**
   * The value fields: {@code ascii}, {@code binary}, {@code seq}, {@code ts}, {@code origin}; all null for a
   * keyword never set.
   */
  static void value(JsonWriter w, Optional<KeywordValue> value) throws IOException {
    KeywordValue v = value.orElse(null);
    w.name("ascii").value(v == null ? null : v.ascii());
    w.name("binary");
    if (v == null) {
      w.nullValue();
    } else {
      binary(w, v.binary());
    }
    w.name("seq");
    if (v == null) {
      w.nullValue();
    } else {
      w.value(v.seq());
    }
    w.name("ts").value(v == null ? null : StoredValue.formatTimestamp(v.timestamp()));
    w.name("origin").value(v == null ? null : v.origin());
  }

  /** A binary value: a boolean, a number, a string, or an array of numbers. */
  static void binary(JsonWriter w, Object b) throws IOException {
    if (b instanceof Boolean x) {
      w.value(x);
    } else if (b instanceof Float x) {
      number(w, x.doubleValue(), Float.toString(x));
    } else if (b instanceof Double x) {
      number(w, x, Double.toString(x));
    } else if (b instanceof Number x) {
      w.value(x.longValue());
    } else if (b instanceof int[] a) {
      w.beginArray();
      for (int x : a) {
        w.value(x);
      }
      w.endArray();
    } else if (b instanceof long[] a) {
      w.beginArray();
      for (long x : a) {
        w.value(x);
      }
      w.endArray();
    } else if (b instanceof float[] a) {
      w.beginArray();
      for (float x : a) {
        number(w, x, Float.toString(x));
      }
      w.endArray();
    } else if (b instanceof double[] a) {
      w.beginArray();
      for (double x : a) {
        number(w, x, Double.toString(x));
      }
      w.endArray();
    } else {
      w.value(String.valueOf(b));
    }
  }

  /** A float or double as Java's toString text, which reads back as the same number ({@code 0.1f} is {@code 0.1}). */
  private static void number(JsonWriter w, double x, String text) throws IOException {
    if (Double.isFinite(x)) {
      w.jsonValue(text);
    } else {
      w.value(text); // "NaN", "Infinity", "-Infinity": JSON has no such numbers
    }
  }

  /**
   * Everything the definition holds, after {@code service} and {@code keyword}: see the guide, section 5. Fields
   * that do not apply to the keyword's type are empty lists or null, never absent.
   */
  static void definition(JsonWriter w, Keyword kw) throws IOException {
    KeywordDefinition d = kw.definition();
    w.name("service").value(kw.service().name());
    w.name("keyword").value(d.name());
    w.name("type").value(d.type().ktlName());
    w.name("units").value(d.units());
    w.name("min");
    decimal(w, d.minimum());
    w.name("max");
    decimal(w, d.maximum());
    boolean mask = d.type() == KtlType.MASK;
    w.name("enumerators").beginArray();
    for (Enumerator e : mask ? List.<Enumerator>of() : DescribeCommand.enumerators(d)) {
      w.beginObject().name("value").value(e.value()).name("label").value(e.label()).endObject();
    }
    w.endArray();
    w.name("bits").beginArray();
    for (Enumerator e : mask ? d.enumerators() : List.<Enumerator>of()) {
      w.beginObject().name("bit").value(e.value()).name("label").value(e.label()).endObject();
    }
    w.endArray();
    w.name("none").value(mask ? d.noneLabel() : null);
    w.name("length");
    if (d.length().isPresent()) {
      w.value(d.length().getAsInt());
    } else {
      w.nullValue();
    }
    w.name("elements").beginArray();
    for (String label : d.elementLabels()) {
      w.value(label);
    }
    w.endArray();
    w.name("format").value(d.format().orElse(null));
    w.name("readonly").value(d.readonly());
    w.name("initial").value(d.initialValue().orElse(null));
    w.name("help").value(d.help());
    w.name("longHelp").value(d.longHelp());
    w.name("useCache").value(d.useCache());
    w.name("broadcasts").value(d.broadcasts());
    w.name("allowNonFinite").value(d.allowNonFinite());
  }

  /** {@code {"host":…,"pid":…,"id":…,"version":…,"started":…}}, or null when no dispatcher holds the lease. */
  static void lease(JsonWriter w, Optional<DispatcherInfo> lease) throws IOException {
    if (lease.isEmpty()) {
      w.nullValue();
      return;
    }
    DispatcherInfo l = lease.get();
    w.beginObject().name("host").value(l.host()).name("pid").value(l.pid()).name("id").value(l.id())
        .name("version").value(l.version()).name("started").value(l.started()).endObject();
  }

  private static void decimal(JsonWriter w, Optional<BigDecimal> d) throws IOException {
    if (d.isPresent()) {
      w.value(d.get()); // BigDecimal: written as its exact text
    } else {
      w.nullValue();
    }
  }
}
