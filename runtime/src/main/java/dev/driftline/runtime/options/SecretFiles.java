package dev.driftline.runtime.options;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Secrets read from files (a mounted Kubernetes secret, a file only the service user can read), so
 * they need not be program arguments, which other users see in the process list and Flink's client
 * may log. Error messages name the option and the file, never what is in it.
 */
public final class SecretFiles {
  private SecretFiles() {}

  /**
   * The content of {@code file} as UTF-8, without the trailing line break(s) editors and
   * {@code echo} add.
   *
   * @param option what names the file in a message, e.g. {@code --es-password-file}
   * @throws IllegalArgumentException one line, when the file cannot be read or holds nothing
   */
  public static String read(String option, Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
    String secret = text.replaceAll("[\\r\\n]+$", "");
    if (secret.isEmpty()) {
      throw new IllegalArgumentException(option + " " + file + ": expected a secret, got an empty file");
    }
    if (secret.contains("\n")) {
      throw new IllegalArgumentException(option + " " + file + ": expected one line, got " + secret.lines().count());
    }
    return secret;
  }

  /**
   * The secret given directly, or read from a file, or null for neither.
   *
   * @throws IllegalArgumentException when both are given
   */
  public static String either(String option, String value, String fileOption, Path file) {
    if (value != null && file != null) {
      throw new IllegalArgumentException(option + " and " + fileOption + ": expected one of them, got both");
    }
    return file != null ? read(fileOption, file) : value;
  }
}
