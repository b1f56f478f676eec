package org.ktl4j.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.ktl4j.ErrorCode;
import org.ktl4j.KtlException;
import org.ktl4j.KtlTimeoutException;
import org.ktl4j.RefusedException;
import org.ktl4j.UnavailableException;
import org.ktl4j.client.ClientConfig;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.Service;
import org.ktl4j.client.WriteHandle;
import org.ktl4j.client.WriteResult;
import org.ktl4j.internal.protocol.Names;
import org.ktl4j.type.InvalidValueException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ktl modify}: writes keywords through the service's dispatcher, as KTL's {@code modify}. Every keyword
 * is resolved and every value validated locally (with the dispatcher's own rules and messages) before the first
 * one is sent, so a typo or an out-of-range value writes nothing. Not thread-safe: one instance runs once.
 */
@Command(name = "modify", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Write keywords through the dispatcher, in order, waiting for each.",
        "Prints 'KW = stored-value (seq N)' as each value is stored.",
        "Every keyword and value is checked before anything is sent (unknown keyword: exit 1; read-only, bad or "
            + "out-of-range value: exit 2, nothing written). With several assignments, modify stops at the first "
            + "write that fails (refused: exit 2, with the dispatcher's code and message; timeout: exit 3; no "
            + "dispatcher: exit 4); the writes before it stay done, the ones after it are not sent.",
        "Spacing variants are accepted: KW=value, 'KW= value', 'KW =value', 'KW = value'. KTL's flags work as KTL "
            + "writes them: single-dash (-nowait, -notify, -silent, -binary, -timeout SECONDS) and dash-less among "
            + "the assignments (nowait, notify, silent, binary).",
        "A value that starts with '-' given as a word of its own (KW= '-1 2') needs -- after the options: "
            + "ktl modify -s SVC -- KW= '-1 2'. In one word with its keyword (KW=-1, 'KW=-1 2') it needs nothing.",
        "A refusal names the code, service, keyword, value and reason; array elements are numbered from 0 and "
            + "given as ordinals too: 'element 1 (the second): not an integer'.",
        "Stored values are printed with control characters, bidirectional overrides and backslashes escaped "
            + "(\\x1b, \\x9b, \\u202e, \\\\), as by ktl show."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  $ ktl modify -s telescope TARGAZ=120.5 TARGEL = 50",
        "  TARGAZ = 120.5 (seq 7)",
        "  TARGEL = 50.0 (seq 3)",
        "  $ ktl modify -s telescope TARGEL=5",
        "  ktl: REJECTED: telescope.TARGEL: value '5.0' rejected: ...  (exit 2)",
        "  $ ktl modify -s telescope --binary DOMESHUT=1 TRACKING=true",
        "  $ ktl modify -s telescope --notify TARGAZ=90 DOMESHUT=open",
        "  TARGAZ complete",
        "  DOMESHUT complete",
        "  $ ktl modify -s telescope nowait TRACKING=on      (KTL's dash-less flag)",
        "  $ ktl modify -s telescope -silent TARGAZ=90        (KTL's single-dash flag)",
        "  $ ktl modify -s telescope -- OFFSETS= '-1.5 2'     (a value word starting with '-')"})
final class ModifyCommand extends KtlCommand {

  @Option(names = {"-s", "--service"}, order = 1, required = true, paramLabel = "NAME",
      description = "Service to write to.")
  String service;

  @Mixin
  RedisOption redis;

  @Option(names = {"-n", "--nowait", "-nowait"}, order = 4,
      description = "Fire and forget: send every write and exit 0 once they are published, without waiting for "
          + "the dispatcher's answer (its refusals are only logged by the dispatcher). Still exits 4 if no "
          + "dispatcher is serving the service.")
  boolean nowait;

  @Option(names = {"-p", "--notify", "-notify"}, order = 5,
      description = "Send every write first, then wait for all of them, printing 'KW complete' as each is stored "
          + "(in argument order). Every write is waited for; the exit code is that of the first one that failed.")
  boolean notify;

  @Option(names = {"-q", "--silent", "-silent"}, order = 6, description = "Print nothing on success.")
  boolean silent;

  @Option(names = {"-t", "--timeout", "-timeout"}, order = 7, paramLabel = "SECONDS",
      description = "How long each write may take until the dispatcher has stored it (default: 60). The dispatcher "
          + "must acknowledge a write within 2 s (or SECONDS, if shorter) in any case.")
  double timeoutSeconds = ClientConfig.DEFAULT_WRITE_TIMEOUT.toMillis() / 1000.0;

  @Option(names = {"-b", "--binary", "-binary"}, order = 8,
      description = "Values are in binary form: numbers for enumerated and mask keywords (decimal, as everywhere), "
          + "0/1/true/false for booleans, plain numbers for the rest.")
  boolean binary;

  @Parameters(paramLabel = "KW=value", arity = "1..*",
      description = "Assignments, written in this order. Put -- before them if a value that starts with '-' is a "
          + "word of its own.")
  List<String> words = new ArrayList<>();

  /** A write checked locally: the keyword, the text given, its binary value (--binary only) and canonical form. */
  private record Planned(Keyword keyword, String text, Object binaryValue, String canonical) {}

  @Override
  int run() {
    Assignment.Parsed parsed = Assignment.parse(words);
    nowait |= parsed.flags().contains("nowait");
    notify |= parsed.flags().contains("notify");
    silent |= parsed.flags().contains("silent");
    binary |= parsed.flags().contains("binary");
    if (nowait && notify) {
      throw new IllegalArgumentException("--nowait and --notify exclude each other: --nowait does not wait at all, "
          + "--notify waits for every write");
    }
    Duration timeout = Timeouts.positive("--timeout", timeoutSeconds);
    ClientConfig config = ClientConfig.defaults().withWriteTimeout(timeout);
    try (ClientSession session = ClientSession.open(redis, config)) {
      Service svc = session.service(service);
      List<Planned> plan = new ArrayList<>();
      for (Assignment a : parsed.assignments()) {
        plan.add(check(svc.keyword(a.keyword()), a.value()));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (nowait) {
        for (Planned p : plan) {
          session.reachable(() -> {
            p.keyword().writeNoWait(p.canonical());
            return null;
          });
          report(out, p.keyword().name() + " sent");
        }
      } else if (notify) {
        sendAllThenWait(session, plan, timeout, out);
      } else {
        for (int i = 0; i < plan.size(); i++) {
          Planned p = plan.get(i);
          WriteResult r;
          try {
            r = session.reachable(() -> p.binaryValue() != null
                ? p.keyword().writeBinary(p.binaryValue(), timeout) : p.keyword().write(p.text(), timeout));
          } catch (KtlException e) {
            throw withCode(e, p.keyword(), plan.subList(i + 1, plan.size()));
          }
          report(out, r.keyword() + " = " + r.ascii() + " (seq " + r.seq() + ")");
        }
      }
    }
    return ExitCodes.OK;
  }

  private void sendAllThenWait(ClientSession session, List<Planned> plan, Duration timeout, PrintWriter out) {
    List<WriteHandle> handles = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      Planned p = plan.get(i);
      try {
        handles.add(session.reachable(() -> p.keyword().writeAsync(p.canonical())));
      } catch (KtlException e) {
        // nothing after it is sent; those already sent are still waited for below
        awaitAll(plan.subList(0, i), handles, timeout, out);
        throw withCode(e, p.keyword(), plan.subList(i + 1, plan.size()));
      }
    }
    RuntimeException first = awaitAll(plan, handles, timeout, out);
    if (first != null) {
      throw first;
    }
  }

  /** Waits for every handle in order; prints 'KW complete' for each stored one; returns the first failure. */
  private RuntimeException awaitAll(List<Planned> plan, List<WriteHandle> handles, Duration timeout,
      PrintWriter out) {
    RuntimeException first = null;
    for (int i = 0; i < handles.size(); i++) {
      try {
        handles.get(i).await(timeout);
        report(out, plan.get(i).keyword().name() + " complete");
      } catch (KtlException e) {
        Keyword kw = plan.get(i).keyword();
        if (first == null) {
          first = withCode(e, kw, List.of());
        } else {
          spec.commandLine().getErr().println("ktl: " + FailureReporter.message(withCode(e, kw, List.of())));
          spec.commandLine().getErr().flush();
        }
      }
    }
    return first;
  }

  /** Prints a line unless --silent; escaped, as the stored value comes back from the dispatcher. */
  private void report(PrintWriter out, String line) {
    if (!silent) {
      out.println(TerminalText.escape(line));
      out.flush();
    }
  }

  /** Checks a value as the dispatcher would, before anything is sent. */
  private Planned check(Keyword kw, String text) {
    if (kw.isReadOnly()) {
      throw withCode(new RefusedException(ErrorCode.READ_ONLY, kw.fullName() + " is read-only: value '"
          + Names.printable(text) + "' refused", "read-only"), kw, List.of());
    }
    try {
      if (binary) {
        Object value = BinaryInput.parse(kw.type(), text);
        if (value != null) {
          return new Planned(kw, text, value, kw.converter().fromBinary(value));
        } // a number of a numeric type: its binary and ascii texts are the same, and so are the rules
      }
      return new Planned(kw, text, null, kw.converter().canonicalize(text));
    } catch (InvalidValueException e) {
      throw withCode(new RefusedException(e.code(), e.getMessage(), e.reason()), kw, List.of());
    }
  }

  /**
   * A refusal's message led by its code, once ({@code REJECTED: telescope.TARGEL: ...}, {@link RefusalText}), and
   * for a failure that stopped a sequence, the writes that were therefore not sent.
   */
  private static KtlException withCode(KtlException e, Keyword kw, List<Planned> notSent) {
    String rest = notSent.isEmpty() ? "" : " (stopped: not sent: "
        + notSent.stream().map(p -> p.keyword().name()).collect(Collectors.joining(", ")) + ")";
    if (e instanceof RefusedException r) {
      RefusedException x = new RefusedException(r.code(), RefusalText.of(r, kw.type()) + rest, r.reason());
      x.initCause(e);
      return x;
    }
    if (rest.isEmpty()) {
      return e;
    }
    return rewrap(e, e.getMessage() + rest);
  }

  private static KtlException rewrap(KtlException e, String message) {
    KtlException x;
    if (e instanceof KtlTimeoutException) {
      x = new KtlTimeoutException(message);
    } else if (e instanceof UnavailableException) {
      x = new UnavailableException(message);
    } else {
      x = new KtlException(message);
    }
    x.initCause(e);
    return x;
  }
}
