package org.ktl4j.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.ktl4j.client.DispatcherInfo;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.NoSuchKeywordException;
import org.ktl4j.client.Service;
import org.ktl4j.definition.Enumerator;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.StoredValue;
import org.ktl4j.type.KtlType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ktl describe}: everything known about keywords, one block each: the whole definition, the current value
 * with its seq, time and origin, and who holds the service's lease (KTL's {@code show -help} and EPICS
 * {@code cainfo} in one). Reads Redis only. Not thread-safe: one instance runs once.
 */
@Command(name = "describe", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Print everything known about keywords: definition, current value and dispatcher.",
        "One block per keyword, a blank line between blocks: type, units, range, enumerators (number=label), mask "
            + "bits (bit number=label, as the bundle numbers them, and the label of 0), array length and element "
            + "labels, format, access, initial value, brief and verbose help; then the current value (ascii, and "
            + "binary where it differs), its seq, when it was stored (UTC and the protocol's ts) and by whom; and "
            + "whether a dispatcher holds the service's lease (host, pid, since). Lines that do not apply to the "
            + "keyword's type are left out. Without KEYWORD, every keyword of the service (sorted by name).",
        "An unknown keyword does not stop the others: every keyword that exists is described, then one line on "
            + "stderr names the unknown ones and the exit code is 1.",
        "--json prints one JSON object per keyword per line instead (schema: docs/guide.md, section 5).",
        "Control characters, bidirectional overrides and backslashes in what Redis holds are printed escaped "
            + "(\\x1b, \\x9b, \\u202e, \\\\); --raw prints them as stored."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  $ ktl describe -s telescope AZ",
        "  AZ",
        "    type        double",
        "    units       deg",
        "    range       0 .. 360",
        "    format      %.3f",
        "    access      read-only",
        "    initial     120.5",
        "    help        Actual azimuth",
        "    value       120.500 deg  (binary 120.5)",
        "    seq         42",
        "    stored      2026-11-22T01:23:45.123456Z  (ts 1795310625.123456)",
        "    origin      dispatcher",
        "    dispatcher  host obs1 pid 4711 since 2026-11-22T01:00:00Z",
        "  $ ktl describe -s telescope --json | jq -r 'select(.readonly) | .keyword'"})
final class DescribeCommand extends KtlCommand {

  @Option(names = {"-s", "--service"}, order = 1, required = true, paramLabel = "NAME",
      description = "Service whose keywords to describe.")
  String service;

  @Mixin
  RedisOption redis;

  @Option(names = "--json", order = 4,
      description = "One JSON object per keyword, one per line (JSON Lines; schema in docs/guide.md section 5).")
  boolean json;

  @Option(names = "--raw", order = 5,
      description = "Print text from Redis exactly as stored. By default control characters (C0, DEL, C1), "
          + "bidirectional overrides and backslashes are escaped (\\x1b, \\x9b, \\u202e, \\\\). Only for text "
          + "you trust. (--json output is always escaped, as JSON.)")
  boolean raw;

  @Parameters(paramLabel = "KEYWORD", arity = "0..*",
      description = "Keywords to describe (any case). Default: all of them.")
  List<String> keywords = new ArrayList<>();

  @Override
  int run() {
    try (ClientSession session = ClientSession.open(redis)) {
      Service svc = session.service(service);
      List<Keyword> chosen = new ArrayList<>();
      List<String> unknown = new ArrayList<>();
      if (keywords.isEmpty()) {
        chosen.addAll(svc.keywords());
      } else {
        for (String k : keywords) {
          Keyword kw = session.reachable(() -> ShowCommand.known(svc, k));
          if (kw == null) {
            unknown.add(k);
          } else {
            chosen.add(kw);
          }
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      Optional<DispatcherInfo> lease = chosen.isEmpty() ? Optional.empty() : session.reachable(svc::dispatcher);
      TerminalText text = TerminalText.of(raw);
      boolean first = true;
      for (Keyword kw : chosen) {
        Optional<KeywordValue> v = session.reachable(kw::read);
        if (json) {
          JsonLines.print(out, w -> {
            JsonLines.definition(w, kw);
            w.name("value");
            if (v.isEmpty()) {
              w.nullValue();
            } else {
              w.beginObject();
              JsonLines.value(w, v);
              w.endObject();
            }
            w.name("dispatcher");
            JsonLines.lease(w, lease);
          });
        } else {
          if (!first) {
            out.println();
          }
          first = false;
          block(kw, v, lease, text, out);
        }
      }
      out.flush();
      if (!unknown.isEmpty()) {
        throw new NoSuchKeywordException(ShowCommand.unknownMessage(svc, unknown));
      }
      return ExitCodes.OK;
    }
  }

  /** The keyword's name, then one indented {@code label  value} line per fact. */
  private static void block(Keyword kw, Optional<KeywordValue> value, Optional<DispatcherInfo> lease,
      TerminalText text, PrintWriter out) {
    KeywordDefinition d = kw.definition();
    out.println(text.render(d.name()));
    Columns lines = new Columns(text);
    lines.row("  type", d.type().ktlName());
    if (!d.units().isEmpty()) {
      lines.row("  units", d.units());
    }
    if (d.minimum().isPresent() || d.maximum().isPresent()) {
      lines.row("  range", d.minimum().map(BigDecimal::toPlainString).orElse("-inf") + " .. "
          + d.maximum().map(BigDecimal::toPlainString).orElse("+inf"));
    }
    if (d.type() == KtlType.MASK) {
      lines.row("  bits", d.enumerators().isEmpty() ? "(none named)" : d.enumerators().stream()
          .map(e -> "bit " + e.value() + "=" + e.label()).collect(Collectors.joining(", ")));
      lines.row("  none", d.noneLabel() + "  (the label of 0, no bit set)");
    } else if (!enumerators(d).isEmpty()) {
      lines.row("  values", enumerators(d).stream().map(e -> e.value() + "=" + e.label())
          .collect(Collectors.joining(", ")));
    }
    if (d.type().isArray()) {
      lines.row("  length", d.length().isPresent() ? Integer.toString(d.length().getAsInt()) : "variable");
      if (!d.elementLabels().isEmpty()) {
        List<String> labels = d.elementLabels();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
          b.append(i == 0 ? "" : ", ").append(i).append('=').append(labels.get(i));
        }
        lines.row("  elements", b.toString());
      }
    }
    d.format().ifPresent(f -> lines.row("  format", f));
    lines.row("  access", d.readonly() ? "read-only" : "read-write");
    d.initialValue().ifPresent(i -> lines.row("  initial", i));
    if (d.useCache()) {
      lines.row("  cache", "starts from the last stored value, not the initial one");
    }
    if (!d.broadcasts()) {
      lines.row("  broadcasts", "no (changes are not published to subscribers)");
    }
    if (d.allowNonFinite()) {
      lines.row("  non-finite", "allowed (NaN, Infinity)");
    }
    if (!d.help().isEmpty()) {
      lines.row("  help", d.help());
    }
    if (!d.longHelp().isEmpty()) {
      // verbose help may span lines: each is a row of its own, so that every line stays aligned and escaped;
      // blank lines are dropped, since a blank line separates blocks
      List<String> help = d.longHelp().strip().lines().filter(l -> !l.isBlank()).toList();
      for (int i = 0; i < help.size(); i++) {
        lines.row(i == 0 ? "  long help" : "", help.get(i).strip());
      }
    }
    if (value.isEmpty()) {
      lines.row("  value", "(not set: never written)");
    } else {
      KeywordValue v = value.get();
      String binary = ValueFormat.binary(v.binary());
      lines.row("  value", ValueFormat.withUnits(v.ascii(), d.units())
          + (binary.equals(v.ascii()) ? "" : "  (binary " + binary + ")"));
      lines.row("  seq", Long.toString(v.seq()));
      lines.row("  stored", ValueFormat.timestamp(v.timestamp()) + "  (ts " + StoredValue.formatTimestamp(v.timestamp())
          + ")");
      lines.row("  origin", v.origin() == null ? "" : v.origin());
    }
    lines.row("  dispatcher", lease.map(l -> "host " + l.host() + " pid " + l.pid() + " since "
        + ValueFormat.timestampSeconds(l.started())).orElse("none: no dispatcher holds the lease"));
    lines.print(out);
  }

  /**
   * The named values of an enumerated or boolean keyword; a boolean without labels has {@code 0=false},
   * {@code 1=true}. Empty for other types (a mask's enumerators are bits: see {@code bits}).
   */
  static List<Enumerator> enumerators(KeywordDefinition d) {
    if (d.type() == KtlType.MASK) {
      return List.of();
    }
    if (d.type() == KtlType.BOOLEAN && d.enumerators().isEmpty()) {
      return List.of(new Enumerator(0, "false"), new Enumerator(1, "true"));
    }
    return d.enumerators();
  }
}
