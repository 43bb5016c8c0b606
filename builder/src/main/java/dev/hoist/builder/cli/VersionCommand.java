package dev.hoist.builder.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hoist version}: hoist's version, the JVM, and the isolation backend found. */
@Command(name = "version", description = "Show the version of hoist and of what it runs on.")
final class VersionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Properties build = new Properties();
    try (InputStream in = VersionCommand.class.getResourceAsStream("/hoist-version.properties")) {
      if (in != null) {
        build.load(in);
      }
    }
    var out = spec.commandLine().getOut();
    out.printf("hoist:    %s%n", build.getProperty("version", "unknown"));
    out.printf(
        "java:     %s (%s)%n",
        System.getProperty("java.version"), System.getProperty("java.vm.name"));
    out.printf("platform: %s%n", dev.hoist.image.Platform.host());
    out.printf("isolation: %s%n", dev.hoist.runtime.Sandboxes.describeAuto());
    return 0;
  }
}
