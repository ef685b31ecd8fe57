package io.chartpulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
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

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, all));
    }
}
