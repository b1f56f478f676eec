package org.ktl4j.internal.protocol;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalLong;
import org.ktl4j.ErrorCode;

/**
 * JSON encoding and decoding of every protocol message (ktl protocol 1). Stateless and thread-safe; uses
 * Gson's streaming reader and writer, so a message costs one small buffer and its strings.
 *
 * <p>Decoding is tolerant where that costs nothing and safe: unknown fields are ignored (forward
 * compatibility), a numeric or boolean {@code value} or {@code id} is taken as its JSON text. It is strict
 * where it matters: a request must be one JSON object with string {@code keyword} and non-empty {@code id}.
 */
public final class ProtocolJson {
  private static final String BAD_REPLY_REASON = "field 'reply' is not a reply channel of service ";

  private ProtocolJson() {}

  /** Encodes a MODIFY request; {@code reply} and {@code client} are omitted when empty. */
  public static String encode(ModifyRequest r) {
    return write(w -> {
      w.beginObject();
      w.name("id").value(r.id());
      w.name("keyword").value(r.keyword());
      w.name("value").value(r.value());
      if (r.reply().isPresent()) {
        w.name("reply").value(r.reply().get());
      }
      if (r.client().isPresent()) {
        w.name("client").value(r.client().get());
      }
      if (r.deadline().isPresent()) {
        w.name("deadline").value(StoredValue.formatMicros(r.deadline().getAsLong()));
      }
      if (r.ackDeadline().isPresent()) {
        w.name("ack_deadline").value(StoredValue.formatMicros(r.ackDeadline().getAsLong()));
      }
      w.endObject();
    });
  }

  /** Encodes a reply. */
  public static String encode(Reply reply) {
    return write(w -> {
      w.beginObject();
      w.name("id").value(reply.id());
      w.name("keyword").value(reply.keyword());
      if (reply instanceof Reply.Ack) {
        w.name("stage").value("ack");
      } else if (reply instanceof Reply.Stored s) {
        w.name("stage").value("done");
        w.name("ok").value(true);
        w.name("ascii").value(s.ascii());
        w.name("seq").value(s.seq());
      } else if (reply instanceof Reply.Failed f) {
        w.name("stage").value("done");
        w.name("ok").value(false);
        w.name("code").value(f.code().name());
        w.name("error").value(f.error());
      }
      w.endObject();
    });
  }

  /**
   * The JSON of a successful {@code done} up to and including {@code "seq":}; appending the decimal sequence
   * number and {@code }} completes it. Lets the store script publish {@code done} with the sequence number it
   * assigned, in the same atomic step.
   */
  public static String storedPrefix(String id, String keyword, String ascii) {
    String full = encode(new Reply.Stored(id, keyword, ascii, 0));
    return full.substring(0, full.length() - 2); // drop "0}"
  }

  /** Encodes a lease. */
  public static String encode(DispatcherLease l) {
    return write(w -> {
      w.beginObject();
      w.name("id").value(l.id());
      w.name("host").value(l.host());
      w.name("pid").value(l.pid());
      w.name("version").value(l.version());
      w.name("started").value(l.started());
      w.endObject();
    });
  }

  /**
   * Decodes a message from the modify channel of {@code keys}' service. Never throws: anything that is not a valid
   * request becomes a {@link BadRequest} carrying whatever id and keyword could be read, and the reply channel only
   * if it is a valid reply channel of this service ({@link Keys#isReplyChannel}). The outcome never depends on the
   * order of the fields: the whole object is read, a wrong-typed or repeated field is a problem like any other, and
   * only a message that is not well-formed JSON loses its reply channel (none of its fields can be trusted).
   * Fields are checked as protocol section 4.1 says; the caller checks the message's size first
   * ({@link ModifyRequest#MAX_MESSAGE_BYTES}) and the value's against its own limit.
   */
  public static ModifyMessage decodeModify(String json, Keys keys) {
    if (json == null || json.isEmpty()) {
      return BadRequest.malformed("empty message");
    }
    RequestFields f = new RequestFields();
    try (JsonReader r = strict(json)) {
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        return BadRequest.malformed("not a JSON object");
      }
      r.beginObject();
      while (r.hasNext()) {
        f.read(r.nextName(), r);
      }
      r.endObject();
      if (r.peek() != JsonToken.END_DOCUMENT) {
        return BadRequest.malformed("trailing data after the JSON object");
      }
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      return BadRequest.malformed("malformed JSON: " + Names.printable(shortMessage(e)));
    }
    return f.decide(keys);
  }

  /** The fields of one request as read, with the first problem found; decided once the whole object is read. */
  private static final class RequestFields {
    String id;
    String keyword;
    String value;
    String reply;
    String client;
    String deadline;
    String ackDeadline;
    String problem;
    int seen; // bit per known field, to refuse repeats
    boolean replyUnusable; // a reply given twice, or not as a string: answered nowhere, whatever the order

    void read(String name, JsonReader r) throws IOException {
      int bit = switch (name) {
        case "id" -> 1;
        case "keyword" -> 2;
        case "value" -> 4;
        case "reply" -> 8;
        case "client" -> 16;
        case "deadline" -> 32;
        case "ack_deadline" -> 64;
        default -> 0;
      };
      if (bit == 0) {
        r.skipValue(); // unknown fields are ignored: forward compatibility
        return;
      }
      if ((seen & bit) != 0) {
        problem("field '" + name + "' given more than once");
        replyUnusable |= bit == 8; // which of two replies to trust would depend on their order: neither
        r.skipValue();
        return;
      }
      seen |= bit;
      JsonToken t = r.peek();
      if (t == JsonToken.BEGIN_OBJECT || t == JsonToken.BEGIN_ARRAY) {
        problem("field '" + name + "' must be a string, not " + (t == JsonToken.BEGIN_OBJECT ? "an object" : "an array"));
        replyUnusable |= bit == 8;
        r.skipValue();
        return;
      }
      String v = scalar(r);
      switch (bit) {
        case 1 -> id = v;
        case 2 -> keyword = v;
        case 4 -> value = v;
        case 8 -> reply = v;
        case 16 -> client = v;
        case 32 -> deadline = v;
        default -> ackDeadline = v;
      }
    }

    void problem(String p) {
      if (problem == null) {
        problem = p;
      }
    }

    ModifyMessage decide(Keys keys) {
      Optional<String> oreply = Optional.empty();
      boolean badReply = replyUnusable;
      if (reply != null && !reply.isEmpty() && !replyUnusable) {
        if (keys.isReplyChannel(reply)) {
          oreply = Optional.of(reply);
        } else {
          badReply = true;
          problem(BAD_REPLY_REASON + keys.service() + " (ktl:{" + keys.service()
              + "}:reply: and " + Keys.MIN_REPLY_TOKEN + " to " + Keys.MAX_REPLY_TOKEN + " characters of [A-Za-z0-9_-])");
        }
      }
      Optional<String> oid = Optional.empty();
      if (id == null || id.isEmpty()) {
        problem("missing field 'id'");
      } else {
        String p = ModifyRequest.idProblem(id);
        if (p == null) {
          oid = Optional.of(id);
        } else {
          problem(p);
        }
      }
      Optional<String> okw = Optional.empty();
      if (keyword == null || keyword.isEmpty()) {
        problem("missing field 'keyword'");
      } else if (keyword.length() > Names.MAX_LENGTH || !Names.isValidKeyword(Names.toUpperAscii(keyword))) {
        problem("field 'keyword' is not a keyword name ([A-Za-z][A-Za-z0-9_]{0,63}): '" + Names.printable(keyword) + "'");
      } else {
        okw = Optional.of(keyword);
      }
      if (value == null) {
        problem("missing field 'value'");
      }
      if (client != null) {
        String p = ModifyRequest.clientProblem(client);
        if (p != null) {
          problem(p);
        }
      }
      OptionalLong deadlineMicros = timestamp("deadline", deadline);
      OptionalLong ackDeadlineMicros = timestamp("ack_deadline", ackDeadline);
      if (problem != null) {
        return new BadRequest(problem, oid, okw, oreply,
            badReply ? BadRequest.Problem.BAD_REPLY : BadRequest.Problem.BAD_FIELD);
      }
      return new ModifyMessage.Valid(new ModifyRequest(id, keyword, value, oreply, nonEmpty(client), deadlineMicros,
          ackDeadlineMicros));
    }

    private OptionalLong timestamp(String name, String ts) {
      if (ts == null) {
        return OptionalLong.empty();
      }
      long micros = StoredValue.parseMicrosStrict(ts);
      if (micros < 0) {
        problem("field '" + name + "' is not a timestamp of the form 1732236366.123456: '" + Names.printable(ts) + "'");
        return OptionalLong.empty();
      }
      return OptionalLong.of(micros);
    }
  }

  /**
   * Decodes a reply.
   *
   * @throws IllegalArgumentException if it is not a valid reply
   */
  public static Reply decodeReply(String json) {
    String id = null;
    String keyword = null;
    String stage = null;
    Boolean ok = null;
    String ascii = null;
    Long seq = null;
    String code = null;
    String error = null;
    try (JsonReader r = strict(json)) {
      r.beginObject();
      while (r.hasNext()) {
        switch (r.nextName()) {
          case "id" -> id = scalar(r);
          case "keyword" -> keyword = scalar(r);
          case "stage" -> stage = scalar(r);
          case "ok" -> ok = r.peek() == JsonToken.NULL ? null : r.nextBoolean();
          case "ascii" -> ascii = scalar(r);
          case "seq" -> seq = r.nextLong();
          case "code" -> code = scalar(r);
          case "error" -> error = scalar(r);
          default -> r.skipValue();
        }
      }
      r.endObject();
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new IllegalArgumentException("malformed reply: " + Names.printable(shortMessage(e)) + ": "
          + Names.printable(json), e);
    }
    if (id == null || stage == null) {
      throw new IllegalArgumentException("reply without id or stage: " + Names.printable(json));
    }
    String kw = keyword == null ? "" : keyword;
    if (stage.equals("ack")) {
      return new Reply.Ack(id, kw);
    }
    if (!stage.equals("done")) {
      throw new IllegalArgumentException("reply with unknown stage '" + stage + "': " + Names.printable(json));
    }
    if (Boolean.TRUE.equals(ok)) {
      return new Reply.Stored(id, kw, ascii == null ? "" : ascii, seq == null ? -1 : seq);
    }
    return new Reply.Failed(id, kw, ErrorCode.fromWire(code), error == null ? "(no reason given)" : error);
  }

  static DispatcherLease decodeLease(String json) {
    String id = "";
    String host = "";
    long pid = -1;
    String version = "";
    String started = "";
    try (JsonReader r = new JsonReader(new StringReader(json))) {
      r.beginObject();
      while (r.hasNext()) {
        switch (r.nextName()) {
          case "id" -> id = scalar(r);
          case "host" -> host = scalar(r);
          case "pid" -> pid = r.nextLong();
          case "version" -> version = scalar(r);
          case "started" -> started = scalar(r);
          default -> r.skipValue();
        }
      }
      r.endObject();
    } catch (IOException | IllegalStateException | NumberFormatException e) {
      throw new IllegalArgumentException("malformed dispatcher lease: " + Names.printable(json), e);
    }
    return new DispatcherLease(id, host, pid, version, started);
  }

  /**
   * A reader in Gson's strict mode (RFC 8259): raw control characters in strings, single quotes, {@code \'} and
   * comments are malformed, as they are for a peer's standard JSON parser, so that every implementation agrees on
   * which messages are well-formed (protocol section 4.1).
   */
  private static JsonReader strict(String json) {
    JsonReader r = new JsonReader(new StringReader(json));
    r.setStrictness(Strictness.STRICT);
    return r;
  }

  private static String scalar(JsonReader r) throws IOException {
    JsonToken t = r.peek();
    switch (t) {
      case STRING:
      case NUMBER:
        return r.nextString();
      case BOOLEAN:
        return Boolean.toString(r.nextBoolean());
      case NULL:
        r.nextNull();
        return null;
      default:
        throw new IllegalStateException("expected a string but found " + t);
    }
  }

  private static Optional<String> nonEmpty(String s) {
    return s == null || s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  private static String shortMessage(Exception e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    int cut = m.indexOf("\nSee ");
    m = cut > 0 ? m.substring(0, cut) : m;
    return m.length() > 120 ? m.substring(0, 120) + "…" : m;
  }

  private interface Body {
    void write(JsonWriter w) throws IOException;
  }

  private static String write(Body body) {
    StringWriter out = new StringWriter(128);
    try (JsonWriter w = new JsonWriter(out)) {
      w.setHtmlSafe(false);
      body.write(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
