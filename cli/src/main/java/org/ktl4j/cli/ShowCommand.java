package org.ktl4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.NoSuchKeywordException;
import org.ktl4j.client.Service;
import org.ktl4j.definition.Enumerator;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.type.KtlType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ktl show}: reads keywords straight from Redis (no dispatcher needed) and prints them, as KTL's
 * {@code show}. Every keyword named that exists is shown; unknown names are reported together at the end (exit 1).
 * Not thread-safe: one instance runs once.
 */
@Command(name = "show", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Read keywords and print their values.",
        "Prints 'KW = value units', one per line, aligned. Reads Redis directly: no dispatcher is needed. Without "
            + "KEYWORD, every keyword of the service is shown (sorted by name).",
        "A keyword that has never been set prints 'KW is not set'. With --terse it prints an empty line (so that "
            + "line N of the output is always the N-th keyword), says 'svc.KW is not set' on stderr and makes the "
            + "exit code 1: an empty string prints the same empty line but exits 0.",
        "An unknown keyword does not stop the others: every keyword that exists is shown (with --terse, an unknown "
            + "one keeps its line, empty), then one line on stderr names the unknown ones and lists what exists, and "
            + "the exit code is 1. An unknown service is a usage error (exit 1) that lists the services.",
        "The dispatcher's status keyword (DISPSTA) keeps the last value stored after its dispatcher dies: when no "
            + "dispatcher holds the service's lease, it prints 'DISPSTA = ready (" + ShowCommand.NO_LEASE + ")' (with "
            + "--terse: the value, and a warning on stderr).",
        "Control characters, bidirectional overrides and backslashes in what Redis holds are printed escaped "
            + "(\\x1b, \\x9b, \\u202e, \\\\), so that a value cannot take over the terminal or span lines; "
            + "--raw prints it as stored."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  $ ktl show -s telescope AZ TRACKING",
        "  AZ       = 120.500 deg",
        "  TRACKING = on",
        "  $ ktl show -s telescope --terse --binary DOMESHUT TRACKING",
        "  1",
        "  true",
        "  $ ktl show -s telescope --timestamp AZ",
        "  AZ = 120.500 deg  (2026-11-22T01:23:45.123456Z, seq 42)",
        "  $ ktl show -s telescope          (every keyword)",
        "  $ ktl show -s telescope --terse OBJECT || echo 'OBJECT was never set'",
        "KTL's 'show -s SVC keywords' is not special: 'ktl list -s SVC' describes the keywords."})
final class ShowCommand extends KtlCommand {
  static final String NO_LEASE = "no dispatcher holds the lease";
  /** Said on stderr, with --terse, of a keyword never set (whose line is empty, as for an empty string). */
  static final String NOT_SET = "is not set (it has never been written): its line is empty";
  private static final List<Enumerator> STATUS_LABELS =
      List.of(new Enumerator(0, "starting"), new Enumerator(1, "ready"), new Enumerator(2, "stopping"));

  @Option(names = {"-s", "--service"}, order = 1, required = true, paramLabel = "NAME",
      description = "Service to read from.")
  String service;

  @Mixin
  RedisOption redis;

  @Option(names = {"--terse", "-terse"}, order = 4,
      description = "Print only the values, one per line (for scripts). A keyword never set prints an empty "
          + "line, as an empty string does, but is named on stderr and makes the exit code 1.")
  boolean terse;

  @Option(names = {"-b", "--binary", "-binary"}, order = 5,
      description = "Print the binary form: booleans true/false, enumerated and mask values as their number, "
          + "floats unformatted, arrays as numbers.")
  boolean binary;

  @Option(names = {"--timestamp", "-timestamp"}, order = 6,
      description = "Add when each value was stored (ISO-8601, UTC, microseconds) and its seq. With --terse each "
          + "line is 'TIMESTAMP SEQ VALUE'.")
  boolean timestamp;

  @Option(names = "--raw", order = 7,
      description = "Print values and units exactly as stored. By default control characters (C0, DEL, C1), "
          + "bidirectional overrides and backslashes are escaped (\\x1b, \\x9b, \\u202e, \\\\), so that a "
          + "value cannot send escape sequences to the terminal or span lines. Only for values you trust.")
  boolean raw;

  @Option(names = "--json", order = 8,
      description = "One JSON object per keyword, one per line (JSON Lines), with both forms, units, seq, ts and "
          + "origin; a keyword never set has null values (exit 0). Not with --terse. Schema: docs/guide.md, "
          + "section 5.")
  boolean json;

  @Parameters(paramLabel = "KEYWORD", arity = "0..*",
      description = "Keywords to show (any case). Default: all of them.")
  List<String> keywords = new ArrayList<>();

  @Override
  int run() {
    if (json && terse) {
      throw new IllegalArgumentException("--json and --terse cannot be used together: choose one output form");
    }
    try (ClientSession session = ClientSession.open(redis)) {
      Service svc = session.service(service);
      List<Keyword> chosen = new ArrayList<>(); // null where a name is unknown: it keeps its line with --terse
      List<String> unknown = new ArrayList<>();
      if (keywords.isEmpty()) {
        chosen.addAll(svc.keywords());
      } else {
        for (String k : keywords) {
          Keyword kw = session.reachable(() -> known(svc, k));
          if (kw == null) {
            unknown.add(k);
          }
          chosen.add(kw);
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      TerminalText text = TerminalText.of(raw);
      Columns table = new Columns(1, text);
      Boolean leaseHeld = null; // read once, and only if a status value is shown
      boolean unsetShownEmpty = false;
      for (Keyword kw : chosen) {
        if (kw == null) {
          if (terse) {
            out.println();
          }
          continue;
        }
        Optional<KeywordValue> v = session.reachable(kw::read);
        boolean orphaned = false;
        if (v.isPresent() && isDispatcherStatus(kw)) {
          if (leaseHeld == null) {
            leaseHeld = session.reachable(svc::isDispatcherAlive);
          }
          orphaned = !leaseHeld;
        }
        if (json) {
          json(out, kw, v, isDispatcherStatus(kw) && v.isPresent() ? leaseHeld : null);
        } else if (terse) {
          out.println(text.render(v.map(this::terseLine).orElse("")));
          // stdout stays one value per line; notes go where people, not parsers, look
          if (v.isEmpty()) {
            unsetShownEmpty = true;
            err.println("ktl: " + kw.fullName() + " " + NOT_SET);
          } else if (orphaned) {
            err.println("ktl: warning: " + kw.fullName() + " is the last status stored: " + NO_LEASE);
          }
          err.flush();
        } else {
          String note = orphaned ? " (" + NO_LEASE + ")" : "";
          table.row(kw.name(), v.map(x -> "= " + valueText(kw, x) + note).orElse("is not set"));
        }
      }
      table.print(out);
      out.flush();
      if (!unknown.isEmpty()) {
        throw new NoSuchKeywordException(unknownMessage(svc, unknown));
      }
      return unsetShownEmpty ? ExitCodes.NOT_SET : ExitCodes.OK;
    }
  }

  /** The keyword of that name, or null if the service has none (the definitions are re-read once first). */
  static Keyword known(Service svc, String name) {
    try {
      return svc.keyword(name);
    } catch (NoSuchKeywordException | IllegalArgumentException e) { // unknown, or not even a keyword name
      return null;
    }
  }

  /** {@code service telescope has no keyword 'AZZ' (did you mean AZ?); it has: AZ, EL}: one line for all. */
  static String unknownMessage(Service svc, List<String> unknown) {
    List<String> names = svc.keywords().stream().map(Keyword::name).toList();
    StringBuilder m = new StringBuilder("service ").append(svc.name()).append(" has no keyword");
    for (int i = 0; i < unknown.size(); i++) {
      String typed = unknown.get(i);
      m.append(i == 0 ? " '" : i == unknown.size() - 1 ? " or '" : ", '").append(Names.printable(typed)).append('\'');
      Spelling.closest(typed, names).ifPresent(n -> m.append(" (did you mean ").append(n).append("?)"));
    }
    return m.append("; it has: ").append(String.join(", ", names)).toString();
  }

  /**
   * Whether a keyword is a dispatcher's built-in status keyword ({@code DISPSTA} unless renamed), told by its
   * definition rather than its name: read-only, enumerated, starting with {@code starting}(0), {@code ready}(1),
   * {@code stopping}(2). Its stored value outlives a dispatcher that dies, so {@code show} adds whether a
   * dispatcher holds the lease.
   */
  static boolean isDispatcherStatus(Keyword kw) {
    KeywordDefinition d = kw.definition();
    List<Enumerator> e = d.enumerators();
    return d.type() == KtlType.ENUMERATED && d.readonly() && e.size() >= STATUS_LABELS.size()
        && e.subList(0, STATUS_LABELS.size()).equals(STATUS_LABELS); // later versions may add states
  }

  /**
   * One keyword as a JSON line; {@code leaseHeld} is non-null only for a dispatcher status keyword that holds a
   * value, whose stored value is stale when no dispatcher holds the lease.
   */
  private static void json(PrintWriter out, Keyword kw, Optional<KeywordValue> v, Boolean leaseHeld) {
    JsonLines.print(out, w -> {
      w.name("service").value(kw.service().name());
      w.name("keyword").value(kw.name());
      JsonLines.value(w, v);
      w.name("units").value(kw.units());
      if (leaseHeld != null) {
        w.name("leaseHeld").value(leaseHeld.booleanValue());
      }
    });
  }

  private String terseLine(KeywordValue v) {
    String value = ValueFormat.value(v, binary);
    return timestamp ? ValueFormat.timestamp(v.timestamp()) + " " + v.seq() + " " + value : value;
  }

  private String valueText(Keyword kw, KeywordValue v) {
    String text = ValueFormat.withUnits(ValueFormat.value(v, binary), kw.units());
    return timestamp ? text + "  (" + ValueFormat.timestamp(v.timestamp()) + ", seq " + v.seq() + ")" : text;
  }
}
