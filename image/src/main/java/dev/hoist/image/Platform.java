package dev.hoist.image;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An image platform, {@code os/architecture[/variant]}, normalised as containerd does: {@code
 * x86_64} is {@code amd64}, {@code aarch64} is {@code arm64}, {@code arm64}'s default variant
 * {@code v8} is dropped, and {@code arm} defaults to {@code v7}.
 */
public record Platform(
    String os,
    String architecture,
    Optional<String> variant,
    Optional<String> osVersion,
    List<String> osFeatures) {

  private static final java.util.Set<String> KNOWN_OS =
      java.util.Set.of(
          "aix",
          "android",
          "darwin",
          "dragonfly",
          "freebsd",
          "illumos",
          "ios",
          "js",
          "linux",
          "netbsd",
          "openbsd",
          "plan9",
          "solaris",
          "wasip1",
          "windows");

  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(osVersion, "osVersion");
    osFeatures = List.copyOf(osFeatures);
  }

  public static Platform of(String os, String architecture) {
    return new Platform(os, architecture, Optional.empty(), Optional.empty(), List.of());
  }

  public static Platform of(String os, String architecture, String variant) {
    return new Platform(
        os,
        architecture,
        Optional.ofNullable(variant).filter(v -> !v.isEmpty()),
        Optional.empty(),
        List.of());
  }

  /**
   * Parses {@code os/arch[/variant]} (or a bare {@code arch}, taken as linux) and normalises it.
   */
  public static Platform parse(String text) {
    Objects.requireNonNull(text, "platform");
    String[] parts = text.trim().toLowerCase(Locale.ROOT).split("/", -1);
    for (String part : parts) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid platform '" + text + "': expected os/arch[/variant], e.g. linux/arm64/v8");
      }
    }
    return switch (parts.length) {
        // containerd's rule: a lone known OS takes the host's architecture, anything else is an
        // architecture on linux.
      case 1 ->
          KNOWN_OS.contains(parts[0])
              ? of(parts[0], host().architecture(), host().variant().orElse(null)).normalized()
              : of("linux", parts[0]).normalized();
      case 2 -> of(parts[0], parts[1]).normalized();
      case 3 -> of(parts[0], parts[1], parts[2]).normalized();
      default ->
          throw new IllegalArgumentException(
              "invalid platform '" + text + "': expected os/arch[/variant], e.g. linux/arm64/v8");
    };
  }

  /** The platform of the running JVM's host. */
  public static Platform host() {
    return of(System.getProperty("os.name").toLowerCase(Locale.ROOT), System.getProperty("os.arch"))
        .normalized();
  }

  /** This platform with architecture and variant in their canonical spelling. */
  public Platform normalized() {
    String arch = architecture.toLowerCase(Locale.ROOT);
    Optional<String> var = variant.map(v -> v.toLowerCase(Locale.ROOT));
    switch (arch) {
      case "x86_64", "x86-64", "amd64" -> {
        arch = "amd64";
        if (var.isPresent() && var.get().equals("v1")) {
          var = Optional.empty();
        }
      }
      case "i386", "i686", "386" -> arch = "386";
      case "aarch64", "arm64" -> {
        arch = "arm64";
        if (var.isPresent()
            && (var.get().equals("v8") || var.get().equals("8") || var.get().equals("v8.0"))) {
          var = Optional.empty();
        }
      }
      case "armhf" -> {
        arch = "arm";
        var = Optional.of("v7");
      }
      case "armel" -> {
        arch = "arm";
        var = Optional.of("v6");
      }
      case "arm" -> var = Optional.of(var.map(Platform::armVariant).orElse("v7"));
      default -> {}
    }
    return new Platform(os.toLowerCase(Locale.ROOT), arch, var, osVersion, osFeatures);
  }

  /**
   * The variants an image may have to run where this platform was asked for, best first: for 32-bit
   * arm, as containerd does, {@code v8} runs {@code v7}, {@code v6} and {@code v5} images; every
   * other platform only its own variant.
   */
  public List<Optional<String>> compatibleVariants() {
    Platform p = normalized();
    if (p.architecture.equals("arm") && p.variant.isPresent()) {
      int level =
          switch (p.variant.get()) {
            case "v8" -> 8;
            case "v7" -> 7;
            case "v6" -> 6;
            case "v5" -> 5;
            default -> 0;
          };
      if (level > 0) {
        List<Optional<String>> out = new java.util.ArrayList<>();
        for (int v = level; v >= 5; v--) {
          out.add(Optional.of("v" + v));
        }
        return List.copyOf(out);
      }
    }
    return List.of(p.variant);
  }

  private static String armVariant(String v) {
    return v.startsWith("v") ? v : "v" + v;
  }

  /**
   * Whether an image for {@code candidate} runs here, when this platform is what was asked for: os
   * and architecture equal after normalisation, and the variant equal when this one names one.
   */
  public boolean matches(Platform candidate) {
    Platform want = normalized();
    Platform have = candidate.normalized();
    if (!want.os.equals(have.os) || !want.architecture.equals(have.architecture)) {
      return false;
    }
    return want.variant.isEmpty() || want.variant.equals(have.variant);
  }

  @Override
  public String toString() {
    return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
  }
}
