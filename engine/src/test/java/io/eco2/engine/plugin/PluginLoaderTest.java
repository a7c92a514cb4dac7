package io.eco2.engine.plugin;

import io.eco2.engine.api.ApiSurface;
import io.eco2.engine.api.JsonSurface;
import io.eco2.engine.stage.Stage;
import io.eco2.pluginfixture.EchoStage;
import io.eco2.pluginfixture.EchoTwinStage;
import io.eco2.pluginfixture.ExplodingStage;
import io.eco2.pluginfixture.PlainSurface;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The plugins directory: each jar in a class loader of its own that sees the engine's API and libraries
 * only, its services found by ServiceLoader, and every bad plugin a one-line error naming the jar and the
 * class or stage at fault.
 */
class PluginLoaderTest {

  @TempDir
  Path dir;

  private final List<Catalog> opened = new ArrayList<>();

  @AfterEach
  void closeLoaders() {
    opened.forEach(Catalog::close);
  }

  private Catalog assemble(Components given, ClassLoader engine) {
    Catalog c = Catalog.assemble(given, engine, dir);
    opened.add(c);
    return c;
  }

  private Catalog assemble() {
    return assemble(new Components().setDiscoverClassPath(false), getClass().getClassLoader());
  }

  @Test
  void aStageInAJarIsFoundAndRunsInTheJarsOwnClassLoader() {
    Path jar = TestJars.plugin().attribute("Implementation-Title", "echo-plugin").attribute("Implementation-Version", "1.2.3")
      .provides(Stage.class, EchoStage.class).writeTo(dir.resolve("echo.jar"));

    Catalog catalog = assemble();

    Stage echo = catalog.stages().get("echo");
    assertThat(echo).isNotNull();
    // The same class is on this test's class path; the plugin's copy comes from its jar all the same.
    assertThat(echo.getClass()).isNotSameAs(EchoStage.class);
    assertThat(echo.getClass().getClassLoader()).isInstanceOf(URLClassLoader.class);
    assertThat(echo.getClass().getClassLoader().getParent()).isInstanceOf(ApiClassLoader.class);
    assertThat(catalog.stageOrigin("echo")).isEqualTo(jar.toString());
    assertThat(catalog.plugins()).singleElement().satisfies(p -> {
      assertThat(p.title()).isEqualTo("echo-plugin");
      assertThat(p.version()).isEqualTo("1.2.3");
      assertThat(p.describe()).isEqualTo("echo-plugin 1.2.3 (echo.jar, SPI 1.0, stages [echo])");
    });
  }

  @Test
  void aPluginSharesTheEnginesApiAndLibrariesButSeesNothingElseOfItsClassPath() throws Exception {
    TestJars.plugin().provides(Stage.class, EchoStage.class).writeTo(dir.resolve("echo.jar"));
    ClassLoader plugin = assemble().stages().get("echo").getClass().getClassLoader();

    assertThat(plugin.loadClass(Stage.class.getName())).isSameAs(Stage.class);
    assertThat(plugin.loadClass(Vertx.class.getName())).isSameAs(Vertx.class);
    assertThat(plugin.loadClass("com.fasterxml.jackson.core.JsonFactory")).isSameAs(com.fasterxml.jackson.core.JsonFactory.class);
    assertThat(plugin.loadClass(String.class.getName())).isSameAs(String.class);
    // On the engine's class path, but not part of what plugins are offered: a plugin brings its own.
    assertThatThrownBy(() -> plugin.loadClass("org.assertj.core.api.Assertions")).isInstanceOf(ClassNotFoundException.class);
    // The engine's service lists stay the engine's (vertx-config's is on this class path).
    String services = "META-INF/services/io.vertx.config.spi.ConfigProcessor";
    assertThat(getClass().getClassLoader().getResource(services)).isNotNull();
    assertThat(plugin.getResource(services)).isNull();
  }

  @Test
  void aPluginFindsOnlyTheServicesItsOwnJarLists() throws Exception {
    Path builtIn = TestJars.bare().provides(Stage.class, EchoTwinStage.class).writeTo(Files.createTempFile("builtin", ".jar"));
    TestJars.plugin().provides(ApiSurface.class, PlainSurface.class).writeTo(dir.resolve("plain.jar"));
    try (URLClassLoader engine = new URLClassLoader(new URL[] {builtIn.toUri().toURL()}, getClass().getClassLoader())) {
      Catalog catalog = assemble(new Components(), engine);

      // The engine's class path lists a stage; the plugin's own ServiceLoader must not report it again.
      PluginJar jar = catalog.plugins().get(0);
      assertThat(jar.surfaces()).extracting(ApiSurface::name).containsExactly("plain");
      assertThat(jar.stages()).isEmpty();
      assertThat(catalog.stageOrigin("echo")).isEqualTo(Catalog.CLASS_PATH);
    } finally {
      Files.delete(builtIn);
    }
  }

  @Test
  void anEmptyOrMissingDirectoryMeansNoPlugins() {
    assertThat(assemble().plugins()).isEmpty();
    assertThat(Catalog.assemble(new Components(), getClass().getClassLoader(), dir.resolve("nowhere")).plugins()).isEmpty();
  }

  @Test
  void aJarThatIsNotAJarStopsStartUpNamingIt() throws Exception {
    Path jar = Files.writeString(dir.resolve("broken.jar"), "not a zip");

    assertThatThrownBy(this::assemble).isInstanceOf(PluginException.class)
      .hasMessageStartingWith(jar + ": cannot be read as a jar (");
  }

  @Test
  void aListedClassMissingFromTheJarStopsStartUpNamingJarAndClass() {
    Path jar = TestJars.plugin().lists(Stage.class, "io.eco2.pluginfixture.OcrStage").writeTo(dir.resolve("ocr.jar"));

    assertThatThrownBy(this::assemble).isInstanceOf(PluginException.class)
      .hasMessage(jar + ": stage class io.eco2.pluginfixture.OcrStage not found");
  }

  @Test
  void aStageWhoseConstructorFailsStopsStartUpWithTheCause() {
    Path jar = TestJars.plugin().provides(Stage.class, ExplodingStage.class).writeTo(dir.resolve("exploding.jar"));

    assertThatThrownBy(this::assemble).isInstanceOf(PluginException.class)
      .hasMessageStartingWith(jar + ": stage class io.eco2.pluginfixture.ExplodingStage could not be instantiated")
      .hasMessageContaining("cannot find its model file")
      .hasMessageNotContaining("\n");
  }

  @Test
  void aStageNameDeclaredByTwoPluginsStopsStartUpNamingBothJars() {
    Path a = TestJars.plugin().provides(Stage.class, EchoStage.class).writeTo(dir.resolve("a.jar"));
    Path b = TestJars.plugin().provides(Stage.class, EchoTwinStage.class).writeTo(dir.resolve("b.jar"));

    assertThatThrownBy(this::assemble).isInstanceOf(PluginException.class)
      .hasMessage(b + ": stage 'echo' is declared twice: by " + a + " (io.eco2.pluginfixture.EchoStage) and by "
        + b + " (io.eco2.pluginfixture.EchoTwinStage); remove one of them");
  }

  @Test
  void aPluginStageNamedLikeABuiltInStopsStartUp() throws Exception {
    Path builtIn = TestJars.bare().provides(Stage.class, EchoTwinStage.class).writeTo(Files.createTempFile("builtin", ".jar"));
    Path plugin = TestJars.plugin().provides(Stage.class, EchoStage.class).writeTo(dir.resolve("echo.jar"));
    try (URLClassLoader engine = new URLClassLoader(new URL[] {builtIn.toUri().toURL()}, getClass().getClassLoader())) {
      assertThatThrownBy(() -> assemble(new Components(), engine)).isInstanceOf(PluginException.class)
        .hasMessageStartingWith(plugin + ": stage 'echo' is declared twice: by the class path (io.eco2.pluginfixture.EchoTwinStage) and by " + plugin);
    } finally {
      Files.delete(builtIn);
    }
  }

  @Test
  void aPluginStageNamedLikeOneTheApplicationGaveStopsStartUp() {
    Path plugin = TestJars.plugin().provides(Stage.class, EchoStage.class).writeTo(dir.resolve("echo.jar"));

    assertThatThrownBy(() -> assemble(new Components().setDiscoverClassPath(false).addStage(new EchoTwinStage()), getClass().getClassLoader()))
      .isInstanceOf(PluginException.class)
      .hasMessageStartingWith(plugin + ": stage 'echo' is declared twice: by the application (io.eco2.pluginfixture.EchoTwinStage)");
  }

  @Test
  void aPluginBuiltForAnotherMajorSpiStopsStartUpNamingJarAndStages() {
    Path jar = TestJars.plugin().attribute(SpiVersion.MANIFEST_ATTRIBUTE, "2.0").provides(Stage.class, EchoStage.class)
      .writeTo(dir.resolve("echo.jar"));

    assertThatThrownBy(this::assemble).isInstanceOf(PluginException.class)
      .hasMessage(jar + ": built for plugin SPI 2.0, but this engine implements SPI 1.0 and loads plugins built for 1.0"
        + " or an older 1.x (stages [io.eco2.pluginfixture.EchoStage])");
  }

  @Test
  void aPluginBuiltForANewerMinorSpiStopsStartUp() {
    Path jar = TestJars.plugin().attribute(SpiVersion.MANIFEST_ATTRIBUTE, "1.1").provides(Stage.class, EchoStage.class)
      .writeTo(dir.resolve("echo.jar"));

    assertThatThrownBy(this::assemble).isInstanceOf(PluginException.class)
      .hasMessageStartingWith(jar + ": built for plugin SPI 1.1, but this engine implements SPI 1.0");
  }

  @Test
  void aPluginThatDeclaresNoSpiVersionStopsStartUp() {
    Path jar = TestJars.plugin().attribute(SpiVersion.MANIFEST_ATTRIBUTE, null).provides(Stage.class, EchoStage.class)
      .writeTo(dir.resolve("echo.jar"));

    assertThatThrownBy(this::assemble).isInstanceOf(PluginException.class)
      .hasMessage(jar + ": its manifest declares no Eco2-Spi-Version (the plugin SPI it was built against; this engine"
        + " implements 1.0) (stages [io.eco2.pluginfixture.EchoStage])");
  }

  @Test
  void aJarThatListsNothingStopsStartUp() {
    Path jar = TestJars.plugin().writeTo(dir.resolve("empty.jar"));

    assertThatThrownBy(this::assemble).isInstanceOf(PluginException.class)
      .hasMessage(jar + ": lists no stage, LLM provider or API surface in META-INF/services");
  }

  @Test
  void aClassInAPackageTheEngineOwnsIsRefused() {
    Path jar = TestJars.plugin().lists(ApiSurface.class, JsonSurface.class.getName()).writeTo(dir.resolve("json.jar"));

    assertThatThrownBy(this::assemble).isInstanceOf(PluginException.class)
      .hasMessageStartingWith(jar + ": API surface class io.eco2.engine.api.JsonSurface ");
  }

  @Test
  void spiVersionsOfTheSameMajorAndAnOlderOrEqualMinorAreAccepted() {
    SpiVersion engine = new SpiVersion(1, 2);
    assertThat(engine.accepts(SpiVersion.parse("1"))).isTrue();
    assertThat(engine.accepts(SpiVersion.parse("1.2"))).isTrue();
    assertThat(engine.accepts(SpiVersion.parse("1.3"))).isFalse();
    assertThat(engine.accepts(SpiVersion.parse("2.0"))).isFalse();
    assertThat(engine.accepts(SpiVersion.parse("0.9"))).isFalse();
    assertThatThrownBy(() -> SpiVersion.parse("one")).hasMessage("'one' is not an SPI version of the form MAJOR.MINOR");
  }

}
