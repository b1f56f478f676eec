package org.ktl4j.internal.protocol;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ktl4j.definition.Enumerator;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.type.KtlType;

/**
 * The JSON form of a {@link KeywordDefinition}: the value of field {@code <KEYWORD>} in the Redis hash
 * {@code ktl:{svc}:keywords}, read by clients in every language.
 *
 * <pre>{@code
 * {"name":"AZ","type":"double","units":"deg","help":"brief","help_verbose":"long",
 *  "min":0,"max":360,"enumerators":{"0":"Open","1":"Closed"},"mask_none":"none",
 *  "readonly":false,"format":"%.2f","length":3,"elements":["x","y","z"],"initial":"0.0",
 *  "use_cache":true,"allow_nonfinite":false,"broadcasts":true}
 * }</pre>
 *
 * <table>
 *   <caption>Fields</caption>
 *   <tr><th>Field</th><th>JSON type</th><th>Written</th><th>Default when absent</th></tr>
 *   <tr><td>{@code name}</td><td>string</td><td>always</td><td>the hash field; must match it (case-insensitive) if present</td></tr>
 *   <tr><td>{@code type}</td><td>string, a KTL type name ({@code "double array"})</td><td>always</td><td>required</td></tr>
 *   <tr><td>{@code units}, {@code help}, {@code help_verbose}</td><td>string</td><td>always</td><td>{@code ""}</td></tr>
 *   <tr><td>{@code min}, {@code max}</td><td>number, exact decimal without exponent ({@code -9223372036854775808})</td><td>if set</td><td>no bound</td></tr>
 *   <tr><td>{@code enumerators}</td><td>object: decimal value (mask: bit number) → label, by value</td><td>if any</td><td>none</td></tr>
 *   <tr><td>{@code mask_none}</td><td>string</td><td>for masks</td><td>{@code "none"}</td></tr>
 *   <tr><td>{@code readonly}</td><td>boolean</td><td>always</td><td>{@code false}</td></tr>
 *   <tr><td>{@code format}</td><td>string, printf</td><td>if set</td><td>none</td></tr>
 *   <tr><td>{@code length}</td><td>integer ≥ 1</td><td>if set</td><td>variable length (arrays)</td></tr>
 *   <tr><td>{@code elements}</td><td>array of strings</td><td>if any</td><td>none</td></tr>
 *   <tr><td>{@code initial}</td><td>string, ascii value</td><td>if set</td><td>none</td></tr>
 *   <tr><td>{@code use_cache}</td><td>boolean</td><td>always</td><td>{@code false}</td></tr>
 *   <tr><td>{@code allow_nonfinite}</td><td>boolean</td><td>always</td><td>{@code false}</td></tr>
 *   <tr><td>{@code broadcasts}</td><td>boolean</td><td>always</td><td>{@code true}</td></tr>
 * </table>
 *
 * <p>Readers ignore unknown fields (forward compatibility) and treat {@code null} as absent. Writers
 * emit the fields in the order above, without whitespace.
 *
 * <p>Stateless and thread-safe; one JSON parse or write per call.
 */
public final class DefinitionJson {
  private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);

  private DefinitionJson() {}

  /** The JSON form of a definition. */
  public static String toJson(KeywordDefinition d) {
    StringWriter text = new StringWriter(256);
    try (JsonWriter out = new JsonWriter(text)) {
      out.beginObject();
      out.name("name").value(d.name());
      out.name("type").value(d.type().ktlName());
      out.name("units").value(d.units());
      out.name("help").value(d.help());
      out.name("help_verbose").value(d.longHelp());
      if (d.minimum().isPresent()) {
        out.name("min").jsonValue(d.minimum().get().toPlainString());
      }
      if (d.maximum().isPresent()) {
        out.name("max").jsonValue(d.maximum().get().toPlainString());
      }
      if (!d.enumerators().isEmpty()) {
        out.name("enumerators").beginObject();
        for (Enumerator e : d.enumerators()) {
          out.name(Long.toString(e.value())).value(e.label());
        }
        out.endObject();
      }
      if (d.type() == KtlType.MASK) {
        out.name("mask_none").value(d.noneLabel());
      }
      out.name("readonly").value(d.readonly());
      if (d.format().isPresent()) {
        out.name("format").value(d.format().get());
      }
      if (d.length().isPresent()) {
        out.name("length").value(d.length().getAsInt());
      }
      if (!d.elementLabels().isEmpty()) {
        out.name("elements").beginArray();
        for (String label : d.elementLabels()) {
          out.value(label);
        }
        out.endArray();
      }
      if (d.initialValue().isPresent()) {
        out.name("initial").value(d.initialValue().get());
      }
      out.name("use_cache").value(d.useCache());
      out.name("allow_nonfinite").value(d.allowNonFinite());
      out.name("broadcasts").value(d.broadcasts());
      out.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.toString();
  }

  /**
   * Reads a definition.
   *
   * @param name the keyword name (the hash field)
   * @throws IllegalArgumentException naming the keyword and the problem: not a JSON object, a field
   *     of the wrong JSON type, an unknown type, or an inconsistent definition
   */
  public static KeywordDefinition fromJson(String name, String json) {
    JsonObject o = parse(name, json);
    Fields f = new Fields(name, o);
    String typeName = f.string("type", null);
    if (typeName == null) {
      throw problem(name, "field 'type' is missing");
    }
    KtlType type = KtlType.fromKtlName(typeName)
        .orElseThrow(() -> problem(name, "unknown type '" + typeName + "'"));
    String storedName = f.string("name", null);
    if (storedName != null && !Names.toUpperAscii(storedName).equals(Names.toUpperAscii(name))) {
      throw problem(name, "definition is for keyword '" + storedName + "'");
    }
    KeywordDefinition.Builder b = KeywordDefinition.builder(name, type)
        .units(f.string("units", ""))
        .help(f.string("help", ""))
        .longHelp(f.string("help_verbose", ""))
        .minimum(f.decimal("min"))
        .maximum(f.decimal("max"))
        .noneLabel(f.string("mask_none", KeywordDefinition.DEFAULT_NONE_LABEL))
        .readonly(f.bool("readonly", false))
        .format(f.string("format", null))
        .elementLabels(f.strings("elements"))
        .initialValue(f.string("initial", null))
        .useCache(f.bool("use_cache", false))
        .allowNonFinite(f.bool("allow_nonfinite", false))
        .broadcasts(f.bool("broadcasts", true));
    BigDecimal length = f.decimal("length");
    if (length != null) {
      try {
        b.length(length.intValueExact());
      } catch (ArithmeticException e) {
        throw problem(name, "field 'length' is not an integer: " + length.toPlainString());
      }
    }
    for (Map.Entry<String, String> e : f.labels("enumerators")) {
      long value;
      try {
        value = Long.parseLong(e.getKey().strip());
      } catch (NumberFormatException ex) {
        throw problem(name, "enumerator key '" + e.getKey() + "' is not an integer");
      }
      try {
        b.enumerator(value, e.getValue());
      } catch (IllegalArgumentException ex) {
        throw problem(name, ex.getMessage());
      }
    }
    return b.build();
  }

  private static JsonObject parse(String name, String json) {
    if (json == null) {
      throw problem(name, "no definition (null)");
    }
    JsonReader reader = new JsonReader(new StringReader(json));
    reader.setStrictness(Strictness.STRICT);
    JsonElement element;
    try {
      element = ELEMENTS.read(reader);
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw problem(name, "definition is not valid JSON: " + gsonReason(e));
    }
    if (!endOfDocument(reader)) {
      throw problem(name, "text after the JSON object");
    }
    if (!element.isJsonObject()) {
      throw problem(name, "definition is not a JSON object");
    }
    return element.getAsJsonObject();
  }

  private static boolean endOfDocument(JsonReader reader) {
    try {
      return reader.peek() == JsonToken.END_DOCUMENT;
    } catch (IOException | JsonParseException e) {
      return false;
    }
  }

  /** Gson's message without its troubleshooting advice. */
  private static String gsonReason(Exception e) {
    String message = String.valueOf(e.getMessage());
    int advice = message.indexOf("\nSee https://");
    return (advice < 0 ? message : message.substring(0, advice))
        .replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
  }

  static IllegalArgumentException problem(String keyword, String problem) {
    return new IllegalArgumentException("keyword " + keyword + ": " + problem);
  }

  /** Typed access to the fields of one definition object, refusing wrong JSON types by name. */
  private record Fields(String keyword, JsonObject object) {
    private JsonElement get(String field) {
      JsonElement e = object.get(field);
      return e == null || e.isJsonNull() ? null : e;
    }

    String string(String field, String absent) {
      JsonElement e = get(field);
      if (e == null) {
        return absent;
      }
      if (!(e instanceof JsonPrimitive p && p.isString())) {
        throw wrong(field, "a string");
      }
      return p.getAsString();
    }

    boolean bool(String field, boolean absent) {
      JsonElement e = get(field);
      if (e == null) {
        return absent;
      }
      if (!(e instanceof JsonPrimitive p && p.isBoolean())) {
        throw wrong(field, "true or false");
      }
      return p.getAsBoolean();
    }

    /** A number, or a string holding one (for writers that quote big integers). */
    BigDecimal decimal(String field) {
      JsonElement e = get(field);
      if (e == null) {
        return null;
      }
      if (!(e instanceof JsonPrimitive p) || p.isBoolean()) {
        throw wrong(field, "a number");
      }
      try {
        return new BigDecimal(p.getAsString().strip());
      } catch (NumberFormatException ex) {
        throw wrong(field, "a number");
      }
    }

    List<String> strings(String field) {
      JsonElement e = get(field);
      if (e == null) {
        return List.of();
      }
      if (!(e instanceof JsonArray array)) {
        throw wrong(field, "an array of strings");
      }
      List<String> values = new ArrayList<>(array.size());
      for (JsonElement item : array) {
        if (!(item instanceof JsonPrimitive p && p.isString())) {
          throw wrong(field, "an array of strings");
        }
        values.add(p.getAsString());
      }
      return values;
    }

    List<Map.Entry<String, String>> labels(String field) {
      JsonElement e = get(field);
      if (e == null) {
        return List.of();
      }
      if (!(e instanceof JsonObject labels)) {
        throw wrong(field, "an object of value → label");
      }
      List<Map.Entry<String, String>> entries = new ArrayList<>();
      for (Map.Entry<String, JsonElement> entry : labels.entrySet()) {
        if (!(entry.getValue() instanceof JsonPrimitive p && p.isString())) {
          throw wrong(field + "." + entry.getKey(), "a string");
        }
        entries.add(Map.entry(entry.getKey(), p.getAsString()));
      }
      return entries;
    }

    private IllegalArgumentException wrong(String field, String expected) {
      return problem(keyword, "field '" + field + "' must be " + expected);
    }
  }
}
