package org.ktl4j.cli;

import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.ktl4j.client.DispatcherInfo;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.Service;
import org.ktl4j.definition.Enumerator;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.type.KtlType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ktl list}: the services Redis knows, or the keywords of one service with their definitions, in aligned
 * columns. Reads Redis only. Not thread-safe: one instance runs once.
 */
@Command(name = "list", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "List services, or the keywords of one service.",
        "Without -s: every service Redis knows (sorted), its number of keywords and whether its dispatcher is "
            + "running (with its host, pid and start time, UTC).",
        "With -s: the service's keywords (sorted) with type, units, range (min..max), values (number=label, for "
            + "enumerated, boolean and mask keywords; for a mask the number is the bit's value), access (rw, or "
            + "ro for read-only) and brief help.",
        "Control characters, bidirectional overrides and backslashes in what Redis holds (help, units, labels, "
            + "hosts) are printed escaped (\\x1b, \\x9b, \\u202e, \\\\); --raw prints them as stored."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  $ ktl list",
        "  SERVICE    KEYWORDS  DISPATCHER",
        "  telescope  14        running: host obs1 pid 4711 since 2026-11-22T01:00:00Z",
        "  $ ktl list -s telescope",
        "  KEYWORD   TYPE        UNITS  RANGE   VALUES            ACCESS  HELP",
        "  AZ        double      deg    0..360                    ro      Actual azimuth",
        "  DOMESHUT  enumerated                 0=closed, 1=open  rw      Dome shutter"})
final class ListCommand extends KtlCommand {

  @Option(names = {"-s", "--service"}, order = 1, paramLabel = "NAME",
      description = "List this service's keywords instead of the services.")
  String service;

  @Mixin
  RedisOption redis;

  @Option(names = "--raw", order = 4,
      description = "Print help, units, labels and hosts exactly as stored. By default control characters (C0, "
          + "DEL, C1), bidirectional overrides and backslashes are escaped (\\x1b, \\x9b, \\u202e, \\\\), so "
          + "that they cannot send escape sequences to the terminal or break the columns. Only for text you trust.")
  boolean raw;

  @Option(names = "--json", order = 5,
      description = "One JSON object per service, or per keyword with -s, one per line (JSON Lines). Schema: "
          + "docs/guide.md, section 5.")
  boolean json;

  @Override
  int run() {
    PrintWriter out = spec.commandLine().getOut();
    TerminalText text = TerminalText.of(raw);
    try (ClientSession session = ClientSession.open(redis)) {
      if (service != null && json) {
        for (Keyword kw : session.service(service).keywords()) {
          JsonLines.print(out, w -> JsonLines.definition(w, kw));
        }
      } else if (service != null) {
        listKeywords(session.service(service), text, out);
      } else if (json) {
        listServicesJson(session, out);
      } else {
        listServices(session, text, out);
      }
    }
    return ExitCodes.OK;
  }

  private static void listServices(ClientSession session, TerminalText text, PrintWriter out) {
    List<String> names = session.serviceNames();
    if (names.isEmpty()) {
      out.println(text.render("(no services in Redis at " + session.endpoint().settings().address() + ")"));
      out.flush();
      return;
    }
    Columns table = new Columns(text).row("SERVICE", "KEYWORDS", "DISPATCHER");
    for (String name : names) {
      if (!Names.isValidService(name)) { // anyone may add to the set; one bad member must not hide the others
        table.row(name, "-", "invalid service name: ignored");
        continue;
      }
      Service svc = session.service(name);
      Optional<DispatcherInfo> lease = session.reachable(svc::dispatcher);
      table.row(name, Integer.toString(svc.keywords().size()), lease.map(l -> "running: host " + l.host() + " pid "
          + l.pid() + " since " + ValueFormat.timestampSeconds(l.started())).orElse("not running"));
    }
    table.print(out);
  }

  /** {@code {"service":…,"keywords":N,"dispatcher":{…}|null}}; an invalid name has nulls and an {@code error}. */
  private static void listServicesJson(ClientSession session, PrintWriter out) {
    for (String name : session.serviceNames()) {
      if (!Names.isValidService(name)) {
        JsonLines.print(out, w -> w.name("service").value(name).name("keywords").nullValue()
            .name("dispatcher").nullValue().name("error").value("invalid service name: ignored"));
        continue;
      }
      Service svc = session.service(name);
      Optional<DispatcherInfo> lease = session.reachable(svc::dispatcher);
      JsonLines.print(out, w -> {
        w.name("service").value(name);
        w.name("keywords").value(svc.keywords().size());
        w.name("dispatcher");
        JsonLines.lease(w, lease);
      });
    }
    out.flush();
  }

  private static void listKeywords(Service svc, TerminalText text, PrintWriter out) {
    Columns table = new Columns(text).row("KEYWORD", "TYPE", "UNITS", "RANGE", "VALUES", "ACCESS", "HELP");
    for (Keyword kw : svc.keywords()) {
      KeywordDefinition d = kw.definition();
      table.row(d.name(), type(d), d.units(), range(d), values(d), d.readonly() ? "ro" : "rw", d.help());
    }
    table.print(out);
  }

  private static String type(KeywordDefinition d) {
    String t = d.type().ktlName();
    return d.type().isArray() && d.length().isPresent() ? t + "[" + d.length().getAsInt() + "]" : t;
  }

  private static String range(KeywordDefinition d) {
    if (d.minimum().isEmpty() && d.maximum().isEmpty()) {
      return "";
    }
    return d.minimum().map(BigDecimal::toPlainString).orElse("") + ".."
        + d.maximum().map(BigDecimal::toPlainString).orElse("");
  }

  private static String values(KeywordDefinition d) {
    if (d.enumerators().isEmpty()) {
      return d.type() == KtlType.BOOLEAN ? "0=false, 1=true" : "";
    }
    if (d.type() == KtlType.MASK) {
      return "0=" + d.noneLabel() + ", " + d.enumerators().stream()
          .map(e -> Long.toUnsignedString(1L << e.value()) + "=" + e.label()).collect(Collectors.joining(", "));
    }
    return d.enumerators().stream().map(ListCommand::enumerator).collect(Collectors.joining(", "));
  }

  private static String enumerator(Enumerator e) {
    return e.value() + "=" + e.label();
  }
}
