package io.eco2.engine.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes plugin jars for tests: a manifest, {@code META-INF/services} lists and compiled test classes. */
final class TestJars {

  private final Map<String, String> attributes = new LinkedHashMap<>();
  private final Map<String, List<String>> services = new LinkedHashMap<>();
  private final List<Class<?>> classes = new ArrayList<>();

  /** A jar declaring the engine's current SPI. */
  static TestJars plugin() {
    return new TestJars().attribute(SpiVersion.MANIFEST_ATTRIBUTE, SpiVersion.CURRENT.toString());
  }

  static TestJars bare() {
    return new TestJars();
  }

  TestJars attribute(String name, String value) {
    if (value == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, value);
    }
    return this;
  }

  /** Lists {@code implementation} under {@code service} without adding its class to the jar. */
  TestJars lists(Class<?> service, String implementation) {
    services.computeIfAbsent(service.getName(), k -> new ArrayList<>()).add(implementation);
    return this;
  }

  /** Adds {@code implementation}'s class file and lists it under {@code service}. */
  TestJars provides(Class<?> service, Class<?> implementation) {
    classes.add(implementation);
    return lists(service, implementation.getName());
  }

  Path writeTo(Path jar) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    attributes.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Map.Entry<String, List<String>> e : services.entrySet()) {
        out.putNextEntry(new JarEntry("META-INF/services/" + e.getKey()));
        out.write((String.join("\n", e.getValue()) + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
      for (Class<?> c : classes) {
        String name = c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
          out.putNextEntry(new JarEntry(name));
          out.write(in.readAllBytes());
          out.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }
}
