package dev.hoist.builder.plan;

import dev.hoist.builder.dockerfile.Heredoc;
import dev.hoist.builder.instructions.AddInstruction;
import dev.hoist.builder.instructions.CopyInstruction;
import dev.hoist.builder.instructions.ExposeInstruction;
import dev.hoist.builder.instructions.Instruction;
import dev.hoist.builder.instructions.KeyValue;
import dev.hoist.builder.instructions.LabelInstruction;
import dev.hoist.builder.instructions.RunInstruction;
import dev.hoist.builder.instructions.StopsignalInstruction;
import dev.hoist.builder.instructions.UserInstruction;
import dev.hoist.builder.instructions.VolumeInstruction;
import dev.hoist.builder.instructions.WorkdirInstruction;
import dev.hoist.builder.shell.Expansion;
import dev.hoist.builder.shell.ShellException;
import dev.hoist.builder.shell.ShellLexer;
import dev.hoist.builder.shell.Variables;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Expands variables in exactly the words Docker expands when it plans a build. ENV and ARG are
 * handled by the stage dispatcher, which also updates the scope.
 */
final class InstructionExpander {
  private final ShellLexer lexer;
  private final Variables scope;
  private final Consumer<Set<String>> unmatched;

  /**
   * @param unmatched receives the names of variables that were referenced but not set
   */
  InstructionExpander(ShellLexer lexer, Variables scope, Consumer<Set<String>> unmatched) {
    this.lexer = lexer;
    this.scope = scope;
    this.unmatched = unmatched;
  }

  String word(String w) throws ShellException {
    Expansion x = lexer.process(w, scope);
    unmatched.accept(x.unmatched());
    return x.result();
  }

  List<String> words(List<String> ws) throws ShellException {
    List<String> out = new ArrayList<>(ws.size());
    for (String w : ws) {
      out.add(word(w));
    }
    return out;
  }

  private Optional<String> opt(Optional<String> w) throws ShellException {
    return w.isPresent() ? Optional.of(word(w.get())) : w;
  }

  private List<Heredoc> heredocs(List<Heredoc> docs) throws ShellException {
    List<Heredoc> out = new ArrayList<>();
    for (Heredoc d : docs) {
      if (!d.expand()) {
        out.add(d);
        continue;
      }
      // The body is expanded as one word whose quotes are kept (as BuildKit does for COPY).
      Expansion x = lexer.withRawQuotes(true).process(d.content(), scope);
      unmatched.accept(x.unmatched());
      out.add(new Heredoc(d.name(), d.fileDescriptor(), true, d.chomp(), x.result()));
    }
    return out;
  }

  /** The instruction with its plan-time words expanded; others are returned unchanged. */
  Instruction expand(Instruction ins) throws ShellException {
    if (ins instanceof CopyInstruction c) {
      return new CopyInstruction(
          c.source(),
          words(c.sources()),
          word(c.destination()),
          opt(c.from()),
          opt(c.chown()),
          opt(c.chmod()),
          c.link(),
          c.parents(),
          words(c.excludes()),
          heredocs(c.heredocs()));
    }
    if (ins instanceof AddInstruction a) {
      return new AddInstruction(
          a.source(),
          words(a.sources()),
          word(a.destination()),
          opt(a.chown()),
          opt(a.chmod()),
          a.link(),
          a.keepGitDir(),
          opt(a.checksum()),
          words(a.excludes()),
          heredocs(a.heredocs()),
          a.unpack());
    }
    if (ins instanceof LabelInstruction l) {
      List<KeyValue> out = new ArrayList<>();
      for (KeyValue kv : l.labels()) {
        out.add(new KeyValue(word(kv.key()), word(kv.value())));
      }
      return new LabelInstruction(l.source(), out);
    }
    if (ins instanceof ExposeInstruction e) {
      List<String> ports = new ArrayList<>();
      for (String p : e.ports()) {
        Expansion x = lexer.process(p, scope);
        unmatched.accept(x.unmatched());
        ports.addAll(x.words());
      }
      return new ExposeInstruction(e.source(), ports);
    }
    if (ins instanceof UserInstruction u) {
      return new UserInstruction(u.source(), word(u.user()));
    }
    if (ins instanceof WorkdirInstruction w) {
      return new WorkdirInstruction(w.source(), word(w.path()));
    }
    if (ins instanceof VolumeInstruction v) {
      return new VolumeInstruction(v.source(), words(v.paths()));
    }
    if (ins instanceof StopsignalInstruction s) {
      return new StopsignalInstruction(s.source(), word(s.signal()));
    }
    if (ins instanceof RunInstruction r) {
      return new RunInstruction(
          r.source(),
          r.command(),
          words(r.mounts()),
          opt(r.network()),
          opt(r.security()),
          r.heredocs());
    }
    return ins;
  }
}
