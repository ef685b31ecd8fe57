package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers --help with a description and at least one example. */
class HelpTest {

    @Test
    void everyCommandHasHelpWithExamples() {
        List<CommandLine> all = new ArrayList<>();
        collect(ChartPulseCli.commandLine(), all);
        assertThat(all).hasSizeGreaterThan(15);
        for (CommandLine command : all) {
            if (command.getCommandName().equals("help")) {
                continue;
            }
            StringWriter out = new StringWriter();
            command.setOut(new PrintWriter(out, true));
            command.usage(new PrintWriter(out, true));
            String name = command.getCommandSpec().qualifiedName();
            assertThat(out.toString()).as(name).contains("Usage:").containsPattern("Examples?:");
            assertThat(command.getCommandSpec().usageMessage().description())
                    .as(name + " description")
                    .isNotEmpty();
        }
    }

    // A repository path in help text: a top-level module or docs folder followed by a path, or a file name with an
    // extension of the repository's documents and configs.
    private static final Pattern PATH = Pattern.compile(
            "(?<![\\w/.-])((?:[a-z][\\w-]*/)+[\\w.*-]+|[\\w-]+\\.(?:md|json|yml|yaml|py|properties|avsc))(?![\\w/])");

    @Test
    void everyFileAHelpMentionsExists() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<CommandLine> all = new ArrayList<>();
        collect(ChartPulseCli.commandLine(), all);
        TreeSet<String> checked = new TreeSet<>();
        for (CommandLine command : all) {
            StringWriter out = new StringWriter();
            command.usage(new PrintWriter(out, true));
            // picocli wraps long words at '.', '/' and '-' as well as at spaces: undo that inside a path.
            String text = out.toString()
                    .replaceAll("(\\w[./-])\\R\\s*(?=\\w)", "$1")
                    .replaceAll("(\\w)\\R\\s*(?=\\.\\w)", "$1");
            Matcher m = PATH.matcher(text);
            while (m.find()) {
                String path = m.group(1).replaceAll("[.]$", "");
                if (path.startsWith("s3/") || path.contains("*") || !isRepositoryPath(root, path)) {
                    continue;
                }
                checked.add(path);
                assertThat(Files.exists(root.resolve(path)) || found(root, path))
                        .as(command.getCommandSpec().qualifiedName() + " --help mentions " + path)
                        .isTrue();
            }
        }
        assertThat(checked).as("paths found in the help texts").isNotEmpty();
    }

    // A path whose first segment is a folder of the repository, or a bare file name (looked up anywhere).
    private static boolean isRepositoryPath(Path root, String path) {
        int slash = path.indexOf('/');
        return slash < 0 || Files.isDirectory(root.resolve(path.substring(0, slash)));
    }

    private static boolean found(Path root, String name) {
        if (name.contains("/")) {
            return false;
        }
        try (var files = Files.walk(root, 6)) {
            return files.filter(p ->
                            !p.toString().contains("/target/") && !p.toString().contains("node_modules"))
                    .anyMatch(p -> p.getFileName().toString().equals(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, all));
    }
}
