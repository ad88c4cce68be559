package dev.porthole.cli.docs;

import dev.porthole.build.BuildInfo;
import dev.porthole.cli.Porthole;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Writes porthole's man pages and shell completions, from the command tree, at build time
 * ({@code prepare-package}; the .deb installs them).
 *
 * <pre>
 * java -cp ... dev.porthole.cli.docs.GenerateDocs target/docs
 *   -> target/docs/man/man1/porthole.1, porthole-ports.1, ...
 *   -> target/docs/completions/porthole, _porthole, porthole.fish
 * </pre>
 */
public final class GenerateDocs {
  private GenerateDocs() {}

  /** Returns the man page of every visible command in {@code root}'s tree, root first. */
  public static List<ManPage> manPages(CommandLine root, String version) {
    List<ManPage> pages = new ArrayList<>();
    collect(root.getCommandSpec(), version, pages);
    return pages;
  }

  private static void collect(CommandSpec spec, String version, List<ManPage> pages) {
    pages.add(ManPage.of(spec, version));
    for (CommandSpec sub : ManPage.subcommands(spec)) {
      collect(sub, version, pages);
    }
  }

  /** Writes the man pages and completions of {@code root} under {@code dir}; returns the files. */
  public static List<Path> write(CommandLine root, Path dir) throws IOException {
    List<Path> written = new ArrayList<>();
    Path man = Files.createDirectories(dir.resolve("man/man1"));
    for (ManPage page : manPages(root, BuildInfo.current().version())) {
      written.add(Files.writeString(man.resolve(page.fileName()), page.render()));
    }
    Path completions = Files.createDirectories(dir.resolve("completions"));
    for (Completions shell : Completions.values()) {
      written.add(Files.writeString(completions.resolve(shell.fileName()), shell.script(root)));
    }
    return written;
  }

  /** Writes everything under {@code args[0]}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      // Run inside Maven (exec:java): throw, never System.exit, which would end Maven itself.
      throw new IllegalArgumentException("usage: GenerateDocs OUTPUT_DIR");
    }
    PrintWriter sink = new PrintWriter(new StringWriter());
    List<Path> files = write(Porthole.commandLine(sink, sink), Path.of(args[0]));
    System.out.println("porthole: wrote " + files.size() + " man pages and completion scripts to " + args[0]);
  }
}
