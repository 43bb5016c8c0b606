package dev.hoist.builder.copy;

import dev.hoist.builder.context.IgnoreMatcher;
import dev.hoist.builder.dockerfile.Heredoc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A CopySpec builder for tests: COPY from a context with no flags unless told. */
final class Specs {
  FileSource from;
  List<String> sources = new ArrayList<>();
  String destination = "/";
  String workdir = "/";
  Optional<String> chown = Optional.empty();
  Optional<String> chmod = Optional.empty();
  boolean parents;
  List<String> excludes = new ArrayList<>();
  List<Heredoc> heredocs = new ArrayList<>();
  boolean add;
  Optional<String> checksum = Optional.empty();
  Optional<Boolean> unpack = Optional.empty();
  List<Path> destinationLayers = new ArrayList<>();

  static Specs copy(Path context, String destination, String... sources) {
    Specs s = new Specs();
    s.from = new FileSource.Context(context, IgnoreMatcher.NONE);
    s.destination = destination;
    s.sources.addAll(List.of(sources));
    return s;
  }

  static Specs add(Path context, String destination, String... sources) {
    Specs s = copy(context, destination, sources);
    s.add = true;
    return s;
  }

  Specs ignore(String... patterns) {
    from =
        new FileSource.Context(
            ((FileSource.Context) from).root(), IgnoreMatcher.of(List.of(patterns)));
    return this;
  }

  Specs from(Path... layersTopFirst) {
    from = new FileSource.Layers(List.of(layersTopFirst));
    return this;
  }

  Specs from(List<Path> layersTopFirst) {
    from = new FileSource.Layers(layersTopFirst);
    return this;
  }

  Specs into(List<Path> layersTopFirst) {
    destinationLayers = List.copyOf(layersTopFirst);
    return this;
  }

  Specs into(Path... layersTopFirst) {
    destinationLayers = List.of(layersTopFirst);
    return this;
  }

  Specs workdir(String w) {
    workdir = w;
    return this;
  }

  Specs chown(String c) {
    chown = Optional.of(c);
    return this;
  }

  Specs chmod(String c) {
    chmod = Optional.of(c);
    return this;
  }

  Specs parents() {
    parents = true;
    return this;
  }

  Specs exclude(String... patterns) {
    excludes.addAll(List.of(patterns));
    return this;
  }

  Specs heredoc(String name, String content) {
    heredocs.add(new Heredoc(name, 0, true, false, content));
    return this;
  }

  Specs unpack(boolean u) {
    unpack = Optional.of(u);
    return this;
  }

  Specs checksum(String c) {
    checksum = Optional.of(c);
    return this;
  }

  CopySpec build() {
    return new CopySpec(
        from,
        sources,
        destination,
        workdir,
        chown,
        chmod,
        parents,
        excludes,
        heredocs,
        add,
        checksum,
        unpack,
        destinationLayers,
        "Dockerfile:7");
  }
}
