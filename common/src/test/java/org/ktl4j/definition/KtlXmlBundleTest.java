package org.ktl4j.definition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktl4j.type.KtlType;

class KtlXmlBundleTest {
  private static Path resource(String name) {
    try {
      return Path.of(KtlXmlBundleTest.class.getResource("/definition/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Bundle load(String name) {
    try {
      return KtlXmlBundle.load(resource(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (KtlXmlException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static KeywordDefinition keyword(Bundle bundle, String name) {
    return bundle.keyword(name).orElseThrow(() -> new AssertionError("no keyword " + name));
  }

  @Test
  void cauldronStyleBundleLoadsWithItsNamesAndDispatcher() {
    Bundle bundle = load("testsvc.xml");
    assertEquals("DISP1", bundle.name());
    assertEquals("testsvc", bundle.service());
    assertEquals("+service+_dispatch_1", bundle.dispatcher());
    assertEquals(List.of("DISP1STA", "COUNTER", "ENABLED", "POWER", "NOTE1", "NOTE2", "NOTE3", "TEMPERATURE", "PRESSURE",
        "LABEL", "OFFSETS", "GAINS", "PIXELS", "FLAGS", "MODE"), bundle.keywords().stream().map(KeywordDefinition::name).toList());
    assertEquals(List.of(), bundle.warnings());
  }

  @Test
  void cauldronStyleBundleHasTheExpectedTypes() {
    Bundle bundle = load("testsvc.xml");
    assertEquals(List.of(KtlType.ENUMERATED, KtlType.INTEGER, KtlType.BOOLEAN, KtlType.BOOLEAN, KtlType.STRING, KtlType.STRING,
        KtlType.STRING, KtlType.DOUBLE, KtlType.FLOAT, KtlType.STRING, KtlType.DOUBLE_ARRAY, KtlType.FLOAT_ARRAY,
        KtlType.INTEGER_ARRAY, KtlType.MASK, KtlType.ENUMERATED), bundle.keywords().stream().map(KeywordDefinition::type).toList());
  }

  @Test
  void enumeratedKeywordHasValuesInitialValueAndCache() {
    KeywordDefinition sta = keyword(load("testsvc.xml"), "DISP1STA");
    assertEquals(List.of(new Enumerator(0, "Open"), new Enumerator(1, "Closed")), sta.enumerators());
    assertEquals(Optional.of("Open"), sta.initialValue());
    assertTrue(sta.useCache());
    assertTrue(sta.readonly());
    assertEquals("Dispatcher status", sta.help());
  }

  @Test
  void arraysWithoutElementCountsHaveVariableLength() {
    Bundle bundle = load("testsvc.xml");
    for (String name : List.of("OFFSETS", "GAINS", "PIXELS")) {
      assertEquals(OptionalInt.empty(), keyword(bundle, name).length(), name);
    }
  }

  @Test
  void maskAndEnumeratedWithoutValuesHaveNoEnumerators() {
    Bundle bundle = load("testsvc.xml");
    assertEquals(List.of(), keyword(bundle, "FLAGS").enumerators());
    assertEquals(List.of(), keyword(bundle, "MODE").enumerators());
  }

  @Test
  void simpleKeywordsKeepUnitsHelpAndCapabilities() {
    Bundle bundle = load("testsvc.xml");
    assertEquals("counts", keyword(bundle, "COUNTER").units());
    assertEquals("How often the dispatcher counted", keyword(bundle, "COUNTER").help());
    assertEquals(List.of(new Enumerator(0, "Off"), new Enumerator(1, "On")), keyword(bundle, "POWER").enumerators());
    assertFalse(keyword(bundle, "NOTE3").broadcasts());
    assertTrue(keyword(bundle, "NOTE2").broadcasts());
    assertFalse(keyword(bundle, "COUNTER").readonly());
  }

  @Test
  void richBundleReadsEveryElement() {
    KeywordDefinition az = keyword(load("rich.xml"), "AZ");
    KeywordDefinition expected = KeywordDefinition.builder("AZ", KtlType.DOUBLE).units("deg").help("Azimuth")
        .longHelp("Telescope azimuth, measured east of north.").range(0, 360).format("%.2f").initialValue("45.00").build();
    assertEquals(expected, az);
  }

  @Test
  void initialValuesAreStoredInCanonicalForm() {
    Bundle bundle = load("rich.xml");
    assertEquals(Optional.of("7"), keyword(bundle, "STEPS").initialValue());
    assertEquals(Optional.of("yes"), keyword(bundle, "TRACKING").initialValue());
    assertEquals(Optional.of("M31"), keyword(bundle, "OBJECT").initialValue(), "XML element text is trimmed");
    assertEquals(Optional.of("Closed"), keyword(bundle, "DOME").initialValue());
    assertEquals(Optional.of("Neon, Quartz"), keyword(bundle, "LAMPS").initialValue());
    assertEquals(Optional.of("0.0 0.0 1.3"), keyword(bundle, "POINTING").initialValue(), "Java rounds 1.25 half-up");
  }

  @Test
  void richBundleReadsRangesExactly() {
    Bundle bundle = load("rich.xml");
    KeywordDefinition ticks = keyword(bundle, "TICKS");
    assertEquals(new BigDecimal("-9223372036854775808"), ticks.minimum().orElseThrow());
    assertEquals(new BigDecimal("9223372036854775807"), ticks.maximum().orElseThrow());
    assertEquals(new BigDecimal("0.001"), keyword(bundle, "EXPTIME").minimum().orElseThrow());
  }

  @Test
  void maskValuesMapBitsAndTheNoneLabel() {
    KeywordDefinition lamps = keyword(load("rich.xml"), "LAMPS");
    assertEquals("dark", lamps.noneLabel());
    assertEquals(List.of(new Enumerator(0, "Neon"), new Enumerator(1, "Argon"), new Enumerator(3, "Quartz")), lamps.enumerators());
  }

  @Test
  void elementsGiveLengthAndLabels() {
    Bundle bundle = load("rich.xml");
    assertEquals(List.of("x", "y", "z"), keyword(bundle, "POINTING").elementLabels());
    assertEquals(OptionalInt.of(3), keyword(bundle, "POINTING").length());
    assertEquals(OptionalInt.of(4), keyword(bundle, "WINDOW").length());
    assertEquals(OptionalInt.of(2), keyword(bundle, "COUNTS").length());
    assertEquals(List.of(), keyword(bundle, "COUNTS").elementLabels());
  }

  @Test
  void capabilitiesSetReadonlyAndBroadcasts() {
    Bundle bundle = load("rich.xml");
    assertTrue(keyword(bundle, "DOME").readonly());
    assertFalse(keyword(bundle, "AZ").readonly());
    assertFalse(keyword(bundle, "WEIGHTS").broadcasts());
    assertEquals(KtlType.FLOAT_ARRAY, keyword(bundle, "WEIGHTS").type());
  }

  @Test
  void unknownElementsAreIgnoredWithWarningsNamingFileLineAndElement() {
    Bundle bundle = load("rich.xml");
    assertEquals(3, bundle.warnings().size(), bundle.warnings().toString());
    assertTrue(bundle.warnings().get(0).matches(".*rich\\.xml:\\d+: keyword SPARE: unknown element <comment> ignored"),
        bundle.warnings().get(0));
    assertTrue(bundle.warnings().get(1).matches(".*rich\\.xml:\\d+: keyword SPARE: <minimum> ignored: a string keyword has no range"),
        bundle.warnings().get(1));
    assertTrue(bundle.warnings().get(2).matches(".*rich\\.xml:\\d+: unknown element <publisher> ignored"), bundle.warnings().get(2));
  }

  @Test
  void warningLinesAreTheElementsLines() {
    String xml = """
        <bundle name="B" service="svc">
          <dispatcher><name>d</name></dispatcher>
          <keyword>
            <name>A</name>
            <type>integer</type>

            <colour>blue</colour>
          </keyword>
        </bundle>
        """;
    Bundle bundle = loadString(xml, "inline.xml");
    assertEquals(List.of("inline.xml:7: keyword A: unknown element <colour> ignored"), bundle.warnings());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "malformed.xml | 7 | | malformed XML",
      "unknown-type.xml | 6 | AZ | unknown type 'doubel'",
      "bad-number.xml | 9 | AZ | bad number 'three-sixty' in <maximum>",
      "duplicate-keyword.xml | 8 | AZ | duplicate keyword (first defined at line 4)",
      "missing-name.xml | 8 | | missing <name>",
      "bad-initial.xml | 13 | DOME | invalid initial value 'Ajar': unknown label (valid: Open, Closed)",
      "out-of-range-initial.xml | 8 | AZ | invalid initial value '400': above maximum 360",
      "duplicate-labels.xml | 4 | DOME | duplicate enumerator label 'OPEN'",
      "bad-capability.xml | 7 | AZ | <capability> is 'maybe', expected True or False",
      "bad-mask-bit.xml | 8 | LAMPS | bad number 'first' in <key> (a bit number, or 'none')",
      "bad-format.xml | 7 | AZ | format '%d' cannot format a number",
      "bad-name.xml | 5 | | invalid keyword name '1AZ'",
      "not-a-bundle.xml | 2 | | the index lists no bundle file",
  })
  void brokenBundlesAreRefusedNamingFileLineKeywordAndProblem(String file, int line, String keyword, String problem) {
    KtlXmlException e = assertThrows(KtlXmlException.class, () -> KtlXmlBundle.load(resource("broken/" + file)));
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(Optional.ofNullable(keyword), e.keyword(), e.getMessage());
    assertTrue(e.problem().startsWith(problem), e.getMessage());
    assertTrue(e.source().endsWith(file), e.source());
    String prefix = e.source() + ":" + line + ": " + (keyword == null ? "" : "keyword " + keyword + ": ");
    assertEquals(prefix + e.problem(), e.getMessage());
  }

  @Test
  void externalEntitiesAreNeverResolved() {
    KtlXmlException e = assertThrows(KtlXmlException.class, () -> KtlXmlBundle.load(resource("broken/external-entity.xml")));
    assertTrue(e.line() > 0, e.getMessage());
    assertFalse(e.getMessage().contains("root:"), e.getMessage());
  }

  @Test
  void streamsAreNamedByTheGivenSourceName() {
    KtlXmlException e = assertThrows(KtlXmlException.class,
        () -> KtlXmlBundle.load(new ByteArrayInputStream("<bundle><keyword><name>A</name></keyword></bundle>"
            .getBytes(StandardCharsets.UTF_8)), "jar:/svc/bundle.xml"));
    assertEquals("jar:/svc/bundle.xml:1: keyword A: missing <type>", e.getMessage());
  }

  private static final String BUNDLE_A = "<bundle name='DISP1' service='svc'><dispatcher><name>svcdisp1</name>"
      + "</dispatcher><keyword><name>AZ</name><type>double</type><units>deg</units></keyword></bundle>";
  private static final String BUNDLE_B = "<bundle name='DISP2' service='svc'><dispatcher><name>svcdisp2</name>"
      + "</dispatcher><keyword><name>DOME</name><type>string</type></keyword></bundle>";

  private static Path index(Path dir, String files) throws IOException {
    Path index = dir.resolve("index.xml");
    java.nio.file.Files.writeString(index, "<index service='svc'><files>" + files + "</files></index>");
    return index;
  }

  @Test
  void anIndexMergesTheBundlesItLists(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    java.nio.file.Files.writeString(dir.resolve("DISP1.xml"), BUNDLE_A);
    java.nio.file.Files.createDirectories(dir.resolve("more"));
    java.nio.file.Files.writeString(dir.resolve("more/DISP2.xml"), BUNDLE_B);
    java.nio.file.Files.writeString(dir.resolve("messages.xml"), "<messages/>");
    Bundle b = KtlXmlBundle.load(index(dir, "<file><name>DISP1.xml</name><location>.</location></file>"
        + "<file><name>DISP2</name><location>more</location><comment>the dome</comment></file>"
        + "<file><name>messages.xml</name></file>"));
    assertEquals("svc", b.service());
    assertEquals("DISP1+DISP2", b.name());
    assertEquals("svcdisp1", b.dispatcher());
    assertEquals(List.of("AZ", "DOME"), b.keywords().stream().map(KeywordDefinition::name).toList());
    assertTrue(b.warnings().stream().anyMatch(w -> w.contains("messages.xml is not a bundle")), b.warnings().toString());
  }

  @Test
  void anIndexRefusesAKeywordDefinedInTwoBundlesAndAMissingFile(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    java.nio.file.Files.writeString(dir.resolve("DISP1.xml"), BUNDLE_A);
    java.nio.file.Files.writeString(dir.resolve("DISP1b.xml"), BUNDLE_A.replace("DISP1", "DISP1b"));
    KtlXmlException twice = assertThrows(KtlXmlException.class, () -> KtlXmlBundle.load(index(dir,
        "<file><name>DISP1.xml</name></file><file><name>DISP1b.xml</name></file>")));
    assertTrue(twice.getMessage().contains("keyword AZ: defined in ") && twice.getMessage().contains("DISP1b.xml"),
        twice.getMessage());
    KtlXmlException missing = assertThrows(KtlXmlException.class, () -> KtlXmlBundle.load(index(dir,
        "<file><name>DISP9.xml</name></file>")));
    assertTrue(missing.getMessage().contains("DISP9.xml not found"), missing.getMessage());
    KtlXmlException stream = assertThrows(KtlXmlException.class, () -> KtlXmlBundle.load(
        new ByteArrayInputStream("<index service='svc'/>".getBytes(StandardCharsets.UTF_8)), "index.xml"));
    assertTrue(stream.getMessage().contains("load it from a file"), stream.getMessage());
  }

  @Test
  void missingFileIsAnIOException() {
    assertThrows(IOException.class, () -> KtlXmlBundle.load(Path.of("no/such/bundle.xml")));
  }

  @Test
  void bundleWithoutServiceOrDispatcherLoadsWithWarnings() {
    Bundle bundle = loadString("<bundle name='B'><keyword><name>A</name><type>string</type></keyword></bundle>", "x.xml");
    assertEquals("", bundle.service());
    assertEquals("", bundle.dispatcher());
    assertEquals(2, bundle.warnings().size(), bundle.warnings().toString());
  }

  @Test
  void elementsWithPartialLabelsAreRefused() {
    String xml = "<bundle service='s'><keyword><name>A</name><type>double array</type>"
        + "<elements><entry><label>x</label></entry><entry/></elements></keyword></bundle>";
    KtlXmlException e = assertThrows(KtlXmlException.class, () -> loadInline(xml));
    assertTrue(e.problem().startsWith("only 1 of 2 <entry> elements have a <label>"), e.getMessage());
  }

  @Test
  void booleanValuesBeyondZeroAndOneAreRefused() {
    String xml = "<bundle service='s'><keyword><name>A</name><type>boolean</type>"
        + "<values><entry><key>2</key><value>maybe</value></entry></values></keyword></bundle>";
    KtlXmlException e = assertThrows(KtlXmlException.class, () -> loadInline(xml));
    assertEquals("boolean enumerator values are 0 and 1, not 2", e.problem());
  }

  private static Bundle loadInline(String xml) throws KtlXmlException {
    return KtlXmlBundle.load(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "inline.xml");
  }

  private static Bundle loadString(String xml, String source) {
    try (InputStream in = new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))) {
      return KtlXmlBundle.load(in, source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (KtlXmlException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
