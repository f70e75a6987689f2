package dev.driftline.services;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the Java for Elasticsearch is found, on fake Java homes: a directory with a {@code release}
 * file and an executable {@code bin/java} (never run; the version is read from {@code release}).
 */
class ElasticsearchJavaTest {
  @TempDir Path dir;
  private Path jvm;
  private Path running17;

  @BeforeEach
  void layout() throws IOException {
    jvm = Files.createDirectories(dir.resolve("usr-lib-jvm"));
    running17 = javaHome(dir.resolve("running"), "17.0.15");
  }

  /** A fake Java home whose release file says {@code JAVA_VERSION="version"}. */
  private static Path javaHome(Path home, String version) throws IOException {
    Files.createDirectories(home.resolve("bin"));
    Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 1\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  private ElasticsearchJava.Found find(Map<String, String> env, Path running) {
    return ElasticsearchJava.find(env, running, jvm);
  }

  @Test
  void variableComesFirst() throws IOException {
    Path variable = javaHome(dir.resolve("es-java"), "21.0.5");
    Path javaHome = javaHome(dir.resolve("java-home"), "25.0.3");
    javaHome(jvm.resolve("temurin-25"), "25.0.3");
    Path running25 = javaHome(dir.resolve("running25"), "25.0.1");

    assertThat(find(Map.of("DRIFTLINE_ES_JAVA_HOME", variable.toString(), "JAVA_HOME", javaHome.toString()), running25))
        .isEqualTo(new ElasticsearchJava.Found(variable, "DRIFTLINE_ES_JAVA_HOME", 21));
  }

  @Test
  void runningJvmWhenItIs21OrNewer() throws IOException {
    Path running = javaHome(dir.resolve("running25"), "25.0.1");
    Path javaHome = javaHome(dir.resolve("java-home"), "21.0.5");

    assertThat(find(Map.of("JAVA_HOME", javaHome.toString()), running))
        .isEqualTo(new ElasticsearchJava.Found(running, "java.home", 25));
  }

  @Test
  void javaHomeWhenTheVariableAndTheRunningJvmAreOlder() throws IOException {
    Path old = javaHome(dir.resolve("es-java-17"), "17.0.2");
    Path javaHome = javaHome(dir.resolve("java-home"), "21.0.5");
    javaHome(jvm.resolve("temurin-25"), "25.0.3");

    assertThat(find(Map.of("DRIFTLINE_ES_JAVA_HOME", old.toString(), "JAVA_HOME", javaHome.toString()), running17))
        .isEqualTo(new ElasticsearchJava.Found(javaHome, "JAVA_HOME", 21));
  }

  @Test
  void firstJdkUnderTheJvmDirectoryByName() throws IOException {
    javaHome(jvm.resolve("java-17-openjdk-amd64"), "17.0.15");
    Path temurin21 = javaHome(jvm.resolve("temurin-21-jdk-amd64"), "21.0.9");
    javaHome(jvm.resolve("temurin-25-jdk-amd64"), "25.0.3");
    javaHome(jvm.resolve("zulu-22"), "22");

    assertThat(find(Map.of(), running17)).isEqualTo(new ElasticsearchJava.Found(temurin21, jvm.toString(), 21));
  }

  @Test
  void readsTheFeatureVersionFromTheReleaseFile() {
    assertThat(ElasticsearchJava.featureVersion("JAVA_VERSION=\"25.0.3\"\n")).isEqualTo(25);
    assertThat(ElasticsearchJava.featureVersion("IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"21\"\n")).isEqualTo(21);
    assertThat(ElasticsearchJava.featureVersion("JAVA_VERSION=\"1.8.0_402\"\n")).isEqualTo(8);
    assertThat(ElasticsearchJava.featureVersion("JAVA_RUNTIME_VERSION=\"25.0.3+9\"\n")).isEqualTo(-1);
  }

  @Test
  void listsEveryPlaceAndWhatItHeldInOneLine() throws IOException {
    Path variable = javaHome(dir.resolve("es-java"), "17.0.12");
    Path noRelease = Files.createDirectories(jvm.resolve("a-jre/bin"));
    Files.writeString(noRelease.resolve("java"), "").toFile().setExecutable(true);
    Files.createDirectories(jvm.resolve("b-docs"));
    javaHome(jvm.resolve("c-java-11"), "11.0.25");
    Path noVersion = javaHome(jvm.resolve("d-odd"), "x");
    Files.writeString(noVersion.resolve("release"), "IMPLEMENTOR=\"x\"\n");
    Files.createSymbolicLink(jvm.resolve("e-default-java"), jvm.resolve("c-java-11"));
    Files.writeString(jvm.resolve(".c-java-11.jinfo"), "name=c-java-11\n");

    assertThatThrownBy(() -> find(Map.of("DRIFTLINE_ES_JAVA_HOME", variable.toString(),
        "JAVA_HOME", dir.resolve("gone").toString()), running17))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Java for Elasticsearch: no Java 21+ found; looked at "
            + "DRIFTLINE_ES_JAVA_HOME=" + variable + " (Java 17), "
            + "java.home=" + running17 + " (Java 17), "
            + "JAVA_HOME=" + dir.resolve("gone") + " (does not exist), "
            + jvm.resolve("a-jre") + " (no release file), "
            + jvm.resolve("b-docs") + " (no bin/java), "
            + jvm.resolve("c-java-11") + " (Java 11), "
            + jvm.resolve("d-odd") + " (no JAVA_VERSION in release), "
            + jvm.resolve("e-default-java") + " (same as " + jvm.resolve("c-java-11") + "); "
            + "set DRIFTLINE_ES_JAVA_HOME to a Java 21+ home");
  }

  @Test
  void saysWhatWasNotSetAndThatTheJvmDirectoryIsEmpty() {
    Path noJvm = dir.resolve("no-jvm");
    assertThatThrownBy(() -> ElasticsearchJava.find(Map.of(), running17, noJvm))
        .hasMessage("Java for Elasticsearch: no Java 21+ found; looked at DRIFTLINE_ES_JAVA_HOME (not set), "
            + "java.home=" + running17 + " (Java 17), JAVA_HOME (not set), " + noJvm + " (no Java installations); "
            + "set DRIFTLINE_ES_JAVA_HOME to a Java 21+ home");
  }

  @Test
  void findsAJava21OnThisMachine() {
    // The build machines have one (the README's requirement); this is the lookup the nodes use.
    ElasticsearchJava.Found found = ElasticsearchJava.find();
    assertThat(found.feature()).isGreaterThanOrEqualTo(21);
    assertThat(found.home().resolve("bin/java")).isExecutable();
  }
}
